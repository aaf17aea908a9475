package io.alicloudauth.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.testing.Api;
import io.alicloudauth.testing.Callers;
import io.alicloudauth.testing.FakeStsResource;
import io.alicloudauth.testing.SignedLogin;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.jopenlibs.vault.response.LookupResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** A real Vault client library (vault-java-driver) drives the service: the wire format is Vault's. */
@QuarkusTest
public class VaultDriverCompatibilityTest {

    Vault vault(String token) throws Exception {
        return Vault.create(new VaultConfig().address("http://127.0.0.1:" + RestAssured.port).token(token).engineVersion(1)
                .openTimeout(5).readTimeout(10).build());
    }

    @Test
    void vaultJavaDriverWritesARoleLogsInAndLooksItselfUp() throws Exception {
        FakeStsResource.sts().reset();
        Api.useFakeSts("5s");
        Vault admin = vault(Api.ROOT);

        Map<String, Object> role = new HashMap<>();
        role.put("arn", Callers.ROLE_ARN);
        role.put("token_policies", "dev,ops");
        role.put("token_ttl", "30m");
        assertEquals(204, admin.logical().write("auth/alicloud/role/dev-role", role).getRestResponse().getStatus());

        LogicalResponse read = admin.logical().read("auth/alicloud/role/dev-role");
        assertEquals(200, read.getRestResponse().getStatus());
        assertEquals(Callers.ROLE_ARN, read.getData().get("arn"));
        assertEquals("1800", read.getData().get("token_ttl"));
        assertTrue(admin.logical().list("auth/alicloud/role").getListData().contains("dev-role"));

        Map<String, Object> login = new HashMap<>(new ObjectMapper().readValue(SignedLogin.as(Callers.DEV).body(), Map.class));
        LogicalResponse answer = vault(null).logical().write("auth/alicloud/login", login);
        assertEquals(200, answer.getRestResponse().getStatus());
        JsonNode auth = new ObjectMapper()
                .readTree(new String(answer.getRestResponse().getBody(), StandardCharsets.UTF_8)).get("auth");
        String token = auth.get("client_token").asText();
        assertEquals(1800, auth.get("lease_duration").asInt());

        LookupResponse self = vault(token).auth().lookupSelf();
        assertEquals(token, self.getId());
        assertEquals(List.of("default", "dev", "ops"), self.getPolicies());
        assertEquals("auth/alicloud/login", self.getPath());
        assertEquals("alicloud-" + Callers.DEV.principalId(), self.getDisplayName());
        assertTrue(self.getTTL() > 1700 && self.getTTL() <= 1800);

        assertEquals(1800, vault(token).auth().renewSelf().getAuthLeaseDuration());
        vault(token).auth().revokeSelf();
        assertEquals(204, admin.logical().delete("auth/alicloud/role/dev-role").getRestResponse().getStatus());
    }
}
