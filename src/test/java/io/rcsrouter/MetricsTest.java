package io.rcsrouter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A known set of callbacks moves the Prometheus counters by exactly what it should: HTTP answers by status and
 * outcome, routing decisions, consent verdicts, CRM outcomes; queue depth gauges show what waits on the queues.
 */
class MetricsTest {

    static final Instant T = Instant.parse("2026-04-20T09:00:00Z");

    @Test
    void countersFollowAKnownSetOfCallbacks() throws Exception {
        int managementPort = RouterHarness.freePort();
        try (RouterHarness router = RouterHarness.start(Map.of(
                "rcs.management.port", String.valueOf(managementPort),
                "rcs.metrics.queue-depth-interval-seconds", "1"))) {
            router.postJson(Callbacks.text("met-1", "19785560001", "Hello"));
            router.postJson(Callbacks.text("met-2", "19785560002", "Is the store open?"));
            router.postJson(Callbacks.text("met-3", "19785560003", "STOP", T));
            router.postJson(Callbacks.text("met-4", "19785560003", "stop!", T.plusSeconds(5)));
            router.postJson(Samples.read("dr/01-sent.json"));
            router.postJson(Samples.read("dr/02-delivered.json"));
            router.postJson(Samples.read("mo/12-composing.json"));
            router.postJson("{not json");
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    router.count("SELECT COUNT(*) FROM rcs_audit WHERE status IN ('ROUTED', 'DELIVERED')") == 7);
            // a repeat, once the original is audited
            assertThat(router.postJson(Callbacks.text("met-1", "19785560001", "Hello")).body()).contains("duplicate");

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                String m = scrape(managementPort);
                assertThat(value(m, "rcs_http_responses_total", "route", "ingress", "status", "200", "outcome", "accepted"))
                        .isEqualTo(7);
                assertThat(value(m, "rcs_http_responses_total", "route", "ingress", "status", "200", "outcome", "duplicate"))
                        .isEqualTo(1);
                assertThat(value(m, "rcs_http_responses_total", "route", "ingress", "status", "400", "outcome", "refused"))
                        .isEqualTo(1);
                assertThat(value(m, "rcs_routed_total", "route", "CRM")).isEqualTo(2);
                assertThat(value(m, "rcs_routed_total", "route", "OPT_OUT")).isEqualTo(2);
                assertThat(value(m, "rcs_routed_total", "route", "DELIVERY")).isEqualTo(2);
                assertThat(value(m, "rcs_routed_total", "route", "TYPING")).isEqualTo(1);
                assertThat(value(m, "rcs_consent_decisions_total", "action", "OPT_OUT", "outcome", "CHANGED",
                        "source", "KEYWORD")).isEqualTo(1);
                assertThat(value(m, "rcs_consent_decisions_total", "action", "OPT_OUT", "outcome", "UNCHANGED",
                        "source", "KEYWORD")).isEqualTo(1);
                assertThat(value(m, "rcs_crm_requests_total", "outcome", "delivered")).isEqualTo(2);
                // nobody consumes the delivery and compliance queues in this test: they wait there
                assertThat(value(m, "rcs_queue_depth", "queue", "rcs.delivery")).isEqualTo(2);
                assertThat(value(m, "rcs_queue_depth", "queue", "rcs.compliance.optout")).isEqualTo(1);
                assertThat(value(m, "rcs_queue_depth", "queue", "rcs.inbound")).isEqualTo(0);
                assertThat(value(m, "rcs_crm_circuit_open")).isEqualTo(0);
                // the engine's timings: the durable store of each callback, each dispatch transaction
                assertThat(value(m, "rcs_ingress_store_seconds_count")).isEqualTo(8);
                assertThat(value(m, "rcs_dispatch_batch_seconds_count")).isGreaterThanOrEqualTo(1);
                assertThat(value(m, "rcs_dispatch_batch_events_sum")).isEqualTo(8);
            });
        }
    }

    static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void repeatsThatReachDispatchAreCountedNotRouted() throws Exception {
        int managementPort = RouterHarness.freePort();
        // no duplicate check at ingress: every copy is accepted and reaches dispatch, which finds the audit row
        try (RouterHarness router = RouterHarness.start(Map.of(
                "rcs.management.port", String.valueOf(managementPort),
                "rcs.ingress.duplicate-check", "off"))) {
            String body = Callbacks.text("met-rep-1", "19785560011", "Hello again");
            for (int i = 0; i < 3; i++) {
                assertThat(router.postJson(body).body()).contains("accepted");
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                String m = scrape(managementPort);
                assertThat(value(m, "rcs_dispatch_repeats_total")).isEqualTo(2);
                assertThat(value(m, "rcs_routed_total", "route", "CRM")).isEqualTo(1);
            });
            assertThat(router.auditRow("event:met-rep-1").get("duplicates")).isEqualTo(2);
        }
    }

    /** The value of the sample named {@code name} carrying all the given label pairs; -1 if there is none. */
    static double value(String metrics, String name, String... labels) {
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
