package io.rcsrouter.support;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds callback bodies for tests, in Kaleyra's enveloped shape. */
public final class Callbacks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Callbacks() {
    }

    /** A USER_MESSAGE with typed text. */
    public static String text(String eventId, String from, String text) {
        return text(eventId, from, text, Instant.parse("2026-04-20T10:00:00Z"));
    }

    public static String text(String eventId, String from, String text, Instant sentAt) {
        ObjectNode data = JSON.createObjectNode()
                .put("type", "USER_MESSAGE").put("eventId", eventId).put("from", from).put("to", "kio_rcs")
                .put("sentAt", sentAt.toString()).put("messageId", "msg-" + eventId).put("carrierId", "VZ");
        data.putObject("userMessage").put("type", "TEXT").put("text", text);
        return envelope("4007", data);
    }

    /** SUBSCRIBE or UNSUBSCRIBE: no eventId, keyed by messageId + type. */
    public static String consentEvent(String type, String messageId, String from, Instant sentAt) {
        ObjectNode data = JSON.createObjectNode()
                .put("type", type).put("from", from).put("to", "kio_rcs").put("sentAt", sentAt.toString())
                .put("messageId", messageId).put("carrierId", "VZ");
        return envelope(type.equals("UNSUBSCRIBE") ? "4006" : "4005", data);
    }

    /** A suggestion tap (RESPONSE) with its label and postback data. */
    public static String tap(String eventId, String from, String label, String postbackData, Instant sentAt) {
        ObjectNode data = JSON.createObjectNode()
                .put("type", "USER_MESSAGE").put("eventId", eventId).put("from", from).put("to", "kio_rcs")
                .put("sentAt", sentAt.toString()).put("messageId", "msg-" + eventId).put("carrierId", "VZ");
        data.putObject("userMessage").put("type", "RESPONSE").putObject("response").put("text", label)
                .put("postbackData", postbackData).put("type", "REPLY").put("mo_type", "REPLY");
        return envelope("4007", data);
    }

    /** A delivery report (code 4000, SENT), which dispatch puts on rcs.delivery. */
    public static String deliveryReport(String eventId, String to) {
        ObjectNode data = JSON.createObjectNode()
                .put("type", "SENT").put("eventId", eventId).put("from", "kio_rcs").put("to", to)
                .put("sentAt", "2026-04-20T09:10:00.120Z").put("messageId", "msg-" + eventId).put("carrierId", "VZ");
        return envelope("4000", data);
    }

    private static String envelope(String code, ObjectNode data) {
        ObjectNode root = JSON.createObjectNode().put("code", code).put("message", "test");
        root.set("data", data);
        root.putObject("error");
        return root.toString();
    }
}
