package io.rcsrouter.infra;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;

/** Answers "can a fresh connection reach the broker right now?", for readiness and for tests. */
public final class BrokerProbe {

    public static final String BEAN_NAME = "brokerProbe";

    private final ConnectionFactory factory;

    BrokerProbe(ConnectionFactory factory) {
        this.factory = factory;
    }

    /** Opens and closes one connection; throws when the broker cannot be reached. */
    public void check() throws JMSException {
        try (Connection c = factory.createConnection()) {
            c.start();
        }
    }

    /** The raw (unpooled) factory, for tools that browse queues. */
    public ConnectionFactory factory() {
        return factory;
    }
}
