import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Offers callbacks at a fixed rate (open model) and reports latency percentiles measured from the moment each
 * request was DUE, not sent, so that a stalled server shows in the numbers (no coordinated omission).
 *   java -cp 'target/lib/*' bench/RateLoad.java http://127.0.0.1:8080/callbacks/rcs RATE SECONDS CONNECTIONS TAG [WARMUP]
 * The first WARMUP seconds (default 10) are offered at the same rate and not measured: the load generator's own
 * start (its connections, its JIT) is not the server's latency.
 * Prints one line: offered, completed, 2xx, errors, p50 p99 max (ms), for the measured SECONDS.
 */
public class RateLoad {

    public static void main(String[] args) throws Exception {
        java.net.URI uri = java.net.URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        String tag = args.length > 4 ? args[4] : "r" + System.currentTimeMillis();
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        int skip = rate * warmup;
        int total = rate * (warmup + seconds);
        long[] latencies = new long[total];
        Arrays.fill(latencies, -1);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(total);

        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setConnectTimeout(5_000).setIdleTimeout(30), new PoolOptions().setHttp1MaxSize(connections)
                .setMaxWaitQueueSize(-1));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getPath()).putHeader("Content-Type", "application/json");

        long start = System.nanoTime() + 200_000_000L;
        long intervalNanos = 1_000_000_000L / rate;
        // one timer tick per millisecond sends whatever has come due
        final int[] next = {0};
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next[0] < total && start + next[0] * intervalNanos <= now) {
                int i = next[0]++;
                long due = start + i * intervalNanos;
                client.request(options).compose(req -> req.send(Buffer.buffer(body(tag, i))))
                        .compose(resp -> resp.body().map(b -> resp.statusCode()))
                        .onComplete(ar -> {
                            latencies[i] = System.nanoTime() - due;
                            if (i >= skip) {
                                if (ar.succeeded() && ar.result() / 100 == 2) {
                                    ok.incrementAndGet();
                                } else {
                                    errors.incrementAndGet();
                                }
                            }
                            done.countDown();
                        });
            }
            if (next[0] >= total) {
                vertx.cancelTimer(id);
            }
        });
        boolean finished = done.await(warmup + seconds + 120L, TimeUnit.SECONDS);
        List<Long> measured = new ArrayList<>();
        for (int i = skip; i < total; i++) {
            if (latencies[i] >= 0) {
                measured.add(latencies[i]);
            }
        }
        long[] sorted = measured.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("offered %d/s for %d s: completed %d, 2xx %d, errors %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms%s%n",
                rate, seconds, sorted.length, ok.get(), errors.get(), pct(sorted, 0.50), pct(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, finished ? "" : " (timed out)");
        // when the slow answers were due, second by second of the run (a stall shows as a run of slow seconds)
        StringBuilder slow = new StringBuilder();
        for (int sec = 0; sec < seconds; sec++) {
            long worst = 0;
            for (int i = skip + sec * rate; i < Math.min(total, skip + (sec + 1) * rate); i++) {
                worst = Math.max(worst, latencies[i]);
            }
            if (worst > 100_000_000L) {
                slow.append(String.format(" %ds:%.0fms", sec, worst / 1e6));
            }
        }
        if (!slow.isEmpty()) {
            System.out.println("seconds of the run with an answer slower than 100 ms (when it was due: worst):" + slow);
        }
        client.close();
        vertx.close();
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** The same mix as bench/mix.lua: delivery reports, replies, opt-outs, typing. */
    static String body(String tag, int i) {
        String id = tag + "-" + i;
        String msisdn = String.format("1978%07d", i % 10_000_000);
        switch (i % 20) {
            case 16, 17:
                return "{\"code\":\"4007\",\"data\":{\"type\":\"USER_MESSAGE\",\"eventId\":\"" + id + "\",\"from\":\""
                        + msisdn + "\",\"to\":\"kio_rcs\",\"sentAt\":\"2026-04-20T09:01:28.671Z\",\"messageId\":\"m-"
                        + id + "\",\"userMessage\":{\"type\":\"TEXT\",\"text\":\"STOP\"},\"carrierId\":\"VZ\"},\"error\":{}}";
            case 18, 19:
                return "{\"code\":\"4003\",\"data\":{\"type\":\"COMPOSING\",\"from\":\"" + msisdn
                        + "\",\"to\":\"kio_rcs\",\"sentAt\":\"2026-04-16T16:57:46.515Z\",\"messageId\":\"c-" + id
                        + "\",\"carrierId\":\"VZ\"},\"error\":{}}";
            default:
                if (i % 20 < 9) {
                    return "{\"code\":\"4000\",\"data\":{\"type\":\"SENT\",\"eventId\":\"" + id
                            + "\",\"from\":\"kio_rcs\",\"to\":\"" + msisdn
                            + "\",\"sentAt\":\"2026-04-20T09:10:00.120Z\",\"messageId\":\"m-" + id
                            + "\",\"carrierId\":\"VZ\"},\"error\":{}}";
                }
                return "{\"code\":\"2007\",\"data\":{\"type\":\"USER_MESSAGE\",\"eventId\":\"" + id + "\",\"from\":\""
                        + msisdn + "\",\"to\":\"kio_rcs\",\"sentAt\":\"2026-04-16T13:28:41.124Z\",\"messageId\":\"m-"
                        + id + "\",\"userMessage\":{\"type\":\"RESPONSE\",\"response\":{\"text\":\"Avail-Offer\","
                        + "\"postbackData\":\"flight_offer\",\"type\":\"REPLY\",\"mo_type\":\"REPLY\"}},"
                        + "\"carrierId\":\"ATT\"},\"error\":{}}";
        }
    }
}
