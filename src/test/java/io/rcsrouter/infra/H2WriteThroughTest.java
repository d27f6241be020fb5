package io.rcsrouter.infra;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What H2WriteThrough promises, against a real process crash: a child JVM commits through it (transactions, and
 * auto-commit statements, on H2's default WRITE_DELAY of 500 ms) and halts the instant the last commit returns,
 * without closing anything, as a SIGKILL would; every committed row is in the file afterwards. Queries add no
 * checkpoint.
 */
class H2WriteThroughTest {

    static String url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("wt") + ";DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
    }

    @Test
    void everyCommitIsInTheFileWhenTheProcessDiesTheInstantItReturns(@TempDir Path dir) throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CommitThenHalt.class.getName(), url(dir)))
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isEqualTo(137);
        try (Connection c = DriverManager.getConnection(url(dir) + ";IFEXISTS=TRUE", "sa", "");
                ResultSet r = c.createStatement().executeQuery(
                        "SELECT COUNT(*), COUNT(CASE WHEN v = 'updated' THEN 1 END) FROM t")) {
            r.next();
            assertThat(r.getLong(1)).as("rows committed in transactions and in auto-commit").isEqualTo(
                    CommitThenHalt.TRANSACTIONS * 10 + CommitThenHalt.AUTO_COMMITS);
            assertThat(r.getLong(2)).as("the last auto-commit UPDATE").isEqualTo(1);
        }
    }

    @Test
    void aQueryInAutoCommitWritesNothing(@TempDir Path dir) throws Exception {
        try (HikariDataSource pool = pool(dir)) {
            DataSource ds = H2WriteThrough.wrap(pool);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id INT PRIMARY KEY)");
                long before = chunks(c);
                for (int i = 0; i < 20; i++) {
                    try (ResultSet r = st.executeQuery("SELECT COUNT(*) FROM t")) {
                        r.next();
                    }
                    assertThat(st.execute("SELECT 1")).isTrue();
                }
                assertThat(chunks(c)).as("no chunk written for queries").isEqualTo(before);
                st.executeUpdate("INSERT INTO t VALUES (1)");
                assertThat(chunks(c)).as("an auto-commit INSERT is written at once").isGreaterThan(before);
                assertThat(st.getConnection()).isSameAs(c);
                assertThat(c.unwrap(Connection.class)).isSameAs(c);
            }
        }
    }

    /** Chunks H2 has written so far (each store commit writes one). */
    private static long chunks(Connection c) throws Exception {
        try (ResultSet r = c.createStatement().executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CHUNK_COUNT'")) {
            return r.next() ? Long.parseLong(r.getString(1)) : -1;
        }
    }

    static HikariDataSource pool(Path dir) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(dir));
        config.setUsername("sa");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    /** The child: commits through H2WriteThrough, then halts at once (no shutdown hook, nothing closed). */
    public static final class CommitThenHalt {
        static final int TRANSACTIONS = 30;
        static final int AUTO_COMMITS = 5;

        public static void main(String[] args) throws Exception {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(args[0]);
            config.setUsername("sa");
            DataSource ds = H2WriteThrough.wrap(new HikariDataSource(config));
            try (Connection c = ds.getConnection()) {
                c.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
                c.setAutoCommit(false);
                int id = 0;
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO t VALUES (?, 'x')")) {
                    for (int t = 0; t < TRANSACTIONS; t++) {
                        for (int i = 0; i < 10; i++) {
                            ins.setInt(1, id++);
                            ins.addBatch();
                        }
                        ins.executeBatch();
                        c.commit();
                    }
                }
                c.setAutoCommit(true);
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO t VALUES (?, 'y')")) {
                    for (int i = 0; i < AUTO_COMMITS; i++) {
                        ins.setInt(1, id++);
                        ins.executeUpdate();
                    }
                }
                c.createStatement().execute("UPDATE t SET v = 'updated' WHERE id = " + (id - 1));
            }
            Runtime.getRuntime().halt(137);
        }
    }
}
