package io.rcsrouter.infra;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness and the backlog limit as Prometheus gauges, so that an alert needs neither a probe exporter nor a
 * limit copied into the rule:
 * <ul>
 *   <li>{@code rcs_ready}: 1 while {@code /observe/health/ready} answers UP, 0 while it answers 503 (the same
 *       readiness checks, judged the same way: the routes, the broker, the database, the backlog)</li>
 *   <li>{@code rcs_backlog_held_events}: the unconsumed events the broker holds, as {@link BacklogLimit} counts them
 *       (the sum of the readable {@code rcs_queue_depth} gauges)</li>
 *   <li>{@code rcs_backlog_limit_events}: {@code rcs.broker.max-held-events}, where callbacks start to be answered
 *       503 (0: no limit)</li>
 * </ul>
 * Readiness is evaluated every {@code intervalSeconds} on a thread of its own, like the queue depths, so that a
 * scrape never waits on the broker or the database.
 */
public final class ReadinessGauges extends PolledGauges {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessGauges.class);

    private final BacklogLimit backlog;
    private final AtomicInteger ready = new AtomicInteger(0);

    public ReadinessGauges(CamelContext context, BacklogLimit backlog, long intervalSeconds) {
        super(context, "readiness-gauges", intervalSeconds);
        this.backlog = backlog;
    }

    /** The last readiness read: 1 ready, 0 not (for tests). */
    public int ready() {
        return ready.get();
    }

    @Override
    protected void refresh() {
        try {
            ready.set(isReady() ? 1 : 0);
        } catch (Throwable e) {
            ready.set(0);
            LOG.debug("Could not evaluate readiness: {}", e.toString());
        }
    }

    /** What {@code /observe/health/ready} answers: every readiness check that is not excluded is UP. */
    private boolean isReady() {
        return context.isStarted()
                && HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(context), true);
    }

    @Override
    protected void register(MeterRegistry registry) {
        Gauge.builder("rcs.ready", ready, AtomicInteger::get)
                .description("1 while /observe/health/ready is UP, 0 while it answers 503").register(registry);
        Gauge.builder("rcs.backlog.held.events", backlog, BacklogLimit::heldEvents)
                .description("Unconsumed events the broker holds on the router's queues, as the backlog limit counts"
                        + " them").register(registry);
        Gauge.builder("rcs.backlog.limit.events", backlog, BacklogLimit::maxHeldEvents)
                .description("rcs.broker.max-held-events: callbacks are answered 503 from this many held events"
                        + " (0: no limit)").register(registry);
    }
}
