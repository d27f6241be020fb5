package io.rcsrouter.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes the audit status of one event at a time for many callers in one database transaction (group commit): the
 * CRM forwarder's consumers each wait for their row ({@code rcs:audit:delivered}); one thread takes every update
 * waiting, runs the statement ({@code direct:audit-delivered}, camel-sql in batch mode, routes/engine.camel.yaml) and
 * commits once, then lets each caller go. A caller learns of a failure as an exception, so its message is not
 * acknowledged before its row is written.
 */
public final class AuditStatusWriter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AuditStatusWriter.class);

    private record Update(Map<String, Object> row, CompletableFuture<Void> done) {
    }

    private final CamelContext context;
    private final DataSource dataSource;
    private final String route;
    private final BlockingQueue<Update> pending = new ArrayBlockingQueue<>(10_000);
    private volatile boolean running;
    private Thread thread;
    private ProducerTemplate template;

    /** @param route the batch statement's route, called with a list of parameter rows */
    public AuditStatusWriter(CamelContext context, DataSource dataSource, String route) {
        this.context = context;
        this.dataSource = dataSource;
        this.route = route;
    }

    /** Writes the row (with others), or throws why not; waits at most {@code timeoutMs}. */
    public void write(Map<String, Object> row, long timeoutMs) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running || !pending.offer(new Update(row, done), timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the audit status writer is not taking updates");
        }
        try {
            done.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    protected void doStart() {
        template = context.createProducerTemplate();
        running = true;
        thread = new Thread(this::loop, "rcs-audit-status");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (Update u = pending.poll(); u != null; u = pending.poll()) {
            u.done().completeExceptionally(new IllegalStateException("the router stopped"));
        }
        if (template != null) {
            template.stop();
        }
    }

    private void loop() {
        List<Update> batch = new ArrayList<>();
        while (running || !pending.isEmpty()) {
            batch.clear();
            try {
                Update first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, 499);
                write(batch);
                batch.forEach(u -> u.done().complete(null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(u -> u.done().completeExceptionally(e));
                return;
            } catch (Exception e) {
                LOG.debug("audit status batch of {} failed: {}", batch.size(), e.toString());
                batch.forEach(u -> u.done().completeExceptionally(e));
            }
        }
    }

    private void write(List<Update> batch) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>(batch.size());
        batch.forEach(u -> rows.add(u.row()));
        try (java.sql.Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            TransactionSynchronizationManager.bindResource(dataSource, new ConnectionHolder(c));
            try {
                Exchange result = template.send(route, x -> {
                    x.getExchangeExtension().setTransacted(true); // the commit below is the only one
                    x.getMessage().setBody(rows);
                });
                if (result.getException() != null) {
                    throw result.getException();
                }
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                TransactionSynchronizationManager.unbindResource(dataSource);
            }
        }
    }
}
