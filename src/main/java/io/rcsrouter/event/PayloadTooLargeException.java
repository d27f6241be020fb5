package io.rcsrouter.event;

/** A callback body over the configured size limit (HTTP 413). */
public class PayloadTooLargeException extends Exception {

    public PayloadTooLargeException(long size, long limit) {
        super("body of " + size + " bytes is over the limit of " + limit + " bytes");
    }
}
