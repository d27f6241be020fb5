package io.rcsrouter.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.jms.JMSException;

import io.rcsrouter.infra.BrokerProbe;
import io.rcsrouter.infra.EngineConfiguration;
import io.rcsrouter.infra.InfraConfiguration;
import io.rcsrouter.infra.JolokiaAccessCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The whole router, started in this JVM the way {@code RouterMain} starts it (camel-main, the YAML routes of
 * {@code routes/}, the real HTTP server), on a free port with its own data folder: embedded Artemis and H2 unless
 * the overrides point elsewhere. Tests talk to it only from outside: HTTP in, queues, database and CRM out.
 */
public final class RouterHarness implements RouterUnderTest, AutoCloseable {

    private final Main main;
    private final int port;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RouterHarness(Main main, int port, Path dataDir) {
        this.main = main;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts a router with the given settings on top of the test defaults. */
    public static RouterHarness start(Map<String, String> overrides) throws Exception {
        Path dataDir = Files.createTempDirectory("rcs-router-test");
        return start(overrides, dataDir);
    }

    public static RouterHarness start(Map<String, String> overrides, Path dataDir) throws Exception {
        int port = freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("rcs.http.port", String.valueOf(port));
        props.put("rcs.management.port", String.valueOf(freePort()));
        props.put("rcs.data.dir", dataDir.toString());
        props.put("rcs.routes.reload", "false");
        props.put("rcs.db.startup-wait-seconds", "10");
        props.putAll(overrides);
        Main main = new Main();
        main.configure().addConfiguration(InfraConfiguration.class);
        main.configure().addConfiguration(EngineConfiguration.class);
        main.configure().addConfiguration(JolokiaAccessCheck.class);
        props.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception | Error e) {
            // a router that failed half-way must not leave its broker, database or ports behind for the next test
            main.stop();
            throw e;
        }
        RouterHarness h = new RouterHarness(main, props.containsKey("rcs.http.port")
                ? Integer.parseInt(props.get("rcs.http.port")) : port, dataDir);
        return h;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** POSTs a body with the given Content-Type (null: none) and extra headers (name, value, name, value...). */
    public HttpResponse<String> post(String path, String body, String contentType, String... headers)
            throws IOException, InterruptedException {
        return post(path, (body == null ? "" : body).getBytes(StandardCharsets.UTF_8), contentType, headers);
    }

    /** POSTs raw bytes (for bodies a String cannot hold, such as invalid UTF-8), Content-Type as in the other post. */
    public HttpResponse<String> post(String path, byte[] body, String contentType, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public HttpResponse<String> postCallback(String body, String... headers) throws Exception {
        return postJson(body, headers);
    }

    @Override
    public HttpResponse<String> postTo(String path, String body, String... headers) throws Exception {
        return post(path, body, "application/json", headers);
    }

    @Override
    public void forgetConsent() throws SQLException {
        try (java.sql.Connection c = dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM rcs_consent_event");
            st.executeUpdate("DELETE FROM rcs_consent");
        }
    }

    public HttpResponse<String> postJson(String body, String... headers) throws IOException, InterruptedException {
        return post("/callbacks/rcs", body, "application/json", headers);
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET on the management port (health, metrics), e.g. {@code management("/observe/health/ready")}. */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        String port = context().getPropertiesComponent().resolveProperty("rcs.management.port").orElseThrow();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public DataSource dataSource() {
        return context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    /** Runs a query and returns its rows as column-name -> value maps (column names lower case). */
    public List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
        try (java.sql.Connection c = dataSource().getConnection()) {
            return Jdbc.query(c, sql, params);
        }
    }

    public long count(String sql, Object... params) throws SQLException {
        return ((Number) query(sql, params).get(0).values().iterator().next()).longValue();
    }

    /** Takes every message now on a queue (waiting up to {@code wait} for the first), as text bodies with properties. */
    public List<Received> drain(String queue, Duration wait) throws JMSException {
        return Queues.drain(context().getRegistry().lookupByNameAndType(BrokerProbe.BEAN_NAME, BrokerProbe.class)
                .factory(), queue, wait);
    }

    @Override
    public List<Received> drainNow(String queue) throws JMSException {
        return Queues.drainNow(context().getRegistry().lookupByNameAndType(BrokerProbe.BEAN_NAME, BrokerProbe.class)
                .factory(), queue);
    }

    /** The audit row of an event, by its dedup key; null when there is none. */
    @Override
    public Map<String, Object> auditRow(String dedupKey) throws SQLException {
        List<Map<String, Object>> rows = query("SELECT * FROM rcs_audit WHERE dedup_key = ?", dedupKey);
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }

    /** A message taken off a queue: its text body, its JMS properties, and whether it was sent persistent. */
    public record Received(String body, Map<String, Object> properties, boolean persistent) {
    }

    /** The raw connection factory of the router's broker, for tools that read queues. */
    public jakarta.jms.ConnectionFactory brokerFactory() {
        return context().getRegistry().lookupByNameAndType(BrokerProbe.BEAN_NAME, BrokerProbe.class).factory();
    }

    /** What is on a queue now, not consumed. */
    public List<Received> browse(String queue) throws JMSException {
        return Queues.browse(brokerFactory(), queue);
    }

    /** Waits until the router has finished with everything on the queues it consumes (see {@link QueueStats}). */
    public void awaitSettled(Duration atMost, long minAdded, String... queues) {
        QueueStats.awaitSettled(brokerFactory(), atMost, minAdded, queues);
    }
}
