package io.rcsrouter.provider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.rcsrouter.event.CallbackFields;
import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.event.UserMessage;

/**
 * Infobip RCS webhooks ({@code POST /callbacks/infobip}): inbound messages, delivery reports, seen reports and typing
 * events, each request a {@code results[]} of up to 100; each result is stored as its own event, and refused or
 * accepted on its own ({@link #batched()}). Normalised as:
 * <table>
 *   <tr><th>result</th><th>code</th><th>type</th></tr>
 *   <tr><td>inbound message ({@code message.type} TEXT, SUGGESTION, LOCATION, FILE)</td><td>INBOUND_MESSAGE</td>
 *       <td>USER_MESSAGE (TEXT, RESPONSE/REPLY, LOCATION, FILE)</td></tr>
 *   <tr><td>delivery report ({@code status.groupName})</td><td>DELIVERY_REPORT</td>
 *       <td>DELIVERED; PENDING, ACCEPTED: SENT; UNDELIVERABLE, EXPIRED, REJECTED: ERROR</td></tr>
 *   <tr><td>seen report ({@code seenAt})</td><td>SEEN_REPORT</td><td>READ</td></tr>
 *   <tr><td>typing event ({@code event.type} TYPING_INDICATOR)</td><td>TYPING_INDICATOR</td><td>COMPOSING</td></tr>
 * </table>
 * The subscriber is the inbound message's {@code sender} ({@code from} in older payloads), a report's {@code to};
 * the agent the other side.
 */
public final class InfobipFormat implements ProviderFormat {

    public static final String PROVIDER = "infobip";
    /** Infobip sends at most 100 results per request. */
    static final int MAX_RESULTS = 100;
    private final CallbackParser parser = new CallbackParser();

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public boolean batched() {
        return true;
    }

    @Override
    public List<String> events(String body) throws InvalidCallbackException {
        JsonNode root = parser.readObject(body);
        JsonNode results = root.get("results");
        if (results == null || !results.isArray()) {
            throw new InvalidCallbackException("missing field 'results' (an array of messages or reports)");
        }
        if (results.isEmpty()) {
            throw new InvalidCallbackException("field 'results' is empty");
        }
        if (results.size() > MAX_RESULTS) {
            throw new InvalidCallbackException("field 'results' holds " + results.size() + " items; at most "
                    + MAX_RESULTS + " are allowed");
        }
        List<String> events = new ArrayList<>(results.size());
        for (JsonNode r : results) {
            events.add(r.toString());
        }
        return events;
    }

    @Override
    public RcsEvent read(String text) throws InvalidCallbackException {
        JsonNode r = parser.readObject(text);
        String messageId = CallbackFields.id(r, "messageId", "");
        if (r.has("message")) {
            String subscriber = orElse(CallbackFields.id(r, "sender", ""), CallbackFields.id(r, "from", ""), "sender");
            String agent = CallbackFields.requiredId(r, "to", "");
            JsonNode m = CallbackFields.object(r, "message", "");
            return CallbackFields.checked(new RcsEvent("INBOUND_MESSAGE", "USER_MESSAGE", required(messageId), messageId,
                    subscriber, agent, null, CallbackFields.instant(r, "receivedAt", ""), userMessage(m), false,
                    PROVIDER), "sender");
        }
        if (r.has("status")) {
            JsonNode status = CallbackFields.object(r, "status", "");
            String group = CallbackFields.requiredName(status, "groupName", "status.");
            String name = CallbackFields.name(status, "name", "status.");
            String type = switch (group) {
                case "DELIVERED" -> "DELIVERED";
                case "PENDING", "ACCEPTED" -> "SENT";
                case "UNDELIVERABLE", "EXPIRED", "REJECTED" -> "ERROR";
                default -> group;
            };
            String subscriber = CallbackFields.requiredId(r, "to", "");
            String agent = orElse(CallbackFields.id(r, "sender", ""), CallbackFields.id(r, "from", ""), "sender");
            Instant at = CallbackFields.instant(r, "doneAt", "");
            if (at == null) {
                at = CallbackFields.instant(r, "sentAt", "");
            }
            return CallbackFields.checked(new RcsEvent("DELIVERY_REPORT", type,
                    required(messageId) + ":" + (name == null ? group : name), messageId, subscriber, agent, null, at,
                    null, false, PROVIDER), "to");
        }
        if (r.has("seenAt")) {
            String subscriber = CallbackFields.requiredId(r, "to", "");
            String agent = CallbackFields.requiredId(r, "from", "");
            return CallbackFields.checked(new RcsEvent("SEEN_REPORT", "READ", required(messageId) + ":SEEN", messageId,
                    subscriber, agent, null, CallbackFields.instant(r, "seenAt", ""), null, false, PROVIDER), "to");
        }
        JsonNode event = CallbackFields.object(r, "event", "");
        if (event != null) {
            String kind = CallbackFields.requiredName(event, "type", "event.");
            String subscriber = orElse(CallbackFields.id(r, "sender", ""), CallbackFields.id(r, "from", ""), "sender");
            String agent = CallbackFields.requiredId(r, "to", "");
            Instant at = CallbackFields.instant(r, "receivedAt", "");
            String id = subscriber + "@" + (at == null ? "" : at.toString());
            return CallbackFields.checked(new RcsEvent(kind, "TYPING_INDICATOR".equals(kind) ? "COMPOSING" : kind, id,
                    id, subscriber, agent, null, at, null, false, PROVIDER), "sender");
        }
        throw new InvalidCallbackException("not an Infobip RCS result the router takes: expected an inbound message"
                + " (message), a delivery report (status), a seen report (seenAt) or an event (event)");
    }

    private static UserMessage userMessage(JsonNode m) throws InvalidCallbackException {
        String p = "message.";
        String type = CallbackFields.requiredName(m, "type", p);
        return switch (type) {
            case "TEXT" -> new UserMessage("TEXT", CallbackFields.text(m, "text", p), null, null, null, null);
            case "SUGGESTION" -> new UserMessage("RESPONSE", CallbackFields.text(m, "text", p),
                    CallbackFields.text(m, "postbackData", p), "REPLY", "REPLY", null);
            case "LOCATION" -> new UserMessage("LOCATION", null, null, null, null,
                    CallbackFields.location(m, "latitude", "longitude", p));
            case "FILE" -> new UserMessage("FILE", null, null, null, null, null, new UserMessage.File(
                    CallbackFields.requiredId(m, "url", p), CallbackFields.name(m, "contentType", p),
                    CallbackFields.text(m, "name", p), CallbackFields.size(m, "size", p)));
            default -> new UserMessage(type, CallbackFields.text(m, "text", p), null, null, null, null);
        };
    }

    private static String required(String messageId) throws InvalidCallbackException {
        if (messageId == null || messageId.isBlank()) {
            throw new InvalidCallbackException("missing field 'messageId'");
        }
        return messageId;
    }

    private static String orElse(String a, String b, String field) throws InvalidCallbackException {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        throw new InvalidCallbackException("missing field '" + field + "'");
    }
}
