package io.rcsrouter.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrmMappingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final CrmMapping shipped = CrmMapping.fromFile("config/crm-mapping.json");

    JsonNode map(CrmMapping mapping, String sample) throws Exception {
        String raw = Samples.read(sample);
        RcsEvent e = new CallbackParser().parse(raw);
        return JSON.readTree(mapping.map(e, raw));
    }

    @Test
    void shippedTemplateProducesTheContractShape() throws Exception {
        JsonNode body = map(shipped, "mo/07-open-url.json");
        assertThat(body.fieldNames()).toIterable().containsExactly("provider", "channel", "eventId", "messageId",
                "agent", "msisdn", "carrier", "occurredAt", "kind", "text", "postbackData", "action", "location", "file", "consent", "raw");
        assertThat(body.get("kind").asText()).isEqualTo("ACTION");
        assertThat(body.get("action").asText()).isEqualTo("OPEN_URL");
        assertThat(body.get("occurredAt").asText()).isEqualTo("2026-04-16T10:53:53.301Z");
        assertThat(body.get("location").isNull()).isTrue();
        assertThat(body.get("file").isNull()).isTrue();
        assertThat(body.get("consent").isNull()).as("no ledger state given").isTrue();
        assertThat(body.get("raw")).isEqualTo(JSON.readTree(Samples.read("mo/07-open-url.json")));
    }

    @Test
    void carriesTheFileReferenceTheProviderAndTheLedgersConsent() throws Exception {
        String raw = Samples.read("rbm/04-file.json");
        RcsEvent e = new io.rcsrouter.provider.RbmFormat().read(raw);
        JsonNode body = JSON.readTree(shipped.map(e, raw, "rbm", "OPTED_OUT"));
        assertThat(body.get("provider").asText()).isEqualTo("rbm");
        assertThat(body.get("kind").asText()).isEqualTo("FILE");
        assertThat(body.get("consent").asText()).isEqualTo("OPTED_OUT");
        assertThat(body.get("file").get("url").asText()).startsWith("https://storage.googleapis.com/copper_test/77dd");
        assertThat(body.get("file").get("mimeType").asText()).isEqualTo("image/gif");
        assertThat(body.get("file").get("name").asText()).isEqualTo("4_animated.gif");
        assertThat(body.get("file").get("sizeBytes").asLong()).isEqualTo(127806L);
    }

    @Test
    void rawIgnoresTheByteOrderMarkThatIngressAccepts() throws Exception {
        String raw = "\uFEFF" + Samples.read("mo/05-reply.json");
        JsonNode body = JSON.readTree(shipped.map(new CallbackParser().parse(raw), raw));
        assertThat(body.get("raw")).isEqualTo(JSON.readTree(Samples.read("mo/05-reply.json")));
    }

    @Test
    void kindsFollowTheUserMessage() throws Exception {
        assertThat(map(shipped, "mo/05-reply.json").get("kind").asText()).isEqualTo("REPLY");
        assertThat(map(shipped, "mo/11-user-location.json").get("kind").asText()).isEqualTo("LOCATION");
        assertThat(map(shipped, "mo/13-text-bare-shape.json").get("kind").asText()).isEqualTo("TEXT");
        assertThat(map(shipped, "mo/12-composing.json").get("kind").asText()).isEqualTo("OTHER");
    }

    @Test
    void keepsTypesFallsBackAndSplicesText() throws Exception {
        CrmMapping custom = new CrmMapping(JSON.readTree("""
                {"who": "${event.msisdn}", "lat": "${event.location.latitude}",
                 "label": "${event.text|event.postbackData}", "summary": "${event.kind} from ${event.carrier}",
                 "nested": {"list": ["${event.type}", 42, true]}, "missing": "${event.nothing}"}"""));
        JsonNode body = map(custom, "mo/11-user-location.json");
        assertThat(body.get("lat").isNumber()).isTrue();
        assertThat(body.get("lat").asDouble()).isEqualTo(28.658577);
        assertThat(body.get("summary").asText()).isEqualTo("LOCATION from ATT");
        assertThat(body.get("label").isNull()).isTrue();
        assertThat(body.get("nested").get("list").get(0).asText()).isEqualTo("USER_MESSAGE");
        assertThat(body.get("nested").get("list").get(1).asInt()).isEqualTo(42);
        assertThat(body.get("missing").isNull()).isTrue();
        assertThat(map(custom, "mo/06-dial.json").get("label").asText()).isEqualTo("Customer Support");
    }

    @Test
    void refusesATemplateThatIsNotAnObject() {
        assertThatThrownBy(() -> new CrmMapping(JSON.readTree("[1]"))).isInstanceOf(IllegalArgumentException.class);
    }
}
