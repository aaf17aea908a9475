package io.alicloudauth.health;

import java.util.concurrent.TimeoutException;
import java.util.Locale;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.alicloudauth.config.AuthSettings;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.api.sys.health.VaultHealthStatus;

/** Readiness of the write-through Vault: initialized, unsealed and answering. Present only with write-through on. */
@Readiness
@ApplicationScoped
@LookupIfProperty(name = "alicloud-auth.vault.enabled", stringValue = "true")
public class VaultWriteThroughCheck implements HealthCheck {

    private final AuthSettings settings;
    private final Instance<VaultClient> client;

    public VaultWriteThroughCheck(AuthSettings settings, Instance<VaultClient> client) {
        this.settings = settings;
        this.client = client;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Vault write-through");
        Duration timeout = settings.vault().timeout();
        try {
            VaultHealthStatus status = client.get().sys().health().status().toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            boolean ok = status == VaultHealthStatus.INITIALIZED_UNSEALED_ACTIVE
                    || status == VaultHealthStatus.UNSEALED_STANDBY || status == VaultHealthStatus.PERFORMANCE_STANDBY;
            return response.status(ok).withData("status", status.name().toLowerCase(Locale.ROOT)).build();
        } catch (Exception e) {
            return response.down().withData("error", e instanceof TimeoutException
                    ? "no answer within " + timeout.toSeconds() + "s" : "Vault could not be reached").build();
        }
    }
}
