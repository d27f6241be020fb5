package io.rcsrouter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.LogCapture;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backlog that nobody drains is bounded: once the broker holds rcs.broker.max-held-events unconsumed events,
 * callbacks are answered 503 with Retry-After (not stored, the sender retries), readiness is DOWN, and the log names
 * each refused event; when a consumer drains the queue, callbacks are taken again. The real embedded broker and
 * queue depth reads, with a limit of 3. The gauges that alerts read follow: rcs_ready goes 1, 0, 1 with readiness,
 * rcs_backlog_held_events counts what is held, rcs_backlog_limit_events is the limit.
 */
class BacklogLimitTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void callbacksAreRefusedWhileTheBacklogIsFullAndTakenAgainOnceItDrains() throws Exception {
        int managementPort = RouterHarness.freePort();
        try (LogCapture logs = LogCapture.onRoot();
                RouterHarness router = RouterHarness.start(Map.of(
                        "rcs.management.port", String.valueOf(managementPort),
                        "rcs.metrics.queue-depth-interval-seconds", "1",
                        "rcs.broker.max-held-events", "3"))) {
            // the gauges the alerts read: ready, nothing held yet, the limit as configured
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                String m = MetricsTest.scrape(managementPort);
                assertThat(MetricsTest.value(m, "rcs_ready")).isEqualTo(1);
                assertThat(MetricsTest.value(m, "rcs_backlog_held_events")).isEqualTo(0);
                assertThat(MetricsTest.value(m, "rcs_backlog_limit_events")).isEqualTo(3);
            });
            // nobody consumes rcs.delivery in this test: three delivery reports fill the backlog
            for (int i = 1; i <= 3; i++) {
                assertThat(router.postJson(Callbacks.deliveryReport("held-" + i, "19785570001")).statusCode())
                        .isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> ready(managementPort).statusCode() == 503);
            assertThat(ready(managementPort).body()).contains("backlog full: 3 events held, limit 3");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                String m = MetricsTest.scrape(managementPort);
                assertThat(MetricsTest.value(m, "rcs_ready")).as("readiness DOWN, as a gauge").isEqualTo(0);
                assertThat(MetricsTest.value(m, "rcs_backlog_held_events")).isEqualTo(3);
            });

            HttpResponse<String> refused = router.postJson(Callbacks.deliveryReport("held-4", "19785570001"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).isEqualTo(
                    "{\"error\":\"the router holds too many undelivered events; retry later\"}");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .isEqualTo("Callback event:held-4 NOT stored, answered 503: backlog full: 3 events held, limit 3"));
            // the refused event was not stored: three audit rows, three messages waiting
            List<RouterHarness.Received> delivered = router.drain("rcs.delivery", Duration.ofSeconds(5));
            assertThat(delivered).hasSize(3);
            assertThat(router.count("SELECT COUNT(*) FROM rcs_audit")).isEqualTo(3);

            // the ESB has consumed the queue: readiness is UP and the sender's retry is taken
            await().atMost(Duration.ofSeconds(15)).until(() -> ready(managementPort).statusCode() == 200);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                String m = MetricsTest.scrape(managementPort);
                assertThat(MetricsTest.value(m, "rcs_ready")).isEqualTo(1);
                assertThat(MetricsTest.value(m, "rcs_backlog_held_events")).isEqualTo(0);
            });
            assertThat(router.postJson(Callbacks.deliveryReport("held-4", "19785570001")).statusCode())
                    .isEqualTo(200);
            assertThat(router.drain("rcs.delivery", Duration.ofSeconds(10))).singleElement()
                    .satisfies(m -> assertThat(m.body()).contains("held-4"));
            assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE dedup_key = 'event:held-4'")).isEqualTo(1);
        }
    }

    static HttpResponse<String> ready(int managementPort) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
