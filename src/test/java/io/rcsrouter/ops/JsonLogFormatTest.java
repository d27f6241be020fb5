package io.rcsrouter.ops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@code RCS_LOG_FORMAT=json} makes the shipped logback.xml write one JSON object per line, for log shippers; the
 * default stays plain text. The file is loaded into a logging context of its own (the one the tests log through is
 * left alone) with the variable set the way logback resolves it, and the console output is captured and parsed.
 */
class JsonLogFormatTest {

    private static final Path LOGBACK_XML = Path.of("src/main/resources/logback.xml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        String marker = "json-log-" + UUID.randomUUID();
        List<String> lines = logThroughShippedConfiguration("json", log -> {
            log.info("{} accepted, text with \"quotes\" and\na line break", marker);
            log.error(marker + " failed", new IllegalStateException("broker down"));
        });
        List<String> ours = lines.stream().filter(line -> line.contains(marker)).toList();
        assertThat(ours).as("lines with the marker in %s", lines).hasSize(2);
        for (String line : ours) {
            assertThatCode(() -> JSON.readTree(line)).as(line).doesNotThrowAnyException();
        }

        JsonNode info = JSON.readTree(ours.get(0));
        assertThat(info.path("level").asText()).isEqualTo("INFO");
        assertThat(info.path("loggerName").asText()).isEqualTo("io.rcsrouter.ops.JsonLogFormatTest");
        assertThat(info.path("message").asText()).isEqualTo("{} accepted, text with \"quotes\" and\na line break");
        assertThat(info.path("formattedMessage").asText())
                .isEqualTo(marker + " accepted, text with \"quotes\" and\na line break");
        assertThat(info.path("timestamp").asLong()).isPositive();

        // the stack trace stays inside its object: a log shipper never sees a line that is not JSON
        JsonNode error = JSON.readTree(ours.get(1));
        assertThat(error.path("level").asText()).isEqualTo("ERROR");
        assertThat(error.path("throwable").path("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.path("throwable").path("message").asText()).isEqualTo("broker down");
    }

    @Test
    void textIsTheDefault() throws Exception {
        String marker = "text-log-" + UUID.randomUUID();
        List<String> lines = logThroughShippedConfiguration(null, log -> log.info("{} accepted", marker));
        List<String> ours = lines.stream().filter(line -> line.contains(marker)).toList();
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0)).doesNotStartWith("{")
                .matches("\\d{4}-\\d\\d-\\d\\dT\\S+ INFO  \\[[^]]+] io\\.rcsrouter\\.ops\\.JsonLogFormatTest - "
                        + marker + " accepted");
    }

    interface LogLines {
        void write(Logger log);
    }

    /**
     * Configures a new logging context from src/main/resources/logback.xml, with RCS_LOG_FORMAT set as a context
     * property (logback looks there before the environment), logs, and returns what reached the console.
     */
    private static List<String> logThroughShippedConfiguration(String format, LogLines lines) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        // what SLF4J's logback provider sets on the context it creates; without it every append fails
        context.setMDCAdapter(new LogbackMDCAdapter());
        // the console appender takes System.out when it starts: swap it before configuring
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            if (format != null) {
                context.putProperty("RCS_LOG_FORMAT", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LOGBACK_XML.toFile());
            lines.write(context.getLogger(JsonLogFormatTest.class));
        } finally {
            context.stop();
            System.setOut(console);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
