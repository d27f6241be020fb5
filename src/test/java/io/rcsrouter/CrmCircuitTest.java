package io.rcsrouter;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rcsrouter.crm.CrmCircuit;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.LogCapture;
import io.rcsrouter.support.RouterHarness;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A CRM that is down for a while: once the circuit opens, forwarding pauses and requests wait on rcs.crm.outbound
 * instead of filling the dead-letter queue; when the CRM is back, everything is delivered. Nothing is lost: every
 * request ends DELIVERED or, for the few that failed before the circuit opened, on rcs.crm.dlq.
 */
class CrmCircuitTest {

    WireMockServer crm;
    RouterHarness router;

    @AfterEach
    void stop() throws Exception {
        router.close();
        crm.stop();
    }

    @Test
    void aDeadCrmPausesForwardingAndTheBacklogIsDeliveredWhenItReturns() throws Exception {
        deadCrmThenBack("0");
    }

    /**
     * The same outage, with requests queued again after 2 deliveries (rcs.crm.requeue-after-deliveries; the default
     * 5 stays below Artemis's max-delivery-attempts of 10): the requests the circuit's pauses rolled back are
     * queued anew, and still each ends DELIVERED or dead-lettered once.
     */
    @Test
    void requestsRolledBackByTheCircuitAreQueuedAgainAndNoneIsLost() throws Exception {
        try (LogCapture logs = LogCapture.onRoot()) {
            deadCrmThenBack("2");
            assertThat(logs.events()).anyMatch(e -> e.getFormattedMessage().contains("while the CRM was away: queued"
                    + " again"));
        }
    }

    private void deadCrmThenBack(String requeueAfter) throws Exception {
        crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(503)));
        router = RouterHarness.start(Map.of(
                "rcs.crm.url", crm.baseUrl() + "/crm",
                "rcs.crm.consumers", "2",
                "rcs.crm.max-retries", "1",
                "rcs.crm.retry-delay-ms", "20",
                "rcs.crm.retry-max-delay-ms", "40",
                "rcs.crm.circuit.minimum-calls", "3",
                "rcs.crm.circuit.window-size", "5",
                "rcs.crm.circuit.open-seconds", "2",
                "rcs.broker.embedded.redelivery-delay-ms", "100",
                "rcs.crm.requeue-after-deliveries", requeueAfter));
        CrmCircuit circuit = router.context().getRegistry().lookupByNameAndType("crmCircuit", CrmCircuit.class);

        int n = 30;
        int accepted = n + 1; // and one more while the circuit is open
        for (int i = 0; i < n; i++) {
            assertThat(router.postJson(Callbacks.text("circ-" + i, "1978559" + (1000 + i), "hello " + i))
                    .statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> circuit.state().equals("OPEN"));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                router.context().getRouteController().getRouteStatus("crm-forwarder") == ServiceStatus.Suspended);
        int requestsWhileDown = crm.getAllServeEvents().size();
        // a CRM outage is not the router's: callbacks are still accepted and stored, so readiness stays UP (a
        // DOWN router would be taken out of the load balancer and Kaleyra's callbacks refused for nothing)
        HttpResponse<String> ready = router.management("/observe/health/ready");
        assertThat(ready.statusCode()).as("readiness while the CRM circuit is open: %s", ready.body()).isEqualTo(200);
        assertThat(router.postJson(Callbacks.text("circ-open", "19785590999", "still there?")).statusCode())
                .isEqualTo(200);

        if (!requeueAfter.equals("0")) {
            // the outage lasts until the circuit's pauses have rolled some requests back twice
            Thread.sleep(6_000);
        }
        // the CRM comes back
        crm.resetAll();
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(200)));

        List<RouterHarness.Received> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            dead.addAll(router.drainNow("rcs.crm.dlq"));
            long delivered = router.count("SELECT COUNT(*) FROM rcs_audit WHERE dedup_key LIKE 'event:circ-%'"
                    + " AND status = 'DELIVERED'");
            assertThat(delivered + dead.size()).as("every request delivered or dead-lettered").isEqualTo(accepted);
        });
        assertThat(circuit.state()).isEqualTo("CLOSED");
        assertThat(dead).as("only requests that failed before the circuit opened are dead-lettered").hasSizeLessThanOrEqualTo(3);
        assertThat(requestsWhileDown).as("the dead CRM was not hammered with every request").isLessThan(2 * n);
        assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE dedup_key LIKE 'event:circ-%' AND status = 'FAILED'"))
                .isEqualTo(dead.size());
    }
}
