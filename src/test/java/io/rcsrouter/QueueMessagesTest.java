package io.rcsrouter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rcsrouter.support.AuditFaultTrigger;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.JmsHygiene;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The messages the router writes to the queues that the sample-routing test does not see: the inbound queue (what
 * ingress stores before it answers 200), the CRM outbound queue, and the two dead-letter queues. Each one is sent
 * persistent (the broker keeps it on disk: the 200 promises that), and carries none of the callback's HTTP headers
 * and not the subscriber's number as a JMS property ({@link JmsHygiene}). The delivery, compliance and unrouted
 * queues get the same checks in {@code SampleRoutingContract}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueMessagesTest {

    static final Instant T = Instant.parse("2026-04-20T09:01:28.667Z");
    static final Map<String, String> HTTP_HEADERS = Map.of(
            "Authorization", "Bearer qm-secret-5511",
            "Cookie", "session=qm-cookie-5512",
            "User-Agent", "qm-agent-5513/2.0",
            "X-Forwarded-For", "198.51.100.55",
            "X-Custom.Header", "qm-custom-5515",
            "rcsRoute", "FORGED-5516");

    WireMockServer crm;
    RouterHarness router;

    @BeforeAll
    void start() throws Exception {
        crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(10).willReturn(aResponse().withStatus(200)));
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).withRequestBody(containing("refuse-me"))
                .willReturn(aResponse().withStatus(400)));
        router = RouterHarness.start(Map.of(
                "rcs.crm.url", crm.baseUrl() + "/crm",
                "rcs.dispatch.max-deliveries", "2",
                "rcs.broker.embedded.redelivery-delay-ms", "50"));
        try (var c = router.dataSource().getConnection()) {
            AuditFaultTrigger.install(c);
        }
    }

    @AfterAll
    void stop() throws Exception {
        router.close();
        crm.stop();
    }

    private void send(String body) throws Exception {
        String[] headers = HTTP_HEADERS.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new);
        assertThat(router.postJson(body, headers).statusCode()).isEqualTo(200);
    }

    @Test
    void theInboundQueueHoldsTheCallbackPersistentAndClean() throws Exception {
        router.context().getRouteController().stopRoute("dispatch");
        try {
            send(Callbacks.text("qm-in-1", "19785551101", "hello"));
            List<RouterHarness.Received> held = router.browse("rcs.inbound");
            assertThat(held).as("stored before the answer").hasSize(1);
            RouterHarness.Received m = held.get(0);
            assertThat(m.persistent()).as("inbound send is persistent").isTrue();
            assertThat(m.body()).contains("qm-in-1");
            JmsHygiene.assertClean("rcs.inbound", m, "19785551101", HTTP_HEADERS);
        } finally {
            router.context().getRouteController().startRoute("dispatch");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> router.auditRow("event:qm-in-1") != null);
    }

    @Test
    void theCrmQueueHoldsTheRequestPersistentAndClean() throws Exception {
        router.context().getRouteController().stopRoute("crm-forwarder");
        try {
            send(Callbacks.text("qm-crm-1", "19785551102", "hello crm"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !router.browse("rcs.crm.outbound").isEmpty());
            RouterHarness.Received m = router.browse("rcs.crm.outbound").get(0);
            assertThat(m.persistent()).isTrue();
            assertThat(m.properties()).containsEntry("rcsDedupKey", "event:qm-crm-1");
            JmsHygiene.assertClean("rcs.crm.outbound", m, "19785551102", HTTP_HEADERS);
        } finally {
            router.context().getRouteController().startRoute("crm-forwarder");
        }
    }

    @Test
    void theCrmDeadLetterQueueHoldsTheRefusedRequestPersistentAndClean() throws Exception {
        send(Callbacks.text("qm-dlq-1", "19785551103", "refuse-me"));
        RouterHarness.Received m = awaitOn("rcs.crm.dlq", "event:qm-dlq-1");
        assertThat(m.persistent()).isTrue();
        assertThat(m.properties().get("rcsFailure").toString()).contains("400");
        JmsHygiene.assertClean("rcs.crm.dlq", m, "19785551103", HTTP_HEADERS);
    }

    @Test
    void theDispatchDeadLetterQueueHoldsThePoisonEventPersistentAndClean() throws Exception {
        AuditFaultTrigger.FAULTS.put("msg-qm-poison-1", new AtomicInteger(-1));
        send(Callbacks.text("qm-poison-1", "19785551104", "STOP")); // an opt-out: its audit update fails
        RouterHarness.Received m = awaitOn("rcs.dispatch.dlq", "event:qm-poison-1");
        assertThat(m.persistent()).isTrue();
        JmsHygiene.assertClean("rcs.dispatch.dlq", m, "19785551104", HTTP_HEADERS);
    }

    private RouterHarness.Received awaitOn(String queue, String key) throws Exception {
        List<RouterHarness.Received> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            got.addAll(router.drainNow(queue));
            return got.stream().anyMatch(m -> key.equals(m.properties().get("rcsDedupKey")));
        });
        return got.stream().filter(m -> key.equals(m.properties().get("rcsDedupKey"))).findFirst().orElseThrow();
    }
}
