package io.rcsrouter.engine;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REJECTED audit rows of refused callbacks ({@code direct:audit-rejected}, camel-sql). A row is written before
 * the refusal is answered, within a deadline: a database that is slow or away, or a flood of bad requests, never
 * holds the answer up. A row that could not be written leaves an ERROR log line with the reason instead.
 */
public final class RejectionLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.rcsrouter.ingress");

    private final ProducerTemplate template;
    private final long timeoutMs;
    private final ThreadPoolExecutor executor;

    public RejectionLog(ProducerTemplate template, long timeoutMs) {
        this.template = template;
        this.timeoutMs = timeoutMs;
        this.executor = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000), r -> {
            Thread t = new Thread(r, "rcs-audit-rejected");
            t.setDaemon(true);
            return t;
        });
    }

    public void record(String detail, String payload) {
        Map<String, Object> row = new HashMap<>();
        row.put("detail", detail);
        row.put("payload", payload);
        row.put("receivedAt", OffsetDateTime.now(ZoneOffset.UTC));
        try {
            Future<?> f = executor.submit(() -> template.sendBody("direct:audit-rejected", row));
            f.get(timeoutMs, TimeUnit.MILLISECONDS);
            LOG.info("Callback rejected: {}", detail);
        } catch (RejectedExecutionException e) {
            LOG.error("Callback rejected ({}) and NOT recorded in rcs_audit: too many rejections waiting", detail);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.error("Callback rejected ({}); its audit row is not written yet: the database did not answer within"
                    + " {} ms", detail, timeoutMs);
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.error("Callback rejected ({}) and NOT recorded in rcs_audit: {}", detail,
                    Failures.describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        executor.shutdown();
    }
}
