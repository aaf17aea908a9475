package io.alicloudauth.vault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Text;
import io.alicloudauth.config.AuthSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.alicloudauth.token.AuthView;
import io.alicloudauth.token.ExternalIssuer;
import io.alicloudauth.token.IssueRequest;
import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.VaultClientException;
import io.quarkus.vault.client.api.auth.token.VaultAuthTokenCreateAuthResult;
import io.quarkus.vault.client.api.auth.token.VaultAuthTokenCreateTokenParams;
import io.quarkus.vault.client.api.common.VaultTokenType;
import io.quarkus.vault.client.common.VaultJSONResultExtractor;
import io.quarkus.vault.client.common.VaultRequest;
import io.quarkus.vault.client.common.VaultResponse;
import io.quarkus.vault.runtime.VaultConfigHolder;
import io.quarkus.vault.runtime.client.MutinyVertxClientFactory;
import io.vertx.core.Vertx;

/**
 * Write-through: mints login tokens in a real Vault or OpenBao through the Quarkus Vault extension's
 * {@link VaultClient} ({@code auth/token/create-orphan}, or {@code auth/token/create/<vault_token_role>}). Every
 * call is bounded by {@code alicloud-auth.vault.timeout}; every failure is a 503 that says what went wrong.
 */
@ApplicationScoped
public class VaultTokenIssuer implements ExternalIssuer {

    private static final Logger LOG = Logger.getLogger(VaultTokenIssuer.class);

    private final AuthSettings settings;
    private final Instance<VaultClient> client;
    private final Instance<VaultConfigHolder> vaultConfig;
    private final Vertx vertx;
    private final boolean trustAll;
    private volatile VaultClient bounded;

    private final MeterRegistry registry;

    public VaultTokenIssuer(AuthSettings settings, Instance<VaultClient> client, Instance<VaultConfigHolder> vaultConfig,
            Vertx vertx, @ConfigProperty(name = "quarkus.tls.trust-all", defaultValue = "false") boolean trustAll,
            MeterRegistry registry) {
        this.registry = registry;
        this.settings = settings;
        this.client = client;
        this.vaultConfig = vaultConfig;
        this.vertx = vertx;
        this.trustAll = trustAll;
    }

    @Override
    public boolean enabled() {
        return settings.vault().enabled();
    }

    @Override
    public AuthView issue(IssueRequest request) {
        VaultAuthTokenCreateTokenParams params = parameters(request);
        VaultAuthTokenCreateAuthResult auth = call("mint", "mint a token", request.vaultTokenRole().isEmpty()
                ? vault().auth().token().create(true, params)
                : vault().auth().token().create(request.vaultTokenRole(), params));
        if (auth == null || auth.getClientToken() == null || auth.getAccessor() == null) {
            throw ApiException.unavailable("Vault answered the token request without a token");
        }
        return new AuthView(auth.getClientToken(), auth.getAccessor(), auth.getPolicies(),
                auth.getTokenPolicies() == null ? auth.getPolicies() : auth.getTokenPolicies(), auth.getMetadata(),
                auth.getLeaseDuration() == null ? 0 : auth.getLeaseDuration().toSeconds(),
                Boolean.TRUE.equals(auth.isRenewable()), auth.getEntityId() == null ? "" : auth.getEntityId(),
                auth.getTokenType() == null ? "service" : auth.getTokenType().getValue(),
                auth.isOrphan() == null || auth.isOrphan(), null,
                auth.getNumUses() == null ? request.numUses() : auth.getNumUses());
    }

    @Override
    public void revokeAccessor(String accessor) {
        try {
            call("revoke", "revoke a token", vault().auth().token().revokeAccessor(accessor));
        } catch (ApiException e) {
            if (e.getCause() instanceof VaultClientException v && v.getStatus() != null && v.getStatus() == 400
                    && v.hasErrorContaining("invalid accessor")) {
                return; // already gone
            }
            throw e;
        }
    }

    @Override
    public List<String> tokenRoleBoundCidrs(String tokenRole) {
        VaultRequest<JsonNode> read = VaultRequest.get("Read token role").path("auth/token", "roles", tokenRole)
                .expectOkStatus().build(VaultJSONResultExtractor.of(JsonNode.class));
        VaultResponse<JsonNode> answer;
        try {
            answer = call("read_token_role", "read the token role " + tokenRole, vault().execute(read));
        } catch (ApiException e) {
            if (e.getCause() instanceof VaultClientException v && v.getStatus() != null && v.getStatus() == 404) {
                throw ApiException.badRequest("vault_token_role: Vault has no token role \"" + tokenRole + "\"");
            }
            throw e;
        }
        JsonNode data = answer.getResult() == null ? null : answer.getResult().path("data");
        List<String> cidrs = new ArrayList<>();
        for (String field : List.of("token_bound_cidrs", "bound_cidrs")) {
            if (data != null && data.path(field).isArray()) {
                data.path(field).forEach(c -> cidrs.add(c.asText()));
            }
        }
        return cidrs;
    }

