package io.alicloudauth.identity;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Text;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Identity-token roles (SPEC §9, {@code identity/oidc/role/:name}): the key that signs, the audience
 * ({@code client_id}, generated once when not given), the claim template, the lifetime (never beyond the key's
 * {@code verification_ttl}, so no token outlives its key's publication) and, as our extension, the subject.
 */
@ApplicationScoped
public class OidcRoles {

    static final Set<String> SUBJECT_SOURCES = Set.of("entity_id", "role_arn", "alias");
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long GCP_MAX_LIFETIME = 24 * 3600;

    private final EntityManager entities;
    private final Keys keys;
    private final KeyRing ring;

    public OidcRoles(EntityManager entities, Keys keys, KeyRing ring) {
        this.entities = entities;
        this.keys = keys;
        this.ring = ring;
    }

    public Optional<Map<String, Object>> read(String name) {
        return QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(OidcRole.<OidcRole>findById(name))
                .map(r -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("client_id", r.clientId);
                    data.put("key", r.keyName);
                    data.put("template", r.template);
                    data.put("ttl", r.ttl);
                    data.put("subject_source", r.subjectSource);
                    return data;
                }));
    }

    public List<String> names() {
        return QuarkusTransaction.requiringNew().call(() -> entities
                .createQuery("select r.name from OidcRole r order by r.name", String.class).getResultList());
    }

    boolean exists(String name) {
        return QuarkusTransaction.requiringNew().call(() -> OidcRole.findById(name) != null);
    }

    /** Creates or updates a role, with Vault's checks in Vault's order; returns warnings for relying parties. */
    public List<String> write(String rawName, Body body) {
        String name = Keys.checkName("role", rawName);
        Optional<String> keyField = body.string("key").map(String::trim);
        Optional<String> templateField = body.string("template");
        Optional<Long> ttlField = body.duration("ttl");
        Optional<String> clientField = body.string("client_id").map(String::trim);
        Optional<String> subjectField = body.string("subject_source").map(String::trim);
        if (subjectField.isPresent() && !SUBJECT_SOURCES.contains(subjectField.get())) {
            throw Body.invalid("subject_source", "\"" + Text.shorten(subjectField.get())
                    + "\" is not one of entity_id, role_arn, alias");
        }
        if (clientField.isPresent() && clientField.get().length() > 255) {
            throw Body.invalid("client_id", "at most 255 characters (AWS IAM's limit for an audience)");
        }
        String template = templateField.map(ClaimTemplate::check).orElse(null);
        long ttl = ring.change(() -> {
            long now = Instant.now().getEpochSecond();
            OidcRole role = entities.find(OidcRole.class, name, LockModeType.PESSIMISTIC_WRITE);
            boolean create = role == null;
            String previousKey = create ? null : role.keyName;
            if (create) {
                role = new OidcRole();
                role.name = name;
                role.template = "";
                role.ttl = Keys.DAY;
                role.subjectSource = "entity_id";
                role.created = now;
            }
            OidcRole r = role;
            keyField.ifPresent(k -> r.keyName = k);
            if (r.keyName == null || r.keyName.isEmpty()) {
                throw ApiException.badRequest("the key parameter is required");
            }
            if (template != null) {
                r.template = template;
            }
            ttlField.ifPresent(t -> r.ttl = t);
            NamedKey key = entities.find(NamedKey.class, r.keyName, LockModeType.PESSIMISTIC_WRITE);
            if (key == null) {
                throw ApiException.badRequest("cannot find key \"" + Text.shorten(r.keyName) + "\"");
            }
            if (r.ttl > key.verificationTtl) {
                throw ApiException.badRequest("a role's token ttl cannot be longer than the verification_ttl of the"
                        + " key it references");
            }
            clientField.filter(c -> !c.isEmpty()).ifPresent(c -> r.clientId = c);
            if (r.clientId == null || r.clientId.isEmpty()) {
                r.clientId = clientId();
            }
            subjectField.ifPresent(s -> r.subjectSource = s);
            r.updated = now;
            keys.ensureMaterial(key, now);
            key.released = null;
            if (create) {
                r.persist();
            }
            entities.flush();
            if (previousKey != null && !previousKey.equals(r.keyName)) {
                release(previousKey, now);
            }
            return r.ttl;
        });
        List<String> warnings = new ArrayList<>();
        if (ttl > GCP_MAX_LIFETIME) {
            warnings.add("ttl " + ttl + "s: GCP workload identity federation refuses tokens whose exp - iat is"
                    + " over 24 hours");
        }
        return warnings;
    }

    /** Deletes a role (no error when missing, as Vault); its key stays published while what it signed may live. */
    public void delete(String name) {
        ring.change(() -> {
            OidcRole role = entities.find(OidcRole.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (role == null) {
                return null;
            }
            String keyName = role.keyName;
            role.delete();
            entities.flush();
            release(keyName, Instant.now().getEpochSecond());
            return null;
        });
    }

    /** When no role names the key any more, it is released: published until its last tokens have expired. */
    private void release(String keyName, long now) {
        long users = entities.createQuery("select count(r) from OidcRole r where r.keyName = ?1", Long.class)
                .setParameter(1, keyName).getSingleResult();
        NamedKey key = entities.find(NamedKey.class, keyName, LockModeType.PESSIMISTIC_WRITE);
        if (users == 0 && key != null) {
            key.released = now;
        }
    }

    /** Vault's generated client id: 26 random base62 characters. */
    static String clientId() {
        StringBuilder out = new StringBuilder(26);
        for (int i = 0; i < 26; i++) {
            out.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return out.toString();
    }
}
