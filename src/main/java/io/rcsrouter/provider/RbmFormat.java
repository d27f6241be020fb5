package io.rcsrouter.provider;

import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.rcsrouter.event.BodyText;
import io.rcsrouter.event.CallbackFields;
import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.event.UserMessage;

/**
 * Google RCS Business Messaging callbacks ({@code POST /callbacks/rbm}): a push envelope
 * {@code {"message": {"data": BASE64, "messageId", "publishTime"}, "subscription"}} whose {@code data} is one
 * event; the router stores the decoded event. Normalised as:
 * <table>
 *   <tr><th>RBM</th><th>code</th><th>type</th></tr>
 *   <tr><td>user message: text, suggestionResponse, location, userFile</td><td>USER_MESSAGE</td>
 *       <td>USER_MESSAGE (TEXT, RESPONSE with REPLY or ACTION, LOCATION, FILE: a reference, never downloaded)</td></tr>
 *   <tr><td>user event: DELIVERED, READ, IS_TYPING, SUBSCRIBE, UNSUBSCRIBE</td><td>the eventType</td>
 *       <td>DELIVERED, READ, COMPOSING, SUBSCRIBE, UNSUBSCRIBE</td></tr>
 *   <tr><td>server event ({@code phoneNumber}): TTL_EXPIRATION_REVOKED, TTL_EXPIRATION_REVOKE_FAILED</td>
 *       <td>the eventType</td><td>the same</td></tr>
 * </table>
 * The subscriber is {@code senderPhoneNumber} ({@code phoneNumber} for a server event), the agent {@code agentId}.
 */
public final class RbmFormat implements ProviderFormat {

    public static final String PROVIDER = "rbm";
    private final CallbackParser parser = new CallbackParser();

    @Override
    public String provider() {
        return PROVIDER;
    }

    /** The decoded {@code message.data} of the envelope. */
    @Override
    public List<String> events(String body) throws InvalidCallbackException {
        byte[] data = data(parser.readObject(body));
        try {
            return List.of(BodyText.decode(data));
        } catch (InvalidCallbackException e) {
            throw new InvalidCallbackException("field 'message.data' (decoded): " + e.getMessage());
        }
    }

    /** The Base64-decoded bytes of {@code message.data}: what Google signs. */
    static byte[] data(JsonNode envelope) throws InvalidCallbackException {
        JsonNode message = CallbackFields.object(envelope, "message", "");
        if (message == null) {
            throw new InvalidCallbackException("missing field 'message': not a push envelope");
        }
        JsonNode data = message.get("data");
        if (data == null || !data.isTextual() || data.textValue().isBlank()) {
            throw new InvalidCallbackException("missing field 'message.data' (the event, Base64)");
        }
        try {
            return Base64.getDecoder().decode(data.textValue().strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidCallbackException("field 'message.data' is not Base64: " + e.getMessage());
        }
    }

    @Override
    public RcsEvent read(String event) throws InvalidCallbackException {
        JsonNode e = parser.readObject(event);
        String agent = CallbackFields.requiredId(e, "agentId", "");
        String carrier = CallbackFields.name(e, "carrier", "");
        if (carrier != null && carrier.length() > CallbackFields.MAX_CARRIER_LENGTH) {
            carrier = carrier.substring(0, CallbackFields.MAX_CARRIER_LENGTH);
        }
        java.time.Instant sentAt = CallbackFields.instant(e, "sendTime", "");
        String eventType = CallbackFields.name(e, "eventType", "");
        if (eventType != null) {
            boolean server = !e.has("senderPhoneNumber") && e.has("phoneNumber");
            String subscriberField = server ? "phoneNumber" : "senderPhoneNumber";
            String subscriber = CallbackFields.requiredId(e, subscriberField, "");
            String eventId = CallbackFields.requiredId(e, "eventId", "");
            String messageId = CallbackFields.id(e, "messageId", "");
            String type = "IS_TYPING".equals(eventType) ? "COMPOSING" : eventType;
            return CallbackFields.checked(new RcsEvent(eventType, type, eventId, messageId == null ? eventId : messageId,
                    subscriber, agent, carrier, sentAt, null, false, PROVIDER), subscriberField);
        }
        String subscriber = CallbackFields.requiredId(e, "senderPhoneNumber", "");
        String messageId = CallbackFields.requiredId(e, "messageId", "");
        return CallbackFields.checked(new RcsEvent("USER_MESSAGE", "USER_MESSAGE", messageId, messageId, subscriber,
                agent, carrier, sentAt, userMessage(e), false, PROVIDER), "senderPhoneNumber");
    }

    private static UserMessage userMessage(JsonNode e) throws InvalidCallbackException {
        JsonNode n;
        if (e.has("text")) {
            return new UserMessage("TEXT", CallbackFields.text(e, "text", ""), null, null, null, null);
        }
        if ((n = CallbackFields.object(e, "suggestionResponse", "")) != null) {
            String p = "suggestionResponse.";
            String type = CallbackFields.name(n, "type", p);
            return new UserMessage("RESPONSE", CallbackFields.text(n, "text", p), CallbackFields.text(n, "postbackData", p),
                    type, type, null);
        }
        if ((n = CallbackFields.object(e, "location", "")) != null) {
            return new UserMessage("LOCATION", null, null, null, null,
                    CallbackFields.location(n, "latitude", "longitude", "location."));
        }
        if ((n = CallbackFields.object(e, "userFile", "")) != null) {
            JsonNode payload = CallbackFields.object(n, "payload", "userFile.");
            if (payload == null) {
                throw new InvalidCallbackException("missing field 'userFile.payload'");
            }
            String p = "userFile.payload.";
            return new UserMessage("FILE", null, null, null, null, null, new UserMessage.File(
                    CallbackFields.requiredId(payload, "fileUri", p), CallbackFields.name(payload, "mimeType", p),
                    CallbackFields.text(payload, "fileName", p), CallbackFields.size(payload, "fileSizeBytes", p)));
        }
        throw new InvalidCallbackException("an RBM user message needs one of text, suggestionResponse, location,"
                + " userFile (or an eventType for a user or server event)");
    }
}
