package io.alicloudauth.login;

import io.alicloudauth.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link BindingsTest} against PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
public class PostgresBindingsTest extends BindingsTest {
}
