package io.rcsrouter.engine;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rcsrouter.audit.AuditText;

/**
 * The events one dispatch transaction takes off the inbound queue, and what it does with them: the body of the
 * {@code dispatch} route's exchange (routes/engine.camel.yaml) and, split by destination, of each destination
 * route's. Everything the batch does commits together: the audit rows and consent decisions in one database
 * transaction, then the consumed messages and every message sent on in one JMS transaction.
 *
 * <p>The getters named {@code get...Rows} are the parameter rows of the audit statements (camel-sql, batch mode).
 */
public final class DispatchBatch {

    private final List<DispatchEvent> events;
    private final List<Outgoing> outgoing;

    public DispatchBatch(List<DispatchEvent> events) {
        this(events, new ArrayList<>());
    }

    private DispatchBatch(List<DispatchEvent> events, List<Outgoing> outgoing) {
        this.events = events;
        this.outgoing = outgoing;
    }

    /** The events of one destination: what its route gets; what it sends joins this batch's transaction. */
    DispatchBatch group(List<DispatchEvent> members) {
        return new DispatchBatch(members, outgoing);
    }

    /** Every event of the batch, in the order the broker handed them out. */
    public List<DispatchEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** The events to route: new ones and redeliveries (not the repeats). */
    public List<DispatchEvent> routable() {
        List<DispatchEvent> out = new ArrayList<>(events.size());
        for (DispatchEvent e : events) {
            if (e.claim() != DispatchEvent.Claim.REPEAT) {
                out.add(e);
            }
        }
        return out;
    }

    public int size() {
        return events.size();
    }

    /** Queues a message for this batch's JMS transaction. */
    public void send(Outgoing message) {
        outgoing.add(message);
    }

    public List<Outgoing> outgoing() {
        return outgoing;
    }

    /** Before the database work is tried again (a race or an outage): nothing decided so far stands. */
    void reset() {
        outgoing.clear();
        for (DispatchEvent e : events) {
            e.reset();
        }
    }

    // ---- the audit statements' parameters (routes/engine.camel.yaml) -------------------------------------------

    /** {@code keys}: the dedup keys of the batch, for the claim query (one array parameter, {@code = ANY}). */
    public Map<String, Object> getClaimParameters() {
        String[] keys = new String[events.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = events.get(i).dedupKey();
        }
        return Map.of("keys", keys);
    }

    /**
     * The claim query's answer (dedup_key, ingress_id of the rows that exist): each event is NEW, a REDELIVERY (its
     * own earlier attempt stored the row) or a REPEAT (another request did, or an earlier event of this batch).
     */
    public void applyClaims(List<Map<String, Object>> rows) {
        Map<String, String> claimedBy = new HashMap<>();
        for (Map<String, Object> row : rows) {
            claimedBy.put((String) row.get("dedup_key"), (String) row.get("ingress_id"));
        }
        Map<String, String> inThisBatch = new HashMap<>();
        for (DispatchEvent e : events) {
            String key = e.dedupKey();
            String owner = claimedBy.get(key);
            String earlier = inThisBatch.putIfAbsent(key, e.ingressId());
            if (earlier != null) {
                // a second copy in this batch: the same request's message again is routed again (as a broker
                // redelivery is), another request's is a repeat
                e.claim(earlier.equals(e.ingressId()) ? DispatchEvent.Claim.REDELIVERY : DispatchEvent.Claim.REPEAT);
            } else if (owner == null) {
                e.claim(DispatchEvent.Claim.NEW);
            } else if (owner.equals(e.ingressId())) {
                e.claim(DispatchEvent.Claim.REDELIVERY);
            } else {
                e.claim(DispatchEvent.Claim.REPEAT);
            }
        }
    }

    /** INSERT parameters of the new events' rows. */
    public List<Map<String, Object>> getNewRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DispatchEvent e : events) {
            if (e.claim() == DispatchEvent.Claim.NEW) {
                rows.add(row(e));
            }
        }
        return rows;
    }

    /** UPDATE parameters of the redelivered events' rows (routed again, so their outcome is written again). */
    public List<Map<String, Object>> getRedeliveredRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DispatchEvent e : events) {
            if (e.claim() == DispatchEvent.Claim.REDELIVERY) {
                rows.add(row(e));
            }
        }
        return rows;
    }

    /** UPDATE parameters counting the repeats on their rows: {dedupKey, count}. */
    public List<Map<String, Object>> getRepeatRows() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (DispatchEvent e : events) {
            if (e.claim() == DispatchEvent.Claim.REPEAT) {
                counts.merge(e.dedupKey(), 1, Integer::sum);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>(counts.size());
        counts.forEach((key, n) -> rows.add(Map.of("dedupKey", key, "count", n)));
        return rows;
    }

    public int repeats() {
        int n = 0;
        for (DispatchEvent e : events) {
            if (e.claim() == DispatchEvent.Claim.REPEAT) {
                n++;
            }
        }
        return n;
    }

    private static Map<String, Object> row(DispatchEvent e) {
        var ev = e.event();
        Map<String, Object> row = new HashMap<>(24);
        row.put("dedupKey", e.dedupKey());
        row.put("ingressId", e.ingressId());
        row.put("provider", e.provider());
        row.put("messageId", ev.messageId());
        row.put("eventId", ev.eventId());
        row.put("code", ev.code());
        row.put("type", ev.type());
        row.put("msisdn", e.msisdn());
        row.put("agent", e.agent());
        row.put("carrier", ev.carrierId());
        row.put("sentAt", DispatchEvent.utc(ev.sentAt()));
        row.put("receivedAt", DispatchEvent.utc(e.receivedAt()));
        row.put("route", e.route());
        row.put("status", e.status());
        row.put("detail", e.detail() == null ? null : AuditText.detail(e.detail()));
        row.put("relatedMessageId", e.relatedMessageId());
        row.put("payload", AuditText.payload(e.body()));
        return row;
    }

    @Override
    public String toString() {
        return events.toString();
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(java.time.ZoneOffset.UTC);
    }
}
