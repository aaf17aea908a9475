package io.alicloudauth.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.alicloudauth.PersistenceIT;
import io.alicloudauth.testing.AppProcess;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Identity tokens from the packaged service as separate processes: two instances on one PostgreSQL publish the same
 * JWKS, verify each other's tokens and rotate a due key exactly once between them; the embedded H2 keeps its keys
 * (sealed) across a restart.
 */
public class IdentityTokensIT {

    private static final String READER = "path \"identity/oidc/token/*\" { capabilities = [\"read\"] }";

    static RequestSpecification at(AppProcess app, String token) {
        RequestSpecification spec = given().baseUri(app.url()).contentType(ContentType.JSON);
        return token == null ? spec : spec.header("X-Vault-Token", token);
    }

    /** The key, role, policy and issuer a workload needs; returns a logged-in token that may mint. */
    static String configure(AppProcess app, String root) {
        at(app, root).body("{\"sts_endpoint\":\"" + FakeStsResource.sts().url() + "\"}")
                .post("/v1/auth/alicloud/config").then().statusCode(204);
        at(app, root).body(Map.of("policy", READER)).put("/v1/sys/policies/acl/reader").then().statusCode(204);
        at(app, root).body("{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"reader\"}")
                .post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
        at(app, root).body(Map.of("issuer", "https://auth.example.com")).post("/v1/identity/oidc/config").then()
                .statusCode(200);
        at(app, root).body(Map.of("rotation_period", "1h", "verification_ttl", "2h", "allowed_client_ids", "*"))
                .post("/v1/identity/oidc/key/k").then().statusCode(204);
        at(app, root).body(Map.of("key", "k", "client_id", "sts.amazonaws.com", "ttl", "1h"))
                .post("/v1/identity/oidc/role/aws").then().statusCode(204);
        return at(app, null).body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
    }

    static String mint(AppProcess app, String token) {
        return at(app, token).get("/v1/identity/oidc/token/aws").then().statusCode(200).extract().path("data.token");
    }

    static String jwks(AppProcess app) {
        return at(app, null).get("/v1/identity/oidc/.well-known/keys").then().statusCode(200).extract().asString();
    }

    static Set<String> kids(AppProcess app) throws Exception {
        Set<String> out = new HashSet<>();
        JWKSet.parse(jwks(app)).getKeys().forEach(k -> out.add(k.getKeyID()));
        return out;
    }

    /** Verified by nimbus against the JWKS that {@code app} serves over HTTP. */
    static JWTClaimsSet verify(AppProcess app, String jwt) throws Exception {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(
                JWKSet.load(URI.create(app.url() + "/v1/identity/oidc/.well-known/keys").toURL()))));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("sts.amazonaws.com",
                new JWTClaimsSet.Builder().issuer("https://auth.example.com/v1/identity/oidc").build(),
                Set.of("sub", "exp", "iat")));
        return p.process(jwt, null);
    }

    @Test
    void twoInstancesOnOnePostgresAgreeOnKeysAndRotateOnce() throws Exception {
        String url = PersistenceIT.freshDatabase("alicloud_auth_identity_it");
        String root = "identity-it-root-token-0123456789";
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", url, "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "ALICLOUD_AUTH_ROOT_TOKEN", root, "ALICLOUD_AUTH_IDENTITY_ROTATION_CHECK", "1s");
        try (AppProcess a = AppProcess.start(PersistenceIT.PG_JAR, env);
                AppProcess b = AppProcess.start(PersistenceIT.PG_JAR, env);
                Connection db = DriverManager.getConnection(url, "postgres", "")) {
            String token = configure(a, root);
            assertEquals(jwks(a), jwks(b), "b serves the key a made, at once");
            String fromA = mint(a, token);
            String fromB = mint(b, token);
            assertEquals(SignedJWT.parse(fromA).getHeader().getKeyID(), SignedJWT.parse(fromB).getHeader().getKeyID());
            assertEquals(verify(b, fromA).getSubject(), verify(a, fromB).getSubject());
            at(b, root).body(Map.of("token", fromA)).post("/v1/identity/oidc/introspect").then()
                    .body("active", equalTo(true));

            // Three scheduled rotations, both instances checking every second: each is done once.
            String oldKid = SignedJWT.parse(fromA).getHeader().getKeyID();
            for (int round = 1; round <= 3; round++) {
                Set<String> before = kids(a);
                try (Statement s = db.createStatement()) {
                    s.executeUpdate("update oidc_key set next_rotation = 1 where name = 'k'");
                }
                long deadline = System.currentTimeMillis() + 20_000;
                while (kids(b).equals(before) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(kids(a), kids(b), "both serve the rotated JWKS");
                assertEquals(2 + round, kids(a).size(), "retired keys stay published for their verification_ttl");
            }
            Thread.sleep(1_500); // one more check on each: nothing is due any more
            assertEquals(3, count(a.output() + b.output(), "rotated on schedule"), "each rotation was done once");
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                    "select count(*) from oidc_signing_key where key_name = 'k' and state = 'current'")) {
                r.next();
                assertEquals(1, r.getInt(1), "one current key");
            }
            // The token from before the rotations still verifies; new ones are signed by the new current key.
            verify(a, fromA);
            String later = mint(b, token);
            assertNotEquals(oldKid, SignedJWT.parse(later).getHeader().getKeyID());
            verify(a, later);
            assertTrue(!a.output().contains("\"d\":") && !b.output().contains("\"d\":"), "no private key in the logs");
        }
    }

    @Test
    void theEmbeddedStoreKeepsItsKeysSealedAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("alicloud-auth-identity");
        String root = "identity-h2-root-token-0123456789";
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("db"),
                "ALICLOUD_AUTH_ROOT_TOKEN", root);
        String token;
        String jwt;
        String published;
        try (AppProcess first = AppProcess.start(PersistenceIT.H2_JAR, env)) {
            token = configure(first, root);
            jwt = mint(first, token);
            published = jwks(first);
        }
        try (AppProcess second = AppProcess.start(PersistenceIT.H2_JAR, env)) {
            assertEquals(published, jwks(second));
            verify(second, jwt);
            assertEquals(SignedJWT.parse(jwt).getHeader().getKeyID(),
                    SignedJWT.parse(mint(second, token)).getHeader().getKeyID(), "the same key signs after a restart");

            // oidc-export: the two documents for static hosting, and GCP's upload form.
            Path export = dir.resolve("export");
            String javaCommand = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(javaCommand, "-jar", PersistenceIT.H2_JAR.toString(), "oidc-export", "--address",
                    second.url(), "--out", export.toString()).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), said);
            assertTrue(said.contains("2 keys written"), said);
            assertEquals(JWKSet.parse(published).toJSONObject(), JWKSet.parse(Files.readString(
                    export.resolve(".well-known/keys"))).toJSONObject());
            assertTrue(Files.readString(export.resolve(".well-known/openid-configuration"))
                    .contains("\"issuer\":\"https://auth.example.com/v1/identity/oidc\""));
            JWKSet gcp = JWKSet.parse(Files.readString(export.resolve("gcp-jwks.json")));
            assertEquals(2, gcp.getKeys().size());
            gcp.getKeys().forEach(k -> assertTrue(Set.of("kty", "alg", "use", "kid", "n", "e")
                    .containsAll(k.toJSONObject().keySet()), k.toJSONObject().keySet().toString()));
        }
        String stored = Files.readString(dir.resolve("db.mv.db"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(stored.contains("sealed:v1:"));
        assertTrue(!stored.contains("\"d\":\""), "no private JWK in clear in the database file");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
