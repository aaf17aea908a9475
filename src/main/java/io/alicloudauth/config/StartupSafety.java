package io.alicloudauth.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * With {@code alicloud-auth.strict} (the packaged service's default), refuses to start on a configuration that would
 * leak tokens or send identity requests in clear text, and says what to fix:
 * <ul>
 * <li>write-through on without {@code QUARKUS_VAULT_URL};</li>
 * <li>write-through to a plain-http Vault that is not on loopback (minted tokens would cross the network in
 * clear);</li>
 * <li>a stored {@code sts_endpoint} that is plain http to a non-loopback host (written by hand or by an older
 * version);</li>
 * <li>proxy address forwarding without trusted proxies (anyone could choose their client address).</li>
 * </ul>
 */
@ApplicationScoped
public class StartupSafety {

    private final AuthSettings settings;
    private final Optional<String> vaultUrl;
    private final boolean forwarding;
    private final Optional<List<String>> trustedProxies;
    private final ConfigService config;

    public StartupSafety(AuthSettings settings, @ConfigProperty(name = "quarkus.vault.url") Optional<String> vaultUrl,
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false") boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trustedProxies,
            ConfigService config) {
        this.settings = settings;
        this.vaultUrl = vaultUrl;
        this.forwarding = forwarding;
        this.trustedProxies = trustedProxies;
        this.config = config;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (!settings.strict()) {
            return;
        }
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("alicloud-auth refuses to start on an unsafe configuration: "
                    + String.join("; ", problems)
                    + ". (ALICLOUD_AUTH_STRICT=false starts it anyway, for repairs only.)");
        }
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (settings.vault().enabled()) {
            String url = vaultUrl.map(String::trim).orElse("");
            if (url.isEmpty()) {
                problems.add("ALICLOUD_AUTH_VAULT_ENABLED=true but QUARKUS_VAULT_URL is not set");
            } else if (isPlainHttpOffLoopback(url)) {
                problems.add("QUARKUS_VAULT_URL " + url + " is plain http to a host that is not loopback: use https");
            }
        }
        if (forwarding && trustedProxies.map(l -> l.stream().allMatch(String::isBlank)).orElse(true)) {
            problems.add("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true without QUARKUS_HTTP_PROXY_TRUSTED_PROXIES:"
                    + " name the proxies (IP addresses or CIDR blocks) whose forwarded headers may be believed");
        }
        String endpoint = config.current().stsEndpoint();
        if (!endpoint.isEmpty() && StsEndpoint.problem(endpoint) != null) {
            problems.add("the stored sts_endpoint " + endpoint + " " + StsEndpoint.problem(endpoint)
                    + ": write a safe one with vault write auth/alicloud/config sts_endpoint=...");
        }
        return problems;
    }

    private static boolean isPlainHttpOffLoopback(String url) {
        try {
            URI uri = URI.create(url);
            return "http".equalsIgnoreCase(uri.getScheme())
                    && (uri.getHost() == null || !StsEndpoint.isLoopback(uri.getHost()));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
