package io.alicloudauth.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes this instance may hold in memory at once, across every connection: a request reserves its
 * declared length (or its endpoint's cap when it is chunked) before a byte of its body is read, and gives it back
 * when its exchange ends, however it ends. A request that does not fit is refused (503) rather than buffered.
 */
public final class BodyBudget {

    private final long limit;
    private final AtomicLong inFlight = new AtomicLong();

    public BodyBudget(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code bytes}; false (and nothing reserved) when that would pass the limit. */
    public boolean tryReserve(long bytes) {
        while (true) {
            long now = inFlight.get();
            if (now + bytes > limit) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        inFlight.addAndGet(-bytes);
    }

    public long inFlight() {
        return inFlight.get();
    }
}
