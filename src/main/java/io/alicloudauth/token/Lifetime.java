package io.alicloudauth.token;

/**
 * How long a token lives, as Vault computes it: the role's TTL (default 32 days) capped by its max TTL (default
 * and ceiling 32 days) and explicit max TTL; a periodic token lives one period at a time, capped only by the
 * explicit max TTL. All values in seconds.
 */
record Lifetime(long ttl, long expireTime, long maxExpireTime) {

    static final long SYSTEM_DEFAULT_TTL = 32L * 24 * 3600;

    /**
     * @param now        the current time (epoch seconds)
     * @param creation   when the token was created (equal to {@code now} at login)
     * @param increment  a renewal's requested TTL, 0 for the role's own
     */
    static Lifetime of(long now, long creation, long roleTtl, long roleMaxTtl, long explicitMaxTtl, long period,
            long increment) {
        long ttl;
        long maxExpire;
        if (period > 0) {
            ttl = period;
            maxExpire = explicitMaxTtl > 0 ? creation + explicitMaxTtl : 0;
        } else {
            long max = roleMaxTtl > 0 ? Math.min(roleMaxTtl, SYSTEM_DEFAULT_TTL) : SYSTEM_DEFAULT_TTL;
            if (explicitMaxTtl > 0) {
                max = Math.min(max, explicitMaxTtl);
            }
            maxExpire = creation + max;
            ttl = increment > 0 ? increment : roleTtl > 0 ? roleTtl : SYSTEM_DEFAULT_TTL;
        }
        long expire = now + ttl;
        if (maxExpire > 0 && expire > maxExpire) {
            expire = maxExpire;
        }
        return new Lifetime(Math.max(0, expire - now), expire, maxExpire);
    }
}
