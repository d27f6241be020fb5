import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * The CRM of a soak: answers every POST with 200, or with 500 for a share of them chosen at random, so that the
 * router's retries and circuit breaker work all the time. The JDK's own HTTP server on a small thread pool: at a few
 * thousand requests a second it takes a fraction of the CPU that a Python stand-in took from the router on the same
 * two cores. Prints the counts every 10 s.
 *
 *   java bench/CrmStandIn.java PORT [FAILURE_SHARE=0.1]
 */
public class CrmStandIn {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        double failureShare = args.length > 1 ? Double.parseDouble(args[1]) : 0.1;
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(java.io.OutputStream.nullOutputStream());
            }
            boolean fail = ThreadLocalRandom.current().nextDouble() < failureShare;
            (fail ? failed : ok).incrementAndGet();
            exchange.sendResponseHeaders(fail ? 500 : 200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        System.out.println("CRM stand-in on 127.0.0.1:" + port + ", failing " + failureShare + " of requests");
        while (true) {
            Thread.sleep(10_000);
            System.out.println("answered 200: " + ok.get() + ", 500: " + failed.get());
        }
    }

}
