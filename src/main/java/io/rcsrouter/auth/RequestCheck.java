package io.rcsrouter.auth;

import org.apache.camel.Exchange;

/**
 * How one provider's callback path tells a request from that provider: Kaleyra's modes ({@link CallbackAuthenticator}),
 * or a signature over the body (Google RBM, Sinch). Called before the body is parsed; a refusal is 401.
 */
@FunctionalInterface
public interface RequestCheck {

    /**
     * @param exchange the request (its headers)
     * @param body     the request body's bytes, exactly as received
     */
    void verify(Exchange exchange, byte[] body) throws UnauthorizedException;

    /**
     * A request this check answers itself instead of passing it on (Google's webhook verification), before
     * {@link #verify}: the plain-text answer, or null for every other request.
     */
    default String handshake(Exchange exchange, byte[] body) throws UnauthorizedException {
        return null;
    }
}
