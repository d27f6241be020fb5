package io.rcsrouter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With tracing on, the trace a callback arrives with (traceparent) is the trace of every step: the ingress, dispatch
 * after the queue, the CRM forwarder after the next queue, and the CRM call, which carries it on.
 */
class TracingTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @AfterEach
    void reset() {
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void theCallersTraceReachesTheCrmCall() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        // W3C trace context, as the SDK's autoconfiguration sets up by default in production
        GlobalOpenTelemetry.set(OpenTelemetrySdk.builder()
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .build());
        WireMockServer crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(200)));
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.tracing.enabled", "true",
                "rcs.crm.url", crm.baseUrl() + "/crm"))) {
            var r = router.postJson(Callbacks.text("trace-1", "19785570001", "Where is my parcel?"),
                    "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
            assertThat(r.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(15)).until(() -> !crm.findAll(postRequestedFor(urlEqualTo("/crm"))).isEmpty());

            String forwarded = crm.findAll(postRequestedFor(urlEqualTo("/crm"))).get(0).getHeader("traceparent");
            assertThat(forwarded).as("the CRM call carries the caller's trace").startsWith("00-" + TRACE_ID + "-");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<SpanData> all = spans.getFinishedSpanItems();
                assertThat(all).extracting(SpanData::getTraceId).contains(TRACE_ID);
                assertThat(all.stream().filter(s -> s.getTraceId().equals(TRACE_ID)).map(SpanData::getName).toList())
                        .as("spans of the trace").anyMatch(n -> n.contains("rcs.inbound"))
                        .anyMatch(n -> n.contains("rcs.crm.outbound"));
            });
        } finally {
            crm.stop();
        }
    }
}
