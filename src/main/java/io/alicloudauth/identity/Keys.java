package io.alicloudauth.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;
import org.jose4j.jwk.PublicJsonWebKey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Text;
import io.alicloudauth.api.Transactions;
import io.alicloudauth.seal.Seal;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Named keys (SPEC §9, {@code identity/oidc/key/:name}): their settings, their key pairs, rotation on schedule (by
 * one instance per key: the key's row is locked and its due time read again under the lock) and on demand. A key
 * pair is made with the {@code next} one beside it, so relying parties hold it before it signs; a rotated key stays
 * published until every token it signed has expired, then its row goes; private parts are sealed, and erased at
 * retirement.
 */
@ApplicationScoped
public class Keys {

    private static final Logger LOG = Logger.getLogger(Keys.class);
    static final String DEFAULT = "default";
    static final long DAY = 86400;
    /** Vault's name rule ({@code framework.GenericNameRegex}). */
    private static final Pattern NAME = Pattern.compile("\\w([\\w.-]{0,126}\\w)?");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PUBLISHED_KEYS_AWS_READS = 100;

    private final EntityManager entities;
    private final Seal seal;
    private final KeyRing ring;

    public Keys(EntityManager entities, Seal seal, KeyRing ring) {
        this.entities = entities;
        this.seal = seal;
        this.ring = ring;
    }

    /** A key as {@code GET identity/oidc/key/:name} shows it. */
    public record KeyView(long rotationPeriod, long verificationTtl, String algorithm, List<String> allowedClientIds) {
    }

    static String checkName(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid " + kind + " name \"" + Text.shorten(String.valueOf(name))
                    + "\": letters, digits and _ . - only (not first or last), at most 128");
        }
        return name;
    }

    public Optional<KeyView> read(String name) {
        return QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(NamedKey.<NamedKey>findById(name))
                .map(k -> new KeyView(k.rotationPeriod, k.verificationTtl, k.algorithm, clientIds(k.allowedClientIds))));
    }

    public List<String> names() {
        return QuarkusTransaction.requiringNew().call(() -> entities
                .createQuery("select k.name from NamedKey k order by k.name", String.class).getResultList());
    }

    boolean exists(String name) {
        return QuarkusTransaction.requiringNew().call(() -> NamedKey.findById(name) != null);
    }

    /**
     * Creates or updates a key: omitted fields keep their values (or take Vault's defaults at create); material is
     * made at create and when the algorithm changes. Returns warnings for relying parties the settings break.
     */
    public List<String> write(String rawName, Body body) {
        String name = checkName("key", rawName);
        Optional<Long> rotation = body.duration("rotation_period");
        Optional<Long> verification = body.duration("verification_ttl");
        Optional<List<String>> clients = body.list("allowed_client_ids");
        Optional<String> algorithm = body.string("algorithm").map(String::trim);
        if (algorithm.isPresent() && !KeyMaterial.ALGORITHMS.contains(algorithm.get())) {
            throw ApiException.badRequest("unknown signing algorithm \"" + Text.shorten(algorithm.get()) + "\"");
        }
        ring.change(() -> {
            long now = Instant.now().getEpochSecond();
            NamedKey key = entities.find(NamedKey.class, name, LockModeType.PESSIMISTIC_WRITE);
            boolean create = key == null;
            if (create) {
                key = new NamedKey();
                key.name = name;
                key.algorithm = "RS256";
                key.rotationPeriod = DAY;
                key.verificationTtl = DAY;
                key.allowedClientIds = "[]";
                key.created = now;
            }
            String oldAlgorithm = create ? null : key.algorithm;
            NamedKey k = key;
            rotation.ifPresent(v -> k.rotationPeriod = v);
            verification.ifPresent(v -> k.verificationTtl = v);
            clients.ifPresent(v -> k.allowedClientIds = json(v));
            algorithm.ifPresent(v -> k.algorithm = v);
            if (k.rotationPeriod < 60) {
                throw ApiException.badRequest("rotation_period must be at least one minute");
            }
            if (k.verificationTtl > 10 * k.rotationPeriod) {
                throw ApiException.badRequest("verification_ttl cannot be longer than 10x rotation_period");
            }
            Long longest = entities.createQuery("select max(r.ttl) from OidcRole r where r.keyName = ?1", Long.class)
                    .setParameter(1, name).getSingleResult();
            if (longest != null && longest > k.verificationTtl) {
                throw ApiException.badRequest("unable to update key \"" + name + "\" because it is currently referenced"
                        + " by one or more roles with a token ttl greater than " + k.verificationTtl + " seconds");
            }
            k.updated = now;
            if (create) {
                k.persist();
            }
            if (create || (k.hasMaterial() && !k.algorithm.equals(oldAlgorithm))) {
                replaceMaterial(k, now);
            } else if (k.hasMaterial() && now + k.rotationPeriod < k.nextRotation) {
                k.nextRotation = now + k.rotationPeriod; // Vault: set only when unset or earlier
            }
            return null;
        });
        return warnings(name);
    }

    /** Deletes a key: never {@code default}, never one a role names (Vault's texts). A missing key is no error. */
    public void delete(String name) {
        if (DEFAULT.equals(name)) {
            throw ApiException.badRequest("deletion of key \"default\" not allowed");
        }
        ring.change(() -> {
            long now = Instant.now().getEpochSecond();
            NamedKey key = entities.find(NamedKey.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (key == null) {
                return null;
            }
            List<String> roles = entities.createQuery("select r.name from OidcRole r where r.keyName = ?1"
                    + " order by r.name", String.class).setParameter(1, name).getResultList();
            if (!roles.isEmpty()) {
                throw ApiException.badRequest("unable to delete key \"" + name + "\" because it is currently referenced"
                        + " by these roles: " + String.join(", ", roles));
            }
            // What it signed stays verifiable: the current pair stays published as long as its tokens may live.
            Long until = key.released == null ? null : key.released + key.verificationTtl;
            for (KeyPair p : pairs(name)) {
                if (KeyPair.CURRENT.equals(p.state) && until != null && until > now) {
                    retire(p, until);
                } else if (!KeyPair.RETIRED.equals(p.state) || until == null) {
                    p.delete();
                }
            }
            key.delete();
            return null;
        });
    }

    /**
     * Rotates now: the current pair retires (published for {@code verificationTtl}, or the key's own; {@code 0}
     * drops it at once), the next one signs, a new next one is made.
     */
    public void rotate(String name, Optional<Long> verificationTtl) {
        ring.change(() -> {
            NamedKey key = entities.find(NamedKey.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (key == null) {
                throw ApiException.badRequest("no named key found at \"" + name + "\"");
            }
            rotate(key, verificationTtl.orElse(key.verificationTtl), Instant.now().getEpochSecond());
            return null;
        });
        LOG.infof("identity: key %s rotated on request", name);
    }

    /** Makes the key's material now if it has none (the default key, when a role first names it). In a transaction. */
    void ensureMaterial(NamedKey key, long now) {
        if (!key.hasMaterial()) {
            replaceMaterial(key, now);
        }
    }

    /** Every key due for rotation is rotated, each by whichever instance locks it first; expired pairs are removed. */
    @Scheduled(every = "${alicloud-auth.identity.rotation-check}", delayed = "${alicloud-auth.identity.rotation-check}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rotateDue() {
        long now = Instant.now().getEpochSecond();
        List<String> due = QuarkusTransaction.requiringNew().call(() -> entities.createQuery(
                "select k.name from NamedKey k where k.nextRotation > 0 and k.nextRotation <= ?1", String.class)
                .setParameter(1, now).getResultList());
        for (String name : due) {
            try {
                boolean rotated = Transactions.write(() -> {
                    NamedKey key = entities.find(NamedKey.class, name, LockModeType.PESSIMISTIC_WRITE);
                    long at = Instant.now().getEpochSecond();
                    if (key == null || !key.hasMaterial() || key.nextRotation > at) {
                        return false; // another instance rotated it first
                    }
                    rotate(key, key.verificationTtl, at);
                    ring.epoch().bump(entities);
                    return true;
                });
                if (rotated) {
                    ring.epoch().changed();
                    LOG.infof("identity: key %s rotated on schedule", name);
                }
            } catch (RuntimeException e) {
                LOG.warnf("identity: rotating key %s failed, tried again at the next check: %s", name, e.toString());
            }
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> entities
                    .createQuery("delete from KeyPair p where p.state = ?1 and p.expireAt <= ?2")
                    .setParameter(1, KeyPair.RETIRED).setParameter(2, now).executeUpdate());
        } catch (RuntimeException e) {
            LOG.warnf("identity: removing expired keys failed, tried again at the next check: %s", e.toString());
        }
    }

    private void rotate(NamedKey key, long verificationTtl, long now) {
        if (!key.hasMaterial()) {
            replaceMaterial(key, now);
        }
        List<KeyPair> pairs = pairs(key.name);
        for (KeyPair p : pairs) {
            if (KeyPair.CURRENT.equals(p.state)) {
                if (verificationTtl <= 0) {
                    p.delete();
                } else {
                    retire(p, now + verificationTtl);
                }
            }
        }
        for (KeyPair p : pairs) {
            if (KeyPair.NEXT.equals(p.state)) {
                p.state = KeyPair.CURRENT;
            }
        }
        entities.flush();
        store(key.name, KeyPair.NEXT, KeyMaterial.generate(key.algorithm), now);
        key.nextRotation = now + key.rotationPeriod;
    }

    /** New current and next pairs (create, algorithm change): the old current retires as rotation would retire it. */
    private void replaceMaterial(NamedKey key, long now) {
        for (KeyPair p : pairs(key.name)) {
            if (KeyPair.CURRENT.equals(p.state)) {
                retire(p, now + key.verificationTtl);
            } else if (KeyPair.NEXT.equals(p.state)) {
                p.delete(); // it never signed anything
            }
        }
        entities.flush();
        store(key.name, KeyPair.CURRENT, KeyMaterial.generate(key.algorithm), now);
        store(key.name, KeyPair.NEXT, KeyMaterial.generate(key.algorithm), now);
        key.nextRotation = now + key.rotationPeriod;
    }

    private static void retire(KeyPair p, long until) {
        p.state = KeyPair.RETIRED;
        p.privateKey = null;
        p.expireAt = until;
    }

    private void store(String keyName, String state, PublicJsonWebKey jwk, long now) {
        KeyPair p = new KeyPair();
        p.kid = jwk.getKeyId();
        p.keyName = keyName;
        p.algorithm = jwk.getAlgorithm();
        p.state = state;
        p.publicJwk = KeyMaterial.publicJson(jwk);
        p.privateKey = seal.seal(KeyMaterial.privateJson(jwk), KeyPair.TABLE, p.kid, KeyPair.PRIVATE_COLUMN);
        p.created = now;
        p.persist();
    }

    private List<KeyPair> pairs(String keyName) {
        return entities.createQuery("from KeyPair p where p.keyName = ?1", KeyPair.class).setParameter(1, keyName)
                .getResultList();
    }

    /** Warnings for relying parties the key's settings break (SPEC §9 extensions; README names them). */
    private List<String> warnings(String name) {
        KeyRing.Snapshot now = ring.current();
        KeyRing.Key key = now.keys().get(name);
        List<String> out = new ArrayList<>();
        if (key == null) {
            return out;
        }
        if (!key.algorithm().equals("RS256") && !key.algorithm().equals("ES256")) {
            out.add("algorithm " + key.algorithm() + ": GCP workload identity federation accepts only RS256 and ES256");
        }
        if (!key.algorithm().equals("RS256")) {
            out.add("algorithm " + key.algorithm() + ": Azure federated credentials and Alibaba RAM OIDC providers"
                    + " are documented for RS256 only");
        }
        long published = 0;
        for (KeyRing.Key k : now.keys().values()) {
            // current + next + one retired pair per rotation that a verification_ttl keeps published
            published += 2 + (k.verificationTtl() + k.rotationPeriod() - 1) / k.rotationPeriod();
        }
        if (published > PUBLISHED_KEYS_AWS_READS) {
            out.add("the JWKS may hold up to " + published + " keys: AWS IAM reads at most "
                    + PUBLISHED_KEYS_AWS_READS);
        }
        return out;
    }

    static List<String> clientIds(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("allowed_client_ids does not parse", e);
        }
    }

    private static String json(List<String> items) {
        try {
            return JSON.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> view(KeyView k) {
        return Map.of("rotation_period", k.rotationPeriod(), "verification_ttl", k.verificationTtl(), "algorithm",
                k.algorithm(), "allowed_client_ids", k.allowedClientIds());
    }
}
