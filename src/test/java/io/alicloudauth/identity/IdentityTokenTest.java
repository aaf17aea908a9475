package io.alicloudauth.identity;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static io.alicloudauth.testing.Api.withToken;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Identity tokens (SPEC §9), checked by an independent verifier (nimbus-jose-jwt): it reads the discovery document
 * and the JWKS over HTTP, as AWS, GCP, Azure or Kubernetes would, and checks signature, {@code typ}, {@code iss},
 * {@code aud}, {@code exp} and {@code kid}.
 */
@QuarkusTest
public class IdentityTokenTest {

    @Inject
    EntityManager entities;

    String base;

    @BeforeEach
    void setUp() {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeDevRole();
        base = "http://localhost:" + RestAssured.port;
        for (String list : List.of("role", "key")) {
            var names = admin().queryParam("list", "true").get("/v1/identity/oidc/" + list);
            if (names.statusCode() == 200) {
                for (String n : names.jsonPath().<String>getList("data.keys")) {
                    if (!n.equals("default")) {
                        admin().delete("/v1/identity/oidc/" + list + "/" + n).then().statusCode(204);
                    }
                }
            }
        }
        admin().body(Map.of("issuer", base)).post("/v1/identity/oidc/config").then().statusCode(200);
        admin().body(Map.of("policy", """
                path "identity/oidc/token/*" {
                  capabilities = ["read"]
                }
                """)).put("/v1/sys/policies/acl/oidc-reader").then().statusCode(204);
    }

    /** A token of dev-role (the DEV caller) carrying {@code policies}. */
    static String login(String policies) {
        admin().body(Map.of("token_policies", policies, "token_type", "service"))
                .post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
        return anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
    }

    static String mint(String token, String role) {
        return withToken(token).get("/v1/identity/oidc/token/" + role).then().statusCode(200)
                .extract().path("data.token");
    }

