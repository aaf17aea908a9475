package io.alicloudauth.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Vault's capabilities, as bits. {@code subscribe}, {@code recover} and {@code scan} (OpenBao) are accepted in a
 * policy and grant nothing here: no path of this service uses them.
 */
public enum Capability {
    DENY, CREATE, READ, UPDATE, DELETE, LIST, SUDO, PATCH, SUBSCRIBE, RECOVER, SCAN;

    public int bit() {
        return 1 << ordinal();
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The capability a policy names; null for a word that is none. */
    static Capability of(String word) {
        for (Capability c : values()) {
            if (c.word().equals(word)) {
                return c;
            }
        }
        return null;
    }

    /** The words of a bit set, sorted as Vault's {@code sys/capabilities} answers them; {@code ["deny"]} for none. */
    public static List<String> words(int bits) {
        List<String> out = new ArrayList<>();
        if ((bits & DENY.bit()) == 0) {
            for (Capability c : values()) {
                if (c != DENY && (bits & c.bit()) != 0) {
                    out.add(c.word());
                }
            }
        }
        if (out.isEmpty()) {
            return List.of("deny");
        }
        out.sort(null);
        return out;
    }
}
