package io.rcsrouter.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * The batch step that carries the routing table's decisions out (as {@code destinations} in routes/engine.camel.yaml):
 * each destination route named by the table (direct:opt-out, direct:crm, ...) is called once per batch, with a
 * {@link DispatchBatch} of the events that go there, in batch order. A destination route runs on the batch's thread,
 * inside its transactions: what it sends with {@code rcs:queue:NAME} commits with the batch, and a failure in it
 * fails the whole batch (rolled back, then each event tried on its own).
 */
public final class Destinations implements Processor {

    private final ProducerTemplate template;

    public Destinations(CamelContext context) {
        this.template = context.createProducerTemplate();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        DispatchBatch batch = exchange.getMessage().getMandatoryBody(DispatchBatch.class);
        Map<String, List<DispatchEvent>> groups = new LinkedHashMap<>();
        for (DispatchEvent e : batch.routable()) {
            for (String destination : e.destinations()) {
                groups.computeIfAbsent(destination, d -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<String, List<DispatchEvent>> g : groups.entrySet()) {
            Exchange call = exchange.copy();
            call.getMessage().setBody(batch.group(g.getValue()));
            template.send(g.getKey(), call);
            if (call.getException() != null) {
                throw new DestinationFailedException(g.getKey(), g.getValue(), call.getException());
            }
        }
    }

    /** A destination route failed: the batch fails with it. */
    public static final class DestinationFailedException extends Exception {
        public DestinationFailedException(String destination, List<DispatchEvent> events, Exception cause) {
            super("destination " + destination + " failed for " + events + ": " + cause.getMessage(), cause);
        }
    }

}
