package io.rcsrouter.it;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
import static org.awaitility.Awaitility.await;

/**
 * The embedded default on a small file system of its own (a 96 MiB tmpfs that .ci/small-disk.sh mounts, given as
 * RCS_IT_SMALL_DISK), filled by another file while 8 threads send callbacks, first to below the reserve (24 MiB here),
 * then to the last byte, then freed again. While the free space is below the reserve: every callback is answered 503,
 * never 200, readiness is DOWN naming the data folder; with no byte left, the database closes at its next write and
 * the broker stays up.
 * Once the space is back: readiness UP, the sender's retries answered 200, the backlog drained, without a restart.
 * Counted at the end: every event has one audit row, ROUTED or DELIVERED; delivery reports and compliance messages
 * arrive once each; the journal and the database open again on a restart.
 */
class FullDiskIT {

    static final long MIB = 1024 * 1024;
    // more than one journal file (10 MiB): the journal may need a new one while callbacks are refused
    static final long RESERVE = 24 * MIB;
    static final Instant T = Instant.parse("2026-04-21T09:00:00Z");
    final Cleanup cleanup = new Cleanup();

    @AfterEach
    void cleanUp() throws Exception {
        cleanup.close();
    }

    @Test
    void aFullDataFolderIsAnswered503WithReadinessDownAndOnceSpaceIsBackEverythingDrainsWithoutARestart()
            throws Exception {
        Path disk = Path.of(ItEnvironment.require("RCS_IT_SMALL_DISK"));
        FileStore store = Files.getFileStore(disk);
        assertThat(store.getTotalSpace()).as("RCS_IT_SMALL_DISK must be a small file system of its own (%s)", store)
                .isLessThan(256 * MIB);
        try (var old = Files.list(disk)) {
            for (Path p : old.toList()) {
                deleteTree(p);
            }
        }
        Path data = disk.resolve("data");
        Path ballast = disk.resolve("ballast");

        WireMockServer crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        cleanup.add(crm::stop);
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(200)));
        int tcp = RouterHarness.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("RCS_CRM_URL", crm.baseUrl() + "/crm");
        env.put("RCS_BROKER_EMBEDDED_TCP_ACCEPTOR", "tcp://127.0.0.1:" + tcp);
        env.put("RCS_DATA_MIN_FREE_BYTES", String.valueOf(RESERVE));
        RouterProcess router = RouterProcess.startEmbedded("full-disk-1", data, env);
        cleanup.add(router);

        // a third each: delivery reports, replies (to the CRM), STOPs (to the compliance queue and the ledger)
        Map<String, String> load = new LinkedHashMap<>();
        for (int i = 0; i < 600; i++) {
            String n = String.format("%05d", i);
            String body = switch (i % 3) {
                case 0 -> Callbacks.deliveryReport("fd-dr-" + i, "1978590" + n);
                case 1 -> Callbacks.text("fd-txt-" + i, "1978591" + n, "reply " + i);
                default -> Callbacks.text("fd-stop-" + i, "1978592" + n, "STOP", T);
            };
            load.put("event:" + body.replaceAll("(?s).*\"eventId\":\"([^\"]+)\".*", "$1"), body);
        }
        List<String> keys = new ArrayList<>(load.keySet());
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        // the first 200, before anything is full
        for (String k : keys.subList(0, 200)) {
            answers.put(k, router.answerStatus(load.get(k)));
        }
        assertThat(answers.values()).as("answers before the disk fills").containsOnly(200);

        // 8 senders go on while another process takes the space, until free space is below the reserve
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<String> rest = keys.subList(200, 600);
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (String k : rest.subList(0, 200)) {
            sent.add(senders.submit(() -> answers.put(k, router.answerStatus(load.get(k)))));
        }
        long leaveFree = RESERVE / 2 + 4 * MIB; // below the router's reserve, above the embedded broker's last line
        fill(ballast, store, leaveFree);
        long freeWhenFull = store.getUsableSpace();
        for (var f : sent) {
            f.get(2, TimeUnit.MINUTES);
        }
        Thread.sleep(500); // the router reads the free space at most every 100 ms
        Map<String, Integer> whileFull = new LinkedHashMap<>();
        List<java.util.concurrent.Future<?>> full = new ArrayList<>();
        for (String k : rest.subList(200, 300)) {
            full.add(senders.submit(() -> {
                HttpResponse<String> r = router.postCallback(load.get(k));
                int s = r.statusCode();
                answers.put(k, s);
                synchronized (whileFull) {
                    whileFull.put(k, s);
                }
                if (s == 503) {
                    assertThat(r.body()).isEqualTo("{\"error\":\"the router's storage is full; retry later\"}");
                }
                return null;
            }));
        }
        for (var f : full) {
            f.get(2, TimeUnit.MINUTES);
        }
        assertThat(whileFull.values()).as("answers while the data folder is below its reserve (%d bytes free)",
                freeWhenFull).hasSize(100).containsOnly(503);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> ready = router.management("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"name\":\"storage\"").contains("is almost full");
        });
        assertThat(router.tail(400)).contains("is almost full").contains("callbacks are answered 503");

        // then the other process takes the last byte: the disk is full (ENOSPC). The router writes nothing of its
        // own meanwhile; H2 closes at its next write (readiness's heartbeat), the broker stays up
        fill(disk.resolve("ballast-2"), store, 0);
        assertThat(store.getUsableSpace()).as("free bytes").isZero();
        Thread.sleep(12_000); // past one readiness heartbeat (every 10 s), which finds no room to write
        for (String k : rest.subList(300, 350)) {
            answers.put(k, router.answerStatus(load.get(k)));
            assertThat(answers.get(k)).as("answer to %s with 0 bytes free", k).isEqualTo(503);
        }
        assertThat(router.management("/observe/health/ready").body()).contains("\"name\":\"storage\"");

        // the other process gives the space back: no restart
        Files.delete(ballast);
        Files.delete(disk.resolve("ballast-2"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> router.management("/observe/health/ready").statusCode() == 200);
        for (String k : rest.subList(350, 400)) {
            sent.add(senders.submit(() -> answers.put(k, router.answerStatus(load.get(k)))));
        }
        senders.shutdown();
        assertThat(senders.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        // the sender retries whatever was not answered 200
        for (String k : keys) {
            if (answers.get(k) != 200) {
                assertThat(router.answerStatus(load.get(k))).as("retry of %s", k).isEqualTo(200);
            }
        }
        long refused = answers.values().stream().filter(s -> s == 503).count();
        assertThat(answers.values()).as("every answer is 200 or 503").allMatch(s -> s == 200 || s == 503);

        ConnectionFactory broker = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + tcp);
        QueueStats.awaitSettled(broker, Duration.ofMinutes(2), 1, "rcs.inbound", "rcs.crm.outbound");
        Map<String, Integer> reports = Queues.countByDedupKey(Queues.drainNow(broker, "rcs.delivery"));
        Map<String, Integer> optOuts = Queues.countByDedupKey(Queues.drainNow(broker, "rcs.compliance.optout"));
        Map<String, Integer> crmKeys = new HashMap<>();
        crm.findAll(postRequestedFor(urlEqualTo("/crm")))
                .forEach(r -> crmKeys.merge(r.getHeader("Idempotency-Key"), 1, Integer::sum));
        assertThat(reports).as("delivery reports, once each").hasSize(200)
                .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
        assertThat(optOuts).as("compliance messages, once each").hasSize(200)
                .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(1));
        assertThat(crmKeys).as("replies at the CRM").hasSize(200);

        assertThat(router.stop()).as("graceful exit").isIn(0, 130, 143);
        try (Connection db = EmbeddedDatabaseFile.open(data)) {
            Map<String, String> status = EmbeddedDatabaseFile.auditStatus(db, "event:fd-%");
            long ledger = EmbeddedDatabaseFile.count(db, "SELECT COUNT(*) AS n FROM rcs_consent WHERE msisdn LIKE '1978592%'"
                    + " AND state = 'OPTED_OUT'");
            System.out.printf("FULL-DISK: %d callbacks, %d answers 503 while %d bytes were free (reserve %d), audit rows"
                            + " %d, delivery reports %d, compliance messages %d, CRM keys %d, opted out %d%n",
                    keys.size(), refused, freeWhenFull, RESERVE, status.size(), reports.size(), optOuts.size(),
                    crmKeys.size(), ledger);
            assertThat(status.keySet()).as("one audit row per event").containsExactlyInAnyOrderElementsOf(keys);
            assertThat(status.values()).as("every event finished").allMatch(s -> s.equals("ROUTED")
                    || s.equals("DELIVERED"));
            assertThat(ledger).as("opt-outs in the consent ledger").isEqualTo(200);
        }
        // the journal and the database open again
        RouterProcess again = RouterProcess.startEmbedded("full-disk-2", data, env);
        cleanup.add(again);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> again.management("/observe/health/ready").statusCode() == 200);
        assertThat(again.answerStatus(load.get(keys.get(0)))).as("a repeat after the restart").isEqualTo(200);
    }

    /**
     * Writes zeros to {@code file} until the file system has {@code leaveFree} bytes left, or none: 0 fills it until
     * the write fails with "No space left on device".
     */
    private static void fill(Path file, FileStore store, long leaveFree) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) MIB);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (store.getUsableSpace() - MIB >= leaveFree) {
                chunk.clear();
                ch.write(chunk);
            }
            try {
                for (long rest = store.getUsableSpace() - leaveFree; rest > 0; rest = store.getUsableSpace() - leaveFree) {
                    ch.write(ByteBuffer.allocate((int) Math.min(rest, MIB)));
                }
            } catch (IOException e) {
                if (leaveFree > 0 || !String.valueOf(e.getMessage()).contains("No space left")) {
                    throw e;
                }
            }
            ch.force(true);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (var children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }



}
