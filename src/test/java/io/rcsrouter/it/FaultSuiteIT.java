package io.rcsrouter.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.QueueStats;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.TcpProxy;
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
 * Faults injected into the real topology (router JVM, PostgreSQL, standalone Artemis, WireMock CRM), with the
 * database or the broker behind a TCP proxy that the test cuts and restores. Counts are exact: every callback
 * answered 200 is audited once and reaches its destination once; nothing answered 200 is lost.
 */
class FaultSuiteIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-04-20T09:00:00Z");
    final List<AutoCloseable> cleanup = new ArrayList<>();
    /** Every dedup key taken off each queue so far in this test: draining consumes, so keep what was seen. */
    static final Map<String, List<String>> DRAINED = new java.util.concurrent.ConcurrentHashMap<>();

    @AfterEach
    void cleanUp() throws Exception {
        DRAINED.clear();
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        cleanup.clear();
    }

    private WireMockServer crm(int port) {
        WireMockServer crm = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
        crm.start();
        crm.stubFor(post(urlEqualTo("/crm")).willReturn(aResponse().withStatus(200)));
        cleanup.add(crm::stop);
        return crm;
    }

    private ExternalRouter router(String name, Map<String, String> extra) throws Exception {
        String prefix = "it-fault-" + name + "-" + System.currentTimeMillis() + ".";
        Map<String, String> env = new HashMap<>(ExternalRouter.queueEnv(prefix));
        env.putAll(extra);
        ExternalRouter router = new ExternalRouter(RouterProcess.start(name, env), prefix);
        cleanup.add(router);
        return router;
    }

    /** 60 callbacks of three kinds, keyed by dedup key: delivery reports, replies for the CRM, opt-outs. */
    private static Map<String, String> mixedLoad(String tag, int each) {
        Map<String, String> byKey = new HashMap<>();
        for (int i = 0; i < each; i++) {
            byKey.put("event:" + tag + "-txt-" + i, Callbacks.text(tag + "-txt-" + i, "1978561" + String.format("%04d", i),
                    "reply " + i));
            byKey.put("event:" + tag + "-stop-" + i, Callbacks.text(tag + "-stop-" + i,
                    "1978562" + Math.abs(tag.hashCode() % 1000) + String.format("%04d", i), "STOP", T.plusSeconds(i)));
            String dr = "{\"code\":\"4000\",\"data\":{\"type\":\"SENT\",\"eventId\":\"" + tag + "-dr-" + i
                    + "\",\"from\":\"kio_rcs\",\"to\":\"1978563" + String.format("%04d", i)
                    + "\",\"sentAt\":\"2026-04-20T09:00:00Z\",\"messageId\":\"" + tag + "-m-" + i + "\"}}";
            byKey.put("event:" + tag + "-dr-" + i, dr);
        }
        return byKey;
    }

    private static void assertEveryEventArrivedOnce(ExternalRouter router, WireMockServer crm, String tag, int each)
            throws Exception {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(router.query(
                "SELECT COUNT(*) AS n FROM rcs_audit WHERE dedup_key LIKE ? AND status IN ('ROUTED', 'DELIVERED')",
                "event:" + tag + "-%").get(0).get("n")).isEqualTo((long) each * 3));
        assertThat(router.query("SELECT COUNT(*) AS n FROM rcs_audit WHERE dedup_key LIKE ?", "event:" + tag + "-%")
                .get(0).get("n")).isEqualTo((long) each * 3);
        // the CRM gets every reply at least once; a repeat (a commit lost with the broker connection after the
        // POST) carries the same Idempotency-Key, so the CRM can drop it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<String> crmKeys = new HashSet<>();
            crm.findAll(postRequestedFor(urlEqualTo("/crm"))).forEach(r -> crmKeys.add(r.getHeader("Idempotency-Key")));
            assertThat(crmKeys.stream().filter(k -> k.contains(tag + "-txt-"))).hasSize(each);
        });
        assertQueueHoldsEachOnce(router, "rcs.delivery", tag + "-dr-", each);
        assertQueueHoldsEachOnce(router, "rcs.compliance.optout", tag + "-stop-", each);
    }

    /** Waits until the queue has delivered {@code each} messages whose dedup key contains {@code marker}, once each. */
    private static void assertQueueHoldsEachOnce(ExternalRouter router, String queue, String marker, int each)
            throws Exception {
        List<String> seen = DRAINED.computeIfAbsent(queue, q -> new java.util.concurrent.CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            drainInto(router, queue, seen);
            assertThat(seen.stream().filter(k -> k.contains(marker))).as(queue).hasSizeGreaterThanOrEqualTo(each);
        });
        // dispatch has committed all it took (and the CRM forwarder too): no further copy can appear
        QueueStats.awaitSettled(router.broker(), Duration.ofSeconds(60), each, router.queue("rcs.inbound"),
                router.queue("rcs.crm.outbound"));
        drainInto(router, queue, seen);
        assertThat(seen.stream().filter(k -> k.contains(marker)).toList()).as(queue).hasSize(each)
                .doesNotHaveDuplicates();
    }

    private static void drainInto(ExternalRouter router, String queue, List<String> seen) throws Exception {
        for (RouterHarness.Received m : router.drainNow(queue)) {
            seen.add(String.valueOf(m.properties().get("rcsDedupKey")));
        }
    }

    /** The CRM settings of the dead-CRM tests: a CRM at crmPort (not up yet), a circuit that opens fast, probes every 3 s. */
    private static Map<String, String> crmDownEnv(int crmPort) {
        return Map.of("RCS_CRM_URL", "http://127.0.0.1:" + crmPort + "/crm",
                "RCS_CRM_MAX_RETRIES", "1", "RCS_CRM_RETRY_DELAY_MS", "50", "RCS_CRM_RETRY_MAX_DELAY_MS", "100",
                "RCS_CRM_CIRCUIT_MINIMUM_CALLS", "3", "RCS_CRM_CIRCUIT_WINDOW_SIZE", "5",
                "RCS_CRM_CIRCUIT_OPEN_SECONDS", "3");
    }

    /**
     * Waits until each of the {@code n} replies whose event id starts with {@code tag} was delivered to the CRM or
     * dead-lettered; only what failed before the circuit opened (3 at most) may be dead-lettered.
     */
    private static void assertRepliesDeliveredOrDeadLettered(ExternalRouter router, WireMockServer crm, String tag,
            int n) {
        List<RouterHarness.Received> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            dead.addAll(router.drainNow("rcs.crm.dlq"));
            long delivered = (long) router.query("SELECT COUNT(*) AS n FROM rcs_audit WHERE dedup_key LIKE ?"
                    + " AND status = 'DELIVERED'", "event:" + tag + "%").get(0).get("n");
            assertThat(delivered + dead.size()).isEqualTo(n);
        });
        assertThat(dead).as("only what failed before the circuit opened").hasSizeLessThanOrEqualTo(3);
        assertThat(crm.findAll(postRequestedFor(urlEqualTo("/crm")))).hasSize(n - dead.size());
    }

    @Test
    void databaseOutageCallbacksAreAcceptedAndAllAuditedWhenItReturns() throws Exception {
        ItEnvironment.truncateTables();
        TcpProxy db = new TcpProxy("127.0.0.1", ItEnvironment.dbPort());
        cleanup.add(db);
        WireMockServer crm = crm(RouterHarness.freePort());
        ExternalRouter router = router("db", Map.of("RCS_DB_URL", ItEnvironment.dbUrlVia(db.port()),
                "RCS_CRM_URL", crm.baseUrl() + "/crm"));

        db.cut();
        Map<String, String> load = mixedLoad("dbdown", 20);
        long slowest = 0;
        for (String body : load.values()) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = router.postCallback(body);
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"status\":\"accepted\"}");
        }
        assertThat(slowest).as("a dead database does not slow the callbacks down (ms)").isLessThan(3_000);
        HttpResponse<String> ready = router.process().management("/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("database");
        assertThat(router.process().management("/observe/health/live").statusCode()).isEqualTo(200);

        Thread.sleep(3_000);
        db.restore();
        assertEveryEventArrivedOnce(router, crm, "dbdown", 20);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                router.process().management("/observe/health/ready").statusCode() == 200);
    }

    @Test
    void brokerOutageIsAnswered503AndTheRouterRecoversByItself() throws Exception {
        ItEnvironment.truncateTables();
        TcpProxy broker = new TcpProxy("127.0.0.1", ItEnvironment.brokerPort());
        cleanup.add(broker);
        WireMockServer crm = crm(RouterHarness.freePort());
        ExternalRouter router = router("broker", Map.of("RCS_BROKER_URL", ItEnvironment.brokerUrlVia(broker.port()),
                "RCS_CRM_URL", crm.baseUrl() + "/crm"));

        Map<String, String> before = mixedLoad("brkbefore", 5);
        for (String body : before.values()) {
            assertThat(router.postCallback(body).statusCode()).isEqualTo(200);
        }
        broker.cut();
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = router.postCallback(Callbacks.text("brkdown-" + i, "19785640000", "hi"));
            assertThat(r.statusCode()).as("never 200 without the broker").isEqualTo(503);
            assertThat(JSON.readTree(r.body()).get("error").asText()).contains("retry");
            assertThat((System.nanoTime() - t0) / 1_000_000).as("fails fast (ms)").isLessThan(10_000);
        }
        HttpResponse<String> ready = router.process().management("/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("broker");

        broker.restore();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                router.postCallback(Callbacks.text("brkback", "19785640001", "back")).statusCode() == 200);
        Map<String, String> after = mixedLoad("brkafter", 5);
        for (String body : after.values()) {
            assertThat(router.postCallback(body).statusCode()).isEqualTo(200);
        }
        assertEveryEventArrivedOnce(router, crm, "brkbefore", 5);
        assertEveryEventArrivedOnce(router, crm, "brkafter", 5);
        // nothing answered 503 was half-stored
        assertThat(router.query("SELECT COUNT(*) AS n FROM rcs_audit WHERE dedup_key LIKE 'event:brkdown-%'")
                .get(0).get("n")).isEqualTo(0L);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                router.process().management("/observe/health/ready").statusCode() == 200);
    }

    /**
     * A broker that hangs (connections open, nothing answered): a callback is answered 503 within
     * RCS_BROKER_CALL_TIMEOUT_MS, never 200, and readiness says the broker is down; once the broker answers again,
     * callbacks are accepted without a restart. What was held back in the frozen connection may still reach the
     * broker when it thaws; it was answered 503, so the sender retries and the repeat is counted, never routed twice.
     */
    @Test
    void aFrozenBrokerIsAnswered503WithinTheCallTimeout() throws Exception {
        ItEnvironment.truncateTables();
        TcpProxy broker = new TcpProxy("127.0.0.1", ItEnvironment.brokerPort());
        cleanup.add(broker);
        int callTimeout = 2_000;
        ExternalRouter router = router("frozen", Map.of("RCS_BROKER_URL", ItEnvironment.brokerUrlVia(broker.port()),
                "RCS_BROKER_CALL_TIMEOUT_MS", String.valueOf(callTimeout)));
        for (int i = 0; i < 3; i++) {
            assertThat(router.postCallback(Callbacks.deliveryReport("frz-ok-" + i, "19785670000")).statusCode())
                    .isEqualTo(200);
        }
        broker.freeze();
        long slowest = 0;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = router.postCallback(Callbacks.deliveryReport("frz-" + i, "19785670001"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            slowest = Math.max(slowest, ms);
            assertThat(r.statusCode()).as("never 200 from a frozen broker: %s", r.body()).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).get("error").asText()).contains("retry");
        }
        System.out.printf("FROZEN-BROKER: slowest 503 after %d ms (RCS_BROKER_CALL_TIMEOUT_MS %d)%n", slowest,
                callTimeout);
        assertThat(slowest).as("503 within the call timeout (ms), plus 500 ms for the HTTP round trip")
                .isLessThanOrEqualTo(callTimeout + 500L);
        HttpResponse<String> ready = router.process().management("/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("broker");

        broker.thaw();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                router.postCallback(Callbacks.deliveryReport("frz-back", "19785670002")).statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                router.process().management("/observe/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> router.auditRow("event:frz-back") != null);
    }

    /**
     * The broker SIGKILLed while it holds accepted events that dispatch has not taken yet (the database is cut, so
     * dispatch waits), then started again on its journal: every event answered 200 is dispatched, exactly once.
     * While it is down, callbacks are answered 503 and nothing of them is stored.
     */
    @Test
    void aBrokerKilledWhileItHoldsAcceptedEventsDispatchesEveryOneOnceAfterItsRestart() throws Exception {
        ItEnvironment.truncateTables();
        StandaloneBroker own = StandaloneBroker.create("sigkill").start();
        cleanup.add(own);
        TcpProxy db = new TcpProxy("127.0.0.1", ItEnvironment.dbPort());
        cleanup.add(db);
        WireMockServer crm = crm(RouterHarness.freePort());
        String prefix = "it-fault-sigkill-" + System.currentTimeMillis() + ".";
        Map<String, String> env = new HashMap<>(ExternalRouter.queueEnv(prefix));
        env.putAll(Map.of("RCS_BROKER_URL", own.url(), "RCS_BROKER_USER", StandaloneBroker.USER,
                "RCS_BROKER_PASSWORD", StandaloneBroker.PASSWORD, "RCS_DB_URL", ItEnvironment.dbUrlVia(db.port()),
                "RCS_CRM_URL", crm.baseUrl() + "/crm"));
        ExternalRouter router = new ExternalRouter(RouterProcess.start("sigkill", env), prefix, own::factory);
        cleanup.add(router);

        db.cut();
        Map<String, String> load = mixedLoad("held", 20);
        for (String body : load.values()) {
            assertThat(router.postCallback(body).statusCode()).isEqualTo(200);
        }
        // all 60 are on the broker, none dispatched (dispatch waits for the database)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            QueueStats in = QueueStats.of(own.factory(), router.queue("rcs.inbound"));
            return in.messageCount() == 60 && in.messagesAcknowledged() == 0;
        });
        own.kill();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = router.postCallback(Callbacks.text("sigkill-dead-" + i, "19785680000", "hi"));
            assertThat(r.statusCode()).as("never 200 without the broker").isEqualTo(503);
        }
        own.start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                router.postCallback(Callbacks.text("sigkill-back", "19785680001", "back")).statusCode() == 200);
        db.restore();
        assertEveryEventArrivedOnce(router, crm, "held", 20);
        assertThat(router.query("SELECT COUNT(*) AS n FROM rcs_audit WHERE dedup_key LIKE 'event:sigkill-dead-%'")
                .get(0).get("n")).as("nothing answered 503 was stored").isEqualTo(0L);
    }

    /**
     * The broker SIGKILLed in the middle of a load (4 senders, 450 callbacks of three kinds, dispatch and the CRM
     * forwarder busy), then started again on its journal. While it is down callbacks are answered 503, never 200;
     * the router reconnects by itself; every callback refused is sent again, as Kaleyra would, until it is taken.
     * Then every event is audited once and reaches its destination once: nothing lost, nothing routed twice (a
     * 503 whose event the broker did keep comes back as a repeat, counted on its row).
     */
    @Test
    void aBrokerKilledUnderLoadLosesNothingAndRoutesNothingTwice() throws Exception {
        ItEnvironment.truncateTables();
        StandaloneBroker own = StandaloneBroker.create("killload").start();
        cleanup.add(own);
        WireMockServer crm = crm(RouterHarness.freePort());
        String prefix = "it-fault-killload-" + System.currentTimeMillis() + ".";
        Map<String, String> env = new HashMap<>(ExternalRouter.queueEnv(prefix));
        env.putAll(Map.of("RCS_BROKER_URL", own.url(), "RCS_BROKER_USER", StandaloneBroker.USER,
                "RCS_BROKER_PASSWORD", StandaloneBroker.PASSWORD, "RCS_CRM_URL", crm.baseUrl() + "/crm",
                "RCS_BROKER_CALL_TIMEOUT_MS", "2000"));
        ExternalRouter router = new ExternalRouter(RouterProcess.start("killload", env), prefix, own::factory);
        cleanup.add(router);

        int each = 150;
        List<Map.Entry<String, String>> load = new ArrayList<>(mixedLoad("kl", each).entrySet());
        java.util.Collections.shuffle(load, new java.util.Random(42));
        Map<String, Integer> answers = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (Map.Entry<String, String> callback : load) {
            sent.add(senders.submit(() -> {
                int status;
                try {
                    status = router.postCallback(callback.getValue()).statusCode();
                } catch (Exception e) {
                    status = -1; // no answer at all: the sender does not know, and sends it again below
                }
                answers.put(callback.getKey(), status);
                done.incrementAndGet();
                return null;
            }));
        }
        // the kill, a third of the way in, and the restart three seconds later
        await().atMost(Duration.ofSeconds(60)).until(() -> done.get() >= load.size() / 3);
        own.kill();
        Thread.sleep(3_000);
        own.start();
        for (java.util.concurrent.Future<?> f : sent) {
            f.get(120, java.util.concurrent.TimeUnit.SECONDS);
        }
        senders.shutdown();
        assertThat(answers.values()).as("answers to the load").contains(200);
        assertThat(answers.values()).as("answers while the broker was down").contains(503);
        assertThat(answers.values()).as("only 200 and 503 (or no answer)").allMatch(s -> s == 200 || s == 503 || s == -1);

        // Kaleyra sends again what was not taken
        for (Map.Entry<String, String> callback : load) {
            if (answers.get(callback.getKey()) != 200) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                        router.postCallback(callback.getValue()).statusCode() == 200);
            }
        }
        assertEveryEventArrivedOnce(router, crm, "kl", each);
        // a refused callback sent again is one event: its row counts the repeat, nothing is routed twice
        assertThat(router.query("SELECT COUNT(*) AS n FROM rcs_audit WHERE dedup_key LIKE 'event:kl-%'"
                + " AND status NOT IN ('ROUTED', 'DELIVERED')").get(0).get("n")).isEqualTo(0L);
    }

    @Test
    void deadCrmBacklogWaitsAndIsDeliveredWhenItReturns() throws Exception {
        ItEnvironment.truncateTables();
        int crmPort = RouterHarness.freePort();
        ExternalRouter router = router("crm", crmDownEnv(crmPort));
        int n = 40;
        for (int i = 0; i < n; i++) {
            assertThat(router.postCallback(Callbacks.text("crmdown-" + i, "1978565" + String.format("%04d", i),
                    "hello")).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(router.process().log())
                .contains("CRM circuit OPEN"));
        WireMockServer crm = crm(crmPort);
        assertRepliesDeliveredOrDeadLettered(router, crm, "crmdown-", n);
    }

    @Test
    void aBacklogAtItsLimitIsAnswered503UntilTheCrmIsBackAndDrainsIt() throws Exception {
        ItEnvironment.truncateTables();
        int crmPort = RouterHarness.freePort();
        Map<String, String> env = new HashMap<>(crmDownEnv(crmPort));
        env.put("RCS_BROKER_MAX_HELD_EVENTS", "20");
        env.put("RCS_METRICS_QUEUE_DEPTH_INTERVAL_SECONDS", "1");
        ExternalRouter router = router("full", env);
        // the CRM is down: replies pile up on the outbound queue until the broker holds 20, then ingress refuses
        int accepted = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 300 && refused == null; i++) {
            HttpResponse<String> r = router.postCallback(Callbacks.text("full-" + i, "1978566" + String.format("%04d", i),
                    "hello"));
            if (r.statusCode() == 200) {
                accepted++;
            } else {
                refused = r;
            }
            Thread.sleep(20);
        }
        assertThat(refused).as("refused once the backlog is full").isNotNull();
        assertThat(accepted).isGreaterThanOrEqualTo(20);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).contains("retry later");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
        HttpResponse<String> ready = router.process().management("/observe/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("backlog full");
        String refusedKey = "event:full-" + accepted;
        assertThat(router.query("SELECT COUNT(*) AS n FROM rcs_audit WHERE dedup_key = ?", refusedKey).get(0).get("n"))
                .as("a refused callback is not stored").isEqualTo(0L);
        assertThat(Files.readString(router.process().log()))
                .contains("Callback " + refusedKey + " NOT stored, answered 503: backlog full");

        // the CRM is back: the backlog drains, and callbacks are taken again
        WireMockServer crm = crm(crmPort);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                router.process().management("/observe/health/ready").statusCode() == 200);
        assertThat(router.postCallback(Callbacks.text("full-after", "19785669999", "hello")).statusCode())
                .isEqualTo(200);
        assertRepliesDeliveredOrDeadLettered(router, crm, "full-", accepted + 1);
    }
}
