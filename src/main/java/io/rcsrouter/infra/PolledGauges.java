package io.rcsrouter.infra;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges whose values are read on a thread of their own every {@code intervalSeconds}, so that a scrape never waits on
 * the broker or the database: each poll registers the gauges once the meter registry exists (camel-main binds it
 * after the configuration classes ran), then {@link #refresh()}es the values they show.
 */
abstract class PolledGauges extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(PolledGauges.class);

    protected final CamelContext context;
    private final String threadName;
    private final long intervalSeconds;
    private ScheduledExecutorService poller;
    private volatile boolean registered;

    PolledGauges(CamelContext context, String threadName, long intervalSeconds) {
        this.context = context;
        this.threadName = threadName;
        this.intervalSeconds = intervalSeconds;
    }

    /** Registers the gauges (called once, with the registry). */
    protected abstract void register(MeterRegistry registry);

    /** Reads the values anew; a failure is the subclass's to show in its values. */
    protected abstract void refresh();

    @Override
    protected void doStart() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, 1, intervalSeconds, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    void poll() {
        try {
            if (!registered) {
                MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
                if (registry != null) {
                    register(registry);
                    registered = true;
                }
            }
        } catch (Throwable e) {
            LOG.debug("Could not register the {} gauges: {}", threadName, e.toString());
        }
        refresh();
    }
}
