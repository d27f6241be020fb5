package io.rcsrouter.auth;

/**
 * A request without valid credentials. The message is for the log only: the caller gets a bare 401, so that
 * nobody can probe which part of the credentials was wrong.
 */
public class UnauthorizedException extends Exception {

    public UnauthorizedException(String reasonForLog) {
        super(reasonForLog);
    }
}
