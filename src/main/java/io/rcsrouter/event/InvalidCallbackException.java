package io.rcsrouter.event;

import io.rcsrouter.infra.LogSafe;

/**
 * A callback body the router cannot accept; the message says what is wrong and becomes the 400 answer.
 *
 * <p>The message often quotes the body (Jackson's "Unrecognized token 'x'", a bad timestamp, a key in a field path),
 * and it is written to the log, the JSON error and the audit row. So the characters that would forge a log line or
 * hide text there are shown as escapes ({@code \u0001}, {@code \u2028}, {@code \u202e}, {@code \ud800}) rather than
 * passed on: control characters, the line and paragraph separators, the bidirectional embeddings, overrides and
 * isolates, and unpaired surrogates ({@link LogSafe}).
 */
public class InvalidCallbackException extends Exception {

    public InvalidCallbackException(String message) {
        super(escape(message));
    }

    /** The message with every character that does not belong in a log line written as a backslash-u escape. */
    static String escape(String message) {
        return LogSafe.escape(message);
    }
}
