package io.rcsrouter.engine;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which request stored an event (rcs_audit.ingress_id), to tell a broker redelivery (the same request's message
 * again) from a repeat delivery (another request). Unique across instances and restarts: a random prefix per process
 * and a counter, instead of a random UUID per request (a tenth of ingress's time went to SecureRandom).
 */
final class IngressIds {

    private static final String PREFIX = UUID.randomUUID().toString() + "-";
    private static final AtomicLong NEXT = new AtomicLong();

    private IngressIds() {
    }

    static String next() {
        return PREFIX + Long.toString(NEXT.incrementAndGet(), 36);
    }
}
