package io.alicloudauth.identity;

import io.alicloudauth.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link IdentityTokenTest} against PostgreSQL: row locks, the epoch read per request, sealed keys. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
public class PostgresIdentityTokenTest extends IdentityTokenTest {
}
