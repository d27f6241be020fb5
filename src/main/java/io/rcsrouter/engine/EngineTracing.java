package io.rcsrouter.engine;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.camel.Exchange;

/**
 * Tracing across the engine's own queue hops (RCS_TRACING_ENABLED): the trace a callback arrives with is stored
 * with it on the inbound queue ({@code traceparent}, W3C), dispatch opens a span of that trace for the event
 * ({@code rcs.inbound process}) and every message it sends on carries that span as its parent, so that the CRM
 * forwarder (traced by camel-opentelemetry2) and the CRM call continue the caller's trace. Off: nothing is stored,
 * nothing costs.
 */
public final class EngineTracing {

    public static final String TRACEPARENT = "traceparent";
    private static volatile boolean enabled;

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private EngineTracing() {
    }

    public static void enable(boolean on) {
        enabled = on;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** At ingress: the trace to store with the callback (the current span, else the caller's header); or null. */
    static String traceparent(Exchange exchange) {
        if (!enabled) {
            return null;
        }
        SpanContext current = Span.current().getSpanContext();
        if (current.isValid()) {
            return format(current);
        }
        return exchange.getMessage().getHeader(TRACEPARENT, String.class);
    }

    /** In dispatch: a span for one event, child of the stored trace; null when there is none or tracing is off. */
    static Span start(String traceparent) {
        if (!enabled || traceparent == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        carrier.put(TRACEPARENT, traceparent);
        Context parent = GlobalOpenTelemetry.getPropagators().getTextMapPropagator()
                .extract(Context.root(), carrier, GETTER);
        return GlobalOpenTelemetry.getTracer("rcs-callback-router").spanBuilder("rcs.inbound process")
                .setParent(parent).setSpanKind(SpanKind.CONSUMER).startSpan();
    }

    static String format(SpanContext c) {
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }
}
