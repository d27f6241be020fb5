package io.rcsrouter;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Settings a user turns on for a reason, each against a running router: what it changes, seen from outside
 * (HTTP answers, queues, the CRM, the admin API).
 */
class SettingsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-04-20T09:01:28.667Z");
    static final String SECRET = "settings-secret-77";

    /**
     * RCS_COMPLIANCE_KEYWORDS_TO_CRM=true: an opt-out keyword message reaches compliance AND the CRM, and so does
     * an opt-in keyword message.
     */
    @Test
    void keywordsToCrmSendsAnOptOutMessageToTheCrmToo() throws Exception {
        WireMockServer crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(200)));
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.crm.url", crm.baseUrl() + "/crm",
                "rcs.compliance.keywords-to-crm", "true"))) {
            router.postJson(Callbacks.text("kw-crm-1", "19785551201", "STOP", T));
            router.postJson(Callbacks.consentEvent("UNSUBSCRIBE", "kw-crm-2", "19785551202", T));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> crm.verify(1, postRequestedFor(urlEqualTo("/crm"))
                    .withHeader("Idempotency-Key", equalTo("event:kw-crm-1"))));
            router.awaitSettled(Duration.ofSeconds(20), 2, "rcs.inbound", "rcs.crm.outbound");
            assertThat(router.drainNow("rcs.compliance.optout")).hasSize(2);
            assertThat(crm.findAll(postRequestedFor(urlEqualTo("/crm"))))
                    .as("the UNSUBSCRIBE event has no text for a person: compliance only")
                    .extracting(r -> r.getHeader("Idempotency-Key")).containsExactly("event:kw-crm-1");
            assertThat(JSON.readTree(crm.findAll(postRequestedFor(urlEqualTo("/crm"))).get(0).getBodyAsString())
                    .get("text").asText()).isEqualTo("STOP");

            // the same subscriber writes START: the opt-in reaches compliance and the CRM too
            router.postJson(Callbacks.text("kw-crm-3", "19785551201", "START", T.plusSeconds(60)));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> crm.verify(1, postRequestedFor(urlEqualTo("/crm"))
                    .withHeader("Idempotency-Key", equalTo("event:kw-crm-3"))));
            router.awaitSettled(Duration.ofSeconds(20), 3, "rcs.inbound", "rcs.crm.outbound");
            assertThat(router.drainNow("rcs.compliance.optin")).hasSize(1);
        } finally {
            crm.stop();
        }
    }

    /** Off (the default): the same STOP goes to compliance only. */
    @Test
    void byDefaultAnOptOutMessageDoesNotReachTheCrm() throws Exception {
        WireMockServer crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(200)));
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.crm.url", crm.baseUrl() + "/crm"))) {
            router.postJson(Callbacks.text("kw-nocrm-1", "19785551203", "STOP", T));
            router.awaitSettled(Duration.ofSeconds(20), 1, "rcs.inbound", "rcs.crm.outbound");
            assertThat(router.drainNow("rcs.compliance.optout")).hasSize(1);
            assertThat(crm.findAll(postRequestedFor(urlEqualTo("/crm")))).isEmpty();
        } finally {
            crm.stop();
        }
    }

    /**
     * RCS_CONSENT_SCOPES: agents of one brand share one consent state. A STOP to one agent and then to the other
     * is one change (one compliance message), the admin API answers the same state for both; an agent outside the
     * scope keeps its own.
     */
    @Test
    void consentScopesShareOneStateBetweenTheAgentsOfABrand() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.consent.scopes", "acme=acme_rcs,acme_promo",
                "rcs.admin.token", "adm-scopes"))) {
            router.postJson(toAgent(Callbacks.text("scope-1", "19785551210", "STOP", T), "acme_rcs"));
            router.awaitSettled(Duration.ofSeconds(20), 1, "rcs.inbound"); // decided first, for the detail below
            router.postJson(toAgent(Callbacks.text("scope-2", "19785551210", "STOP", T.plusSeconds(5)), "acme_promo"));
            router.postJson(toAgent(Callbacks.text("scope-3", "19785551210", "STOP", T.plusSeconds(9)), "other_rcs"));
            router.awaitSettled(Duration.ofSeconds(20), 3, "rcs.inbound");
            List<JsonNode> messages = router.drainNow("rcs.compliance.optout").stream().map(m -> {
                try {
                    return JSON.readTree(m.body());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(messages).extracting(m -> m.get("scope").asText())
                    .as("one change for the brand, one for the other agent").containsExactlyInAnyOrder("acme",
                            "other_rcs");
            assertThat(router.auditRow("event:scope-2").get("detail").toString())
                    .startsWith("consent UNCHANGED, decided by msg-scope-1");
            for (String agent : List.of("acme_rcs", "acme_promo")) {
                HttpResponse<String> r = router.get("/admin/consent/" + agent + "/19785551210",
                        "Authorization", "Bearer adm-scopes");
                assertThat(r.statusCode()).isEqualTo(200);
                JsonNode consent = JSON.readTree(r.body());
                assertThat(consent.get("scope").asText()).isEqualTo("acme");
                assertThat(consent.get("state").asText()).isEqualTo("OPTED_OUT");
                assertThat(consent.get("decidedBy").asText()).isEqualTo("msg-scope-1");
            }
            // START through the other agent of the brand opts the subscriber back in, for both
            router.postJson(toAgent(Callbacks.text("scope-4", "19785551210", "START", T.plusSeconds(60)),
                    "acme_promo"));
            router.awaitSettled(Duration.ofSeconds(20), 4, "rcs.inbound");
            assertThat(router.drainNow("rcs.compliance.optin")).hasSize(1);
            assertThat(JSON.readTree(router.get("/admin/consent/acme_rcs/19785551210", "Authorization",
                    "Bearer adm-scopes").body()).get("state").asText()).isEqualTo("OPTED_IN");
        }
    }

    private static String toAgent(String callback, String agent) {
        return callback.replace("\"to\":\"kio_rcs\"", "\"to\":\"" + agent + "\"");
    }

    /**
     * RCS_AUTH_CLIENT_IP_HEADER: behind a trusted proxy the client is the header's address, so one client that keeps
     * failing is locked out (429, even with the right secret) while another client behind the same proxy is not.
     */
    @Test
    void theClientIpHeaderLocksOutTheFailingClientOnly() throws Exception {
        try (RouterHarness router = RouterHarness.start(authSettings(Map.of(
                "rcs.auth.client-ip-header", "X-Forwarded-For")))) {
            for (int i = 0; i < 3; i++) {
                assertThat(router.postJson(Callbacks.text("ip-bad-" + i, "19785551220", "hi"),
                        "X-Kaleyra-Secret", "wrong", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(401);
            }
            assertThat(router.postJson(Callbacks.text("ip-1", "19785551220", "hi"), "X-Kaleyra-Secret", SECRET,
                    "X-Forwarded-For", "203.0.113.7").statusCode()).as("the failing client").isEqualTo(429);
            assertThat(router.postJson(Callbacks.text("ip-2", "19785551221", "hi"), "X-Kaleyra-Secret", SECRET,
                    "X-Forwarded-For", "203.0.113.8").statusCode()).as("another client").isEqualTo(200);
        }
    }

    /** Without it, the TCP peer is the client: the header is not believed, and the peer is locked out. */
    @Test
    void withoutTheClientIpHeaderTheForwardedAddressIsNotBelieved() throws Exception {
        try (RouterHarness router = RouterHarness.start(authSettings(Map.of()))) {
            for (int i = 0; i < 3; i++) {
                assertThat(router.postJson(Callbacks.text("peer-bad-" + i, "19785551222", "hi"),
                        "X-Kaleyra-Secret", "wrong", "X-Forwarded-For", "203.0.113." + i).statusCode()).isEqualTo(401);
            }
            assertThat(router.postJson(Callbacks.text("peer-1", "19785551223", "hi"), "X-Kaleyra-Secret", SECRET,
                    "X-Forwarded-For", "203.0.113.99").statusCode()).isEqualTo(429);
        }
    }

    /** The lockout ends when RCS_AUTH_FAILURE_WINDOW_SECONDS has passed since the first failure. */
    @Test
    void theLockoutExpiresWithItsWindow() throws Exception {
        try (RouterHarness router = RouterHarness.start(authSettings(Map.of(
                "rcs.auth.failure-window-seconds", "2")))) {
            for (int i = 0; i < 3; i++) {
                router.postJson(Callbacks.text("exp-bad-" + i, "19785551230", "hi"), "X-Kaleyra-Secret", "wrong");
            }
            long lockedAt = System.nanoTime();
            assertThat(router.postJson(Callbacks.text("exp-1", "19785551230", "hi"), "X-Kaleyra-Secret", SECRET)
                    .statusCode()).isEqualTo(429);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> router.postJson(
                    Callbacks.text("exp-2", "19785551230", "hi"), "X-Kaleyra-Secret", SECRET).statusCode() == 200);
            assertThat(Duration.ofNanos(System.nanoTime() - lockedAt)).as("not before the window")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1_000));
        }
    }

    private static Map<String, String> authSettings(Map<String, String> extra) {
        Map<String, String> s = new java.util.HashMap<>(Map.of("rcs.auth.mode", "header",
                "rcs.auth.header-name", "X-Kaleyra-Secret", "rcs.auth.header-value", SECRET,
                "rcs.auth.max-failures", "3", "rcs.auth.failure-window-seconds", "60"));
        s.putAll(extra);
        return s;
    }

    /**
     * RCS_HTTP_REQUEST_TIMEOUT_MS: a request whose body never finishes arriving is answered (503) once the timeout
     * has passed, instead of holding the connection; the router keeps serving.
     */
    @Test
    void aRequestThatNeverFinishesIsAnsweredAfterTheRequestTimeout() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.http.request-timeout-ms", "1000"))) {
            try (Socket s = new Socket("127.0.0.1", router.port())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                long t0 = System.nanoTime();
                out.write(("POST /callbacks/rcs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 500\r\n\r\n{\"code\":\"4007\",").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] head = new byte[12];
                int n = in.readNBytes(head, 0, head.length);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String status = new String(head, 0, n, StandardCharsets.US_ASCII);
                assertThat(status).as("answered").startsWith("HTTP/1.1 503");
                assertThat(ms).as("after the 1 s timeout, not long after").isBetween(900L, 4_000L);
            }
            assertThat(router.postJson(Callbacks.text("after-timeout", "19785551240", "hi")).statusCode())
                    .isEqualTo(200);
        }
    }
}
