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
 * Puts N persistent CRM requests on a queue of a running router's broker, as dispatch would while the CRM is
 * down: java -cp 'target/lib/*' bench/BacklogFiller.java tcp://127.0.0.1:61626 rcs.crm.outbound 1000000
 */
public class BacklogFiller {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String queue = args[1];
        long total = Long.parseLong(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        String body = "{\"provider\":\"kaleyra\",\"channel\":\"rcs\",\"eventId\":\"%s\",\"messageId\":\"%s\","
                + "\"agent\":\"kio_rcs\",\"msisdn\":\"19785550000\",\"carrier\":\"VZ\","
                + "\"occurredAt\":\"2026-04-20T10:00:00Z\",\"kind\":\"TEXT\",\"text\":\"Hi, is my order shipped?\","
                + "\"postbackData\":null,\"action\":null,\"location\":null,\"raw\":{\"code\":\"4007\",\"message\":"
                + "\"Mobile-originated message received from the carrier\",\"data\":{\"type\":\"USER_MESSAGE\","
                + "\"eventId\":\"%s\",\"from\":\"19785550000\",\"to\":\"kio_rcs\",\"sentAt\":\"2026-04-20T10:00:00Z\","
                + "\"messageId\":\"%s\",\"userMessage\":{\"type\":\"TEXT\",\"text\":\"Hi, is my order shipped?\"},"
                + "\"carrierId\":\"VZ\"},\"error\":{}}}";
        // confirmations in batches: the broker still persists every message before acknowledging the window
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url
                + (url.contains("?") ? "&" : "?") + "confirmationWindowSize=1048576&blockOnDurableSend=false");
        AtomicLong next = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                try (Connection c = factory.createConnection()) {
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer p = s.createProducer(s.createQueue(queue));
                    p.setDeliveryMode(DeliveryMode.PERSISTENT);
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        String id = "backlog-" + i;
                        TextMessage m = s.createTextMessage(String.format(body, id, "m-" + id, id, "m-" + id));
                        m.setStringProperty("rcsDedupKey", "event:" + id);
                        p.send(m);
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
        System.out.printf("done: %d messages in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);
        factory.close();
    }
}
