package io.alicloudauth.api;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.persistence.EntityExistsException;
import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A write in its own transaction, tried again when another writer (this instance or another one on the same
 * database) got there first. Every attempt reads afresh, so a retry never applies stale state.
 */
public final class Transactions {

    /**
     * How long a write keeps trying against other writers before it gives up (a 503, "try again later"), and at most
     * how often. A budget in time, not only in attempts: on a slow machine each attempt takes longer and collides
     * again; ten quick attempts (120 ms of pauses on average) once let one of six writers of one role give up.
     */
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final int ATTEMPTS = 40;
    /** The longest pause between two attempts, in milliseconds: pauses double from 2 ms up to it. */
    private static final long MAX_PAUSE_MS = 50;

    private Transactions() {
    }

    public static <T> T write(Supplier<T> work) {
        long deadline = System.nanoTime() + BUDGET_NANOS;
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(work::get);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || System.nanoTime() - deadline >= 0 || !isConflict(e)) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    /** A random pause up to a ceiling that doubles with the attempt, so that colliding writers do not collide again. */
    private static void backOff(int attempt) {
        long ceiling = Math.min(MAX_PAUSE_MS, 1L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException
                    || t instanceof ConstraintViolationException || t instanceof EntityExistsException
                    || t instanceof jakarta.persistence.PessimisticLockException
                    || t instanceof org.hibernate.exception.LockAcquisitionException) {
                return true;
            }
        }
        return false;
    }
}
