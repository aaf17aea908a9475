package io.alicloudauth.vault;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.FakeVault;
import io.alicloudauth.testing.Metrics;
import io.alicloudauth.testing.SignedLogin;
import io.alicloudauth.testing.WriteThroughProfile;
import io.alicloudauth.token.WriteThroughToken;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

@QuarkusTest
@TestProfile(WriteThroughProfile.class)
public class WriteThroughTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROLE = "/v1/auth/alicloud/role/";

    String vault() {
        return ConfigProvider.getConfig().getValue("quarkus.vault.url", String.class);
    }

    void mode(FakeVault.Mode mode) {
        RestAssured.given().baseUri(vault()).post("/__mode/" + mode).then().statusCode(204);
    }

    /** What the fake Vault was sent, token-create and revoke calls only. */
    List<JsonNode> calls(String pathPrefix) throws Exception {
        JsonNode all = JSON.readTree(RestAssured.given().baseUri(vault()).get("/__calls").asString());
        List<JsonNode> out = new java.util.ArrayList<>();
        all.forEach(c -> {
            if (c.get("path").asText().startsWith(pathPrefix)) {
                out.add(c);
            }
        });
        return out;
    }

    static long recordsOf(String role) {
        return QuarkusTransaction.requiringNew().call(() -> WriteThroughToken.count("roleName", role));
    }

    static long records() {
        return QuarkusTransaction.requiringNew().call(() -> WriteThroughToken.count());
    }

    @BeforeEach
    void setUp() {
        // Roles left by other tests (a CIDR-bound one would constrain the mount's token role): gone, then a clean
        // fake Vault (the deletions' revocations are not this test's calls).
        RestAssured.given().baseUri(vault()).post("/__reset").then().statusCode(204);
        Api.deleteAllRoles();
        RestAssured.given().baseUri(vault()).post("/__reset").then().statusCode(204);
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        admin().body("{\"vault_token_role\":\"\",\"alias_source\":\"principal_id\"}").post("/v1/auth/alicloud/config")
                .then().statusCode(204);
        Api.writeRole("dev-role", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"dev,ops\","
                + "\"token_ttl\":\"1h\",\"token_max_ttl\":\"2h\",\"token_explicit_max_ttl\":\"90m\","
                + "\"token_num_uses\":3,\"token_no_default_policy\":true,\"token_period\":0,\"vault_token_role\":\"\","
                + "\"token_bound_cidrs\":\"\",\"bound_principal_ids\":\"\"}");
    }

    static io.restassured.response.ValidatableResponse login() {
        return anyone().body(SignedLogin.as(Callers.DEV).body()).post("/v1/auth/alicloud/login").then();
    }

    @Test
    void loginMintsTheTokenInVaultWithEveryRoleField() throws Exception {
        var answer = login().statusCode(200)
                .body("auth.client_token", org.hamcrest.Matchers.startsWith("hvs.vault-minted-"))
                .body("auth.policies", contains("dev", "ops"))
                .body("auth.metadata.role_name", equalTo("dev-role"))
                .body("auth.metadata.arn", equalTo(Callers.DEV.arn()))
                .body("auth.lease_duration", equalTo(3600))
                .body("auth.num_uses", equalTo(3))
                .extract();
        String token = answer.path("auth.client_token");
        String accessor = answer.path("auth.accessor");

        List<JsonNode> creates = calls("/v1/auth/token/create");
        assertEquals(1, creates.size());
        JsonNode call = creates.get(0);
        assertEquals("/v1/auth/token/create-orphan", call.get("path").asText());
        assertEquals(FakeVault.TOKEN, call.get("token").asText());
        JsonNode body = call.get("body");
        assertEquals(List.of("dev", "ops"), JSON.convertValue(body.get("policies"), List.class));
        assertEquals(3600, seconds(body.get("ttl")));
        assertEquals(5400, seconds(body.get("explicit_max_ttl")), "the smaller of max TTL (2h) and explicit (90m)");
        assertEquals(3, body.get("num_uses").asInt());
        assertTrue(body.get("no_default_policy").asBoolean());
        assertTrue(body.get("renewable").asBoolean());
        assertEquals("alicloud-" + Callers.DEV.principalId(), body.get("display_name").asText());
        Map<?, ?> meta = JSON.convertValue(body.get("meta"), Map.class);
        assertEquals(8, meta.size());
        assertEquals(Callers.ACCOUNT, meta.get("account_id"));
        assertEquals("dev-role", meta.get("role_name"));
        assertFalse(body.has("period"));
        assertFalse(body.has("entity_alias") && !body.get("entity_alias").isNull(), "no token role, no entity");

        // Our token endpoints answer only for local tokens; we never stored this one.
        Api.withToken(token).get("/v1/auth/token/lookup-self").then().statusCode(403);
        WriteThroughToken record = QuarkusTransaction.requiringNew().call(() -> WriteThroughToken.findById(accessor));
        assertEquals("dev-role", record.roleName);
        assertFalse(record.meta.contains(token));
    }

    @Test
    void periodicRoleAndVaultTokenRoleAreSentAsSuch() throws Exception {
        tokenRole("alicloud-workloads", "{\"allowed_entity_aliases\":[\"300800000000000001:*\"],\"orphan\":true}");
        admin().body("{\"token_period\":\"15m\",\"token_num_uses\":0,\"vault_token_role\":\"alicloud-workloads\","
                + "\"token_explicit_max_ttl\":0,\"token_max_ttl\":0}").post(ROLE + "dev-role").then().statusCode(204);
        admin().get(ROLE + "dev-role").then().body("data.vault_token_role", equalTo("alicloud-workloads"));
        login().statusCode(200).body("auth.lease_duration", equalTo(900));
        JsonNode call = calls("/v1/auth/token/create").get(0);
        assertEquals("/v1/auth/token/create/alicloud-workloads", call.get("path").asText());
        assertEquals(900, seconds(call.get("body").get("period")));
        assertFalse(call.get("body").has("explicit_max_ttl") && !call.get("body").get("explicit_max_ttl").isNull());
        admin().body("{\"vault_token_role\":\"bad/role\"}").post(ROLE + "dev-role").then().statusCode(400)
                .body("errors[0]", containsString("vault_token_role"));
    }

    @Test
    void vaultFailuresAreA503AndLeaveNothingBehind() throws Exception {
        long before = records();
        String metricsBefore = Metrics.scrape();
        for (FakeVault.Mode mode : List.of(FakeVault.Mode.SEALED, FakeVault.Mode.FORBIDDEN, FakeVault.Mode.RESET,
                FakeVault.Mode.SLOW)) {
            mode(mode);
            long start = System.nanoTime();
            login().statusCode(503).body("errors[0]", containsString("Vault"));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, mode + " waited past the Vault timeout");
        }
        assertEquals(before, records());
        mode(FakeVault.Mode.NORMAL);
        login().statusCode(200);
        assertEquals(before + 1, records());
        String metricsAfter = Metrics.scrape();
        assertEquals(Metrics.value(metricsBefore, "alicloud_auth_vault_calls_total", "operation=\"mint\"",
                "outcome=\"failed\"") + 4, Metrics.value(metricsAfter, "alicloud_auth_vault_calls_total",
                "operation=\"mint\"", "outcome=\"failed\""));
        assertEquals(Metrics.value(metricsBefore, "alicloud_auth_tokens_issued_total", "type=\"write_through\"") + 1,
                Metrics.value(metricsAfter, "alicloud_auth_tokens_issued_total", "type=\"write_through\""));
    }

    @Test
    void aTokenThatCannotBeRecordedIsRevokedInVaultAgain() throws Exception {
        String accessor = login().statusCode(200).extract().path("auth.accessor");
        // Vault answers with an accessor we already hold: the login record cannot be stored.
        mode(FakeVault.Mode.REPEAT_ACCESSOR);
        login().statusCode(503);
        List<JsonNode> revokes = calls("/v1/auth/token/revoke-accessor");
        assertEquals(1, revokes.size());
        assertEquals(accessor, revokes.get(0).get("body").get("accessor").asText());
    }

    @Test
    void sealedVaultMessageSaysSo() {
        mode(FakeVault.Mode.SEALED);
        login().statusCode(503).body("errors[0]", containsString("sealed"));
        mode(FakeVault.Mode.FORBIDDEN);
        login().statusCode(503).body("errors[0]", containsString("permission denied"));
    }

    @Test
    void adminRevokesAWriteThroughTokenByAccessorInVault() throws Exception {
        String accessor = login().statusCode(200).extract().path("auth.accessor");
        admin().body("{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/revoke-accessor").then()
                .statusCode(204);
        List<JsonNode> revokes = calls("/v1/auth/token/revoke-accessor");
        assertEquals(1, revokes.size());
        assertEquals(accessor, revokes.get(0).get("body").get("accessor").asText());
        admin().body("{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/revoke-accessor").then()
                .statusCode(400);
    }

    @Test
    void deletingARoleRevokesItsTokensInVaultAndKeepsTheRoleIfVaultIsDown() throws Exception {
        String first = login().statusCode(200).extract().path("auth.accessor");
        String second = login().statusCode(200).extract().path("auth.accessor");
        mode(FakeVault.Mode.SEALED);
        admin().delete(ROLE + "dev-role").then().statusCode(503);
        admin().get(ROLE + "dev-role").then().statusCode(200);
        mode(FakeVault.Mode.NORMAL);
        admin().delete(ROLE + "dev-role").then().statusCode(204);
        List<String> revoked = calls("/v1/auth/token/revoke-accessor").stream()
                .map(c -> c.get("body").get("accessor").asText()).toList();
        assertTrue(revoked.contains(first) && revoked.contains(second), revoked.toString());
        assertEquals(0, QuarkusTransaction.requiringNew()
                .call(() -> WriteThroughToken.count("roleName", "dev-role")));
    }

    @Test
    void aRoleBoundToCidrsNeedsATokenRoleThatBindsInsideThem() throws Exception {
        // create-orphan cannot carry CIDRs: without a token role the Vault token would work from anywhere.
        admin().body("{\"token_bound_cidrs\":\"127.0.0.0/8\"}").post(ROLE + "dev-role").then().statusCode(400)
                .body("errors[0]", containsString("needs a vault_token_role"));
        // A token role Vault does not have, or one that binds nothing or more than the role: refused, role unchanged.
        admin().body("{\"token_bound_cidrs\":\"127.0.0.0/8\",\"vault_token_role\":\"bound\"}").post(ROLE + "dev-role")
                .then().statusCode(400).body("errors[0]", containsString("no token role \"bound\""));
        tokenRole("bound", "{\"token_bound_cidrs\":[]}");
        admin().body("{\"token_bound_cidrs\":\"127.0.0.0/8\",\"vault_token_role\":\"bound\"}").post(ROLE + "dev-role")
                .then().statusCode(400).body("errors[0]", containsString("not inside token_bound_cidrs"));
        tokenRole("bound", "{\"token_bound_cidrs\":[\"127.0.0.1/32\",\"10.0.0.0/8\"]}");
        admin().body("{\"token_bound_cidrs\":\"127.0.0.0/8\",\"vault_token_role\":\"bound\"}").post(ROLE + "dev-role")
                .then().statusCode(400).body("errors[0]", containsString("10.0.0.0/8"));
        admin().get(ROLE + "dev-role").then().body("data.token_bound_cidrs.size()", equalTo(0));
        assertTrue(calls("/v1/auth/token/create").isEmpty());

        tokenRole("bound", "{\"token_bound_cidrs\":[\"127.0.0.1/32\"],\"allowed_entity_aliases\":[\"*\"]}");
        admin().body("{\"token_bound_cidrs\":\"127.0.0.0/8\",\"vault_token_role\":\"bound\"}").post(ROLE + "dev-role")
                .then().statusCode(204);
        login().statusCode(200);
        assertEquals("/v1/auth/token/create/bound", calls("/v1/auth/token/create").get(0).get("path").asText());
    }

    @Test
    void aBoundRoleStoredWithoutATokenRoleIsRefusedAtLoginBeforeStsIsAsked() throws Exception {
        // Written while write-through was off, say: the login refuses rather than mint an unbound token.
        QuarkusTransaction.requiringNew().run(() -> {
            io.alicloudauth.role.Role role = io.alicloudauth.role.Role.findById("dev-role");
            role.tokenBoundCidrs = "127.0.0.0/8";
        });
        login().statusCode(403).body("errors[0]", containsString("needs a vault_token_role"));
        assertEquals(0, FakeStsResource.sts().requestCount());
        assertTrue(calls("/v1/auth/token/create").isEmpty());
    }

    @Test
    void changingTheBindingRevokesWhatWasMintedUnderTheOldOne() throws Exception {
        String first = login().statusCode(200).extract().path("auth.accessor");
        String second = login().statusCode(200).extract().path("auth.accessor");
        // Terms other than the binding leave the tokens alone.
        admin().body("{\"token_policies\":\"dev\"}").post(ROLE + "dev-role").then().statusCode(204);
        assertTrue(calls("/v1/auth/token/revoke-accessor").isEmpty());
        // Vault down while the arn changes: the role is written and says what is left; the next write finishes.
        mode(FakeVault.Mode.SEALED);
        admin().body("{\"arn\":\"acs:ram::" + Callers.ACCOUNT + ":role/other-role\"}").post(ROLE + "dev-role").then()
                .statusCode(503).body("errors[0]", containsString("write the role again"));
        admin().get(ROLE + "dev-role").then().body("data.arn", equalTo("acs:ram::" + Callers.ACCOUNT + ":role/other-role"));
        assertTrue(recordsOf("dev-role") >= 2);
        mode(FakeVault.Mode.NORMAL);
        admin().body("{\"arn\":\"acs:ram::" + Callers.ACCOUNT + ":role/other-role\"}").post(ROLE + "dev-role").then()
                .statusCode(204);
        List<String> revoked = calls("/v1/auth/token/revoke-accessor").stream()
                .filter(c -> c.get("body") != null && !c.get("body").isNull())
                .map(c -> c.get("body").get("accessor").asText()).toList();
        assertTrue(revoked.contains(first) && revoked.contains(second), revoked.toString());
        assertEquals(0, recordsOf("dev-role"));
        // Back to dev-role's arn: tokens minted under the new binding stay until it changes again.
        admin().body("{\"arn\":\"" + Callers.ROLE_ARN + "\"}").post(ROLE + "dev-role").then().statusCode(204);
        login().statusCode(200);
        admin().body("{\"token_ttl\":\"30m\"}").post(ROLE + "dev-role").then().statusCode(204);
        assertEquals(1, recordsOf("dev-role"));
        admin().body("{\"bound_principal_ids\":\"" + Callers.DEV.roleId() + "\"}").post(ROLE + "dev-role").then()
                .statusCode(204);
        assertEquals(0, recordsOf("dev-role"));
    }

    @Test
    void anEndlessVaultAnswerIsCutAtItsCapAndLeavesNothing() throws Exception {
        long before = records();
        mode(FakeVault.Mode.HUGE);
        login().statusCode(503).body("errors[0]", containsString("more than 1048576 bytes"));
        assertEquals(before, records());
        long streamed = -1;
        for (int i = 0; i < 50; i++) {
            long now = Long.parseLong(RestAssured.given().baseUri(vault()).get("/__streamed").asString());
            if (now == streamed) {
                break;
            }
            streamed = now;
            Thread.sleep(100);
        }
        assertTrue(streamed < 32L * 1024 * 1024, streamed + " bytes were taken from Vault");
        mode(FakeVault.Mode.NORMAL);
        login().statusCode(200);
    }

    @Test
    void aTokenRoleMintsWithTheCallersEntityAliasOneEntityPerWorkload() throws Exception {
        String pattern = "acs:ram::" + Callers.ACCOUNT + ":role/*";
        tokenRole("alicloud", "{\"allowed_entity_aliases\":\"" + pattern + "\",\"orphan\":true}");
        tokenRole("narrow", "{\"allowed_entity_aliases\":[\"acs:ram::1:role/x\"]}");
        admin().body("{\"vault_token_role\":\"alicloud\",\"alias_source\":\"role_arn\"}")
                .post("/v1/auth/alicloud/config").then().statusCode(204);
        admin().get("/v1/auth/alicloud/config").then().body("data.vault_token_role", equalTo("alicloud"));
        Api.writeRole("app-web", "{\"arn\":\"acs:ram::" + Callers.ACCOUNT + ":role/app-web\"}");

        String first = login().statusCode(200).extract().path("auth.entity_id");
        String second = login().statusCode(200).extract().path("auth.entity_id");
        var webAnswer = anyone().body(SignedLogin.as(Callers.APP_WEB).role("app-web").body()).post("/v1/auth/alicloud/login").then();
        String web = webAnswer.statusCode(200).extract().path("auth.entity_id");
        assertFalse(first.isEmpty());
        assertEquals(first, second, "the same workload gets the same entity");
        assertFalse(first.equals(web), "another workload gets its own");
        List<JsonNode> creates = calls("/v1/auth/token/create");
        assertEquals(3, creates.size());
        for (JsonNode call : creates) {
            assertEquals("/v1/auth/token/create/alicloud", call.get("path").asText(), "the mount's token role");
        }
        assertEquals(Callers.ROLE_ARN, creates.get(0).get("body").get("entity_alias").asText());
        assertEquals("acs:ram::" + Callers.ACCOUNT + ":role/app-web",
                creates.get(2).get("body").get("entity_alias").asText());
        JsonNode entities = JSON.readTree(RestAssured.given().baseUri(vault()).get("/__entities").asString());
        assertEquals(first, entities.get(Callers.ROLE_ARN).asText());

        // A role's own token role overrides the mount's; Vault refuses an alias outside its allowed list.
        long before = records();
        admin().body("{\"vault_token_role\":\"narrow\"}").post(ROLE + "dev-role").then().statusCode(204);
        login().statusCode(503).body("errors[0]", containsString("invalid 'entity_alias' value"));
        assertEquals("/v1/auth/token/create/narrow", calls("/v1/auth/token/create").get(3).get("path").asText());
        assertEquals(before, records(), "nothing recorded for a refused mint");

        // The mount's token role must exist in Vault; empty turns it off again (orphan tokens, no entity).
        admin().body("{\"vault_token_role\":\"missing\"}").post("/v1/auth/alicloud/config").then().statusCode(400)
                .body("errors[0]", containsString("Vault has no token role \"missing\""));
        admin().body("{\"vault_token_role\":\"bad/name\"}").post("/v1/auth/alicloud/config").then().statusCode(400);
        admin().body("{\"vault_token_role\":\"\"}").post("/v1/auth/alicloud/config").then().statusCode(204);
        admin().body("{\"vault_token_role\":\"\"}").post(ROLE + "dev-role").then().statusCode(204);
        login().statusCode(200).body("auth.entity_id", equalTo(""));
        assertEquals("/v1/auth/token/create-orphan", calls("/v1/auth/token/create").get(4).get("path").asText());
    }

    @Test
    void theMountsTokenRoleMustBindEveryRoleThatReliesOnIt() throws Exception {
        tokenRole("narrow", "{\"token_bound_cidrs\":[\"127.0.0.1/32\"],\"allowed_entity_aliases\":[\"*\"]}");
        tokenRole("wide", "{\"token_bound_cidrs\":[\"127.0.0.1/32\",\"10.0.0.0/8\"],\"allowed_entity_aliases\":[\"*\"]}");
        admin().body("{\"vault_token_role\":\"narrow\"}").post("/v1/auth/alicloud/config").then().statusCode(204);
        // A bound role without a token role of its own relies on the mount's, checked when the role is written.
        admin().body("{\"token_bound_cidrs\":\"127.0.0.0/8\"}").post(ROLE + "dev-role").then().statusCode(204);
        login().statusCode(200);
        assertEquals("/v1/auth/token/create/narrow", calls("/v1/auth/token/create").get(0).get("path").asText());

        // Changing the mount's token role to one that binds wider is refused, naming the role; nothing changes.
        admin().body("{\"vault_token_role\":\"wide\"}").post("/v1/auth/alicloud/config").then().statusCode(400)
                .body("errors[0]", containsString("role dev-role"))
                .body("errors[0]", containsString("10.0.0.0/8"));
        admin().get("/v1/auth/alicloud/config").then().body("data.vault_token_role", equalTo("narrow"));
        admin().body("{\"token_bound_cidrs\":\"\"}").post(ROLE + "dev-role").then().statusCode(204);
        admin().body("{\"vault_token_role\":\"wide\"}").post("/v1/auth/alicloud/config").then().statusCode(204);
    }

    void tokenRole(String name, String data) {
        RestAssured.given().baseUri(vault()).body(data).post("/__role/" + name).then().statusCode(204);
    }

    @Test
    void readinessIncludesVault() {
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("Vault write-through"));
        mode(FakeVault.Mode.SEALED);
        RestAssured.get("/q/health/ready").then().statusCode(503);
        mode(FakeVault.Mode.NORMAL);
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }

    /** A duration as the extension sends it: "3600s", "1h0m0s" or a number of seconds. */
    static long seconds(JsonNode value) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isNumber()) {
            return value.asLong();
        }
        return io.alicloudauth.api.Durations.parseSeconds(value.asText());
    }
}
