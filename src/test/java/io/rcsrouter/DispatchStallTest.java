package io.rcsrouter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import java.util.concurrent.atomic.AtomicInteger;

import io.rcsrouter.support.AuditFaultTrigger;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness tells the truth about dispatch: while accepted events wait and no batch is committed, readiness is DOWN
 * and names dispatch; once dispatch commits again, it is UP. The stall here is the one of bench/RESULTS.md 4a: the
 * database refuses every audit row as if it were away (SQL state 08006, so dispatch waits and tries again instead
 * of parking the events), while readiness's own database write still works.
 */
class DispatchStallTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessIsDownWhileEventsWaitAndDispatchCommitsNothing() throws Exception {
        AuditFaultTrigger.FAULTS.clear();
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.dispatch.stall-seconds", "2",
                "rcs.metrics.queue-depth-interval-seconds", "1"))) {
            assertThat(router.postJson(Callbacks.text("stall-0", "19785550700", "hi")).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> router.auditRow("event:stall-0") != null);
            assertThat(ready(router).statusCode()).isEqualTo(200);

            try (var c = router.dataSource().getConnection()) {
                AuditFaultTrigger.install(c);
            }
            AuditFaultTrigger.sqlState = "08006";
            for (int i = 1; i <= 3; i++) {
                AuditFaultTrigger.FAULTS.put("msg-stall-" + i, new AtomicInteger(-1));
            }
            for (int i = 1; i <= 3; i++) {
                // opt-outs: their audit rows are written ROUTED, the write the trigger fails
                assertThat(router.postJson(Callbacks.text("stall-" + i, "1978555071" + i, "STOP")).statusCode())
                        .isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> ready(router).statusCode() == 503);
            assertThat(ready(router).body()).contains("dispatch").contains("events wait on rcs.inbound");

            assertThat(AuditFaultTrigger.INJECTED).containsKey("msg-stall-1");
            AuditFaultTrigger.FAULTS.clear();
            await().atMost(Duration.ofSeconds(40)).until(() -> router.auditRow("event:stall-3") != null);
            await().atMost(Duration.ofSeconds(15)).until(() -> ready(router).statusCode() == 200);
        } finally {
            AuditFaultTrigger.sqlState = "45000";
            AuditFaultTrigger.FAULTS.clear();
        }
    }

    private HttpResponse<String> ready(RouterHarness router) throws Exception {
        String port = router.context().getPropertiesComponent().resolveProperty("rcs.management.port").orElseThrow();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
