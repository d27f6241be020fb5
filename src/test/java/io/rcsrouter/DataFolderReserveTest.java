package io.rcsrouter;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.engine.RcsComponent;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.LogCapture;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A data folder below its reserve, seen from outside: the callback is answered 503 with Retry-After and is not
 * stored, the log names the event and the folder, readiness is DOWN with the figures. The reserve here is larger
 * than any disk, so the real embedded broker, H2 and file system are all below it from the start. Filling a real
 * small file system and freeing it again, with the backlog draining afterwards, is {@code FullDiskIT}.
 */
class DataFolderReserveTest {

    @Test
    void belowTheReserveACallbackIsAnswered503NotStoredAndReadinessNamesTheDataFolder() throws Exception {
        int managementPort = RouterHarness.freePort();
        try (LogCapture logs = LogCapture.onRoot();
                RouterHarness router = RouterHarness.start(Map.of(
                        "rcs.management.port", String.valueOf(managementPort),
                        "rcs.data.min-free-bytes", String.valueOf(1L << 60)))) {
            HttpResponse<String> refused = router.postJson(Callbacks.deliveryReport("reserve-1", "19785570001"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).isEqualTo("{\"error\":\"the router's storage is full; retry later\"}");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
            String folder = router.dataDir().toString();
            assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .startsWith("Callback event:reserve-1 NOT stored, answered 503: data folder " + folder
                            + " is almost full: ")
                    .endsWith(" MiB free, below the reserve of 1099511627776.0 MiB (rcs.data.min-free-bytes)"));

            HttpResponse<String> ready = router.management("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode storage = new ObjectMapper().readTree(ready.body()).path("checks").get(0);
            assertThat(storage.path("name").asText()).isEqualTo("storage");
            // (Camel's health endpoint writes each "/" of a message as "\/")
            assertThat(storage.path("message").asText()).startsWith("storage not ready: data folder ")
                    .contains(router.dataDir().getFileName() + " is almost full: ");

            assertThat(router.drain("rcs.inbound", Duration.ofSeconds(2))).as("nothing stored").isEmpty();
            assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE dedup_key = 'event:reserve-1'")).isZero();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    MetricsTest.value(MetricsTest.scrape(managementPort), "rcs_ready")).isEqualTo(0));
        }
    }

    @Test
    void dispatchTakesNoBatchWhileTheStoresMayNotGrowAndDrainsOnceTheyMay() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of())) {
            RcsComponent rcs = router.context().getComponent("rcs", RcsComponent.class);
            AtomicBoolean room = new AtomicBoolean(false);
            rcs.setRoomToWrite(room::get);
            Thread.sleep(1_000); // a receive already waiting (500 ms at most) is a batch in flight: let it end
            // ingress asks the data folder itself (there is room): the callback is stored, dispatch leaves it there
            assertThat(router.postJson(Callbacks.deliveryReport("reserve-2", "19785570002")).statusCode())
                    .isEqualTo(200);
            Thread.sleep(1_500);
            assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE dedup_key = 'event:reserve-2'"))
                    .as("not dispatched while the stores may not grow").isZero();
            assertThat(router.drain("rcs.delivery", Duration.ofMillis(200))).isEmpty();

            room.set(true);
            assertThat(router.drain("rcs.delivery", Duration.ofSeconds(10))).singleElement()
                    .satisfies(m -> assertThat(m.body()).contains("reserve-2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> router.count(
                    "SELECT COUNT(*) FROM rcs_audit WHERE dedup_key = 'event:reserve-2' AND status = 'ROUTED'") == 1);
        }
    }
}
