package io.rcsrouter.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rcsrouter.crm.CrmMapping;
import io.rcsrouter.event.BodyText;
import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;

import static io.rcsrouter.fuzz.FuzzChecks.check;

/**
 * The CRM mapping on every event the parser accepts: the request is one valid JSON object (read back strictly: no
 * duplicate key, nothing after it), its {@code raw} is the callback as received, its {@code occurredAt} an RFC 3339
 * UTC timestamp; and a template that splices text and reads into {@code raw} never fails either.
 */
class CrmMappingFuzzTest {

    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    /** Instant.toString of a year 0001..9999 in UTC: 2026-04-20T09:01:28.671Z */
    private static final Pattern RFC3339_UTC =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?Z");

    private final CallbackParser parser = new CallbackParser();
    private final CrmMapping shipped = CrmMapping.fromFile("config/crm-mapping.json");
    private final CrmMapping splicing;

    CrmMappingFuzzTest() throws Exception {
        splicing = new CrmMapping(STRICT.readTree("""
                {"summary": "${event.kind} from ${event.msisdn} at ${event.occurredAt}: ${event.text|event.postbackData}",
                 "type": "${raw.data.type|raw.type}", "text": "${raw.data.userMessage.text}",
                 "lat": "${event.location.latitude}", "where": "at ${event.location}", "all": "${raw}",
                 "list": ["${event.code}", "${event.nothing}", 1, null]}"""));
    }

    @FuzzTest(maxDuration = FuzzChecks.MAX_DURATION)
    void map(byte[] body) throws Exception {
        if (body.length > CallbackParserFuzzTest.MAX_BODY_BYTES) {
            return;
        }
        RcsEvent event;
        String text;
        try {
            text = BodyText.decode(body);
            event = parser.parse(text);
        } catch (InvalidCallbackException refused) {
            return; // the 400: never mapped
        }
        JsonNode request = readStrictly(shipped.map(event, text));
        check(request.get("raw").equals(STRICT.readTree(BodyText.withoutByteOrderMark(text))),
                "raw is not the callback: " + request);
        JsonNode occurredAt = request.get("occurredAt");
        check(occurredAt.isNull() || RFC3339_UTC.matcher(occurredAt.asText()).matches(),
                "occurredAt is not an RFC 3339 UTC timestamp: " + occurredAt);
        readStrictly(splicing.map(event, text, "fuzz"));
    }

    private static JsonNode readStrictly(String json) {
        try {
            JsonNode node = STRICT.readTree(json);
            check(node != null && node.isObject(), "not a JSON object: " + json);
            check(json.getBytes(StandardCharsets.UTF_8).length > 0, "empty request");
            return node;
        } catch (Exception e) {
            throw new AssertionError("the CRM request is not valid JSON: " + json, e);
        }
    }
}
