package io.rcsrouter.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Refuses to start when a port the router must listen on is taken. The HTTP server binds asynchronously and only
 * logs a failure, so without this check a router could run for hours without accepting a single callback.
 */
public final class PortCheck {

    private PortCheck() {
    }

    public static void requireFree(String setting, String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); is another router or service already there?", e);
        }
    }
}
