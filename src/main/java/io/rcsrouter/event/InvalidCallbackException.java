package io.rcsrouter.event;

/** A callback body the router cannot accept; the message says what is wrong and becomes the 400 answer. */
public class InvalidCallbackException extends Exception {

    public InvalidCallbackException(String message) {
        super(message);
    }
}
