package io.alicloudauth.policy;

import java.util.Optional;

/**
 * For Vault's create-or-update distinction (SPEC §8): a feature that keeps entries at some paths says whether the
 * entry a path names exists. A write to an existing entry needs {@code update}, to a new one {@code create}; a write
 * to a path without entries needs {@code update}.
 */
public interface EntryExistence {

    /** Whether the entry {@code path} (no leading {@code /}) names exists; empty for a path this feature does not keep. */
    Optional<Boolean> exists(String path);
}
