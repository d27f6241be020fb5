package io.rcsrouter.audit;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;

/**
 * Turns a refused callback into its HTTP answer and its REJECTED audit fields; called as {@code rejection} from the
 * error handlers in {@code routes/errors.camel.yaml}.
 *
 * <p>Sets the status code, a JSON body {@code {"error": "..."}} (built with Jackson, so any text in the reason is
 * escaped), and the headers {@code rcsAuditDetail} and {@code rcsAuditPayload} for the audit insert.
 */
public class Rejection {

    private static final ObjectMapper JSON = new ObjectMapper();

    public void prepare(Exchange exchange, int status) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null || cause.getMessage() == null ? "rejected" : cause.getMessage();
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String payload = body == null ? null : new String(body, StandardCharsets.UTF_8);

        exchange.getMessage().setHeader("rcsAuditDetail", AuditText.detail(status + " " + reason));
        exchange.getMessage().setHeader("rcsAuditPayload", AuditText.payload(payload));
        respond(exchange, status, reason);
    }

    /** Answers {@code status} with the caught exception's message as the error. */
    public void respondWithCause(Exchange exchange, int status) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        respond(exchange, status, cause == null || cause.getMessage() == null ? "error" : cause.getMessage());
    }

    /** Answers {@code status} with {@code {"error": reason}}; used for every error the router reports over HTTP. */
    public void respond(Exchange exchange, int status, String reason) {
        ObjectNode error = JSON.createObjectNode().put("error", reason);
        exchange.getMessage().setBody(error.toString());
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
