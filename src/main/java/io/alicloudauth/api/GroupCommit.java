package io.alicloudauth.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Concurrent writers' rows committed together, as databases group their commits: whoever takes the commit lock
 * writes every row waiting at that moment (at most {@code maxBatch}) in one transaction, so that N logins in flight
 * pay one commit (one H2 chunk, one PostgreSQL WAL flush) instead of N. {@link #write} returns only once its own row
 * is committed, or throws what refused it. A batch that fails is written again row by row, each in its own
 * transaction, so one bad row fails only its own writer and nothing is half-written.
 */
public final class GroupCommit<T> {

    private final Consumer<List<T>> writeAll;
    private final Consumer<T> writeOne;
    private final int maxBatch;
    private final ReentrantLock committing = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending<T>> waiting = new ConcurrentLinkedQueue<>();

    /**
     * @param writeAll writes a batch in one transaction (all or none)
     * @param writeOne writes one row in its own transaction (with whatever retries the caller wants)
     */
    public GroupCommit(Consumer<List<T>> writeAll, Consumer<T> writeOne, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.writeAll = writeAll;
        this.writeOne = writeOne;
        this.maxBatch = maxBatch;
    }

    private static final class Pending<T> {
        final T row;
        final Thread writer = Thread.currentThread();
        RuntimeException failure; // written before done
        volatile boolean done;

        Pending(T row) {
            this.row = row;
        }
    }

    /**
     * Writes {@code row}, with whatever else is waiting, and returns once it is committed. A writer whose row someone
     * else commits is woken by that committer directly, all of a batch at once: had they queued on the lock instead,
     * each would have had to wake, take it, see its row done and hand it on, one after the other (on a busy machine
     * a chain of scheduler waits longer than the commit itself).
     */
    public void write(T row) {
        Pending<T> mine = new Pending<>(row);
        waiting.add(mine);
        boolean interrupted = false;
        while (!mine.done) {
            if (committing.tryLock()) {
                List<Pending<T>> written = new ArrayList<>();
                try {
                    while (!mine.done) {
                        commitWaiting(written); // a full batch ahead of mine may leave mine for the next round
                    }
                } finally {
                    committing.unlock();
                    // woken after the lock is released: waking a thread is a system call, and the lock is for writing
                    for (Pending<T> p : written) {
                        if (p != mine) {
                            LockSupport.unpark(p.writer);
                        }
                    }
                    // rows that came while this commit ran: one of their writers commits them next
                    Pending<T> next = waiting.peek();
                    if (next != null) {
                        LockSupport.unpark(next.writer);
                    }
                }
            } else {
                // woken when its row is committed, or when the lock is free and its row first in the queue;
                // a wake-up that came before this park makes it return at once
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // kept for the caller, not a reason to spin or to give up
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    /** Commits what is waiting (at most a batch); every row taken, written or failed, ends up in {@code taken}. */
    private void commitWaiting(List<Pending<T>> taken) {
        List<Pending<T>> batch = new ArrayList<>();
        for (Pending<T> p; batch.size() < maxBatch && (p = waiting.poll()) != null;) {
            batch.add(p);
        }
        taken.addAll(batch);
        try {
            if (batch.size() > 1) {
                List<T> rows = new ArrayList<>(batch.size());
                batch.forEach(p -> rows.add(p.row));
                try {
                    writeAll.accept(rows);
                    batch.forEach(p -> p.done = true);
                    return;
                } catch (RuntimeException e) {
                    // rolled back as a whole: each row again on its own, so one bad row fails only its own writer
                }
            }
            for (Pending<T> p : batch) {
                try {
                    writeOne.accept(p.row);
                } catch (RuntimeException e) {
                    p.failure = e;
                }
                p.done = true;
            }
        } finally {
            // an Error on the way: no writer in this batch may wait for ever
            for (Pending<T> p : batch) {
                if (!p.done) {
                    p.failure = new IllegalStateException("the write was interrupted by an error");
                    p.done = true;
                }
            }
        }
    }
}
