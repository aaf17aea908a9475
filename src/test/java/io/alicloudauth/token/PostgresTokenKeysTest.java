package io.alicloudauth.token;

import io.alicloudauth.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link TokenKeysTest} against PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
public class PostgresTokenKeysTest extends TokenKeysTest {
}
