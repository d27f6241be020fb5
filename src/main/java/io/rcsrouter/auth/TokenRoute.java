package io.rcsrouter.auth;

import io.rcsrouter.engine.EngineMetrics;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.infra.HttpAnswers;
import io.rcsrouter.infra.RawFormBody;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kaleyra's "advanced" authentication (RCS_AUTH_MODE=bearer), {@code POST /auth/token}: Kaleyra trades its client
 * id and secret (HTTP Basic, a form or a JSON body) for a short-lived bearer token, which it then presents on each
 * callback. Tokens are signed JWTs, valid on every instance with the same secret. In the other modes: 401.
 */
public final class TokenRoute extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRoute.class);

    private final CallbackAuthenticator auth;
    private final FailedAuthLimiter limiter;
    private final EngineMetrics metrics;
    private final RawFormBody rawFormBody = new RawFormBody();

    public TokenRoute(CallbackAuthenticator auth, FailedAuthLimiter limiter, EngineMetrics metrics) {
        this.auth = auth;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        from("platform-http:/auth/token?httpMethodRestrict=POST&populateBodyWithForm=false").routeId("auth-token")
                .description("POST /auth/token: client credentials in, {token_type, access_token, expires_in} out")
                .process(this::issue);
    }

    private void issue(Exchange exchange) {
        try {
            rawFormBody.restore(exchange);
            limiter.check(exchange);
            HttpAnswers.json(exchange, 200, auth.issueToken(exchange));
        } catch (UnauthorizedException e) {
            LOG.warn("Token request refused (401) from {}: {}", exchange.getMessage()
                    .getHeader("CamelVertxPlatformHttpRemoteAddress"), e.getMessage());
            limiter.recordFailure(exchange);
            HttpAnswers.error(exchange, 401, "unauthorized");
        } catch (FailedAuthLimiter.TooManyFailuresException e) {
            HttpAnswers.error(exchange, 429, e.getMessage());
        } catch (InvalidCallbackException e) {
            HttpAnswers.error(exchange, 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Token request failed with an internal error: {}", e.toString(), e);
            HttpAnswers.error(exchange, 500, "internal error; retry later");
        }
        HttpAnswers.count(metrics, "auth-token", exchange);
    }
}
