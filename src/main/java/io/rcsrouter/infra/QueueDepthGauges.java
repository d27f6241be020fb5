package io.rcsrouter.infra;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue depths as Prometheus gauges ({@code rcs_queue_depth{queue="rcs.inbound"}}), and the CRM circuit's state
 * ({@code rcs_crm_circuit_open}: 0 closed, 1 half-open, 2 open). The depths are asked of the broker through its
 * management address every {@code intervalSeconds}, the same way for the embedded and an external Artemis, so that
 * a scrape never waits on the broker. A queue that does not exist yet reads 0; an unreachable broker -1.
 */
public final class QueueDepthGauges extends PolledGauges {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDepthGauges.class);

    private final ConnectionFactory factory;
    private final List<String> queues;
    private final Supplier<String> circuitState;
    private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();

    public QueueDepthGauges(CamelContext context, ConnectionFactory factory, List<String> queues, long intervalSeconds,
            Supplier<String> circuitState) {
        super(context, "queue-depth-gauges", intervalSeconds);
        this.factory = factory;
        this.queues = queues;
        this.circuitState = circuitState;
        queues.forEach(q -> depths.put(q, new AtomicLong(0)));
    }

    /** The last depth read for a queue (for tests); -1 when the broker could not be asked. */
    public long depth(String queue) {
        AtomicLong d = depths.get(queue);
        return d == null ? -1 : d.get();
    }

    /** Events waiting on all the watched queues together, as last read; a queue that could not be read counts 0. */
    public long heldEvents() {
        return depths.values().stream().mapToLong(AtomicLong::get).filter(d -> d > 0).sum();
    }

    @Override
    protected void refresh() {
        try {
            readDepths();
        } catch (Throwable e) {
            depths.values().forEach(d -> d.set(-1));
            LOG.debug("Could not read queue depths: {}", e.toString());
        }
    }

    @Override
    protected void register(MeterRegistry registry) {
        depths.forEach((queue, value) -> Gauge.builder("rcs.queue.depth", value, AtomicLong::get)
                .description("Messages waiting on the queue (read from the broker periodically)")
                .tag("queue", queue).register(registry));
        Gauge.builder("rcs.crm.circuit.open", circuitState, s -> switch (s.get()) {
            case "OPEN", "FORCED_OPEN" -> 2;
            case "HALF_OPEN" -> 1;
            default -> 0;
        }).description("CRM circuit breaker: 0 closed, 1 half-open, 2 open (forwarding paused)").register(registry);
    }

    private void readDepths() throws Exception {
        try (Connection c = factory.createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue management = ActiveMQJMSClient.createQueue("activemq.management");
            MessageProducer requests = session.createProducer(management);
            TemporaryQueue replyTo = session.createTemporaryQueue();
            MessageConsumer replies = session.createConsumer(replyTo);
            for (String queue : queues) {
                Message request = session.createMessage();
                request.setJMSReplyTo(replyTo);
                JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
                requests.send(request);
                Message reply = replies.receive(5_000);
                if (reply == null) {
                    throw new IllegalStateException("no answer from the broker's management address");
                }
                if (JMSManagementHelper.hasOperationSucceeded(reply)) {
                    Object result = JMSManagementHelper.getResult(reply);
                    depths.get(queue).set(result instanceof Number n ? n.longValue() : 0);
                } else {
                    depths.get(queue).set(0); // not created yet: nothing has been sent to it
                }
            }
        }
    }
}
