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
 * Live route editing under load: a saved YAML change takes effect without a restart; a broken file is refused and
 * the previous routes keep serving; meanwhile every callback of a steady load is answered 200 and routed.
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

            // 2. edit: send COMPOSING to the CRM (README's example); takes effect without a restart
            Path dispatch = routes.resolve("dispatch.camel.yaml");
            String original = Files.readString(dispatch);
            String edited = original.replace("constant: TYPING", "constant: CRM");
            assertThat(edited).isNotEqualTo(original);
            Files.writeString(dispatch, edited);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                router.postJson(Samples.read("mo/12-composing.json").replace("90e4d680", "90e4d6" + System.nanoTime() % 100));
                return router.query("SELECT 1 FROM rcs_audit WHERE type = 'COMPOSING' AND route = 'CRM'").size() > 0;
            });

            // 3. a broken edit is refused: the previous version keeps serving
            Files.writeString(dispatch, edited + "\n  - this: is: not: valid: [yaml\n");
            // the reload of the broken file is tried and refused with a WARN that names it
            await().atMost(Duration.ofSeconds(30)).until(() -> log.events().stream().anyMatch(e ->
                    e.getLevel().toString().equals("WARN")
                            && e.getFormattedMessage().toLowerCase().contains("dispatch.camel.yaml")));
            String lastComposing = "composing-after-broken";
            router.postJson(Samples.read("mo/12-composing.json").replace("90e4d680", lastComposing));
            await().atMost(Duration.ofSeconds(10)).until(() -> router.query(
                    "SELECT route FROM rcs_audit WHERE message_id LIKE ?", "%" + lastComposing + "%").size() == 1);
            assertThat(router.query("SELECT route FROM rcs_audit WHERE message_id LIKE ?", "%" + lastComposing + "%")
                    .get(0).get("route")).as("the edited routes still serve").isEqualTo("CRM");

            // 4. put the original back: COMPOSING is audit only again
            Files.writeString(dispatch, original);
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
            System.out.printf("RELOAD: %d callbacks during 3 route edits, %s%n", total, statuses);
        }
    }

    private static String route(RouterHarness router) throws Exception {
        var rows = router.query("SELECT route FROM rcs_audit WHERE type = 'COMPOSING'");
        return rows.isEmpty() ? null : (String) rows.get(0).get("route");
    }
}
