package io.rcsrouter.crm;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.camel.Exchange;

/**
 * Retries a CRM request without holding a consumer: a request that failed (5xx, 408, 429, timeout, no connection) and
 * has retries left is queued again on rcs.crm.outbound, in the transaction that takes it off, as a copy the broker
 * hands out only after the back-off (Artemis's scheduled delivery, {@value #SCHEDULED_DELIVERY}). The forwarder's
 * consumers go on with other requests meanwhile; a retry that slept on the consumer thread kept it idle for the whole
 * back-off, so one failing request in ten took most of the consumers at a few hundred requests a second.
 *
 * <p>The back-off is exponential: {@code delay * 2^(n-1)} before retry n, at most {@code maxDelay}, +/-15% random
 * jitter so that requests that failed together are not retried together. The copy carries the retries made so far in
 * {@value #RETRIES_HEADER}. Each failed attempt is first recorded with the CRM circuit ({@link CrmCircuit#failedAlone}):
 * if the CRM as a whole is failing, the request goes back to its queue instead, its retries kept.
 */
public final class CrmRetry {

    /** Message header: the retries this request has had. */
    public static final String RETRIES_HEADER = "rcsCrmRetries";
    /** Exchange property: the back-off in ms before the copy is delivered, when a retry is due. */
    public static final String DELAY_PROPERTY = "rcsCrmRetryDelayMs";
    /** Artemis's message property: the time (epoch ms) before which the broker does not deliver the message. */
    static final String SCHEDULED_DELIVERY = Message.HDR_SCHEDULED_DELIVERY_TIME.toString();
    private static final double JITTER = 0.15;

    private final int maxRetries;
    private final long delayMs;
    private final long maxDelayMs;
    private final CrmCircuit circuit;
    private final LongSupplier clock;

    public CrmRetry(int maxRetries, long delayMs, long maxDelayMs, CrmCircuit circuit) {
        this(maxRetries, delayMs, maxDelayMs, circuit, System::currentTimeMillis);
    }

    CrmRetry(int maxRetries, long delayMs, long maxDelayMs, CrmCircuit circuit, LongSupplier clock) {
        if (maxRetries < 0 || delayMs < 0 || maxDelayMs < delayMs) {
            throw new IllegalArgumentException("CRM retries: max-retries " + maxRetries + ", retry-delay-ms "
                    + delayMs + " and retry-max-delay-ms " + maxDelayMs
                    + " must be >= 0, with the largest delay no smaller than the first");
        }
        this.maxRetries = maxRetries;
        this.delayMs = delayMs;
        this.maxDelayMs = maxDelayMs;
        this.circuit = circuit;
        this.clock = clock;
    }

    /**
     * The {@code handled} predicate of the forwarder's retryable failures (crm-errors), evaluated once. The attempt is
     * recorded with the circuit first: false (roll back onto the queue) if the circuit is now open; otherwise true,
     * with a retry due ({@value #DELAY_PROPERTY} says when, {@link #prepare} marks the copy) or, with no retry left,
     * for the dead-letter queue.
     */
    public boolean handled(Exchange exchange) {
        if (!circuit.failedAlone(exchange)) {
            return false;
        }
        int done = retriesMade(exchange);
        if (done >= maxRetries) {
            return true;
        }
        exchange.setProperty(DELAY_PROPERTY, delayBefore(done + 1));
        return true;
    }

    /**
     * Marks the copy to be queued again (a step of the handler, after Camel has restored the original message, so
     * not in {@link #handled}): its retry number, and the time before which the broker does not deliver it.
     */
    public void prepare(Exchange exchange) {
        int retry = retriesMade(exchange) + 1;
        long delay = exchange.getProperty(DELAY_PROPERTY, Long.class);
        exchange.getMessage().setHeader(RETRIES_HEADER, retry);
        exchange.getMessage().setHeader(SCHEDULED_DELIVERY, clock.getAsLong() + delay);
    }

    /**
     * The retries this request has had, from its header as it came off the queue (0 on its first delivery): the
     * forwarder strips the request's own headers before the POST (crm-post), so the current message no longer has it.
     */
    private static int retriesMade(Exchange exchange) {
        org.apache.camel.Message received = exchange.getUnitOfWork() == null ? null
                : exchange.getUnitOfWork().getOriginalInMessage();
        Integer made = (received != null ? received : exchange.getMessage()).getHeader(RETRIES_HEADER, Integer.class);
        return made == null || made < 0 ? 0 : made;
    }

    /** The back-off before retry {@code n} (1-based), jitter included. */
    long delayBefore(int n) {
        double base = Math.min((double) maxDelayMs, delayMs * Math.pow(2, n - 1));
        double jitter = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * JITTER;
        return Math.round(base * jitter);
    }
}
