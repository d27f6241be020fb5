package io.rcsrouter.engine;

import java.util.Map;

/**
 * A message a destination route hands to a queue ({@code rcs:queue:NAME}); the dispatch batch sends it in its own
 * JMS transaction, after the database work of the batch succeeded and before it commits.
 *
 * @param queue      the queue
 * @param body       the JSON text
 * @param properties JMS properties (String values)
 */
public record Outgoing(String queue, String body, Map<String, String> properties) {
}
