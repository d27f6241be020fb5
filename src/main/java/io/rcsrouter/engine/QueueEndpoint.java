package io.rcsrouter.engine;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code rcs:queue:NAME[?send=KIND]}, in a destination route: each event of the batch the route was given goes to
 * the queue NAME, in the dispatch batch's JMS transaction (sent once the batch's database work has succeeded,
 * committed with the batch). {@code send} says what goes: {@code body} (default) the callback as received,
 * {@code compliance} the compliance message the consent ledger made (only for a consent change), {@code crm} the CRM
 * request the mapping made. Every message is persistent JSON with the JMS properties {@code rcsDedupKey},
 * {@code rcsProvider}, {@code rcsType} and {@code rcsRoute} (and those of its kind, e.g. the compliance queues'
 * {@code action}, {@code agent}, {@code msisdn}).
 */
public final class QueueEndpoint extends DefaultEndpoint {

    private final String queue;
    private String send = "body";

    QueueEndpoint(String uri, RcsComponent component, String queue) {
        super(uri, component);
        this.queue = queue;
    }

    public void setSend(String send) {
        this.send = send;
    }

    public String getSend() {
        return send;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                DispatchBatch batch = exchange.getMessage().getBody(DispatchBatch.class);
                if (batch == null) {
                    throw new IllegalStateException("rcs:queue:" + queue + " sends the events of a dispatch batch:"
                            + " use it in a destination route (one that the routing table names)");
                }
                for (DispatchEvent e : batch.events()) {
                    String body;
                    Map<String, String> extra;
                    if ("body".equals(send)) {
                        body = e.body();
                        extra = Map.of();
                    } else {
                        DispatchEvent.Payload p = e.payload(send);
                        if (p == null) {
                            continue; // nothing made for this kind: e.g. an opt-out that changed no consent
                        }
                        body = p.body();
                        extra = p.properties();
                    }
                    Map<String, String> props = new HashMap<>(8);
                    props.put("rcsDedupKey", e.dedupKey());
                    props.put("rcsProvider", e.provider());
                    props.put("rcsType", e.event().type());
                    props.put("rcsRoute", e.route());
                    if (e.traceparent() != null) {
                        props.put(EngineTracing.TRACEPARENT, e.traceparent());
                    }
                    props.putAll(extra);
                    batch.send(new Outgoing(queue, body, props));
                }
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("rcs:queue is for sending; consume the queue with jms:queue:" + queue);
    }

    @Override
    public boolean isSingleton() {
        return true;
    }
}
