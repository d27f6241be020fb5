package io.rcsrouter.engine;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rcsrouter.classify.Intent;
import io.rcsrouter.event.RcsEvent;

/**
 * One stored callback inside a dispatch batch: what was taken off the inbound queue, what the router made of it,
 * and what it does with it. The destination routes read it (through the batch they are given) and the engine's
 * beans annotate it; the audit row is written from it once the whole batch is through.
 */
public final class DispatchEvent {

    /** What the audit table already knew of this event when the batch claimed it. */
    public enum Claim {
        /** never seen: routed, and its audit row inserted */
        NEW,
        /** stored by the same request before (a broker redelivery after a crash or a rollback): routed again */
        REDELIVERY,
        /** a repeat delivery of an event already stored by another request: counted on its row, not routed */
        REPEAT
    }

    private final String body;
    private final String provider;
    private String consentState;
    private final String ingressId;
    private final Instant receivedAt;
    private final int deliveryCount;
    private final RcsEvent event;
    private final String msisdn;
    private final String agent;
    private Intent intent = Intent.NONE;
    private Claim claim = Claim.NEW;

    private String rule;
    private final List<String> destinations = new ArrayList<>(2);
    private String route;
    private String status = "ROUTED";
    private String detail;
    private String relatedMessageId;

    /** A message made from this event for one kind of destination (compliance, crm), with its JMS properties. */
    public record Payload(String body, Map<String, String> properties) {
    }

    private Map<String, Payload> payloads;
    private io.opentelemetry.api.trace.Span span;
    private String traceparent;
    private String consentAction;
    private String consentOutcome;

    DispatchEvent(String body, String provider, String ingressId, Instant receivedAt, int deliveryCount,
            RcsEvent event) {
        this.body = body;
        this.provider = provider;
        this.ingressId = ingressId;
        this.receivedAt = receivedAt;
        this.deliveryCount = deliveryCount;
        this.event = event;
        this.msisdn = event.msisdn();
        this.agent = event.agent();
    }

    /** The subscriber, normalised (read once: the batch asks often). */
    public String msisdn() {
        return msisdn;
    }

    /** The agent (brand) the event concerns. */
    public String agent() {
        return agent;
    }

    /** The callback exactly as received. */
    public String body() {
        return body;
    }

    public String provider() {
        return provider;
    }

    public String ingressId() {
        return ingressId;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** 1 the first time the broker hands it out, more after rollbacks. */
    public int deliveryCount() {
        return deliveryCount;
    }

    /** The parsed callback. */
    public RcsEvent event() {
        return event;
    }

    public String dedupKey() {
        return event.dedupKey();
    }

    /** The consent meaning of the user's message (config/keywords.yaml); NONE for anything else. */
    public Intent intent() {
        return intent;
    }

    void intent(Intent intent) {
        this.intent = intent == null ? Intent.NONE : intent;
    }

    public Claim claim() {
        return claim;
    }

    void claim(Claim claim) {
        this.claim = claim;
    }

    /** The id of the routing-table rule that matched. */
    public String rule() {
        return rule;
    }

    /** The destination routes (endpoint URIs) the rule gave it, first one first. */
    public List<String> destinations() {
        return destinations;
    }

    void routeTo(String ruleId, List<String> to, String auditRoute) {
        this.rule = ruleId;
        this.destinations.clear();
        this.destinations.addAll(to);
        this.route = auditRoute;
    }

    /** rcs_audit.route: the first destination's name (direct:opt-out is OPT_OUT). */
    public String route() {
        return route;
    }

    public String status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    public String relatedMessageId() {
        return relatedMessageId;
    }

    /**
     * The audit row's outcome, set by a destination: e.g. the consent ledger's verdict. {@code related} names the
     * event that decided, when it is not this one.
     */
    public void outcome(String status, String detail, String related) {
        this.status = status;
        this.detail = detail;
        this.relatedMessageId = related;
    }

    /** EVENT (the provider's own consent event), KEYWORD or NATURAL_LANGUAGE; null when not a consent event. */
    public String consentSource() {
        return intent.isNone() ? "EVENT" : intent.source();
    }

    /** When it happened: the provider's sentAt, else when the router received it. */
    public Instant occurredAt() {
        return event.sentAt() != null ? event.sentAt() : receivedAt;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** The consent ledger's verdict (CHANGED, UNCHANGED, STALE) for OPT_OUT or OPT_IN, for the metrics. */
    public void consent(String action, String outcome) {
        this.consentAction = action;
        this.consentOutcome = outcome;
    }

    /**
     * The subscriber's consent as the ledger holds it for this event's scope when it is routed (OPTED_OUT,
     * OPTED_IN, or null when no consent event was ever recorded), whichever provider recorded it.
     */
    public String consentState() {
        return consentState;
    }

    public void consentState(String state) {
        this.consentState = state;
    }

    public String consentAction() {
        return consentAction;
    }

    public String consentOutcome() {
        return consentOutcome;
    }

    /** Keeps a message made from this event for {@code rcs:queue:NAME?send=KIND}. */
    public void payload(String kind, String body, Map<String, String> properties) {
        if (payloads == null) {
            payloads = new HashMap<>(2);
        }
        payloads.put(kind, new Payload(body, properties == null ? Map.of() : properties));
    }

    /** The message made for {@code kind}, or null when none was (e.g. an opt-out that changed nothing). */
    public Payload payload(String kind) {
        return payloads == null ? null : payloads.get(kind);
    }

    /** The trace the messages made from this event continue (RCS_TRACING_ENABLED), or null. */
    public String traceparent() {
        return traceparent;
    }

    void trace(io.opentelemetry.api.trace.Span span) {
        this.span = span;
        this.traceparent = span == null ? null : EngineTracing.format(span.getSpanContext());
    }

    void endTrace() {
        if (span != null) {
            span.end();
        }
    }

    /** Forgets every decision, for the batch's database work to be tried again. */
    void reset() {
        claim = Claim.NEW;
        status = "ROUTED";
        detail = null;
        relatedMessageId = null;
        payloads = null;
        consentAction = null;
        consentOutcome = null;
    }

    @Override
    public String toString() {
        return dedupKey();
    }
}
