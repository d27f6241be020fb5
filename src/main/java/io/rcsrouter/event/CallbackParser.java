package io.rcsrouter.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Turns a callback body into an {@link RcsEvent}, or says exactly why it cannot.
 *
 * <p>Both shapes Kaleyra sends are accepted: the {@code {code, message, data, error}} envelope, and the bare
 * {@code data} object of older accounts. {@code code} may be a string or a number. Hostile bodies are stopped by
 * Jackson's stream limits (nesting depth, string and number length, token count) and by strict duplicate-key
 * detection, so a body cannot smuggle a second {@code type} past the router.
 */
public class CallbackParser {

    private final ObjectMapper mapper;

    public CallbackParser() {
        this(Limits.DEFAULT);
    }

    public CallbackParser(Limits limits) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxStringLength())
                        .maxNumberLength(limits.maxNumberLength())
                        .maxNameLength(limits.maxNameLength())
                        .maxTokenCount(limits.maxTokenCount())
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** Stream limits for untrusted bodies; the defaults are generous for any real Kaleyra callback. */
    public record Limits(int maxNestingDepth, int maxStringLength, int maxNumberLength, int maxNameLength,
            long maxTokenCount) {
        public static final Limits DEFAULT = new Limits(16, 16_384, 64, 256, 10_000);
    }

    public RcsEvent parse(byte[] body) throws InvalidCallbackException {
        if (body == null || body.length == 0) {
            throw new InvalidCallbackException("body is empty; expected a JSON object");
        }
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    public RcsEvent parse(String body) throws InvalidCallbackException {
        if (body == null || body.isBlank()) {
            throw new InvalidCallbackException("body is empty; expected a JSON object");
        }
        JsonNode root = readTree(body);
        if (root == null || root.isMissingNode()) {
            throw new InvalidCallbackException("body is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            throw new InvalidCallbackException("body must be a JSON object, not " + describe(root));
        }

        boolean enveloped = root.has("data");
        JsonNode data;
        String code = null;
        if (enveloped) {
            data = root.get("data");
            if (!data.isObject()) {
                throw new InvalidCallbackException("field 'data' must be an object, not " + describe(data));
            }
            code = optionalCode(root.get("code"));
        } else if (root.has("type")) {
            data = root; // older accounts: the data object alone
        } else {
            throw new InvalidCallbackException("missing field 'data' (and no bare event with a 'type' either)");
        }

        String prefix = enveloped ? "data." : "";
        String type = requiredText(data, "type", prefix);
        String from = requiredText(data, "from", prefix);
        String messageId = requiredText(data, "messageId", prefix);
        String eventId = optionalText(data, "eventId", prefix);
        String to = optionalText(data, "to", prefix);
        String carrierId = optionalText(data, "carrierId", prefix);
        Instant sentAt = optionalInstant(data, "sentAt", prefix);
        UserMessage userMessage = userMessage(data.get("userMessage"), prefix + "userMessage.");

        return new RcsEvent(code, type, eventId, messageId, from, to, carrierId, sentAt, userMessage, enveloped);
    }

    private JsonNode readTree(String body) throws InvalidCallbackException {
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidCallbackException("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidCallbackException("body could not be read: " + e.getMessage());
        }
    }

    private static String optionalCode(JsonNode node) throws InvalidCallbackException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue().strip();
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        throw new InvalidCallbackException("field 'code' must be a string or a whole number, not " + describe(node));
    }

    private static String requiredText(JsonNode data, String field, String prefix) throws InvalidCallbackException {
        String value = optionalText(data, field, prefix);
        if (value == null || value.isBlank()) {
            throw new InvalidCallbackException("missing field '" + prefix + field + "'");
        }
        return value;
    }

    private static String optionalText(JsonNode data, String field, String prefix) throws InvalidCallbackException {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return node.asText(); // some gateways send numbers for "from"
        }
        throw new InvalidCallbackException("field '" + prefix + field + "' must be a string, not " + describe(node));
    }

    private static Instant optionalInstant(JsonNode data, String field, String prefix) throws InvalidCallbackException {
        String text = optionalText(data, field, prefix);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidCallbackException("field '" + prefix + field + "' is not an ISO-8601 timestamp: " + abbreviate(text));
        }
    }

    private static UserMessage userMessage(JsonNode node, String prefix) throws InvalidCallbackException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidCallbackException("field '" + prefix.substring(0, prefix.length() - 1) + "' must be an object");
        }
        String kind = optionalText(node, "type", prefix);
        String text = optionalText(node, "text", prefix);
        String postback = null;
        String responseType = null;
        String moType = null;
        UserMessage.Location location = null;

        JsonNode response = node.get("response");
        if (response != null && response.isObject()) {
            String rp = prefix + "response.";
            if (text == null) {
                text = optionalText(response, "text", rp);
            }
            postback = optionalText(response, "postbackData", rp);
            responseType = optionalText(response, "type", rp);
            moType = optionalText(response, "mo_type", rp);
        }
        JsonNode loc = node.get("location");
        if (loc != null && loc.isObject()) {
            JsonNode lat = loc.get("latitude");
            JsonNode lon = loc.get("longitude");
            if (lat == null || !lat.isNumber() || lon == null || !lon.isNumber()) {
                throw new InvalidCallbackException("field '" + prefix + "location' needs numeric latitude and longitude");
            }
            location = new UserMessage.Location(lat.doubleValue(), lon.doubleValue());
        }
        return new UserMessage(kind, text, postback, responseType, moType, location);
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
