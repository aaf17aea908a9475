package io.alicloudauth.role;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.alicloudauth.api.ApiException;
import io.alicloudauth.api.Body;
import io.alicloudauth.api.Cidrs;
import io.alicloudauth.api.Text;
import io.alicloudauth.api.Transactions;
import io.alicloudauth.config.ConfigService;
import io.alicloudauth.token.WriteThroughTokens;

/** Roles as SPEC §3: validation of every field, deprecated aliases, create-or-update that merges. */
@ApplicationScoped
public class RoleService {

    private static final Pattern NAME = Pattern.compile("\\w(?:[\\w.-]{0,254}\\w)?");
    private static final Set<String> TOKEN_TYPES = Set.of("default", "service", "batch");
    private static final Set<String> KNOWN_FIELDS = Set.of("role", "name", "arn", "token_policies", "token_ttl",
            "token_max_ttl", "token_explicit_max_ttl", "token_period", "token_num_uses", "token_no_default_policy",
            "token_type", "token_bound_cidrs", "vault_token_role", "bound_arns", "bound_principal_ids", "policies", "ttl", "max_ttl", "period", "bound_cidrs");

    private final WriteThroughTokens writeThrough;
    private final ConfigService config;

    public RoleService(WriteThroughTokens writeThrough, ConfigService config) {
        this.config = config;
        this.writeThrough = writeThrough;
    }

    /** A write's outcome: whether it created the role, and the fields it ignored (answered as Vault's warning). */
    public record WriteResult(boolean created, List<String> ignoredFields) {
    }

    /** The lowercased name, or a 400 if it is not {@code \w} at both ends and {@code \w.-} inside. */
    public static String normaliseName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("invalid role name \"" + Text.shorten(name)
                    + "\": use letters, digits and _ at both ends, and . - _ inside");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    @Transactional
    public Optional<Role> find(String name) {
        return Role.findByIdOptional(name.toLowerCase(Locale.ROOT));
    }

    @Transactional
    public List<String> names() {
        return Role.<Role>listAll().stream().map(r -> r.name).sorted().toList();
    }

    /**
     * Deletes a role. Its write-through tokens are revoked in Vault first (Vault would otherwise renew them without
     * asking us); if Vault cannot be reached the role stays, and the delete can be retried.
     */
    public void delete(String name) {
        String key = normaliseName(name);
        writeThrough.revokeAll(key);
        Transactions.write(() -> Role.deleteById(key));
    }

    /**
     * Creates or updates a role. When its binding ({@code arn}, {@code bound_arns}, {@code bound_principal_ids})
     * changes, the write-through tokens minted under the old binding are revoked in Vault right after, as deletion
     * does (Vault would otherwise renew them without asking us). If Vault cannot be reached the role is written but
     * those tokens stay recorded: the answer is a 503 saying so, and the next write of the role revokes them.
     */
    public WriteResult write(String rawName, Body body) {
        String name = normaliseName(rawName);
        Written written = Transactions.write(() -> {
            Role existing = Role.findById(name);
            boolean created = existing == null;
            Role role = created ? new Role() : existing;
            String binding = created ? null : binding(role);
            apply(role, body, created);
            String tokenRole = config.current().tokenRoleFor(role.vaultTokenRole);
            String unbindable = writeThrough.cannotBind(role.boundCidrs(), tokenRole);
            if (unbindable != null) {
                throw Body.invalid("token_bound_cidrs", unbindable);
            }
            writeThrough.checkTokenRoleBinding(role.boundCidrs(), tokenRole);
            if (binding != null && !binding.equals(binding(role))) {
                role.bindingVersion++;
            }
            if (created) {
                role.name = name;
                role.persist();
            }
            return new Written(created, role.bindingVersion);
        });
        try {
            if (writeThrough.enabled()) {
                writeThrough.revokeOlderThan(name, written.bindingVersion());
            }
        } catch (ApiException e) {
            throw new ApiException(503, "the role was written, but tokens minted in Vault under its previous arn,"
                    + " bound_arns or bound_principal_ids could not all be revoked yet (" + e.getMessage()
                    + "); write the role again to retry", e);
        }
        return new WriteResult(written.created(), ignored(body));
    }

    private record Written(boolean created, long bindingVersion) {
    }

    private static String binding(Role role) {
        return role.arn + "\n" + role.boundArns + "\n" + role.boundPrincipalIds;
    }

