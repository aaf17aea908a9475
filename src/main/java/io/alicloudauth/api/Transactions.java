package io.alicloudauth.api;

import java.util.concurrent.ThreadLocalRandom;
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

    private static final int ATTEMPTS = 10;

    private Transactions() {
    }

    public static <T> T write(Supplier<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(work::get);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isConflict(e)) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    /** A short random pause, growing with the attempt, so that colliding writers do not collide again. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt + 2));
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
