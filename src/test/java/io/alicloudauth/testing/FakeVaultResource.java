package io.alicloudauth.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a {@link FakeVault} and turns write-through on against it, with the extension's client-token auth. */
public class FakeVaultResource implements QuarkusTestResourceLifecycleManager {

    private FakeVault vault;

    @Override
    public Map<String, String> start() {
        try {
            vault = new FakeVault();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.of(
                "alicloud-auth.vault.enabled", "true",
                "alicloud-auth.vault.timeout", "2s",
                "quarkus.vault.url", vault.url(),
                "quarkus.vault.authentication.client-token", FakeVault.TOKEN,
                "quarkus.vault.read-timeout", "2S");
    }

    @Override
    public void stop() {
        if (vault != null) {
            vault.stop();
        }
    }
}
