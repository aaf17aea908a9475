package io.alicloudauth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit's protocol with a recording store: rows that wait while a commit runs go out together in the next
 * one, a batch that fails is written row by row so that only the bad row's writer fails, and no writer waits for
 * ever. (TokenInsertsTest runs the token store's own batch and single writes against the database.)
 */
class GroupCommitTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final List<String> singles = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstWriteMayEnd = new CountDownLatch(1);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A single write that blocks the first time until the test lets it go, so that others queue behind it. */
    private Consumer<String> blockingFirstSingle(Set<String> refused) {
        return row -> {
            if (singles.isEmpty()) {
                singles.add(row);
                await(firstWriteMayEnd);
            } else {
                singles.add(row);
            }
            if (refused.contains(row)) {
                throw new IllegalStateException("refused " + row);
            }
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the first writer, waits until its write is under way, then starts the others and waits till they queue. */
    private List<Future<?>> writeWhileTheFirstIsCommitting(GroupCommit<String> commit, List<String> rows)
            throws InterruptedException {
        List<Future<?>> writes = new ArrayList<>();
        writes.add(pool.submit(() -> commit.write(rows.get(0))));
        while (singles.isEmpty()) {
            Thread.sleep(1);
        }
        List<Thread> queued = Collections.synchronizedList(new ArrayList<>());
        for (String row : rows.subList(1, rows.size())) {
            writes.add(pool.submit(() -> {
                queued.add(Thread.currentThread());
                commit.write(row);
            }));
        }
        // every later writer is parked on the commit lock: its row is in the queue
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queued.size() < rows.size() - 1
                || !queued.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            assertTrue(System.nanoTime() < deadline, "the writers did not queue");
            Thread.sleep(1);
        }
        firstWriteMayEnd.countDown();
        return writes;
    }

    @Test
    void rowsThatWaitWhileACommitRunsAreCommittedTogether() throws Exception {
        GroupCommit<String> commit = new GroupCommit<>(batches::add, blockingFirstSingle(Set.of()), 64);
        List<Future<?>> writes = writeWhileTheFirstIsCommitting(commit, List.of("a", "b", "c", "d", "e"));
        for (Future<?> w : writes) {
            assertNull(w.get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of("a"), singles, "the first writer had nobody to wait for");
        assertEquals(1, batches.size(), "the four that waited went out in one commit: " + batches);
        assertEquals(Set.of("b", "c", "d", "e"), new HashSet<>(batches.get(0)));
    }

    @Test
    void aBatchIsNeverLargerThanItsBound() throws Exception {
        GroupCommit<String> commit = new GroupCommit<>(batches::add, blockingFirstSingle(Set.of()), 2);
        List<Future<?>> writes = writeWhileTheFirstIsCommitting(commit, List.of("a", "b", "c", "d", "e"));
        for (Future<?> w : writes) {
            w.get(10, TimeUnit.SECONDS);
        }
        Set<String> written = new HashSet<>(singles);
        batches.forEach(written::addAll);
        assertEquals(Set.of("a", "b", "c", "d", "e"), written);
        assertTrue(batches.stream().allMatch(b -> b.size() <= 2), batches.toString());
        assertEquals(5, singles.size() + batches.stream().mapToInt(List::size).sum(), "each row written once");
    }

    @Test
    void aFailedBatchIsWrittenRowByRowAndOnlyTheBadRowsWriterFails() throws Exception {
        GroupCommit<String> commit = new GroupCommit<>(rows -> {
            batches.add(rows);
            throw new IllegalStateException("the batch was rolled back");
        }, blockingFirstSingle(Set.of("bad")), 64);
        List<Future<?>> writes = writeWhileTheFirstIsCommitting(commit, List.of("a", "b", "bad", "c"));
        writes.get(0).get(10, TimeUnit.SECONDS);
        writes.get(1).get(10, TimeUnit.SECONDS);
        writes.get(3).get(10, TimeUnit.SECONDS);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> writes.get(2).get(10, TimeUnit.SECONDS));
        assertEquals("refused bad", failed.getCause().getMessage());
        assertEquals(1, batches.size());
        assertEquals(Set.of("a", "b", "bad", "c"), new HashSet<>(singles), "every row of the batch again on its own");
        assertEquals(4, singles.size());
    }

    @Test
    void anErrorInACommitFailsEveryWriterInItAndHangsNone() throws Exception {
        GroupCommit<String> commit = new GroupCommit<>(rows -> {
            throw new OutOfMemoryError("simulated");
        }, blockingFirstSingle(Set.of()), 64);
        List<Future<?>> writes = writeWhileTheFirstIsCommitting(commit, List.of("a", "b", "c", "d"));
        writes.get(0).get(10, TimeUnit.SECONDS);
        int errors = 0;
        int failures = 0;
        for (Future<?> w : writes.subList(1, writes.size())) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> w.get(10, TimeUnit.SECONDS));
            if (e.getCause() instanceof OutOfMemoryError) {
                errors++; // the writer whose thread ran the commit sees the error itself
            } else {
                assertInstanceOf(IllegalStateException.class, e.getCause());
                failures++;
            }
        }
        assertEquals(1, errors);
        assertEquals(2, failures);
        // and the next write goes through
        GroupCommit<String> after = commit;
        pool.submit(() -> after.write("later")).get(10, TimeUnit.SECONDS);
        assertTrue(singles.contains("later"));
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GroupCommit<String>(r -> {
        }, r -> {
        }, 0));
    }
}
