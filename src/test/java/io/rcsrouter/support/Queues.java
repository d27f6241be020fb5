package io.rcsrouter.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/** Reads queues the way a downstream system would: a plain JMS consumer on its own connection. */
public final class Queues {

    private Queues() {
    }

    /** How many of the messages carry each dedup key ({@code rcsDedupKey}): 1 each when nothing was routed twice. */
    public static Map<String, Integer> countByDedupKey(List<RouterHarness.Received> messages) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        messages.forEach(m -> counts.merge(String.valueOf(m.properties().get("rcsDedupKey")), 1, Integer::sum));
        return counts;
    }

    /**
     * Consumes every message on the queue: waits up to {@code firstWait} for the first one, then keeps taking
     * until the queue has been quiet for half a second.
     */
    public static List<RouterHarness.Received> drain(ConnectionFactory factory, String queue, Duration firstWait)
            throws JMSException {
        List<RouterHarness.Received> out = new ArrayList<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m = consumer.receive(firstWait.toMillis());
            while (m != null) {
                out.add(toReceived(m));
                m = consumer.receive(500);
            }
        }
        return out;
    }

    /** Consumes what is on the queue right now, without waiting for more. */
    public static List<RouterHarness.Received> drainNow(ConnectionFactory factory, String queue) throws JMSException {
        List<RouterHarness.Received> out = new ArrayList<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (Message m = consumer.receiveNoWait(); m != null; m = consumer.receiveNoWait()) {
                out.add(toReceived(m));
            }
        }
        return out;
    }

    /** What is on the queue right now, without consuming it (a JMS queue browser). */
    public static List<RouterHarness.Received> browse(ConnectionFactory factory, String queue) throws JMSException {
        List<RouterHarness.Received> out = new ArrayList<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = s.createBrowser(s.createQueue(queue))) {
                for (Object m : Collections.list(browser.getEnumeration())) {
                    out.add(toReceived((Message) m));
                }
            }
        }
        return out;
    }

    static RouterHarness.Received toReceived(Message m) throws JMSException {
        Map<String, Object> props = new LinkedHashMap<>();
        for (Object name : Collections.list(m.getPropertyNames())) {
            props.put((String) name, m.getObjectProperty((String) name));
        }
        String body = m instanceof TextMessage t ? t.getText()
                : m instanceof jakarta.jms.BytesMessage b ? new String(b.getBody(byte[].class),
                        java.nio.charset.StandardCharsets.UTF_8) : m.getBody(String.class);
        return new RouterHarness.Received(body, props, m.getJMSDeliveryMode() == jakarta.jms.DeliveryMode.PERSISTENT);
    }
}
