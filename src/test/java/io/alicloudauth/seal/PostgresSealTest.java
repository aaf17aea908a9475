package io.alicloudauth.seal;

import io.alicloudauth.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link SealTest} against PostgreSQL: one select of every column mints nothing there either. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
public class PostgresSealTest extends SealTest {
}
