package io.alicloudauth.policy;

/**
 * One {@code path "<pattern>" { capabilities = [...] }} block: the pattern as written (a leading {@code /} removed),
 * the capability bits (only {@link Capability#DENY} when it denies), and whether the pattern holds a template.
 */
public record PathRule(String pattern, int capabilities, boolean templated) {
}
