package io.alicloudauth.seal;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static io.alicloudauth.testing.Api.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.alicloudauth.audit.AuditLog;
import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.Forger;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** The seal (SPEC §11): what a copy of the database gives an attacker, and the sealing of what is stored. */
@QuarkusTest
public class SealTest {

    @Inject
    Seal seal;

    @Inject
    EntityManager entities;

    @Inject
    AuditLog audit;

    @BeforeEach
    void batchRole() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
        admin().body("{\"token_type\":\"batch\"}").post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
        audit.hmac("makes the audit key exist");
    }

    static String batchLogin() {
        return anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
    }

    String stored(String table, String column) {
        return QuarkusTransaction.requiringNew().call(() -> (String) entities
                .createNativeQuery("select " + column + " from " + table + " where id = 1").getSingleResult());
    }

    void store(String table, String column, String value) {
        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery("update " + table + " set " + column
                + " = ?1 where id = 1").setParameter(1, value).executeUpdate());
    }

    /** Every text value in every table of the store, as a select by an attacker would get them. */
    List<String> everyTextInTheDatabase() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> columns = entities.createNativeQuery("select table_name, column_name from"
                    + " information_schema.columns where lower(table_schema) = 'public'"
                    + " and lower(data_type) in ('character varying', 'varchar', 'text', 'character')").getResultList();
            List<String> texts = new ArrayList<>();
            for (Object[] c : columns) {
                for (Object value : entities.createNativeQuery("select \"" + c[1] + "\" from \"" + c[0] + "\"")
                        .getResultList()) {
                    if (value != null) {
                        texts.add(value.toString());
                    }
                }
            }
            return texts;
        });
    }

    @Test
    void everySecretIsStoredSealedUnderTheCurrentKey() {
        batchLogin();
        for (SealedColumns.Column c : List.of(new SealedColumns.Column("batch_token_key", "id", "secret_key"),
                new SealedColumns.Column("audit_key", "id", "hmac_key"))) {
            String value = stored(c.table(), c.column());
            assertTrue(value.startsWith("sealed:v1:" + seal.keyId() + ":"), c + " is stored as " + value.substring(0, 12));
        }
    }

    @Test
    void aCopyOfTheDatabaseMintsNoToken() {
        String issued = batchLogin();
        List<String> texts = everyTextInTheDatabase();
        List<byte[]> candidates = Forger.candidateKeys(texts);
        assertFalse(texts.isEmpty());
        for (byte[] key : candidates) {
            withToken(Forger.rootToken(key)).get("/v1/auth/token/lookup-self").then().statusCode(403);
            withToken(Forger.plausibleToken(key)).get("/v1/auth/token/lookup-self").then().statusCode(403);
        }
        // The forger itself works: with the real key (which only the seal opens) it mints a token a role could issue.
        byte[] real = Base64.getDecoder().decode(seal.openText(stored("batch_token_key", "secret_key"),
                "batch_token_key", 1, "secret_key"));
        withToken(Forger.plausibleToken(real)).get("/v1/auth/token/lookup-self").then().statusCode(200);
        withToken(issued).get("/v1/auth/token/lookup-self").then().statusCode(200);
    }

    @Test
    void aHolderOfTheKeyStillCannotMintRootOrOverlongTokens() {
        byte[] real = Base64.getDecoder().decode(seal.openText(stored("batch_token_key", "secret_key"),
                "batch_token_key", 1, "secret_key"));
        withToken(Forger.rootToken(real)).get("/v1/auth/token/lookup-self").then().statusCode(403);
        long now = System.currentTimeMillis() / 1000;
        String tenYears = Forger.token(real, "{\"role\":\"dev-role\",\"policies\":[\"default\"],\"meta\":{},"
                + "\"displayName\":\"x\",\"entityId\":\"e\",\"creationTime\":" + now + ",\"creationTtl\":3600,"
                + "\"expireTime\":" + (now + 315360000L) + ",\"explicitMaxTtl\":0,\"boundCidrs\":[]}");
        withToken(tenYears).get("/v1/auth/token/lookup-self").then().statusCode(403);
        String fromTheFuture = Forger.token(real, "{\"role\":\"dev-role\",\"policies\":[\"default\"],\"meta\":{},"
                + "\"displayName\":\"x\",\"entityId\":\"e\",\"creationTime\":" + (now + 86400) + ",\"creationTtl\":3600,"
                + "\"expireTime\":" + (now + 90000) + ",\"explicitMaxTtl\":0,\"boundCidrs\":[]}");
        withToken(fromTheFuture).get("/v1/auth/token/lookup-self").then().statusCode(403);
    }

    @Test
    void aBatchTokenHasOneSpellingOnly() {
        String token = batchLogin();
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        String body = token.substring(4);
        List<String> variants = new ArrayList<>(List.of(token + "=", token + "==", token + "%3D"));
        // The last character carries spare bits when the length is not a multiple of 4: every other character that
        // decodes to the same bytes is another spelling.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        byte[] raw = Base64.getUrlDecoder().decode(body);
        for (char c : alphabet.toCharArray()) {
            String other = "hvb." + body.substring(0, body.length() - 1) + c;
            if (!other.equals(token) && isSameBytes(other.substring(4), raw)) {
                variants.add(other);
            }
        }
        assertTrue(variants.size() > 3 || body.length() % 4 == 0, "spare-bit spellings exist for this length");
        for (String variant : variants) {
            withToken(variant).get("/v1/auth/token/lookup-self").then().statusCode(403);
        }
    }

    private static boolean isSameBytes(String encoded, byte[] raw) {
        try {
            return java.util.Arrays.equals(Base64.getUrlDecoder().decode(encoded), raw);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void secretsAnEarlierVersionStoredInClearAreSealedInPlaceAndKeepWorking() {
        String token = batchLogin();
        String hmac = audit.hmac("accessor-probe");
        String batchKey = seal.openText(stored("batch_token_key", "secret_key"), "batch_token_key", 1, "secret_key");
        String auditKey = seal.openText(stored("audit_key", "hmac_key"), "audit_key", 1, "hmac_key");
        // As version 0.1 stored them.
        store("batch_token_key", "secret_key", batchKey);
        store("audit_key", "hmac_key", auditKey);

        seal.onStart(null);

        String batchSealed = stored("batch_token_key", "secret_key");
        String auditSealed = stored("audit_key", "hmac_key");
        assertTrue(Seal.isSealed(batchSealed) && Seal.isSealed(auditSealed));
        assertEquals(batchKey, seal.openText(batchSealed, "batch_token_key", 1, "secret_key"), "the key is kept");
        assertEquals(auditKey, seal.openText(auditSealed, "audit_key", 1, "hmac_key"), "the key is kept");
        withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(200);
        assertEquals(hmac, audit.hmac("accessor-probe"));
    }

    @Test
    void aValueSealedUnderAnUnknownKeyStopsTheStartAndChangesNothing() {
        String good = stored("batch_token_key", "secret_key");
        String auditBefore = stored("audit_key", "hmac_key");
        String foreignId = "0123456789abcdef";
        String foreign = "sealed:v1:" + foreignId + good.substring("sealed:v1:".length() + 16);
        store("batch_token_key", "secret_key", foreign);
        store("audit_key", "hmac_key", auditKeyInClear(auditBefore));
        try {
            SealException refused = assertThrows(SealException.class, () -> seal.onStart(null));
            assertTrue(refused.getMessage().contains(foreignId), refused.getMessage());
            assertEquals(foreign, stored("batch_token_key", "secret_key"));
            assertFalse(Seal.isSealed(stored("audit_key", "hmac_key")), "nothing was sealed either");
        } finally {
            store("batch_token_key", "secret_key", good);
            store("audit_key", "hmac_key", auditBefore);
        }
    }

    private String auditKeyInClear(String sealed) {
        return seal.openText(sealed, "audit_key", 1, "hmac_key");
    }

    @Test
    void aSealedValueOpensOnlyWhereItWasSealed() {
        String sealed = seal.seal("secret", "batch_token_key", 1, "secret_key");
        assertEquals("secret", seal.openText(sealed, "batch_token_key", 1, "secret_key"));
        assertThrows(SealException.class, () -> seal.open(sealed, "batch_token_key", 2, "secret_key"));
        assertThrows(SealException.class, () -> seal.open(sealed, "audit_key", 1, "hmac_key"));
        String altered = withOneBitFlipped(sealed);
        assertNotEquals(sealed, altered);
        SealException e = assertThrows(SealException.class, () -> seal.open(altered, "batch_token_key", 1, "secret_key"));
        assertFalse(e.getMessage().contains("secret\""));
        assertThrows(SealException.class, () -> seal.open("in clear", "batch_token_key", 1, "secret_key"));
    }

    /** The same sealed value with one bit of its tag flipped (editing the base64 text can leave the bytes as they were). */
    private static String withOneBitFlipped(String sealed) {
        int body = sealed.lastIndexOf(':') + 1;
        byte[] raw = Base64.getUrlDecoder().decode(sealed.substring(body));
        raw[raw.length - 1] ^= 1;
        return sealed.substring(0, body) + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
