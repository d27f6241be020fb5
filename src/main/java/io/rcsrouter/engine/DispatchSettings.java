package io.rcsrouter.engine;

/**
 * How dispatch works its queue.
 *
 * @param consumers       threads, each with its own JMS session: batches in parallel
 * @param batchSize       events at most in one transaction (a batch takes what is waiting, it never waits to fill)
 * @param maxDeliveries   attempts of one event before it is parked on {@code deadLetterQueue}
 * @param deadLetterQueue where an event dispatch gave up on goes, with the reason
 * @param batchWaitMs     once a batch has its first event, how long it may wait for more before it goes: fewer,
 *                        larger transactions under load (each commit costs the same whatever its size)
 */
public record DispatchSettings(int consumers, int batchSize, int maxDeliveries, String deadLetterQueue,
        long batchWaitMs) {

    public DispatchSettings {
        if (consumers < 1 || batchSize < 1 || maxDeliveries < 1) {
            throw new IllegalArgumentException("rcs.dispatch.consumers, batch-size and max-deliveries must be 1 or"
                    + " more");
        }
    }
}
