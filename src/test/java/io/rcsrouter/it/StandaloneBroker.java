package io.rcsrouter.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.ConnectionFactory;

import io.rcsrouter.support.RouterHarness;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A standalone Artemis broker of the test's own (not the one the suite shares), created from the distribution
 * that .ci/run unpacked ({@code RCS_IT_ARTEMIS_HOME}), so that a test can SIGKILL it and start it again on the same
 * journal. Stopped and killed by its own PID only.
 */
public final class StandaloneBroker implements AutoCloseable {

    public static final String USER = "rcs";
    public static final String PASSWORD = "rcs-it-secret";

    private final Path instance;
    private final int port;
    private Process process;
    private int starts;

    private StandaloneBroker(Path instance, int port) {
        this.instance = instance;
        this.port = port;
    }

    /** Creates a broker instance on a free port (CORE acceptor only, login required). */
    public static StandaloneBroker create(String name) throws Exception {
        Path home = Path.of(ItEnvironment.require("RCS_IT_ARTEMIS_HOME"));
        int port = RouterHarness.freePort();
        Path instance = Path.of("target", "it", "broker-" + name + "-" + port).toAbsolutePath();
        Files.createDirectories(instance.getParent());
        Process create = new ProcessBuilder(List.of(home.resolve("bin/artemis").toString(), "create",
                instance.toString(), "--silent", "--force", "--user", USER, "--password", PASSWORD,
                "--require-login", "--host", "127.0.0.1", "--default-port", String.valueOf(port),
                "--http-host", "127.0.0.1", "--no-web", "--no-amqp-acceptor", "--no-mqtt-acceptor",
                "--no-stomp-acceptor", "--no-hornetq-acceptor", "--no-autotune", "--java-memory", "512M"))
                .redirectErrorStream(true).redirectOutput(instance.getParent().resolve(instance.getFileName()
                        + "-create.log").toFile()).start();
        if (!create.waitFor(120, TimeUnit.SECONDS) || create.exitValue() != 0) {
            create.destroyForcibly();
            throw new IllegalStateException("artemis create failed for " + instance);
        }
        return new StandaloneBroker(instance, port);
    }

    /** Starts the broker (again, on the same journal) and waits until its port answers. */
    public StandaloneBroker start() throws Exception {
        Path log = instance.getParent().resolve(instance.getFileName() + "-run-" + (++starts) + ".log");
        process = new ProcessBuilder(List.of(instance.resolve("bin/artemis").toString(), "run"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited during start-up:\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return this;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the broker did not open port " + port + " within 90 s");
    }

    /** SIGKILL: the broker gets no chance to write anything more. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public long pid() {
        return process.pid();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ConnectionFactory factory() {
        return new ActiveMQConnectionFactory(url() + "?callTimeout=10000", USER, PASSWORD);
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
