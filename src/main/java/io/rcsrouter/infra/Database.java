package io.rcsrouter.infra;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit and consent database: a connection pool, and the Flyway migrations applied before any route starts.
 * The same migrations run on H2 (the embedded default) and PostgreSQL.
 */
public final class Database extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final HikariDataSource fastDataSource;
    private final Duration startupWait;

    public Database(String url, String user, String password, int poolSize, Duration startupWait) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("rcs-db");
        config.setJdbcUrl(url);
        if (user != null && !user.isBlank()) {
            config.setUsername(user);
        }
        if (password != null && !password.isBlank()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        // fail a request for a connection quickly when the database is gone: routes retry, callers must not hang
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        // start even if the database is down; start() waits for it below
        config.setInitializationFailTimeout(-1);
        // drop connections to a database that was closed underneath them (embedded H2), instead of keeping them
        config.setExceptionOverrideClassName(ClosedDatabaseEviction.class.getName());
        this.dataSource = new HikariDataSource(config);

        // a second, small pool for the one query on the callback path: it gives up on a connection after
        // 500 ms instead of 3 s, and never competes with dispatch for connections
        HikariConfig fast = new HikariConfig();
        config.copyStateTo(fast);
        fast.setPoolName("rcs-db-ingress");
        fast.setMaximumPoolSize(4);
        fast.setConnectionTimeout(500);
        fast.setValidationTimeout(250);
        this.fastDataSource = new HikariDataSource(fast);
        this.startupWait = startupWait;
    }

    /** The pool for the callback path's duplicate check: small, and quick to give up. */
    public DataSource fastDataSource() {
        return fastDataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    protected void doStart() throws Exception {
        waitUntilReachable();
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info("Database ready ({}), schema version {}", describe(), result.targetSchemaVersion != null
                ? result.targetSchemaVersion : "unchanged");
    }

    private void waitUntilReachable() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + startupWait.toNanos();
        SQLException last;
        do {
            try (Connection c = dataSource.getConnection()) {
                return;
            } catch (SQLException e) {
                last = e;
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                LOG.warn("Database {} not reachable yet: {}", describe(), root.getMessage());
                Thread.sleep(1_000);
            }
        } while (System.nanoTime() < deadline);
        throw new SQLException("Database " + describe() + " not reachable within " + startupWait, last);
    }

    /** Throws unless a pooled connection answers within two seconds (readiness). */
    public void check() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(2)) {
                throw new SQLException("connection not valid");
            }
        }
    }

    /** The JDBC URL without credentials, for logs. */
    public String describe() {
        String url = dataSource.getJdbcUrl();
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    protected void doStop() {
        fastDataSource.close();
        dataSource.close();
    }
}
