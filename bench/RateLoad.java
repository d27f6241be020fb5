import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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
 *   java -cp 'target/lib/*' bench/RateLoad.java http://127.0.0.1:8080/callbacks/rcs RATE SECONDS CONNECTIONS TAG [WARMUP] [MIX]
 * The first WARMUP seconds (default 10) are offered at the same rate and not measured: the load generator's own
 * start (its connections, its JIT) is not the server's latency. MIX: kaleyra (default, the mix of bench/mix.lua
 * without its repeats) or providers (the same kinds of events, a quarter each from Kaleyra, Google RBM, Sinch and
 * Infobip on their own paths, signed as each provider signs: the router started with {@link Providers#ENV}).
 * RATE 0 is a closed loop instead, as wrk runs: CONNECTIONS requests in flight, each answer followed by the next
 * request; it prints the answers per second of the measured SECONDS.
 * Prints one line: offered, completed, 2xx, errors, p50 p99 max (ms), for the measured SECONDS.
 */
public class RateLoad {

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--env")) {
            System.out.println(Providers.ENV); // the router's settings for the providers mix
            return;
        }
        java.net.URI uri = java.net.URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        String tag = args.length > 4 ? args[4] : "r" + System.currentTimeMillis();
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        boolean providers = args.length > 6 && args[6].equals("providers");
        if (rate == 0) {
            closedLoop(uri, seconds, connections, tag, warmup, providers);
            return;
        }
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
        Providers signer = new Providers();

        long start = System.nanoTime() + 200_000_000L;
        long intervalNanos = 1_000_000_000L / rate;
        // one timer tick per millisecond sends whatever has come due
        final int[] next = {0};
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next[0] < total && start + next[0] * intervalNanos <= now) {
                int i = next[0]++;
                long due = start + i * intervalNanos;
                RequestOptions o = providers ? signer.request(options, tag, i) : options;
                String b = providers ? signer.body : body(tag, i);
                client.request(o).compose(req -> req.send(Buffer.buffer(b)))
                        .compose(resp -> resp.body().map(x -> resp.statusCode()))
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

    /** CONNECTIONS requests in flight for WARMUP + SECONDS; the answers of the last SECONDS are counted. */
    static void closedLoop(java.net.URI uri, int seconds, int connections, String tag, int warmup, boolean providers)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setConnectTimeout(5_000).setIdleTimeout(30), new PoolOptions().setHttp1MaxSize(connections));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(uri.getPath()).putHeader("Content-Type", "application/json");
        Providers signer = new Providers();
        long from = System.nanoTime() + warmup * 1_000_000_000L;
        long until = from + seconds * 1_000_000_000L;
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(connections);
        // one context: the loop's state (the signer, the counter) is touched by one thread only
        vertx.runOnContext(v -> {
            for (int c = 0; c < connections; c++) {
                next(client, options, signer, tag, providers, sent, from, until, ok, errors, latencies, done);
            }
        });
        done.await(warmup + seconds + 60L, TimeUnit.SECONDS);
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("closed loop, %d connections, %s mix: accepted %d/s, 2xx %d, errors %d, p50 %.1f ms,"
                + " p99 %.1f ms, max %.1f ms (measured %d s after %d s; sent %d in all)%n", connections,
                providers ? "providers" : "kaleyra", ok.get() / seconds, ok.get(), errors.get(), pct(sorted, 0.50),
                pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, seconds, warmup,
                sent.get());
        client.close();
        vertx.close();
    }

    private static void next(HttpClient client, RequestOptions options, Providers signer, String tag,
            boolean providers, AtomicLong sent, long from, long until, AtomicLong ok, AtomicLong errors,
            List<Long> latencies, CountDownLatch done) {
        long t0 = System.nanoTime();
        if (t0 >= until) {
            done.countDown();
            return;
        }
        int i = (int) sent.getAndIncrement();
        RequestOptions o = providers ? signer.request(options, tag, i) : options;
        String b = providers ? signer.body : body(tag, i);
        client.request(o).compose(req -> req.send(Buffer.buffer(b)))
                .compose(resp -> resp.body().map(x -> resp.statusCode()))
                .onComplete(ar -> {
                    long t1 = System.nanoTime();
                    if (t0 >= from && t1 <= until) {
                        latencies.add(t1 - t0);
                        if (ar.succeeded() && ar.result() / 100 == 2) {
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                    next(client, options, signer, tag, providers, sent, from, until, ok, errors, latencies, done);
                });
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

    /**
     * The providers mix: event i goes to provider i % 4 (Kaleyra, RBM, Sinch, Infobip), its kind chosen as in
     * {@link #body} from i / 4. Signed here with javax.crypto, independently of the router's own code.
     */
    static final class Providers {
        static final String RBM_TOKEN = "bench-rbm-client-token";
        static final String SINCH_SECRET = "bench-sinch-webhook-secret";
        static final String INFOBIP_BASIC = "Basic " + Base64.getEncoder().encodeToString(
                "bench:bench-infobip-password".getBytes(StandardCharsets.UTF_8));
        /** The router's settings for this mix (bench/run.sh passes them). */
        static final String ENV = "RCS_RBM_ENABLED=true RCS_RBM_CLIENT_TOKEN=" + RBM_TOKEN
                + " RCS_SINCH_ENABLED=true RCS_SINCH_WEBHOOK_SECRET=" + SINCH_SECRET
                + " RCS_INFOBIP_ENABLED=true RCS_INFOBIP_BASIC_USER=bench RCS_INFOBIP_BASIC_PASSWORD=bench-infobip-password";
        String body;

        RequestOptions request(RequestOptions kaleyra, String tag, int i) {
            String id = tag + "-" + i;
            String msisdn = String.format("4673%07d", i % 10_000_000);
            int kind = (i / 4) % 20; // 0-8 delivery report, 9-15 reply, 16-17 STOP, 18-19 typing
            RequestOptions o = new RequestOptions(kaleyra);
            switch (i % 4) {
                case 1 -> {
                    String data = switch (kind < 9 ? 0 : kind < 16 ? 1 : kind < 18 ? 2 : 3) {
                        case 0 -> "{\"senderPhoneNumber\":\"+" + msisdn + "\",\"agentId\":\"bench@rbm.goog\","
                                + "\"eventType\":\"DELIVERED\",\"eventId\":\"" + id + "\",\"messageId\":\"m-" + id
                                + "\",\"sendTime\":\"2026-04-20T11:04:00.123Z\"}";
                        case 1 -> "{\"senderPhoneNumber\":\"+" + msisdn + "\",\"messageId\":\"" + id
                                + "\",\"sendTime\":\"2026-04-20T11:01:00.123Z\",\"agentId\":\"bench@rbm.goog\","
                                + "\"suggestionResponse\":{\"postbackData\":\"explore_offers\",\"text\":"
                                + "\"Explore offers\",\"type\":\"REPLY\"}}";
                        case 2 -> "{\"senderPhoneNumber\":\"+" + msisdn + "\",\"messageId\":\"" + id
                                + "\",\"sendTime\":\"2026-04-20T11:00:00.123Z\",\"agentId\":\"bench@rbm.goog\","
                                + "\"text\":\"STOP\"}";
                        default -> "{\"senderPhoneNumber\":\"+" + msisdn + "\",\"agentId\":\"bench@rbm.goog\","
                                + "\"eventType\":\"IS_TYPING\",\"eventId\":\"" + id
                                + "\",\"sendTime\":\"2026-04-20T11:06:00.123Z\"}";
                    };
                    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
                    body = "{\"message\":{\"data\":\"" + Base64.getEncoder().encodeToString(bytes)
                            + "\",\"messageId\":\"" + id + "\",\"publishTime\":\"2026-04-20T11:00:00.200Z\"},"
                            + "\"subscription\":\"projects/bench/subscriptions/rbm\"}";
                    o.setURI("/callbacks/rbm").putHeader("X-Goog-Signature",
                            Base64.getEncoder().encodeToString(hmac("HmacSHA512", RBM_TOKEN, bytes)));
                }
                case 2 -> {
                    String ci = "\"channel_identity\":{\"channel\":\"RCS\",\"identity\":\"" + msisdn
                            + "\",\"app_id\":\"\"}";
                    String head = "{\"app_id\":\"01BENCHAPP000000000000000\",\"accepted_time\":"
                            + "\"2026-04-20T10:00:00.495Z\",\"event_time\":\"2026-04-20T10:00:00.390Z\",";
                    body = head + switch (kind < 9 ? 0 : kind < 16 ? 1 : kind < 18 ? 2 : 3) {
                        case 0 -> "\"message_delivery_report\":{\"message_id\":\"m-" + id
                                + "\",\"status\":\"DELIVERED\"," + ci + "}}";
                        case 1 -> "\"message\":{\"id\":\"" + id + "\",\"direction\":\"TO_APP\","
                                + "\"contact_message\":{\"choice_response_message\":{\"message_id\":\"o-1\","
                                + "\"postback_data\":\"track_order\"}}," + ci + ",\"accept_time\":"
                                + "\"2026-04-20T10:01:00.483Z\"}}";
                        case 2 -> "\"message\":{\"id\":\"" + id + "\",\"direction\":\"TO_APP\","
                                + "\"contact_message\":{\"text_message\":{\"text\":\"STOP\"}}," + ci
                                + ",\"accept_time\":\"2026-04-20T10:11:00.483Z\"}}";
                        default -> "\"event\":{\"id\":\"" + id + "\",\"direction\":\"TO_APP\","
                                + "\"contact_event\":{\"composing_event\":{}}," + ci + ",\"accept_time\":"
                                + "\"2026-04-20T10:08:00.483Z\"}}";
                    };
                    String nonce = id;
                    String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
                    byte[] signed = (body + "." + nonce + "." + timestamp).getBytes(StandardCharsets.UTF_8);
                    o.setURI("/callbacks/sinch")
                            .putHeader("x-sinch-webhook-signature",
                                    Base64.getEncoder().encodeToString(hmac("HmacSHA256", SINCH_SECRET, signed)))
                            .putHeader("x-sinch-webhook-signature-nonce", nonce)
                            .putHeader("x-sinch-webhook-signature-timestamp", timestamp)
                            .putHeader("x-sinch-webhook-signature-algorithm", "HmacSHA256");
                }
                case 3 -> {
                    String result = switch (kind < 9 ? 0 : kind < 16 ? 1 : kind < 18 ? 2 : 3) {
                        case 0 -> "{\"messageId\":\"m-" + id + "\",\"to\":\"" + msisdn + "\",\"sender\":"
                                + "\"AcmeRCS\",\"doneAt\":\"2026-04-20T12:04:03.000+0000\",\"status\":{\"groupName\":"
                                + "\"DELIVERED\",\"name\":\"DELIVERED_TO_HANDSET\"}}";
                        case 1 -> "{\"sender\":\"" + msisdn + "\",\"to\":\"AcmeRCS\",\"receivedAt\":"
                                + "\"2026-04-20T12:01:00.000+0000\",\"messageId\":\"" + id + "\",\"message\":{\"type\":"
                                + "\"SUGGESTION\",\"text\":\"Yes, reschedule\",\"postbackData\":\"reschedule_yes\"}}";
                        case 2 -> "{\"sender\":\"" + msisdn + "\",\"to\":\"AcmeRCS\",\"receivedAt\":"
                                + "\"2026-04-20T12:08:00.000+0000\",\"messageId\":\"" + id + "\",\"message\":{\"type\":"
                                + "\"TEXT\",\"text\":\"stop\"}}";
                        default -> "{\"sender\":\"" + msisdn + "\",\"to\":\"AcmeRCS\",\"receivedAt\":"
                                + "\"2026-04-20T12:07:00." + String.format("%03d", i % 1000) + "+0000\",\"event\":"
                                + "{\"type\":\"TYPING_INDICATOR\"}}";
                    };
                    body = "{\"results\":[" + result + "]}";
                    o.setURI("/callbacks/infobip").putHeader("Authorization", INFOBIP_BASIC);
                }
                default -> body = RateLoad.body(tag, i);
            }
            return o;
        }

        static byte[] hmac(String algorithm, String key, byte[] data) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance(algorithm);
                mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
                return mac.doFinal(data);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
