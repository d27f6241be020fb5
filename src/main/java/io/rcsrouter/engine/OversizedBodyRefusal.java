package io.rcsrouter.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.audit.AuditText;
import io.rcsrouter.auth.RequestCheck;
import io.rcsrouter.auth.UnauthorizedException;
import io.rcsrouter.event.PayloadTooLargeException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to a request body over the HTTP server's hard limit ({@code rcs.http.hard-body-limit-bytes}), which
 * the server refuses before any route sees it: with a Content-Length over the limit without reading the body, a
 * chunked body once the limit is passed. Vert.x's own answer is a plain-text {@code Request Entity Too Large} and
 * nothing is recorded; this handler, a failure handler on the callback server that takes the 413 failures (and
 * passes every other failure on), answers like every other
 * refusal instead: the router's JSON error, a REJECTED audit row naming the size (for an authenticated callback
 * only, like every audit row of a refusal: nobody fills the database without credentials), and a closed connection,
 * so that the rest of the body is never read.
 */
public final class OversizedBodyRefusal implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger("io.rcsrouter.ingress");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;
    private final java.util.Map<String, RequestCheck> headerChecks;
    private final RejectionLog rejections;
    private final EngineMetrics metrics;
    private final long maxBodyBytes;
    private final long hardLimitBytes;

    /**
     * @param headerChecks by callback path, the checks that need no body (Kaleyra's modes, Infobip's Basic or
     *                     header); a path whose check is a signature over the body (RBM, Sinch) has none: its
     *                     oversized request is answered 413 with a WARN line and no audit row
     */
    public OversizedBodyRefusal(CamelContext context, java.util.Map<String, RequestCheck> headerChecks,
            RejectionLog rejections, EngineMetrics metrics, long maxBodyBytes, long hardLimitBytes) {
        this.context = context;
        this.headerChecks = java.util.Map.copyOf(headerChecks);
        this.rejections = rejections;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.hardLimitBytes = hardLimitBytes;
    }

    /** What the refusal says: the size when the request declared it, else that it went past the hard limit. */
    String reason(String contentLength) {
        if (contentLength != null && contentLength.strip().matches("\\d{1,18}")) {
            return new PayloadTooLargeException(Long.parseLong(contentLength.strip()), maxBodyBytes).getMessage();
        }
        return "body of more than " + hardLimitBytes + " bytes (read up to the server's limit) is over the limit of "
                + maxBodyBytes + " bytes";
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.statusCode() != 413) {
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        String reason = reason(request.getHeader("Content-Length"));
        if (!ctx.normalizedPath().startsWith("/callbacks/")) {
            answer(ctx, 413, reason);
            return;
        }
        RequestCheck auth = headerChecks.get(ctx.normalizedPath());
        if (auth == null) {
            // a signed body (RBM, Sinch) cannot be checked without it: no audit row from an unknown sender
            LOG.warn("Callback to {} refused (413) from {}: {}; not audited (its signature covers the body)",
                    ctx.normalizedPath(), request.remoteAddress(), reason);
            answer(ctx, 413, reason);
            return;
        }
        // credentials are checked and the audit row written on a worker thread: both may block
        ctx.vertx().executeBlocking(() -> {
            Exchange exchange = new DefaultExchange(context);
            request.headers().forEach(h -> exchange.getMessage().setHeader(h.getKey(), h.getValue()));
            try {
                auth.verify(exchange, null);
            } catch (UnauthorizedException e) {
                LOG.warn("Callback refused (401) from {}: {} (and its {})", request.remoteAddress(), e.getMessage(),
                        reason);
                return 401;
            }
            rejections.record(AuditText.detail("413 " + reason), null);
            return 413;
        }, false).onComplete(done -> {
            int status = done.succeeded() ? done.result() : 413;
            if (done.failed()) {
                LOG.error("Callback refused (413, {}) and NOT recorded in rcs_audit: {}", reason,
                        Failures.describe(done.cause()));
            }
            answer(ctx, status, status == 401 ? "unauthorized" : reason);
        });
    }

    private void answer(RoutingContext ctx, int status, String error) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        if (ctx.normalizedPath().startsWith("/callbacks/")) {
            metrics.httpResponse("ingress", status, "refused");
        }
        String json = JSON.createObjectNode().put("error", error).toString();
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (ctx.request().version() == HttpVersion.HTTP_2) {
            // one stream of a shared connection: the answer ends the stream, the connection serves on
            ctx.response().end(json);
            return;
        }
        // HTTP/1.x: the rest of the body would be read from this connection, so it is closed after the answer
        ctx.response().putHeader("Connection", "close").end(json)
                .onComplete(sent -> ctx.request().connection().close());
    }
}