    /** Validates every field first, then copies them in: a bad field changes nothing. */
    private static void apply(Role role, Body body, boolean created) {
        String arn = body.string("arn").map(String::trim).orElse(null);
        if (arn != null && !arn.isEmpty() && RoleArn.parse(arn).isEmpty()) {
            throw Body.invalid("arn", "\"" + Text.shorten(arn) + "\" is not a RAM role ARN (acs:ram::<account>:role/<name>)");
        }
        Optional<List<String>> boundArns = body.list("bound_arns");
        for (String pattern : boundArns.orElse(List.of())) {
            if (ArnPattern.parse(pattern).isEmpty()) {
                throw Body.invalid("bound_arns", "\"" + Text.shorten(pattern) + "\" is not an ARN pattern such as"
                        + " acs:ram::<account>:role/<name>, acs:ram::<account>:assumed-role/<role>/<session> or"
                        + " acs:ram::<account>:user/<name>, with * globs inside a field");
            }
        }
        Optional<List<String>> principalIds = body.list("bound_principal_ids");
        for (String id : principalIds.orElse(List.of())) {
            if (!id.matches("[\\w.:-]{1,128}")) {
                throw Body.invalid("bound_principal_ids", "\"" + Text.shorten(id) + "\" is not a RoleId or UserId");
            }
        }
        String newArn = arn != null ? arn : created ? "" : role.arn;
        String newBoundArns = String.join(",", boundArns.orElse(created ? List.of() : Role.split(role.boundArns)));
        if (newArn.isEmpty() && newBoundArns.isEmpty()) {
            throw ApiException.badRequest(created ? "the arn is required to create a role (or bound_arns)"
                    : "a role needs an arn or bound_arns: both would be empty");
        }
        String newPrincipalIds = String.join(",", principalIds.orElse(Role.split(role.boundPrincipalIds)));
        if (newBoundArns.length() > 4000 || newPrincipalIds.length() > 4000) {
            throw ApiException.badRequest("too many bound_arns or bound_principal_ids");
        }

        Set<String> legacy = new LinkedHashSet<>(role.legacy());
        Aliased<List<String>> policies = aliased(body, "token_policies", "policies", legacy,
                f -> body.list(f).map(Body::lowerDistinct));
        Aliased<Long> ttl = aliased(body, "token_ttl", "ttl", legacy, body::duration);
        Aliased<Long> maxTtl = aliased(body, "token_max_ttl", "max_ttl", legacy, body::duration);
        Aliased<Long> period = aliased(body, "token_period", "period", legacy, body::duration);
        Aliased<List<String>> cidrs = aliased(body, "token_bound_cidrs", "bound_cidrs", legacy,
                f -> body.list(f).map(list -> Cidrs.normalise(f, list)));
        Optional<Long> explicitMaxTtl = body.duration("token_explicit_max_ttl");
        Optional<Integer> numUses = body.integer("token_num_uses");
        Optional<Boolean> noDefault = body.bool("token_no_default_policy");
        Optional<String> tokenType = body.string("token_type").map(t -> t.trim().toLowerCase(Locale.ROOT));
        Optional<String> vaultTokenRole = WriteThroughTokens.tokenRoleField(body);

        List<String> newPolicies = policies.value.orElse(role.policies());
        if (newPolicies.contains("root")) {
            throw Body.invalid(policies.field, "auth methods cannot create root tokens");
        }
        for (String p : newPolicies) {
            if (p.length() > 128 || !p.matches("[\\w.@/+-]+")) {
                throw Body.invalid(policies.field, "invalid policy name \"" + Text.shorten(p) + "\"");
            }
        }
        if (numUses.isPresent() && numUses.get() < 0) {
            throw Body.invalid("token_num_uses", "'token_num_uses' cannot be negative");
        }
        String type = tokenType.map(t -> t.isEmpty() || t.equals("default-service") ? "default" : t)
                .orElse(role.tokenType);
        if (!TOKEN_TYPES.contains(type)) {
            throw Body.invalid("token_type", "invalid 'token_type' value \"" + Text.shorten(type)
                    + "\": use default, service or batch");
        }
        long newTtl = ttl.value.orElse(role.tokenTtl);
        long newMaxTtl = maxTtl.value.orElse(role.tokenMaxTtl);
        long newPeriod = period.value.orElse(role.tokenPeriod);
        int newNumUses = numUses.orElse(role.tokenNumUses);
        if (newMaxTtl > 0 && newTtl > newMaxTtl) {
            throw ApiException.badRequest("'token_ttl' cannot be greater than 'token_max_ttl'");
        }
        if (type.equals("batch") && newPeriod > 0) {
            throw ApiException.badRequest(
                    "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens");
        }
        if (type.equals("batch") && newNumUses > 0) {
            throw ApiException.badRequest(
                    "'token_type' cannot be 'batch' or 'default_batch' when set to generate tokens with limited use count");
        }
        List<String> newCidrs = cidrs.value.orElse(role.boundCidrs());
        String policiesJoined = String.join(",", newPolicies);
        String cidrsJoined = String.join(",", newCidrs);
        if (policiesJoined.length() > 4000 || cidrsJoined.length() > 4000) {
            throw ApiException.badRequest("too many token_policies or token_bound_cidrs");
        }

        role.arn = newArn;
        role.boundArns = newBoundArns;
        role.boundPrincipalIds = newPrincipalIds;
        role.tokenPolicies = policiesJoined;
        role.tokenTtl = newTtl;
        role.tokenMaxTtl = newMaxTtl;
        role.tokenPeriod = newPeriod;
        role.tokenExplicitMaxTtl = explicitMaxTtl.orElse(role.tokenExplicitMaxTtl);
        role.tokenNumUses = newNumUses;
        role.tokenNoDefaultPolicy = noDefault.orElse(role.tokenNoDefaultPolicy);
        role.tokenType = type;
        role.tokenBoundCidrs = cidrsJoined;
        role.vaultTokenRole = vaultTokenRole.orElse(role.vaultTokenRole);
        role.legacyFields = String.join(",", legacy);
    }

    private record Aliased<T>(String field, Optional<T> value) {
    }

    /**
     * Vault's {@code tokenutil.UpgradeValue}: the {@code token_*} name wins when both are sent; the legacy name is
     * remembered as in use when it was sent, and forgotten when only the new name was.
     */
    private static <T> Aliased<T> aliased(Body body, String field, String legacyField, Set<String> legacy,
            Function<String, Optional<T>> parse) {
        Optional<T> modern = parse.apply(field);
        Optional<T> old = parse.apply(legacyField);
        if (old.isPresent()) {
            legacy.add(legacyField);
        } else if (modern.isPresent()) {
            legacy.remove(legacyField);
        }
        return modern.isPresent() ? new Aliased<>(field, modern) : new Aliased<>(legacyField, old);
    }

    private static List<String> ignored(Body body) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!KNOWN_FIELDS.contains(f)) {
                out.add(Text.shorten(f));
            }
        }
        return out;
    }
}
