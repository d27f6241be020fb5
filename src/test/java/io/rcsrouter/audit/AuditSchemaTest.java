package io.rcsrouter.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.rcsrouter.infra.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rcs_audit keeps only the indexes its queries read through: every row of a dispatch batch updates each index, and an
 * index on values that arrive in no order (subscriber numbers) rewrites another page per row. The schema is the
 * Flyway migrations', on H2 (the integration suite runs the same migrations on PostgreSQL).
 */
class AuditSchemaTest {

    Database db;

    @BeforeEach
    void start() {
        db = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "",
                2, Duration.ofSeconds(5));
        db.start();
    }

    @AfterEach
    void stop() {
        db.stop();
    }

    @Test
    void theAuditTableHasTheKeyTheDedupKeyAndTheMessageIdIndexesOnly() throws Exception {
        List<String> columns = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT i.index_name, ic.column_name"
                        + " FROM information_schema.indexes i JOIN information_schema.index_columns ic"
                        + " ON ic.index_name = i.index_name AND ic.table_name = i.table_name"
                        + " WHERE i.table_name = 'rcs_audit' ORDER BY ic.column_name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                columns.add(rs.getString(2));
            }
        }
        // V7 dropped (agent, msisdn), V5 received_at: no query of the router reads rows by them
        assertThat(columns).containsExactly("dedup_key", "id", "message_id");
    }

    @Test
    void theQueriesOnTheAuditTableReadThroughAnIndex() throws Exception {
        assertThat(plan("SELECT dedup_key, ingress_id FROM rcs_audit WHERE dedup_key IN (?, ?)", 2))
                .contains("uq_rcs_audit_dedup_key");
        assertThat(plan("SELECT id FROM rcs_audit WHERE message_id = ? ORDER BY id", 1))
                .contains("ix_rcs_audit_message_id");
        assertThat(plan("UPDATE rcs_audit SET duplicates = duplicates + 1 WHERE dedup_key = ?", 1))
                .contains("uq_rcs_audit_dedup_key");
    }

    private String plan(String query, int parameters) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("EXPLAIN " + query)) {
            for (int i = 1; i <= parameters; i++) {
                ps.setString(i, "k" + i);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1).toLowerCase();
            }
        }
    }
}
