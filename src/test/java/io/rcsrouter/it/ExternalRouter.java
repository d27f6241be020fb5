package io.rcsrouter.it;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import io.rcsrouter.support.Jdbc;
import io.rcsrouter.support.Queues;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.RouterUnderTest;

/**
 * A router running as its own JVM on PostgreSQL and the standalone broker, seen from outside. Its queues carry a
 * prefix ({@code RCS_QUEUE_*}) unique to the test class and run, so that tests sharing the broker never see each
 * other's messages, nor what an earlier run left behind.
 */
public final class ExternalRouter implements RouterUnderTest, AutoCloseable {

    private final RouterProcess process;
    private final String queuePrefix;
    private final java.util.function.Supplier<jakarta.jms.ConnectionFactory> broker;

    public ExternalRouter(RouterProcess process, String queuePrefix) {
        this(process, queuePrefix, ItEnvironment::broker);
    }

    /** A router on a broker of its own (not the suite's shared one). */
    public ExternalRouter(RouterProcess process, String queuePrefix,
            java.util.function.Supplier<jakarta.jms.ConnectionFactory> broker) {
        this.process = process;
        this.queuePrefix = queuePrefix;
        this.broker = broker;
    }

    /** The broker this router uses, for tools that read its queues. */
    public jakarta.jms.ConnectionFactory broker() {
        return broker.get();
    }

    /** A queue's name as this router uses it (with the prefix). */
    public String queue(String name) {
        return queuePrefix + name;
    }

    /** What is on a queue now, not consumed. */
    public List<RouterHarness.Received> browse(String queue) throws Exception {
        return Queues.browse(broker.get(), queuePrefix + queue);
    }

    /** The environment that gives every queue the prefix. */
    public static Map<String, String> queueEnv(String prefix) {
        return Map.of(
                "RCS_QUEUE_INBOUND", prefix + "rcs.inbound",
                "RCS_QUEUE_OPTOUT", prefix + "rcs.compliance.optout",
                "RCS_QUEUE_OPTIN", prefix + "rcs.compliance.optin",
                "RCS_QUEUE_CRM", prefix + "rcs.crm.outbound",
                "RCS_QUEUE_CRM_DLQ", prefix + "rcs.crm.dlq",
                "RCS_QUEUE_DELIVERY", prefix + "rcs.delivery",
                "RCS_QUEUE_UNROUTED", prefix + "rcs.unrouted",
                "RCS_QUEUE_DISPATCH_DLQ", prefix + "rcs.dispatch.dlq");
    }

    public RouterProcess process() {
        return process;
    }

    @Override
    public HttpResponse<String> postCallback(String body, String... headers) throws Exception {
        return process.postCallback(body, headers);
    }

    @Override
    public HttpResponse<String> postTo(String path, String body, String... headers) throws Exception {
        return process.post(path, body, headers);
    }

    @Override
    public Map<String, Object> auditRow(String dedupKey) throws Exception {
        try (Connection c = ItEnvironment.db()) {
            List<Map<String, Object>> rows = Jdbc.query(c, "SELECT * FROM rcs_audit WHERE dedup_key = ?", dedupKey);
            return rows.isEmpty() ? null : rows.get(0);
        }
    }

    public List<Map<String, Object>> query(String sql, Object... params) throws Exception {
        try (Connection c = ItEnvironment.db()) {
            return Jdbc.query(c, sql, params);
        }
    }

    @Override
    public List<RouterHarness.Received> drainNow(String queue) throws Exception {
        return Queues.drainNow(broker.get(), queuePrefix + queue);
    }

    @Override
    public void forgetConsent() throws Exception {
        try (Connection c = ItEnvironment.db(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM rcs_consent_event");
            st.executeUpdate("DELETE FROM rcs_consent");
        }
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
