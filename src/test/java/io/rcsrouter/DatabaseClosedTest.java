package io.rcsrouter;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded H2 database closes underneath the router (here: SHUTDOWN; in bench/backlog-rss.sh it closed by
 * itself at 859,104 audit rows). The pooled connections then point at a closed database. The router must treat that
 * as "database unavailable": wait, get fresh connections (which open the database again) and carry on, instead of
 * failing every event as a poison message onto rcs.dispatch.dlq.
 */
class DatabaseClosedTest {

    @Test
    void eventsAreAuditedAndRoutedAfterTheEmbeddedDatabaseClosed() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of())) {
            assertThat(router.postJson(Callbacks.deliveryReport("closed-0", "19785580000")).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    router.count("SELECT COUNT(*) FROM rcs_audit WHERE dedup_key = 'event:closed-0'") == 1);
            assertThat(router.drain("rcs.delivery", Duration.ofSeconds(5))).hasSize(1);

            Connection c = router.dataSource().getConnection();
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
            try {
                c.close();
            } catch (SQLException closedWithTheDatabase) {
                // expected: the connection went with the database
            }

            for (int i = 1; i <= 5; i++) {
                assertThat(router.postJson(Callbacks.deliveryReport("closed-" + i, "19785580000")).statusCode())
                        .isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> router.count(
                    "SELECT COUNT(*) FROM rcs_audit WHERE dedup_key LIKE 'event:closed-%' AND status = 'ROUTED'") == 6);
            assertThat(router.drain("rcs.delivery", Duration.ofSeconds(10))).hasSize(5);
            assertThat(router.drainNow("rcs.dispatch.dlq")).as("nothing parked as a poison event").isEmpty();
        }
    }
}
