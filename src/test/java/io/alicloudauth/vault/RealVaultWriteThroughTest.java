package io.alicloudauth.vault;

import static io.alicloudauth.testing.Api.admin;
import static io.alicloudauth.testing.Api.anyone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.response.LookupResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Opt-in: write-through against a real Vault or OpenBao at {@code VAULT_ADDR} with {@code VAULT_TOKEN} (allowed to
 * create orphan tokens and revoke by accessor). Skipped when either is unset.
 */
@QuarkusTest
@TestProfile(RealVaultWriteThroughTest.RealVault.class)
@EnabledIfEnvironmentVariable(named = "VAULT_ADDR", matches = ".+")
@EnabledIfEnvironmentVariable(named = "VAULT_TOKEN", matches = ".+")
public class RealVaultWriteThroughTest {

    public static class RealVault implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("alicloud-auth.vault.enabled", "true",
                    "quarkus.vault.url", System.getenv().getOrDefault("VAULT_ADDR", "http://127.0.0.1:8200"),
                    "quarkus.vault.authentication.client-token", System.getenv().getOrDefault("VAULT_TOKEN", ""));
        }
    }

    @Test
    void loginMintsAUsableTokenInTheRealVault() throws Exception {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Api.writeRole("real-vault", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"alicloud-test\","
                + "\"token_ttl\":\"10m\"}");
        var auth = anyone().body(SignedLogin.as(Callers.DEV).role("real-vault").body())
                .post("/v1/auth/alicloud/login").then().statusCode(200).extract();
        String token = auth.path("auth.client_token");
        String accessor = auth.path("auth.accessor");

        Vault vault = Vault.create(new VaultConfig().address(System.getenv("VAULT_ADDR")).token(token)
                .engineVersion(1).build());
        LookupResponse self = vault.auth().lookupSelf();
        assertTrue(self.getPolicies().contains("alicloud-test"));
        assertTrue(self.getTTL() > 0 && self.getTTL() <= 600);
        assertEquals(accessor, self.getAccessor());

        admin().body("{\"accessor\":\"" + accessor + "\"}").post("/v1/auth/token/revoke-accessor").then()
                .statusCode(204);
        assertThrows(Exception.class, () -> vault.auth().lookupSelf());
        admin().delete("/v1/auth/alicloud/role/real-vault").then().statusCode(204);
    }

    @Test
    void aTokenRoleGivesTheTokenAnEntityNamedAfterTheWorkload() throws Exception {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Vault admin = Vault.create(new VaultConfig().address(System.getenv("VAULT_ADDR"))
                .token(System.getenv("VAULT_TOKEN")).engineVersion(1).build());
        admin.logical().write("auth/token/roles/alicloud-test", Map.of("allowed_entity_aliases",
                Callers.DEV.principalId().split(":")[0] + ":*", "orphan", true, "allowed_policies", "alicloud-test"));
        admin().body("{\"vault_token_role\":\"alicloud-test\"}").post("/v1/auth/alicloud/config").then()
                .statusCode(204);
        Api.writeRole("real-vault", "{\"arn\":\"" + Callers.ROLE_ARN + "\",\"token_policies\":\"alicloud-test\","
                + "\"token_ttl\":\"10m\"}");
        try {
            String entity = anyone().body(SignedLogin.as(Callers.DEV).role("real-vault").body())
                    .post("/v1/auth/alicloud/login").then().statusCode(200).extract().path("auth.entity_id");
            assertTrue(entity != null && !entity.isEmpty(), "the token carries an entity");
            String again = anyone().body(SignedLogin.as(Callers.DEV).role("real-vault").body())
                    .post("/v1/auth/alicloud/login").then().statusCode(200).extract().path("auth.entity_id");
            assertEquals(entity, again, "one entity per workload");
            String aliases = admin.logical().read("identity/entity/id/" + entity).getDataObject().get("aliases")
                    .toString();
            assertTrue(aliases.contains(Callers.DEV.principalId()), aliases);
        } finally {
            admin().body("{\"vault_token_role\":\"\"}").post("/v1/auth/alicloud/config").then().statusCode(204);
            admin().delete("/v1/auth/alicloud/role/real-vault").then().statusCode(204);
        }
    }
}
