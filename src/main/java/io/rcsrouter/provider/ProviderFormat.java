package io.rcsrouter.provider;

import java.util.List;

import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;

/**
 * One provider's callback format: what a request holds, and how each event of it reads into the router's event.
 * Ingress stores what {@link #events} returns, one message per event; dispatch reads each back with {@link #read}.
 */
public interface ProviderFormat {

    /** The provider's name: the event's, the audit row's and the CRM request's {@code provider}. */
    String provider();

    /**
     * The events of one request body, each as the text to store: the body itself for Kaleyra and Sinch, the
     * decoded {@code message.data} of Google's push envelope, one per {@code results[]} item for Infobip.
     *
     * @throws InvalidCallbackException when the body is not this provider's callback at all (400)
     */
    List<String> events(String body) throws InvalidCallbackException;

    /** One stored event, read into the router's event (ingress checks it with this, dispatch reads it back). */
    RcsEvent read(String event) throws InvalidCallbackException;

    /** True when a request may hold many events, each accepted or refused on its own (Infobip's results[]). */
    default boolean batched() {
        return false;
    }
}
