package io.rcsrouter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input over real HTTP: every request in {@code src/test/resources/bad-input/} gets its status, a JSON error
 * that names the problem, and a REJECTED audit row with the reason and the body; nothing reaches a queue. Plus the
 * limits that are generated rather than stored (size, nesting), and the Content-Types a sender may get wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    static final ObjectMapper JSON = new ObjectMapper();
    RouterHarness router;

    /** One stored bad request: headers "expect", "content-type", "error-contains", then "---" and the body. */
    record BadRequest(String name, int expect, String contentType, String errorContains, String body) {
        @Override
        public String toString() {
            return name;
        }

        static BadRequest read(Path file) {
            try {
                String text = Files.readString(file);
                int sep = text.indexOf("\n---\n");
                String body = text.substring(sep + 5);
                Map<String, String> h = new java.util.HashMap<>();
                for (String line : text.substring(0, sep).split("\n")) {
                    int colon = line.indexOf(':');
                    h.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
                String ct = h.get("content-type");
                return new BadRequest(file.getFileName().toString(), Integer.parseInt(h.get("expect")),
                        ct == null || ct.equals("none") ? null : ct, h.get("error-contains"), body);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @BeforeAll
    void start() throws Exception {
        router = RouterHarness.start(Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        router.close();
    }

    static Stream<BadRequest> corpus() throws IOException {
        return Files.list(Path.of("src/test/resources/bad-input")).sorted().map(BadRequest::read);
    }

    @Test
    void corpusIsThere() throws IOException {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void storedBadRequestIsRefusedAndRecorded(BadRequest bad) throws Exception {
        assertRejected(bad.body(), bad.contentType(), bad.expect(), bad.errorContains());
    }

    @Test
    void bodyOverTheLimitIs413AndRecordedWithItsStart() throws Exception {
        String text = "x".repeat(70_000);
        String body = "{\"code\":\"4007\",\"data\":{\"type\":\"USER_MESSAGE\",\"from\":\"1\",\"messageId\":\"m\","
                + "\"userMessage\":{\"type\":\"TEXT\",\"text\":\"" + text + "\"}}}";
        Map<String, Object> row = assertRejected(body, "application/json", 413, "over the limit of 65536 bytes");
        assertThat((String) row.get("payload")).startsWith("{\"code\":\"4007\"").hasSizeLessThanOrEqualTo(262_144);
    }

    @Test
    void bodyOverTheServerHardLimitIs413WithoutReadingIt() throws Exception {
        var r = router.postJson("[" + "1,".repeat(600_000) + "1]");
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void hostileNestingIs400() throws Exception {
        String deep = "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000);
        assertRejected(deep, "application/json", 400, "nesting depth");
    }

    @Test
    void hugeStringIs400() throws Exception {
        String body = "{\"code\":\"4007\",\"data\":{\"type\":\"USER_MESSAGE\",\"from\":\"1\",\"messageId\":\"m\","
                + "\"userMessage\":{\"type\":\"TEXT\",\"text\":\"" + "y".repeat(20_000) + "\"}}}";
        assertRejected(body, "application/json", 400, "String value length");
    }

    @Test
    void getIsNotAllowed() throws Exception {
        assertThat(router.get("/callbacks/rcs").statusCode()).isEqualTo(405);
    }

    /** A sender that labels JSON wrongly, or not at all, still gets its callback accepted. */
    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "text/plain", "none", "application/json; charset=utf-8",
            "application/octet-stream"})
    void jsonIsAcceptedWhateverTheContentType(String contentType) throws Exception {
        // the characters a form decoder would mangle: + & = %
        String body = Samples.read("mo/13-text-bare-shape.json").replace("MxB4r3Txt0000000000013",
                "MxCt-" + contentType.hashCode()).replace("Hi, is my order shipped?", "1+1=2 & 100% sure ✓");
        var r = router.post("/callbacks/rcs", body, contentType.equals("none") ? null : contentType);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isIn("{\"status\":\"accepted\"}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(router.auditRow("event:MxCt-" + contentType.hashCode())).isNotNull()
                        .extractingByKey("payload").isEqualTo(body));
    }

    private Map<String, Object> assertRejected(String body, String contentType, int status, String errorContains)
            throws Exception {
        long before = router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'");
        var r = router.post("/callbacks/rcs", body, contentType);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("rcs"));
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.get("error").asText()).contains(errorContains);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'"))
                        .isEqualTo(before + 1));
        List<Map<String, Object>> rows = router.query(
                "SELECT * FROM rcs_audit WHERE status = 'REJECTED' ORDER BY id DESC");
        Map<String, Object> row = rows.get(0);
        assertThat((String) row.get("detail")).startsWith(status + " ").contains(errorContains);
        if (body.length() < 60_000 && !body.isBlank()) {
            assertThat(row.get("payload")).isEqualTo(body);
        }
        assertThat(row.get("dedup_key")).isNull();
        return row;
    }
}
