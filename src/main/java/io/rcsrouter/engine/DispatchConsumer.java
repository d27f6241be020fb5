package io.rcsrouter.engine;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.rcsrouter.classify.KeywordClassifier;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The dispatch loop: each of {@code rcs.dispatch.consumers} threads has its own transacted JMS session on the inbound
 * queue and takes what is waiting (up to {@code rcs.dispatch.batch-size}, never waiting to fill a batch), then:
 * <ol>
 *   <li>reads each message into a {@link DispatchEvent} (parsed again from the body as received, its consent
 *       intent classified); one that cannot be read, or that failed {@code rcs.dispatch.max-deliveries} times, is
 *       parked on {@code rcs.dispatch.dlq} with the reason, audited FAILED;</li>
 *   <li>opens one database transaction, bound to the thread so that camel-sql and the consent ledger use it, and
 *       runs the route with the batch as the exchange body (audit claim, routing table, destination routes, audit
 *       rows);</li>
 *   <li>sends what the destination routes queued, commits the database, then the JMS session.</li>
 * </ol>
 * A crash between the two commits leaves the audit rows written and the messages on the inbound queue: the broker
 * delivers them again, the claim recognises them by their ingress id (REDELIVERY) and routes them again, and the
 * consent ledger answers with its earlier verdict, so nothing is lost and nothing routed twice.
 *
 * <p>Failures: a race on a row (two deciders on one subscriber or key) redoes the database work; a database that is
 * away is waited for with back-off, the batch held; anything else rolls both back, and the broker delivers those
 * events again, each on its own now (a redelivered message is never batched with others), so one bad event fails
 * alone and is parked after its last attempt. A broker that goes away makes the thread reconnect.
 */
