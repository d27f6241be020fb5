package io.rcsrouter.engine;

import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code rcs:audit:delivered}: the audit row of the event in the body (a map of the statement's parameters) is
 * updated, together with other callers' rows in one database transaction ({@link AuditStatusWriter}); the step
 * returns once it is committed, and fails if it could not be.
 */
public final class AuditEndpoint extends DefaultEndpoint {

    private final AuditStatusWriter writer;
    private final long timeoutMs;

    AuditEndpoint(String uri, RcsComponent component, AuditStatusWriter writer, long timeoutMs) {
        super(uri, component);
        this.writer = writer;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            @SuppressWarnings("unchecked")
            public void process(Exchange exchange) throws Exception {
                writer.write(exchange.getMessage().getMandatoryBody(Map.class), timeoutMs);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("rcs:audit writes audit rows; it has nothing to consume");
    }

    @Override
    public boolean isSingleton() {
        return true;
    }
}
