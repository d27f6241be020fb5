package io.rcsrouter.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.ConnectionFactory;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.QueueStats;
import io.rcsrouter.support.Queues;
import io.rcsrouter.support.RouterHarness;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default (README's quick start: one JVM holding the broker journal, the H2 database and the router,
 * README's heap) SIGKILLed a third of the way through 3,000 callbacks from 16 threads, then started again on the same
 * data folder; the sender retries what was not answered 200, as Kaleyra does. All three stores go down at the same
 * instant, so whatever one of them wrote lazily is what a crash loses. Counted after the restart: every callback
 * answered 200 has exactly one audit row, delivery reports and compliance messages arrive exactly once, every
 * opt-out is in the consent ledger, every reply reached the CRM (at least once, one Idempotency-Key each).
 */
class EmbeddedKillIT {

    static final Instant T = Instant.parse("2026-04-20T09:00:00Z");
    static final int TOTAL = 3_000;
    final Cleanup cleanup = new Cleanup();

    @AfterEach
    void cleanUp() throws Exception {
        cleanup.close();
    }

    @Test
    void sigkillOfTheEmbeddedDefaultMidLoadLosesNoAuditRowNoConsentAndRoutesNothingTwice() throws Exception {
        WireMockServer crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
        crm.start();
        cleanup.add(crm::stop);
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(200)));
        Path data = Files.createDirectories(Path.of("target", "it", "embedded-kill-" + System.currentTimeMillis()))
                .toAbsolutePath();
        int tcp = RouterHarness.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("RCS_CRM_URL", crm.baseUrl() + "/crm");
        // the test reads the embedded broker's queues over TCP, as an operator's tool would
        env.put("RCS_BROKER_EMBEDDED_TCP_ACCEPTOR", "tcp://127.0.0.1:" + tcp);
        RouterProcess first = RouterProcess.startEmbedded("embedded-kill-1", data, env);
        cleanup.add(first);

        Map<String, String> load = new LinkedHashMap<>();
        for (int i = 0; i < TOTAL / 3; i++) {
            String n = String.format("%05d", i);
            load.put("event:ek-dr-" + i, "{\"code\":\"4000\",\"data\":{\"type\":\"SENT\",\"eventId\":\"ek-dr-" + i
                    + "\",\"from\":\"kio_rcs\",\"to\":\"1978580" + n
                    + "\",\"sentAt\":\"2026-04-20T09:00:00Z\",\"messageId\":\"ek-m-" + i + "\"}}");
            load.put("event:ek-txt-" + i, Callbacks.text("ek-txt-" + i, "1978581" + n, "reply " + i));
            load.put("event:ek-stop-" + i, Callbacks.text("ek-stop-" + i, "1978582" + n, "STOP", T));
        }
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        ExecutorService killer = Executors.newSingleThreadExecutor();
        Future<?> kill = killer.submit(() -> {
            while (done.get() < TOTAL / 3) {
                Thread.sleep(2);
            }
            first.kill();
            return null;
        });
        for (Map.Entry<String, String> e : load.entrySet()) {
            senders.submit(() -> {
                answers.put(e.getKey(), first.answerStatus(e.getValue()));
                done.incrementAndGet();
            });
        }
        senders.shutdown();
        assertThat(senders.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        kill.get(2, TimeUnit.MINUTES); // a failure in the killer fails the test
        killer.shutdown();
        long accepted = answers.values().stream().filter(s -> s == 200).count();
        assertThat(accepted).as("accepted before the kill").isGreaterThanOrEqualTo(TOTAL / 6).isLessThan(TOTAL);

        RouterProcess second = RouterProcess.startEmbedded("embedded-kill-2", data, env);
        cleanup.add(second);
        for (Map.Entry<String, Integer> a : answers.entrySet()) {
            if (a.getValue() != 200) {
                assertThat(second.answerStatus(load.get(a.getKey()))).as("retry of %s", a.getKey()).isEqualTo(200);
            }
        }
        ConnectionFactory broker = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + tcp);
        // dispatch and the CRM forwarder have finished with everything: all they took is committed
        QueueStats.awaitSettled(broker, Duration.ofMinutes(3), 1, "rcs.inbound", "rcs.crm.outbound");
        Map<String, Integer> reports = Queues.countByDedupKey(Queues.drainNow(broker, "rcs.delivery"));
        Map<String, Integer> optOuts = Queues.countByDedupKey(Queues.drainNow(broker, "rcs.compliance.optout"));
        Map<String, Integer> crmKeys = new HashMap<>();
        crm.findAll(postRequestedFor(urlEqualTo("/crm")))
                .forEach(r -> crmKeys.merge(r.getHeader("Idempotency-Key"), 1, Integer::sum));
        int each = TOTAL / 3;
        assertThat(reports).as("delivery reports, once each").hasSize(each)
                .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
        assertThat(optOuts).as("compliance messages, once each").hasSize(each)
                .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
        assertThat(crmKeys).as("replies at the CRM").hasSize(each);

        // the database is the router's while it runs (H2 locks its file): read it once the router has stopped
        assertThat(second.stop()).as("graceful exit").isIn(0, 130, 143);
        try (Connection db = EmbeddedDatabaseFile.open(data)) {
            Map<String, String> status = EmbeddedDatabaseFile.auditStatus(db, "event:ek-%");
            List<String> missing = load.keySet().stream().filter(k -> !status.containsKey(k)).toList();
            List<String> missingAccepted = missing.stream().filter(k -> answers.get(k) == 200).toList();
            long unfinished = status.values().stream().filter(s -> !s.equals("ROUTED") && !s.equals("DELIVERED"))
                    .count();
            long ledger = EmbeddedDatabaseFile.count(db, "SELECT COUNT(*) AS n FROM rcs_consent WHERE msisdn LIKE '1978582%'"
                    + " AND state = 'OPTED_OUT'");
            long verdicts = EmbeddedDatabaseFile.count(db, "SELECT COUNT(*) AS n FROM rcs_consent_event"
                    + " WHERE dedup_key LIKE 'event:ek-stop-%'");
            System.out.printf("EMBEDDED-KILL: sent %d, accepted before the kill %d, audit rows %d, missing %d"
                            + " (of them answered 200: %d), not ROUTED/DELIVERED %d, delivery reports %d,"
                            + " compliance messages %d, CRM keys %d, opted out in the ledger %d, ledger verdicts %d%n",
                    TOTAL, accepted, status.size(), missing.size(), missingAccepted.size(), unfinished,
                    reports.size(), optOuts.size(), crmKeys.size(), ledger, verdicts);
            assertThat(missingAccepted).as("callbacks answered 200 before the kill with no audit row").isEmpty();
            assertThat(missing).as("every callback has its audit row").isEmpty();
            assertThat(unfinished).as("audit rows not ROUTED or DELIVERED").isZero();
            assertThat(ledger).as("opt-outs in the consent ledger").isEqualTo(each);
            assertThat(verdicts).as("one ledger verdict per opt-out").isEqualTo(each);
        }
    }


}
