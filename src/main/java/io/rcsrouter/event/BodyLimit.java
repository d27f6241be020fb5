package io.rcsrouter.event;

import org.apache.camel.Exchange;

/**
 * The callback size limit ({@code rcs.http.max-body-bytes}, 64 KiB by default). The HTTP server itself stops
 * reading at a higher hard limit ({@code rcs.http.hard-body-limit-bytes}) so that memory stays bounded; between
 * the two, the router still answers 413 itself and records the rejection.
 */
public class BodyLimit {

    private final long maxBytes;

    public BodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public void check(Exchange exchange) throws PayloadTooLargeException {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        long size = body == null ? 0 : body.length;
        if (size > maxBytes) {
            throw new PayloadTooLargeException(size, maxBytes);
        }
    }

    public long maxBytes() {
        return maxBytes;
    }
}
