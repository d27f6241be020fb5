package io.rcsrouter.consent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.engine.DispatchBatch;
import io.rcsrouter.engine.DispatchEvent;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.infra.DatabaseUnavailableException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The consent ledger: current consent per (scope, subscriber) in {@code rcs_consent}, and every consent-relevant
 * event with the ledger's verdict in {@code rcs_consent_event}.
 *
 * <p>Guarantees, with any number of consumers and router instances on one database:
 * <ul>
 *   <li>events apply in {@code occurredAt} (sentAt) order: an older event arriving late never overturns a newer
 *       state (it is recorded as STALE);</li>
 *   <li>exactly one event is CHANGED per actual change: the UNSUBSCRIBE event and the "STOP" that follows it a few
 *       milliseconds later, processed at the same moment by two consumers, give one CHANGED and one UNCHANGED,
 *       because the decision is taken under a row lock (or a unique-key race on the first insert, retried);</li>
 *   <li>a redelivered event finds its own earlier verdict (by dedup key) instead of being judged again, so the
 *       caller can re-emit the compliance message that a crash rolled back.</li>
 * </ul>
 */
public class ConsentLedger {

    public static final String OPTED_OUT = "OPTED_OUT";
    public static final String OPTED_IN = "OPTED_IN";
    private static final int MAX_ATTEMPTS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final Map<String, String> scopeByAgent;

    /**
     * @param dataSource the audit/consent database
     * @param scopes     brand scopes, "brandA=agent1,agent2;brandB=agent3": agents of one scope share one consent
     *                   state (an opt-out to one is an opt-out to all). Blank: every agent is its own scope.
     */
    public ConsentLedger(DataSource dataSource, String scopes) {
        this.dataSource = dataSource;
        this.scopeByAgent = parseScopes(scopes);
    }

    /** The ledger key for an agent. */
    public String scopeOf(String agent) {
        String a = agent == null || agent.isBlank() ? "(unknown-agent)" : agent.strip();
        return scopeByAgent.getOrDefault(a, a);
    }

    /**
     * The destination step of {@code direct:opt-out} (routes/compliance.camel.yaml): decides each event of the group
     * in the dispatch batch's database transaction, subscriber by subscriber in {@code sentAt} order; a change gets
     * its compliance message (sent by the next step, {@code rcs:queue:...?send=compliance}), every event its
     * verdict in the audit row.
     */
    public void optOut(DispatchBatch group) throws SQLException, JsonProcessingException {
        decideAll(group, "OPT_OUT");
    }

    /** The destination step of {@code direct:opt-in}: as {@link #optOut}. */
    public void optIn(DispatchBatch group) throws SQLException, JsonProcessingException {
        decideAll(group, "OPT_IN");
    }

    private void decideAll(DispatchBatch group, String action) throws SQLException, JsonProcessingException {
        List<DispatchEvent> ordered = new ArrayList<>(group.events());
        // one lock order for every batch (scope, subscriber), and each subscriber's events in the order they happened
        ordered.sort(Comparator.comparing((DispatchEvent e) -> scopeOf(e.agent()))
                .thenComparing(e -> String.valueOf(e.msisdn()))
                .thenComparing(DispatchEvent::occurredAt)
                .thenComparing(DispatchEvent::dedupKey));
        List<ConsentRequest> requests = new ArrayList<>(ordered.size());
        for (DispatchEvent e : ordered) {
            RcsEvent event = e.event();
            requests.add(new ConsentRequest(action, e.consentSource(), e.agent(), e.msisdn(), event.carrierId(),
                    e.occurredAt(), event.messageId(), event.dedupKey(), event.type(), event.text()));
        }
        List<ConsentDecision> decisions = decideGroup(batchConnection(), requests);
        for (int i = 0; i < ordered.size(); i++) {
            DispatchEvent e = ordered.get(i);
            ConsentRequest req = requests.get(i);
            ConsentDecision d = decisions.get(i);
            if (ConsentDecision.CHANGED.equals(d.outcome())) {
                e.outcome("ROUTED", "consent CHANGED (source " + req.source() + ")", null);
            } else {
                e.outcome("ROUTED", "consent " + d.outcome() + ", decided by " + d.decidedBy() + " (source "
                        + req.source() + ")", d.decidedBy());
            }
            e.consent(action, d.outcome());
            if (d.emit()) {
                ComplianceMessage msg = new ComplianceMessage(action, e.agent(), d.scope(), req.msisdn(),
                        req.carrier(), req.occurredAt().toString(), req.source(), req.text(), req.eventType(),
                        List.of(req.messageId()));
                e.payload("compliance", JSON.writeValueAsString(msg),
                        Map.of("action", action, "agent", String.valueOf(e.agent()), "msisdn", req.msisdn()));
            }
        }
    }

