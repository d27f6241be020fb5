package io.rcsrouter.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.engine.EngineMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The JSON answers of the router's own HTTP endpoints: status, body, and nothing of the request echoed back. */
public final class HttpAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpAnswers() {
    }

    public static void json(Exchange exchange, int status, String json) {
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(json);
    }

    /** {@code {"error": reason}} with the status. */
    public static void error(Exchange exchange, int status, String reason) {
        json(exchange, status, JSON.createObjectNode().put("error", reason == null ? "error" : reason).toString());
    }

    /** Counts the answer in rcs_http_responses_total{route, status, outcome}. */
    public static void count(EngineMetrics metrics, String route, Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int s = status == null ? 200 : status;
        metrics.httpResponse(route, s, s < 400 ? "accepted" : "refused");
    }
}
