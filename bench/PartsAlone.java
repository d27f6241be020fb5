import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import io.rcsrouter.infra.EmbeddedBroker;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.flywaydb.core.Flyway;

/**
 * The two parts of the router's work per event that no router code can make cheaper, measured without the router, on
 * the same machine in the same run as the router: what bounds the router's throughput from below.
 *
 *   database URL [USER]   one thread, batches of BATCH events as dispatch does them: the audit claim (SELECT ... ANY),
 *                         the INSERT batch of the audit rows (the statement of routes/engine.camel.yaml, the callbacks
 *                         of bench/mix.lua as payloads), one commit per batch; the project's Flyway schema
 *   broker embedded|URL [USER PASSWORD]
 *                         the router's message flow on the broker: two writers sending persistent callbacks in
 *                         transactions of what is waiting (as ingress does), one dispatcher taking up to BATCH in one
 *                         transaction and sending 55% of them on to a downstream queue (as dispatch does for the mix),
 *                         and a DUPS_OK consumer of that queue; "embedded" runs the router's own embedded broker
 *                         (io.rcsrouter.infra.EmbeddedBroker, the same journal settings) in this JVM
 *
 * Prints one line: events/s over SECONDS (after WARMUP seconds), and CPU ms per 1,000 events of this JVM.
 *   java -cp 'target/classes:target/lib/*' bench/PartsAlone.java database jdbc:h2:file:/tmp/x/rcs;WRITE_DELAY=0
 * System properties: -Dseconds=20 -Dwarmup=10 -Dbatch=300 -DrandomIds=false
 */
public class PartsAlone {

