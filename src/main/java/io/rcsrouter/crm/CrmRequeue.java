package io.rcsrouter.crm;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsMessage;

/**
 * Tells the CRM forwarder when a request has been handed over by the broker so often that it must be queued again as
 * a new message. Every pause of the CRM circuit rolls back what the forwarder's consumers hold, and each rollback
 * counts as a delivery; a broker gives up on a message after its max-delivery-attempts (Artemis: 10 unless the
 * address says otherwise) and moves it to its own dead-letter address, where nobody looks and no audit row says so.
 * A CRM outage of a few minutes was enough (FaultSuiteIT, with a stock Artemis broker). The new copy, sent in the
 * same transaction as the original is taken off the queue, starts again at one delivery.
 */
public final class CrmRequeue {

    private final int afterDeliveries;

    /** @param afterDeliveries deliveries after which a request is queued again; 0: never */
    public CrmRequeue(int afterDeliveries) {
        this.afterDeliveries = afterDeliveries;
    }

    public boolean due(Exchange exchange) throws JMSException {
        if (afterDeliveries <= 0 || !(exchange.getMessage() instanceof JmsMessage jms) || jms.getJmsMessage() == null) {
            return false;
        }
        return due(jms.getJmsMessage());
    }

    boolean due(Message message) throws JMSException {
        return afterDeliveries > 0 && message.propertyExists("JMSXDeliveryCount")
                && message.getIntProperty("JMSXDeliveryCount") >= afterDeliveries;
    }
}
