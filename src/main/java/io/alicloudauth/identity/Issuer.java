package io.alicloudauth.identity;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Text;
import io.alicloudauth.config.AuthSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * {@code identity/oidc/config} (SPEC §9): the issuer. Vault takes {@code scheme://host[:port]}; we also take a path
 * (an issuer behind a path-routing proxy). Tokens carry it with {@code /v1/identity/oidc} appended.
 */
@ApplicationScoped
public class Issuer {

    static final String EXPLICIT_WARNING = "If \"issuer\" is set explicitly, all tokens must be validated against that"
            + " address, including those issued by secondary clusters. Setting issuer to \"\" will restore the default"
            + " behavior of using the cluster's api_addr as the issuer.";
    static final String UNREACHABLE_WARNING = "Both \"issuer\" and alicloud-auth's \"api_addr\""
            + " (ALICLOUD_AUTH_API_ADDR) are empty. The issuer claim in generated tokens will not be network reachable.";

    private final AuthSettings settings;
    private final KeyRing ring;

    public Issuer(AuthSettings settings, KeyRing ring) {
        this.settings = settings;
        this.ring = ring;
    }

    public String configured() {
        return QuarkusTransaction.requiringNew().call(() -> {
            IssuerConfig c = IssuerConfig.findById(1);
            return c == null ? "" : c.issuer;
        });
    }

    /** Warnings a read carries: none, unless no issuer can be derived at all. */
    public List<String> readWarnings(String configured) {
        return configured.isEmpty() && settings.apiAddr().filter(a -> !a.isBlank()).isEmpty()
                ? List.of(UNREACHABLE_WARNING) : List.of();
    }

    /** Stores the issuer ({@code ""} restores the default); returns Vault's warning and ours for relying parties. */
    public List<String> write(String issuer) {
        String value = issuer.trim();
        if (!value.isEmpty()) {
            value = check(value);
        }
        String stored = value;
        ring.change(() -> {
            IssuerConfig c = IssuerConfig.findById(1);
            c.issuer = stored;
            return null;
        });
        List<String> warnings = new ArrayList<>();
        if (!stored.isEmpty()) {
            warnings.add(EXPLICIT_WARNING);
        }
        KeyRing.effectiveIssuer(stored, settings.apiAddr()).ifPresent(e -> warnings.addAll(relyingParties(e)));
        return warnings;
    }

    /** What the relying parties the README names would refuse about this effective issuer. */
    static List<String> relyingParties(String effective) {
        List<String> out = new ArrayList<>();
        URI uri;
        try {
            uri = URI.create(effective);
        } catch (IllegalArgumentException e) { // from ALICLOUD_AUTH_API_ADDR on a lenient start (ApiAddrCheck)
            return List.of("issuer " + Text.shorten(effective) + " is not a URL: relying parties cannot fetch its keys");
        }
        if (!"https".equals(uri.getScheme())) {
            out.add("issuer " + effective + " is not https: AWS IAM, GCP, Azure, Alibaba RAM and Kubernetes accept"
                    + " only https issuers");
        }
        if (uri.getPort() != -1) {
            out.add("issuer " + effective + " has a port: AWS IAM says the provider URL should not contain one"
                    + " (serve the two .well-known paths at port 443)");
        }
        if (effective.length() > 255) {
            out.add("issuer is " + effective.length() + " characters: Alibaba RAM OIDC providers take at most 255");
        }
        return out;
    }

    /** {@code scheme://host[:port][/path]}, http or https, nothing else; a trailing {@code /} dropped. */
    static String check(String issuer) {
        String invalid = "invalid issuer, which must include only a scheme, host, optional port and optional path"
                + " (e.g. https://example.com:8200 or https://example.com/auth)";
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest(invalid);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || issuer.contains("?") || issuer.contains("#") || issuer.length() > 512) {
            throw ApiException.badRequest(invalid + ": " + Text.shorten(issuer));
        }
        String path = Optional.ofNullable(uri.getRawPath()).orElse("");
        if (path.contains("//") || path.contains("/./") || path.contains("/../") || path.endsWith("/..")
                || path.endsWith("/.")) {
            throw ApiException.badRequest(invalid + ": " + Text.shorten(issuer));
        }
        String out = issuer;
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
