package io.rcsrouter.admin;

import java.util.Collections;
import java.util.Map;


import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * {@code POST /admin/replay?queue=crm|dispatch[&max=N]}: moves parked messages from a dead-letter queue back to the
 * queue they came from, once the cause is fixed (the CRM is back, the bug is deployed).
 *
 * <p>Each message is moved in its own JMS transaction (taken off the dead-letter queue and sent on, or neither), so
 * a replay that is interrupted, or run twice, never duplicates or loses one; an empty dead-letter queue is a no-op.
 * A replayed CRM request keeps its Idempotency-Key, so a CRM that had in fact processed it can drop it; a replayed
 * inbound event keeps its ingress id, so dispatch recognises it and carries on where it failed. The audit rows go
 * from FAILED back to ROUTED, with the replay in their detail.
 */
public class DeadLetterReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where each replayable dead-letter queue goes back to. */
    public record Lane(String deadLetterQueue, String targetQueue) {
    }

    private final jakarta.jms.ConnectionFactory factory;
    private final org.apache.camel.CamelContext context;
    private final Map<String, Lane> lanes;
    private volatile org.apache.camel.ProducerTemplate template;

    /** @param context for the audit update ({@code direct:audit-replayed}, routes/engine.camel.yaml) */
    public DeadLetterReplay(jakarta.jms.ConnectionFactory factory, org.apache.camel.CamelContext context,
            Map<String, Lane> lanes) {
        this.factory = factory;
        this.context = context;
        this.lanes = Collections.unmodifiableMap(lanes);
    }

    /** The route step: reads {@code queue} and {@code max} from the query string, answers what was moved. */
    public String replay(Exchange exchange) throws AdminApi.BadAdminRequestException, JMSException {
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        String name = AdminApi.queryParam(query, "queue")
                .orElseThrow(() -> new AdminApi.BadAdminRequestException("query parameter queue is required: one of "
                        + lanes.keySet()));
        Lane lane = lanes.get(name);
        if (lane == null) {
            throw new AdminApi.BadAdminRequestException("unknown queue '" + name + "': one of " + lanes.keySet());
        }
        int max;
        try {
            max = Integer.parseInt(AdminApi.queryParam(query, "max").orElse("10000"));
        } catch (NumberFormatException e) {
            throw new AdminApi.BadAdminRequestException("max must be a whole number");
        }
        int moved = move(lane, max);
        return JSON.createObjectNode().put("queue", name).put("from", lane.deadLetterQueue())
                .put("to", lane.targetQueue()).put("moved", moved).toString();
    }

    /** Moves up to {@code max} messages; returns how many. */
    public int move(Lane lane, int max) throws JMSException {
        int moved = 0;
        try (jakarta.jms.Connection c = factory.createConnection()) {
            c.start();
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer from = session.createConsumer(session.createQueue(lane.deadLetterQueue()));
            MessageProducer to = session.createProducer(session.createQueue(lane.targetQueue()));
            to.setDeliveryMode(DeliveryMode.PERSISTENT);
            while (moved < max) {
                Message m = from.receive(1_000);
                if (m == null) {
                    break;
                }
                to.send(copy(session, m, lane));
                session.commit();
                moved++;
                markReplayed(m.getStringProperty("rcsDedupKey"), lane);
            }
        }
        return moved;
    }

    private static Message copy(Session session, Message m, Lane lane) throws JMSException {
        TextMessage out = session.createTextMessage(m instanceof TextMessage t ? t.getText() : m.getBody(String.class));
        for (Object n : Collections.list(m.getPropertyNames())) {
            String name = (String) n;
            // broker and delivery bookkeeping starts afresh; the failure reason stays in the audit row
            if (name.startsWith("JMSX") || name.startsWith("_AMQ") || name.startsWith("__AMQ")
                    || name.equals("rcsFailure")) {
                continue;
            }
            out.setObjectProperty(name, m.getObjectProperty(name));
        }
        out.setStringProperty("rcsReplayedFrom", lane.deadLetterQueue());
        return out;
    }

    private void markReplayed(String dedupKey, Lane lane) {
        if (dedupKey == null) {
            return;
        }
        try {
            if (template == null) {
                template = context.createProducerTemplate();
            }
            template.sendBody("direct:audit-replayed", Map.of("dedupKey", dedupKey,
                    "detail", "replayed from " + lane.deadLetterQueue() + " to " + lane.targetQueue()));
        } catch (RuntimeException e) {
            // the message is moved either way; the forwarder or dispatch will write the row's next status
            org.slf4j.LoggerFactory.getLogger(DeadLetterReplay.class)
                    .warn("Replayed {} but could not update its audit row: {}", dedupKey, e.getMessage());
        }
    }
}
