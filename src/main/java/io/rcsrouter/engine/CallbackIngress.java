package io.rcsrouter.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rcsrouter.audit.AuditText;
import io.rcsrouter.auth.FailedAuthLimiter;
import io.rcsrouter.auth.RequestCheck;
import io.rcsrouter.auth.UnauthorizedException;
import io.rcsrouter.event.BodyText;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.PayloadTooLargeException;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.infra.AdmissionRefusedException;
import io.rcsrouter.infra.BacklogLimit;
import io.rcsrouter.infra.DataFolderSpace;
import io.rcsrouter.infra.RawFormBody;
import io.rcsrouter.provider.ProviderFormat;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's callback path, behind {@code rcs:ingress:PROVIDER}: who sent it (failed-login limiter, credentials),
 * its size, its shape (the provider's parser), room in the backlog, then the durable store; the HTTP answer comes only
 * after the broker committed the event. Every refusal is a JSON answer with its status, a log line that says why,
 * and for a body that is not a callback (400) or too large (413) a REJECTED audit row with the reason.
 *
 * <table>
 *   <tr><td>200 {"status":"accepted"}</td><td>stored</td></tr>
 *   <tr><td>200 {"status":"duplicate"}</td><td>stored; a repeat of an event the router has (dispatch counts it)</td></tr>
 *   <tr><td>400 / 413</td><td>not a callback / too large: REJECTED audit row</td></tr>
 *   <tr><td>401 / 429</td><td>wrong credentials / too many failures from this client lately</td></tr>
 *   <tr><td>503</td><td>not stored (broker down or slow, backlog full with Retry-After): the sender retries</td></tr>
 * </table>
 *
 * <p>A provider whose requests hold many events ({@link ProviderFormat#batched()}, Infobip's {@code results[]})
 * stores each on its own and answers 200 only once every event it accepted is stored, naming each refused one
 * ({@code refused: [{index, error}]}, and a REJECTED audit row each); 400 when none could be accepted, 503 when any
 * could not be stored (the sender retries the request; what was stored comes back as repeats).
 */
public class CallbackIngress {

    private static final Logger LOG = LoggerFactory.getLogger("io.rcsrouter.ingress");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCEPTED = "{\"status\":\"accepted\"}";
    static final String DUPLICATE = "{\"status\":\"duplicate\"}";

    private final String provider;
    private final String metricRoute;
    private final RequestCheck auth;
    private final FailedAuthLimiter limiter;
    private final long maxBodyBytes;
    private final ProviderFormat format;
    private final BacklogLimit backlog;
    private final DataFolderSpace space;
    private final InboundStore store;
    private final long storeTimeoutMs;
    private final RejectionLog rejections;
    private final EngineMetrics metrics;
    private final RawFormBody rawFormBody = new RawFormBody();

    public CallbackIngress(ProviderFormat format, String metricRoute, RequestCheck auth, FailedAuthLimiter limiter,
            long maxBodyBytes, BacklogLimit backlog, DataFolderSpace space, InboundStore store,
            long storeTimeoutMs, RejectionLog rejections, EngineMetrics metrics) {
        this.provider = format.provider();
        this.format = format;
        this.metricRoute = metricRoute;
        this.auth = auth;
        this.limiter = limiter;
        this.maxBodyBytes = maxBodyBytes;
        this.backlog = backlog;
        this.space = space;
        this.store = store;
        this.storeTimeoutMs = storeTimeoutMs;
        this.rejections = rejections;
        this.metrics = metrics;
    }

    public String provider() {
        return provider;
    }

    /** Handles the request of the exchange; the exchange becomes the answer. */
    public void handle(Exchange exchange) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(storeTimeoutMs);
        Message in = exchange.getMessage();
        String key = null;
        byte[] body = null;
        try {
            rawFormBody.restore(exchange);
            limiter.check(exchange);
            body = bytes(in);
            if (body == null) {
                body = new byte[0];
            }
            String handshake = auth.handshake(exchange, body);
            if (handshake != null) {
                LOG.info("{} webhook verification answered", provider);
                answer(exchange, 200, "text/plain; charset=utf-8", handshake, "verification");
                return;
            }
            auth.verify(exchange, body);
            if (body.length > maxBodyBytes) {
                throw new PayloadTooLargeException(body.length, maxBodyBytes);
            }
            String text = BodyText.decode(body);
            List<String> events = format.events(text);
            if (format.batched()) {
                handleMany(exchange, events, deadline);
                return;
            }
            String stored1 = events.get(0);
            RcsEvent event = format.read(stored1);
            key = event.dedupKey();
            backlog.check();
            space.check();
            CompletableFuture<InboundStore.Answer> stored = store.store(stored1, provider, key, IngressIds.next(),
                    Instant.now(), EngineTracing.traceparent(exchange), deadline);
            InboundStore.Answer answer = stored.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            boolean repeat = answer == InboundStore.Answer.DUPLICATE;
            answer(exchange, 200, repeat ? DUPLICATE : ACCEPTED, repeat ? "duplicate" : "accepted");
        } catch (FailedAuthLimiter.TooManyFailuresException e) {
            LOG.warn("Request refused (429) from {}: too many authentication failures", remote(exchange));
            error(exchange, 429, e.getMessage(), "refused");
        } catch (UnauthorizedException e) {
            LOG.warn("Callback refused (401) from {}: {}", remote(exchange), e.getMessage());
            limiter.recordFailure(exchange);
            error(exchange, 401, "unauthorized", "refused");
        } catch (PayloadTooLargeException e) {
            reject(exchange, 413, e.getMessage(), body);
        } catch (InvalidCallbackException e) {
            reject(exchange, 400, e.getMessage(), body);
        } catch (AdmissionRefusedException e) {
            LOG.warn("Callback {} NOT stored, answered 503: {}", key, e.getMessage());
            error(exchange, 503, e.answer(), "refused");
            exchange.getMessage().setHeader("Retry-After", String.valueOf(AdmissionRefusedException.RETRY_AFTER_SECONDS));
        } catch (TimeoutException | ExecutionException | RejectedExecutionException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.error("Callback {} NOT stored, answered 503 (broker unavailable): {}", key, Failures.describe(cause));
            error(exchange, 503, "the event could not be stored durably; retry later", "refused");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("Callback {} NOT stored, answered 503: interrupted", key);
            error(exchange, 503, "the event could not be stored durably; retry later", "refused");
        } catch (RuntimeException e) {
            LOG.error("Callback {} failed with an internal error, answered 500: {}", key, e.toString(), e);
            error(exchange, 500, "internal error; retry later", "refused");
        }
    }

    /**
     * A request of many events: each read on its own (a refused one is named in the answer and gets its REJECTED
     * audit row), the accepted ones stored, and the answer once every one of them is stored.
     */
    private void handleMany(Exchange exchange, List<String> events, long deadline)
            throws AdmissionRefusedException, InterruptedException, ExecutionException, TimeoutException {
        List<CompletableFuture<InboundStore.Answer>> stored = new ArrayList<>(events.size());
        ArrayNode refused = JSON.createArrayNode();
        List<RcsEvent> read = new ArrayList<>(events.size());
        List<String> texts = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            try {
                read.add(format.read(events.get(i)));
                texts.add(events.get(i));
            } catch (InvalidCallbackException e) {
                String reason = "results[" + i + "]: " + e.getMessage();
                rejections.record(AuditText.detail("400 " + reason), AuditText.payload(events.get(i)));
                refused.addObject().put("index", i).put("error", e.getMessage());
            }
        }
        if (read.isEmpty()) {
            LOG.warn("{} callback refused (400): none of its {} events is readable", provider, events.size());
            ObjectNode answer = JSON.createObjectNode().put("error", "no event of the request could be accepted");
            answer.set("refused", refused);
            answer(exchange, 400, answer.toString(), "refused");
            return;
        }
        backlog.check();
        space.check();
        Instant now = Instant.now();
        String traceparent = EngineTracing.traceparent(exchange);
        for (int i = 0; i < read.size(); i++) {
            stored.add(store.store(texts.get(i), provider, read.get(i).dedupKey(), IngressIds.next(), now, traceparent,
                    deadline));
        }
        int duplicates = 0;
        for (CompletableFuture<InboundStore.Answer> f : stored) {
            if (f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    == InboundStore.Answer.DUPLICATE) {
                duplicates++;
            }
        }
        if (!refused.isEmpty()) {
            LOG.warn("{} callback: {} of {} events refused, the rest stored: {}", provider, refused.size(),
                    events.size(), refused);
        }
        ObjectNode answer = JSON.createObjectNode().put("status", "accepted").put("accepted", read.size())
                .put("duplicates", duplicates);
        answer.set("refused", refused);
        answer(exchange, 200, answer.toString(), refused.isEmpty() ? "accepted" : "partly refused");
    }

    /** 400/413: answered, and recorded as REJECTED with the reason and the start of the body. */
    private void reject(Exchange exchange, int status, String reason, byte[] body) {
        String detail = AuditText.detail(status + " " + reason);
        rejections.record(detail, body == null ? null : AuditText.payload(new String(body,
                java.nio.charset.StandardCharsets.UTF_8)));
        error(exchange, status, reason, "refused");
    }

    private void error(Exchange exchange, int status, String reason, String outcome) {
        answer(exchange, status, JSON.createObjectNode().put("error", reason).toString(), outcome);
    }

    private void answer(Exchange exchange, int status, String json, String outcome) {
        answer(exchange, status, "application/json", json, outcome);
    }

    private void answer(Exchange exchange, int status, String contentType, String body, String outcome) {
        Message m = exchange.getMessage();
        // no request header may go back out as a response header
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        m.setBody(body);
        metrics.httpResponse(metricRoute, status, outcome);
    }

    /** The request body's bytes: straight from the HTTP server's buffer (one copy), else through Camel's converters. */
    private static byte[] bytes(Message in) {
        Object body = in.getBody();
        if (body instanceof io.vertx.core.buffer.Buffer buffer) {
            return buffer.getBytes();
        }
        return in.getBody(byte[].class);
    }

    private static Object remote(Exchange exchange) {
        return exchange.getMessage().getHeader("CamelVertxPlatformHttpRemoteAddress");
    }
}
