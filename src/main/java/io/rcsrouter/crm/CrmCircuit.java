package io.rcsrouter.crm;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a dead CRM from eating the backlog: a circuit breaker (resilience4j) around the CRM forwarder, used as its
 * route policy ({@code routePolicy: crmCircuit} in crm.camel.yaml).
 *
 * <ul>
 *   <li>Closed: requests flow; a request that still fails after its retries is dead-lettered (it is this request
 *       the CRM does not take).</li>
 *   <li>Open (too many of the recent requests failed): the forwarder stops consuming, so requests wait on
 *       rcs.crm.outbound instead of filling the dead-letter queue, and no thread waits on a dead CRM. A request
 *       whose failure opened the circuit is rolled back onto the queue, not dead-lettered.</li>
 *   <li>Half-open (after {@code openSeconds}): the forwarder consumes again; a few requests probe the CRM and close
 *       the circuit, or open it again.</li>
 * </ul>
 * A 4xx answer counts as success here: the CRM is up, it refused that one request.
 */
public class CrmCircuit extends RoutePolicySupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(CrmCircuit.class);
    /** Exchange property: true when this failure found the circuit open, so the request must go back to the queue. */
    public static final String OPEN_PROPERTY = "rcsCrmCircuitOpen";
    private static final String STARTED_PROPERTY = "rcsCrmCallStarted";

    private final CircuitBreaker breaker;
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "crm-circuit");
        t.setDaemon(true);
        return t;
    });
    private CamelContext camelContext;
    private volatile String routeId;

    public CrmCircuit(int failureRatePercent, int minimumCalls, int windowSize, int openSeconds) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRatePercent)
                .minimumNumberOfCalls(minimumCalls)
                .slidingWindowSize(windowSize)
                .waitDurationInOpenState(Duration.ofSeconds(openSeconds))
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordExceptions(Throwable.class)
                .build();
        this.breaker = CircuitBreaker.of("crm", config);
        this.breaker.getEventPublisher().onStateTransition(this::onTransition);
    }

    @Override
    public void onInit(Route route) {
        this.routeId = route.getRouteId();
    }

    /** First step of the forwarder: refuses (rolls back) a request while the circuit does not permit a call. */
    public void acquire(Exchange exchange) throws CrmUnavailableException {
        if (!breaker.tryAcquirePermission()) {
            throw new CrmUnavailableException("the CRM circuit is " + breaker.getState());
        }
        exchange.setProperty(STARTED_PROPERTY, System.nanoTime());
    }

    /** The CRM took the request (2xx), or answered and refused it (4xx): either way it is up. */
    public void success(Exchange exchange) {
        breaker.onSuccess(elapsed(exchange), TimeUnit.NANOSECONDS);
    }

    /**
     * An attempt failed (5xx, timeout, no connection): records it, and answers whether the failure is this request's
     * own (true: retry it, or dead-letter it once its retries are over) rather than the CRM's as a whole (false: the
     * circuit is open, roll the request back onto its queue). Every attempt counts, retries included, so that a dead
     * CRM opens the circuit after a few attempts, not after every queued request has used up its retries. Called by
     * {@link CrmRetry#handled}; the answer is also left in the exchange property {@value #OPEN_PROPERTY} for the
     * handler's steps.
     */
    public boolean failedAlone(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        breaker.onError(elapsed(exchange), TimeUnit.NANOSECONDS,
                cause == null ? new IllegalStateException("CRM request failed") : cause);
        boolean open = breaker.getState() != CircuitBreaker.State.CLOSED;
        exchange.setProperty(OPEN_PROPERTY, open);
        return !open;
    }

    /** CLOSED, OPEN or HALF_OPEN: for health and metrics. */
    public String state() {
        return breaker.getState().name();
    }

    private long elapsed(Exchange exchange) {
        Long started = exchange.getProperty(STARTED_PROPERTY, Long.class);
        return started == null ? 0 : System.nanoTime() - started;
    }

    private void onTransition(CircuitBreakerOnStateTransitionEvent event) {
        CircuitBreaker.State to = event.getStateTransition().getToState();
        LOG.warn("CRM circuit {}: {}", to, to == CircuitBreaker.State.OPEN
                ? "the CRM keeps failing; forwarding paused, requests wait on the queue"
                : "forwarding resumes");
        if (routeId == null || camelContext == null) {
            return;
        }
        // never from the consumer thread that saw the failure: suspending waits for that very exchange
        control.submit(() -> {
            try {
                if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                    camelContext.getRouteController().suspendRoute(routeId);
                } else {
                    camelContext.getRouteController().resumeRoute(routeId);
                }
            } catch (Exception e) {
                LOG.error("Could not {} route {}", to == CircuitBreaker.State.OPEN ? "suspend" : "resume", routeId, e);
            }
        });
    }

    @Override
    protected void doStop() throws Exception {
        control.shutdownNow();
        super.doStop();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The circuit is open: the request goes back to its queue, untouched. */
    public static class CrmUnavailableException extends Exception {
        public CrmUnavailableException(String message) {
            super(message);
        }
    }
}
