package io.rcsrouter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.rcsrouter.support.LogCapture;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live editing under load: a saved change of the routing table takes effect without a restart; a broken table, or a
 * broken route file, is refused and the previous version keeps serving; meanwhile every callback of a steady load is
 * answered 200 and routed.
 */
class RouteReloadTest {

    @Test
    void editsTakeEffectBrokenEditsAreRefusedAndTrafficNeverStops() throws Exception {
        Path routes = Files.createTempDirectory("rcs-routes");
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (LogCapture log = LogCapture.onRoot(); RouterHarness router = RouterHarness.start(Map.of("rcs.routes.dir", routes.toString(),
                "rcs.routes.reload", "true"))) {
            // a steady load of delivery reports while the routes are edited
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            Thread load = new Thread(() -> {
                while (running.get()) {
                    int i = sent.incrementAndGet();
                    try {
                        int s = router.postJson("{\"type\":\"DELIVERED\",\"eventId\":\"reload-dr-" + i
                                + "\",\"from\":\"kio_rcs\",\"to\":\"19785580000\",\"messageId\":\"r" + i + "\"}").statusCode();
                        statuses.merge(s, 1, Integer::sum);
                        Thread.sleep(20);
                    } catch (Exception e) {
                        statuses.merge(-1, 1, Integer::sum);
                    }
                }
            }, "load");
            load.start();

            // 1. before: COMPOSING is audit only
            router.postJson(Samples.read("mo/12-composing.json"));
            await().atMost(Duration.ofSeconds(10)).until(() -> "TYPING".equals(route(router)));

            // 2. edit the routing table: send COMPOSING to the CRM (README's example); takes effect without a restart
            Path table = routes.resolve("routing-table.yaml");
            String original = Files.readString(table);
            String edited = original.replace("code: \"4003\",                    to: direct:typing",
                    "code: \"4003\",                    to: direct:crm");
            assertThat(edited).isNotEqualTo(original);
            Files.writeString(table, edited);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                router.postJson(Samples.read("mo/12-composing.json").replace("90e4d680", "90e4d6" + System.nanoTime() % 100));
                return router.query("SELECT 1 FROM rcs_audit WHERE type = 'COMPOSING' AND route = 'CRM'").size() > 0;
            });

            // 3. a broken edit of the table is refused: the previous table keeps serving
            Files.writeString(table, edited + "\n  - this: is: not: valid: [yaml\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> log.events().stream().anyMatch(e ->
                    e.getLevel().toString().equals("WARN")
                            && e.getFormattedMessage().contains("routing-table.yaml")
                            && e.getFormattedMessage().contains("NOT reloaded")));
            String lastComposing = "composing-after-broken";
            router.postJson(Samples.read("mo/12-composing.json").replace("90e4d680", lastComposing));
            await().atMost(Duration.ofSeconds(10)).until(() -> router.query(
                    "SELECT route FROM rcs_audit WHERE message_id LIKE ?", "%" + lastComposing + "%").size() == 1);
            assertThat(router.query("SELECT route FROM rcs_audit WHERE message_id LIKE ?", "%" + lastComposing + "%")
                    .get(0).get("route")).as("the edited table still serves").isEqualTo("CRM");

            // 4. a broken destination route (Camel's own reload) is refused too, and the previous version serves
            Path delivery = routes.resolve("delivery.camel.yaml");
            String deliveryOriginal = Files.readString(delivery);
            Files.writeString(delivery, deliveryOriginal + "\n- route:\n    id: broken\n    from: [not valid\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> log.events().stream().anyMatch(e ->
                    e.getLevel().toString().equals("WARN")
                            && e.getFormattedMessage().toLowerCase().contains("delivery.camel.yaml")));
            Files.writeString(delivery, deliveryOriginal);

            // 5. put the original table back: COMPOSING is audit only again
            Files.writeString(table, original);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                String id = "composing-restored-" + System.nanoTime();
                router.postJson(Samples.read("mo/12-composing.json").replace("90e4d680-2a03-4ef2-abf8-013XXXXX4cde", id));
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        !router.query("SELECT route FROM rcs_audit WHERE message_id = ?", id).isEmpty());
                return "TYPING".equals(router.query("SELECT route FROM rcs_audit WHERE message_id = ?", id).get(0)
                        .get("route"));
            });

            running.set(false);
            load.join();
            int total = sent.get();
            assertThat(statuses).as("every callback during the edits was answered 200").containsOnlyKeys(200);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(router.count(
                    "SELECT COUNT(*) FROM rcs_audit WHERE dedup_key LIKE 'event:reload-dr-%' AND status = 'ROUTED'"))
                    .as("and routed").isEqualTo((long) statuses.get(200)));
            System.out.printf("RELOAD: %d callbacks during 5 edits, %s%n", total, statuses);
        }
    }

    private static String route(RouterHarness router) throws Exception {
        var rows = router.query("SELECT route FROM rcs_audit WHERE type = 'COMPOSING'");
        return rows.isEmpty() ? null : (String) rows.get(0).get("route");
    }
}
