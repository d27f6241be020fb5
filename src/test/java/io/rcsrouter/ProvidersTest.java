package io.rcsrouter;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rcsrouter.support.ProviderRequests;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The other providers end to end on the embedded default, beyond their samples (SampleRoutingTest): a provider
 * switched off answers 404, a bad signature 401 with nothing stored, Google's webhook verification, a replayed RBM
 * push routed once, an Infobip request with a refused result, and one consent ledger across providers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvidersTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String APP = "01EKHWVV2VJQEF0SA1GZFZ04RF";
    WireMockServer crm;
    RouterHarness router;

    @BeforeAll
    void start() throws Exception {
        crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(202)));
        Map<String, String> settings = new HashMap<>(ProviderRequests.SETTINGS);
        settings.put("rcs.crm.url", crm.baseUrl() + "/crm");
        // one brand, reached through Kaleyra and Sinch: one consent state
        settings.put("rcs.consent.scopes", "acme=kio_rcs," + APP);
        router = RouterHarness.start(settings);
    }

    @AfterAll
    void stop() throws Exception {
        router.close();
        crm.stop();
    }

    @BeforeEach
    void reset() {
        crm.resetRequests();
    }

    @Test
    void aProviderSwitchedOffAnswers404AndKaleyraStillWorks() throws Exception {
        try (RouterHarness plain = RouterHarness.start(Map.of())) {
            for (String path : List.of("/callbacks/rbm", "/callbacks/sinch", "/callbacks/infobip")) {
                assertThat(plain.post(path, "{}", "application/json").statusCode()).as(path).isEqualTo(404);
            }
            assertThat(plain.postJson(Samples.read("dr/01-sent.json")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBadSignatureIs401AndNothingIsStored() throws Exception {
        String sinch = Samples.read("sinch/06-read.json");
        ProviderRequests.Request signed = ProviderRequests.sinch(sinch, Instant.now().getEpochSecond());
        String altered = sinch.replace("\"READ\"", "\"DELIVERED\"");
        assertThat(router.postTo(signed.path(), altered, signed.headerArray()).statusCode()).isEqualTo(401);
        ProviderRequests.Request old = ProviderRequests.sinch(sinch, Instant.now().getEpochSecond() - 3_600);
        assertThat(router.postTo(old.path(), old.body(), old.headerArray()).statusCode()).isEqualTo(401);
        assertThat(router.postTo(signed.path(), sinch).statusCode()).as("unsigned").isEqualTo(401);

        ProviderRequests.Request rbm = ProviderRequests.rbm(Samples.read("rbm/06-read.json").getBytes());
        ProviderRequests.Request other = ProviderRequests.rbm(Samples.read("rbm/05-delivered.json").getBytes());
        assertThat(router.postTo(rbm.path(), rbm.body(), other.headerArray()).statusCode()).isEqualTo(401);
        assertThat(router.postTo(rbm.path(), rbm.body()).statusCode()).as("unsigned").isEqualTo(401);

        assertThat(router.postTo("/callbacks/infobip", Samples.read("infobip/07-seen.json"),
                "Authorization", "Basic aW5mb2JpcC1ob29rOndyb25n").statusCode()).isEqualTo(401);
        Thread.sleep(500);
        assertThat(router.auditRow("sinch:event:01EKMQEW000000000000000MT1:DELIVERED")).isNull();
        assertThat(router.auditRow("sinch:event:01EKMQEW000000000000000MT1:READ")).isNull();
        assertThat(router.auditRow("rbm:event:Ms6oOiEli6QS-fe8QFrmh006")).isNull();
        assertThat(router.auditRow("infobip:event:9a8b7c6d-0000-4000-8000-000000000005:SEEN")).isNull();
    }

    @Test
    void aBodyOverTheServersLimitIsAuditedOnlyWhereItsSenderCanBeChecked() throws Exception {
        long before = router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'");
        String huge = "{\"results\":[{\"pad\":\"" + "x".repeat(1_100_000) + "\"}]}";
        // Sinch signs the body: a sender that cannot be checked writes no audit row
        assertThat(router.postTo("/callbacks/sinch", huge).statusCode()).isEqualTo(413);
        // Infobip's Basic credentials are a header: wrong ones are 401, right ones a REJECTED row
        assertThat(router.postTo("/callbacks/infobip", huge, "Authorization", "Basic d3Jvbmc6d3Jvbmc=").statusCode())
                .isEqualTo(401);
        assertThat(router.postTo("/callbacks/infobip", huge, ProviderRequests.of("infobip", "").headerArray())
                .statusCode()).isEqualTo(413);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'") == before + 1);
        Thread.sleep(300);
        assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'")).isEqualTo(before + 1);
    }

    @Test
    void googlesWebhookVerificationIsAnsweredWithTheSecret() throws Exception {
        var ok = router.postTo("/callbacks/rbm",
                "{\"clientToken\":\"" + ProviderRequests.RBM_TOKEN + "\",\"secret\":\"7250942031\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("7250942031");
        assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(router.postTo("/callbacks/rbm", "{\"clientToken\":\"someone-else\",\"secret\":\"1\"}")
                .statusCode()).isEqualTo(401);
    }

    @Test
    void aReplayedRbmPushIsARepeatRoutedOnce() throws Exception {
        String event = Samples.read("rbm/01-text.json").replace("MxRbmText0000000000001", "MxRbmReplay00000000001");
        ProviderRequests.Request push = ProviderRequests.rbm(event.getBytes());
        assertThat(router.postTo(push.path(), push.body(), push.headerArray()).body()).contains("accepted");
        String key = "rbm:event:MxRbmReplay00000000001";
        await().atMost(Duration.ofSeconds(15)).until(() -> router.auditRow(key) != null
                && "DELIVERED".equals(router.auditRow(key).get("status")));
        var again = router.postTo(push.path(), push.body(), push.headerArray());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"status\":\"duplicate\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> ((Number) router.auditRow(key).get("duplicates"))
                .intValue() == 1);
        crm.verify(1, postRequestedFor(urlEqualTo("/crm")).withHeader("Idempotency-Key", equalTo(key)));
    }

    @Test
    void anInfobipRequestStoresEveryGoodResultAndNamesTheRefusedOne() throws Exception {
        String body = "{\"results\":["
                + "{\"sender\":\"385912345688\",\"to\":\"AcmeRCS\",\"receivedAt\":\"2026-04-21T12:00:00.000+0000\","
                + "\"messageId\":\"batch-ok-1\",\"message\":{\"type\":\"TEXT\",\"text\":\"first\"}},"
                + "{\"sender\":\"385912345688\",\"to\":\"AcmeRCS\",\"message\":{\"type\":\"TEXT\",\"text\":\"no id\"}},"
                + "{\"messageId\":\"batch-ok-3\",\"to\":\"385912345688\",\"sender\":\"AcmeRCS\","
                + "\"doneAt\":\"2026-04-21T12:00:05.000+0000\",\"status\":{\"groupName\":\"DELIVERED\","
                + "\"name\":\"DELIVERED_TO_HANDSET\"}}]}";
        var answer = router.postTo("/callbacks/infobip", body, ProviderRequests.of("infobip", body).headerArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode json = JSON.readTree(answer.body());
        assertThat(json.get("accepted").asInt()).isEqualTo(2);
        assertThat(json.get("refused")).hasSize(1);
        assertThat(json.get("refused").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(json.get("refused").get(0).get("error").asText()).contains("messageId");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(router.auditRow("infobip:event:batch-ok-1")).isNotNull();
            assertThat(router.auditRow("infobip:event:batch-ok-3:DELIVERED_TO_HANDSET")).isNotNull();
            assertThat(router.query("SELECT detail, payload FROM rcs_audit WHERE status = 'REJECTED'"
                    + " AND detail LIKE '%results[1]%'")).hasSize(1);
        });
        var none = router.postTo("/callbacks/infobip", "{\"results\":[{\"to\":\"x\"}]}",
                ProviderRequests.of("infobip", "").headerArray());
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(none.body()).get("refused")).hasSize(1);
    }

    @Test
    void aStopThroughSinchHoldsForAReplyThroughKaleyraToTheSameBrand() throws Exception {
        String stop = Samples.read("sinch/11-stop-text.json").replace("46732000001", "46732000099")
                .replace("01EKJVHPW7M6E50FAN02B91C11", "01EKJVHPW7M6E50FAN0CROSS1");
        ProviderRequests.Request req = ProviderRequests.sinch(stop, Instant.now().getEpochSecond());
        assertThat(router.postTo(req.path(), req.body(), req.headerArray()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> router.count(
                "SELECT COUNT(*) FROM rcs_consent WHERE msisdn = '46732000099' AND state = 'OPTED_OUT'") == 1);

        String reply = Samples.read("mo/13-text-bare-shape.json").replace("19785550144", "+46732000099")
                .replace("MxB4r3Txt0000000000013", "MxCrossProvider00000001");
        assertThat(router.postJson(reply).statusCode()).isEqualTo(200);
        String other = Samples.read("mo/13-text-bare-shape.json").replace("MxB4r3Txt0000000000013",
                "MxCrossProvider00000002");
        assertThat(router.postJson(other).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(crm.findAll(postRequestedFor(urlEqualTo("/crm")))).hasSize(2));
        for (LoggedRequest r : crm.findAll(postRequestedFor(urlEqualTo("/crm")))) {
            JsonNode sent = JSON.readTree(r.getBodyAsString());
            if (sent.get("msisdn").asText().equals("46732000099")) {
                assertThat(sent.get("provider").asText()).isEqualTo("kaleyra");
                assertThat(sent.get("consent").asText()).as("the STOP sent through Sinch").isEqualTo("OPTED_OUT");
            } else {
                assertThat(sent.get("consent").isNull()).as("nobody opted out").isTrue();
            }
        }
    }
}
