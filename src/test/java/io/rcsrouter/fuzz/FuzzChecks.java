package io.rcsrouter.fuzz;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * What every fuzz target checks of a refusal or an accepted value. A failed check is an {@link AssertionError},
 * which Jazzer reports as a finding like any unexpected exception.
 */
final class FuzzChecks {

    /** Per target in fuzzing mode (.ci/fuzz.sh); regression mode (mvn verify) only replays the seeds. */
    static final String MAX_DURATION = "40s";

    private FuzzChecks() {
    }

    /**
     * A refusal's message goes into the log, the JSON error and the audit row: it must say something, stay short,
     * and hold no character that forges a log line or hides text (control characters, line and paragraph
     * separators, bidirectional overrides, unpaired surrogates).
     */
    static void assertCleanMessage(Throwable refusal) {
        String m = refusal.getMessage();
        check(m != null && !m.isBlank(), refusal, "a refusal without a message");
        check(m.length() <= 2_000, refusal, "a refusal message of " + m.length() + " characters");
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < m.length()
                    && Character.isLowSurrogate(m.charAt(i + 1));
            if (paired) {
                i++;
                continue;
            }
            check(!isUnclean(c), refusal, String.format("the refusal message holds U+%04X at %d", (int) c, i));
        }
    }

    static boolean isUnclean(char c) {
        return Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /** A timestamp the router stores and passes on: a year of four digits (RFC 3339), 0001 to 9999, in UTC. */
    static void assertStorableInstant(Instant instant, String what) {
        if (instant == null) {
            return;
        }
        int year = instant.atOffset(ZoneOffset.UTC).getYear();
        if (year < 1 || year > 9999) {
            throw new AssertionError(what + " accepted with the year " + year + ": " + instant);
        }
    }

    static void check(boolean ok, Throwable cause, String what) {
        if (!ok) {
            throw new AssertionError(what + ": " + cause.getMessage(), cause);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
