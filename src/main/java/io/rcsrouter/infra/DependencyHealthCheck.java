package io.rcsrouter.infra;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one thing the router depends on (the broker, the database, room in the backlog):
 * {@code /observe/health/ready} is DOWN while it cannot be reached or is full, so a load balancer stops sending
 * callbacks that would only get 503. Liveness is not affected: restarting the router would not bring the broker back.
 */
public final class DependencyHealthCheck extends AbstractHealthCheck {

    /** Throws, saying why, when the dependency cannot take work. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    private final Probe probe;

    public DependencyHealthCheck(String id, Probe probe) {
        super("rcs", id);
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            probe.check();
            builder.up();
        } catch (Exception e) {
            builder.message(getId() + " not ready: " + e.getMessage()).error(e).down();
        }
    }
}
