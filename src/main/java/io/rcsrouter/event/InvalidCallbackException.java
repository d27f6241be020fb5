package io.rcsrouter.event;

/**
 * A callback body the router cannot accept; the message says what is wrong and becomes the 400 answer.
 *
 * <p>The message often quotes the body (Jackson's "Unrecognized token 'x'", a bad timestamp, a key in a field path),
 * and it is written to the log, the JSON error and the audit row. So the characters that would forge a log line or
 * hide text there are shown as escapes ({@code \u0001}, {@code \u2028}, {@code \u202e}, {@code \ud800}) rather than
 * passed on: control characters, the line and paragraph separators, the bidirectional embeddings, overrides and
 * isolates, and unpaired surrogates.
 */
public class InvalidCallbackException extends Exception {

    public InvalidCallbackException(String message) {
        super(escape(message));
    }

    /** The message with every character that does not belong in a log line written as a backslash-u escape. */
    static String escape(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < message.length()
                    && Character.isLowSurrogate(message.charAt(i + 1));
            if (!pair && needsEscape(c)) {
                if (out == null) {
                    out = new StringBuilder(message.length() + 16).append(message, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
                if (pair) {
                    out.append(message.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return out == null ? message : out.toString();
    }

    private static boolean needsEscape(char c) {
        return Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
