package io.rcsrouter.infra;

/**
 * Text from a request, made safe to quote in a log line, a JSON error or an audit row: the characters that would
 * forge a line or hide text are written as backslash-u escapes ({@code \u0001}, {@code \u2028}, {@code \u202e},
 * {@code \ud800}): control characters, the line and paragraph separators, the bidirectional embeddings, overrides
 * and isolates, and unpaired surrogates. Everything else (accents, emoji) is kept.
 */
public final class LogSafe {

    private LogSafe() {
    }

    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (!pair && needsEscape(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
                if (pair) {
                    out.append(text.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    /** {@link #escape(String) Escaped} and cut to {@code max} characters, with "..." when it was longer. */
    public static String quote(String text, int max) {
        if (text == null) {
            return null;
        }
        return escape(text.length() <= max ? text : text.substring(0, max) + "...");
    }

    private static boolean needsEscape(char c) {
        return Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
