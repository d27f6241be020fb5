package io.rcsrouter.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.QueueStats;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two router instances (two JVMs) on one PostgreSQL and one Artemis broker, as in a scaled-out deployment: the
 * UNSUBSCRIBE goes to one instance and its "STOP" to the other at the same moment, and repeats of one event reach
 * both. The compliance queue gets exactly one message per subscriber; a repeat is routed once and counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesComplianceIT {

    static final String PREFIX = "it-two-" + System.currentTimeMillis() + ".";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-04-20T09:01:28.667Z");
    ExternalRouter a;
    ExternalRouter b;

    @BeforeAll
    void start() throws Exception {
        ItEnvironment.truncateTables();
        Map<String, String> env = new HashMap<>(ExternalRouter.queueEnv(PREFIX));
        env.put("RCS_DISPATCH_CONSUMERS", "4");
        a = new ExternalRouter(RouterProcess.start("two-a", env), PREFIX);
        b = new ExternalRouter(RouterProcess.start("two-b", env), PREFIX);
    }

    @AfterAll
    void stop() throws Exception {
        a.close();
        b.close();
    }

    /** Both instances have committed everything they took from the inbound queue they share. */
    private void settled() {
        QueueStats.awaitSettled(a.broker(), Duration.ofSeconds(60), 1, a.queue("rcs.inbound"));
    }

    @Test
    void pairsSplitAcrossInstancesGiveExactlyOneOptOutEach() throws Exception {
        int subscribers = 40;
        List<Callable<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            String msisdn = "1978557" + String.format("%04d", i);
            String unsubscribe = Callbacks.consentEvent("UNSUBSCRIBE", "two-u-" + i, "+" + msisdn, T);
            String stop = Callbacks.text("two-s-" + i, msisdn, "STOP", T.plusMillis(4));
            String again = Callbacks.text("two-r-" + i, msisdn, "stop!", T.plusSeconds(2));
            posts.add(() -> a.postCallback(unsubscribe).statusCode());
            posts.add(() -> b.postCallback(stop).statusCode());
            ExternalRouter either = i % 2 == 0 ? a : b;
            posts.add(() -> either.postCallback(again).statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        for (Future<Integer> f : pool.invokeAll(posts)) {
            assertThat(f.get()).isEqualTo(200);
        }
        pool.shutdown();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(a.query(
                "SELECT COUNT(*) AS n FROM rcs_audit WHERE status = 'ROUTED' AND route = 'OPT_OUT'"
                        + " AND msisdn LIKE '1978557%'").get(0).get("n"))
                .isEqualTo((long) subscribers * 3));
        settled();
        List<RouterHarness.Received> messages = a.drainNow("rcs.compliance.optout").stream()
                .filter(m -> m.body().contains("\"msisdn\":\"1978557")).toList();
        Map<String, Integer> perSubscriber = new HashMap<>();
        for (RouterHarness.Received m : messages) {
            perSubscriber.merge(JSON.readTree(m.body()).get("msisdn").asText(), 1, Integer::sum);
        }
        assertThat(messages).as("one compliance message per subscriber").hasSize(subscribers);
        assertThat(perSubscriber).hasSize(subscribers).allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
        assertThat(a.query("SELECT COUNT(*) AS n FROM rcs_consent WHERE state = 'OPTED_OUT' AND msisdn LIKE '1978557%'")
                .get(0).get("n"))
                .isEqualTo((long) subscribers);
    }

    @Test
    void theSameEventAtBothInstancesAtOnceIsRoutedOnceAndCounted() throws Exception {
        int events = 25;
        List<Callable<String>> posts = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String body = Callbacks.text("two-dup-" + i, "19785580" + String.format("%03d", i), "STOP");
            posts.add(() -> a.postCallback(body).body());
            posts.add(() -> b.postCallback(body).body());
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        for (Future<String> f : pool.invokeAll(posts)) {
            assertThat(f.get()).isIn("{\"status\":\"accepted\"}", "{\"status\":\"duplicate\"}");
        }
        pool.shutdown();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Map<String, Object>> rows = a.query(
                    "SELECT dedup_key, status, duplicates FROM rcs_audit WHERE dedup_key LIKE 'event:two-dup-%'");
            assertThat(rows).hasSize(events);
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.get("status")).isEqualTo("ROUTED");
                assertThat(r.get("duplicates")).isEqualTo(1);
            });
        });
        settled();
        assertThat(a.drainNow("rcs.compliance.optout")).filteredOn(m -> m.body().contains("\"msisdn\":\"19785580"))
                .hasSize(events);
    }
}
