package io.rcsrouter.consent;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of a message on {@code rcs.compliance.optout} / {@code rcs.compliance.optin}: one per consent
 * change. JMS properties {@code action}, {@code agent} and {@code msisdn} repeat the key fields for selectors.
 *
 * @param action     OPT_OUT or OPT_IN
 * @param agent      the agent the deciding event was sent to
 * @param scope      the consent scope (the agent, or its brand group)
 * @param msisdn     the subscriber, normalised (no leading "+")
 * @param carrier    the carrier, if known
 * @param occurredAt the deciding event's sentAt (ISO-8601)
 * @param source     EVENT, KEYWORD or NATURAL_LANGUAGE
 * @param text       what the subscriber typed, when the change came from a message
 * @param eventType  the deciding event's type (UNSUBSCRIBE, SUBSCRIBE, USER_MESSAGE)
 * @param messageIds the messageIds of the events this change came from
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ComplianceMessage(
        String action,
        String agent,
        String scope,
        String msisdn,
        String carrier,
        String occurredAt,
        String source,
        String text,
        String eventType,
        List<String> messageIds) {
}
