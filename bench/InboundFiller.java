import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Puts N callbacks on the inbound queue exactly as ingress stores them (the body as received, rcsIngressId,
 * rcsReceivedAt), so that dispatch's drain rate can be measured on its own, from a standing backlog:
 *   java -cp 'target/lib/*' bench/InboundFiller.java tcp://127.0.0.1:61716 rcs rcs-it-secret QUEUE N TAG
 */
public class InboundFiller {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        String queue = args[3];
        long total = Long.parseLong(args[4]);
        String tag = args[5];
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
                        TextMessage m = s.createTextMessage(body(tag, i));
                        m.setStringProperty("rcsIngressId", UUID.randomUUID().toString());
                        m.setStringProperty("rcsReceivedAt", Instant.now().toString());
                        p.send(m);
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        factory.close();
        System.out.printf("%d callbacks on %s in %.1f s%n", total, queue, (System.nanoTime() - t0) / 1e9);
    }

    /** The mix of bench/mix.lua: 45% delivery reports, 35% replies, 10% opt-outs, 10% typing. */
    static String body(String tag, long i) {
        String id = tag + "-" + i;
        String msisdn = String.format("1978%07d", i % 10_000_000);
        int r = (int) (i % 20);
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
}
