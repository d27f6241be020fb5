package io.rcsrouter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.support.AuditFaultTrigger;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Compliance end to end on the embedded default: exactly one compliance message per consent change, through pairs,
 * repeats, late events, concurrency, and failures between the ledger update and the JMS commit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplianceFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-04-20T09:01:28.667Z");
    static final String ADMIN = "admin-secret-42";
    RouterHarness router;
    final List<RouterHarness.Received> optOuts = Collections.synchronizedList(new ArrayList<>());
    final List<RouterHarness.Received> optIns = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void start() throws Exception {
        router = RouterHarness.start(Map.of(
                "rcs.dispatch.consumers", "4",
                "rcs.broker.embedded.redelivery-delay-ms", "100",
                "rcs.admin.token", ADMIN));
        try (var c = router.dataSource().getConnection()) {
            AuditFaultTrigger.install(c);
        }
    }

    @AfterAll
    void stop() throws Exception {
        router.close();
    }

    /** Every compliance message for a subscriber so far (queues are drained into memory as the tests go). */
    List<JsonNode> messagesFor(String action, String msisdn) throws Exception {
        optOuts.addAll(router.drainNow("rcs.compliance.optout"));
        optIns.addAll(router.drainNow("rcs.compliance.optin"));
        List<JsonNode> out = new ArrayList<>();
        for (RouterHarness.Received m : action.equals("OPT_OUT") ? optOuts : optIns) {
            JsonNode body = JSON.readTree(m.body());
            if (body.get("msisdn").asText().equals(msisdn)) {
                out.add(body);
            }
        }
        return out;
    }

    /**
     * Until dispatch has committed everything it took from the inbound queue: whatever it sent on is on the
     * compliance queues by then, so a second copy could no longer appear.
     */
    void settled() {
        router.awaitSettled(Duration.ofSeconds(30), 1, "rcs.inbound");
    }

    void awaitRouted(String... dedupKeys) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String key : dedupKeys) {
                assertThat(router.auditRow(key)).as(key).isNotNull().extractingByKey("status").isEqualTo("ROUTED");
            }
        });
    }

    @Test
    void unsubscribeAndItsStopArrivingTogetherGiveOneOptOut() throws Exception {
        String unsubscribe = Callbacks.consentEvent("UNSUBSCRIBE", "pair-unsub", "+19785550401", T);
        String stop = Callbacks.text("pair-stop", "19785550401", "STOP", T.plusMillis(4));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        pool.invokeAll(List.of(() -> router.postJson(unsubscribe), () -> router.postJson(stop)));
        pool.shutdown();
        awaitRouted("message:pair-unsub:UNSUBSCRIBE", "event:pair-stop");

        await().atMost(Duration.ofSeconds(5)).until(() -> messagesFor("OPT_OUT", "19785550401").size() == 1);
        settled();
        List<JsonNode> msgs = messagesFor("OPT_OUT", "19785550401");
        assertThat(msgs).hasSize(1);
        JsonNode msg = msgs.get(0);
        assertThat(msg.get("action").asText()).isEqualTo("OPT_OUT");
        assertThat(msg.get("agent").asText()).isEqualTo("kio_rcs");
        assertThat(msg.get("carrier").asText()).isEqualTo("VZ");
        String decidedBy = msg.get("messageIds").get(0).asText();
        assertThat(decidedBy).isIn("pair-unsub", "msg-pair-stop");

        // both stay in the audit table; the one that did not decide is linked to the one that did
        var a = router.auditRow("message:pair-unsub:UNSUBSCRIBE");
        var b = router.auditRow("event:pair-stop");
        assertThat(List.of(a.get("route"), b.get("route"))).containsOnly("OPT_OUT");
        var follower = decidedBy.equals("pair-unsub") ? b : a;
        assertThat(follower.get("related_message_id")).isEqualTo(decidedBy);
        assertThat((String) follower.get("detail")).startsWith("consent UNCHANGED, decided by " + decidedBy);

        // the admin API tells the same story
        var r = router.get("/admin/consent/kio_rcs/+19785550401", "Authorization", "Bearer " + ADMIN);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode consent = JSON.readTree(r.body());
        assertThat(consent.get("state").asText()).isEqualTo("OPTED_OUT");
        assertThat(consent.get("decidedBy").asText()).isEqualTo(decidedBy);
        assertThat(consent.get("changedAt").asText()).isEqualTo(decidedBy.equals("pair-unsub")
                ? T.toString() : T.plusMillis(4).toString());
        assertThat(consent.get("events")).hasSize(2);
    }

    @Test
    void aRepeatStopFromSomeoneAlreadyOptedOutSendsNothing() throws Exception {
        router.postJson(Callbacks.text("rep-1", "19785550402", "stop", T));
        awaitRouted("event:rep-1");
        router.postJson(Callbacks.text("rep-2", "19785550402", "STOP!!", T.plusSeconds(30)));
        router.postJson(Callbacks.text("rep-3", "19785550402", "unsubscribe", T.plusSeconds(60)));
        awaitRouted("event:rep-2", "event:rep-3");
        settled();
        assertThat(messagesFor("OPT_OUT", "19785550402")).hasSize(1);
        assertThat(router.auditRow("event:rep-3").get("related_message_id")).isEqualTo("msg-rep-1");
    }

    @Test
    void anOlderEventArrivingLateNeverOverturnsTheNewerState() throws Exception {
        router.postJson(Callbacks.consentEvent("SUBSCRIBE", "late-sub", "19785550403", T.plusSeconds(10)));
        awaitRouted("message:late-sub:SUBSCRIBE");
        router.postJson(Callbacks.consentEvent("UNSUBSCRIBE", "late-unsub", "19785550403", T));
        awaitRouted("message:late-unsub:UNSUBSCRIBE");
        settled();
        assertThat(messagesFor("OPT_IN", "19785550403")).hasSize(1);
        assertThat(messagesFor("OPT_OUT", "19785550403")).isEmpty();
        assertThat((String) router.auditRow("message:late-unsub:UNSUBSCRIBE").get("detail")).startsWith("consent STALE");
        assertThat(router.query("SELECT state FROM rcs_consent WHERE msisdn = '19785550403'"))
                .extracting(row -> row.get("state")).containsExactly("OPTED_IN");
    }

    @Test
    void optOutThenOptInThenOptOutIsThreeChanges() throws Exception {
        router.postJson(Callbacks.text("cyc-1", "19785550404", "STOP", T));
        awaitRouted("event:cyc-1");
        router.postJson(Callbacks.text("cyc-2", "19785550404", "START", T.plusSeconds(60)));
        awaitRouted("event:cyc-2");
        router.postJson(Callbacks.text("cyc-3", "19785550404", "please stop texting me", T.plusSeconds(120)));
        awaitRouted("event:cyc-3");
        await().atMost(Duration.ofSeconds(5)).until(() -> messagesFor("OPT_OUT", "19785550404").size() == 2);
        assertThat(messagesFor("OPT_IN", "19785550404")).hasSize(1);
        assertThat(messagesFor("OPT_OUT", "19785550404")).extracting(m -> m.get("source").asText())
                .containsExactlyInAnyOrder("KEYWORD", "NATURAL_LANGUAGE");
    }

    @Test
    void aTappedStopSuggestionIsAnOptOut() throws Exception {
        router.postJson(Callbacks.tap("tap-1", "19785550405", "Unsubscribe me", "STOP", T));
        awaitRouted("event:tap-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> messagesFor("OPT_OUT", "19785550405").size() == 1);
    }

    @Test
    void ordinaryMessagesThatMentionAKeywordGoToTheCrm() throws Exception {
        router.postJson(Callbacks.text("norm-1", "19785550406", "Where is the nearest bus stop?", T));
        router.postJson(Callbacks.text("norm-2", "19785550406", "Can I cancel my order?", T.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(router.auditRow("event:norm-1").get("route")).isEqualTo("CRM");
            assertThat(router.auditRow("event:norm-2").get("route")).isEqualTo("CRM");
        });
        assertThat(messagesFor("OPT_OUT", "19785550406")).isEmpty();
    }

    @Test
    void manySubscribersAtOnceGiveExactlyOneOptOutEach() throws Exception {
        int subscribers = 30;
        List<String> bodies = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            String msisdn = "1978556" + String.format("%04d", i);
            bodies.add(Callbacks.consentEvent("UNSUBSCRIBE", "many-u-" + i, "+" + msisdn, T));
            bodies.add(Callbacks.text("many-s-" + i, msisdn, "STOP", T.plusMillis(4)));
            bodies.add(Callbacks.text("many-r-" + i, msisdn, "Stop.", T.plusSeconds(5)));
            keys.addAll(List.of("message:many-u-" + i + ":UNSUBSCRIBE", "event:many-s-" + i, "event:many-r-" + i));
        }
        Collections.shuffle(bodies, new java.util.Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        for (String body : bodies) {
            answers.add(pool.submit(() -> router.postJson(body).statusCode()));
        }
        for (Future<Integer> f : answers) {
            assertThat(f.get()).isEqualTo(200);
        }
        pool.shutdown();
        awaitRouted(keys.toArray(String[]::new));
        settled();
        for (int i = 0; i < subscribers; i++) {
            assertThat(messagesFor("OPT_OUT", "1978556" + String.format("%04d", i))).as("subscriber %d", i).hasSize(1);
        }
    }

    @Test
    void aFailureAfterTheLedgerUpdateRollsBackAndTheRedeliverySendsTheMessageOnce() throws Exception {
        AuditFaultTrigger.FAULTS.put("msg-flaky-1", new AtomicInteger(2));
        router.postJson(Callbacks.text("flaky-1", "19785550407", "STOP", T));
        awaitRouted("event:flaky-1");
        assertThat(AuditFaultTrigger.INJECTED.get("msg-flaky-1")).hasValue(2);
        settled();
        assertThat(messagesFor("OPT_OUT", "19785550407")).as("rolled back twice, sent once").hasSize(1);
        assertThat(router.query("SELECT outcome FROM rcs_consent_event WHERE message_id = 'msg-flaky-1'"))
                .extracting(row -> row.get("outcome")).containsExactly("CHANGED");
    }

    @Test
    void anEventThatAlwaysFailsIsParkedWithNothingHalfSent() throws Exception {
        AuditFaultTrigger.FAULTS.put("msg-poison-1", new AtomicInteger(-1));
        router.postJson(Callbacks.text("poison-1", "19785550408", "STOP", T));
        List<RouterHarness.Received> parked = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            parked.addAll(router.drainNow("rcs.dispatch.dlq"));
            return parked.stream().anyMatch(m -> "event:poison-1".equals(m.properties().get("rcsDedupKey")));
        });
        RouterHarness.Received m = parked.stream()
                .filter(x -> "event:poison-1".equals(x.properties().get("rcsDedupKey"))).findFirst().orElseThrow();
        assertThat(m.properties().get("rcsFailure").toString()).contains("gave up after 6 deliveries");
        assertThat(AuditFaultTrigger.INJECTED.get("msg-poison-1")).hasValue(5);
        assertThat(router.auditRow("event:poison-1").get("status")).isEqualTo("FAILED");
        settled();
        assertThat(messagesFor("OPT_OUT", "19785550408")).as("every attempt rolled back").isEmpty();
    }

    @Test
    void theAdminApiIsGuarded() throws Exception {
        assertThat(router.get("/admin/consent/kio_rcs/19785550401").statusCode()).isEqualTo(401);
        assertThat(router.get("/admin/consent/kio_rcs/19785550401", "Authorization", "Bearer nope").statusCode())
                .isEqualTo(401);
        var unknown = router.get("/admin/consent/kio_rcs/10000000000", "Authorization", "Bearer " + ADMIN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(router.get("/admin/audit", "Authorization", "Bearer " + ADMIN).statusCode()).isEqualTo(400);
        router.postJson(Callbacks.text("adm-1", "19785550409", "hello", T));
        await().atMost(Duration.ofSeconds(10)).until(() -> router.auditRow("event:adm-1") != null);
        var audit = router.get("/admin/audit?messageId=msg-adm-1", "Authorization", "Bearer " + ADMIN);
        assertThat(audit.statusCode()).isEqualTo(200);
        JsonNode rows = JSON.readTree(audit.body());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("dedupKey").asText()).isEqualTo("event:adm-1");
        assertThat(rows.get(0).get("receivedAt").asText()).endsWith("Z");
    }
}
