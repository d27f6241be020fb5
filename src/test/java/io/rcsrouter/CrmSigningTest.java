package io.rcsrouter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Standard Webhooks signing of CRM requests, checked from the CRM's side (WireMock): each request is verified the
 * way a receiver does it, over the raw body as received. One router with a secret, then one without (they run one
 * after the other: only one embedded broker fits in a JVM).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmSigningTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A 32-byte key, as "whsec_" + Base64; generated once with: echo "whsec_$(openssl rand -base64 32)" */
    static final String SECRET = "whsec_heK/IBy1sm1W3rQKourKXlLi79uSXVwox5zHUYWQm7I=";
    WireMockServer crm;

    @BeforeAll
    void startCrm() {
        crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
    }

    @AfterAll
    void stopCrm() {
        crm.stop();
    }

    @BeforeEach
    void reset() {
        crm.resetAll();
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(10).willReturn(aResponse().withStatus(200)));
    }

    RouterHarness startRouter(String signingSecret) throws Exception {
        return RouterHarness.start(Map.of(
                "rcs.crm.url", crm.baseUrl() + "/crm",
                "rcs.crm.signing-secret", signingSecret,
                "rcs.crm.retry-delay-ms", "50",
                "rcs.crm.retry-max-delay-ms", "200"));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithASecret {

        RouterHarness router;

        @BeforeAll
        void start() throws Exception {
            router = startRouter(SECRET);
        }

        @AfterAll
        void stop() throws Exception {
            router.close();
        }

        @Test
        void theCrmCanVerifyEachRequestLikeAStandardWebhooksReceiver() throws Exception {
            String text = "Où est mon colis ? \"quoted\" ✓ 😀";
            String key = send(router, "sig-verify", text);
            awaitStatus(router, key, "DELIVERED");

            LoggedRequest request = requestsWith(key).get(0);
            assertSignedByTheRouter(request);
            assertThat(JSON.readTree(request.getBody()).get("text").asText()).isEqualTo(text);
        }

        @Test
        void aRetryIsSignedAgainWithTheSameWebhookId() throws Exception {
            crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).inScenario("flaky")
                    .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503))
                    .willSetStateTo("recovered"));
            crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).inScenario("flaky")
                    .whenScenarioStateIs("recovered").willReturn(aResponse().withStatus(200)));

            String key = send(router, "sig-retry", "second time lucky");
            awaitStatus(router, key, "DELIVERED");

            List<LoggedRequest> attempts = requestsWith(key);
            assertThat(attempts).hasSize(2);
            attempts.forEach(CrmSigningTest::assertSignedByTheRouter);
            assertThat(attempts).extracting(r -> r.getHeader("webhook-id")).containsOnly(key);
            assertThat(attempts.stream().map(LoggedRequest::getBodyAsString).distinct()).hasSize(1);
        }

        /** The receiver's check is no formality: the same request with its body changed fails it. */
        @Test
        void aTamperedBodyFailsTheReceiversCheck() throws Exception {
            String key = send(router, "sig-tamper", "pay 10");
            awaitStatus(router, key, "DELIVERED");
            LoggedRequest request = requestsWith(key).get(0);
            assertSignedByTheRouter(request);
            byte[] tampered = new String(request.getBody(), StandardCharsets.UTF_8).replace("pay 10", "pay 99")
                    .getBytes(StandardCharsets.UTF_8);

            assertThat(receiverAccepts(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
                    tampered, request.getHeader("webhook-signature"))).isFalse();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithoutASecret {

        RouterHarness router;

        @BeforeAll
        void start() throws Exception {
            router = startRouter("");
        }

        @AfterAll
        void stop() throws Exception {
            router.close();
        }

        @Test
        void noWebhookHeaderIsSent() throws Exception {
            String key = send(router, "sig-none", "no secret, no signature");
            awaitStatus(router, key, "DELIVERED");

            LoggedRequest request = requestsWith(key).get(0);
            assertThat(request.getAllHeaderKeys()).noneMatch(h -> h.toLowerCase().startsWith("webhook-"));
        }
    }

    // --- the CRM's side ---

    /** What a Standard Webhooks receiver checks, written here from the spec rather than taken from the router. */
    static void assertSignedByTheRouter(LoggedRequest request) {
        String id = request.getHeader("webhook-id");
        String timestamp = request.getHeader("webhook-timestamp");
        String signatures = request.getHeader("webhook-signature");
        assertThat(id).as("webhook-id").isNotBlank().isEqualTo(request.getHeader("Idempotency-Key"));
        assertThat(Long.parseLong(timestamp)).as("webhook-timestamp, Unix seconds")
                .isCloseTo(Instant.now().getEpochSecond(), within(Duration.ofMinutes(5).toSeconds()));
        assertThat(receiverAccepts(id, timestamp, request.getBody(), signatures))
                .as("webhook-signature %s over the raw body", signatures).isTrue();
    }

    /** HMAC-SHA256 over "id.timestamp.rawBody" with the decoded secret; any "v1," entry of the list may match. */
    static boolean receiverAccepts(String id, String timestamp, byte[] rawBody, String signatureHeader) {
        try {
            byte[] key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(rawBody));
            return Arrays.asList(signatureHeader.split(" ")).contains(expected);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    List<LoggedRequest> requestsWith(String idempotencyKey) {
        return crm.findAll(postRequestedFor(urlEqualTo("/crm")).withHeader("Idempotency-Key", equalTo(idempotencyKey)));
    }

    static String send(RouterHarness router, String eventId, String text) throws Exception {
        var r = router.postJson(Callbacks.text(eventId, "19785550177", text));
        assertThat(r.statusCode()).isEqualTo(200);
        return "event:" + eventId;
    }

    static void awaitStatus(RouterHarness router, String key, String status) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(router.auditRow(key)).isNotNull().extractingByKey("status").isEqualTo(status));
    }
}
