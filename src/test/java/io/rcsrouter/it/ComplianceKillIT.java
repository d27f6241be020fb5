package io.rcsrouter.it;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.QueueStats;
import io.rcsrouter.support.TcpProxy;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGKILL between dispatch's two commits: its database transaction (the consent ledger's verdict, the audit row)
 * is committed, its JMS transaction (the consumed callback, the compliance message) is not. After a restart the
 * compliance message is on its queue, once: the broker delivers the callback again, the audit claim recognises it as
 * a redelivery and the ledger answers with its earlier verdict. To land the kill in that window, a PostgreSQL
 * trigger holds dispatch inside its database work while the test freezes the broker connection (TcpProxy), so that
 * the JMS commit that follows the database commit cannot complete.
 */
class ComplianceKillIT {

    static final String PREFIX = "it-kill-" + System.currentTimeMillis() + ".";
    static final Instant T = Instant.parse("2026-04-20T09:01:28.667Z");

    @AfterEach
    void removeTrigger() throws Exception {
        try (Connection c = ItEnvironment.db(); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER IF EXISTS rcs_hold ON rcs_audit");
            st.execute("DROP FUNCTION IF EXISTS rcs_hold()");
        }
    }

    @Test
    void killedBetweenTheDatabaseCommitAndTheJmsCommitTheMessageArrivesOnceAfterRestart() throws Exception {
        ItEnvironment.truncateTables();
        var env = new java.util.HashMap<>(ExternalRouter.queueEnv(PREFIX));
        TcpProxy broker = new TcpProxy("127.0.0.1", ItEnvironment.brokerPort());
        env.put("RCS_BROKER_URL", ItEnvironment.brokerUrlVia(broker.port()));
        ExternalRouter router = new ExternalRouter(RouterProcess.start("kill-1", env), PREFIX);
        // a first opt-out, routed and committed: dispatch's connection knows the compliance queue from then on, so
        // its sends need no answer from the broker, only its commit does
        assertThat(router.postCallback(Callbacks.text("kill-0", "19785559900", "STOP", T)).statusCode()).isEqualTo(200);
        QueueStats.awaitSettled(router.broker(), Duration.ofSeconds(30), 1, router.queue("rcs.inbound"));
        assertThat(router.drainNow("rcs.compliance.optout")).hasSize(1);
        try (Connection c = ItEnvironment.db(); Statement st = c.createStatement()) {
            // holds dispatch (inside its database transaction, before either commit) for a few seconds
            st.execute("""
                    CREATE FUNCTION rcs_hold() RETURNS trigger AS $$
                    BEGIN
                      IF NEW.message_id = 'msg-kill-1' THEN PERFORM pg_sleep(4); END IF;
                      RETURN NEW;
                    END $$ LANGUAGE plpgsql""");
            st.execute("CREATE TRIGGER rcs_hold BEFORE INSERT OR UPDATE ON rcs_audit FOR EACH ROW"
                    + " EXECUTE FUNCTION rcs_hold()");
        }
        try {
            assertThat(router.postCallback(Callbacks.text("kill-1", "19785559901", "STOP", T)).statusCode())
                    .isEqualTo(200);
            // dispatch is in its database work: from now on nothing reaches the broker, so its JMS commit hangs
            await().atMost(Duration.ofSeconds(30)).until(() -> !router.query(
                    "SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep'").isEmpty());
            broker.freeze();
            // the database commit is through (the ledger's verdict is visible to others): dispatch now waits on the
            // broker for its JMS commit, the window a crash must not widen
            await().atMost(Duration.ofSeconds(30)).until(() -> !router.query(
                    "SELECT 1 FROM rcs_consent_event WHERE message_id = 'msg-kill-1'").isEmpty());
            assertThat(router.query("SELECT status FROM rcs_audit WHERE message_id = 'msg-kill-1'"))
                    .extracting(r -> r.get("status")).containsExactly("ROUTED");
            router.process().kill();
        } finally {
            broker.close(); // the broker sees the killed router's connection go: its transaction rolls back
            removeTrigger();
        }
        assertThat(router.drainNow("rcs.compliance.optout")).as("nothing of the killed attempt committed").isEmpty();

        env.put("RCS_BROKER_URL", ItEnvironment.brokerUrl());
        try (ExternalRouter restarted = new ExternalRouter(RouterProcess.start("kill-2", env), PREFIX)) {
            List<RouterHarness.Received> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                got.addAll(restarted.drainNow("rcs.compliance.optout"));
                assertThat(got).hasSize(1);
            });
            // once dispatch has committed everything it took, a second copy can no longer appear
            QueueStats.awaitSettled(restarted.broker(), Duration.ofSeconds(30), 1, restarted.queue("rcs.inbound"));
            got.addAll(restarted.drainNow("rcs.compliance.optout"));
            assertThat(got).as("exactly once").hasSize(1);
            assertThat(got.get(0).body()).contains("\"msisdn\":\"19785559901\"");
            assertThat(restarted.auditRow("event:kill-1").get("status")).isEqualTo("ROUTED");
            assertThat(restarted.query("SELECT outcome FROM rcs_consent_event WHERE message_id = 'msg-kill-1'"))
                    .extracting(r -> r.get("outcome")).containsExactly("CHANGED");
        }
    }
}