    /** The role's token terms as Vault's token-create parameters (issue #4). */
    static VaultAuthTokenCreateTokenParams parameters(IssueRequest request) {
        boolean batch = request.tokenType().equals("batch");
        VaultAuthTokenCreateTokenParams params = new VaultAuthTokenCreateTokenParams()
                .setPolicies(request.policies())
                .setNoDefaultPolicy(request.noDefaultPolicy())
                .setMeta(request.metadata())
                .setDisplayName(request.displayName())
                .setRenewable(!batch);
        if (request.ttl() > 0) {
            params.setTtl(Duration.ofSeconds(request.ttl()));
        }
        long explicitMax = smallerNonZero(request.maxTtl(), request.explicitMaxTtl());
        if (explicitMax > 0) {
            params.setExplicitMaxTtl(Duration.ofSeconds(explicitMax));
        }
        if (request.period() > 0) {
            params.setPeriod(Duration.ofSeconds(request.period()));
        }
        if (request.numUses() > 0) {
            params.setNumUses(request.numUses());
        }
        if (batch) {
            params.setType(VaultTokenType.BATCH);
        }
        if (!request.vaultTokenRole().isEmpty() && request.entityAlias() != null && !request.entityAlias().isEmpty()) {
            // Vault creates (or reuses) one entity per alias and attaches it to the token: templated policies,
            // groups and identity tokens then work. Only with a token role that lists it in allowed_entity_aliases.
            params.setEntityAlias(request.entityAlias());
        }
        return params;
    }

    static long smallerNonZero(long a, long b) {
        if (a <= 0) {
            return Math.max(b, 0);
        }
        return b <= 0 ? a : Math.min(a, b);
    }

    /**
     * The extension's client (its URL, TLS settings and authentication) with an executor that reads answers to a
     * bounded size ({@link BoundedVaultHttpClient}).
     */
    private VaultClient vault() {
        VaultClient ready = bounded;
        if (ready != null) {
            return ready;
        }
        try {
            synchronized (this) {
                if (bounded == null) {
                    var web = MutinyVertxClientFactory.createHttpClient(vertx,
                            vaultConfig.get().getVaultRuntimeConfig(), trustAll);
                    bounded = client.get().configure().executor(new BoundedVaultHttpClient(web)).build();
                }
                return bounded;
            }
        } catch (RuntimeException e) {
            throw ApiException.unavailable("write-through is on but the Vault client is not configured"
                    + " (set QUARKUS_VAULT_URL and its authentication)");
        }
    }

    /** One call to Vault within the timeout; counted by {@code operation} and outcome. */
    private <T> T call(String operation, String what, CompletionStage<T> stage) {
        Duration timeout = settings.vault().timeout();
        String outcome = "failed";
        try {
            T answer = stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            outcome = "ok";
            return answer;
        } catch (TimeoutException e) {
            stage.toCompletableFuture().cancel(true);
            throw new ApiException(503, "Vault did not answer within " + timeout.toSeconds() + "s to " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while asking Vault to " + what);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause());
        } finally {
            registry.counter("alicloud_auth_vault_calls", "operation", operation, "outcome", outcome).increment();
        }
    }

    private static ApiException failure(String what, Throwable cause) {
        String reason;
        if (cause instanceof VaultClientException v && v.getStatus() != null) {
            int status = v.getStatus();
            reason = status == 403 ? "permission denied: check the token and policies the service logs in to Vault with"
                    : status == 503 ? "Vault is sealed or in maintenance"
                    : status == 429 ? "Vault is rate limiting"
                    : status == 400 && v.getErrors() != null && !v.getErrors().isEmpty()
                            // Vault's own words for a request it will not take ("invalid 'entity_alias' value")
                            ? "Vault answered HTTP 400: " + Text.shorten(String.join("; ", v.getErrors()))
                    : "Vault answered HTTP " + status;
        } else if (BoundedVaultHttpClient.TooLarge.in(cause)) {
            reason = "Vault answered with more than " + BoundedVaultHttpClient.MAX_RESPONSE_BYTES + " bytes";
        } else {
            reason = "Vault could not be reached";
        }
        LOG.warnf("write-through: could not %s: %s", what, reason);
        return new ApiException(503, "could not " + what + " in Vault: " + reason, cause);
    }
}
