package io.rcsrouter.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.RcsEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every sample callback in {@code samples/}, posted over real HTTP, ends on the destination
 * {@code samples/expected-routes.csv} names, and only there, with its audit row. The CRM is a real HTTP server
 * (WireMock). Subclasses say where the router runs: embedded default, or PostgreSQL + standalone Artemis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SampleRoutingContract {

    static final List<String> QUEUES = List.of("rcs.compliance.optout", "rcs.compliance.optin", "rcs.delivery",
            "rcs.unrouted", "rcs.crm.dlq", "rcs.dispatch.dlq");
    static final ObjectMapper JSON = new ObjectMapper();

    protected static final String CRM_PATH = "/crm/events";
    protected static final String CRM_TOKEN = "crm-token-123";

    protected WireMockServer crm;
    protected RouterUnderTest router;

    /** Starts the router with RCS_CRM_URL = {@code crmUrl} and RCS_CRM_TOKEN = {@link #CRM_TOKEN}. */
    protected abstract RouterUnderTest startRouter(String crmUrl) throws Exception;

    protected abstract void stopRouter() throws Exception;

    @BeforeAll
    void start() throws Exception {
        crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        crm.stubFor(post(urlEqualTo(CRM_PATH)).willReturn(aResponse().withStatus(202)));
        router = startRouter(crm.baseUrl() + CRM_PATH);
    }

    @AfterAll
    void stop() throws Exception {
        stopRouter();
        crm.stop();
    }

    @BeforeEach
    void isolateSamples() throws Exception {
        // samples share (masked) subscriber numbers; each one is checked against a fresh consent state
        router.forgetConsent();
        crm.resetRequests();
    }

    protected List<Samples.Expectation> expectations() {
        return Samples.expectations();
    }

    @Test
    void everySampleFileHasAnExpectation() throws Exception {
        List<String> files = new ArrayList<>();
        for (String dir : List.of("mo", "dr")) {
            try (var list = java.nio.file.Files.list(Samples.DIR.resolve(dir))) {
                list.forEach(p -> files.add(dir + "/" + p.getFileName()));
            }
        }
        assertThat(expectations()).extracting(Samples.Expectation::file).containsExactlyInAnyOrderElementsOf(files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void sampleTakesItsRoute(Samples.Expectation sample) throws Exception {
        String body = sample.body();
        RcsEvent event = new CallbackParser().parse(body);
        String key = event.dedupKey();

        var response = router.postCallback(body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"accepted\"}");

        String finalStatus = sample.destination().equals("crm") ? "DELIVERED" : "ROUTED";
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, Object> row = router.auditRow(key);
            assertThat(row).as("audit row of %s", key).isNotNull();
            assertThat(row.get("status")).isEqualTo(finalStatus);
            assertThat(row.get("route")).isEqualTo(sample.route());
        });
        Map<String, Object> row = router.auditRow(key);
        assertThat(row.get("payload")).as("the body as received").isEqualTo(body);
        assertThat(row.get("message_id")).isEqualTo(event.messageId());
        assertThat(row.get("type")).isEqualTo(event.type());
        assertThat(row.get("code")).isEqualTo(event.code());
        assertThat(row.get("msisdn")).isEqualTo(event.msisdn());
        assertThat(row.get("agent")).isEqualTo(event.agent());
        assertThat(row.get("duplicates")).isEqualTo(0);

        switch (sample.destination()) {
            case "crm" -> assertCrmGot(event, body);
            case "audit" -> assertNoQueueHas(key, null);
            default -> assertQueueGot(sample.destination(), event, body);
        }
    }

    private void assertQueueGot(String queue, RcsEvent event, String body) throws Exception {
        List<RouterHarness.Received> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            got.addAll(router.drainNow(queue));
            assertThat(got).filteredOn(m -> event.dedupKey().equals(m.properties().get("rcsDedupKey"))).hasSize(1);
        });
        RouterHarness.Received m = got.stream()
                .filter(x -> event.dedupKey().equals(x.properties().get("rcsDedupKey"))).findFirst().orElseThrow();
        assertThat(m.properties()).doesNotContainKeys("Authorization", "User-Agent", "Content-Type", "Host");
        if (queue.startsWith("rcs.compliance")) {
            JsonNode msg = JSON.readTree(m.body());
            String action = queue.endsWith("optout") ? "OPT_OUT" : "OPT_IN";
            assertThat(msg.get("action").asText()).isEqualTo(action);
            assertThat(msg.get("agent").asText()).isEqualTo(event.agent());
            assertThat(msg.get("msisdn").asText()).isEqualTo(event.msisdn());
            assertThat(msg.get("carrier").asText()).isEqualTo(event.carrierId());
            assertThat(msg.get("occurredAt").asText()).isEqualTo(event.sentAt().toString());
            assertThat(msg.get("source").asText()).isEqualTo(event.type().equals("USER_MESSAGE") ? "KEYWORD" : "EVENT");
            assertThat(msg.get("messageIds")).extracting(JsonNode::asText).containsExactly(event.messageId());
            assertThat(m.properties()).containsEntry("action", action).containsEntry("agent", event.agent())
                    .containsEntry("msisdn", event.msisdn());
        } else {
            assertThat(m.body()).as("passed on as received").isEqualTo(body);
        }
        assertNoQueueHas(event.dedupKey(), queue);
        crm.verify(0, postRequestedFor(urlEqualTo(CRM_PATH)));
    }

    private void assertCrmGot(RcsEvent event, String body) throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                crm.verify(1, postRequestedFor(urlEqualTo(CRM_PATH))
                        .withHeader("Idempotency-Key", equalTo(event.dedupKey()))
                        .withHeader("Authorization", equalTo("Bearer " + CRM_TOKEN))));
        LoggedRequest req = crm.findAll(postRequestedFor(urlEqualTo(CRM_PATH))).get(0);
        assertThat(req.getHeader("Content-Type")).startsWith("application/json");
        assertThat(req.getAllHeaderKeys()).noneMatch(h -> h.toLowerCase().startsWith("rcs")
                || h.toLowerCase().startsWith("jms") || h.toLowerCase().startsWith("camel"));
        JsonNode crmBody = JSON.readTree(req.getBodyAsString());
        assertThat(crmBody.get("provider").asText()).isEqualTo("kaleyra");
        assertThat(crmBody.get("channel").asText()).isEqualTo("rcs");
        assertThat(crmBody.get("messageId").asText()).isEqualTo(event.messageId());
        assertThat(crmBody.get("msisdn").asText()).isEqualTo(event.msisdn());
        assertThat(crmBody.get("agent").asText()).isEqualTo(event.agent());
        assertThat(crmBody.get("raw")).isEqualTo(JSON.readTree(body));
        var um = event.userMessage();
        String kind = crmBody.get("kind").asText();
        switch (um.kind()) {
            case "TEXT" -> {
                assertThat(kind).isEqualTo("TEXT");
                assertThat(crmBody.get("text").asText()).isEqualTo(um.text());
            }
            case "LOCATION" -> {
                assertThat(kind).isEqualTo("LOCATION");
                assertThat(crmBody.get("location").get("latitude").asDouble()).isEqualTo(um.location().latitude());
                assertThat(crmBody.get("location").get("longitude").asDouble()).isEqualTo(um.location().longitude());
            }
            case "RESPONSE" -> {
                assertThat(crmBody.get("text").asText()).isEqualTo(um.text());
                assertThat(crmBody.get("postbackData").asText()).isEqualTo(um.postbackData());
                if ("REPLY".equals(um.moType())) {
                    assertThat(kind).isEqualTo("REPLY");
                    assertThat(crmBody.get("action").isNull()).isTrue();
                } else {
                    assertThat(kind).isEqualTo("ACTION");
                    assertThat(crmBody.get("action").asText()).isEqualTo(um.moType());
                }
            }
            default -> throw new AssertionError("unexpected user message kind " + um.kind());
        }
        assertNoQueueHas(event.dedupKey(), null);
    }

    private void assertNoQueueHas(String key, String except) throws Exception {
        for (String q : QUEUES) {
            if (!q.equals(except)) {
                assertThat(router.drainNow(q)).as("queue %s", q)
                        .noneMatch(m -> key.equals(m.properties().get("rcsDedupKey")));
            }
        }
    }
}
