package io.rcsrouter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kaleyra retries: the same event delivered again is answered "duplicate" once its original is audited, counted on
 * the original row, and never routed twice, also when the copies arrive at the same moment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuplicateDeliveryTest {

    RouterHarness router;

    @BeforeAll
    void start() throws Exception {
        router = RouterHarness.start(Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        router.close();
    }

    @Test
    void repeatAfterTheOriginalIsAuditedIsAnsweredDuplicateAndCounted() throws Exception {
        String body = Samples.read("dr/02-delivered.json");
        String key = "event:MxD3l1v000000000000002";
        assertThat(router.postJson(body).body()).isEqualTo("{\"status\":\"accepted\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> router.auditRow(key) != null
                && "ROUTED".equals(router.auditRow(key).get("status")));

        assertThat(router.postJson(body).body()).isEqualTo("{\"status\":\"duplicate\"}");
        assertThat(router.postJson(body).body()).isEqualTo("{\"status\":\"duplicate\"}");

        // dispatch counts each repeat on the original row (in its own transaction), and routes none
        router.awaitSettled(Duration.ofSeconds(15), 3, "rcs.inbound");
        assertThat(router.auditRow(key).get("duplicates")).isEqualTo(2);
        assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE dedup_key = ?", key)).isEqualTo(1);
        assertThat(router.drain("rcs.delivery", Duration.ofSeconds(2)))
                .filteredOn(m -> key.equals(m.properties().get("rcsDedupKey"))).hasSize(1);
    }

    @Test
    void eventWithoutEventIdIsKeyedByMessageIdAndType() throws Exception {
        Instant t = Instant.parse("2026-04-20T09:00:00Z");
        String unsubscribe = Callbacks.consentEvent("UNSUBSCRIBE", "dup-msg-1", "+19785550301", t);
        String subscribeSameMessageId = Callbacks.consentEvent("SUBSCRIBE", "dup-msg-1", "+19785550301",
                t.plusSeconds(60));
        router.postJson(unsubscribe);
        router.postJson(subscribeSameMessageId); // same messageId, other type: a different event
        await().atMost(Duration.ofSeconds(10)).until(() ->
                router.count("SELECT COUNT(*) FROM rcs_audit WHERE message_id = 'dup-msg-1' AND status = 'ROUTED'") == 2);
        router.postJson(unsubscribe);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(router.auditRow("message:dup-msg-1:UNSUBSCRIBE").get("duplicates")).isEqualTo(1));
        assertThat(router.auditRow("message:dup-msg-1:SUBSCRIBE").get("duplicates")).isEqualTo(0);
    }

    @Test
    void copiesArrivingTogetherAreRoutedOnce() throws Exception {
        String body = Callbacks.text("burst-1", "19785550302", "Is the store open today?");
        String key = "event:burst-1";
        int copies = 12;
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        List<Callable<String>> posts = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            posts.add(() -> router.postJson(body).body());
        }
        List<String> answers = new ArrayList<>();
        for (Future<String> f : pool.invokeAll(posts)) {
            answers.add(f.get());
        }
        pool.shutdown();
        assertThat(answers).allMatch(a -> a.equals("{\"status\":\"accepted\"}") || a.equals("{\"status\":\"duplicate\"}"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, Object> row = router.auditRow(key);
            assertThat(row).isNotNull();
            assertThat(row.get("duplicates")).as("every copy but one counted").isEqualTo(copies - 1);
            assertThat(row.get("status")).isEqualTo("DELIVERED");
        });
        // no CRM configured: the outbox file has exactly one line for this event
        // once dispatch and the CRM forwarder have committed all they took, no further line can appear
        router.awaitSettled(Duration.ofSeconds(30), 1, "rcs.inbound", "rcs.crm.outbound");
        assertThat(outboxLinesWith("burst-1")).isEqualTo(1);
    }

    @Test
    void aBrokerRedeliveryOfAnAuditedEventIsSentOnWithItsBodyIntact() throws Exception {
        // what a crash between the audit insert and the JMS commit leaves: the same stored message (same ingress
        // id) delivered again after its audit row was written; dispatch must route it again, body unchanged
        String body = Samples.read("dr/03-read.json").replace("\"MxR3ad", "\"redelivered-MxR3ad");
        String ingressId = "ingress-redelivery-1";
        var template = router.context().createProducerTemplate();
        for (int i = 0; i < 2; i++) {
            template.sendBodyAndHeaders("jms:queue:rcs.inbound", body, Map.of(
                    "rcsIngressId", ingressId, "rcsReceivedAt", Instant.now().toString()));
        }
        List<RouterHarness.Received> sent = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            sent.addAll(router.drainNow("rcs.delivery"));
            assertThat(sent).filteredOn(m -> m.body().contains("redelivered-")).hasSize(2);
        });
        assertThat(sent).filteredOn(m -> m.body().contains("redelivered-")).allSatisfy(m ->
                assertThat(m.body()).isEqualTo(body));
        Map<String, Object> row = router.query("SELECT * FROM rcs_audit WHERE event_id LIKE 'redelivered-%'").get(0);
        assertThat(row.get("status")).isEqualTo("ROUTED");
        assertThat(row.get("duplicates")).as("a redelivery is not a repeat").isEqualTo(0);
        assertThat(router.drainNow("rcs.dispatch.dlq")).isEmpty();
    }

    private long outboxLinesWith(String text) throws Exception {
        var file = router.dataDir().resolve("crm-outbox.jsonl");
        if (!java.nio.file.Files.exists(file)) {
            return 0;
        }
        return java.nio.file.Files.readAllLines(file).stream().filter(l -> l.contains("\"" + text + "\"")).count();
    }
}
