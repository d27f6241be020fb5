package io.rcsrouter.engine;

import java.util.function.LongSupplier;

/**
 * Readiness of dispatch itself: DOWN while events wait on the inbound queue and no batch has been committed for
 * {@code stallSeconds}, whatever the cause (a database that refuses every write while still answering the readiness
 * probe's own write, a stuck consumer, a stopped route). The broker and database checks say when a dependency is
 * away; this one says when the router is not doing its work, which is what a load balancer and an alert care about.
 */
public final class DispatchProgress {

    private final LongSupplier waiting;
    private final LongSupplier nanosSinceLastBatch;
    private final long stallSeconds;
    private final String queue;

    /**
     * @param waiting events on the inbound queue (negative when it could not be read, which counts as none: the
     *     broker check reports an unreachable broker)
     */
    public DispatchProgress(String queue, LongSupplier waiting, LongSupplier nanosSinceLastBatch, long stallSeconds) {
        this.queue = queue;
        this.waiting = waiting;
        this.nanosSinceLastBatch = nanosSinceLastBatch;
        this.stallSeconds = stallSeconds;
    }

    /** Throws, saying how long and how many, when dispatch has stalled; 0 seconds turns the check off. */
    public void check() {
        long events = waiting.getAsLong();
        long idleSeconds = nanosSinceLastBatch.getAsLong() / 1_000_000_000L;
        if (stallSeconds > 0 && events > 0 && idleSeconds >= stallSeconds) {
            throw new IllegalStateException("no batch committed for " + idleSeconds + " s while " + events
                    + " events wait on " + queue);
        }
    }
}
