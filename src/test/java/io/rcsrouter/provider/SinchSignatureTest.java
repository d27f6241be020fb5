package io.rcsrouter.provider;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import io.rcsrouter.auth.UnauthorizedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinchSignatureTest {

    static final long NOW = 1736760161L;
    final CamelContext camel = new DefaultCamelContext();
    final SinchSignature check = new SinchSignature("my_secret_key", 300,
            Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    Exchange signed(String body, String nonce, long timestamp, String signature) {
        Exchange ex = new DefaultExchange(camel);
        ex.getMessage().setHeader("x-sinch-webhook-signature", signature);
        ex.getMessage().setHeader("x-sinch-webhook-signature-nonce", nonce);
        ex.getMessage().setHeader("x-sinch-webhook-signature-timestamp", String.valueOf(timestamp));
        ex.getMessage().setHeader("x-sinch-webhook-signature-algorithm", "HmacSHA256");
        ex.getMessage().setBody(body);
        return ex;
    }

    String sign(String body, String nonce, long timestamp) {
        return Base64.getEncoder().encodeToString(check.sign(body.getBytes(StandardCharsets.UTF_8), nonce,
                String.valueOf(timestamp)));
    }

    @Test
    void signsAsSinchDoes() {
        // the known answer of Sinch's own SDK tests (sinch-sdk-dotnet, HmacAuthenticationValidationTests)
        assertThat(sign("{\"event\":\"test\"}", "01JHFFHWYY7HSS4FWTMDTQEK8V", NOW))
                .isEqualTo("ehhrg9MUuhpJUCo2drsI3zoqWViaojp8d6RahfBY3cg=");
    }

    @Test
    void acceptsAValidSignature() {
        String body = "{\"app_id\":\"A\"}";
        Exchange ex = signed(body, "n1", NOW - 10, sign(body, "n1", NOW - 10));
        assertThatCode(() -> check.verify(ex, body.getBytes(StandardCharsets.UTF_8))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnAlteredBodyNonceOrTimestamp() {
        String body = "{\"app_id\":\"A\"}";
        String sig = sign(body, "n1", NOW);
        assertThatThrownBy(() -> check.verify(signed(body, "n1", NOW, sig), "{\"app_id\":\"B\"}".getBytes()))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> check.verify(signed(body, "n2", NOW, sig), body.getBytes()))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> check.verify(signed(body, "n1", NOW - 1, sig), body.getBytes()))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void refusesAReplayWithAnOldTimestampEvenWhenItsSignatureIsRight() {
        String body = "{\"app_id\":\"A\"}";
        long old = NOW - 301;
        assertThatThrownBy(() -> check.verify(signed(body, "n1", old, sign(body, "n1", old)), body.getBytes()))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("301 s from now");
        long ahead = NOW + 301;
        assertThatThrownBy(() -> check.verify(signed(body, "n1", ahead, sign(body, "n1", ahead)), body.getBytes()))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void refusesMissingHeadersAndOtherAlgorithms() {
        String body = "{}";
        for (String header : new String[] {"x-sinch-webhook-signature", "x-sinch-webhook-signature-nonce",
                "x-sinch-webhook-signature-timestamp"}) {
            Exchange ex = signed(body, "n1", NOW, sign(body, "n1", NOW));
            ex.getMessage().removeHeader(header);
            assertThatThrownBy(() -> check.verify(ex, body.getBytes())).isInstanceOf(UnauthorizedException.class)
                    .hasMessageContaining("missing " + header);
        }
        Exchange md5 = signed(body, "n1", NOW, sign(body, "n1", NOW));
        md5.getMessage().setHeader("x-sinch-webhook-signature-algorithm", "HmacMD5");
        assertThatThrownBy(() -> check.verify(md5, body.getBytes())).isInstanceOf(UnauthorizedException.class);
        Exchange garbage = signed(body, "n1", NOW, "not base64 at all!");
        assertThatThrownBy(() -> check.verify(garbage, body.getBytes())).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void anEnabledProviderNeedsItsSecret() {
        assertThatThrownBy(() -> new SinchSignature(" ", 300, Clock.systemUTC()))
                .hasMessageContaining("RCS_SINCH_WEBHOOK_SECRET");
    }
}
