package io.alicloudauth.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key: {@code perMinute} attempts per minute, with a burst of as many. Answers 0 when an attempt
 * may go ahead, else the seconds until it may. Idle keys are dropped when the map grows large, so a flood of
 * distinct keys cannot exhaust memory.
 */
public final class RateLimiter {

    static final int MAX_KEYS = 100_000;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }
    }

    public long acquire(String key, int perMinute) {
        if (perMinute <= 0 || key == null) {
            return 0;
        }
        long now = System.nanoTime();
        double perNano = perMinute / 60e9;
        if (buckets.size() >= MAX_KEYS) {
            buckets.entrySet().removeIf(e -> isFull(e.getValue(), now, perNano, perMinute));
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.last) * perNano);
            bucket.last = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9);
        }
    }

    /** Like {@link #acquire} but spends nothing (and remembers nothing): 0 when an attempt could go ahead now. */
    public long peek(String key, int perMinute) {
        if (perMinute <= 0 || key == null) {
            return 0;
        }
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return 0;
        }
        long now = System.nanoTime();
        double perNano = perMinute / 60e9;
        synchronized (bucket) {
            double tokens = Math.min(perMinute, bucket.tokens + (now - bucket.last) * perNano);
            return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano / 1e9);
        }
    }

    private static boolean isFull(Bucket bucket, long now, double perNano, int perMinute) {
        synchronized (bucket) {
            return bucket.tokens + (now - bucket.last) * perNano >= perMinute;
        }
    }
}
