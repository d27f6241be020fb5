package io.rcsrouter.crm;

import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.event.UserMessage;

/**
 * The callback in the flat, provider-neutral form the CRM mapping reads as {@code event.*}.
 *
 * @param kind   TEXT, REPLY (a suggested reply tapped), ACTION (a suggested action tapped), LOCATION, FILE, OTHER
 * @param action for ACTION: DIAL, OPEN_URL, VIEW_LOCATION, ASK_LOCATION, CREATE_CALENDAR_EVENT (Kaleyra's mo_type)
 * @param file    for FILE: where the provider holds the file the user sent (url, mimeType, name, sizeBytes)
 * @param consent the subscriber's consent for this agent's scope as the ledger holds it when the reply is routed,
 *                from whichever provider it came: OPTED_OUT, OPTED_IN, or null when none was ever recorded
 */
public record CrmEventView(
        String provider,
        String eventId,
        String messageId,
        String dedupKey,
        String code,
        String type,
        String agent,
        String msisdn,
        String from,
        String carrier,
        String occurredAt,
        String kind,
        String text,
        String postbackData,
        String action,
        UserMessage.Location location,
        UserMessage.File file,
        String consent) {

    public static CrmEventView of(RcsEvent e) {
        return of(e, "kaleyra");
    }

    public static CrmEventView of(RcsEvent e, String provider) {
        return of(e, provider, null);
    }

    public static CrmEventView of(RcsEvent e, String provider, String consent) {
        UserMessage um = e.userMessage();
        String kind = um == null ? "OTHER" : um.intentKind();
        String action = "ACTION".equals(kind) ? um.moType() : null;
        return new CrmEventView(provider, e.eventId(), e.messageId(), e.dedupKey(), e.code(), e.type(), e.agent(), e.msisdn(),
                e.from(), e.carrierId(), e.sentAt() == null ? null : e.sentAt().toString(), kind,
                um == null ? null : um.text(), um == null ? null : um.postbackData(), action,
                um == null ? null : um.location(), um == null ? null : um.file(), consent);
    }
}
