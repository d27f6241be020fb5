import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Puts N persistent messages on a queue of a running broker, from 4 threads, without transactions (confirmations
 * in batches: the broker still persists every message before acknowledging the window). Two kinds:
 * <ul>
 *   <li>{@code callbacks}: callbacks exactly as ingress stores them on the inbound queue (the body as received,
 *       rcsIngressId, rcsReceivedAt), in the mix of bench/mix.lua, so that dispatch can drain a standing backlog;</li>
 *   <li>{@code replies}: the same, but only user replies (code 2007), which dispatch forwards to the CRM;</li>
 *   <li>{@code crm}: CRM requests as dispatch queues them while the CRM is down.</li>
 * </ul>
 * <pre>
 *   java -cp 'target/lib/*' bench/QueueFiller.java KIND BROKER_URL USER PASSWORD QUEUE N TAG
 *   java -cp 'target/lib/*' bench/QueueFiller.java callbacks tcp://127.0.0.1:61716 rcs rcs-it-secret rcs.inbound 20000 x1
 *   java -cp 'target/lib/*' bench/QueueFiller.java crm tcp://127.0.0.1:61626 "" "" rcs.crm.outbound 1000000 backlog
 * </pre>
 * An empty USER connects without credentials (the embedded broker).
 */
public class QueueFiller {

    interface MessageOf {
        TextMessage create(Session session, String tag, long i) throws JMSException;
    }

    public static void main(String[] args) throws Exception {
        MessageOf kind = switch (args[0]) {
            case "callbacks" -> QueueFiller::callback;
            case "replies" -> QueueFiller::reply;
            case "crm" -> QueueFiller::crmRequest;
            default -> throw new IllegalArgumentException("KIND must be callbacks, replies or crm, not " + args[0]);
        };
        String url = args[1];
        String user = args[2].isEmpty() ? null : args[2];
        String password = args[3].isEmpty() ? null : args[3];
        String queue = args[4];
        long total = Long.parseLong(args[5]);
        String tag = args[6];
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url
                + (url.contains("?") ? "&" : "?") + "confirmationWindowSize=1048576&blockOnDurableSend=false",
                user, password);
        AtomicLong next = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                try (Connection c = factory.createConnection()) {
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer p = s.createProducer(s.createQueue(queue));
                    p.setDeliveryMode(DeliveryMode.PERSISTENT);
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        p.send(kind.create(s, tag, i));
                        if (i > 0 && i % 100_000 == 0) {
                            System.out.printf("%d sent, %.0f/s%n", i, i / ((System.nanoTime() - t0) / 1e9));
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.HOURS);
        factory.close();
        System.out.printf("done: %d %s messages on %s in %.1f s%n", total, args[0], queue,
                (System.nanoTime() - t0) / 1e9);
    }

    /** A callback in the mix of bench/mix.lua: 45% delivery reports, 35% replies, 10% opt-outs, 10% typing. */
    static TextMessage callback(Session s, String tag, long i) throws JMSException {
        TextMessage m = s.createTextMessage(callbackBody(tag + "-" + i, i));
        m.setStringProperty("rcsIngressId", UUID.randomUUID().toString());
        m.setStringProperty("rcsReceivedAt", Instant.now().toString());
        return m;
    }

    /** A user reply (code 2007), the kind of callback that dispatch forwards to the CRM. */
    static TextMessage reply(Session s, String tag, long i) throws JMSException {
        TextMessage m = s.createTextMessage(callbackBody(tag + "-" + i, i, 9));
        m.setStringProperty("rcsIngressId", UUID.randomUUID().toString());
        m.setStringProperty("rcsReceivedAt", Instant.now().toString());
        return m;
    }

    static String callbackBody(String id, long i) {
        return callbackBody(id, i, (int) (i % 20));
    }

    /** r picks the kind, as i % 20 does in the mix: 0-8 delivery report, 9-15 reply, 16-17 opt-out, 18-19 typing. */
    static String callbackBody(String id, long i, int r) {
        String msisdn = String.format("1978%07d", i % 10_000_000);
        if (r < 9) {
            return "{\"code\":\"4000\",\"data\":{\"type\":\"SENT\",\"eventId\":\"" + id + "\",\"from\":\"kio_rcs\",\"to\":\""
                    + msisdn + "\",\"sentAt\":\"2026-04-20T09:10:00.120Z\",\"messageId\":\"m-" + id
                    + "\",\"carrierId\":\"VZ\"},\"error\":{}}";
        } else if (r < 16) {
            return "{\"code\":\"2007\",\"data\":{\"type\":\"USER_MESSAGE\",\"eventId\":\"" + id + "\",\"from\":\"" + msisdn
                    + "\",\"to\":\"kio_rcs\",\"sentAt\":\"2026-04-16T13:28:41.124Z\",\"messageId\":\"m-" + id
                    + "\",\"userMessage\":{\"type\":\"RESPONSE\",\"response\":{\"text\":\"Avail-Offer\","
                    + "\"postbackData\":\"flight_offer\",\"type\":\"REPLY\",\"mo_type\":\"REPLY\"}},\"carrierId\":\"ATT\"},"
                    + "\"error\":{}}";
        } else if (r < 18) {
            return "{\"code\":\"4007\",\"data\":{\"type\":\"USER_MESSAGE\",\"eventId\":\"" + id + "\",\"from\":\"" + msisdn
                    + "\",\"to\":\"kio_rcs\",\"sentAt\":\"2026-04-20T09:01:28.671Z\",\"messageId\":\"m-" + id
                    + "\",\"userMessage\":{\"type\":\"TEXT\",\"text\":\"STOP\"},\"carrierId\":\"VZ\"},\"error\":{}}";
        }
        return "{\"code\":\"4003\",\"data\":{\"type\":\"COMPOSING\",\"from\":\"" + msisdn
                + "\",\"to\":\"kio_rcs\",\"sentAt\":\"2026-04-16T16:57:46.515Z\",\"messageId\":\"c-" + id
                + "\",\"carrierId\":\"VZ\"},\"error\":{}}";
    }

    private static final String CRM_REQUEST = "{\"provider\":\"kaleyra\",\"channel\":\"rcs\",\"eventId\":\"%1$s\","
            + "\"messageId\":\"m-%1$s\",\"agent\":\"kio_rcs\",\"msisdn\":\"19785550000\",\"carrier\":\"VZ\","
            + "\"occurredAt\":\"2026-04-20T10:00:00Z\",\"kind\":\"TEXT\",\"text\":\"Hi, is my order shipped?\","
            + "\"postbackData\":null,\"action\":null,\"location\":null,\"raw\":{\"code\":\"4007\",\"message\":"
            + "\"Mobile-originated message received from the carrier\",\"data\":{\"type\":\"USER_MESSAGE\","
            + "\"eventId\":\"%1$s\",\"from\":\"19785550000\",\"to\":\"kio_rcs\",\"sentAt\":\"2026-04-20T10:00:00Z\","
            + "\"messageId\":\"m-%1$s\",\"userMessage\":{\"type\":\"TEXT\",\"text\":\"Hi, is my order shipped?\"},"
            + "\"carrierId\":\"VZ\"},\"error\":{}}}";

    /** A CRM request as the CRM forwarder reads it from rcs.crm.outbound. */
    static TextMessage crmRequest(Session s, String tag, long i) throws JMSException {
        String id = tag + "-" + i;
        TextMessage m = s.createTextMessage(String.format(CRM_REQUEST, id));
        m.setStringProperty("rcsDedupKey", "event:" + id);
        return m;
    }
}
