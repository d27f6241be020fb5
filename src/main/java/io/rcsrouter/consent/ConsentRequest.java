package io.rcsrouter.consent;

import java.time.Instant;

/**
 * One event that asks for a consent change.
 *
 * @param action     OPT_OUT or OPT_IN
 * @param source     EVENT (Kaleyra's SUBSCRIBE/UNSUBSCRIBE), KEYWORD or NATURAL_LANGUAGE
 * @param agent      the RCS agent the event was sent to
 * @param msisdn     the subscriber, normalised
 * @param carrier    the carrier, if known
 * @param occurredAt the event's sentAt (its arrival time when Kaleyra sent none): the order consent follows
 * @param messageId  the event's messageId
 * @param dedupKey   the event's dedup key; one ledger entry per key, so a redelivery finds its earlier decision
 * @param eventType  UNSUBSCRIBE, SUBSCRIBE, USER_MESSAGE
 * @param text       what the subscriber typed, if anything
 */
public record ConsentRequest(
        String action,
        String source,
        String agent,
        String msisdn,
        String carrier,
        Instant occurredAt,
        String messageId,
        String dedupKey,
        String eventType,
        String text) {
}
