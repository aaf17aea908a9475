package io.alicloudauth.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.PublicJsonWebKey;

import io.agroal.api.AgroalDataSource;
import io.alicloudauth.api.Epoch;
import io.alicloudauth.api.Transactions;
import io.alicloudauth.config.AuthSettings;
import io.alicloudauth.seal.Seal;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Everything identity tokens are made and checked with, held in memory (SPEC §9): the effective issuer, the named
 * keys and roles, each key's current signer (opened from the seal), and the JWKS and discovery documents as text.
 * It is rebuilt when the identity epoch moves (any write, on any instance: read from the database per request when it
 * is shared) and when a published key's time is up, so no request serves a key set older than the last write.
 */
@ApplicationScoped
public class KeyRing {

    /** A named key's settings, as tokens use them. */
    record Key(String name, String algorithm, long rotationPeriod, long verificationTtl, List<String> allowedClientIds) {

        boolean allows(String clientId) {
            return allowedClientIds.contains("*") || allowedClientIds.contains(clientId);
        }
    }

    /** A role's settings, as tokens use them. */
    record Role(String name, String keyName, String template, String clientId, long ttl, String subjectSource) {
    }

    /** The state at one epoch; {@code validUntil}: when a published key's time is up and it must be rebuilt. */
    record Snapshot(long epoch, long validUntil, Optional<String> issuer, Map<String, Key> keys,
            Map<String, Role> roles, Map<String, PublicJsonWebKey> signers, List<PublicJsonWebKey> published,
            String jwks, long cacheSeconds) {
    }

    private final EntityManager entities;
    private final Seal seal;
    private final AuthSettings settings;
    private final Epoch epoch;
    private volatile Snapshot snapshot = new Snapshot(-1, 0, Optional.empty(), Map.of(), Map.of(), Map.of(),
            List.of(), "{\"keys\":[]}", 0);

    public KeyRing(EntityManager entities, Seal seal, AuthSettings settings, AgroalDataSource dataSource,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
        this.entities = entities;
        this.seal = seal;
        this.settings = settings;
        this.epoch = new Epoch(dataSource, jdbcUrl, "oidc_epoch");
    }

    Epoch epoch() {
        return epoch;
    }

    /**
     * A write to identity state: its own transaction (tried again on a conflict), the epoch bumped in it, so that every
     * instance, this one included, rebuilds from the next request on.
     */
    <T> T change(Supplier<T> work) {
        T result = Transactions.write(() -> {
            T r = work.get();
            epoch.bump(entities);
            return r;
        });
        epoch.changed();
        return result;
    }

    /** The state now: the one in memory while nothing changed, rebuilt otherwise. */
    Snapshot current() {
        long stored = epoch.current();
        long now = Instant.now().getEpochSecond();
        Snapshot seen = snapshot;
        if (stored == seen.epoch() && now < seen.validUntil()) {
            return seen;
        }
        synchronized (this) {
            seen = snapshot;
            if (stored == seen.epoch() && now < seen.validUntil()) {
                return seen;
            }
            // Read after the epoch: at worst this state is newer than it, and the next request reads it again.
            snapshot = QuarkusTransaction.requiringNew().call(() -> build(stored, now));
            return snapshot;
        }
    }

    /** The issuer tokens carry: (the configured one, else the api address) + {@code /v1/identity/oidc}. */
    static Optional<String> effectiveIssuer(String configured, Optional<String> apiAddr) {
        String base = configured != null && !configured.isEmpty() ? configured
                : apiAddr.map(String::trim).filter(a -> !a.isEmpty()).orElse(null);
        if (base == null) {
            return Optional.empty();
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return Optional.of(base + "/v1/identity/oidc");
    }

    private Snapshot build(long at, long now) {
        IssuerConfig config = IssuerConfig.findById(1);
        Optional<String> issuer = effectiveIssuer(config == null ? "" : config.issuer, settings.apiAddr());
        Map<String, Key> keys = new HashMap<>();
        Map<String, NamedKey> rows = new HashMap<>();
        for (NamedKey k : NamedKey.<NamedKey>listAll()) {
            rows.put(k.name, k);
            keys.put(k.name, new Key(k.name, k.algorithm, k.rotationPeriod, k.verificationTtl,
                    Keys.clientIds(k.allowedClientIds)));
        }
        Map<String, Role> roles = new HashMap<>();
        Set<String> referenced = new HashSet<>();
        for (OidcRole r : OidcRole.<OidcRole>listAll()) {
            roles.put(r.name, new Role(r.name, r.keyName, r.template, r.clientId, r.ttl, r.subjectSource));
            referenced.add(r.keyName);
        }
        long validUntil = Long.MAX_VALUE;
        Set<String> publishedKeys = new HashSet<>();
        for (NamedKey k : rows.values()) {
            if (referenced.contains(k.name)) {
                publishedKeys.add(k.name);
            } else if (k.released != null && k.released + k.verificationTtl > now) {
                publishedKeys.add(k.name); // tokens it signed may still be live
                validUntil = Math.min(validUntil, k.released + k.verificationTtl);
            }
        }
        Map<String, PublicJsonWebKey> signers = new HashMap<>();
        List<PublicJsonWebKey> published = new ArrayList<>();
        List<KeyPair> pairs = entities.createQuery("from KeyPair p order by p.keyName, p.created, p.kid",
                KeyPair.class).getResultList();
        for (KeyPair p : pairs) {
            boolean show;
            if (KeyPair.RETIRED.equals(p.state)) {
                show = p.expireAt != null && p.expireAt > now
                        && (!rows.containsKey(p.keyName) || publishedKeys.contains(p.keyName));
                if (show) {
                    validUntil = Math.min(validUntil, p.expireAt);
                }
            } else {
                show = publishedKeys.contains(p.keyName);
            }
            if (KeyPair.CURRENT.equals(p.state) && p.privateKey != null) {
                signers.put(p.keyName, KeyMaterial.parse(seal.openText(p.privateKey, KeyPair.TABLE, p.kid,
                        KeyPair.PRIVATE_COLUMN)));
            }
            if (show) {
                published.add(KeyMaterial.parse(p.publicJwk));
            }
        }
        published.sort(Comparator.comparing(PublicJsonWebKey::getKeyId)); // order carries nothing
        StringBuilder jwks = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < published.size(); i++) {
            jwks.append(i == 0 ? "" : ",").append(KeyMaterial.publicJson(published.get(i)));
        }
        jwks.append("]}");
        long cache = Long.MAX_VALUE;
        for (String name : publishedKeys) {
            Key k = keys.get(name);
            cache = Math.min(cache, Math.min(k.rotationPeriod(), k.verificationTtl()));
        }
        return new Snapshot(at, validUntil, issuer, Map.copyOf(keys), Map.copyOf(roles), Map.copyOf(signers),
                List.copyOf(published), jwks.toString(), published.isEmpty() ? 0 : cache);
    }
}
