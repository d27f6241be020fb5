package io.rcsrouter.infra;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ServiceLoader;

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
    /** What the router uses: the pools, with every commit written through to an embedded H2 file (H2WriteThrough). */
    private final DataSource exposed;
    private final DataSource exposedFast;
    private final Duration startupWait;
    /** How long readiness waits for its write. */
    static final Duration PROBE_DEADLINE = Duration.ofSeconds(2);
    private final java.util.concurrent.ExecutorService probes = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "database-readiness-probe");
                t.setDaemon(true);
                return t;
            });
    private volatile java.util.concurrent.Future<?> probe;

    public Database(String url, String user, String password, int poolSize, Duration startupWait) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("rcs-db");
        config.setJdbcUrl(url);
        // DriverManager finds drivers through the system class loader; under `camel run` (docs/camel-run.md) the
        // router's jars, the drivers among them, are in a class loader of their own ("No suitable driver")
        String driver = driverFor(url);
        if (driver != null) {
            config.setDriverClassName(driver);
        }
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
        if (url.startsWith("jdbc:postgresql:")) {
            // PostgreSQL plans each execution with its values. The JDBC driver prepares a statement on the server
            // after five runs, and the generic plan PostgreSQL then keeps was far slower: 200 ms instead of 2 ms for
            // the audit claim of 300 keys when it was an IN list (bench/RESULTS.md, "pg alone"), and with the keys
            // as one array (= ANY) dispatch still took 0.44 s per batch on tables not yet analyzed (section 0f)
            config.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
            // a dispatch batch's audit rows go to the server as multi-row INSERTs instead of one execution each
            // (bench/RESULTS.md 0d, "pg alone": 24,780 -> 30,160 events/s); a URL that sets it decides
            if (!url.toLowerCase(java.util.Locale.ROOT).contains("rewritebatchedinserts")) {
                config.addDataSourceProperty("reWriteBatchedInserts", "true");
            }
        }
        if (url.startsWith("jdbc:h2:")) {
            h2WithoutValueCache();
        }
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
        boolean h2File = url.startsWith("jdbc:h2:file:");
        this.exposed = h2File ? H2WriteThrough.wrap(dataSource) : dataSource;
        this.exposedFast = h2File ? H2WriteThrough.wrap(fastDataSource) : fastDataSource;
        this.startupWait = startupWait;
    }

    /**
     * H2 looks every value it is given up in one shared cache ({@code h2.objectCache}, on by default), hashing and
     * comparing each string: for the audit's payloads, which are never the same twice, 9% of dispatch's time
     * (bench/RESULTS.md, section 0b). Off, unless the JVM was started with the property; it must be set before H2
     * reads its settings, on the first connection.
     */
    static void h2WithoutValueCache() {
        if (System.getProperty("h2.objectCache") == null) {
            System.setProperty("h2.objectCache", "false");
        }
    }

    /** The JDBC driver in the router's own class loader that takes this URL, or null (left to DriverManager). */
    static String driverFor(String url) {
        for (Driver driver : ServiceLoader.load(Driver.class, Database.class.getClassLoader())) {
            try {
                if (driver.acceptsURL(url)) {
                    return driver.getClass().getName();
                }
            } catch (SQLException e) {
                // not this one
            }
        }
        return null;
    }

    /** The pool for the callback path's duplicate check: small, and quick to give up. */
    public DataSource fastDataSource() {
        return exposedFast;
    }

    public DataSource dataSource() {
        return exposed;
    }

    @Override
    protected void doStart() throws Exception {
        waitUntilReachable();
        // the migrations are resources of the router's jar: found through its class loader, not the thread's (which
        // under `camel run` does not see the jar: "No migrations found", and no schema)
        var result = Flyway.configure(Database.class.getClassLoader())
                .dataSource(exposed)
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

    /**
     * Readiness: a real write (the heartbeat row) on a connection of the pool dispatch uses, finished within
     * {@link #PROBE_DEADLINE}. A database that is closed, read-only or unreachable fails the write; one that hangs
     * (frozen, locked) does not answer in time. Either way this throws, saying which. The write runs on its own
     * thread and is never interrupted: interrupting a thread inside an embedded H2 call closes H2's file. While an
     * earlier probe is still waiting, the next one reports that instead of starting another.
     */
    public void check() throws Exception {
        java.util.concurrent.Future<?> running = probe;
        if (running != null && !running.isDone()) {
            throw new SQLException("the database has not answered a write for more than " + PROBE_DEADLINE.toSeconds()
                    + " s");
        }
        java.util.concurrent.Future<?> next = probes.submit(() -> {
            try (Connection c = dataSource.getConnection();
                    java.sql.PreparedStatement ps = c.prepareStatement(
                            "UPDATE rcs_heartbeat SET beat_at = CURRENT_TIMESTAMP WHERE id = 1")) {
                ps.setQueryTimeout((int) PROBE_DEADLINE.toSeconds());
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("the heartbeat row is missing (rcs_heartbeat)");
                }
            }
            return null;
        });
        probe = next;
        try {
            next.get(PROBE_DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new SQLException("the database did not answer a write within " + PROBE_DEADLINE.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
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
        probes.shutdown();
        fastDataSource.close();
        dataSource.close();
    }
}
