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
 */
class DatabaseSessionIT {

    @Test
    void everyConnectionPlansWithItsValues() throws Exception {
        Database db = new Database(ItEnvironment.dbUrl(), ItEnvironment.dbUser(), ItEnvironment.dbPassword(), 2,
                Duration.ofSeconds(30));
        db.start();
        try {
            assertThat(planCacheMode(db.dataSource())).isEqualTo("force_custom_plan");
            assertThat(planCacheMode(db.fastDataSource())).isEqualTo("force_custom_plan");
        } finally {
            db.stop();
        }
    }

    private static String planCacheMode(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW plan_cache_mode")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
