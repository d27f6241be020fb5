package io.rcsrouter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded H2 database closes underneath the running router (SHUTDOWN, as H2 does itself after an internal
 * error), and stays unavailable for a while: another process holds its file. The pooled connections then point at a
 * closed database. The router must treat that as "database unavailable": readiness DOWN, naming the database, while
 * callbacks are still accepted, fast (the broker holds them); once the database can be opened again, fresh
 * connections open it, readiness is UP and every event is audited and routed, none parked as a poison message.
 */
class DatabaseClosedTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessIsDownWhileTheEmbeddedDatabaseIsClosedAndEverythingIsRoutedWhenItIsBack() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of())) {
            assertThat(router.postJson(Callbacks.deliveryReport("closed-0", "19785580000")).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    router.count("SELECT COUNT(*) FROM rcs_audit WHERE dedup_key = 'event:closed-0'") == 1);
            assertThat(router.drain("rcs.delivery", Duration.ofSeconds(5))).hasSize(1);
            assertThat(ready(router).statusCode()).isEqualTo(200);

            // closed underneath the router: the pool drops the dead connections and opens the database again
            Connection c = router.dataSource().getConnection();
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
            try {
                c.close();
            } catch (SQLException closedWithTheDatabase) {
                // expected: the connection went with the database
            }
            assertThat(router.postJson(Callbacks.deliveryReport("closed-1", "19785580000")).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> router.count(
                    "SELECT COUNT(*) FROM rcs_audit WHERE dedup_key = 'event:closed-1' AND status = 'ROUTED'") == 1);
            assertThat(ready(router).statusCode()).isEqualTo(200);

            // then unavailable for a while: another session takes it exclusively (new connections are refused,
            // the others wait), as a database that cannot be opened. The callbacks are stored first (the ingress
            // duplicate check has its own test of a slow database), dispatch then meets the database away.
            router.context().getRouteController().stopRoute("dispatch");
            for (int i = 2; i <= 5; i++) {
                assertThat(router.postJson(Callbacks.deliveryReport("closed-" + i, "19785580000")).statusCode())
                        .isEqualTo(200);
            }
            Connection exclusive = DriverManager.getConnection("jdbc:h2:file:" + router.dataDir().resolve("rcs")
                    + ";DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
            try (Statement s = exclusive.createStatement()) {
                s.execute("SET EXCLUSIVE 1");
                router.context().getRouteController().startRoute("dispatch");
                long t0 = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> ready(router).statusCode() == 503);
                System.out.printf("readiness DOWN %d ms after asking%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                assertThat(ready(router).body()).contains("database");
                // a database that hangs does not hold a callback up: the duplicate check has a deadline, the
                // event waits on the broker
                for (int i = 6; i <= 8; i++) {
                    long t1 = System.nanoTime();
                    assertThat(router.postJson(Callbacks.deliveryReport("closed-" + i, "19785580000")).statusCode())
                            .as("accepted while the database hangs").isEqualTo(200);
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1)).as("answered in ms")
                            .isLessThan(1_500);
                }
                // (asked on the exclusive session: the router's sessions wait)
                try (var rs = s.executeQuery("SELECT COUNT(*) FROM rcs_audit WHERE dedup_key LIKE 'event:closed-%'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("nothing dispatched meanwhile").isEqualTo(2);
                }
                s.execute("SET EXCLUSIVE 0");
            } finally {
                exclusive.close();
            }
            // the database is back: the router carries on by itself
            await().atMost(Duration.ofSeconds(60)).until(() -> ready(router).statusCode() == 200);
            await().atMost(Duration.ofSeconds(60)).until(() -> router.count(
                    "SELECT COUNT(*) FROM rcs_audit WHERE dedup_key LIKE 'event:closed-%' AND status = 'ROUTED'") == 9);
            assertThat(router.drain("rcs.delivery", Duration.ofSeconds(10))).hasSize(8);
            assertThat(router.drainNow("rcs.dispatch.dlq")).as("nothing parked as a poison event").isEmpty();
        }
    }

    private HttpResponse<String> ready(RouterHarness router) throws Exception {
        String port = router.context().getPropertiesComponent().resolveProperty("rcs.management.port").orElseThrow();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
