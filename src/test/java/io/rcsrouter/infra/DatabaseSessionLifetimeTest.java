package io.rcsrouter.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded database keeps working when the connection that created the schema is closed. H2 2.4.240 kept, in
 * each {@code CHECK (x IN (...))} constraint, a reference to the session that created it (h2database#4302, #4308);
 * once the pool retired that connection (HikariCP's maxLifetime, 30 minutes), every INSERT into rcs_audit and
 * rcs_consent failed with {@code Check constraint invalid: "ck_rcs_audit_status: "} caused by {@code The database
 * has been closed} until the router was restarted: the closes that bench/soak.sh found 26-29 minutes after start.
 * This closes every connection the migrations used, then writes through new ones.
 */
class DatabaseSessionLifetimeTest {

    @TempDir
    Path dir;

    @Test
    void theCheckConstraintsHoldAfterTheConnectionsThatCreatedThemAreClosed() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("rcs") + ";DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
        Database database = new Database(url, "sa", "", 4, Duration.ofSeconds(10));
        database.start();
        try {
            // keep the database open on a connection of its own, then retire every pooled connection: the ones
            // Flyway created the tables on included, as maxLifetime does after 30 minutes
            try (Connection keepOpen = java.sql.DriverManager.getConnection(url, "sa", "")) {
                database.dataSource().unwrap(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
                database.fastDataSource().unwrap(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
                Thread.sleep(500);
                try (Connection c = database.dataSource().getConnection();
                        PreparedStatement audit = c.prepareStatement("INSERT INTO rcs_audit (dedup_key, provider,"
                                + " received_at, updated_at, status) VALUES (?, 'kaleyra', CURRENT_TIMESTAMP,"
                                + " CURRENT_TIMESTAMP, 'ROUTED')");
                        PreparedStatement consent = c.prepareStatement("INSERT INTO rcs_consent (agent, msisdn,"
                                + " state, changed_at, message_id, source, updated_at) VALUES ('a', '1', 'OPTED_OUT', CURRENT_TIMESTAMP,"
                                + " 'm', 'KEYWORD', CURRENT_TIMESTAMP)")) {
                    audit.setString(1, "event:after-retirement");
                    assertThat(audit.executeUpdate()).isEqualTo(1);
                    assertThat(consent.executeUpdate()).isEqualTo(1);
                    // and the constraint still refuses what it must
                    audit.setString(1, "event:bad-status");
                    var bad = c.prepareStatement("UPDATE rcs_audit SET status = 'NOPE' WHERE dedup_key = ?");
                    bad.setString(1, "event:after-retirement");
                    org.assertj.core.api.Assertions.assertThatThrownBy(bad::executeUpdate)
                            .hasMessageContaining("ck_rcs_audit_status").hasMessageNotContaining("has been closed");
                }
            }
        } finally {
            database.stop();
        }
        assertThat(Files.exists(dir.resolve("rcs.mv.db"))).isTrue();
    }
}