    /**
     * Decides a group of requests in the caller's transaction, in the order given, each as if decided alone after
     * the ones before it, with a handful of statements for the whole group instead of four per request: the earlier verdicts of
     * the group's keys (one query), the current states of its subscribers, locked in (scope, subscriber) order (one
     * {@code SELECT ... FOR UPDATE}), the decisions in memory, then one batch each of new states, changed states and
     * ledger entries. Two deciders on one subscriber still meet at the row lock, or at the unique key of a first
     * insert (a race: the dispatch batch decides again).
     */
    List<ConsentDecision> decideGroup(Connection c, List<ConsentRequest> requests) throws SQLException {
        for (ConsentRequest r : requests) {
            if (r.msisdn() == null || r.dedupKey() == null || r.occurredAt() == null) {
                throw new IllegalArgumentException("a consent decision needs a subscriber, a key and a time: " + r);
            }
        }
        Map<String, ConsentDecision> verdicts = earlierVerdicts(c, requests);
        Map<Subscriber, State> states = lockStates(c, requests, verdicts);
        List<ConsentDecision> decisions = new ArrayList<>(requests.size());
        List<Object[]> entries = new ArrayList<>();
        for (ConsentRequest req : requests) {
            String scope = scopeOf(req.agent());
            State state = states.get(new Subscriber(scope, req.msisdn()));
            ConsentDecision earlier = verdicts.get(req.dedupKey());
            if (earlier != null) {
                decisions.add(new ConsentDecision(earlier.outcome(), earlier.decidedBy(), scope,
                        state == null ? earlier.state() : state.state, true));
                continue;
            }
            String desired = desiredState(req.action());
            String outcome;
            if (state.state == null || (!state.state.equals(desired) && !state.changedAt.isAfter(req.occurredAt()))) {
                state.change(desired, req);
                outcome = ConsentDecision.CHANGED;
            } else {
                outcome = state.state.equals(desired) ? ConsentDecision.UNCHANGED : ConsentDecision.STALE;
            }
            ConsentDecision d = new ConsentDecision(outcome, state.messageId, scope, state.state, false);
            decisions.add(d);
            // a second request with the same key finds this verdict, as a later group finds its ledger entry
            verdicts.put(req.dedupKey(), new ConsentDecision(outcome, state.messageId, scope, state.state, true));
            String text = req.text();
            entries.add(new Object[] {scope, req.msisdn(), req.action(), req.source(), req.messageId(),
                    req.dedupKey(), Timestamp.from(req.occurredAt()), outcome, state.messageId,
                    text == null ? null : text.length() > 2000 ? text.substring(0, 2000) : text});
        }
        writeStates(c, states);
        writeBatch(c, "INSERT INTO rcs_consent_event (agent, msisdn, action, source, message_id, dedup_key, sent_at,"
                + " outcome, decided_by, text, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)",
                entries);
        return decisions;
    }

    private static String desiredState(String action) {
        return "OPT_IN".equals(action) ? OPTED_IN : OPTED_OUT;
    }

