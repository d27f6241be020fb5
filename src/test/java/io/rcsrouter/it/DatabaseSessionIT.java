package io.rcsrouter.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import io.rcsrouter.infra.Database;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, both of the router's pools plan each statement with its values (plan_cache_mode
 * force_custom_plan): the audit claim and the ingress duplicate check ask for a batch of keys at once, and the
 * generic plan PostgreSQL keeps for a server-prepared statement took a hundred times longer (bench/RESULTS.md).
 * A batch of INSERTs (a dispatch batch's audit rows) goes to the server as multi-row INSERTs.
 */
class DatabaseSessionIT {

    @Test
    void everyConnectionPlansWithItsValues() throws Exception {
        Database db = started();
        try {
            assertThat(planCacheMode(db.dataSource())).isEqualTo("force_custom_plan");
            assertThat(planCacheMode(db.fastDataSource())).isEqualTo("force_custom_plan");
        } finally {
            db.stop();
        }
    }

    @Test
    void aBatchOfInsertsGoesAsMultiRowInserts() throws Exception {
        Database db = started();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE batch_probe (x INTEGER)");
            try (var ps = c.prepareStatement("INSERT INTO batch_probe (x) VALUES (?)")) {
                for (int i = 0; i < 4; i++) {
                    ps.setInt(1, i);
                    ps.addBatch();
                }
                // a rewritten batch reports no count per row; one execution per row would report 1 each
                assertThat(ps.executeBatch()).containsOnly(Statement.SUCCESS_NO_INFO);
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM batch_probe")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(4);
            }
        } finally {
            db.stop();
        }
    }

    /** The router's database on the suite's PostgreSQL, started (its migrations run). */
    private static Database started() {
        Database db = new Database(ItEnvironment.dbUrl(), ItEnvironment.dbUser(), ItEnvironment.dbPassword(), 2,
                Duration.ofSeconds(30));
        db.start();
        return db;
    }

    private static String planCacheMode(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW plan_cache_mode")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
