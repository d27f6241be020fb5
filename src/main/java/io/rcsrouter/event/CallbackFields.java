package io.rcsrouter.event;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rules every provider's parser reads a callback's fields by, the same as Kaleyra's ({@link CallbackParser}): an
 * identifier is a string or a whole number, fits its column and holds no control character; a name is a string; a
 * timestamp is ISO-8601 within the years 0001-9999; a coordinate is a finite number of degrees. Each refusal names
 * the field, with {@code prefix} as the path to it ("message.contact_message.").
 */
public final class CallbackFields {

    public static final int MAX_CODE_LENGTH = CallbackParser.MAX_CODE_LENGTH;
    public static final int MAX_NAME_LENGTH = CallbackParser.MAX_NAME_LENGTH;
    public static final int MAX_ID_LENGTH = CallbackParser.MAX_ID_LENGTH;
    public static final int MAX_CARRIER_LENGTH = CallbackParser.MAX_CARRIER_LENGTH;

    private CallbackFields() {
    }

    /** An optional identifier (an id, a number, an agent). */
    public static String id(JsonNode node, String field, String prefix) throws InvalidCallbackException {
        return node == null ? null : CallbackParser.identifier(node, field, prefix, MAX_ID_LENGTH);
    }

    /** A required identifier. */
    public static String requiredId(JsonNode node, String field, String prefix) throws InvalidCallbackException {
        return CallbackParser.required(id(node, field, prefix), field, prefix);
    }

    /** An optional name from a vocabulary (a status, a type). */
    public static String name(JsonNode node, String field, String prefix) throws InvalidCallbackException {
        return node == null ? null : CallbackParser.name(node, field, prefix);
    }

    /** A required name from a vocabulary. */
    public static String requiredName(JsonNode node, String field, String prefix) throws InvalidCallbackException {
        return CallbackParser.required(name(node, field, prefix), field, prefix);
    }

    /** Free text the user typed or tapped, kept as sent. */
    public static String text(JsonNode node, String field, String prefix) throws InvalidCallbackException {
        return node == null ? null : CallbackParser.freeText(node, field, prefix);
    }

    /** An optional ISO-8601 timestamp. */
    public static Instant instant(JsonNode node, String field, String prefix) throws InvalidCallbackException {
        return node == null ? null : CallbackParser.optionalInstant(node, field, prefix);
    }

    /** The optional object {@code field} of {@code node}; refused when it is there but not an object. */
    public static JsonNode object(JsonNode node, String field, String prefix) throws InvalidCallbackException {
        JsonNode child = node == null ? null : node.get(field);
        if (child == null || child.isNull()) {
            return null;
        }
        CallbackParser.requireObject(child, prefix + field + ".");
        return child;
    }

    /** A location of two numeric fields, each checked as degrees. */
    public static UserMessage.Location location(JsonNode node, String latitude, String longitude, String prefix)
            throws InvalidCallbackException {
        JsonNode lat = node.get(latitude);
        JsonNode lon = node.get(longitude);
        if (lat == null || !lat.isNumber() || lon == null || !lon.isNumber()) {
            throw new InvalidCallbackException("field '" + prefix.replaceAll("\\.$", "") + "' needs numeric "
                    + latitude + " and " + longitude);
        }
        return new UserMessage.Location(CallbackParser.coordinate(lat, prefix + latitude, 90),
                CallbackParser.coordinate(lon, prefix + longitude, 180));
    }

    /** A whole number of bytes, or null. */
    public static Long size(JsonNode node, String field, String prefix) throws InvalidCallbackException {
        JsonNode n = node == null ? null : node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0) {
            return n.longValue();
        }
        if (n.isTextual() && n.textValue().matches("[0-9]{1,18}")) {
            return Long.parseLong(n.textValue());
        }
        throw new InvalidCallbackException("field '" + prefix + field + "' must be a whole number of bytes, not "
                + CallbackParser.describe(n));
    }

    /**
     * Refuses an event that could not be routed or stored: a type, subscriber or message id a provider left empty (an
     * RBM {@code eventType} of "", a Sinch contact event named ""), or a subscriber number or id over its column.
     */
    public static RcsEvent checked(RcsEvent event, String field) throws InvalidCallbackException {
        present(event.type(), "the event type");
        present(event.from(), "the subscriber ('" + field + "')");
        present(event.messageId(), "the message id");
        if (event.code() != null) {
            present(event.code(), "the event code");
        }
        String msisdn = event.msisdn();
        if (msisdn != null && msisdn.length() > CallbackParser.MAX_MSISDN_LENGTH) {
            throw new InvalidCallbackException("field '" + field + "' is not a subscriber number: " + msisdn.length()
                    + " characters long, at most " + CallbackParser.MAX_MSISDN_LENGTH + " are allowed");
        }
        // what the parser put together or took from a name (a message id and a status, a contact and a moment, an
        // event type as the code) must fit its column too
        bounded(event.to(), "the agent", MAX_ID_LENGTH);
        bounded(event.code(), "the event code", MAX_CODE_LENGTH);
        bounded(event.type(), "the event type", MAX_NAME_LENGTH);
        bounded(event.eventId(), "the event id", MAX_ID_LENGTH);
        bounded(event.messageId(), "the message id", MAX_ID_LENGTH);
        return event;
    }

    private static void present(String value, String what) throws InvalidCallbackException {
        if (value == null || value.isBlank()) {
            throw new InvalidCallbackException(what + " is empty");
        }
    }

    private static void bounded(String value, String what, int max) throws InvalidCallbackException {
        if (value != null && value.length() > max) {
            throw new InvalidCallbackException(what + " is " + value.length() + " characters long; at most " + max
                    + " are allowed");
        }
    }

    /** How a refusal describes a value's JSON type: "an array", "a number", ... */
    public static String describe(JsonNode node) {
        return CallbackParser.describe(node);
    }
}
