package io.rcsrouter.event;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The bean the routes call as {@code eventHeaders}: parses the body and puts what routing needs into headers, so
 * that the YAML routes can {@code choice} on plain strings.
 *
 * <p>Headers set (strings): {@code rcsCode}, {@code rcsType},
 * {@code rcsMessageKind} (TEXT, RESPONSE, LOCATION), {@code rcsMoType} (REPLY, DIAL, ...), {@code rcsAgent},
 * {@code rcsMsisdn} (normalised), {@code rcsCarrier}, {@code rcsMessageId}, {@code rcsEventId},
 * {@code rcsDedupKey}, {@code rcsSentAt} (ISO-8601); null when the callback has no such field. The parsed {@link RcsEvent} is kept in the exchange
 * property {@code rcsEvent}: properties never leave the router, headers may become JMS properties.
 */
public class EventHeaders {

    public static final String EVENT_PROPERTY = "rcsEvent";

    private final CallbackParser parser;

    public EventHeaders(CallbackParser parser) {
        this.parser = parser;
    }

    public void apply(Exchange exchange) throws InvalidCallbackException {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        RcsEvent event = parser.parse(body);
        exchange.setProperty(EVENT_PROPERTY, event);
        Message m = exchange.getMessage();
        put(m, "rcsCode", event.code());
        put(m, "rcsType", event.type());
        put(m, "rcsMessageId", event.messageId());
        put(m, "rcsEventId", event.eventId());
        put(m, "rcsDedupKey", event.dedupKey());
        put(m, "rcsAgent", event.agent());
        put(m, "rcsMsisdn", event.msisdn());
        put(m, "rcsCarrier", event.carrierId());
        Instant sentAt = event.sentAt();
        put(m, "rcsSentAt", sentAt == null ? null : sentAt.toString());
        UserMessage um = event.userMessage();
        put(m, "rcsMessageKind", um == null ? null : um.kind());
        put(m, "rcsMoType", um == null ? null : um.moType());
    }

    /**
     * The ingress step: stamps the request with {@code rcsIngressId} (a fresh UUID: which request first claimed an
     * event, telling a broker redelivery from a repeat delivery) and {@code rcsReceivedAt} (ISO-8601, UTC).
     */
    public void stampArrival(Exchange exchange) {
        exchange.getMessage().setHeader("rcsIngressId", java.util.UUID.randomUUID().toString());
        exchange.getMessage().setHeader("rcsReceivedAt", Instant.now().toString());
    }

    /** Sets the header, to null when the callback has no such field: the audit SQL names every one of them. */
    private static void put(Message m, String name, String value) {
        m.setHeader(name, value);
    }
}
