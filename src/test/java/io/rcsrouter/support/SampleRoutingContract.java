package io.rcsrouter.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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
        for (String dir : List.of("mo", "dr", "rbm", "sinch", "infobip")) {
            try (var list = java.nio.file.Files.list(Samples.DIR.resolve(dir))) {
                list.forEach(p -> files.add(dir + "/" + p.getFileName()));
            }
        }
        assertThat(expectations()).extracting(Samples.Expectation::file).containsExactlyInAnyOrderElementsOf(files);
    }

    /**
     * HTTP headers sent with every sample: none of them, under any spelling, and none of their values may reach a
     * queue (JmsHygiene), the audit row or the CRM request.
     */
    static final Map<String, String> HTTP_HEADERS = Map.of(
            "Authorization", "Bearer hdr-secret-4411",
            "Cookie", "session=cookie-secret-4412",
            "User-Agent", "ua-secret-4413/1.0",
            "X-Forwarded-For", "203.0.113.44",
            "X-Kaleyra-Secret", "kaleyra-secret-4414",
            "X-Custom.Header", "custom-secret-4415",
            "rcsRoute", "FORGED-4416");

    static String[] headerArgs() {
        return HTTP_HEADERS.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void sampleTakesItsRoute(Samples.Expectation sample) throws Exception {
        String provider = ProviderRequests.provider(sample.file());
        String file = sample.body();
        String key = sample.dedupKey();
        // what the router stores and passes on: the callback as sent; for Infobip its one result
        String body = provider.equals("infobip") ? JSON.readTree(file).get("results").get(0).toString() : file;

        var response = postAs(provider, file);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        if (provider.equals("infobip")) {
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answer.get("status").asText()).isEqualTo("accepted");
            assertThat(answer.get("accepted").asInt()).isEqualTo(1);
            assertThat(answer.get("refused")).isEmpty();
        } else {
            assertThat(response.body()).isEqualTo("{\"status\":\"accepted\"}");
        }

        String finalStatus = sample.destination().equals("crm") ? "DELIVERED" : "ROUTED";
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, Object> row = router.auditRow(key);
            assertThat(row).as("audit row of %s", key).isNotNull();
            assertThat(row.get("status")).isEqualTo(finalStatus);
            assertThat(row.get("route")).isEqualTo(sample.route());
        });
        Map<String, Object> row = router.auditRow(key);
        assertThat(row.get("payload")).as("the body as received").isEqualTo(body);
        assertThat(row.get("message_id")).isEqualTo(sample.get("messageId"));
        assertThat(row.get("type")).isEqualTo(sample.get("type"));
        assertThat(row.get("code")).isEqualTo(sample.get("code"));
        assertThat(row.get("msisdn")).isEqualTo(sample.get("msisdn"));
        assertThat(row.get("agent")).isEqualTo(sample.get("agent"));
        assertThat(row.get("carrier")).isEqualTo(sample.get("carrier"));
        assertThat(row.get("provider")).isEqualTo(provider);
        assertThat(instant(row.get("sent_at"))).isEqualTo(java.time.Instant.parse(sample.get("sentAt")));
        assertThat(row.get("duplicates")).isEqualTo(0);

        switch (sample.destination()) {
            case "crm" -> assertCrmGot(sample, body, provider);
            case "audit" -> assertNoQueueHas(key, null);
            default -> assertQueueGot(sample, body);
        }
    }

    /** Posts a sample as its provider sends it (path, envelope, signature), with the hygiene headers. */
    protected java.net.http.HttpResponse<String> postAs(String provider, String file) throws Exception {
        if (provider.equals("kaleyra")) {
            return router.postCallback(file, headerArgs());
        }
        ProviderRequests.Request req = ProviderRequests.of(provider, file);
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, String> h : HTTP_HEADERS.entrySet()) {
            // the provider's own Authorization (Infobip's Basic) is not replaced by the hygiene header's
            if (!(h.getKey().equals("Authorization") && req.headers().contains("Authorization"))) {
                extra.add(h.getKey());
                extra.add(h.getValue());
            }
        }
        return router.postTo(req.path(), req.body(), req.headerArray(extra.toArray(String[]::new)));
    }

    static java.time.Instant instant(Object column) {
        if (column instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (column instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new AssertionError("not a timestamp: " + column + " (" + (column == null ? null : column.getClass()) + ")");
    }

    private void assertQueueGot(Samples.Expectation sample, String body) throws Exception {
        String queue = sample.destination();
        String key = sample.dedupKey();
        List<RouterHarness.Received> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            got.addAll(router.drainNow(queue));
            assertThat(got).filteredOn(m -> key.equals(m.properties().get("rcsDedupKey"))).hasSize(1);
        });
        RouterHarness.Received m = got.stream()
                .filter(x -> key.equals(x.properties().get("rcsDedupKey"))).findFirst().orElseThrow();
        assertThat(m.persistent()).as("sent persistent").isTrue();
        JmsHygiene.assertClean(queue, m, sample.get("msisdn"), HTTP_HEADERS);
        if (queue.startsWith("rcs.compliance")) {
            JsonNode msg = JSON.readTree(m.body());
            String action = queue.endsWith("optout") ? "OPT_OUT" : "OPT_IN";
            assertThat(msg.get("action").asText()).isEqualTo(action);
            assertThat(msg.get("agent").asText()).isEqualTo(sample.get("agent"));
            assertThat(msg.get("msisdn").asText()).isEqualTo(sample.get("msisdn"));
            assertThat(textOrNull(msg.get("carrier"))).isEqualTo(sample.get("carrier"));
            assertThat(java.time.Instant.parse(msg.get("occurredAt").asText()))
                    .isEqualTo(java.time.Instant.parse(sample.get("sentAt")));
            assertThat(msg.get("source").asText()).isEqualTo(sample.get("source"));
            assertThat(msg.get("eventType").asText()).isEqualTo(sample.get("type"));
            assertThat(msg.get("text").isNull() ? null : msg.get("text").asText()).isEqualTo(sample.get("text"));
            assertThat(msg.get("messageIds")).extracting(JsonNode::asText).containsExactly(sample.get("messageId"));
            assertThat(m.properties()).containsEntry("action", action).containsEntry("agent", sample.get("agent"))
                    .containsEntry("msisdn", sample.get("msisdn"));
        } else {
            assertThat(m.body()).as("passed on as received").isEqualTo(body);
        }
        assertNoQueueHas(key, queue);
        crm.verify(0, postRequestedFor(urlEqualTo(CRM_PATH)));
    }

    private void assertCrmGot(Samples.Expectation sample, String body, String provider) throws Exception {
        String key = sample.dedupKey();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                crm.verify(1, postRequestedFor(urlEqualTo(CRM_PATH))
                        .withHeader("Idempotency-Key", equalTo(key))
                        .withHeader("Authorization", equalTo("Bearer " + CRM_TOKEN))));
        LoggedRequest req = crm.findAll(postRequestedFor(urlEqualTo(CRM_PATH))).get(0);
        assertThat(req.getHeader("Content-Type")).startsWith("application/json");
        assertThat(req.getAllHeaderKeys()).noneMatch(h -> h.toLowerCase().startsWith("rcs")
                || h.toLowerCase().startsWith("jms") || h.toLowerCase().startsWith("camel"));
        for (Map.Entry<String, String> h : HTTP_HEADERS.entrySet()) {
            // the CRM request has headers of its own (User-Agent, Authorization): none may carry the callback's values
            for (String k : req.getAllHeaderKeys()) {
                assertThat(req.getHeader(k)).as("CRM request header %s", k).doesNotContain(h.getValue());
            }
            assertThat(req.getBodyAsString()).doesNotContain(h.getValue());
        }
        JsonNode crmBody = JSON.readTree(req.getBodyAsString());
        assertThat(crmBody.get("provider").asText()).isEqualTo(provider);
        assertThat(crmBody.get("channel").asText()).isEqualTo("rcs");
        assertThat(crmBody.get("messageId").asText()).isEqualTo(sample.get("messageId"));
        assertThat(crmBody.get("msisdn").asText()).isEqualTo(sample.get("msisdn"));
        assertThat(crmBody.get("agent").asText()).isEqualTo(sample.get("agent"));
        assertThat(textOrNull(crmBody.get("carrier"))).isEqualTo(sample.get("carrier"));
        assertThat(java.time.Instant.parse(crmBody.get("occurredAt").asText()))
                .isEqualTo(java.time.Instant.parse(sample.get("sentAt")));
        assertThat(crmBody.get("raw")).isEqualTo(JSON.readTree(body));
        assertThat(crmBody.get("kind").asText()).isEqualTo(sample.get("kind"));
        if ("FILE".equals(sample.get("kind"))) {
            // a reference to the file where the provider holds it, never its content
            JsonNode sent = JSON.readTree(body);
            String url = sent.findValue("payload") != null ? sent.findValue("payload").get("fileUri").asText()
                    : sent.findValue("url").asText();
            assertThat(crmBody.get("file").get("url").asText()).isEqualTo(url);
        } else {
            assertThat(crmBody.get("file").isNull()).as("no file").isTrue();
        }
        assertThat(textOrNull(crmBody.get("action"))).isEqualTo(sample.get("action"));
        assertThat(textOrNull(crmBody.get("text"))).isEqualTo(sample.get("text"));
        assertThat(textOrNull(crmBody.get("postbackData"))).isEqualTo(sample.get("postbackData"));
        if (sample.get("latitude") == null) {
            assertThat(crmBody.get("location").isNull()).as("no location").isTrue();
        } else {
            assertThat(crmBody.get("location").get("latitude").asDouble())
                    .isEqualTo(Double.parseDouble(sample.get("latitude")));
            assertThat(crmBody.get("location").get("longitude").asDouble())
                    .isEqualTo(Double.parseDouble(sample.get("longitude")));
        }
        assertNoQueueHas(key, null);
    }

    static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
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
