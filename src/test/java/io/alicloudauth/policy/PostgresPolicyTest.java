package io.alicloudauth.policy;

import io.alicloudauth.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link PolicyTest} against PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
public class PostgresPolicyTest extends PolicyTest {
}
