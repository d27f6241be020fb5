package io.rcsrouter.provider;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import io.rcsrouter.event.CallbackFields;
import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.event.UserMessage;

/**
 * Sinch Conversation API callbacks ({@code POST /callbacks/sinch}), one event per request. Sinch names no trigger in
 * the body: the key present says which it is. Normalised as:
 * <table>
 *   <tr><th>trigger (key)</th><th>code</th><th>type</th></tr>
 *   <tr><td>MESSAGE_INBOUND ({@code message.contact_message}): text, choice response, location, media</td>
 *       <td>MESSAGE_INBOUND</td><td>USER_MESSAGE (TEXT, RESPONSE/REPLY, LOCATION, FILE)</td></tr>
 *   <tr><td>MESSAGE_DELIVERY ({@code message_delivery_report.status})</td><td>MESSAGE_DELIVERY</td>
 *       <td>QUEUED_ON_CHANNEL: SENT, DELIVERED, READ, FAILED and SWITCHING_CHANNEL: ERROR</td></tr>
 *   <tr><td>EVENT_INBOUND ({@code event.contact_event}): composing, composing end</td><td>EVENT_INBOUND</td>
 *       <td>COMPOSING (any other contact event: its name, e.g. CONVERSATION_DELETED_EVENT)</td></tr>
 *   <tr><td>OPT_OUT / OPT_IN ({@code opt_out_notification}, {@code opt_in_notification})</td><td>OPT_OUT / OPT_IN</td>
 *       <td>UNSUBSCRIBE / SUBSCRIBE when its status is ..._SUCCEEDED, else the status (OPT_OUT_FAILED)</td></tr>
 * </table>
 * The subscriber is {@code channel_identity.identity} (or the notification's {@code identity}), the agent the Sinch
 * app ({@code app_id}); when it happened: the message's {@code accept_time}, else {@code event_time}.
 */
public final class SinchFormat implements ProviderFormat {

    public static final String PROVIDER = "sinch";
    private final CallbackParser parser = new CallbackParser();

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public List<String> events(String body) {
        return List.of(body);
    }

    @Override
    public RcsEvent read(String text) throws InvalidCallbackException {
        JsonNode root = parser.readObject(text);
        String app = CallbackFields.requiredId(root, "app_id", "");
        Instant eventTime = CallbackFields.instant(root, "event_time", "");
        if (eventTime == null) {
            eventTime = CallbackFields.instant(root, "accepted_time", "");
        }
        JsonNode n;
        if ((n = CallbackFields.object(root, "message", "")) != null) {
            return inbound(n, app, eventTime);
        }
        if ((n = CallbackFields.object(root, "message_delivery_report", "")) != null) {
            return delivery(n, app, eventTime);
        }
        if ((n = CallbackFields.object(root, "event", "")) != null) {
            return contactEvent(n, app, eventTime);
        }
        if ((n = CallbackFields.object(root, "opt_out_notification", "")) != null) {
            return consent(n, "opt_out_notification.", "OPT_OUT", "UNSUBSCRIBE", app, eventTime);
        }
        if ((n = CallbackFields.object(root, "opt_in_notification", "")) != null) {
            return consent(n, "opt_in_notification.", "OPT_IN", "SUBSCRIBE", app, eventTime);
        }
        throw new InvalidCallbackException("not a Sinch callback the router takes: expected one of message,"
                + " message_delivery_report, event, opt_out_notification, opt_in_notification");
    }

