package io.alicloudauth.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.login.CallerArn;
import io.alicloudauth.policy.Templates;
import io.alicloudauth.token.Token;
import io.alicloudauth.token.TokenService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Minting and checking identity tokens (SPEC §9), from the key ring in memory: no database read beyond the epoch.
 * Claims as Vault's ({@code iss}, {@code sub}, {@code aud}, {@code iat}, {@code exp}, {@code namespace}, the
 * template's), plus {@code nbf} and {@code jti} unless the template sets them; header {@code alg}, {@code kid},
 * {@code typ: JWT}.
 */
@ApplicationScoped
public class IdentityTokens {

    private static final Logger LOG = Logger.getLogger(IdentityTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Clock skew allowed for {@code iat} and {@code nbf} (go-jose's default); {@code exp} is taken as written. */
    private static final long LEEWAY = 60;
    static final String NO_ISSUER = "no issuer for identity tokens: set \"issuer\" in identity/oidc/config, or"
            + " ALICLOUD_AUTH_API_ADDR";

    private final KeyRing ring;
    private final Counter minted;
    private final Counter refused;

    public IdentityTokens(KeyRing ring, MeterRegistry registry) {
        this.ring = ring;
        this.minted = registry.counter("alicloud_auth_identity_tokens_issued");
        this.refused = registry.counter("alicloud_auth_identity_tokens_refused");
    }

    /** What {@code GET identity/oidc/token/:name} answers: its data and warnings. */
    public record Minted(String clientId, String token, long ttl, List<String> warnings) {
    }

    /** A token for the caller's entity from role {@code roleName}, with Vault's checks in Vault's order. */
    public Minted mint(TokenService.Session session, String roleName) {
        try {
            Minted m = mintChecked(session, roleName);
            minted.increment();
            return m;
        } catch (ApiException e) {
            refused.increment();
            throw e;
        }
    }

    private Minted mintChecked(TokenService.Session session, String roleName) {
        KeyRing.Snapshot now = ring.current();
        KeyRing.Role role = now.roles().get(roleName);
        if (role == null) {
            throw ApiException.badRequest("role \"" + roleName + "\" not found");
        }
        KeyRing.Key key = now.keys().get(role.keyName());
        if (key == null) {
            throw ApiException.badRequest("key \"" + role.keyName() + "\" not found");
        }
        if (!key.allows(role.clientId())) {
            throw ApiException.badRequest("the key \"" + role.keyName() + "\" does not list the client ID of the role \""
                    + roleName + "\" as an allowed client ID");
        }
        Token token = session.root() ? null : session.token();
        if (token == null || token.entityId == null || token.entityId.isEmpty()) {
            throw ApiException.badRequest("no entity associated with the request's token");
        }
        String issuer = now.issuer().orElseThrow(() -> ApiException.badRequest(NO_ISSUER));
        PublicJsonWebKey signer = now.signers().get(key.name());
        if (signer == null) {
            throw ApiException.unavailable("key \"" + key.name() + "\" has no signing material yet, try again later");
        }
        List<String> warnings = new ArrayList<>();
        long expiry = role.ttl();
        if (expiry > key.verificationTtl()) {
            expiry = key.verificationTtl();
            warnings.add("a role's token ttl cannot be longer than the verification_ttl of the key it references,"
                    + " setting token ttl to " + expiry + " seconds");
        }
        long iat = Instant.now().getEpochSecond();
        Templates.Identity identity = Templates.Identity.of(token);
        // Go's encoder sorts a map's keys: Vault's claims come out in this order.
        Map<String, Object> claims = new TreeMap<>();
        claims.put("nbf", iat);
        claims.put("jti", UUID.randomUUID().toString());
        try {
            claims.putAll(ClaimTemplate.claimsFor(role.template(), identity, iat));
        } catch (ClaimTemplate.TemplateException e) {
            // Vault: a template failing at issuance is logged, and the token carries the base claims only.
            LOG.warnf("identity: role %s: the template gave no claims: %s", roleName, e.getMessage());
        }
        claims.put("iss", issuer);
        claims.put("namespace", "root");
        claims.put("sub", subject(role.subjectSource(), token, identity));
        claims.put("aud", role.clientId());
        claims.put("iat", iat);
        claims.put("exp", iat + expiry);
        String payload;
        try {
            payload = JSON.writeValueAsString(claims);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Minted(role.clientId(), KeyMaterial.sign(payload, signer), role.ttl(), warnings);
    }

    /** The subject a role's {@code subject_source} names (SPEC §9). */
    static String subject(String source, Token token, Templates.Identity identity) {
        switch (source) {
            case "role_arn": {
                String arn = identity.aliasMetadata().getOrDefault("arn", "");
                try {
                    CallerArn caller = CallerArn.parse(arn);
                    return caller.kind() == CallerArn.Kind.ASSUMED_ROLE ? caller.roleArn() : caller.full();
                } catch (RuntimeException e) {
                    throw ApiException.badRequest("subject_source role_arn: the token carries no caller arn");
                }
            }
            case "alias":
                if (identity.aliasName().isEmpty()) {
                    throw ApiException.badRequest("subject_source alias: the token carries no alias");
                }
                return identity.aliasName();
            default:
                return token.entityId;
        }
    }

    /** {@code POST identity/oidc/introspect}: Vault's raw answer, {@code active} and the reason when not. */
    public Map<String, Object> introspect(String token, String clientId) {
        KeyRing.Snapshot now = ring.current();
        JsonWebSignature jws;
        String kid;
        try {
            jws = KeyMaterial.parseJws(token);
            kid = jws.getKeyIdHeaderValue();
        } catch (JoseException e) {
            return inactive("error parsing token: " + e.getMessage());
        }
        boolean valid = false;
        for (PublicJsonWebKey key : now.published()) {
            if ((kid == null || kid.equals(key.getKeyId())) && KeyMaterial.verifies(jws, key)) {
                valid = true;
                break;
            }
        }
        if (!valid) {
            return inactive("unable to validate the token signature");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(jws.getUnverifiedPayload());
        } catch (JsonProcessingException e) {
            return inactive("error parsing token: the payload is not a JSON object");
        }
        if (claims == null || !claims.isObject()) {
            return inactive("error parsing token: the payload is not a JSON object");
        }
        String problem = claimsProblem(claims, now.issuer().orElse(null), clientId,
                Instant.now().getEpochSecond());
        if (problem != null) {
            return inactive("error validating claims: " + problem);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        return out;
    }

    /** What is wrong with verified claims (go-jose's texts), or null. */
    static String claimsProblem(JsonNode claims, String issuer, String clientId, long now) {
        String prefix = "go-jose/go-jose/jwt: validation failed, ";
        if (issuer == null || !issuer.equals(claims.path("iss").asText(null))) {
            return prefix + "invalid issuer claim (iss)";
        }
        if (clientId != null && !clientId.isEmpty() && !audience(claims.get("aud")).contains(clientId)) {
            return prefix + "invalid audience claim (aud)";
        }
        if (claims.has("nbf") && now + LEEWAY < claims.path("nbf").asLong()) {
            return prefix + "token not valid yet (nbf)";
        }
        if (!claims.path("exp").canConvertToLong() || now >= claims.path("exp").asLong()) {
            return prefix + "token is expired (exp)";
        }
        if (claims.has("iat") && now + LEEWAY < claims.path("iat").asLong()) {
            return prefix + "token issued in the future (iat)";
        }
        return null;
    }

    private static List<String> audience(JsonNode aud) {
        List<String> out = new ArrayList<>();
        if (aud == null) {
            return out;
        }
        if (aud.isTextual()) {
            out.add(aud.asText());
        } else if (aud.isArray()) {
            aud.forEach(a -> out.add(a.asText()));
        }
        return out;
    }

    private static Map<String, Object> inactive(String error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", false);
        out.put("error", error);
        return out;
    }

    /** The JWKS document as text, and how long a relying party may cache it (0: do not). */
    public record Published(String jwks, long maxAgeBound) {
    }

    public Published published() {
        KeyRing.Snapshot now = ring.current();
        return new Published(now.jwks(), now.cacheSeconds());
    }

    /** The discovery document (as Vault's); a 400 while no issuer is known. */
    public Map<String, Object> discovery() {
        String issuer = ring.current().issuer().orElseThrow(() -> ApiException.badRequest(NO_ISSUER));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("issuer", issuer);
        out.put("jwks_uri", issuer + "/.well-known/keys");
        out.put("response_types_supported", List.of("id_token"));
        out.put("subject_types_supported", List.of("public"));
        out.put("id_token_signing_alg_values_supported", KeyMaterial.ALGORITHMS);
        return out;
    }
}
