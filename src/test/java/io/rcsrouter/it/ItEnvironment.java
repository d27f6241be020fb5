package io.rcsrouter.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Where the real services of the integration suite are, from the environment .ci/run sets. A missing variable is
 * an error, never a skip: the suite exists to run against these services.
 */
public final class ItEnvironment {

    private ItEnvironment() {
    }

    public static String require(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("The integration suite needs " + name
                    + " (run it through .ci/run, which starts PostgreSQL and Artemis and sets RCS_IT_*)");
        }
        return v;
    }

    public static String dbUrl() {
        return require("RCS_IT_DB_URL");
    }

    public static String dbUser() {
        return require("RCS_IT_DB_USER");
    }

    public static String dbPassword() {
        String v = System.getenv("RCS_IT_DB_PASSWORD");
        return v == null ? "" : v;
    }

    public static String brokerUrl() {
        return require("RCS_IT_BROKER_URL");
    }

    public static String brokerUser() {
        return require("RCS_IT_BROKER_USER");
    }

    public static String brokerPassword() {
        return require("RCS_IT_BROKER_PASSWORD");
    }

    /** The database URL with its host and port replaced by 127.0.0.1:{@code port} (a {@code TcpProxy}). */
    public static String dbUrlVia(int port) {
        return dbUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
    }

    /** The broker URL with its host and port replaced by 127.0.0.1:{@code port}. */
    public static String brokerUrlVia(int port) {
        return brokerUrl().replaceFirst("//[^:/?]+:\\d+", "//127.0.0.1:" + port);
    }

    public static int dbPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("//[^:/]+:(\\d+)/").matcher(dbUrl());
        return m.find() ? Integer.parseInt(m.group(1)) : 5432;
    }

    public static int brokerPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("//[^:/]+:(\\d+)").matcher(brokerUrl());
        if (!m.find()) {
            throw new IllegalStateException("RCS_IT_BROKER_URL has no port: " + brokerUrl());
        }
        return Integer.parseInt(m.group(1));
    }

    public static Connection db() throws SQLException {
        return DriverManager.getConnection(dbUrl(), dbUser(), dbPassword());
    }

    public static ConnectionFactory broker() {
        return new ActiveMQConnectionFactory(brokerUrl(), brokerUser(), brokerPassword());
    }

    /** Empties the router's tables (if Flyway already created them) so that a test class starts from zero. */
    public static void truncateTables() throws SQLException {
        try (Connection c = db(); Statement st = c.createStatement()) {
            var tables = c.getMetaData().getTables(null, null, "rcs_%", new String[] {"TABLE"});
            boolean any = false;
            while (tables.next()) {
                any = true;
            }
            if (any) {
                st.executeUpdate("TRUNCATE rcs_audit, rcs_consent, rcs_consent_event");
            }
        }
    }
}
