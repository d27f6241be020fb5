package io.rcsrouter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.LogCapture;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CRM forwarding against a real HTTP server (WireMock) that fails in the ways CRMs fail: 5xx then recovery, 4xx,
 * a permanent 5xx, and answers slower than the timeout. Retries are bounded, 4xx is not retried, and what cannot
 * be delivered lands on rcs.crm.dlq with the reason while its audit row says FAILED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmForwardingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_RETRIES = 3;
    WireMockServer crm;
    RouterHarness router;

    @BeforeAll
    void start() throws Exception {
        crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        router = RouterHarness.start(Map.of(
                "rcs.crm.url", crm.baseUrl() + "/crm",
                "rcs.crm.max-retries", String.valueOf(MAX_RETRIES),
                "rcs.crm.retry-delay-ms", "50",
                "rcs.crm.retry-max-delay-ms", "200",
                "rcs.crm.response-timeout-ms", "700",
                // the tests here fail requests on purpose, one after another: the circuit (CrmCircuitTest) stays out
                "rcs.crm.circuit.minimum-calls", "1000",
                "rcs.crm.circuit.window-size", "1000",
                "rcs.admin.token", "adm1n"));
    }

    @AfterAll
    void stop() throws Exception {
        router.close();
        crm.stop();
    }

    @BeforeEach
    void reset() {
        crm.resetAll();
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(10).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void serverErrorsAreRetriedUntilTheCrmRecovers() throws Exception {
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(500))
                .willSetStateTo("failed-once"));
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs("failed-once").willReturn(aResponse().withStatus(502))
                .willSetStateTo("recovered"));
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).inScenario("flaky")
                .whenScenarioStateIs("recovered").willReturn(aResponse().withStatus(201)));

        String key = send("crm-flaky", "Where is my parcel?");

        awaitStatus(key, "DELIVERED");
        crm.verify(3, postRequestedFor(urlEqualTo("/crm")).withHeader("Idempotency-Key", equalTo(key)));
        // every attempt carried the same body
        assertThat(crm.findAll(postRequestedFor(urlEqualTo("/crm"))).stream()
                .map(com.github.tomakehurst.wiremock.verification.LoggedRequest::getBodyAsString).distinct())
                .hasSize(1);
        assertThat(router.auditRow(key).get("detail")).isEqualTo("CRM answered 201");
        assertThat(dlqKeys()).doesNotContain(key);
    }

    @Test
    void requestTimeoutAnswersAreRetriedWithTheSameKey() throws Exception {
        failTwiceThenAccept(408, "crm-408");
    }

    @Test
    void tooManyRequestsAnswersAreRetriedWithTheSameKey() throws Exception {
        failTwiceThenAccept(429, "crm-429");
    }

    /** The CRM answers {@code status} twice, then 200: three attempts, one key, delivered, nothing dead-lettered. */
    private void failTwiceThenAccept(int status, String eventId) throws Exception {
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).inScenario(eventId)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(status))
                .willSetStateTo("once"));
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).inScenario(eventId)
                .whenScenarioStateIs("once").willReturn(aResponse().withStatus(status))
                .willSetStateTo("twice"));
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).inScenario(eventId)
                .whenScenarioStateIs("twice").willReturn(aResponse().withStatus(200)));

        String key = send(eventId, "status " + status + " then fine");

        awaitStatus(key, "DELIVERED");
        var attempts = crm.findAll(postRequestedFor(urlEqualTo("/crm")));
        assertThat(attempts).as("the first try and two retries").hasSize(3);
        assertThat(attempts).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(key);
        assertThat(attempts.stream().map(com.github.tomakehurst.wiremock.verification.LoggedRequest::getBodyAsString)
                .distinct()).as("the same body every time").hasSize(1);
        assertThat(dlqKeys()).doesNotContain(key);
    }

    @Test
    void permanentTooManyRequestsIsRetriedUpToTheLimitThenDeadLettered() throws Exception {
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).withRequestBody(containing("always-429"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
        // an hour's Retry-After does not hold the forwarder: the router's own back-off applies
        String key = send("crm-429-always", "always-429");
        awaitStatus(key, "FAILED");
        crm.verify(1 + MAX_RETRIES, postRequestedFor(urlEqualTo("/crm")).withHeader("Idempotency-Key", equalTo(key)));
        assertThat(awaitDeadLetter(key).properties().get("rcsFailure").toString())
                .contains("after " + MAX_RETRIES + " retries");
    }

    /**
     * Nothing listens where the CRM should be (connection refused): each attempt fails before any request exists,
     * so the attempts are counted from the retry log lines; once the CRM listens, the next retry delivers the
     * request, with its key. A second router, with its own unreachable CRM.
     */
    @Test
    void aRefusedConnectionIsRetriedAndDeliveredWhenTheCrmListens() throws Exception {
        int port = RouterHarness.freePort();
        try (LogCapture log = LogCapture.onRoot(); RouterHarness second = RouterHarness.start(Map.of(
                "rcs.crm.url", "http://127.0.0.1:" + port + "/crm",
                "rcs.crm.max-retries", "6",
                "rcs.crm.retry-delay-ms", "300",
                "rcs.crm.retry-max-delay-ms", "600"))) {
            assertThat(second.postJson(Callbacks.text("crm-refused", "19785550198", "anyone there?")).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> refusedRetries(log) >= 2);
            WireMockServer late = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
            late.start();
            try {
                late.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(200)));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                        second.auditRow("event:crm-refused")).extractingByKey("status").isEqualTo("DELIVERED"));
                late.verify(1, postRequestedFor(urlEqualTo("/crm"))
                        .withHeader("Idempotency-Key", equalTo("event:crm-refused")));
            } finally {
                late.stop();
            }
            assertThat(second.drainNow("rcs.crm.dlq")).isEmpty();
        }
    }

    @Test
    void aConnectionRefusedForGoodIsRetriedUpToTheLimitThenDeadLettered() throws Exception {
        int port = RouterHarness.freePort();
        try (LogCapture log = LogCapture.onRoot(); RouterHarness second = RouterHarness.start(Map.of(
                "rcs.crm.url", "http://127.0.0.1:" + port + "/crm",
                "rcs.crm.max-retries", "3",
                "rcs.crm.retry-delay-ms", "50",
                "rcs.crm.retry-max-delay-ms", "100"))) {
            assertThat(second.postJson(Callbacks.text("crm-refused-2", "19785550197", "hello?")).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    second.auditRow("event:crm-refused-2")).extractingByKey("status").isEqualTo("FAILED"));
            assertThat(refusedRetries(log)).as("3 retries after the first attempt").isEqualTo(3);
            List<RouterHarness.Received> dead = second.drain("rcs.crm.dlq", Duration.ofSeconds(5));
            assertThat(dead).extracting(m -> m.properties().get("rcsDedupKey")).containsExactly("event:crm-refused-2");
            assertThat(dead.get(0).properties().get("rcsFailure").toString()).contains("after 3 retries");
        }
    }

    /**
     * Retries scheduled after a refused connection, from the forwarder's log lines (crm-errors), one per retry:
     * "CRM delivery of KEY failed, retry N of M in D ms: ...".
     */
    private static long refusedRetries(LogCapture log) {
        return log.events().stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("failed, retry") && m.contains("Connection refused")).count();
    }

    /**
     * A retry waits on the broker, not on a consumer: with one consumer and a back-off of 4 s, a request that fails
     * once does not hold up the next one, which is delivered while the first waits for its retry; the first is then
     * delivered by that retry, once.
     */
    @Test
    void aRetryWaitingForItsBackOffHoldsNoConsumer() throws Exception {
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).inScenario("back-off")
                .whenScenarioStateIs(Scenario.STARTED).withRequestBody(containing("fails once"))
                .willReturn(aResponse().withStatus(503)).willSetStateTo("failed"));
        try (RouterHarness one = RouterHarness.start(Map.of(
                "rcs.crm.url", crm.baseUrl() + "/crm",
                "rcs.crm.consumers", "1",
                "rcs.crm.retry-delay-ms", "4000",
                "rcs.crm.retry-max-delay-ms", "4000"))) {
            assertThat(one.postJson(Callbacks.text("crm-backoff-1", "19785550196", "fails once")).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> crm.countRequestsMatching(
                    postRequestedFor(urlEqualTo("/crm")).build()).getCount() == 1);
            long failedAt = System.nanoTime();
            assertThat(one.postJson(Callbacks.text("crm-backoff-2", "19785550196", "fine")).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    one.auditRow("event:crm-backoff-2")).extractingByKey("status").isEqualTo("DELIVERED"));
            assertThat(Duration.ofNanos(System.nanoTime() - failedAt))
                    .as("the second request went out while the first waited for its retry").isLessThan(
                            Duration.ofMillis(3_400));
            assertThat(one.auditRow("event:crm-backoff-1")).extractingByKey("status").isNotEqualTo("DELIVERED");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    one.auditRow("event:crm-backoff-1")).extractingByKey("status").isEqualTo("DELIVERED"));
            crm.verify(2, postRequestedFor(urlEqualTo("/crm"))
                    .withHeader("Idempotency-Key", equalTo("event:crm-backoff-1")));
            crm.verify(1, postRequestedFor(urlEqualTo("/crm"))
                    .withHeader("Idempotency-Key", equalTo("event:crm-backoff-2")));
        }
    }

    @Test
    void clientErrorIsDeadLetteredWithoutRetry() throws Exception {
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).withRequestBody(containing("reject-me"))
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"unknown contact\"}")));

        String key = send("crm-422", "reject-me please");

        awaitStatus(key, "FAILED");
        crm.verify(1, postRequestedFor(urlEqualTo("/crm")).withHeader("Idempotency-Key", equalTo(key)));
        assertThat((String) router.auditRow(key).get("detail"))
                .contains("CRM answered 422, not retried").contains("unknown contact");
        RouterHarness.Received dead = awaitDeadLetter(key);
        assertThat(dead.properties().get("rcsFailure").toString()).contains("422");
        assertThat(JSON.readTree(dead.body()).get("text").asText()).as("the DLQ keeps the CRM request")
                .isEqualTo("reject-me please");
        assertThat(dead.properties()).doesNotContainKeys("Authorization", "Idempotency_HYPHEN_Key");
    }

    @Test
    void permanentServerErrorIsDeadLetteredAfterTheRetryLimit() throws Exception {
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).withRequestBody(containing("always-503"))
                .willReturn(aResponse().withStatus(503)));

        String key = send("crm-503", "always-503");

        awaitStatus(key, "FAILED");
        crm.verify(1 + MAX_RETRIES, postRequestedFor(urlEqualTo("/crm")).withHeader("Idempotency-Key", equalTo(key)));
        assertThat((String) router.auditRow(key).get("detail")).contains("failed after " + MAX_RETRIES + " retries");
        awaitDeadLetter(key);
    }

    @Test
    void slowCrmTimesOutIsRetriedThenDeadLettered() throws Exception {
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).withRequestBody(containing("too-slow"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));

        String key = send("crm-slow", "too-slow");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(router.auditRow(key).get("status")).isEqualTo("FAILED"));
        crm.verify(1 + MAX_RETRIES, postRequestedFor(urlEqualTo("/crm")).withHeader("Idempotency-Key", equalTo(key)));
        assertThat((String) router.auditRow(key).get("detail")).containsIgnoringCase("timed out");
        awaitDeadLetter(key);
    }

    @Test
    void anyTextArrivesIntactAndValid() throws Exception {
        String text = "He said \"STOP?\" \\ not really\nline 2\ttab — 日本語 😀 עברית \u0007 </script> ${jndi:x} {{x}}";
        String key = send("crm-unicode", text);
        awaitStatus(key, "DELIVERED");
        var req = crm.findAll(postRequestedFor(urlEqualTo("/crm"))
                .withHeader("Idempotency-Key", equalTo(key))).get(0);
        JsonNode body = JSON.readTree(req.getBodyAsString());
        assertThat(body.get("text").asText()).isEqualTo(text);
        assertThat(body.get("raw").get("data").get("userMessage").get("text").asText()).isEqualTo(text);
    }

    @Test
    void sqlInTheTextIsStoredVerbatim() throws Exception {
        String text = "'); DROP TABLE rcs_audit;--";
        String key = send("crm-sql", text);
        awaitStatus(key, "DELIVERED");
        assertThat((String) router.auditRow(key).get("payload")).contains(text);
        assertThat(router.count("SELECT COUNT(*) FROM rcs_audit")).isPositive();
    }

    @Test
    void theDeadLetterQueueCanBeReplayedOnceTheCauseIsFixed() throws Exception {
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).withRequestBody(containing("replay-me"))
                .willReturn(aResponse().withStatus(409)));
        String key = send("crm-replay", "replay-me");
        awaitStatus(key, "FAILED");
        await().atMost(Duration.ofSeconds(10)).until(() -> router.count(
                "SELECT COUNT(*) FROM rcs_audit WHERE status = 'FAILED' AND dedup_key = ?", key) == 1);

        crm.resetAll(); // the CRM now takes everything
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(200)));
        var replay = router.post("/admin/replay?queue=crm", "", null, "Authorization", "Bearer adm1n");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(replay.body());
        assertThat(answer.get("from").asText()).isEqualTo("rcs.crm.dlq");
        assertThat(answer.get("moved").asInt()).isGreaterThanOrEqualTo(1);

        awaitStatus(key, "DELIVERED");
        crm.verify(1, postRequestedFor(urlEqualTo("/crm")).withHeader("Idempotency-Key", equalTo(key)));
        // replaying again moves nothing and sends nothing twice
        var again = router.post("/admin/replay?queue=crm", "", null, "Authorization", "Bearer adm1n");
        assertThat(JSON.readTree(again.body()).get("moved").asInt()).isZero();
        router.awaitSettled(Duration.ofSeconds(30), 1, "rcs.crm.outbound");
        crm.verify(1, postRequestedFor(urlEqualTo("/crm")).withHeader("Idempotency-Key", equalTo(key)));
        assertThat(router.post("/admin/replay?queue=nope", "", null, "Authorization", "Bearer adm1n").statusCode())
                .isEqualTo(400);
    }

    private String send(String eventId, String text) throws Exception {
        var r = router.postJson(Callbacks.text(eventId, "19785550199", text));
        assertThat(r.statusCode()).isEqualTo(200);
        return "event:" + eventId;
    }

    private void awaitStatus(String key, String status) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(router.auditRow(key)).isNotNull().extractingByKey("status").isEqualTo(status));
    }

    private List<String> dlqKeys() throws Exception {
        return router.drainNow("rcs.crm.dlq").stream().map(m -> (String) m.properties().get("rcsDedupKey")).toList();
    }

    private RouterHarness.Received awaitDeadLetter(String key) throws Exception {
        List<RouterHarness.Received> got = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            got.addAll(router.drainNow("rcs.crm.dlq"));
            return got.stream().anyMatch(m -> key.equals(m.properties().get("rcsDedupKey")));
        });
        return got.stream().filter(m -> key.equals(m.properties().get("rcsDedupKey"))).findFirst().orElseThrow();
    }
}
