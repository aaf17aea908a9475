package io.alicloudauth.identity;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Text;
import io.alicloudauth.config.AuthSettings;
import io.quarkus.runtime.StartupEvent;

/**
 * {@code ALICLOUD_AUTH_API_ADDR} is the default issuer of identity tokens (SPEC §9), so it is held to the rule an
 * issuer written to {@code identity/oidc/config} is held to ({@link Issuer#check}), at start: a strict start refuses
 * an address that is not one, a lenient one warns. Otherwise tokens would name an issuer no relying party can reach,
 * and nothing would say so until one refused them.
 */
@ApplicationScoped
public class ApiAddrCheck {

    private static final Logger LOG = Logger.getLogger(ApiAddrCheck.class);

    private final AuthSettings settings;

    public ApiAddrCheck(AuthSettings settings) {
        this.settings = settings;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        Optional<String> problem = problem(settings.apiAddr());
        if (problem.isEmpty()) {
            return;
        }
        if (settings.strict()) {
            throw new IllegalStateException("alicloud-auth refuses to start: " + problem.get()
                    + ". (ALICLOUD_AUTH_STRICT=false starts it anyway, for repairs only.)");
        }
        LOG.warn(problem.get());
    }

    /** What is wrong with this api_addr as an issuer; empty when it is unset or valid. */
    static Optional<String> problem(Optional<String> apiAddr) {
        String value = apiAddr.map(String::trim).orElse("");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            Issuer.check(value);
            return Optional.empty();
        } catch (ApiException e) {
            // A user:password before the host is refused, and not repeated: everything up to the last @ is hidden,
            // with or without a scheme in front, whatever the password holds (a / or an @ too).
            String shown = Text.shorten(value.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)?.*@", "$1...@"));
            return Optional.of("ALICLOUD_AUTH_API_ADDR " + shown + " is not an address identity tokens"
                    + " can name as their issuer: it must include only a scheme (http or https), host, optional port"
                    + " and optional path, e.g. https://auth.example.com");
        }
    }
}
