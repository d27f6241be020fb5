package io.rcsrouter.event;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 * detection, so a body cannot smuggle a second {@code type} past the router. The body must be UTF-8
 * ({@link BodyText}), may not carry what the router cannot store or pass on ({@link ContentGuard}), and each
 * field the router reads must have its documented type and fit its database column; every refusal says which
 * field is wrong and why.
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

    /**
     * What the router can store of each identifying field: the column sizes of {@code rcs_audit} and
     * {@code rcs_consent} (V1__audit_and_consent.sql). A longer value would be answered 200 and then fail every
     * dispatch attempt, so it is refused here, where the sender still learns why.
     */
    static final int MAX_CODE_LENGTH = 32;
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_ID_LENGTH = 256;
    static final int MAX_MSISDN_LENGTH = 64;
    static final int MAX_CARRIER_LENGTH = 64;
    /**
     * The years a timestamp may fall in, in UTC: what RFC 3339 (four digits, no year 0) and the timestamp columns
     * and JSON consumers downstream can hold. Java reads "+10000-01-01T00:00:00Z" and "0000-01-01T00:00:00Z" fine;
     * the audit column and the CRM's ISO-8601 parsers do not.
     */
    static final int MIN_YEAR = 1;
    static final int MAX_YEAR = 9999;

    public RcsEvent parse(byte[] body) throws InvalidCallbackException {
        if (body == null || body.length == 0) {
            throw new InvalidCallbackException("body is empty; expected a JSON object");
        }
        return parse(BodyText.decode(body));
    }

    public RcsEvent parse(String text) throws InvalidCallbackException {
        JsonNode root = readObject(text);

        boolean enveloped = root.has("data");
        JsonNode data;
        String code = null;
        if (enveloped) {
            data = root.get("data");
            if (!data.isObject()) {
                throw new InvalidCallbackException("field 'data' must be an object, not " + describe(data));
            }
            code = optionalCode(root.get("code"));
        } else if (root.has("code")) {
            // an envelope that lost its data: reading the rest as the bare shape would route it without its code
            throw new InvalidCallbackException("missing field 'data': the body has the envelope's 'code' but no"
                    + " 'data' object");
        } else if (root.has("type")) {
            data = root; // older accounts: the data object alone
        } else {
            throw new InvalidCallbackException("missing field 'data' (and no bare event with a 'type' either)");
        }

        String prefix = enveloped ? "data." : "";
        String type = required(name(data, "type", prefix), "type", prefix);
        String from = required(identifier(data, "from", prefix, MAX_ID_LENGTH), "from", prefix);
        String messageId = required(identifier(data, "messageId", prefix, MAX_ID_LENGTH), "messageId", prefix);
        String eventId = identifier(data, "eventId", prefix, MAX_ID_LENGTH);
        String to = identifier(data, "to", prefix, MAX_ID_LENGTH);
        String carrierId = identifier(data, "carrierId", prefix, MAX_CARRIER_LENGTH);
        Instant sentAt = optionalInstant(data, "sentAt", prefix);
        UserMessage userMessage = userMessage(data.get("userMessage"), prefix + "userMessage.");

        RcsEvent event = new RcsEvent(code, type, eventId, messageId, from, to, carrierId, sentAt, userMessage,
                enveloped);
        String msisdn = event.msisdn();
        if (msisdn != null && msisdn.length() > MAX_MSISDN_LENGTH) {
            throw new InvalidCallbackException("field '" + prefix + (event.reversed() ? "to" : "from")
                    + "' is not a subscriber number: " + msisdn.length() + " characters long, at most "
                    + MAX_MSISDN_LENGTH + " are allowed");
        }
        return event;
    }

    /**
     * A body read under this parser's limits, as a JSON object whose every key and string {@link ContentGuard} let
     * through: where every provider's parser starts.
     */
    public JsonNode readObject(String text) throws InvalidCallbackException {
        String body = BodyText.withoutByteOrderMark(text);
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
        ContentGuard.check(root);
        return root;
    }

    private JsonNode readTree(String body) throws InvalidCallbackException {
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidCallbackException(JsonProblem.describe(e));
        } catch (IOException e) {
            throw new InvalidCallbackException("body could not be read: " + e.getMessage());
        }
    }

    static String optionalCode(JsonNode node) throws InvalidCallbackException {
        if (node == null || node.isNull()) {
            return null;
        }
        String code;
        if (node.isTextual()) {
            code = node.textValue().strip();
        } else if (node.isIntegralNumber()) {
            code = node.asText();
        } else {
            throw new InvalidCallbackException("field 'code' must be a string or a whole number, not "
                    + describe(node));
        }
        return checked(code, "code", MAX_CODE_LENGTH);
    }

    static String required(String value, String field, String prefix) throws InvalidCallbackException {
        if (value == null || value.isBlank()) {
            throw new InvalidCallbackException("missing field '" + prefix + field + "'");
        }
        return value;
    }

    /**
     * An identifier or number (from, to, messageId, eventId, carrierId): a string, or a whole number since some
     * gateways send numbers for "from". Never a fraction: 1.9785550100E10 is no phone number.
     */
    static String identifier(JsonNode data, String field, String prefix, int maxLength)
            throws InvalidCallbackException {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw new InvalidCallbackException("field '" + prefix + field + "' must be a string, not "
                    + describe(node));
        }
        return checked(node.asText(), prefix + field, maxLength);
    }

    /** A name from a fixed vocabulary (USER_MESSAGE, TEXT, REPLY, ...): a string, never a number. */
    static String name(JsonNode data, String field, String prefix) throws InvalidCallbackException {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidCallbackException("field '" + prefix + field + "' must be a string, not "
                    + describe(node));
        }
        return checked(node.textValue(), prefix + field, MAX_NAME_LENGTH);
    }

    /**
     * Identifiers and names are stored in sized columns, put in JMS properties and written to the log: no control
     * characters (a newline in a messageId would forge a log line), and no more than the column holds.
     */
    static String checked(String value, String field, int maxLength) throws InvalidCallbackException {
        if (value.length() > maxLength) {
            throw new InvalidCallbackException("field '" + field + "' is " + value.length()
                    + " characters long; at most " + maxLength + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidCallbackException(String.format("field '%s' contains the control character U+%04X;"
                        + " identifiers may not contain control characters", field, (int) value.charAt(i)));
            }
        }
        return value;
    }

    /** Free text the user typed or tapped: kept exactly as sent (numbers as their text). */
    static String freeText(JsonNode data, String field, String prefix) throws InvalidCallbackException {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return node.asText();
        }
        throw new InvalidCallbackException("field '" + prefix + field + "' must be a string, not " + describe(node));
    }

    static Instant optionalInstant(JsonNode data, String field, String prefix) throws InvalidCallbackException {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidCallbackException("field '" + prefix + field + "' must be an ISO-8601 timestamp string,"
                    + " not " + describe(node));
        }
        String text = node.textValue();
        if (text.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            String iso = text.strip();
            Instant usual = IsoInstant.parseUsual(iso);
            if (usual == null && iso.matches(".*[+-][0-9]{4}")) {
                // "2024-06-14T09:12:00.000+0000" (Infobip): the offset without its colon
                iso = iso.substring(0, iso.length() - 2) + ":" + iso.substring(iso.length() - 2);
            }
            instant = usual != null ? usual : OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidCallbackException("field '" + prefix + field + "' is not an ISO-8601 timestamp: "
                    + abbreviate(text));
        }
        int year = instant.atOffset(ZoneOffset.UTC).getYear();
        if (year < MIN_YEAR || year > MAX_YEAR) {
            throw new InvalidCallbackException("field '" + prefix + field + "' is out of range: " + abbreviate(text)
                    + " is in the year " + year + " (UTC); the year must be between 0001 and 9999");
        }
        return instant;
    }

    private static UserMessage userMessage(JsonNode node, String prefix) throws InvalidCallbackException {
        if (node == null || node.isNull()) {
            return null;
        }
        requireObject(node, prefix);
        String kind = name(node, "type", prefix);
        String text = freeText(node, "text", prefix);
        String postback = null;
        String responseType = null;
        String moType = null;
        UserMessage.Location location = null;

        JsonNode response = node.get("response");
        if (response != null && !response.isNull()) {
            String rp = prefix + "response.";
            requireObject(response, rp);
            if (text == null) {
                text = freeText(response, "text", rp);
            }
            postback = freeText(response, "postbackData", rp);
            responseType = name(response, "type", rp);
            moType = name(response, "mo_type", rp);
        }
        JsonNode loc = node.get("location");
        if (loc != null && !loc.isNull()) {
            String lp = prefix + "location";
            requireObject(loc, lp + ".");
            JsonNode lat = loc.get("latitude");
            JsonNode lon = loc.get("longitude");
            if (lat == null || !lat.isNumber() || lon == null || !lon.isNumber()) {
                throw new InvalidCallbackException("field '" + lp + "' needs numeric latitude and longitude");
            }
            location = new UserMessage.Location(coordinate(lat, lp + ".latitude", 90),
                    coordinate(lon, lp + ".longitude", 180));
        }
        return new UserMessage(kind, text, postback, responseType, moType, location);
    }

    static void requireObject(JsonNode node, String prefix) throws InvalidCallbackException {
        if (!node.isObject()) {
            throw new InvalidCallbackException("field '" + prefix.substring(0, prefix.length() - 1)
                    + "' must be an object, not " + describe(node));
        }
    }

    /** Degrees within +/-limit: 1e400 (read as infinity) or 500 is no place on Earth. */
    static double coordinate(JsonNode node, String field, int limit) throws InvalidCallbackException {
        double value = node.doubleValue();
        if (!Double.isFinite(value) || Math.abs(value) > limit) {
            throw new InvalidCallbackException("field '" + field + "' must be between -" + limit + " and " + limit
                    + " degrees, not " + abbreviate(node.asText()));
        }
        return value;
    }

    static String describe(JsonNode node) {
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

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
