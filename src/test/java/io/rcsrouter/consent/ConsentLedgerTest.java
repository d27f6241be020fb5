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
                var ps = c.prepareStatement("EXPLAIN " + ConsentLedger.currentStateQuery(3))) {
            for (int i = 1; i <= 3; i++) {
                ps.setString(i, "1978555000" + i);
            }
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
}
