package io.rcsrouter.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

    public AdminApi(DataSource dataSource, ConsentLedger ledger, String token) {
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.token = token == null ? "" : token.strip();
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
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, dedup_key, message_id, event_id, code, type, msisdn, agent, carrier, sent_at, received_at,"
                        + " updated_at, route, status, detail, related_message_id, duplicates, payload"
                        + " FROM rcs_audit WHERE message_id = ? ORDER BY id")) {
            ps.setString(1, messageId);
            ArrayNode rows = JSON.createArrayNode();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.addObject().put("id", rs.getLong("id")).put("dedupKey", rs.getString("dedup_key"))
                            .put("messageId", rs.getString("message_id")).put("eventId", rs.getString("event_id"))
                            .put("code", rs.getString("code")).put("type", rs.getString("type"))
                            .put("msisdn", rs.getString("msisdn")).put("agent", rs.getString("agent"))
                            .put("carrier", rs.getString("carrier")).put("sentAt", iso(rs.getTimestamp("sent_at")))
                            .put("receivedAt", iso(rs.getTimestamp("received_at")))
                            .put("updatedAt", iso(rs.getTimestamp("updated_at"))).put("route", rs.getString("route"))
                            .put("status", rs.getString("status")).put("detail", rs.getString("detail"))
                            .put("relatedMessageId", rs.getString("related_message_id"))
                            .put("duplicates", rs.getInt("duplicates")).put("payload", rs.getString("payload"));
                }
            }
            if (rows.isEmpty()) {
                throw new NotFoundException("no audit row for this messageId");
            }
            return rows.toString();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("admin: cannot read the audit table", e);
        }
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

    private static String iso(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
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