    /** What a relying party does: discovery, then the JWKS it names, then signature and claims. */
    JWTClaimsSet verify(String jwt, JWSAlgorithm alg, String audience) throws Exception {
        Map<String, Object> discovery = anyone().get("/v1/identity/oidc/.well-known/openid-configuration").then()
                .statusCode(200).extract().jsonPath().getMap("");
        String issuer = (String) discovery.get("issuer");
        // Fetched afresh (nimbus' own HTTP retriever): a relying party whose cache missed the kid.
        JWKSource<SecurityContext> keys = new ImmutableJWKSet<>(JWKSet.load(URI.create((String) discovery.get("jwks_uri"))
                .toURL()));
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(alg, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "iat", "exp", "nbf", "jti")));
        return processor.process(jwt, null);
    }

    @Test
    void theDefaultsAreVaults() throws Exception {
        admin().body(Map.of("issuer", "")).post("/v1/identity/oidc/config").then().statusCode(204);
        admin().get("/v1/identity/oidc/config").then().statusCode(200).body("data.issuer", equalTo(""))
                .body("warnings[0]", containsString("Both \"issuer\" and"));
        admin().get("/v1/identity/oidc/key/default").then().statusCode(200)
                .body("data.algorithm", equalTo("RS256")).body("data.rotation_period", equalTo(86400))
                .body("data.verification_ttl", equalTo(86400)).body("data.allowed_client_ids", contains("*"));
        admin().request("LIST", "/v1/identity/oidc/key").then().statusCode(200).body("data.keys", contains("default"));
        admin().request("LIST", "/v1/identity/oidc/role").then().statusCode(404);
        // No role names a key: nothing of it is published (Vault: a key alone publishes nothing).
        Set<String> before = kids();
        admin().body(Map.of("allowed_client_ids", "*")).post("/v1/identity/oidc/key/lonely").then().statusCode(204);
        assertEquals(before, kids());
        admin().delete("/v1/identity/oidc/key/default").then().statusCode(400)
                .body("errors[0]", equalTo("deletion of key \"default\" not allowed"));
        // No issuer and no api address: token requests say so.
        admin().body(Map.of("key", "default")).post("/v1/identity/oidc/role/plain").then().statusCode(204);
        String token = login("oidc-reader");
        withToken(token).get("/v1/identity/oidc/token/plain").then().statusCode(400)
                .body("errors[0]", containsString("no issuer for identity tokens"));
    }

    @Test
    void aTokenVerifiesWithAnIndependentVerifierAndCarriesVaultsClaims() throws Exception {
        admin().body(Map.of("key", "default", "ttl", "30m", "template", """
                {"account": {{identity.entity.aliases.auth_alicloud_0001.metadata.account_id}},
                 "arn": {{identity.entity.aliases.auth_alicloud_0001.metadata.arn}},
                 "name": {{identity.entity.name}}, "later": {{time.now.plus.1h}}}""")).post("/v1/identity/oidc/role/ci")
                .then().statusCode(204);
        String clientId = admin().get("/v1/identity/oidc/role/ci").then().statusCode(200)
                .body("data.key", equalTo("default")).body("data.ttl", equalTo(1800))
                .body("data.client_id", matchesPattern("[0-9A-Za-z]{26}")).extract().path("data.client_id");
        String token = login("oidc-reader");
        String entity = withToken(token).get("/v1/auth/token/lookup-self").then().extract().path("data.entity_id");

        var answer = withToken(token).get("/v1/identity/oidc/token/ci").then().statusCode(200)
                .body("data.client_id", equalTo(clientId)).body("data.ttl", equalTo(1800))
                .body("warnings", nullValue()).extract();
        String jwt = answer.path("data.token");
        JWTClaimsSet claims = verify(jwt, JWSAlgorithm.RS256, clientId);
        assertEquals(base + "/v1/identity/oidc", claims.getIssuer());
        assertEquals(entity, claims.getSubject());
        assertEquals(List.of(clientId), claims.getAudience());
        assertEquals("root", claims.getStringClaim("namespace"));
        assertEquals(Callers.ACCOUNT, claims.getStringClaim("account"));
        assertEquals(Callers.DEV.arn(), claims.getStringClaim("arn"));
        assertEquals("entity_" + entity.substring(0, 8), claims.getStringClaim("name"));
        long iat = claims.getIssueTime().getTime() / 1000;
        assertEquals(1800, claims.getExpirationTime().getTime() / 1000 - iat);
        assertEquals(iat, claims.getNotBeforeTime().getTime() / 1000);
        assertEquals(iat + 3600, claims.getLongClaim("later"));
        SignedJWT parsed = SignedJWT.parse(jwt);
        assertEquals(JOSEObjectType.JWT, parsed.getHeader().getType());
        JWKSet published = JWKSet.parse(anyone().get("/v1/identity/oidc/.well-known/keys").asString());
        assertTrue(published.getKeyByKeyId(parsed.getHeader().getKeyID()) != null, "the kid is published");
        // Current and next (pre-published), each complete and public only.
        assertEquals(2, kidsOf("default").size());
        published.getKeys().forEach(k -> {
            assertEquals("sig", k.getKeyUse().identifier());
            assertEquals(JWSAlgorithm.RS256, k.getAlgorithm());
            assertFalse(k.isPrivate(), "no private part is published");
        });

        // Two logins, one workload: one subject; every token its own jti.
        String again = mint(login("oidc-reader"), "ci");
        JWTClaimsSet second = verify(again, JWSAlgorithm.RS256, clientId);
        assertEquals(entity, second.getSubject());
        assertNotEquals(claims.getJWTID(), second.getJWTID());

        // Another audience is refused by the relying party.
        assertThrows(BadJOSEException.class, () -> verify(jwt, JWSAlgorithm.RS256, "someone-else"));
        anyone().body(Map.of("token", jwt)).post("/v1/identity/oidc/introspect").then().statusCode(403);
        admin().body(Map.of("token", jwt)).post("/v1/identity/oidc/introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("error", nullValue()).body("data", nullValue());
        admin().body(Map.of("token", jwt, "client_id", "someone-else")).post("/v1/identity/oidc/introspect").then()
                .statusCode(200).body("active", equalTo(false))
                .body("error", equalTo("error validating claims: go-jose/go-jose/jwt: validation failed, invalid"
                        + " audience claim (aud)"));
    }

    @Test
    void es256KeysSignAndVerify() throws Exception {
        admin().body(Map.of("algorithm", "ES256", "allowed_client_ids", "*", "rotation_period", "1h",
                "verification_ttl", "2h")).post("/v1/identity/oidc/key/ec").then().statusCode(200)
                .body("warnings[0]", containsString("Azure"));
        admin().get("/v1/identity/oidc/key/ec").then().body("data.algorithm", equalTo("ES256"))
                .body("data.rotation_period", equalTo(3600)).body("data.verification_ttl", equalTo(7200));
        admin().body(Map.of("key", "ec", "ttl", "1h", "client_id", "sts.aliyuncs.com"))
                .post("/v1/identity/oidc/role/ec-role").then().statusCode(204);
        String jwt = mint(login("oidc-reader"), "ec-role");
        assertEquals(JWSAlgorithm.ES256, SignedJWT.parse(jwt).getHeader().getAlgorithm());
        JWTClaimsSet claims = verify(jwt, JWSAlgorithm.ES256, "sts.aliyuncs.com");
        assertEquals("sts.aliyuncs.com", claims.getAudience().get(0));
        assertThrows(BadJOSEException.class, () -> verify(jwt, JWSAlgorithm.RS256, "sts.aliyuncs.com"));
    }

    @Test
    void rotationKeepsOldTokensVerifiableUntilTheyExpireThenTheKeyLeaves() throws Exception {
        admin().body(Map.of("allowed_client_ids", List.of("rot-client"), "rotation_period", "1h",
                "verification_ttl", "3s")).post("/v1/identity/oidc/key/rot").then().statusCode(204);
        admin().body(Map.of("key", "rot", "ttl", "2s", "client_id", "rot-client"))
                .post("/v1/identity/oidc/role/rot-role").then().statusCode(204);
        String token = login("oidc-reader");
        String before = mint(token, "rot-role");
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
        Set<String> prePublished = kidsOf("rot");
        assertEquals(2, prePublished.size());

        admin().post("/v1/identity/oidc/key/rot/rotate").then().statusCode(204);
        String after = mint(token, "rot-role");
        String newKid = SignedJWT.parse(after).getHeader().getKeyID();
        assertNotEquals(oldKid, newKid);
        assertTrue(prePublished.contains(newKid), "the key that signs now was published before it signed");
        assertEquals(3, kidsOf("rot").size(), "previous, current and a new next");
        verify(before, JWSAlgorithm.RS256, "rot-client"); // the old token still verifies
        verify(after, JWSAlgorithm.RS256, "rot-client");

        Thread.sleep(3_500); // past the old token's exp and the old key's publication
        assertFalse(kids().contains(oldKid), "the rotated key leaves once every token it signed has expired");
        assertEquals(2, kidsOf("rot").size());
        admin().body(Map.of("token", before)).post("/v1/identity/oidc/introspect").then().statusCode(200)
                .body("active", equalTo(false)).body("error", equalTo("unable to validate the token signature"));
        admin().body(Map.of("token", after)).post("/v1/identity/oidc/introspect").then().statusCode(200)
                .body("active", equalTo(false)).body("error", containsString("token is expired (exp)"));
    }

    @Test
    void anEmergencyRotationRetiresTheKeyAtOnce() throws Exception {
        admin().body(Map.of("key", "default")).post("/v1/identity/oidc/role/urgent").then().statusCode(204);
        String clientId = admin().get("/v1/identity/oidc/role/urgent").then().extract().path("data.client_id");
        String jwt = mint(login("oidc-reader"), "urgent");
        verify(jwt, JWSAlgorithm.RS256, clientId);
        admin().body(Map.of("verification_ttl", 0)).post("/v1/identity/oidc/key/default/rotate").then().statusCode(204);
        assertFalse(kids().contains(SignedJWT.parse(jwt).getHeader().getKeyID()));
        assertThrows(Exception.class, () -> verify(jwt, JWSAlgorithm.RS256, clientId));
        admin().body(Map.of("token", jwt)).post("/v1/identity/oidc/introspect").then()
                .body("active", equalTo(false)).body("error", equalTo("unable to validate the token signature"));
        admin().post("/v1/identity/oidc/key/missing/rotate").then().statusCode(400)
                .body("errors[0]", equalTo("no named key found at \"missing\""));
    }

    @Test
    void tamperedAndForeignTokensAreRefused() throws Exception {
        admin().body(Map.of("key", "default")).post("/v1/identity/oidc/role/t").then().statusCode(204);
        String jwt = mint(login("oidc-reader"), "t");
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"namespace\":\"root\"", "\"namespace\":\"rooT\"").getBytes()) + "." + parts[2];
        admin().body(Map.of("token", forged)).post("/v1/identity/oidc/introspect").then().statusCode(200)
                .body("active", equalTo(false)).body("error", equalTo("unable to validate the token signature"));
        admin().body(Map.of("token", "not.a-token")).post("/v1/identity/oidc/introspect").then().statusCode(200)
                .body("active", equalTo(false)).body("error", startsWith("error parsing token: "));
        // alg none, HS256 with the public key as secret: refused before any key is tried.
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + parts[1] + ".";
        admin().body(Map.of("token", none)).post("/v1/identity/oidc/introspect").then()
                .body("active", equalTo(false)).body("error", startsWith("error parsing token: "));
        assertThrows(BadJOSEException.class, () -> verify(forged, JWSAlgorithm.RS256,
                SignedJWT.parse(jwt).getJWTClaimsSet().getAudience().get(0)));
    }

    @Test
    void whoMayAskIsDecidedByPolicies() {
        admin().body(Map.of("key", "default")).post("/v1/identity/oidc/role/guarded").then().statusCode(204);
        withToken(login("default")).get("/v1/identity/oidc/token/guarded").then().statusCode(403)
                .body("errors[0]", equalTo("permission denied"));
        // The root token has no entity.
        admin().get("/v1/identity/oidc/token/guarded").then().statusCode(400)
                .body("errors[0]", equalTo("no entity associated with the request's token"));
        String token = login("oidc-reader");
        withToken(token).get("/v1/identity/oidc/token/nope").then().statusCode(400)
                .body("errors[0]", equalTo("role \"nope\" not found"));
        admin().body(Map.of("allowed_client_ids", List.of())).post("/v1/identity/oidc/key/closed").then().statusCode(204);
        admin().body(Map.of("key", "closed")).post("/v1/identity/oidc/role/closed-role").then().statusCode(204);
        withToken(token).get("/v1/identity/oidc/token/closed-role").then().statusCode(400).body("errors[0]",
                equalTo("the key \"closed\" does not list the client ID of the role \"closed-role\" as an allowed client ID"));
        // The token may administer nothing.
        withToken(token).body(Map.of("key", "default")).post("/v1/identity/oidc/role/mine").then().statusCode(403);
        withToken(token).get("/v1/identity/oidc/key/default").then().statusCode(403);
        // Discovery and keys need no token.
        anyone().get("/v1/identity/oidc/.well-known/openid-configuration").then().statusCode(200)
                .header("Cache-Control", "max-age=3600")
                .body("issuer", equalTo(base + "/v1/identity/oidc"))
                .body("jwks_uri", equalTo(base + "/v1/identity/oidc/.well-known/keys"))
                .body("response_types_supported", contains("id_token"))
                .body("subject_types_supported", contains("public"))
                .body("id_token_signing_alg_values_supported", hasItem("ES256"));
        String cache = anyone().get("/v1/identity/oidc/.well-known/keys").then().statusCode(200).extract()
                .header("Cache-Control");
        long maxAge = Long.parseLong(cache.substring("max-age=".length()));
        assertTrue(maxAge >= 0 && maxAge < 86400, cache);
    }

    @Test
    void writesAreCheckedWithVaultsTexts() {
        admin().body(Map.of("rotation_period", "30s")).post("/v1/identity/oidc/key/bad").then().statusCode(400)
                .body("errors[0]", equalTo("rotation_period must be at least one minute"));
        admin().body(Map.of("rotation_period", "1m", "verification_ttl", "11m")).post("/v1/identity/oidc/key/bad")
                .then().statusCode(400).body("errors[0]", equalTo("verification_ttl cannot be longer than 10x rotation_period"));
        admin().body(Map.of("algorithm", "HS256")).post("/v1/identity/oidc/key/bad").then().statusCode(400)
                .body("errors[0]", equalTo("unknown signing algorithm \"HS256\""));
        admin().get("/v1/identity/oidc/key/bad").then().statusCode(404);

        admin().body(Map.of()).post("/v1/identity/oidc/role/r").then().statusCode(400)
                .body("errors[0]", equalTo("the key parameter is required"));
        admin().body(Map.of("key", "ghost")).post("/v1/identity/oidc/role/r").then().statusCode(400)
                .body("errors[0]", equalTo("cannot find key \"ghost\""));
        admin().body(Map.of("key", "default", "ttl", "25h")).post("/v1/identity/oidc/role/r").then().statusCode(400)
                .body("errors[0]", equalTo("a role's token ttl cannot be longer than the verification_ttl of the key it"
                        + " references"));
        admin().body(Map.of("key", "default", "template", "{\"sub\": \"me\"}")).post("/v1/identity/oidc/role/r").then()
                .statusCode(400).body("errors[0]", equalTo("top level key \"sub\" not allowed. Restricted keys: iat, aud,"
                        + " exp, iss, sub, namespace, nonce, auth_time, at_hash, c_hash"));
        admin().body(Map.of("key", "default", "template", "{\"a\": {{identity.entity.id}")).post("/v1/identity/oidc/role/r")
                .then().statusCode(400).body("errors[0]", equalTo("error parsing template: unbalanced templating characters"));
        admin().body(Map.of("key", "default", "template", "{\"a\": {{identity.nothing}}}")).post("/v1/identity/oidc/role/r")
                .then().statusCode(400).body("errors[0]", equalTo("error parsing template: no value could be found for"
                        + " one of the template directives"));
        admin().body(Map.of("key", "default", "template", "{\"a\": ")).post("/v1/identity/oidc/role/r").then()
                .statusCode(400).body("errors[0]", startsWith("error parsing template JSON: "));
        admin().body(Map.of("key", "default", "subject_source", "email")).post("/v1/identity/oidc/role/r").then()
                .statusCode(400).body("errors[0]", containsString("subject_source"));
        admin().get("/v1/identity/oidc/role/r").then().statusCode(404);

        // Base64 templates are decoded (as Vault); the client id is kept across updates.
        String encoded = Base64.getEncoder().encodeToString("{\"team\": \"platform\"}".getBytes());
        admin().body(Map.of("key", "default", "template", encoded)).post("/v1/identity/oidc/role/r").then().statusCode(204);
        String clientId = admin().get("/v1/identity/oidc/role/r").then().body("data.template",
                equalTo("{\"team\": \"platform\"}")).extract().path("data.client_id");
        admin().body(Map.of("ttl", "1h")).post("/v1/identity/oidc/role/r").then().statusCode(204);
        admin().get("/v1/identity/oidc/role/r").then().body("data.client_id", equalTo(clientId))
                .body("data.ttl", equalTo(3600));

        // A key a role names: its verification_ttl cannot go under the role's ttl, and it cannot be deleted.
        admin().body(Map.of("rotation_period", "1h", "verification_ttl", "2h")).post("/v1/identity/oidc/key/used")
                .then().statusCode(204);
        admin().body(Map.of("key", "used", "ttl", "90m")).post("/v1/identity/oidc/role/a").then().statusCode(204);
        admin().body(Map.of("key", "used", "ttl", "1h")).post("/v1/identity/oidc/role/b").then().statusCode(204);
        admin().body(Map.of("verification_ttl", "1h")).post("/v1/identity/oidc/key/used").then().statusCode(400)
                .body("errors[0]", equalTo("unable to update key \"used\" because it is currently referenced by one or"
                        + " more roles with a token ttl greater than 3600 seconds"));
        admin().delete("/v1/identity/oidc/key/used").then().statusCode(400).body("errors[0]",
                equalTo("unable to delete key \"used\" because it is currently referenced by these roles: a, b"));
    }

    @Test
    void subjectSourcesNameTheWorkloadBeforeItsFirstLogin() throws Exception {
        admin().body(Map.of("key", "default", "subject_source", "role_arn", "client_id", "sts.amazonaws.com"))
                .post("/v1/identity/oidc/role/aws").then().statusCode(204);
        admin().body(Map.of("key", "default", "subject_source", "alias", "client_id", "api://AzureADTokenExchange"))
                .post("/v1/identity/oidc/role/azure").then().statusCode(204);
        String token = login("oidc-reader");
        assertEquals(Callers.ROLE_ARN, verify(mint(token, "aws"), JWSAlgorithm.RS256, "sts.amazonaws.com").getSubject());
        // The alias: the mount's alias_source (principal id by default).
        assertEquals(Callers.DEV.principalId(), verify(mint(token, "azure"), JWSAlgorithm.RS256,
                "api://AzureADTokenExchange").getSubject());
    }

    @Test
    void batchTokensCarryTheirEntityToo() throws Exception {
        admin().body(Map.of("key", "default", "client_id", "batch-client")).post("/v1/identity/oidc/role/b")
                .then().statusCode(204);
        String service = login("oidc-reader");
        admin().body(Map.of("token_policies", "oidc-reader", "token_type", "batch"))
                .post("/v1/auth/alicloud/role/dev-role").then().statusCode(204);
        String batch = anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then()
                .statusCode(200).extract().path("auth.client_token");
        assertEquals(verify(mint(service, "b"), JWSAlgorithm.RS256, "batch-client").getSubject(),
                verify(mint(batch, "b"), JWSAlgorithm.RS256, "batch-client").getSubject());
    }

    @Test
    void privateKeysAreSealedAndNeverShown() {
        admin().body(Map.of("key", "default")).post("/v1/identity/oidc/role/sealed").then().statusCode(204);
        List<?> stored = QuarkusTransaction.requiringNew().call(() -> entities
                .createNativeQuery("select private_key from oidc_signing_key where private_key is not null").getResultList());
        assertFalse(stored.isEmpty());
        stored.forEach(s -> assertTrue(((String) s).startsWith("sealed:v1:"), "sealed at rest"));
        anyone().get("/v1/identity/oidc/.well-known/keys").then().body(not(containsString("\"d\"")))
                .body(not(containsString("\"p\"")));
        admin().get("/v1/identity/oidc/key/default").then().body(not(containsString("\"d\"")))
                .body("data.keySet()", not(hasItem("signing_key")));
    }

    @Test
    void theIssuerMayHaveAPathAndWarnsWhereRelyingPartiesWouldRefuse() {
        admin().body(Map.of("issuer", base + "/alicloud-auth/")).post("/v1/identity/oidc/config").then().statusCode(200)
                .body("warnings", hasItem(containsString("If \"issuer\" is set explicitly")))
                .body("warnings", hasItem(containsString("not https")))
                .body("warnings", hasItem(containsString("has a port")));
        admin().get("/v1/identity/oidc/config").then().body("data.issuer", equalTo(base + "/alicloud-auth"));
        anyone().get("/v1/identity/oidc/.well-known/openid-configuration").then()
                .body("issuer", equalTo(base + "/alicloud-auth/v1/identity/oidc"));
        admin().body(Map.of("issuer", "https://auth.example.com")).post("/v1/identity/oidc/config").then()
                .statusCode(200).body("warnings", hasSize(1));
        for (String bad : List.of("auth.example.com", "ftp://auth.example.com", "https://u:p@auth.example.com",
                "https://auth.example.com/?x=1", "https://auth.example.com/#f", "https://auth.example.com/a/../b")) {
            admin().body(Map.of("issuer", bad)).post("/v1/identity/oidc/config").then().statusCode(400)
                    .body("errors[0]", startsWith("invalid issuer"));
        }
        admin().get("/v1/identity/oidc/config").then().body("data.issuer", equalTo("https://auth.example.com"));
        admin().body(Map.of()).post("/v1/identity/oidc/config").then().statusCode(204);
        admin().get("/v1/identity/oidc/config").then().body("data.issuer", equalTo("https://auth.example.com"));
    }

    private Set<String> kids() throws Exception {
        return Set.copyOf(JWKSet.parse(anyone().get("/v1/identity/oidc/.well-known/keys").asString()).getKeys()
                .stream().map(k -> k.getKeyID()).toList());
    }

    /** The published kids of one named key. */
    private Set<String> kidsOf(String key) throws Exception {
        List<?> stored = QuarkusTransaction.requiringNew().call(() -> entities
                .createNativeQuery("select kid from oidc_signing_key where key_name = ?1").setParameter(1, key)
                .getResultList());
        Set<String> out = new java.util.HashSet<>(kids());
        out.retainAll(stored);
        return out;
    }
}
