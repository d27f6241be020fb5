package io.rcsrouter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Without RCS_CRM_URL, CRM-bound events become JSON lines in ./data/crm-outbox.jsonl: one per event, each valid. */
class CrmOutboxTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void concurrentRepliesBecomeOneValidLineEach() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.crm.consumers", "4"))) {
            int n = 60;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int i = 0; i < n; i++) {
                int id = i;
                pool.submit(() -> router.postJson(Callbacks.text("outbox-" + id, "1978555" + (1000 + id),
                        "line " + id + " with \"quotes\"\nand a newline")));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            Path file = router.dataDir().resolve("crm-outbox.jsonl");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'DELIVERED'")).isEqualTo(n));
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(n);
            Set<String> ids = new HashSet<>();
            for (String line : lines) {
                JsonNode req = JSON.readTree(line);
                ids.add(req.get("eventId").asText());
                assertThat(req.get("text").asText()).endsWith("with \"quotes\"\nand a newline");
                assertThat(req.get("kind").asText()).isEqualTo("TEXT");
            }
            assertThat(ids).hasSize(n);
        }
    }
}
