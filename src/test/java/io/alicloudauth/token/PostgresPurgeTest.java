package io.alicloudauth.token;

import java.util.HashMap;
import java.util.Map;

import io.alicloudauth.testing.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link PurgeTest} against PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresPurgeTest.PostgresEverySecond.class)
public class PostgresPurgeTest extends PurgeTest {

    public static class PostgresEverySecond extends PostgresProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.putAll(new EverySecond().getConfigOverrides());
            return overrides;
        }
    }
}
