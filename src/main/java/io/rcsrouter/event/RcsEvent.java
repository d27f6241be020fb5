package io.rcsrouter.event;

import java.time.Instant;

/**
 * One RCS callback, as the router understands it, whichever provider sent it and in whichever shape: every
 * provider's parser (Kaleyra's {@link CallbackParser}, {@code io.rcsrouter.provider.*}) normalises into this, so that
 * one routing rule, one consent ledger and one CRM mapping serve them all.
 *
 * @param code        the provider's own event code: Kaleyra's "4006", "2007", ... (null for its older, bare shape);
 *                    Sinch's trigger; RBM's event type; Infobip's message or report kind
 * @param type        the router's event type, the same for every provider (Kaleyra's {@code data.type} vocabulary):
 *                    USER_MESSAGE, SUBSCRIBE, UNSUBSCRIBE, COMPOSING, or a delivery status (SENT, DELIVERED, READ,
 *                    ERROR, ...)
 * @param eventId     Kaleyra's unique event id; absent on SUBSCRIBE/UNSUBSCRIBE/COMPOSING
 * @param messageId   the message the event belongs to
 * @param from        the subscriber's number as sent (for a delivery report, the sender)
 * @param to          the RCS agent (brand) id
 * @param carrierId   the carrier, when Kaleyra names one
 * @param sentAt      when the event happened on the carrier side; null when absent
 * @param userMessage what the user sent, for USER_MESSAGE events; null otherwise
 * @param enveloped   true when the body had the {@code {code, message, data, error}} envelope (Kaleyra)
 * @param provider    who sent it: kaleyra, rbm, sinch, infobip
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
        boolean enveloped,
        String provider) {

    public static final String KALEYRA = "kaleyra";

    /** A Kaleyra callback. */
    public RcsEvent(String code, String type, String eventId, String messageId, String from, String to,
            String carrierId, Instant sentAt, UserMessage userMessage, boolean enveloped) {
        this(code, type, eventId, messageId, from, to, carrierId, sentAt, userMessage, enveloped, KALEYRA);
    }

    /**
     * The key that identifies a repeat delivery of this event: eventId, else messageId + type; for a provider other
     * than Kaleyra prefixed with its name, since ids are unique only within one provider.
     */
    public String dedupKey() {
        String key = eventId != null && !eventId.isBlank() ? "event:" + eventId : "message:" + messageId + ":" + type;
        return provider == null || KALEYRA.equals(provider) ? key : provider + ":" + key;
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
