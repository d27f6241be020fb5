package io.rcsrouter.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;

/**
 * Slows down credential guessing: a client (remote address) with {@code maxFailures} authentication failures within
 * {@code window} is answered 429 on every request until the window has passed, even with the right credentials.
 *
 * <p>The client is the TCP peer. Behind a load balancer every request has the balancer's address, so one attacker
 * could lock Kaleyra out: set {@code clientHeader} (e.g. X-Forwarded-For) only when a proxy you trust sets it.
 * At most {@code maxTracked} clients are remembered; the least recently seen are forgotten first.
 */
public class FailedAuthLimiter {

    private final int maxFailures;
    private final Duration window;
    private final String clientHeader;
    private final Clock clock;
    private final Map<String, Window> windows;

    private static final class Window {
        long startMillis;
        int failures;
    }

    public FailedAuthLimiter(int maxFailures, long windowSeconds, String clientHeader) {
        this(maxFailures, Duration.ofSeconds(windowSeconds), clientHeader, Clock.systemUTC(), 10_000);
    }

    FailedAuthLimiter(int maxFailures, Duration window, String clientHeader, Clock clock, int maxTracked) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clientHeader = clientHeader == null || clientHeader.isBlank() ? null : clientHeader.strip();
        this.clock = clock;
        this.windows = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > maxTracked;
            }
        };
    }

    /** First step of a protected route: 429 for a client that failed too often lately. */
    public void check(Exchange exchange) throws TooManyFailuresException {
        if (isBlocked(clientOf(exchange))) {
            throw new TooManyFailuresException();
        }
    }

    /** Called on every 401. */
    public void recordFailure(Exchange exchange) {
        recordFailure(clientOf(exchange));
    }

    synchronized boolean isBlocked(String client) {
        Window w = windows.get(client);
        if (w == null) {
            return false;
        }
        if (clock.millis() - w.startMillis >= window.toMillis()) {
            windows.remove(client);
            return false;
        }
        return w.failures >= maxFailures;
    }

    synchronized void recordFailure(String client) {
        long now = clock.millis();
        Window w = windows.computeIfAbsent(client, k -> new Window());
        if (w.failures == 0 || now - w.startMillis >= window.toMillis()) {
            w.startMillis = now;
            w.failures = 0;
        }
        w.failures++;
    }

    String clientOf(Exchange exchange) {
        if (clientHeader != null) {
            String forwarded = exchange.getMessage().getHeader(clientHeader, String.class);
            if (forwarded != null && !forwarded.isBlank()) {
                int comma = forwarded.indexOf(',');
                return (comma < 0 ? forwarded : forwarded.substring(0, comma)).strip();
            }
        }
        Object remote = exchange.getMessage().getHeader("CamelVertxPlatformHttpRemoteAddress");
        if (remote instanceof SocketAddress address && address.hostAddress() != null) {
            return address.hostAddress();
        }
        return remote == null ? "unknown" : remote.toString();
    }

    /** 429: too many failed attempts from this client. */
    public static class TooManyFailuresException extends Exception {
        public TooManyFailuresException() {
            super("too many failed authentication attempts; try again later");
        }
    }
}
