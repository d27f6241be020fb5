package io.rcsrouter.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jolokia on the management port, for Hawtio: off by default; when on, behind HTTP Basic with the users file, while
 * health and metrics stay open (Kubernetes probes and Prometheus carry no credentials).
 */
class JolokiaAccessTest {

    private static final String USER = "hawtio";
    private static final String PASSWORD = "j0lokia-Pass-771";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void enabledJolokiaAsksForCredentialsAndHealthAndMetricsStayOpen(@TempDir Path dir) throws Exception {
        Path users = Files.writeString(dir.resolve("jolokia-users.properties"),
                "# Hawtio operators\nuser." + USER + " = " + PASSWORD + "\n");
        try (RouterHarness router = RouterHarness.start(Map.of(
                "rcs.jolokia.enabled", "true", "rcs.jolokia.users-file", users.toString()))) {
            String management = managementBase(router);

            assertThat(get(management + "/observe/jolokia/version", null).statusCode()).isEqualTo(401);
            assertThat(get(management + "/observe/jolokia", null).statusCode()).isEqualTo(401);
            assertThat(get(management + "/observe/jolokia/version", basic(USER, "wrong-" + PASSWORD)).statusCode())
                    .isEqualTo(401);
            assertThat(get(management + "/observe/jolokia/version", basic("nobody", PASSWORD)).statusCode())
                    .isEqualTo(401);

            HttpResponse<String> version = get(management + "/observe/jolokia/version", basic(USER, PASSWORD));
            assertThat(version.statusCode()).isEqualTo(200);
            JsonNode versionJson = JSON.readTree(version.body());
            assertThat(versionJson.path("status").asInt()).isEqualTo(200);
            assertThat(versionJson.path("value").has("agent")).as(version.body()).isTrue();

            assertThat(get(management + "/observe/health/ready", null).statusCode()).isEqualTo(200);
            assertThat(get(management + "/observe/health/live", null).statusCode()).isEqualTo(200);
            assertThat(get(management + "/observe/health", null).statusCode()).isEqualTo(200);
            assertThat(get(management + "/observe/metrics", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void hawtioCanReadTheCamelRouteMBeans(@TempDir Path dir) throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "user." + USER + "=" + PASSWORD + "\n");
        try (RouterHarness router = RouterHarness.start(Map.of(
                "rcs.jolokia.enabled", "true", "rcs.jolokia.users-file", users.toString()))) {
            assertThat(router.postJson(Callbacks.text("jolokia-1", "19785550901", "hello")).statusCode())
                    .isEqualTo(200);
            // what Hawtio asks for its route list: a read of an attribute of the route MBeans, by pattern
            String request = """
                    {"type":"read","mbean":"org.apache.camel:context=*,type=routes,name=\\"callbacks-kaleyra\\"",
                     "attribute":"ExchangesTotal"}""";
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(
                            URI.create(managementBase(router) + "/observe/jolokia/"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", basic(USER, PASSWORD))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(read.body());
            assertThat(answer.path("status").asInt()).as(read.body()).isEqualTo(200);
            // a pattern read answers {mbean name: {attribute: value}}
            JsonNode ingress = answer.path("value").elements().next();
            assertThat(ingress.path("ExchangesTotal").asLong()).as(read.body()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void heapDumpsAndDiagnosticCommandsAreRefusedEvenWithCredentials(@TempDir Path dir) throws Exception {
        // jolokia-access.xml: a heap dump would carry secrets and subscriber numbers off the machine
        Path users = Files.writeString(dir.resolve("users.properties"), "user." + USER + "=" + PASSWORD + "\n");
        try (RouterHarness router = RouterHarness.start(Map.of(
                "rcs.jolokia.enabled", "true", "rcs.jolokia.users-file", users.toString()))) {
            String jolokia = managementBase(router) + "/observe/jolokia";
            JsonNode heap = JSON.readTree(get(jolokia + "/read/com.sun.management:type=HotSpotDiagnostic/DiagnosticOptions",
                    basic(USER, PASSWORD)).body());
            assertThat(heap.path("status").asInt()).as(heap.toString()).isEqualTo(403);
            JsonNode diagnostic = JSON.readTree(get(jolokia + "/exec/com.sun.management:type=DiagnosticCommand/help",
                    basic(USER, PASSWORD)).body());
            assertThat(diagnostic.path("status").asInt()).as(diagnostic.toString()).isEqualTo(403);
            // while the JVM's ordinary MBeans stay readable
            JsonNode memory = JSON.readTree(get(jolokia + "/read/java.lang:type=Memory/HeapMemoryUsage",
                    basic(USER, PASSWORD)).body());
            assertThat(memory.path("status").asInt()).as(memory.toString()).isEqualTo(200);
        }
    }

    /**
     * The operations themselves, invoked as an attacker with stolen Hawtio credentials would: a heap dump to a file,
     * a flight recording started through the FlightRecorder MBean, and the same two through DiagnosticCommand. Each
     * is refused (403) and nothing is written or recorded.
     */
    @Test
    void invokingAHeapDumpOrAFlightRecordingIsRefusedAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "user." + USER + "=" + PASSWORD + "\n");
        Path dump = dir.resolve("stolen.hprof");
        Path recording = dir.resolve("stolen.jfr");
        try (RouterHarness router = RouterHarness.start(Map.of(
                "rcs.jolokia.enabled", "true", "rcs.jolokia.users-file", users.toString()))) {
            String jolokia = managementBase(router) + "/observe/jolokia/";
            String[] refused = {
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                    + "\"operation\":\"dumpHeap\",\"arguments\":[\"" + dump + "\",true]}",
                "{\"type\":\"exec\",\"mbean\":\"jdk.management.jfr:type=FlightRecorder\","
                    + "\"operation\":\"newRecording\",\"arguments\":[]}",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                    + "\"operation\":\"gcHeapDump\",\"arguments\":[[\"" + dump + "\"]]}",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                    + "\"operation\":\"jfrStart\",\"arguments\":[[\"filename=" + recording + "\"]]}",
            };
            for (String request : refused) {
                JsonNode answer = JSON.readTree(postJolokia(jolokia, request).body());
                assertThat(answer.path("status").asInt()).as("%s -> %s", request, answer).isEqualTo(403);
            }
            assertThat(dump).as("no heap dump written").doesNotExist();
            assertThat(recording).as("no flight recording written").doesNotExist();
            assertThat(jdk.jfr.FlightRecorder.isInitialized() ? jdk.jfr.FlightRecorder.getFlightRecorder()
                    .getRecordings() : java.util.List.of()).as("no recording started").isEmpty();
            // the same user may still run what Hawtio needs
            JsonNode allowed = JSON.readTree(postJolokia(jolokia, "{\"type\":\"exec\",\"mbean\":"
                    + "\"java.lang:type=Memory\",\"operation\":\"gc\",\"arguments\":[]}").body());
            assertThat(allowed.path("status").asInt()).as(allowed.toString()).isEqualTo(200);
        }
    }

    private HttpResponse<String> postJolokia(String url, String request) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", basic(USER, PASSWORD)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void enabledWithoutAUsersFileTheRouterDoesNotStart() {
        // an open Jolokia can stop routes and read every MBean: no credentials configured means no start
        assertThatThrownBy(() -> RouterHarness.start(Map.of("rcs.jolokia.enabled", "true")).close())
                .satisfies(e -> assertThat(rootCause(e).getMessage()).contains("RCS_JOLOKIA_USERS_FILE"));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void disabledByDefault() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of())) {
            String management = managementBase(router);
            assertThat(get(management + "/observe/jolokia/version", null).statusCode()).isEqualTo(404);
            assertThat(get(management + "/observe/jolokia/version", basic(USER, PASSWORD)).statusCode())
                    .isEqualTo(404);
            assertThat(get(management + "/observe/health/ready", null).statusCode()).isEqualTo(200);
        }
    }

    private static String managementBase(RouterHarness router) {
        return "http://127.0.0.1:" + router.context().getPropertiesComponent()
                .resolveProperty("rcs.management.port").orElseThrow();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
