package io.rcsrouter.crm;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The expected signatures below were computed outside this code base, from the shell, with both Python and OpenSSL
 * (which agree):
 * <pre>
 *   python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(KEY, b"ID.TS." + BODY,
 *       hashlib.sha256).digest()).decode())'
 *   printf '%s' "ID.TS.BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:HEX_OF_KEY -binary | base64
 * </pre>
 */
class WebhookSignerTest {

    /** The key is the 34 bytes of "rcs-callback-router signing key #1"; the secret is whsec_ + their Base64. */
    static final String SECRET = "whsec_cmNzLWNhbGxiYWNrLXJvdXRlciBzaWduaW5nIGtleSAjMQ==";
    static final String ID = "event:MxSig0001";
    static final long TIMESTAMP = 1_776_679_200L; // 2026-04-20T10:00:00Z
    /** Non-ASCII on purpose: the signature covers the UTF-8 bytes. */
    static final String BODY = "{\"provider\":\"kaleyra\",\"eventId\":\"MxSig0001\","
            + "\"text\":\"Stop? \u00dcn\u00efc\u00f6d\u00e9 \u2713 \uD83D\uDE00\"}";
    static final String EXPECTED = "v1,3vD7RreiTkSxJBklfLZBpyM2hQaiYZS2zEwbRdkiZwo=";

    final WebhookSigner signer = new WebhookSigner(SECRET,
            Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC));

    @Test
    void signsIdTimestampAndBodyAsTheSpecSays() {
        assertThat(signer.signature(ID, TIMESTAMP, BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(EXPECTED);
    }

    /** The example of the Standard Webhooks libraries (a 24-byte key, the minimum), recomputed the same way. */
    @Test
    void matchesTheStandardWebhooksExample() {
        WebhookSigner example = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(example.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void theRouteStepSetsTheHeadersAndSendsTheBytesItSigned() {
        Exchange exchange = exchange(BODY);
        exchange.getMessage().setHeader("Idempotency-Key", ID);

        signer.sign(exchange);

        assertThat(exchange.getMessage().getHeader("webhook-id")).isEqualTo(ID);
        assertThat(exchange.getMessage().getHeader("webhook-timestamp")).isEqualTo("1776679200");
        assertThat(exchange.getMessage().getHeader("webhook-signature")).isEqualTo(EXPECTED);
        assertThat(exchange.getMessage().getBody()).isInstanceOf(byte[].class)
                .isEqualTo(BODY.getBytes(StandardCharsets.UTF_8));

        signer.sign(exchange); // a retry runs the step again on the body it already converted
        assertThat(exchange.getMessage().getHeader("webhook-signature")).isEqualTo(EXPECTED);
    }

    @Test
    void aChangeToAnyPartChangesTheSignature() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(signer.signature("event:MxSig0002", TIMESTAMP, body)).isNotEqualTo(EXPECTED);
        assertThat(signer.signature(ID, TIMESTAMP + 1, body)).isNotEqualTo(EXPECTED);
        assertThat(signer.signature(ID, TIMESTAMP, (BODY + " ").getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(EXPECTED);
    }

    @Test
    void blankSecretMeansNoSigningAndNoHeaders() {
        for (String blank : new String[] {null, "", "   "}) {
            WebhookSigner off = new WebhookSigner(blank);
            Exchange exchange = exchange(BODY);
            exchange.getMessage().setHeader("Idempotency-Key", ID);
            off.sign(exchange);
            assertThat(off.enabled()).isFalse();
            assertThat(exchange.getMessage().getHeaders().keySet()).noneMatch(h -> h.startsWith("webhook-"));
            assertThat(exchange.getMessage().getBody()).isEqualTo(BODY);
        }
    }

    @Test
    void refusesASecretThatIsNotWhsecBase64OfAProperKey() {
        assertThatThrownBy(() -> new WebhookSigner("cmNzLWNhbGxiYWNrLXJvdXRlciBzaWduaW5nIGtleSAjMQ=="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rcs.crm.signing-secret (RCS_CRM_SIGNING_SECRET) must be blank (no signing)"
                        + " or 'whsec_' followed by the Base64 of a 24 to 64 byte key")
                .hasMessageEndingWith("does not start with 'whsec_'");
        assertThatThrownBy(() -> new WebhookSigner("whsec_not base64!"))
                .hasMessageEndingWith("the part after 'whsec_' is not valid Base64")
                .hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> new WebhookSigner("whsec_c2hvcnQ=")) // "short"
                .hasMessageEndingWith("holds a key of 5 bytes");
        String tooLong = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[65]);
        assertThatThrownBy(() -> new WebhookSigner(tooLong))
                .hasMessageEndingWith("holds a key of 65 bytes");
    }

    @Test
    void refusesToSignWithoutTheIdempotencyKey() {
        assertThatThrownBy(() -> signer.sign(exchange(BODY)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Idempotency-Key");
    }

    private static Exchange exchange(String body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        return exchange;
    }
}
