package io.rcsrouter.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.api.Trigger;

/**
 * Fault injection at the database, for the embedded suite: an H2 trigger that fails the audit write that records an
 * event ROUTED (its insert, or the update of a redelivered event), which dispatch runs after the destination routes
 * decided and sent, and before its transactions commit. A test
 * registers a messageId with how many times it must fail ({@code -1}: always) and installs the trigger with
 * {@link #install(Connection)}.
 */
public class AuditFaultTrigger implements Trigger {

    /** messageId -> failures still to inject (-1: every time). */
    public static final Map<String, AtomicInteger> FAULTS = new ConcurrentHashMap<>();
    /** The SQL state of the injected failure: 45000 (an error of this event), 08006 (the database is away). */
    public static volatile String sqlState = "45000";
    /** messageId -> how many times a fault was injected. */
    public static final Map<String, AtomicInteger> INJECTED = new ConcurrentHashMap<>();

    private int messageIdColumn = -1;
    private int statusColumn = -1;

    public static void install(Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute("CREATE TRIGGER IF NOT EXISTS rcs_audit_fault BEFORE INSERT, UPDATE ON rcs_audit FOR EACH ROW"
                    + " CALL '" + AuditFaultTrigger.class.getName() + "'");
        }
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
            int type) throws SQLException {
        try (ResultSet rs = conn.getMetaData().getColumns(null, schemaName, tableName, null)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME").toLowerCase();
                int index = rs.getInt("ORDINAL_POSITION") - 1;
                if (name.equals("message_id")) {
                    messageIdColumn = index;
                } else if (name.equals("status")) {
                    statusColumn = index;
                }
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null || !"ROUTED".equals(newRow[statusColumn])) {
            return;
        }
        String messageId = (String) newRow[messageIdColumn];
        AtomicInteger left = messageId == null ? null : FAULTS.get(messageId);
        if (left == null) {
            return;
        }
        if (left.get() < 0 || left.getAndDecrement() > 0) {
            INJECTED.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
            throw new SQLException("injected fault for " + messageId, sqlState);
        }
    }
}