    static final int SECONDS = Integer.getInteger("seconds", 20);
    static final int WARMUP = Integer.getInteger("warmup", 10);
    static final int BATCH = Integer.getInteger("batch", 300);
    /** -DrandomIds=true: event and message ids in no order, as Kaleyra's are (default: in order, as bench/mix.lua's) */
    static final boolean RANDOM_IDS = Boolean.getBoolean("randomIds");
    static final String INSERT = """
            INSERT INTO rcs_audit (dedup_key, ingress_id, provider, message_id, event_id, code, type, msisdn, agent,
            carrier, sent_at, received_at, updated_at, route, status, detail, related_message_id, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, ?, ?, ?, ?, ?)""";
    static final String[] KINDS = {"DELIVERY", "DELIVERY", "DELIVERY", "DELIVERY", "DELIVERY", "DELIVERY", "DELIVERY",
        "DELIVERY", "DELIVERY", "CRM", "CRM", "CRM", "CRM", "CRM", "CRM", "CRM", "OPT_OUT", "OPT_OUT", "TYPING", "CRM"};

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "database" -> database(args[1], args.length > 2 ? args[2] : null);
            case "broker" -> broker(args[1], args.length > 3 ? args[2] : null, args.length > 3 ? args[3] : null);
            default -> throw new IllegalArgumentException("database or broker, not " + args[0]);
        }
        System.exit(0);
    }

    static String payload(String kind, String id, String msisdn) {
        return switch (kind) {
            case "DELIVERY" -> "{\"code\":\"4000\",\"message\":\"sent\",\"data\":{\"type\":\"SENT\",\"eventId\":\"" + id
                    + "\",\"from\":\"kio_rcs\",\"to\":\"" + msisdn + "\",\"sentAt\":\"2026-04-20T09:10:00.120Z\","
                    + "\"messageId\":\"m-" + id + "\",\"carrierId\":\"VZ\"},\"error\":{}}";
            default -> "{\"code\":\"2007\",\"message\":\"Mobile-originated message received from the carrier\","
                    + "\"data\":{\"type\":\"USER_MESSAGE\",\"eventId\":\"" + id + "\",\"from\":\"" + msisdn
                    + "\",\"to\":\"kio_rcs\",\"sentAt\":\"2026-04-16T13:28:41.124Z\",\"messageId\":\"m-" + id
                    + "\",\"userMessage\":{\"type\":\"RESPONSE\",\"response\":{\"text\":\"Avail-Offer\","
                    + "\"postbackData\":\"flight_offer\",\"type\":\"REPLY\",\"mo_type\":\"REPLY\"}},\"carrierId\":\"ATT\"},"
                    + "\"error\":{}}";
        };
    }

    static void database(String url, String user) throws Exception {
        Flyway.configure().dataSource(url, user, null).locations("classpath:db/migration").load().migrate();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        String run = UUID.randomUUID().toString().substring(0, 8);
        // the embedded H2 file as the router opens it: each commit written through (H2WriteThrough)
        Connection raw = DriverManager.getConnection(url, user, null);
        try (Connection c = url.startsWith("jdbc:h2:file:") ? io.rcsrouter.infra.H2WriteThrough.connection(raw) : raw) {
            c.setAutoCommit(false);
            // the batch's keys as one array parameter, as routes/engine.camel.yaml's claim binds them
            PreparedStatement claim = c.prepareStatement(
                    "SELECT dedup_key, ingress_id FROM rcs_audit WHERE dedup_key = ANY(?)");
            PreparedStatement insert = c.prepareStatement(INSERT);
            long n = 0;
            long measuredFrom = System.nanoTime() + WARMUP * 1_000_000_000L;
            long end = measuredFrom + SECONDS * 1_000_000_000L;
            long counted = 0;
            long cpu0 = 0;
            long alloc0 = 0;
            long machine0 = 0;
            long claimNs = 0;
            long insertNs = 0;
            long commitNs = 0;
            boolean measuring = false;
            while (System.nanoTime() < end) {
                if (!measuring && System.nanoTime() >= measuredFrom) {
                    measuring = true;
                    cpu0 = cpu.getCurrentThreadCpuTime();
                    alloc0 = allocated();
                    machine0 = machineCpu();
                    counted = 0;
                }
                List<String> keys = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    keys.add(RANDOM_IDS ? "event:" + UUID.randomUUID() : "event:" + run + "-" + (n + i));
                }
                claim.setObject(1, keys.toArray(String[]::new));
                long t0 = System.nanoTime();
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        throw new IllegalStateException("claimed already: " + rs.getString(1));
                    }
                }
                Timestamp now = Timestamp.from(Instant.now());
                for (int i = 0; i < BATCH; i++) {
                    String kind = KINDS[(int) ((n + i) % KINDS.length)];
                    String id = RANDOM_IDS ? keys.get(i).substring("event:".length()) : run + "-" + (n + i);
                    String msisdn = String.format("1978%07d", (n + i) * 7919 % 10_000_000);
                    int p = 1;
                    insert.setString(p++, keys.get(i));
                    insert.setString(p++, "ingress-" + run + "-" + (n + i) / 16);
                    insert.setString(p++, "kaleyra");
                    insert.setString(p++, "m-" + id);
                    insert.setString(p++, id);
                    insert.setString(p++, kind.equals("DELIVERY") ? "4000" : "2007");
                    insert.setString(p++, kind.equals("DELIVERY") ? "SENT" : "USER_MESSAGE");
                    insert.setString(p++, msisdn);
                    insert.setString(p++, "kio_rcs");
                    insert.setString(p++, "VZ");
                    insert.setTimestamp(p++, now);
                    insert.setTimestamp(p++, now);
                    insert.setString(p++, kind);
                    insert.setString(p++, "ROUTED");
                    insert.setString(p++, "rule user-reply");
                    insert.setString(p++, null);
                    insert.setString(p, payload(kind, id, msisdn));
                    insert.addBatch();
                }
                long t1 = System.nanoTime();
                insert.executeBatch();
                long t2 = System.nanoTime();
                c.commit();
                long t3 = System.nanoTime();
                if (measuring) {
                    claimNs += t1 - t0;
                    insertNs += t2 - t1;
                    commitNs += t3 - t2;
                }
                n += BATCH;
                counted += BATCH;
            }
            double cpuMs = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e6;
            double kbPerEvent = (allocated() - alloc0) / 1024.0 / counted;
            double machineMs = (machineCpu() - machine0) / 1e6;
            long batches = Math.max(1, counted / BATCH);
            System.err.printf("per batch: claim %.1f ms, insert %.1f ms, commit %.1f ms%n", claimNs / 1e6 / batches,
                    insertNs / 1e6 / batches, commitNs / 1e6 / batches);
            System.out.printf("database alone: %d events/s (batches of %d, one thread), %.0f ms CPU per 1,000 events"
                    + " (machine: %.0f ms), %.1f KiB allocated per event%n", counted / SECONDS, BATCH,
                    cpuMs * 1000 / counted, machineMs * 1000 / counted, kbPerEvent);
        }
    }

    /** Bytes this thread has allocated so far (HotSpot's ThreadMXBean). */
    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static void broker(String where, String user, String password) throws Exception {
        EmbeddedBroker embedded = null;
        ActiveMQConnectionFactory factory;
        if (where.equals("embedded")) {
            Path dir = Files.createTempDirectory("parts-broker");
            embedded = new EmbeddedBroker(dir, 64L << 20, 24L << 20, null, 100, false, 200);
            embedded.start();
            factory = new ActiveMQConnectionFactory(embedded.inVmUrl());
        } else {
            factory = user == null ? new ActiveMQConnectionFactory(where) : new ActiveMQConnectionFactory(where, user, password);
        }
        String prefix = "parts-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong dispatched = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<jakarta.jms.Connection> connections = new ArrayList<>();
        byte[] body = payload("CRM", "0123456789abcdef", "19780000000").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int w = 0; w < 2; w++) {
            jakarta.jms.Connection c = factory.createConnection();
            connections.add(c);
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(prefix + "inbound"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            threads.add(new Thread(() -> {
                try {
                    while (running.get()) {
                        // ingress under wrk -c32: about 16 requests per writer per commit
                        for (int i = 0; i < 16; i++) {
                            var m = s.createBytesMessage();
                            m.writeBytes(body);
                            p.send(m);
                        }
                        s.commit();
                        sent.addAndGet(16);
                        // do not outrun dispatch by more than a few batches: measure the flow, not a backlog
                        while (running.get() && dispatchedBehind(dispatched, threads)) {
                            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                        }
                    }
                } catch (Exception e) {
                    if (running.get()) {
                        e.printStackTrace();
                    }
                }
            }, "writer-" + w));
        }
        jakarta.jms.Connection dc = factory.createConnection();
        connections.add(dc);
        dc.start();
        Session ds = dc.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer in = ds.createConsumer(ds.createQueue(prefix + "inbound"));
        Queue downstream = ds.createQueue(prefix + "delivery");
        MessageProducer out = ds.createProducer(downstream);
        out.setDeliveryMode(DeliveryMode.PERSISTENT);
        threads.add(new Thread(() -> {
            try {
                long k = 0;
                while (running.get()) {
                    Message first = in.receive(100);
                    if (first == null) {
                        continue;
                    }
                    List<Message> batch = new ArrayList<>();
                    batch.add(first);
                    Message m;
                    while (batch.size() < BATCH && (m = in.receiveNoWait()) != null) {
                        batch.add(m);
                    }
                    for (Message each : batch) {
                        if (k++ % 20 < 11) {
                            var copy = ds.createBytesMessage();
                            copy.writeBytes(body);
                            out.send(copy);
                        }
                    }
                    ds.commit();
                    dispatched.addAndGet(batch.size());
                }
            } catch (Exception e) {
                if (running.get()) {
                    e.printStackTrace();
                }
            }
        }, "dispatcher"));
        jakarta.jms.Connection cc = factory.createConnection();
        connections.add(cc);
        Session cs = cc.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
        cs.createConsumer(cs.createQueue(prefix + "delivery")).setMessageListener(m -> { });
        cc.start();
        sent.set(0);
        threads.forEach(Thread::start);
        Thread.sleep(WARMUP * 1000L);
        long cpu0 = processCpu();
        long machine0 = machineCpu();
        long d0 = dispatched.get();
        Thread.sleep(SECONDS * 1000L);
        long d1 = dispatched.get();
        long cpu1 = processCpu();
        long machine1 = machineCpu();
        running.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }
        for (jakarta.jms.Connection c : connections) {
            c.close();
        }
        if (embedded != null) {
            embedded.stop();
        }
        System.out.printf("broker alone (%s): %d events/s dispatched (writers commit 16, dispatch batches up to %d), %.0f ms"
                + " CPU per 1,000 events (this JVM%s; machine: %.0f ms)%n", where.equals("embedded") ? "embedded" : "standalone",
                (d1 - d0) / SECONDS, BATCH, (cpu1 - cpu0) / 1e6 * 1000 / Math.max(1, d1 - d0),
                where.equals("embedded") ? ", broker included" : ", clients only",
                (machine1 - machine0) / 1e6 * 1000 / Math.max(1, d1 - d0));
    }

    static final AtomicLong sent = new AtomicLong();

    static boolean dispatchedBehind(AtomicLong dispatched, List<Thread> threads) {
        return sent.addAndGet(0) > dispatched.get() + 4L * BATCH;
    }

    /** Busy CPU time of the whole machine (all processes: the broker, PostgreSQL), in ns, from /proc/stat. */
    static long machineCpu() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10_000_000L; // USER_HZ = 100
        } catch (Exception e) {
            return 0;
        }
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
