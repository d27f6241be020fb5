package io.rcsrouter.admin;

import jakarta.jms.JMSException;

import io.rcsrouter.auth.FailedAuthLimiter;
import io.rcsrouter.auth.UnauthorizedException;
import io.rcsrouter.engine.EngineMetrics;
import io.rcsrouter.infra.DatabaseUnavailableException;
import io.rcsrouter.infra.HttpAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, for support staff and compliance audits ({@link AdminApi}): bearer {@code RCS_ADMIN_TOKEN}, closed
 * (404) without one; read-only except the dead-letter replay. Each answer is JSON; each refusal has its status:
 * 401 without the token, 429 after too many failures, 404, 400 for a bad query, 503 when the database or the broker
 * is away.
 */
public final class AdminRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    /** One admin request's work, answering the JSON of a 200. */
    @FunctionalInterface
    interface Work {
        String run(Exchange exchange) throws Exception;
    }

    private final AdminApi admin;
    private final DeadLetterReplay replay;
    private final FailedAuthLimiter limiter;
    private final EngineMetrics metrics;

    public AdminRoutes(AdminApi admin, DeadLetterReplay replay, FailedAuthLimiter limiter, EngineMetrics metrics) {
        this.admin = admin;
        this.replay = replay;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        from("platform-http:/admin/consent/{agent}/{msisdn}?httpMethodRestrict=GET").routeId("admin-consent")
                .description("GET /admin/consent/{agent}/{msisdn}: current consent, when it changed, the events behind it")
                .process(e -> answer(e, "admin-consent", admin::consent));
        from("platform-http:/admin/audit?httpMethodRestrict=GET").routeId("admin-audit")
                .description("GET /admin/audit?messageId=...: the audit rows of a message")
                .process(e -> answer(e, "admin-audit", admin::audit));
        from("platform-http:/admin/replay?httpMethodRestrict=POST").routeId("admin-replay")
                .description("POST /admin/replay?queue=crm|dispatch[&max=N]: parked messages back to their queue")
                .process(e -> answer(e, "admin-replay", x -> {
                    LOG.info("Admin replay requested: {}", x.getMessage().getHeader(Exchange.HTTP_QUERY));
                    String done = replay.replay(x);
                    LOG.info("Admin replay done: {}", done);
                    return done;
                }));
    }

    private void answer(Exchange exchange, String route, Work work) {
        try {
            handle(exchange, work);
        } finally {
            HttpAnswers.count(metrics, route, exchange);
        }
    }

    private void handle(Exchange exchange, Work work) {
        try {
            limiter.check(exchange);
            admin.verify(exchange);
            HttpAnswers.json(exchange, 200, work.run(exchange));
        } catch (UnauthorizedException e) {
            LOG.warn("Admin request refused (401) from {}", exchange.getMessage()
                    .getHeader("CamelVertxPlatformHttpRemoteAddress"));
            limiter.recordFailure(exchange);
            HttpAnswers.error(exchange, 401, "unauthorized");
        } catch (FailedAuthLimiter.TooManyFailuresException e) {
            HttpAnswers.error(exchange, 429, e.getMessage());
        } catch (AdminApi.AdminClosedException | AdminApi.NotFoundException e) {
            HttpAnswers.error(exchange, 404, e.getMessage());
        } catch (AdminApi.BadAdminRequestException e) {
            HttpAnswers.error(exchange, 400, e.getMessage());
        } catch (DatabaseUnavailableException e) {
            LOG.warn("Admin request failed: {}", e.toString());
            HttpAnswers.error(exchange, 503, "the database is not available");
        } catch (JMSException e) {
            LOG.warn("Admin replay failed: {}", e.toString());
            HttpAnswers.error(exchange, 503, "the broker is not available");
        } catch (Exception e) {
            LOG.error("Admin request failed with an internal error: {}", e.toString(), e);
            HttpAnswers.error(exchange, 500, "internal error");
        }
    }
}
