package io.alicloudauth.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The same tests against a real PostgreSQL (the {@code pg} build's db-kind), started by
 * {@code deploy/postgres/local.sh}. {@code ALICLOUD_AUTH_TEST_PG_URL} points elsewhere. The schema is dropped and
 * migrated afresh when the profile starts.
 */
public class PostgresProfile implements QuarkusTestProfile {

    /** The seal key every PostgreSQL test instance shares (a PostgreSQL store without one refuses to start). */
    public static final String SEAL_KEY = "dGVzdC1zZWFsLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE=";

    public static String jdbcUrl() {
        String url = System.getenv("ALICLOUD_AUTH_TEST_PG_URL");
        return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:55432/alicloud_auth_test" : url;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "",
                "alicloud-auth.seal.key", SEAL_KEY,
                "quarkus.flyway.clean-disabled", "false",
                "quarkus.flyway.clean-at-start", "true");
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}
