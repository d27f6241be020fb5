package io.rcsrouter.infra;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the OpenTelemetry SDK when tracing is on ({@code RCS_TRACING_ENABLED=true}), configured the standard way,
 * from the {@code OTEL_*} environment variables (exporter, endpoint, service name, sampler). Camel's OpenTelemetry
 * integration then traces each callback from the HTTP request, through the JMS queues (the {@code traceparent}
 * travels as a message property), to the CRM call, which carries it on as an HTTP header.
 */
public final class Tracing {

    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

    private Tracing() {
    }

    public static void install() {
        if (System.getenv("OTEL_SERVICE_NAME") == null && System.getProperty("otel.service.name") == null) {
            System.setProperty("otel.service.name", "rcs-callback-router");
        }
        try {
            AutoConfiguredOpenTelemetrySdk.builder().setResultAsGlobal().build();
            LOG.info("OpenTelemetry tracing on (exporter and endpoint from OTEL_* settings)");
        } catch (IllegalStateException alreadyInstalled) {
            // the OpenTelemetry Java agent, or a host application, installed one already: use it
            LOG.info("OpenTelemetry tracing on, with the OpenTelemetry already installed in this JVM");
        }
    }
}
