package io.rcsrouter.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;

import static io.rcsrouter.fuzz.FuzzChecks.check;

/**
 * The callback parser on any bytes: the only outcomes are an event that keeps the parser's promises, or an
 * {@link InvalidCallbackException} (the 400) with a clean message. Anything else (another exception, an accepted
 * event that breaks a promise, a hang) is a finding. Bodies over the ingress size limit never reach the parser:
 * they are the 413 ({@code PayloadTooLargeException}) and are skipped here.
 */
class CallbackParserFuzzTest {

    static final int MAX_BODY_BYTES = 65_536;
    private final CallbackParser parser = new CallbackParser();

    @DictionaryEntries({"\"code\"", "\"data\"", "\"type\"", "\"from\"", "\"to\"", "\"messageId\"",
            "\"eventId\"", "\"carrierId\"", "\"sentAt\"", "\"userMessage\"", "\"text\"", "\"response\"",
            "\"postbackData\"", "\"mo_type\"", "\"location\"", "\"latitude\"", "\"longitude\"", "\"USER_MESSAGE\"",
            "\"TEXT\"", "\"RESPONSE\"", "\"REPLY\"", "\"__proto__\"", "\"constructor\"", "\"prototype\"", "\\u0000",
            "\\ud800", "\\u2028", "0000-", "+10000-", "-0001-", "9999-12-31T23:59:59", "T00:00:00Z", ".999999999",
            "+18:00", "-18:00", "+05:30", "1e400", "-0"})
    @FuzzTest(maxDuration = FuzzChecks.MAX_DURATION)
    void parse(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            return;
        }
        RcsEvent event;
        try {
            event = parser.parse(body);
        } catch (InvalidCallbackException refusal) {
            FuzzChecks.assertCleanMessage(refusal);
            return;
        }
        assertKeepsThePromises(event);
    }

    /** What CallbackParser promises of every event it accepts (its javadoc and its column sizes). */
    static void assertKeepsThePromises(RcsEvent e) {
        check(notBlank(e.type()) && notBlank(e.from()) && notBlank(e.messageId()), "accepted without type, from"
                + " or messageId: " + e);
        identifier(e.type(), 64, "type");
        identifier(e.from(), 256, "from");
        identifier(e.messageId(), 256, "messageId");
        identifier(e.eventId(), 256, "eventId");
        identifier(e.to(), 256, "to");
        identifier(e.carrierId(), 64, "carrierId");
        identifier(e.code(), 32, "code");
        identifier(e.msisdn(), 64, "msisdn");
        FuzzChecks.assertStorableInstant(e.sentAt(), "sentAt");
        check(e.dedupKey() != null, "no dedup key: " + e);
        if (e.userMessage() != null && e.userMessage().location() != null) {
            double lat = e.userMessage().location().latitude();
            double lon = e.userMessage().location().longitude();
            check(Math.abs(lat) <= 90 && Math.abs(lon) <= 180, "a location off the Earth: " + e);
        }
    }

    private static void identifier(String value, int maxLength, String field) {
        if (value == null) {
            return;
        }
        check(value.length() <= maxLength, field + " of " + value.length() + " characters accepted");
        for (int i = 0; i < value.length(); i++) {
            check(!Character.isISOControl(value.charAt(i)), String.format("%s accepted with U+%04X", field,
                    (int) value.charAt(i)));
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
