package io.rcsrouter.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The engine's Prometheus metrics, counted once per request at ingress and once per batch in dispatch (never one
 * Camel step per event):
 * <ul>
 *   <li>{@code rcs_http_responses_total{route, status, outcome}}: callbacks answered (accepted, duplicate, refused)</li>
 *   <li>{@code rcs_routed_total{route}}: events routed, by rcs_audit.route (OPT_OUT, CRM, DELIVERY, ...)</li>
 *   <li>{@code rcs_dispatch_repeats_total}: repeat deliveries dispatch counted on their audit row</li>
 *   <li>{@code rcs_dead_letters_total{queue}}: events parked on a dead-letter queue</li>
 *   <li>{@code rcs_dispatch_batch_events}: events per dispatch transaction; {@code rcs_dispatch_batch_seconds}: its
 *       time, from its first event taken to its commit</li>
 *   <li>{@code rcs_ingress_store_seconds}: from a callback's arrival at the store to the broker's commit</li>
 * </ul>
 */
public final class EngineMetrics {

    private final java.util.function.Supplier<MeterRegistry> lookup;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;
    private volatile DistributionSummary batchEvents;
    private volatile Timer storeTime;
    private volatile Timer batchTime;

    /** @param registry where the meters go, once there is one (Camel's Prometheus registry is made at start-up) */
    public EngineMetrics(java.util.function.Supplier<MeterRegistry> registry) {
        this.lookup = registry;
    }

    public EngineMetrics(MeterRegistry registry) {
        this(() -> registry);
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                r = registry;
                if (r == null) {
                    r = lookup.get();
                    if (r == null) {
                        return FALLBACK; // not up yet: nothing is counted before the router serves
                    }
                    batchEvents = DistributionSummary.builder("rcs.dispatch.batch.events")
                            .description("Events per dispatch transaction").register(r);
                    storeTime = Timer.builder("rcs.ingress.store")
                            .description("From a callback reaching the durable store to the broker's commit")
                            .publishPercentiles(0.5, 0.99).register(r);
                    batchTime = Timer.builder("rcs.dispatch.batch")
                            .description("One dispatch transaction: from its first event taken to its commit")
                            .publishPercentiles(0.5, 0.99).register(r);
                    registry = r;
                }
            }
        }
        return r;
    }

    private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();

    public void httpResponse(String route, int status, String outcome) {
        counter("rcs.http.responses", "route", route, "status", String.valueOf(status), "outcome", outcome)
                .increment();
    }

    public void routed(String route, int events) {
        counter("rcs.routed", "route", route).increment(events);
    }

    public void repeats(int events) {
        counter("rcs.dispatch.repeats").increment(events);
    }

    public void deadLetter(String queue) {
        counter("rcs.dead.letters", "queue", queue).increment();
    }

    public void consentDecision(String action, String outcome, String source) {
        counter("rcs.consent.decisions", "action", action, "outcome", outcome, "source", source).increment();
    }

    public void crmRequest(String outcome) {
        counter("rcs.crm.requests", "outcome", outcome).increment();
    }

    /** A CRM request dead-lettered: its outcome (refused, failed) and the queue. */
    public void crmDeadLetter(String outcome, String queue) {
        crmRequest(outcome);
        deadLetter(queue);
    }

    /** When dispatch last committed a batch (or parked messages): what {@link DispatchProgress} watches. */
    private volatile long lastProgressNanos = System.nanoTime();

    public void progress() {
        lastProgressNanos = System.nanoTime();
    }

    public long nanosSinceProgress() {
        return System.nanoTime() - lastProgressNanos;
    }

    public void batch(int events, long nanos) {
        progress();
        if (registry() != FALLBACK) {
            batchEvents.record(events);
            batchTime.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    public void stored(long nanos) {
        if (registry() != FALLBACK) {
            storeTime.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Counter counter(String name, String... tags) {
        String key = name + String.join("\u0000", tags);
        Counter c = counters.get(key);
        if (c == null) {
            MeterRegistry r = registry();
            if (r == FALLBACK) {
                return Counter.builder(name).tags(tags).register(FALLBACK);
            }
            c = counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(r));
        }
        return c;
    }
}
