package io.rcsrouter.infra;

import java.util.Optional;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops taking callbacks while the broker already holds {@code maxHeldEvents} events that nobody has consumed yet
 * (the inbound backlog plus everything waiting on the outbound and dead-letter queues), so that a long outage of
 * whatever drains them (the CRM, the ESB's consumers of the delivery and compliance queues) ends in a clear 503 that
 * the sender retries, instead of a router that runs out of memory.
 *
 * <p>Why a count and not only paging: Artemis pages message bodies to disk, but for every message that a
 * transaction sent to a paged queue it keeps a small record on the heap until the message is consumed (about 140
 * bytes; dispatch sends in one transaction per event). With the broker embedded, that heap is the router's, so the
 * held count is what bounds it. {@code 0} turns the limit off.
 *
 * <p>The count comes from the queue depth gauges, which ask the broker every few seconds; a callback never waits on
 * that question. A depth that could not be read counts as 0: an unreachable broker already answers 503 on its own.
 */
public final class BacklogLimit {

    public static final String BEAN_NAME = "backlogLimit";

    /** Heap the embedded broker keeps per held event, the measurement of bench/RESULTS.md section 3 rounded up. */
    static final long HEAP_BYTES_PER_HELD_EVENT = 220;
    /** Live heap of the router with nothing held (the embedded broker and H2 included), as measured there, rounded up. */
    static final long BASE_HEAP_BYTES = 100L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(BacklogLimit.class);

    private final long maxHeldEvents;
    private final LongSupplier heldEvents;
    private volatile boolean full;

    /**
     * @param maxHeldEvents events the broker may hold before callbacks are refused; 0 for no limit
     * @param heldEvents    the events held now, as last read from the broker
     */
    public BacklogLimit(long maxHeldEvents, LongSupplier heldEvents) {
        if (maxHeldEvents < 0) {
            throw new IllegalArgumentException("rcs.broker.max-held-events must be 0 (no limit) or more, not "
                    + maxHeldEvents);
        }
        this.maxHeldEvents = maxHeldEvents;
        this.heldEvents = heldEvents;
    }

    /** Called by ingress before an event is stored: throws while the backlog is at its limit. */
    public void check() {
        if (maxHeldEvents == 0) {
            return;
        }
        long held = heldEvents.getAsLong();
        boolean nowFull = held >= maxHeldEvents;
        if (nowFull != full) {
            full = nowFull;
            if (nowFull) {
                LOG.warn("Backlog full: the broker holds {} unconsumed events (limit {}); callbacks are answered 503"
                        + " until the queues drain. See README, Runbook.", held, maxHeldEvents);
            } else {
                LOG.info("Backlog below its limit again ({} events held, limit {}); callbacks are accepted", held,
                        maxHeldEvents);
            }
        }
        if (nowFull) {
            throw new BacklogFullException(held, maxHeldEvents);
        }
    }

    /** For readiness: throws while the backlog is at its limit. */
    public void probe() {
        long held = heldEvents.getAsLong();
        if (maxHeldEvents > 0 && held >= maxHeldEvents) {
            throw new BacklogFullException(held, maxHeldEvents);
        }
    }

    public long maxHeldEvents() {
        return maxHeldEvents;
    }

    /** The events held now, as last read from the broker (what {@link #check()} compares with the limit). */
    public long heldEvents() {
        return heldEvents.getAsLong();
    }

    /**
     * With the broker embedded: a warning when the live heap at the limit ({@link #BASE_HEAP_BYTES} plus
     * {@link #HEAP_BYTES_PER_HELD_EVENT} per held event) would be more than half of the heap, the most that leaves
     * the collector room under load (a 384 MiB heap ran out near 765,000 held events while dispatch was busy), or when
     * there is no limit at all; empty when it fits.
     */
    public static Optional<String> heapWarning(long maxHeldEvents, long maxHeapBytes) {
        if (maxHeldEvents == 0) {
            return Optional.of("rcs.broker.max-held-events is 0 (no limit): with the broker embedded, a queue nobody"
                    + " consumes grows the heap by about " + HEAP_BYTES_PER_HELD_EVENT + " bytes per event until it"
                    + " runs out");
        }
        long liveAtLimit = BASE_HEAP_BYTES + maxHeldEvents * HEAP_BYTES_PER_HELD_EVENT;
        if (liveAtLimit > maxHeapBytes / 2) {
            long fits = Math.max(0, (maxHeapBytes / 2 - BASE_HEAP_BYTES) / HEAP_BYTES_PER_HELD_EVENT);
            long mib = 1024 * 1024;
            return Optional.of("rcs.broker.max-held-events=" + maxHeldEvents + " does not fit the heap: at the limit"
                    + " about " + liveAtLimit / mib + " MiB of the " + maxHeapBytes / mib + " MiB heap would be in"
                    + " use; lower the limit to " + fits + " or raise -Xmx to " + (2 * liveAtLimit / mib + 1) + "m");
        }
        return Optional.empty();
    }

    /** The callback is not stored: the broker holds as many unconsumed events as it may. */
    public static final class BacklogFullException extends AdmissionRefusedException {
        public BacklogFullException(long held, long max) {
            super("backlog full: " + held + " events held, limit " + max,
                    "the router holds too many undelivered events; retry later");
        }
    }
}
