package io.rcsrouter.engine;



import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.ProducerTemplate;

/**
 * Ingress's answer to "is this a repeat?" ({@code RCS_INGRESS_DUPLICATE_CHECK}), asked once per group of callbacks
 * the store commits together. It only chooses the answer, {@code accepted} or {@code duplicate}: every callback is
 * stored either way, and dispatch counts a repeat on its audit row, exactly once, in its own transaction.
 * <ul>
 *   <li>{@code database} (default): the keys already in rcs_audit ({@code direct:audit-known}, camel-sql), exact
 *       across instances once the original is audited. The question has a deadline
 *       ({@code RCS_INGRESS_DUPLICATE_CHECK_TIMEOUT_MS}) and a circuit breaker: a slow, hung or dead database
 *       makes the check answer "nothing known", it never holds a callback up. A question still unanswered is not
 *       asked again meanwhile, and the thread asking it is never interrupted.</li>
 *   <li>{@code memory}: the keys this instance stored lately.</li>
 *   <li>{@code off}: nothing is known.</li>
 * </ul>
 */
public interface RepeatCheck {

    /** The keys among {@code keys} that were seen before. */
    Set<String> known(List<String> keys);

    static RepeatCheck of(String mode, ProducerTemplate template, long timeoutMs, int rememberedKeys) {
        return switch (mode == null ? "database" : mode.strip().toLowerCase(Locale.ROOT)) {
            case "database" -> new Database(template, timeoutMs);
            case "memory" -> new Memory(rememberedKeys);
            case "off" -> keys -> Set.of();
            default -> throw new IllegalStateException("RCS_INGRESS_DUPLICATE_CHECK must be database, memory or off;"
                    + " got " + mode);
        };
    }

    /** The keys this instance stored lately (bounded; the least recently seen are forgotten first). */
    final class Memory implements RepeatCheck {
        private final Map<String, Boolean> recent;

        Memory(int max) {
            this.recent = new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > max;
                }
            };
        }

        @Override
        public synchronized Set<String> known(List<String> keys) {
            Set<String> out = new HashSet<>();
            for (String k : keys) {
                if (recent.put(k, Boolean.TRUE) != null) {
                    out.add(k);
                }
            }
            return out;
        }
    }

    /** The keys already audited, asked of the database with a deadline. */
    final class Database implements RepeatCheck {
        private final ProducerTemplate template;
        private final long timeoutMs;
        private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rcs-ingress-repeat-check");
            t.setDaemon(true);
            return t;
        });
        private final CircuitBreaker breaker = CircuitBreaker.of("ingress-repeat-check", CircuitBreakerConfig.custom()
                .failureRateThreshold(50).minimumNumberOfCalls(5).slidingWindowSize(20)
                .waitDurationInOpenState(java.time.Duration.ofSeconds(5)).build());
        private volatile Future<Set<String>> asking;

        Database(ProducerTemplate template, long timeoutMs) {
            this.template = template;
            this.timeoutMs = Math.max(1, timeoutMs);
        }

        @Override
        public Set<String> known(List<String> keys) {
            Future<Set<String>> previous = asking;
            if ((previous != null && !previous.isDone()) || !breaker.tryAcquirePermission()) {
                return Set.of();
            }
            long t0 = System.nanoTime();
            Future<Set<String>> f = executor.submit(() -> query(keys));
            asking = f;
            try {
                Set<String> known = f.get(timeoutMs, TimeUnit.MILLISECONDS);
                breaker.onSuccess(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                return known;
            } catch (TimeoutException | ExecutionException e) {
                breaker.onError(System.nanoTime() - t0, TimeUnit.NANOSECONDS, e);
                return Set.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Set.of();
            }
        }

        @SuppressWarnings("unchecked")
        private Set<String> query(List<String> keys) {
            // the keys as one array parameter (routes/engine.camel.yaml: dedup_key = ANY(:#keys))
            List<Map<String, Object>> rows = template.requestBody("direct:audit-known",
                    Map.of("keys", keys.toArray(String[]::new)), List.class);
            if (rows == null || rows.isEmpty()) {
                return Set.of();
            }
            Set<String> out = new HashSet<>();
            for (Map<String, Object> r : rows) {
                out.add((String) r.get("dedup_key"));
            }
            return out;
        }

        /** CLOSED, OPEN or HALF_OPEN, for tests. */
        public String state() {
            return breaker.getState().name();
        }

        void close() {
            executor.shutdown();
        }
    }

}
