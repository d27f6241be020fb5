package io.rcsrouter.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.Exchange;

/**
 * Ingress's answer to "is this a repeat?" ({@code RCS_INGRESS_DUPLICATE_CHECK}), before the event is queued. It only
 * decides the answer ({@code accepted} or {@code duplicate}): whatever it says, dispatch's unique audit key makes
 * sure a repeat is never routed twice and is always counted.
 *
 * <ul>
 *   <li>{@code database} (default): one indexed UPDATE that counts the repeat on its audit row; exact across
 *       instances once the original is audited. A repeat counted here is not queued again. If the database is slow
 *       or down, a circuit breaker skips the check, so the database never slows the callback down.</li>
 *   <li>{@code memory}: the keys this instance accepted recently; no database work on the callback path. A repeat
 *       is still queued, and dispatch counts it.</li>
 *   <li>{@code off}: every callback is answered {@code accepted}; dispatch still counts repeats.</li>
 * </ul>
 * Sets the header {@code rcsRepeat}: {@code COUNTED} (answer duplicate, do not queue), {@code SEEN} (answer
 * duplicate, queue it for counting) or {@code NEW}.
 */
public class DuplicateCheck {

    public static final String COUNTED = "COUNTED";
    public static final String SEEN = "SEEN";
    public static final String NEW = "NEW";

    private final String mode;
    private final DataSource dataSource;
    private final int timeoutSeconds;
    private final Set<String> recent;
    private final CircuitBreaker breaker;

    public DuplicateCheck(String mode, DataSource dataSource, int timeoutSeconds, int rememberedKeys) {
        this.mode = mode == null ? "database" : mode.strip().toLowerCase(Locale.ROOT);
        if (!Set.of("database", "memory", "off").contains(this.mode)) {
            throw new IllegalStateException("RCS_INGRESS_DUPLICATE_CHECK must be database, memory or off; got " + mode);
        }
        this.dataSource = dataSource;
        this.timeoutSeconds = Math.max(1, timeoutSeconds);
        this.recent = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > rememberedKeys;
            }
        }));
        this.breaker = CircuitBreaker.of("ingress-duplicate-check", CircuitBreakerConfig.custom()
                .failureRateThreshold(50).minimumNumberOfCalls(5).slidingWindowSize(20)
                .slowCallDurationThreshold(Duration.ofMillis(500)).slowCallRateThreshold(80)
                .waitDurationInOpenState(Duration.ofSeconds(5)).build());
    }

    /** The route step. */
    public void apply(Exchange exchange) {
        String key = exchange.getMessage().getHeader("rcsDedupKey", String.class);
        exchange.getMessage().setHeader("rcsRepeat", check(key));
    }

    String check(String key) {
        switch (mode) {
            case "database":
                return countedInDatabase(key) ? COUNTED : NEW;
            case "memory":
                return recent.add(key) ? NEW : SEEN;
            default:
                return NEW;
        }
    }

    private boolean countedInDatabase(String key) {
        if (!breaker.tryAcquirePermission()) {
            return false; // the database is struggling: skip, dispatch will catch the repeat
        }
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE rcs_audit SET duplicates = duplicates + 1, updated_at = CURRENT_TIMESTAMP WHERE dedup_key = ?")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, key);
            boolean counted = ps.executeUpdate() > 0;
            breaker.onSuccess(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            return counted;
        } catch (SQLException e) {
            breaker.onError(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS, e);
            return false;
        }
    }

    /** CLOSED, OPEN or HALF_OPEN, for tests and health. */
    public String state() {
        return breaker.getState().name();
    }
}