    private static RcsEvent inbound(JsonNode m, String app, Instant eventTime) throws InvalidCallbackException {
        String p = "message.";
        String id = CallbackFields.requiredId(m, "id", p);
        String from = subscriber(m, p);
        Instant at = orElse(CallbackFields.instant(m, "accept_time", p), eventTime);
        JsonNode content = CallbackFields.object(m, "contact_message", p);
        if (content == null) {
            throw new InvalidCallbackException("missing field 'message.contact_message': only messages from the"
                    + " contact (direction TO_APP) are callbacks");
        }
        String cp = p + "contact_message.";
        UserMessage um;
        JsonNode c;
        if ((c = CallbackFields.object(content, "text_message", cp)) != null) {
            um = new UserMessage("TEXT", CallbackFields.text(c, "text", cp + "text_message."), null, null, null, null);
        } else if ((c = CallbackFields.object(content, "choice_response_message", cp)) != null) {
            String postback = CallbackFields.text(c, "postback_data", cp + "choice_response_message.");
            um = new UserMessage("RESPONSE", null, postback, "REPLY", "REPLY", null);
        } else if ((c = CallbackFields.object(content, "location_message", cp)) != null) {
            String lp = cp + "location_message.";
            JsonNode coordinates = CallbackFields.object(c, "coordinates", lp);
            if (coordinates == null) {
                throw new InvalidCallbackException("missing field '" + lp + "coordinates'");
            }
            um = new UserMessage("LOCATION", CallbackFields.text(c, "title", lp), null, null, null,
                    CallbackFields.location(coordinates, "latitude", "longitude", lp + "coordinates."));
        } else if ((c = CallbackFields.object(content, "media_message", cp)) != null
                || (c = CallbackFields.object(content, "media_card_message", cp)) != null) {
            String mp = cp + (content.has("media_message") ? "media_message." : "media_card_message.");
            um = new UserMessage("FILE", CallbackFields.text(c, "caption", mp), null, null, null, null,
                    new UserMessage.File(CallbackFields.requiredId(c, "url", mp), null, null, null));
        } else {
            // fallback_message and whatever Sinch adds: kept, routed on its kind (the CRM sees OTHER)
            String kind = content.fieldNames().hasNext() ? content.fieldNames().next().toUpperCase(Locale.ROOT) : "EMPTY";
            um = new UserMessage(kind, null, null, null, null, null);
        }
        return CallbackFields.checked(new RcsEvent("MESSAGE_INBOUND", "USER_MESSAGE", id, id, from, app, null, at, um,
                false, PROVIDER), p + "channel_identity.identity");
    }

    private static RcsEvent delivery(JsonNode r, String app, Instant eventTime) throws InvalidCallbackException {
        String p = "message_delivery_report.";
        String messageId = CallbackFields.requiredId(r, "message_id", p);
        String status = CallbackFields.requiredName(r, "status", p);
        String type = switch (status) {
            case "QUEUED_ON_CHANNEL" -> "SENT";
            case "DELIVERED", "READ" -> status;
            case "FAILED", "SWITCHING_CHANNEL" -> "ERROR";
            default -> status;
        };
        // each status of a message is its own event: the key is message + status, not message + normalised type
        String eventId = messageId + ":" + status;
        return CallbackFields.checked(new RcsEvent("MESSAGE_DELIVERY", type, eventId, messageId, subscriber(r, p),
                app, null, eventTime, null, false, PROVIDER), p + "channel_identity.identity");
    }

    private static RcsEvent contactEvent(JsonNode e, String app, Instant eventTime) throws InvalidCallbackException {
        String p = "event.";
        String from = subscriber(e, p);
        Instant at = orElse(CallbackFields.instant(e, "accept_time", p), eventTime);
        JsonNode content = CallbackFields.object(e, "contact_event", p);
        if (content == null || !content.fieldNames().hasNext()) {
            throw new InvalidCallbackException("missing field 'event.contact_event'");
        }
        String name = content.fieldNames().next();
        String type = name.equals("composing_event") || name.equals("composing_end_event") ? "COMPOSING"
                : name.toUpperCase(Locale.ROOT);
        String id = CallbackFields.id(e, "id", p);
        if (id == null) {
            // older callbacks carry no event id: the contact and the moment identify it
            id = CallbackFields.requiredId(e, "contact_id", p) + "@" + (at == null ? "" : at.toString());
        }
        return CallbackFields.checked(new RcsEvent("EVENT_INBOUND", type, id, id, from, app, null, at, null, false,
                PROVIDER), p + "channel_identity.identity");
    }

    private static RcsEvent consent(JsonNode n, String p, String code, String type, String app, Instant eventTime)
            throws InvalidCallbackException {
        String status = CallbackFields.requiredName(n, "status", p);
        String requestId = CallbackFields.requiredId(n, "request_id", p);
        String identity = CallbackFields.requiredId(n, "identity", p);
        String normalised = status.endsWith("_SUCCEEDED") ? type : status;
        return CallbackFields.checked(new RcsEvent(code, normalised, requestId, requestId, identity, app, null,
                eventTime, null, false, PROVIDER), p + "identity");
    }

    private static String subscriber(JsonNode node, String p) throws InvalidCallbackException {
        JsonNode identity = CallbackFields.object(node, "channel_identity", p);
        if (identity == null) {
            throw new InvalidCallbackException("missing field '" + p + "channel_identity'");
        }
        return CallbackFields.requiredId(identity, "identity", p + "channel_identity.");
    }

    private static Instant orElse(Instant a, Instant b) {
        return a != null ? a : b;
    }
}
