package io.rcsrouter.engine;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code rcs:ingress:PROVIDER}, the one step of a callback route: the request (from platform-http) is authenticated,
 * checked and stored durably on the inbound queue, and the exchange becomes the HTTP answer ({@link CallbackIngress}).
 */
public final class IngressEndpoint extends DefaultEndpoint {

    private final CallbackIngress ingress;

    IngressEndpoint(String uri, RcsComponent component, CallbackIngress ingress) {
        super(uri, component);
        this.ingress = ingress;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                ingress.handle(exchange);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("rcs:ingress answers a callback: use it as a step after platform-http");
    }

    @Override
    public boolean isSingleton() {
        return true;
    }
}
