package io.alicloudauth.role;

import io.alicloudauth.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link RoleResourceTest} against PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
public class PostgresRoleResourceTest extends RoleResourceTest {
}
