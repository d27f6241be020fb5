package io.rcsrouter.infra;

import org.apache.camel.Exchange;

/**
 * Keeps only the headers that belong to the router, before a message leaves it. Camel's {@code removeHeaders} with
 * an exclude pattern compiles a regular expression for every header of every message; on the ingress path that was
 * the largest single CPU cost per callback, so this is the plain-string version.
 */
public class HeaderFilter {

    /** Removes every header whose name does not start with {@code prefix} (case-sensitive). */
    public void keepOnly(Exchange exchange, String prefix) {
        exchange.getMessage().getHeaders().keySet().removeIf(name -> !name.startsWith(prefix));
    }
}
