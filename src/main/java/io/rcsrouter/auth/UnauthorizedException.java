package io.rcsrouter.auth;

import io.rcsrouter.infra.LogSafe;

/**
 * A request without valid credentials. The message is for the log only: the caller gets a bare 401, so that
 * nobody can probe which part of the credentials was wrong. It may quote what the caller sent (a token's
 * algorithm), so it is {@link LogSafe#escape(String) escaped}: a caller cannot forge or hide log lines with it.
 */
public class UnauthorizedException extends Exception {

    public UnauthorizedException(String reasonForLog) {
        super(LogSafe.escape(reasonForLog));
    }
}
