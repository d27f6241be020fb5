package io.rcsrouter.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores accepted callbacks on the inbound queue, durably, many requests per broker commit (group commit): each of
 * {@code rcs.ingress.writers} threads takes every request waiting (up to {@code rcs.ingress.max-batch}), sends them
 * as persistent messages in one transacted session and commits once; only then is each request's future completed,
 * and only then does ingress answer 200. A request is never answered 200 for a commit that failed: its future fails
 * and the callback is answered 503 (the sender retries). A request that waited past its deadline is not sent.
 *
 * <p>Each stored message: the callback's text as the body, and the properties {@code rcsDedupKey},
 * {@code rcsIngressId} (this request, to tell a broker redelivery from a repeat), {@code rcsReceivedAt},
 * {@code rcsProvider}, and with tracing on the W3C {@code traceparent}.
 */
public final class InboundStore extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(InboundStore.class);

    /** What ingress answers once the callback is stored. */
    public enum Answer {
        ACCEPTED, DUPLICATE
    }

    record Request(String body, String provider, String dedupKey, String ingressId, Instant receivedAt,
            String traceparent, long deadlineNanos, long enqueuedNanos, CompletableFuture<Answer> answer) {
    }

    private final ConnectionFactory factory;
    private final String queue;
    private final int writers;
    private final int maxBatch;
    private final RepeatCheck repeats;
    private final EngineMetrics metrics;
    private final BlockingQueue<Request> pending;
    private final WorkerThreads threads = new WorkerThreads();
    private volatile boolean running;

    public InboundStore(ConnectionFactory factory, String queue, int writers, int maxBatch, int capacity,
            RepeatCheck repeats, EngineMetrics metrics) {
        this.factory = factory;
        this.queue = queue;
        this.writers = writers;
        this.maxBatch = maxBatch;
        this.repeats = repeats;
        this.metrics = metrics;
        this.pending = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Asks for a callback to be stored; the future completes once the broker has committed it, or fails if it
     * could not be (broker down, the store full or stopping, the deadline passed before it was sent).
     */
    public CompletableFuture<Answer> store(String body, String provider, String dedupKey, String ingressId,
            Instant receivedAt, String traceparent, long deadlineNanos) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        if (!running) {
            answer.completeExceptionally(new RejectedExecutionException("the router is stopping"));
            return answer;
        }
        long now = System.nanoTime();
        if (!pending.offer(new Request(body, provider, dedupKey, ingressId, receivedAt, traceparent, deadlineNanos, now,
                answer))) {
            answer.completeExceptionally(new RejectedExecutionException("too many callbacks waiting to be stored"));
        }
        return answer;
    }

    @Override
    protected void doStart() {
        running = true;
        threads.start("rcs-ingress-store", writers, this::write);
    }

    /** Stops taking requests, stores what is waiting, then stops. */
    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        threads.join(Duration.ofSeconds(30));
        for (Request r = pending.poll(); r != null; r = pending.poll()) {
            r.answer().completeExceptionally(new RejectedExecutionException("the router stopped"));
        }
    }

    private void write() {
        Session session = null;
        Connection connection = null;
        MessageProducer producer = null;
        long backoff = 50;
        List<Request> batch = new ArrayList<>(maxBatch);
        while (running || !pending.isEmpty()) {
            batch.clear();
            try {
                Request first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, maxBatch - 1);
                dropExpired(batch);
                if (batch.isEmpty()) {
                    continue;
                }
                List<String> keys = new ArrayList<>(batch.size());
                for (Request r : batch) {
                    keys.add(r.dedupKey());
                }
                Set<String> known = repeats.known(keys);
                if (session == null) {
                    connection = factory.createConnection();
                    session = connection.createSession(true, Session.SESSION_TRANSACTED);
                    producer = session.createProducer(session.createQueue(queue));
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                    // connecting can take longer than a caller waits (a broker coming back): a caller already
                    // answered 503 must not have its event stored after all
                    dropExpired(batch);
                    if (batch.isEmpty()) {
                        continue;
                    }
                }
                for (Request r : batch) {
                    TextMessage m = session.createTextMessage(r.body());
                    m.setStringProperty("rcsDedupKey", r.dedupKey());
                    m.setStringProperty("rcsIngressId", r.ingressId());
                    m.setStringProperty("rcsReceivedAt", r.receivedAt().toString());
                    m.setStringProperty("rcsProvider", r.provider());
                    if (r.traceparent() != null) {
                        m.setStringProperty(EngineTracing.TRACEPARENT, r.traceparent());
                    }
                    producer.send(m);
                }
                session.commit();
                long now = System.nanoTime();
                for (Request r : batch) {
                    metrics.stored(now - r.enqueuedNanos());
                    r.answer().complete(known.contains(r.dedupKey()) ? Answer.DUPLICATE : Answer.ACCEPTED);
                }
                backoff = 50;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(batch, e);
                break;
            } catch (Exception e) {
                fail(batch, e);
                LOG.warn("The inbound store lost the broker ({}); {} callbacks answered 503", Failures.describe(e),
                        batch.size());
                close(connection);
                connection = null;
                session = null;
                producer = null;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, 1_000);
            }
        }
        close(connection);
    }

    private static void dropExpired(List<Request> batch) {
        long now = System.nanoTime();
        batch.removeIf(r -> {
            if (now - r.deadlineNanos() > 0) {
                r.answer().completeExceptionally(new TimeoutException("waited too long to be stored"));
                return true;
            }
            return false;
        });
    }

    private static void fail(List<Request> batch, Exception e) {
        for (Request r : batch) {
            r.answer().completeExceptionally(e);
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (JMSException | RuntimeException e) {
                LOG.debug("closing the store's connection: {}", e.toString());
            }
        }
    }

    /** Callbacks waiting to be stored now (for tests and metrics). */
    public int waiting() {
        return pending.size();
    }
}
