package io.rcsrouter.provider;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The other providers' formats beyond their samples: what each refuses and how the edges are normalised. */
class ProviderFormatsTest {

    final SinchFormat sinch = new SinchFormat();
    final RbmFormat rbm = new RbmFormat();
    final InfobipFormat infobip = new InfobipFormat();

    @Test
    void anIdPutTogetherFromTwoFieldsMustStillFitItsColumn() {
        String longId = "m".repeat(250);
        String report = Samples.read("sinch/05-delivered.json").replace("01EKMQEW000000000000000MT1", longId);
        // message id + ":" + status is 260 characters: refused at the door (400), not dead-lettered by dispatch
        assertThatThrownBy(() -> sinch.read(report)).isInstanceOf(InvalidCallbackException.class)
                .hasMessageContaining("the event id is 260 characters long");
    }

    @Test
    void aTypeTheProviderLeftEmptyIsRefused() {
        // found by ProviderFormatsFuzzTest in CI: an RBM user event with "eventType": "" was accepted without a type
        assertThatThrownBy(() -> rbm.read("{\"senderPhoneNumber\":\"+1222\",\"agentId\":\"a\",\"eventId\":\"e\","
                + "\"eventType\":\"\"}")).isInstanceOf(InvalidCallbackException.class)
                .hasMessage("the event type is empty");
        assertThatThrownBy(() -> rbm.read("{\"senderPhoneNumber\":\"+1222\",\"agentId\":\"a\",\"eventId\":\"e\","
                + "\"eventType\":\"  \"}")).hasMessage("the event type is empty");
        // the same hole in Sinch: a contact event's name is its type
        String composing = Samples.read("sinch/08-composing.json");
        assertThat(composing).contains("\"composing_event\"");
        assertThatThrownBy(() -> sinch.read(composing.replace("\"composing_event\"", "\"\"")))
                .isInstanceOf(InvalidCallbackException.class).hasMessage("the event type is empty");
    }

    @Test
    void sinchStatusesAreTheRoutersTypes() throws Exception {
        String report = Samples.read("sinch/05-delivered.json");
        assertThat(sinch.read(report.replace("\"DELIVERED\"", "\"QUEUED_ON_CHANNEL\"")).type()).isEqualTo("SENT");
        assertThat(sinch.read(report.replace("\"DELIVERED\"", "\"SWITCHING_CHANNEL\"")).type()).isEqualTo("ERROR");
        RcsEvent failedOptOut = sinch.read(Samples.read("sinch/09-opt-out.json")
                .replace("OPT_OUT_SUCCEEDED", "OPT_OUT_FAILED"));
        assertThat(failedOptOut.type()).as("no consent change: unrouted, not an opt-out").isEqualTo("OPT_OUT_FAILED");
        assertThatThrownBy(() -> sinch.read("{\"app_id\":\"a\",\"unknown\":{}}"))
                .hasMessageContaining("not a Sinch callback");
        assertThatThrownBy(() -> sinch.read("{\"message\":{}}")).hasMessageContaining("app_id");
    }

    @Test
    void rbmEnvelopesAndEventsThatAreNotWhole() throws Exception {
        assertThatThrownBy(() -> rbm.events("{\"message\":{\"data\":\"***\"}}")).hasMessageContaining("not Base64");
        assertThatThrownBy(() -> rbm.events("{\"subscription\":\"s\"}")).hasMessageContaining("missing field 'message'");
        String invalidUtf8 = Base64.getEncoder().encodeToString(new byte[] {'{', (byte) 0xC3, '}'});
        assertThatThrownBy(() -> rbm.events("{\"message\":{\"data\":\"" + invalidUtf8 + "\"}}"))
                .hasMessageContaining("message.data");
        assertThatThrownBy(() -> rbm.read("{\"senderPhoneNumber\":\"+1222\",\"agentId\":\"a\",\"messageId\":\"m\","
                + "\"userFile\":{}}")).hasMessageContaining("userFile.payload");
        assertThatThrownBy(() -> rbm.read("{\"senderPhoneNumber\":\"+1222\",\"agentId\":\"a\",\"messageId\":\"m\"}"))
                .hasMessageContaining("one of text, suggestionResponse");
        RcsEvent typing = rbm.read(Samples.read("rbm/07-is-typing.json"));
        assertThat(typing.dedupKey()).isEqualTo("rbm:event:Ms6oOiEli6QS-fe8QFrmh007");
    }

    @Test
    void infobipRequestsAreSplitAndItsTimestampsRead() throws Exception {
        List<String> events = infobip.events("{\"results\":[{\"a\":1},{\"b\":2}]}");
        assertThat(events).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThatThrownBy(() -> infobip.events("{\"results\":[]}")).hasMessageContaining("empty");
        assertThatThrownBy(() -> infobip.events("{\"results\":{}}")).hasMessageContaining("array");
        StringBuilder many = new StringBuilder("{\"results\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{}");
        }
        assertThatThrownBy(() -> infobip.events(many + "]}")).hasMessageContaining("at most 100");
        RcsEvent e = infobip.read(infobip.events(Samples.read("infobip/05-delivered.json")).get(0));
        assertThat(e.sentAt()).isEqualTo(Instant.parse("2026-04-20T12:04:03Z"));
        assertThat(e.msisdn()).isEqualTo("385912345601");
        assertThat(e.agent()).isEqualTo("AcmeRCS");
    }
}