final class DispatchConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger("io.rcsrouter.dispatch");
    private static final int MAX_RACES = 8;

    private final DispatchEndpoint endpoint;
    private final DispatchSettings settings;
    private final RcsComponent component;
    private final WorkerThreads threads = new WorkerThreads();
    private volatile boolean running;
    private ProducerTemplate template;

    DispatchConsumer(DispatchEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.component = endpoint.getComponent();
        this.settings = component.getDispatchSettings();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        template = getEndpoint().getCamelContext().createProducerTemplate();
        running = true;
        threads.start("rcs-dispatch-" + endpoint.queue(), settings.consumers(), this::work);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        // the current batch finishes and commits (or rolls back); no new one starts
        threads.join(Duration.ofSeconds(30));
        if (template != null) {
            template.stop();
        }
        super.doStop();
    }

    private void work() {
        Worker worker = new Worker();
        long backoff = 100;
        while (running) {
            if (!component.roomToWrite()) {
                // the data folder is down to its reserve: the events wait on the queue, where they are stored
                sleep(200);
                continue;
            }
            try {
                worker.connect();
                List<Message> messages = worker.receive();
                if (!messages.isEmpty()) {
                    worker.handle(messages);
                }
                backoff = 100;
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                LOG.warn("Dispatch from {} interrupted ({}); reconnecting in {} ms", endpoint.queue(),
                        Failures.describe(e), backoff);
                worker.close();
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
        worker.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One thread's broker connection, session, consumer and producer. */
    private final class Worker {

        private Connection connection;
        private Session session;
        private MessageConsumer consumer;
        private MessageProducer producer;
        private final Map<String, Queue> queues = new HashMap<>();

        void connect() throws JMSException {
            if (session != null) {
                return;
            }
            connection = component.getConnectionFactory().createConnection();
            session = connection.createSession(true, Session.SESSION_TRANSACTED);
            consumer = session.createConsumer(session.createQueue(endpoint.queue()));
            producer = session.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            connection.start();
        }

        void close() {
            queues.clear();
            Connection c = connection;
            connection = null;
            session = null;
            consumer = null;
            producer = null;
            if (c != null) {
                try {
                    c.close();
                } catch (JMSException | RuntimeException e) {
                    LOG.debug("closing the dispatch connection: {}", e.toString());
                }
            }
        }

        /** What is waiting, up to a batch; a redelivered message ends the batch (it is tried on its own). */
        List<Message> receive() throws JMSException {
            Message first = consumer.receive(500);
            if (first == null) {
                return List.of();
            }
            List<Message> batch = new ArrayList<>(settings.batchSize());
            batch.add(first);
            if (deliveryCount(first) > 1) {
                return batch;
            }
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.batchWaitMs());
            while (batch.size() < settings.batchSize()) {
                Message m = consumer.receiveNoWait();
                if (m == null) {
                    long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                    if (left <= 0 || (m = consumer.receive(left)) == null) {
                        break;
                    }
                }
                batch.add(m);
                if (deliveryCount(m) > 1) {
                    break;
                }
            }
            return batch;
        }

        void handle(List<Message> messages) throws Exception {
            long started = System.nanoTime();
            List<DispatchEvent> events = new ArrayList<>(messages.size());
            for (Message m : messages) {
                String text = text(m);
                String provider = orDefault(m.getStringProperty("rcsProvider"), "kaleyra");
                int deliveries = deliveryCount(m);
                RcsEvent event;
                try {
                    EventReader reader = component.readers().get(provider);
                    if (reader == null) {
                        throw new InvalidCallbackException("no reader for provider '" + provider + "'");
                    }
                    event = reader.read(text);
                } catch (InvalidCallbackException e) {
                    park(m, text, null, "not a callback the router can read: " + e.getMessage());
                    continue;
                }
                if (deliveries > settings.maxDeliveries()) {
                    park(m, text, event.dedupKey(), "gave up after " + deliveries + " deliveries; the reasons are in"
                            + " the log lines naming " + event.dedupKey());
                    continue;
                }
                DispatchEvent e = new DispatchEvent(text, provider, orDefault(m.getStringProperty("rcsIngressId"),
                        m.getJMSMessageID()), receivedAt(m), deliveries, event);
                e.intent(classifier().classify(event));
                e.trace(EngineTracing.start(m.getStringProperty(EngineTracing.TRACEPARENT)));
                events.add(e);
            }
            if (events.isEmpty()) {
                session.commit(); // only parked messages: their move to the dead-letter queue
                component.getMetrics().progress();
                return;
            }
            try {
                dispatch(new DispatchBatch(events), started);
            } finally {
                events.forEach(DispatchEvent::endTrace);
            }
        }

        private void dispatch(DispatchBatch batch, long started) throws Exception {
            int races = 0;
            long wait = 1_000;
            while (true) {
                java.sql.Connection db;
                try {
                    db = component.getDataSource().getConnection();
                } catch (SQLException e) {
                    if (!awaitDatabase(batch, e, wait)) {
                        return;
                    }
                    wait = Math.min(wait * 2, 30_000);
                    continue;
                }
                boolean committed = false;
                try {
                    db.setAutoCommit(false);
                    TransactionSynchronizationManager.bindResource(component.getDataSource(), new ConnectionHolder(db));
                    try {
                        Exchange exchange = createExchange(false);
                        try {
                            // the database and JMS transactions are the consumer's: nothing in the route (camel-sql
                            // in batch mode, notably) may commit on its own, and everything runs on this thread
                            exchange.getExchangeExtension().setTransacted(true);
                            exchange.getMessage().setBody(batch);
                            getProcessor().process(exchange);
                            if (exchange.getException() != null) {
                                throw exchange.getException();
                            }
                        } finally {
                            releaseExchange(exchange, false);
                        }
                    } finally {
                        TransactionSynchronizationManager.unbindResource(component.getDataSource());
                    }
                    for (Outgoing o : batch.outgoing()) {
                        send(o);
                    }
                    db.commit();
                    committed = true;
                    session.commit();
                    counted(batch, System.nanoTime() - started);
                    return;
                } catch (Exception e) {
                    rollback(db, committed);
                    if (Failures.broker(e) && !(e instanceof SQLException)) {
                        throw e; // the session is gone: reconnect; what was not committed comes back
                    }
                    if (Failures.race(e) && ++races <= MAX_RACES) {
                        LOG.debug("Dispatch of {} met a concurrent decision, deciding again: {}", batch, e.toString());
                        batch.reset();
                        continue;
                    }
                    if (Failures.databaseUnavailable(e)) {
                        if (!awaitDatabase(batch, e, wait)) {
                            return;
                        }
                        wait = Math.min(wait * 2, 30_000);
                        continue;
                    }
                    failed(batch, e);
                    return;
                } finally {
                    try {
                        db.close();
                    } catch (SQLException e) {
                        LOG.debug("closing a dispatch connection: {}", e.toString());
                    }
                }
            }
        }

        /** The database is away: keep the batch in hand and try again later, or give it back when stopping. */
        private boolean awaitDatabase(DispatchBatch batch, Exception e, long wait) throws JMSException {
            batch.reset();
            if (!running) {
                session.rollback();
                return false;
            }
            LOG.warn("Database unavailable while dispatching {} events ({}); trying again in {} ms, the events stay"
                    + " on {}", batch.size(), Failures.describe(e), wait, endpoint.queue());
            sleep(wait);
            if (!running) {
                session.rollback();
                return false;
            }
            return true;
        }

        private void rollback(java.sql.Connection db, boolean committed) {
            if (committed) {
                return;
            }
            try {
                db.rollback();
            } catch (SQLException e) {
                LOG.debug("rolling back a dispatch transaction: {}", e.toString());
            }
        }

        /** Neither a race nor an outage: roll back; the broker delivers the events again, each on its own. */
        private void failed(DispatchBatch batch, Exception e) throws JMSException {
            session.rollback();
            if (batch.size() == 1) {
                DispatchEvent only = batch.events().get(0);
                LOG.error("Dispatch of {} failed (delivery {} of {}), rolled back for redelivery: {}",
                        only.dedupKey(), only.deliveryCount(), settings.maxDeliveries(), Failures.describe(e));
                auditFailed(only.dedupKey(), only, "delivery " + only.deliveryCount() + ": " + e.getMessage());
            } else {
                LOG.error("Dispatch of a batch of {} failed, rolled back; each event is tried again on its own: {}"
                        + " (events: {})", batch.size(), Failures.describe(e), batch);
            }
        }

        private void counted(DispatchBatch batch, long nanos) {
            EngineMetrics metrics = component.getMetrics();
            metrics.batch(batch.size(), nanos);
            Map<String, Integer> routed = new LinkedHashMap<>();
            for (DispatchEvent e : batch.routable()) {
                routed.merge(e.route(), 1, Integer::sum);
                if (e.consentOutcome() != null) {
                    metrics.consentDecision(e.consentAction(), e.consentOutcome(), e.consentSource());
                }
                if ("DELIVERED".equals(e.status())) {
                    metrics.crmRequest("delivered"); // no CRM configured: written to the outbox file by the batch
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} type={} code={} rule={} -> {}", e.dedupKey(), e.event().type(), e.event().code(),
                            e.rule(), e.destinations());
                }
            }
            routed.forEach(metrics::routed);
            int repeats = batch.repeats();
            if (repeats > 0) {
                metrics.repeats(repeats);
                LOG.info("{} repeat deliveries counted on their audit rows, not routed again", repeats);
            }
        }

        private void send(Outgoing o) throws JMSException {
            TextMessage m = session.createTextMessage(o.body());
            for (Map.Entry<String, String> p : o.properties().entrySet()) {
                if (p.getValue() != null) {
                    m.setStringProperty(p.getKey(), p.getValue());
                }
            }
            producer.send(queues.computeIfAbsent(o.queue(), this::queue), m, DeliveryMode.PERSISTENT,
                    Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
        }

        /** The queue by name, made on the client (the broker creates it on first use): no round trip. */
        private Queue queue(String name) {
            return org.apache.activemq.artemis.api.jms.ActiveMQJMSClient.createQueue(name);
        }

        /** Moves a message dispatch gives up on to the dead-letter queue, in this session's transaction. */
        private void park(Message m, String text, String dedupKey, String reason) throws JMSException {
            String key = dedupKey == null ? orDefault(m.getStringProperty("rcsDedupKey"), m.getJMSMessageID()) : dedupKey;
            TextMessage out = session.createTextMessage(text);
            for (Object n : Collections.list(m.getPropertyNames())) {
                String name = (String) n;
                if (name.startsWith("rcs")) {
                    out.setObjectProperty(name, m.getObjectProperty(name));
                }
            }
            out.setStringProperty("rcsDedupKey", key);
            out.setStringProperty("rcsFailure", reason);
            String dlq = settings.deadLetterQueue();
            producer.send(queues.computeIfAbsent(dlq, this::queue), out, DeliveryMode.PERSISTENT,
                    Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
            LOG.error("Event {} moved to {}: {}", key, dlq, reason);
            component.getMetrics().deadLetter(dlq);
            auditFailed(key, null, reason);
        }
    }

    /** Marks the event FAILED in rcs_audit (its own statement, outside any batch); a failure here is only logged. */
    private void auditFailed(String dedupKey, DispatchEvent event, String reason) {
        try {
            Map<String, Object> row = new HashMap<>();
            row.put("dedupKey", dedupKey);
            row.put("detail", io.rcsrouter.audit.AuditText.detail(reason));
            row.put("ingressId", event == null ? null : event.ingressId());
            row.put("payload", event == null ? null : io.rcsrouter.audit.AuditText.payload(event.body()));
            row.put("receivedAt", DispatchEvent.utc(event == null ? Instant.now() : event.receivedAt()));
            template.sendBody("direct:audit-failed", row);
        } catch (RuntimeException e) {
            LOG.warn("Could not mark {} FAILED in rcs_audit: {}", dedupKey, Failures.describe(e));
        }
    }

    private KeywordClassifier classifier() {
        return component.getClassifier();
    }

    static int deliveryCount(Message m) throws JMSException {
        return m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 1;
    }

    static String text(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        if (m instanceof BytesMessage b) {
            return new String(b.getBody(byte[].class), StandardCharsets.UTF_8);
        }
        return m.getBody(String.class);
    }

    private static Instant receivedAt(Message m) throws JMSException {
        String at = m.getStringProperty("rcsReceivedAt");
        if (at != null) {
            try {
                return Instant.parse(at);
            } catch (DateTimeParseException e) {
                // fall through: the broker's own time
            }
        }
        return Instant.ofEpochMilli(m.getJMSTimestamp() > 0 ? m.getJMSTimestamp() : System.currentTimeMillis());
    }

    private static String orDefault(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }
}
