package io.rcsrouter.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.rcsrouter.event.RcsEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the audit claim makes of a batch, and the audit rows it hands to the statements. */
class DispatchBatchTest {

    static DispatchEvent event(String eventId, String ingressId) {
        RcsEvent e = new RcsEvent("4000", "SENT", eventId, "m-" + eventId, "kio_rcs", "+19785550000", "VZ",
                Instant.parse("2026-04-20T09:10:00Z"), null, true);
        return new DispatchEvent("{\"raw\":\"" + eventId + "\"}", "kaleyra", ingressId,
                Instant.parse("2026-04-20T09:10:01Z"), 1, e);
    }

    @Test
    void newRedeliveryAndRepeatAreToldApartByWhoStoredTheRow() {
        DispatchEvent fresh = event("e1", "in-1");
        DispatchEvent redelivered = event("e2", "in-2");
        DispatchEvent repeat = event("e3", "in-3");
        DispatchBatch batch = new DispatchBatch(new ArrayList<>(List.of(fresh, redelivered, repeat)));
        batch.applyClaims(List.of(
                Map.of("dedup_key", "event:e2", "ingress_id", "in-2"),
                Map.of("dedup_key", "event:e3", "ingress_id", "someone-else")));
        assertThat(fresh.claim()).isEqualTo(DispatchEvent.Claim.NEW);
        assertThat(redelivered.claim()).isEqualTo(DispatchEvent.Claim.REDELIVERY);
        assertThat(repeat.claim()).isEqualTo(DispatchEvent.Claim.REPEAT);
        assertThat(batch.routable()).containsExactly(fresh, redelivered);
        assertThat(batch.getNewRows()).extracting(r -> r.get("dedupKey")).containsExactly("event:e1");
        assertThat(batch.getRedeliveredRows()).extracting(r -> r.get("dedupKey")).containsExactly("event:e2");
        assertThat(batch.getRepeatRows()).containsExactly(Map.of("dedupKey", "event:e3", "count", 1));
    }

    @Test
    void copiesInOneBatchAreRoutedOnceAndCountedUnlessTheyAreTheSameRequest() {
        DispatchEvent first = event("e1", "in-1");
        DispatchEvent kaleyraRetry = event("e1", "in-2");
        DispatchEvent anotherRetry = event("e1", "in-3");
        DispatchEvent sameRequestAgain = event("e1", "in-1");
        DispatchBatch batch = new DispatchBatch(new ArrayList<>(List.of(first, kaleyraRetry, anotherRetry,
                sameRequestAgain)));
        batch.applyClaims(List.of());
        assertThat(first.claim()).isEqualTo(DispatchEvent.Claim.NEW);
        assertThat(kaleyraRetry.claim()).isEqualTo(DispatchEvent.Claim.REPEAT);
        assertThat(anotherRetry.claim()).isEqualTo(DispatchEvent.Claim.REPEAT);
        assertThat(sameRequestAgain.claim()).isEqualTo(DispatchEvent.Claim.REDELIVERY);
        assertThat(batch.getRepeatRows()).containsExactly(Map.of("dedupKey", "event:e1", "count", 2));
        assertThat(batch.repeats()).isEqualTo(2);
    }

    @Test
    void theAuditRowCarriesTheEventNormalisedAndItsOutcome() {
        DispatchEvent e = event("e1", "in-1");
        e.routeTo("delivery-event", List.of("direct:delivery"), "DELIVERY");
        e.outcome("ROUTED", "a detail", null);
        Map<String, Object> row = new DispatchBatch(new ArrayList<>(List.of(e))).getNewRows().get(0);
        assertThat(row).containsEntry("msisdn", "19785550000").containsEntry("agent", "kio_rcs")
                .containsEntry("route", "DELIVERY").containsEntry("status", "ROUTED")
                .containsEntry("detail", "a detail").containsEntry("provider", "kaleyra")
                .containsEntry("ingressId", "in-1").containsEntry("payload", "{\"raw\":\"e1\"}");
        assertThat(row.get("sentAt").toString()).isEqualTo("2026-04-20T09:10Z");
    }

    @Test
    void aResetForgetsEveryDecisionForTheNextAttempt() {
        DispatchEvent e = event("e1", "in-1");
        DispatchBatch batch = new DispatchBatch(new ArrayList<>(List.of(e)));
        batch.applyClaims(List.of(Map.of("dedup_key", "event:e1", "ingress_id", "other")));
        e.outcome("ROUTED", "consent CHANGED", null);
        e.payload("compliance", "{}", Map.of());
        batch.send(new Outgoing("q", "{}", Map.of()));
        batch.reset();
        assertThat(e.claim()).isEqualTo(DispatchEvent.Claim.NEW);
        assertThat(e.detail()).isNull();
        assertThat(e.payload("compliance")).isNull();
        assertThat(batch.outgoing()).isEmpty();
    }
}
