package io.rcsrouter.it;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.QueueStats;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGKILL between the consent-ledger commit and the JMS commit: after a restart the compliance message is on its
 * queue, once. A PostgreSQL trigger holds dispatch in the audit update that follows the ledger commit and the
 * compliance send, so the kill lands exactly in that window.
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
    void killedBetweenLedgerAndJmsCommitTheMessageArrivesOnceAfterRestart() throws Exception {
        ItEnvironment.truncateTables();
        var env = ExternalRouter.queueEnv(PREFIX);
        ExternalRouter router = new ExternalRouter(RouterProcess.start("kill-1", env), PREFIX);
        try (Connection c = ItEnvironment.db(); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE FUNCTION rcs_hold() RETURNS trigger AS $$
                    BEGIN
                      IF NEW.status = 'ROUTED' AND NEW.message_id = 'msg-kill-1' THEN PERFORM pg_sleep(120); END IF;
                      RETURN NEW;
                    END $$ LANGUAGE plpgsql""");
            st.execute("CREATE TRIGGER rcs_hold BEFORE UPDATE ON rcs_audit FOR EACH ROW EXECUTE FUNCTION rcs_hold()");
        }

        assertThat(router.postCallback(Callbacks.text("kill-1", "19785559901", "STOP", T)).statusCode()).isEqualTo(200);
        // the ledger has committed the change, dispatch is now held before its JMS commit
        await().atMost(Duration.ofSeconds(30)).until(() -> !router.query(
                "SELECT 1 FROM rcs_consent_event WHERE message_id = 'msg-kill-1'").isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> !router.query(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep'").isEmpty());
        assertThat(router.drainNow("rcs.compliance.optout")).as("nothing committed yet").isEmpty();

        router.process().kill();
        // the killed JVM's database session still sleeps in the trigger, holding its locks: end it, then the trigger
        router.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep'");
        removeTrigger();

        try (ExternalRouter restarted = new ExternalRouter(RouterProcess.start("kill-2", env), PREFIX)) {
            List<RouterHarness.Received> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                got.addAll(restarted.drainNow("rcs.compliance.optout"));
                assertThat(got).hasSize(1);
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> "ROUTED".equals(
                    restarted.auditRow("event:kill-1").get("status")));
            // once dispatch has committed everything it took, a second copy can no longer appear
            QueueStats.awaitSettled(restarted.broker(), Duration.ofSeconds(30), 1, restarted.queue("rcs.inbound"));
            got.addAll(restarted.drainNow("rcs.compliance.optout"));
            assertThat(got).as("exactly once").hasSize(1);
            assertThat(got.get(0).body()).contains("\"msisdn\":\"19785559901\"");
            assertThat(restarted.query("SELECT outcome FROM rcs_consent_event WHERE message_id = 'msg-kill-1'"))
                    .extracting(r -> r.get("outcome")).containsExactly("CHANGED");
        }
    }
}
