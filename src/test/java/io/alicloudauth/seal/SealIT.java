package io.alicloudauth.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.alicloudauth.testing.AppProcess;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The seal on the packaged service (SPEC §11): the generated key beside the H2 file, a copy of the database without
 * it, a wrong key, a rotation with previous keys, the file modes, and PostgreSQL without a key.
 */
class SealIT {

    static final Path H2_JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final Path PG_JAR = Path.of("target/pg-app/quarkus-run.jar");
    static final String ROOT = "seal-it-root-token-0123456789";

    static RequestSpecification at(AppProcess app, String token) {
        RequestSpecification spec = RestAssured.given().baseUri(app.url()).contentType(ContentType.JSON);
        return token == null ? spec : spec.header("X-Vault-Token", token);
    }

    static Map<String, String> env(Path dir, String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:h2:file:" + dir.resolve("db"),
                "ALICLOUD_AUTH_ROOT_TOKEN", ROOT));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    static String batchLogin(AppProcess app) {
        io.alicloudauth.PersistenceIT.setUp(app, ROOT);
        at(app, ROOT).body("{\"token_type\":\"batch\"}").post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
        return io.alicloudauth.PersistenceIT.login(app);
    }

    static String keyId(String base64) throws Exception {
        byte[] raw = Base64.getDecoder().decode(base64.trim());
        return HexFormat.of().formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(raw), 8));
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theEmbeddedStoreKeepsItsKeyBesideItAndACopyWithoutItDoesNotStart() throws Exception {
        Path dir = Files.createTempDirectory("seal-h2");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String token;
        String generatedRoot;
        try (AppProcess app = AppProcess.start(H2_JAR, env(dir, "ALICLOUD_AUTH_ROOT_TOKEN", ""))) {
            Matcher m = io.alicloudauth.PersistenceIT.GENERATED.matcher(app.output());
            assertTrue(m.find(), app.output());
            generatedRoot = m.group(1);
            io.alicloudauth.PersistenceIT.setUp(app, generatedRoot);
            at(app, generatedRoot).body("{\"token_type\":\"batch\"}").post("/v1/auth/alicloud/role/dev-role").then()
                    .statusCode(204);
            token = io.alicloudauth.PersistenceIT.login(app);
            assertTrue(app.output().contains("generated a seal key in " + dir.resolve("seal.key").toAbsolutePath()),
                    app.output());
        }
        assertEquals("rwx------", mode(dir), "the store's directory");
        assertEquals("rw-------", mode(dir.resolve("seal.key")));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", mode(f), f.toString());
            }
        }
        String keyId = keyId(Files.readString(dir.resolve("seal.key")));

        // A backup of the database alone: refused, naming the key it needs; no new key is made there.
        Path copy = Files.createTempDirectory("seal-copy");
        Files.copy(dir.resolve("db.mv.db"), copy.resolve("db.mv.db"));
        String refused = AppProcess.refused(H2_JAR, env(copy, "ALICLOUD_AUTH_ROOT_TOKEN", ""));
        assertFalse(refused.startsWith("exit 0"), refused);
        assertTrue(refused.contains("sealed with key id " + keyId), refused);
        assertFalse(Files.exists(copy.resolve("seal.key")));
        assertFalse(refused.contains(Files.readString(dir.resolve("seal.key")).trim()), "the key is never printed");

        // The same copy with the key: the batch token and the generated root token issued before both work.
        try (AppProcess app = AppProcess.start(H2_JAR, env(copy, "ALICLOUD_AUTH_ROOT_TOKEN", "",
                "ALICLOUD_AUTH_SEAL_KEY_FILE", dir.resolve("seal.key").toString()))) {
            at(app, token).get("/v1/auth/token/lookup-self").then().statusCode(200);
            at(app, generatedRoot).get("/v1/sys/auth").then().statusCode(200);
            assertFalse(io.alicloudauth.PersistenceIT.GENERATED.matcher(app.output()).find(), "no new root token");
        }
    }

    @Test
    void aWrongKeyIsRefusedAndPreviousKeysRotate() throws Exception {
        Path dir = Files.createTempDirectory("seal-rotate");
        String a = Base64.getEncoder().encodeToString("seal-key-A-0123456789abcdef01234".getBytes());
        String b = Base64.getEncoder().encodeToString("seal-key-B-0123456789abcdef01234".getBytes());
        String token;
        try (AppProcess app = AppProcess.start(H2_JAR, env(dir, "ALICLOUD_AUTH_SEAL_KEY", a))) {
            token = batchLogin(app);
        }
        assertFalse(Files.exists(dir.resolve("seal.key")), "a configured key is never written");
        String refused = AppProcess.refused(H2_JAR, env(dir, "ALICLOUD_AUTH_SEAL_KEY", b));
        assertTrue(refused.contains("sealed with key id " + keyId(a)) && refused.contains(keyId(b)), refused);
        assertFalse(refused.contains(a) || refused.contains(b), "no key is printed");
        // Nothing was changed by the refused start: key A still opens everything.
        try (AppProcess app = AppProcess.start(H2_JAR, env(dir, "ALICLOUD_AUTH_SEAL_KEY", a))) {
            at(app, token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        }
        try (AppProcess app = AppProcess.start(H2_JAR, env(dir, "ALICLOUD_AUTH_SEAL_KEY", b,
                "ALICLOUD_AUTH_SEAL_PREVIOUS_KEYS", a))) {
            at(app, token).get("/v1/auth/token/lookup-self").then().statusCode(200);
            assertTrue(app.output().contains("sealed under a previous key are now sealed under key id " + keyId(b)),
                    app.output());
        }
        try (AppProcess app = AppProcess.start(H2_JAR, env(dir, "ALICLOUD_AUTH_SEAL_KEY", b))) {
            at(app, token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        }
        String old = AppProcess.refused(H2_JAR, env(dir, "ALICLOUD_AUTH_SEAL_KEY", a));
        assertTrue(old.contains("sealed with key id " + keyId(b)), old);
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("seal-file");
        Path key = dir.resolve("key");
        Files.writeString(key, Base64.getEncoder().encodeToString("seal-key-C-0123456789abcdef01234".getBytes()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        String refused = AppProcess.refused(H2_JAR, env(dir, "ALICLOUD_AUTH_SEAL_KEY_FILE", key.toString()));
        assertTrue(refused.contains("can be read or written by other users") && refused.contains("chmod 600"), refused);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        try (AppProcess app = AppProcess.start(H2_JAR, env(dir, "ALICLOUD_AUTH_SEAL_KEY_FILE", key.toString()))) {
            at(app, batchLogin(app)).get("/v1/auth/token/lookup-self").then().statusCode(200);
        }
    }

    @Test
    void postgresqlWithoutASealKeyRefusesToStart() throws Exception {
        String url = io.alicloudauth.PersistenceIT.freshDatabase("alicloud_auth_seal_it");
        String refused = AppProcess.refused(PG_JAR, Map.of("QUARKUS_DATASOURCE_JDBC_URL", url,
                "QUARKUS_DATASOURCE_USERNAME", "postgres", "ALICLOUD_AUTH_ROOT_TOKEN", ROOT, "ALICLOUD_AUTH_SEAL_KEY", ""));
        assertFalse(refused.startsWith("exit 0"), refused);
        assertTrue(refused.contains("no seal key: set alicloud-auth.seal.key (ALICLOUD_AUTH_SEAL_KEY)"), refused);
    }
}
