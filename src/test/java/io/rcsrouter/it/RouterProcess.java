package io.rcsrouter.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rcsrouter.support.RouterHarness;

/**
 * The router as users run it: its own JVM ({@code java -cp target/classes:target/lib/* io.rcsrouter.RouterMain}),
 * configured only through the contract's environment variables, its output in a log file. Stopped gracefully
 * (SIGTERM) or killed (SIGKILL) by its own PID, never anything else.
 */
public final class RouterProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RouterProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts a router with the database and broker of the integration environment, plus {@code env}; waits until
     * its HTTP server answers.
     */
    public static RouterProcess start(String name, Map<String, String> env) throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("RCS_DB_URL", ItEnvironment.dbUrl());
        all.put("RCS_DB_USER", ItEnvironment.dbUser());
        all.put("RCS_DB_PASSWORD", ItEnvironment.dbPassword());
        all.put("RCS_BROKER_URL", ItEnvironment.brokerUrl());
        all.put("RCS_BROKER_USER", ItEnvironment.brokerUser());
        all.put("RCS_BROKER_PASSWORD", ItEnvironment.brokerPassword());
        all.putAll(env);
        int port = RouterHarness.freePort();
        return launch(name, Files.createDirectories(Path.of("target", "it", name + "-" + port)), port, all);
    }

    /**
     * Starts a router on its embedded default (Artemis and H2 in its own JVM, under {@code dataDir}), as README's
     * quick start runs it, plus {@code env}. Restarting on the same {@code dataDir} finds the journal and database.
     */
    public static RouterProcess startEmbedded(String name, Path dataDir, Map<String, String> env) throws Exception {
        return launch(name, Files.createDirectories(dataDir), RouterHarness.freePort(), env);
    }

    private static RouterProcess launch(String name, Path dataDir, int port, Map<String, String> env)
            throws Exception {
        Path log = Path.of("target", "it", name + "-" + port + ".log");
        Files.createDirectories(log.getParent());
        Map<String, String> all = new LinkedHashMap<>();
        all.put("RCS_HTTP_HOST", "127.0.0.1");
        all.put("RCS_HTTP_PORT", String.valueOf(port));
        int managementPort = RouterHarness.freePort();
        all.put("RCS_MANAGEMENT_PORT", String.valueOf(managementPort));
        all.put("RCS_DATA_DIR", dataDir.toString());
        all.put("RCS_ROUTES_RELOAD", "false");
        all.putAll(env);

        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-Duser.timezone=UTC",
                "-cp", "target/classes" + java.io.File.pathSeparator + "target/lib/*",
                "io.rcsrouter.RouterMain"));
        pb.environment().keySet().removeIf(k -> k.startsWith("RCS_"));
        pb.environment().putAll(all);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        RouterProcess router = new RouterProcess(pb.start(), port, managementPort, log);
        router.awaitReady(Duration.ofSeconds(60));
        return router;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("router exited with " + process.exitValue() + ":\n" + tail(60));
            }
            try {
                // GET is not allowed on the callback URL: 405 means the ingress route is up (404: not yet)
                int status = http.send(HttpRequest.newBuilder(uri("/callbacks/rcs")).GET()
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 405) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("router did not answer within " + timeout + ":\n" + tail(60));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postCallback(String body, String... headers) throws Exception {
        return post("/callbacks/rcs", body, headers);
    }

    /** The status the router answers a callback with, or -1 for no answer (connection refused or reset). */
    public int answerStatus(String body) {
        try {
            return postCallback(body).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** GET on the management port (health, metrics). */
    public HttpResponse<String> management(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no draining. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then wait for the graceful shutdown to finish. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }
}
