package io.rcsrouter.engine;

import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;

/** Reads one provider's stored callback into the router's event (the same parser ingress checked it with). */
@FunctionalInterface
public interface EventReader {

    RcsEvent read(String body) throws InvalidCallbackException;
}
