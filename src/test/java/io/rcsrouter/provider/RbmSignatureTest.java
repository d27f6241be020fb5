package io.rcsrouter.provider;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.rcsrouter.auth.UnauthorizedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RbmSignatureTest {

    static final String TOKEN = "SJENCPGJESMGUFPY";
    final CamelContext camel = new DefaultCamelContext();
    final RbmSignature check = new RbmSignature(TOKEN);
    final byte[] event = "{\"senderPhoneNumber\":\"+12223334444\",\"agentId\":\"a@rbm.goog\",\"text\":\"Hi\"}"
            .getBytes(StandardCharsets.UTF_8);

    static String envelope(byte[] data) {
        return "{\"message\":{\"data\":\"" + Base64.getEncoder().encodeToString(data)
                + "\",\"messageId\":\"1\",\"publishTime\":\"2026-04-20T11:00:00Z\"},\"subscription\":\"s\"}";
    }

    /** Google's own recipe (the webhooks guide): Base64(HMAC-SHA512(client token, decoded message.data)). */
    static String googleSignature(byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data));
    }

    Exchange withSignature(String signature) {
        Exchange ex = new DefaultExchange(camel);
        if (signature != null) {
            ex.getMessage().setHeader("X-Goog-Signature", signature);
        }
        return ex;
    }

    @Test
    void acceptsGooglesSignatureOfTheDecodedData() throws Exception {
        byte[] body = envelope(event).getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> check.verify(withSignature(googleSignature(event)), body)).doesNotThrowAnyException();
    }

    @Test
    void refusesAnAlteredEventAMissingOrForeignSignature() throws Exception {
        byte[] altered = envelope("{\"senderPhoneNumber\":\"+12223334444\",\"agentId\":\"a@rbm.goog\",\"text\":\"Ho\"}"
                .getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> check.verify(withSignature(googleSignature(event)), altered))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("does not match");
        byte[] body = envelope(event).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> check.verify(withSignature(null), body)).hasMessageContaining("missing");
        String foreign = Base64.getEncoder().encodeToString(new RbmSignature("another-token").sign(event));
        assertThatThrownBy(() -> check.verify(withSignature(foreign), body)).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> check.verify(withSignature(googleSignature(event)), "{}".getBytes()))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("no signed message.data");
    }

    @Test
    void answersGooglesWebhookVerificationWithTheSecretOnlyForItsOwnToken() throws Exception {
        Exchange ex = withSignature(null);
        assertThat(check.handshake(ex, ("{\"clientToken\":\"" + TOKEN + "\",\"secret\":\"1234567890\"}").getBytes()))
                .isEqualTo("1234567890");
        assertThatThrownBy(() -> check.handshake(ex, "{\"clientToken\":\"WRONG\",\"secret\":\"1\"}".getBytes()))
                .isInstanceOf(UnauthorizedException.class);
        assertThat(check.handshake(ex, envelope(event).getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void anEnabledProviderNeedsItsToken() {
        assertThatThrownBy(() -> new RbmSignature("")).hasMessageContaining("RCS_RBM_CLIENT_TOKEN");
    }
}
