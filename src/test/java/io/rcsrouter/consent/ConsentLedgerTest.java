package io.rcsrouter.consent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.rcsrouter.infra.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger's decisions against a real database (H2 with the Flyway migrations). */
class ConsentLedgerTest {

    static final Instant T = Instant.parse("2026-04-20T09:01:28.667Z");
    Database db;
    ConsentLedger ledger;

    @BeforeEach
    void start() throws Exception {
        db = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "",
                8, Duration.ofSeconds(5));
        db.start();
        ledger = new ConsentLedger(db.dataSource(), "acme=kio_rcs,kio_rcs_promo");
    }

    @AfterEach
    void stop() {
        db.stop();
    }

    ConsentRequest req(String action, String source, String agent, String msisdn, Instant at, String messageId) {
        return new ConsentRequest(action, source, agent, msisdn, "VZ", at, messageId, "k:" + messageId,
                action.equals("OPT_OUT") ? "UNSUBSCRIBE" : "SUBSCRIBE", null);
    }

    @Test
    void theConsentOfABatchsRepliesIsReadThroughAnIndexNotAScan() throws Exception {
        try (var c = db.dataSource().getConnection();
                var ps = c.prepareStatement("EXPLAIN " + ConsentLedger.currentStateQuery())) {
            ps.setObject(1, new String[] {"19785550001", "19785550002", "19785550003"});
            try (var rs = ps.executeQuery()) {
                rs.next();
                // without V6 this read every row of rcs_consent for every dispatch batch with a reply in it
                assertThat(rs.getString(1).toLowerCase()).contains("ix_rcs_consent_msisdn");
            }
        }
    }

    @Test
    void firstOptOutChangesAndTheFollowingStopCollapsesIntoIt() {
        ConsentDecision unsubscribe = ledger.record(req("OPT_OUT", "EVENT", "solo", "19782412456", T, "m-unsub"));
        ConsentDecision stop = ledger.record(req("OPT_OUT", "KEYWORD", "solo", "19782412456", T.plusMillis(4), "m-stop"));
        assertThat(unsubscribe.outcome()).isEqualTo(ConsentDecision.CHANGED);
        assertThat(unsubscribe.emit()).isTrue();
        assertThat(stop.outcome()).isEqualTo(ConsentDecision.UNCHANGED);
        assertThat(stop.emit()).isFalse();
        assertThat(stop.decidedBy()).isEqualTo("m-unsub");
        assertThat(stop.state()).isEqualTo(ConsentLedger.OPTED_OUT);
    }

    @Test
    void anOlderEventArrivingLateNeverOverturnsANewerState() {
        assertThat(ledger.record(req("OPT_IN", "EVENT", "solo", "1555", T, "m-new")).outcome()).isEqualTo("CHANGED");
        ConsentDecision late = ledger.record(req("OPT_OUT", "EVENT", "solo", "1555", T.minusSeconds(60), "m-old"));
        assertThat(late.outcome()).isEqualTo(ConsentDecision.STALE);
        assertThat(late.state()).isEqualTo(ConsentLedger.OPTED_IN);
        assertThat(late.decidedBy()).isEqualTo("m-new");
        // a newer opt-out does change it
        assertThat(ledger.record(req("OPT_OUT", "KEYWORD", "solo", "1555", T.plusSeconds(1), "m-newer")).outcome())
                .isEqualTo(ConsentDecision.CHANGED);
    }

    @Test
    void aRedeliveredEventFindsItsEarlierVerdictSoItsMessageCanBeReEmitted() {
        ConsentRequest r = req("OPT_OUT", "EVENT", "solo", "1777", T, "m-1");
        ConsentDecision first = ledger.record(r);
        ConsentDecision again = ledger.record(r);
        assertThat(first.replay()).isFalse();
        assertThat(again.replay()).isTrue();
        assertThat(again.outcome()).isEqualTo(ConsentDecision.CHANGED);
        assertThat(again.emit()).as("the first attempt's message may have been rolled back").isTrue();
    }

    @Test
    void agentsOfOneBrandScopeShareConsent() {
        ledger.record(req("OPT_OUT", "EVENT", "kio_rcs", "1888", T, "m-a"));
        ConsentDecision other = ledger.record(req("OPT_OUT", "KEYWORD", "kio_rcs_promo", "1888", T.plusSeconds(5), "m-b"));
        assertThat(other.outcome()).isEqualTo(ConsentDecision.UNCHANGED);
        assertThat(other.scope()).isEqualTo("acme");
        assertThat(ledger.record(req("OPT_OUT", "EVENT", "someone_else", "1888", T, "m-c")).outcome())
                .isEqualTo(ConsentDecision.CHANGED);
    }

    @Test
    void aPairDecidedAtTheSameMomentGivesExactlyOneChange() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 25; round++) {
                String msisdn = "1999000" + round;
                List<Callable<ConsentDecision>> tasks = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    ConsentRequest r = req("OPT_OUT", i == 0 ? "EVENT" : "KEYWORD", "solo", msisdn,
                            T.plusMillis(i), "m-" + round + "-" + i);
                    tasks.add(() -> ledger.record(r));
                }
                List<String> outcomes = new ArrayList<>();
                for (Future<ConsentDecision> f : pool.invokeAll(tasks)) {
                    outcomes.add(f.get().outcome());
                }
                assertThat(outcomes).as("round %d", round).filteredOn(ConsentDecision.CHANGED::equals).hasSize(1);
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Dispatch decides each batch's opt-outs (or opt-ins) as one group: a few statements for the group, not four per
     * event. Whatever the groups hold (one subscriber twice, a brand scope, a late event, a redelivery, a key twice),
     * the verdicts and the states must be those of the ledger's rules applied one request at a time ({@link Rules},
     * written here apart from the ledger's code).
     */
    @Test
    void groupsAreDecidedAsTheRulesSayOneRequestAtATime() throws Exception {
        java.util.Random random = new java.util.Random(20261203);
        Rules rules = new Rules();
        List<ConsentRequest> redeliverable = new ArrayList<>();
        int changed = 0;
        int stale = 0;
        for (int group = 0; group < 60; group++) {
            String action = random.nextInt(3) == 0 ? "OPT_IN" : "OPT_OUT";
            List<ConsentRequest> requests = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(12); i < n; i++) {
                ConsentRequest r;
                int pick = random.nextInt(10);
                if (pick == 0 && !redeliverable.isEmpty()) {
                    // a broker redelivery of an earlier event (its verdict is in the ledger), or a key twice
                    r = redeliverable.get(random.nextInt(redeliverable.size()));
                    if (!r.action().equals(action)) {
                        continue;
                    }
                } else {
                    String agent = List.of("kio_rcs", "kio_rcs_promo", "solo").get(random.nextInt(3));
                    // minutes apart, sometimes earlier than what is stored (STALE)
                    r = req(action, pick < 5 ? "KEYWORD" : "EVENT", agent, "197855500" + random.nextInt(6),
                            T.plusSeconds(60L * random.nextInt(40)), "m-" + group + "-" + i);
                    redeliverable.add(r);
                }
                requests.add(r);
            }
            List<ConsentDecision> decided;
            try (var c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                decided = ledger.decideGroup(c, requests);
                c.commit();
            }
            assertThat(decided).hasSameSizeAs(requests);
            for (int i = 0; i < requests.size(); i++) {
                ConsentRequest r = requests.get(i);
                ConsentDecision d = decided.get(i);
                assertThat(List.of(d.outcome(), d.decidedBy(), d.scope(), d.replay()))
                        .as("group %d, request %s", group, r).isEqualTo(rules.apply(r, ledger.scopeOf(r.agent())));
                changed += ConsentDecision.CHANGED.equals(d.outcome()) && !d.replay() ? 1 : 0;
                stale += ConsentDecision.STALE.equals(d.outcome()) ? 1 : 0;
            }
        }
        assertThat(changed).as("the groups changed consent, not only confirmed it").isGreaterThan(20);
        assertThat(stale).as("late events met newer states").isGreaterThan(5);
        assertThat(rows(db, "SELECT agent, msisdn, state, message_id FROM rcs_consent ORDER BY agent, msisdn"))
                .isEqualTo(rules.states());
        assertThat(rows(db, "SELECT dedup_key FROM rcs_consent_event")).hasSize(rules.verdicts.size());
    }

    /** The ledger's rules (docs/compliance.md), one request at a time, in memory. */
    static final class Rules {
        final java.util.TreeMap<String, String[]> states = new java.util.TreeMap<>(); // state, changed at, by
        final java.util.Map<String, List<Object>> verdicts = new java.util.HashMap<>();

        List<Object> apply(ConsentRequest r, String scope) {
            List<Object> earlier = verdicts.get(r.dedupKey());
            if (earlier != null) {
                return List.of(earlier.get(0), earlier.get(1), scope, true);
            }
            String desired = r.action().equals("OPT_IN") ? "OPTED_IN" : "OPTED_OUT";
            String key = scope + " " + r.msisdn();
            String[] now = states.get(key);
            String outcome;
            if (now == null || (!now[0].equals(desired) && !Instant.parse(now[1]).isAfter(r.occurredAt()))) {
                now = new String[] {desired, r.occurredAt().toString(), r.messageId()};
                states.put(key, now);
                outcome = "CHANGED";
            } else {
                outcome = now[0].equals(desired) ? "UNCHANGED" : "STALE";
            }
            verdicts.put(r.dedupKey(), List.of(outcome, now[2]));
            return List.of(outcome, now[2], scope, false);
        }

        List<List<Object>> states() {
            List<List<Object>> out = new ArrayList<>();
            states.forEach((key, s) -> out.add(List.of(key.split(" ")[0], key.split(" ")[1], s[0], s[2])));
            return out;
        }
    }

    @Test
    void anEventTwiceInOneGroupIsDecidedOnceAndFoundTheSecondTime() throws Exception {
        ConsentRequest r = req("OPT_OUT", "KEYWORD", "kio_rcs", "19785550777", T, "m-twice");
        ConsentRequest other = req("OPT_OUT", "KEYWORD", "kio_rcs_promo", "19785550777", T.plusSeconds(1), "m-2");
        List<ConsentDecision> decided;
        try (var c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            decided = ledger.decideGroup(c, List.of(r, other, r));
            c.commit();
        }
        assertThat(decided).extracting(ConsentDecision::outcome, ConsentDecision::replay).containsExactly(
                org.assertj.core.groups.Tuple.tuple("CHANGED", false), org.assertj.core.groups.Tuple.tuple("UNCHANGED",
                        false), org.assertj.core.groups.Tuple.tuple("CHANGED", true));
        assertThat(decided.get(1).decidedBy()).as("one brand scope: the first opt-out decided").isEqualTo("m-twice");
        assertThat(rows(db, "SELECT dedup_key FROM rcs_consent_event ORDER BY dedup_key"))
                .containsExactly(List.of("k:m-2"), List.of("k:m-twice"));
    }

    @Test
    void aGroupLocksItsSubscribersThroughAnIndex() throws Exception {
        try (var c = db.dataSource().getConnection();
                var ps = c.prepareStatement("EXPLAIN " + ConsentLedger.lockQuery())) {
            ps.setObject(1, new String[] {"19785550001", "19785550002"});
            try (var rs = ps.executeQuery()) {
                rs.next();
                // the whole table (or a brand's whole scope) read and locked for every batch with an opt-out, otherwise
                assertThat(rs.getString(1).toLowerCase()).contains("ix_rcs_consent_msisdn");
            }
        }
    }

    static List<List<Object>> rows(Database database, String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (var c = database.dataSource().getConnection(); var st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
