package io.rcsrouter.engine;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code rcs:dispatch:QUEUE}: consumes the stored callbacks of QUEUE in batches; each batch is one exchange whose
 * body is a {@link DispatchBatch}, processed by the route on the consumer's thread inside one database transaction
 * and one JMS transaction ({@link DispatchConsumer}). Settings: {@code rcs.dispatch.*}.
 */
public final class DispatchEndpoint extends DefaultEndpoint {

    private final String queue;

    DispatchEndpoint(String uri, RcsComponent component, String queue) {
        super(uri, component);
        this.queue = queue;
    }

    public String queue() {
        return queue;
    }

    @Override
    public RcsComponent getComponent() {
        return (RcsComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        DispatchConsumer consumer = new DispatchConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("rcs:dispatch consumes " + queue + "; ingress stores callbacks there");
    }
}
