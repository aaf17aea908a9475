package io.alicloudauth.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.agroal.api.AgroalDataSource;
import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Epoch;
import io.alicloudauth.api.Text;
import io.alicloudauth.api.Transactions;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The ACL policies (SPEC §8): stored as written, {@code root} built in and read-only, {@code default} shipped and
 * never deleted. A token's {@link Acl} is compiled from its policies and cached; the cache holds only while the
 * database's policy epoch (bumped by every write, on any instance) is the one it was built at, and the epoch is
 * read for every decision: a policy changed on one instance governs the next request on every other.
 */
@ApplicationScoped
public class PolicyStore implements EntryExistence {

    static final String ROOT = "root";
    static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[\\w.@+-]{1,128}");
    private static final int MAX_CACHED = 10_000;

    private final EntityManager entities;
    /** Bumped by every policy write, on any instance; read for every decision when the database is shared. */
    private final Epoch epoch;
    /** Parsed rules of every stored policy, at the epoch they were read at. */
    private record Snapshot(long epoch, Map<String, List<PathRule>> rules) {
    }

    private volatile Snapshot snapshot = new Snapshot(-1, Map.of());
    private final Map<CacheKey, Acl> compiled = new ConcurrentHashMap<>();

    public PolicyStore(AgroalDataSource dataSource, EntityManager entities,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl) {
        this.entities = entities;
        this.epoch = new Epoch(dataSource, jdbcUrl, "policy_epoch");
    }

    /** A policy's name as stored: trimmed, lowercased, checked; a 400 otherwise. */
    public static String normaliseName(String name) {
        String lower = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(lower).matches()) {
            throw ApiException.badRequest("invalid policy name \"" + Text.shorten(lower)
                    + "\": letters, digits and _ . @ + - only, at most 128");
        }
        return lower;
    }

    /** The text of a policy, as written; {@code root} has an empty one. */
    public Optional<String> read(String name) {
        String key = normaliseName(name);
        if (key.equals(ROOT)) {
            return Optional.of("");
        }
        return QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(AclPolicy.<AclPolicy>findById(key))
                .map(p -> p.policy));
    }

    /** Every stored policy's name, sorted ({@code root} is not stored). */
    public List<String> names() {
        return QuarkusTransaction.requiringNew().call(() -> entities
                .createQuery("select p.name from AclPolicy p order by p.name", String.class).getResultList());
    }

    /**
     * Stores a policy: the text must parse (a 400 saying where otherwise, and nothing is stored). Vault's API also
     * takes the text base64-encoded; it is stored decoded.
     */
    public void write(String name, String text) {
        String key = normaliseName(name);
        if (key.equals(ROOT)) {
            throw ApiException.badRequest("cannot update root policy");
        }
        String policy = decodedIfBase64(text);
        PolicyParser.parse(policy);
        long now = Instant.now().getEpochSecond();
        Transactions.write(() -> {
            AclPolicy row = AclPolicy.findById(key);
            if (row == null) {
                row = new AclPolicy();
                row.name = key;
                row.created = now;
                row.policy = policy;
                row.updated = now;
                row.persist();
            } else {
                row.policy = policy;
                row.updated = now;
            }
            bumpEpoch();
            return row;
        });
        epoch.changed();
        compiled.clear();
    }

    /** Deletes a policy; {@code root} and {@code default} cannot be. A missing policy is no error (as Vault). */
    public void delete(String name) {
        String key = normaliseName(name);
        if (key.equals(ROOT)) {
            throw ApiException.badRequest("cannot delete root policy");
        }
        if (key.equals(DEFAULT)) {
            throw ApiException.badRequest("cannot delete default policy");
        }
        Transactions.write(() -> {
            if (AclPolicy.deleteById(key)) {
                bumpEpoch();
            }
            return null;
        });
        epoch.changed();
        compiled.clear();
    }

    private void bumpEpoch() {
        epoch.bump(entities);
    }

    @Override
    public Optional<Boolean> exists(String path) {
        for (String prefix : List.of("sys/policies/acl/", "sys/policy/")) {
            if (path.startsWith(prefix) && path.length() > prefix.length()) {
                String name = path.substring(prefix.length()).toLowerCase(Locale.ROOT);
                return Optional.of(name.equals(ROOT) || QuarkusTransaction.requiringNew()
                        .call(() -> AclPolicy.findById(name) != null));
            }
        }
        return Optional.empty();
    }

    /**
     * The ACL of a token's policies ({@code joined}: their names, comma-separated, as a token keeps them), its
     * templates filled from {@code identity} (asked only when a policy is templated). A name without a stored policy
     * grants nothing. A store outage is a 503, never an allow.
     */
    public Acl aclFor(String joined, Supplier<Templates.Identity> identity) {
        Snapshot now = current();
        // Keyed by the epoch too: an ACL compiled from older rules while the epoch moved is never served after it.
        CacheKey plain = new CacheKey(now.epoch(), joined, null);
        Acl acl = compiled.get(plain);
        if (acl != null) {
            return acl;
        }
        List<String> names = joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
        boolean templated = names.stream().anyMatch(n -> now.rules().getOrDefault(n, List.of()).stream()
                .anyMatch(PathRule::templated));
        Templates.Identity id = templated ? identity.get() : null;
        CacheKey key = templated ? new CacheKey(now.epoch(), joined, id) : plain;
        acl = compiled.get(key);
        if (acl == null) {
            List<PathRule> filled = new ArrayList<>();
            for (String name : names) {
                for (PathRule r : now.rules().getOrDefault(name, List.of())) {
                    if (!r.templated()) {
                        filled.add(r);
                    } else {
                        Templates.fill(r.pattern(), id).ifPresent(p -> filled.add(new PathRule(p, r.capabilities(), false)));
                    }
                }
            }
            acl = Acl.of(filled);
            if (compiled.size() >= MAX_CACHED) {
                compiled.clear();
            }
            compiled.put(key, acl); // a templated set: one entry per identity
        }
        return acl;
    }

    /** A compiled ACL's key: the epoch, the policy names, and for templated policies the identity filled in. */
    private record CacheKey(long epoch, String policies, Templates.Identity identity) {
    }

    /** The parsed policies at the database's epoch, re-read when another write (here or elsewhere) moved it. */
    private Snapshot current() {
        long stored = epoch.current();
        Snapshot seen = snapshot;
        if (stored == seen.epoch()) {
            return seen;
        }
        synchronized (this) {
            if (stored == snapshot.epoch()) {
                return snapshot;
            }
            Map<String, List<PathRule>> fresh = new HashMap<>();
            List<AclPolicy> all = QuarkusTransaction.requiringNew().call(() -> AclPolicy.<AclPolicy>listAll());
            for (AclPolicy p : all) {
                fresh.put(p.name, PolicyParser.parse(p.policy));
            }
            compiled.clear();
            // Read after the epoch: at worst these rules are newer than it, and the next request reads them again.
            snapshot = new Snapshot(stored, Map.copyOf(fresh));
            return snapshot;
        }
    }

    /** Vault's API takes a policy base64-encoded too: text that is valid base64 of UTF-8 is decoded. */
    static String decodedIfBase64(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.contains(" ") || trimmed.contains("\n") || trimmed.contains("\"")) {
            return text;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(trimmed);
            String decoded = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
            return java.util.Arrays.equals(decoded.getBytes(java.nio.charset.StandardCharsets.UTF_8), raw) ? decoded : text;
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
