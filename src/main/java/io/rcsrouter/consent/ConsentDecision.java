package io.rcsrouter.consent;

/**
 * What the ledger made of a {@link ConsentRequest}.
 *
 * @param outcome   CHANGED (this event changed the state), UNCHANGED (the state already was so: the second half
 *                  of an UNSUBSCRIBE + "STOP" pair, or a repeat), STALE (an older event than the current state)
 * @param decidedBy the messageId of the event that set the current state
 * @param scope     the ledger key the agent maps to (the agent itself, or its brand scope)
 * @param state     the subscriber's state after this decision
 * @param replay    true when this event had been decided before (a broker redelivery after a crash)
 */
public record ConsentDecision(String outcome, String decidedBy, String scope, String state, boolean replay) {

    public static final String CHANGED = "CHANGED";
    public static final String UNCHANGED = "UNCHANGED";
    public static final String STALE = "STALE";

    /**
     * Whether the compliance queue must get a message: for every change, also when re-deciding after a crash, since
     * the first attempt's message was rolled back with its JMS transaction.
     */
    public boolean emit() {
        return CHANGED.equals(outcome);
    }
}
