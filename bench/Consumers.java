import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The downstream systems of a benchmark or soak: one consumer per queue, taking every message as it arrives
 * (DUPS_OK acknowledgement, as a fast consumer would), so that the queues the router fills stay short, as they do in
 * a deployment whose ESB consumes them. Prints the counts every 10 s and when stopped.
 *
 *   java -cp 'target/lib/*' bench/Consumers.java tcp://127.0.0.1:61626 [user password] -- rcs.delivery rcs.unrouted ...
 */
public class Consumers {
    public static void main(String[] args) throws Exception {
        int sep = List.of(args).indexOf("--");
        String url = args[0];
        ActiveMQConnectionFactory factory = sep >= 3 ? new ActiveMQConnectionFactory(url, args[1], args[2])
                : new ActiveMQConnectionFactory(url);
        List<String> queues = List.of(args).subList(sep + 1, args.length);
        List<AtomicLong> counts = new ArrayList<>();
        Connection c = null;
        for (int attempt = 0; c == null; attempt++) {
            try {
                c = factory.createConnection();
            } catch (Exception e) {
                if (attempt > 100) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        for (String q : queues) {
            Session s = c.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(q));
            AtomicLong n = new AtomicLong();
            counts.add(n);
            consumer.setMessageListener(m -> n.incrementAndGet());
        }
        c.start();
        Connection conn = c;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            print(queues, counts);
            try {
                conn.close();
            } catch (Exception ignored) {
                // stopping
            }
        }));
        while (true) {
            Thread.sleep(10_000);
            print(queues, counts);
        }
    }

    static void print(List<String> queues, List<AtomicLong> counts) {
        StringBuilder sb = new StringBuilder("consumed:");
        for (int i = 0; i < queues.size(); i++) {
            sb.append(' ').append(queues.get(i)).append('=').append(counts.get(i).get());
        }
        System.out.println(sb);
    }
}
