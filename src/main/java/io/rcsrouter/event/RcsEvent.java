package io.rcsrouter.event;

import java.time.Instant;

/**
 * One Kaleyra RCS callback, as the router understands it, whichever shape it arrived in.
 *
 * @param code        Kaleyra's event code ("4006", "2007", ...) as text; null when the older, bare shape was sent
 * @param type        {@code data.type}: USER_MESSAGE, SUBSCRIBE, UNSUBSCRIBE, COMPOSING, or a delivery-report type
 * @param eventId     Kaleyra's unique event id; absent on SUBSCRIBE/UNSUBSCRIBE/COMPOSING
 * @param messageId   the message the event belongs to
 * @param from        the subscriber's number as sent (for a delivery report, the sender)
 * @param to          the RCS agent (brand) id
 * @param carrierId   the carrier, when Kaleyra names one
 * @param sentAt      when the event happened on the carrier side; null when absent
 * @param userMessage what the user sent, for USER_MESSAGE events; null otherwise
 * @param enveloped   true when the body had the {@code {code, message, data, error}} envelope
 */
public record RcsEvent(
        String code,
        String type,
        String eventId,
        String messageId,
        String from,
        String to,
        String carrierId,
        Instant sentAt,
        UserMessage userMessage,
        boolean enveloped) {

    /** The key that identifies a repeat delivery of this event: eventId, else messageId + type. */
    public String dedupKey() {
        if (eventId != null && !eventId.isBlank()) {
            return "event:" + eventId;
        }
        return "message:" + messageId + ":" + type;
    }

    /**
     * The subscriber's number in one canonical form, so that "+1978..." and "1978..." are the same person. For a
     * mobile-originated event that is {@code from}; for a delivery report sent the other way (from the agent to a
     * number) it is {@code to}.
     */
    public String msisdn() {
        return Msisdn.normalize(reversed() ? to : from);
    }

    /** The RCS agent (brand) the event concerns: {@code to}, or {@code from} for a report sent the other way. */
    public String agent() {
        return reversed() ? from : to;
    }

    /** True when the event runs from the agent to the subscriber (a delivery report): a number in to, none in from. */
    boolean reversed() {
        return Msisdn.looksLikeNumber(to) && !Msisdn.looksLikeNumber(from);
    }

    /** The text a person typed or tapped, if any: TEXT text, else a suggestion's text. */
    public String text() {
        return userMessage == null ? null : userMessage.text();
    }
}
