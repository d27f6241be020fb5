package io.rcsrouter.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rcsrouter.auth.Secrets;
import io.rcsrouter.auth.UnauthorizedException;
import io.rcsrouter.consent.ConsentLedger;
import io.rcsrouter.event.Msisdn;
import io.rcsrouter.infra.DatabaseUnavailableException;
import org.apache.camel.Exchange;

/**
 * The read-only {@code /admin} API (routes/admin.camel.yaml), bearer {@code RCS_ADMIN_TOKEN}. Closed when no token
 * is set. Path and query values are read from the request line itself, never from headers a client could add.
 */
public class AdminApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final ConsentLedger ledger;
    private final String token;
    private final org.apache.camel.CamelContext context;
    private volatile org.apache.camel.ProducerTemplate template;

    /** @param context for the audit query ({@code direct:audit-by-message-id}, routes/engine.camel.yaml) */
    public AdminApi(DataSource dataSource, ConsentLedger ledger, String token, org.apache.camel.CamelContext context) {
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.token = token == null ? "" : token.strip();
        this.context = context;
    }

    private org.apache.camel.ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    /** Passes only a request with the admin token; a closed API answers as if it did not exist. */
    public void verify(Exchange exchange) throws UnauthorizedException, AdminClosedException {
        if (token.isEmpty()) {
            throw new AdminClosedException();
        }
        String auth = exchange.getMessage().getHeader("Authorization", String.class);
        String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip()
                : null;
        if (!Secrets.constantTimeEquals(presented, token)) {
            throw new UnauthorizedException("admin request without the admin token");
        }
    }

    /** {@code GET /admin/consent/{agent}/{msisdn}}: current state, when it changed, and the events behind it. */
    public String consent(Exchange exchange) throws NotFoundException {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String[] parts = path == null ? new String[0] : path.split("/");
        // /admin/consent/{agent}/{msisdn} -> ["", "admin", "consent", agent, msisdn]
        if (parts.length != 5) {
            throw new NotFoundException("expected /admin/consent/{agent}/{msisdn}");
        }
        String agent = decode(parts[3]);
        String msisdn = Msisdn.normalize(decode(parts[4]));
        String scope = ledger.scopeOf(agent);
        try (Connection c = dataSource.getConnection()) {
            ObjectNode out = JSON.createObjectNode().put("agent", agent).put("scope", scope).put("msisdn", msisdn);
            boolean known = false;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT state, changed_at, message_id, source FROM rcs_consent WHERE agent = ? AND msisdn = ?")) {
                ps.setString(1, scope);
                ps.setString(2, msisdn);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        known = true;
                        out.put("state", rs.getString(1)).put("changedAt", iso(rs.getTimestamp(2)))
                                .put("decidedBy", rs.getString(3)).put("source", rs.getString(4));
                    }
                }
            }
            ArrayNode events = out.putArray("events");
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT message_id, action, source, sent_at, outcome, decided_by, text, recorded_at"
                            + " FROM rcs_consent_event WHERE agent = ? AND msisdn = ? ORDER BY sent_at, id")) {
                ps.setString(1, scope);
                ps.setString(2, msisdn);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.addObject().put("messageId", rs.getString(1)).put("action", rs.getString(2))
                                .put("source", rs.getString(3)).put("sentAt", iso(rs.getTimestamp(4)))
                                .put("outcome", rs.getString(5)).put("decidedBy", rs.getString(6))
                                .put("text", rs.getString(7)).put("recordedAt", iso(rs.getTimestamp(8)));
                    }
                }
            }
            if (!known && events.isEmpty()) {
                throw new NotFoundException("no consent recorded for this subscriber and agent");
            }
            return out.toString();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("admin: cannot read consent", e);
        }
    }

    /** {@code GET /admin/audit?messageId=...}: every audit row of that message, oldest first. */
    public String audit(Exchange exchange) throws NotFoundException, BadAdminRequestException {
        String messageId = queryParam(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class), "messageId")
                .orElseThrow(() -> new BadAdminRequestException("query parameter messageId is required"));
        List<Map<String, Object>> found;
        try {
            found = template().requestBody("direct:audit-by-message-id", Map.of("messageId", messageId), List.class);
        } catch (org.apache.camel.CamelExecutionException e) {
            throw new DatabaseUnavailableException("admin: cannot read the audit table", e.getCause());
        }
        ArrayNode rows = JSON.createArrayNode();
        for (Map<String, Object> r : found) {
            ObjectNode row = rows.addObject();
            row.put("id", ((Number) r.get("id")).longValue());
            row.put("dedupKey", (String) r.get("dedup_key")).put("provider", (String) r.get("provider"))
                    .put("messageId", (String) r.get("message_id")).put("eventId", (String) r.get("event_id"))
                    .put("code", (String) r.get("code")).put("type", (String) r.get("type"))
                    .put("msisdn", (String) r.get("msisdn")).put("agent", (String) r.get("agent"))
                    .put("carrier", (String) r.get("carrier")).put("sentAt", iso(r.get("sent_at")))
                    .put("receivedAt", iso(r.get("received_at"))).put("updatedAt", iso(r.get("updated_at")))
                    .put("route", (String) r.get("route")).put("status", (String) r.get("status"))
                    .put("detail", (String) r.get("detail"))
                    .put("relatedMessageId", (String) r.get("related_message_id"))
                    .put("duplicates", ((Number) r.get("duplicates")).intValue())
                    .put("payload", (String) r.get("payload"));
        }
        if (rows.isEmpty()) {
            throw new NotFoundException("no audit row for this messageId");
        }
        return rows.toString();
    }

    /** A timestamp column as ISO-8601 (UTC), whatever type the driver gives it. */
    private static String iso(Object column) {
        if (column == null) {
            return null;
        }
        if (column instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (column instanceof java.time.OffsetDateTime o) {
            return o.toInstant().toString();
        }
        if (column instanceof java.time.Instant i) {
            return i.toString();
        }
        return column.toString();
    }

    static Optional<String> queryParam(String query, String name) {
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && decode(pair.substring(0, eq)).equals(name)) {
                String v = decode(pair.substring(eq + 1));
                return v.isBlank() ? Optional.empty() : Optional.of(v);
            }
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }


    /** 404. */
    public static class NotFoundException extends Exception {
        public NotFoundException(String message) {
            super(message);
        }
    }

    /** 400. */
    public static class BadAdminRequestException extends Exception {
        public BadAdminRequestException(String message) {
            super(message);
        }
    }

    /** 404: the admin API is switched off (no RCS_ADMIN_TOKEN). */
    public static class AdminClosedException extends Exception {
        public AdminClosedException() {
            super("the admin API is disabled: set RCS_ADMIN_TOKEN to open it");
        }
    }
}
