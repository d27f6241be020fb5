package io.rcsrouter.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;

import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

import static org.awaitility.Awaitility.await;

/**
 * A queue's counters as the broker keeps them, asked through its management address (the same way for the embedded
 * and a standalone Artemis). They tell when the router has finished with a queue it consumes: every message ever
 * added has been acknowledged, and none is waiting or in a consumer's hands. An acknowledgement in a transacted
 * session counts only when the transaction commits, and everything the router sent on in that transaction commits
 * with it; so once a queue is {@link #settled()}, every message its consumer produced is on its destination queue,
 * and a second copy can no longer appear.
 */
public record QueueStats(String queue, long messageCount, long deliveringCount, long messagesAdded,
        long messagesAcknowledged) {

    private static final String[] ATTRIBUTES = {"messageCount", "deliveringCount", "messagesAdded",
        "messagesAcknowledged"};

    /** Nothing waiting, nothing being delivered, everything added acknowledged. */
    public boolean settled() {
        return messageCount == 0 && deliveringCount == 0 && messagesAcknowledged == messagesAdded;
    }

    /** The counters of a queue; all zero when the queue does not exist (nothing was ever sent to it). */
    public static QueueStats of(ConnectionFactory factory, String queue) throws Exception {
        return all(factory, queue).get(queue);
    }

    public static Map<String, QueueStats> all(ConnectionFactory factory, String... queues) throws Exception {
        Map<String, QueueStats> out = new LinkedHashMap<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer requests = session.createProducer(ActiveMQJMSClient.createQueue("activemq.management"));
            TemporaryQueue replyTo = session.createTemporaryQueue();
            MessageConsumer replies = session.createConsumer(replyTo);
            for (String queue : queues) {
                long[] values = new long[ATTRIBUTES.length];
                for (int i = 0; i < ATTRIBUTES.length; i++) {
                    Message request = session.createMessage();
                    request.setJMSReplyTo(replyTo);
                    JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, ATTRIBUTES[i]);
                    requests.send(request);
                    Message reply = replies.receive(10_000);
                    if (reply == null) {
                        throw new IllegalStateException("the broker's management address did not answer");
                    }
                    Object result = JMSManagementHelper.hasOperationSucceeded(reply)
                            ? JMSManagementHelper.getResult(reply) : null;
                    values[i] = result instanceof Number n ? n.longValue() : 0;
                }
                out.put(queue, new QueueStats(queue, values[0], values[1], values[2], values[3]));
            }
        }
        return out;
    }

    /**
     * Waits until every named queue is {@link #settled()} and has taken at least {@code minAdded} messages in all
     * (so that "settled" cannot mean "nothing arrived yet").
     */
    public static void awaitSettled(ConnectionFactory factory, Duration atMost, long minAdded, String... queues) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, QueueStats> stats = all(factory, queues);
            long added = stats.values().stream().mapToLong(QueueStats::messagesAdded).sum();
            return added >= minAdded && stats.values().stream().allMatch(QueueStats::settled);
        });
    }
}
