package io.rcsrouter.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * The client id and secret of a token request, in whichever of the common forms it came: HTTP Basic
 * ({@code id:secret}), a form body ({@code client_id=...&client_secret=...}, as OAuth 2 client-credentials
 * clients send), or a JSON body ({@code client_id}/{@code client_secret}, or {@code clientId}/{@code clientSecret}).
 */
public record ClientCredentials(String clientId, String clientSecret) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ClientCredentials read(Exchange exchange) throws UnauthorizedException {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = CallbackAuthenticator.basicCredentials(authorization);
            return new ClientCredentials(pair[0], pair[1]);
        }
        String body = exchange.getMessage().getBody(String.class);
        if (body == null || body.isBlank()) {
            throw new UnauthorizedException("token request without credentials");
        }
        String trimmed = body.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(trimmed);
                return new ClientCredentials(text(node, "client_id", "clientId"),
                        text(node, "client_secret", "clientSecret"));
            } catch (Exception e) {
                throw new UnauthorizedException("token request with unreadable JSON");
            }
        }
        Map<String, String> form = parseForm(trimmed);
        return new ClientCredentials(form.get("client_id"), form.get("client_secret"));
    }

    private static String text(JsonNode node, String snake, String camel) {
        JsonNode v = node.has(snake) ? node.get(snake) : node.get(camel);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    /**
     * The fields of an application/x-www-form-urlencoded body. A malformed %-escape ({@code client_id=%zz}, or a
     * {@code %} at the end) is a request without readable credentials, the 401, not an internal error; the reason
     * for the log does not echo the body, which may hold a secret.
     */
    private static Map<String, String> parseForm(String body) throws UnauthorizedException {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new UnauthorizedException("token request with a malformed form body (a % not followed by"
                            + " two hex digits)");
                }
            }
        }
        return out;
    }
}
