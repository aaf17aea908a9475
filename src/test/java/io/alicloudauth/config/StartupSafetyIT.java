package io.alicloudauth.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.AppProcess;

/** The packaged service (prod profile, strict by default) refuses to start on an unsafe configuration. */
class StartupSafetyIT {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final Path PG_JAR = Path.of("target/pg-app/quarkus-run.jar");

    static Map<String, String> env(Path dir, String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("db"));
        env.put("ALICLOUD_AUTH_ROOT_TOKEN", "safety-root-token-0123456789");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void writeThroughWithoutAVaultUrlIsRefused() throws Exception {
        String out = AppProcess.refused(JAR, env(Files.createTempDirectory("safety"), "ALICLOUD_AUTH_VAULT_ENABLED", "true"));
        assertTrue(out.startsWith("exit 1"), out);
        assertTrue(out.contains("QUARKUS_VAULT_URL is not set"), out);
    }

    @Test
    void plainHttpVaultOffLoopbackIsRefused() throws Exception {
        String out = AppProcess.refused(JAR, env(Files.createTempDirectory("safety"), "ALICLOUD_AUTH_VAULT_ENABLED",
                "true", "QUARKUS_VAULT_URL", "http://10.20.30.40:8200"));
        assertTrue(out.contains("plain http"), out);
    }

    @Test
    void forwardedAddressesWithoutTrustedProxiesAreRefused() throws Exception {
        String out = AppProcess.refused(JAR, env(Files.createTempDirectory("safety"),
                "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true"));
        assertTrue(out.startsWith("exit 1"), out);
        assertTrue(out.contains("without QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"), out);
        try (AppProcess behindProxy = AppProcess.start(JAR, env(Files.createTempDirectory("safety"),
                "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true", "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES",
                "10.0.0.0/8,127.0.0.1"))) {
            assertTrue(behindProxy.output().contains("started"), behindProxy.output());
        }
    }

    @Test
    void anApiAddrThatIsNotAnAddressIsRefusedOrWarnedOf() throws Exception {
        String out = AppProcess.refused(JAR, env(Files.createTempDirectory("safety"), "ALICLOUD_AUTH_API_ADDR",
                "auth.example.com:8200"));
        assertTrue(out.startsWith("exit 1"), out);
        assertTrue(out.contains("ALICLOUD_AUTH_API_ADDR auth.example.com:8200 is not an address"), out);
        try (AppProcess lenient = AppProcess.start(JAR, env(Files.createTempDirectory("safety"),
                "ALICLOUD_AUTH_API_ADDR", "auth.example.com:8200", "ALICLOUD_AUTH_STRICT", "false"))) {
            assertTrue(lenient.output().contains("started"), lenient.output());
            assertTrue(lenient.output().contains("WARN") && lenient.output().contains("is not an address"),
                    lenient.output());
        }
    }

    @Test
    void theStrictDefaultAlsoHoldsForThePostgresBuild() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", io.alicloudauth.testing.PostgresProfile.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("ALICLOUD_AUTH_VAULT_ENABLED", "true");
        String out = AppProcess.refused(PG_JAR, env);
        assertTrue(out.contains("QUARKUS_VAULT_URL is not set"), out);
    }

    @Test
    void storedPlainHttpStsEndpointIsRefusedUntilRepaired() throws Exception {
        Path dir = Files.createTempDirectory("safety");
        try (AppProcess app = AppProcess.start(JAR, env(dir))) {
            app.stop();
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db"), "sa", "");
                Statement s = c.createStatement()) {
            s.execute("insert into mount_config (id, sts_endpoint, sts_timeout, version) "
                    + "values (1, 'http://sts-proxy.internal:8080', 10, 0)");
        }
        String out = AppProcess.refused(JAR, env(dir));
        assertTrue(out.contains("sts_endpoint http://sts-proxy.internal:8080"), out);
        assertFalse(out.contains("safety-root-token"), out);
        try (AppProcess repair = AppProcess.start(JAR, env(dir, "ALICLOUD_AUTH_STRICT", "false"))) {
            io.restassured.RestAssured.given().baseUri(repair.url()).header("X-Vault-Token", "safety-root-token-0123456789")
                    .contentType("application/json").body("{\"sts_endpoint\":\"https://sts-vpc.cn-hangzhou.aliyuncs.com\"}")
                    .post("/v1/auth/alicloud/config").then().statusCode(204);
        }
        try (AppProcess fixed = AppProcess.start(JAR, env(dir))) {
            assertTrue(fixed.output().length() >= 0);
        }
    }
}
