package io.alicloudauth.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of a token's policies, merged, and Vault's {@code ACL.AllowOperation} lookup over them (SPEC §8): an
 * exact pattern equal to the path wins; otherwise the highest-priority glob ({@code *} at the end, {@code +} for one
 * segment) that matches; capabilities of one pattern are unioned across policies and {@code deny} on it refuses.
 * LIST looks at the path with a trailing {@code /}, and also at an exact rule without it.
 */
public final class Acl {

    private static final Acl ROOT = new Acl(Map.of(), Map.of(), List.of(), true);

    private final Map<String, Integer> exact;
    private final Map<String, Integer> prefixes;
    private final List<Wildcard> wildcards;
    private final boolean root;

    /** A pattern with {@code +} segments (and perhaps a trailing {@code *}). */
    private record Wildcard(String pattern, String[] segments, boolean prefix, int firstWildcard, int bits) {
    }

    private Acl(Map<String, Integer> exact, Map<String, Integer> prefixes, List<Wildcard> wildcards, boolean root) {
        this.exact = exact;
        this.prefixes = prefixes;
        this.wildcards = wildcards;
        this.root = root;
    }

    /** The root token's: every capability on every path. */
    public static Acl root() {
        return ROOT;
    }

    public boolean isRoot() {
        return root;
    }

    /** The ACL of these rules (templates already filled), from any number of policies. */
    public static Acl of(List<PathRule> rules) {
        Map<String, Integer> exact = new HashMap<>();
        Map<String, Integer> prefixes = new HashMap<>();
        Map<String, Integer> wildcardBits = new HashMap<>();
        for (PathRule rule : rules) {
            String p = rule.pattern();
            boolean wildcard = p.equals("+") || p.contains("/+") || p.startsWith("+/");
            if (wildcard) {
                wildcardBits.merge(p, rule.capabilities(), Acl::merge);
            } else if (p.endsWith("*")) {
                prefixes.merge(p.substring(0, p.length() - 1), rule.capabilities(), Acl::merge);
            } else {
                exact.merge(p, rule.capabilities(), Acl::merge);
            }
        }
        List<Wildcard> wildcards = new ArrayList<>();
        wildcardBits.forEach((pattern, bits) -> {
            boolean prefix = pattern.endsWith("*");
            String body = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
            wildcards.add(new Wildcard(body, body.split("/", -1), prefix, pattern.indexOf('+'), bits));
        });
        return new Acl(Map.copyOf(exact), Map.copyOf(prefixes), List.copyOf(wildcards), false);
    }

    /** Deny on a pattern in any policy wins; otherwise the capabilities are unioned. */
    private static int merge(int a, int b) {
        int deny = Capability.DENY.bit();
        return (a & deny) != 0 || (b & deny) != 0 ? deny : a | b;
    }

    /**
     * The capability bits that govern {@code path} (no leading {@code /}) for an operation; {@code list} for LIST,
     * where {@code path} carries its trailing {@code /}. 0 when no rule matches.
     */
    public int capabilities(String path, boolean list) {
        Integer bits = exact.get(path);
        if (bits != null) {
            return bits;
        }
        if (list && path.endsWith("/")) {
            bits = exact.get(path.substring(0, path.length() - 1));
            if (bits != null) {
                return bits;
            }
        }
        bits = nonExact(path);
        if (bits != null) {
            return bits;
        }
        if (list && path.endsWith("/")) {
            bits = nonExact(path.substring(0, path.length() - 1));
            if (bits != null) {
                return bits;
            }
        }
        return 0;
    }

    /** Whether the operation ({@code needed} capability, plus sudo when {@code sudo}) is allowed on the path. */
    public boolean allows(String path, Capability needed, boolean sudo) {
        if (root) {
            return true;
        }
        int bits = capabilities(path, needed == Capability.LIST);
        if ((bits & Capability.DENY.bit()) != 0 || (bits & needed.bit()) == 0) {
            return false;
        }
        return !sudo || (bits & Capability.SUDO.bit()) != 0;
    }

    /** Vault's {@code CheckAllowedFromNonExactPaths}: the longest prefix and every matching wildcard, by priority. */
    private Integer nonExact(String path) {
        String bestPrefix = null;
        for (String prefix : prefixes.keySet()) {
            if (path.startsWith(prefix) && (bestPrefix == null || prefix.length() > bestPrefix.length())) {
                bestPrefix = prefix;
            }
        }
        if (wildcards.isEmpty()) {
            return bestPrefix == null ? null : prefixes.get(bestPrefix);
        }
        Candidate best = bestPrefix == null ? null
                : new Candidate(bestPrefix.length(), true, 0, bestPrefix, prefixes.get(bestPrefix));
        String[] parts = path.split("/", -1);
        for (Wildcard w : wildcards) {
            if (parts.length < w.segments().length || (!w.prefix() && parts.length != w.segments().length)) {
                continue;
            }
            int count = 0;
            boolean matches = true;
            for (int i = 0; i < w.segments().length && matches; i++) {
                String segment = w.segments()[i];
                if (segment.equals("+")) {
                    count++;
                } else if (!segment.equals(parts[i])
                        && !(w.prefix() && i == w.segments().length - 1 && parts[i].startsWith(segment))) {
                    matches = false;
                }
            }
            if (matches) {
                Candidate c = new Candidate(w.firstWildcard(), w.prefix(), count, w.pattern(), w.bits());
                if (best == null || best.lowerThan(c)) {
                    best = c;
                }
            }
        }
        return best == null ? null : best.bits();
    }

    /** A matching non-exact pattern, ordered by Vault's priority. */
    private record Candidate(int firstWildcard, boolean prefix, int wildcards, String pattern, int bits) {

        /** Whether this one has lower priority than {@code o} (Vault's {@code less}). */
        boolean lowerThan(Candidate o) {
            if (firstWildcard != o.firstWildcard) {
                return firstWildcard < o.firstWildcard;
            }
            if (prefix != o.prefix) {
                return prefix;
            }
            if (wildcards != o.wildcards) {
                return wildcards > o.wildcards;
            }
            if (pattern.length() != o.pattern.length()) {
                return pattern.length() < o.pattern.length();
            }
            return pattern.compareTo(o.pattern) < 0;
        }
    }
}