    /** The verdicts already recorded for the group's keys (a redelivery after a crash), by dedup key. */
    private static Map<String, ConsentDecision> earlierVerdicts(Connection c, List<ConsentRequest> requests)
            throws SQLException {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        requests.forEach(r -> keys.add(r.dedupKey()));
        Map<String, ConsentDecision> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT e.dedup_key, e.outcome, e.decided_by, s.state"
                + " FROM rcs_consent_event e LEFT JOIN rcs_consent s ON s.agent = e.agent AND s.msisdn = e.msisdn"
                + " WHERE e.dedup_key = ANY(?)")) {
            bindArray(ps, 1, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new ConsentDecision(rs.getString(2), rs.getString(3), null,
                            rs.getString(4), true));
                }
            }
        }
        return out;
    }

    /**
     * The current state of every subscriber the group decides on, each row locked; a subscriber with no row yet
     * gets an empty state (its first decision inserts one). The query also locks the group's subscribers in other
     * scopes (a few rows, rarely wanted by anyone else at the same moment): they only wait for this commit.
     */
    private Map<Subscriber, State> lockStates(Connection c, List<ConsentRequest> requests,
            Map<String, ConsentDecision> verdicts) throws SQLException {
        // written back in one order too (first inserts of two deciders meet on the unique key in the same order)
        Map<Subscriber, State> states = new java.util.TreeMap<>(Comparator.comparing(Subscriber::scope)
                .thenComparing(Subscriber::msisdn));
        java.util.Set<String> numbers = new java.util.TreeSet<>();
        for (ConsentRequest r : requests) {
            if (!verdicts.containsKey(r.dedupKey())) {
                String scope = scopeOf(r.agent());
                states.put(new Subscriber(scope, r.msisdn()), new State());
                numbers.add(r.msisdn());
            }
        }
        if (states.isEmpty()) {
            return states;
        }
        try (PreparedStatement ps = c.prepareStatement(lockQuery())) {
            bindArray(ps, 1, numbers);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    State s = states.get(new Subscriber(rs.getString(1), rs.getString(2)));
                    if (s != null) {
                        s.stored(rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5));
                    }
                }
            }
        }
        return states;
    }

    /**
     * The states of {@code numbers} subscribers in every scope, locked in one order: through ix_rcs_consent_msisdn,
     * like {@link #currentStateQuery} (a condition on the scope made H2 read the whole scope by its primary key).
     */
    static String lockQuery() {
        return "SELECT agent, msisdn, state, changed_at, message_id FROM rcs_consent WHERE msisdn = ANY(?)"
                + " ORDER BY agent, msisdn FOR UPDATE";
    }

    /** The states the group set: one INSERT batch for first decisions, one UPDATE batch for changes. */
    private static void writeStates(Connection c, Map<Subscriber, State> states) throws SQLException {
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        for (Map.Entry<Subscriber, State> e : states.entrySet()) {
            State s = e.getValue();
            if (!s.changed) {
                continue;
            }
            Timestamp at = Timestamp.from(s.changedAt);
            if (s.stored) {
                updates.add(new Object[] {s.state, at, s.messageId, s.source, e.getKey().scope(),
                        e.getKey().msisdn()});
            } else {
                inserts.add(new Object[] {e.getKey().scope(), e.getKey().msisdn(), s.state, at, s.messageId,
                        s.source});
            }
        }
        writeBatch(c, "INSERT INTO rcs_consent (agent, msisdn, state, changed_at, message_id, source, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)", inserts);
        writeBatch(c, "UPDATE rcs_consent SET state = ?, changed_at = ?, message_id = ?, source = ?,"
                + " updated_at = CURRENT_TIMESTAMP WHERE agent = ? AND msisdn = ?", updates);
    }

    private static void writeBatch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (row[i] instanceof Timestamp t) {
                        ps.setTimestamp(i + 1, t);
                    } else {
                        ps.setString(i + 1, (String) row[i]);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * A set of values as one array parameter ({@code column = ANY(?)}): one statement whatever the set's size, so the
     * driver and the server prepare and plan it once, where an IN list of n parameters is another statement per n.
     */
    private static void bindArray(PreparedStatement ps, int index, java.util.Collection<String> values)
            throws SQLException {
        ps.setObject(index, values.toArray(String[]::new));
    }

    private record Subscriber(String scope, String msisdn) {
    }

    /** One subscriber's state while a group is decided: as stored (locked), then as the group changed it. */
    private static final class State {
        String state;
        Instant changedAt;
        String messageId;
        String source;
        boolean stored;
        boolean changed;

        void stored(String state, Instant changedAt, String messageId) {
            this.state = state;
            this.changedAt = changedAt;
            this.messageId = messageId;
            this.stored = true;
        }

        void change(String state, ConsentRequest req) {
            this.state = state;
            this.changedAt = req.occurredAt();
            this.messageId = req.messageId();
            this.source = req.source();
            this.changed = true;
        }
    }

    /**
     * A step of {@code direct:crm} (routes/crm.camel.yaml): each event of the group learns its subscriber's consent
     * for its agent's scope as the ledger holds it now, in the batch's transaction (opt-outs earlier in the batch
     * included), whichever provider recorded it: one query per group.
     */
    public void markCurrent(DispatchBatch group) throws SQLException {
        List<DispatchEvent> events = group.events();
        java.util.Set<String> numbers = new java.util.LinkedHashSet<>();
        for (DispatchEvent e : events) {
            if (e.msisdn() != null) {
                numbers.add(e.msisdn());
            }
        }
        if (numbers.isEmpty()) {
            return;
        }
        Map<String, String> states = new HashMap<>();
        // ix_rcs_consent_msisdn (V6): the group's numbers, in every scope, without reading the rest of the table
        try (PreparedStatement ps = batchConnection().prepareStatement(currentStateQuery())) {
            bindArray(ps, 1, numbers);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1) + "\u0000" + rs.getString(2), rs.getString(3));
                }
            }
        }
        for (DispatchEvent e : events) {
            e.consentState(states.get(scopeOf(e.agent()) + "\u0000" + e.msisdn()));
        }
    }

    /** The consent of {@code numbers} subscribers in every scope (ix_rcs_consent_msisdn). */
    static String currentStateQuery() {
        return "SELECT agent, msisdn, state FROM rcs_consent WHERE msisdn = ANY(?)";
    }

    /** The dispatch batch's connection (bound to the thread by the dispatch consumer). */
    private Connection batchConnection() {
        Object holder = TransactionSynchronizationManager.getResource(dataSource);
        if (holder instanceof ConnectionHolder h) {
            return h.getConnection();
        }
        throw new IllegalStateException("the consent ledger decides inside a dispatch batch (routes/compliance"
                + ".camel.yaml), not on its own");
    }

    /** Decides and records one consent event, in one database transaction. */
    public ConsentDecision record(ConsentRequest req) {
        if (!"OPT_IN".equals(req.action()) && !"OPT_OUT".equals(req.action())) {
            throw new IllegalArgumentException("consent action must be OPT_OUT or OPT_IN, not " + req.action());
        }
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    ConsentDecision d = decideGroup(c, List.of(req)).get(0);
                    c.commit();
                    return d;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (DatabaseUnavailableException.isUnavailable(e) && !isLockTimeout(e)) {
                    throw new DatabaseUnavailableException("consent ledger: database unavailable", e);
                }
                if (!isRace(e)) {
                    throw new IllegalStateException("consent ledger failed for " + req.dedupKey(), e);
                }
                last = e; // two deciders raced for the same subscriber: decide again, now seeing the winner
            }
        }
        throw new DatabaseUnavailableException("consent ledger: gave up after " + MAX_ATTEMPTS + " races", last);
    }

    /** A unique-key race (two first inserts) or a lock wait that timed out: both resolve by deciding again. */
    private static boolean isRace(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 23505/23001: unique violation (PostgreSQL/H2); 40001/40P01: serialization failure/deadlock
                if (state.equals("23505") || state.equals("23001") || state.equals("40001")
                        || state.equals("40P01") || state.equals("HYT00")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isLockTimeout(SQLException e) {
        return "HYT00".equals(e.getSQLState());
    }

    static Map<String, String> parseScopes(String scopes) {
        Map<String, String> out = new HashMap<>();
        if (scopes == null || scopes.isBlank()) {
            return out;
        }
        for (String group : scopes.split(";")) {
            int eq = group.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("RCS_CONSENT_SCOPES: expected scope=agent1,agent2; got '" + group + "'");
            }
            String scope = group.substring(0, eq).strip();
            for (String agent : group.substring(eq + 1).split(",")) {
                if (!agent.isBlank()) {
                    out.put(agent.strip(), scope);
                }
            }
        }
        return out;
    }

    DataSource dataSource() {
        return dataSource;
    }
}
