package io.rcsrouter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.LogCapture;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.Samples;
import io.rcsrouter.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Everything the router logs during a busy session (every sample, opt-outs, auth failures, bad input, admin calls)
 * is captured and searched: no secret and no full phone number may appear, start-up included.
 */
class LogHygieneTest {

    static final String HEADER_SECRET = "hdr-S3CRET-value-991";
    static final String ADMIN_TOKEN = "adm-T0KEN-value-992";
    static final String CRM_TOKEN = "crm-T0KEN-value-993";

    @Test
    void noSecretAndNoFullPhoneNumberIsEverLogged() throws Exception {
        LogCapture captured = LogCapture.onRoot();
        List<String> numbers = new ArrayList<>(List.of("19785550601", "19785550602"));
        try (captured; RouterHarness router = RouterHarness.start(Map.of(
                "rcs.auth.mode", "header", "rcs.auth.header-name", "X-Kaleyra-Secret",
                "rcs.auth.header-value", HEADER_SECRET, "rcs.admin.token", ADMIN_TOKEN,
                "rcs.crm.token", CRM_TOKEN, "rcs.crm.url", "http://127.0.0.1:9/unreachable",
                "rcs.crm.max-retries", "0"))) {
            // the subscribers' numbers, as samples/expected-routes.csv gives them (masked samples have none)
            for (Samples.Expectation sample : Samples.expectations()) {
                if (sample.get("msisdn").chars().allMatch(Character::isDigit)) {
                    numbers.add(sample.get("msisdn"));
                }
            }
            try (Stream<Path> files = Stream.concat(Files.list(Path.of("samples/mo")), Files.list(Path.of("samples/dr")))) {
                for (Path f : files.toList()) {
                    String body = Files.readString(f);
                    router.postJson(body, "X-Kaleyra-Secret", HEADER_SECRET);
                }
            }
            router.postJson(Callbacks.text("log-1", "+19785550601", "STOP"), "X-Kaleyra-Secret", HEADER_SECRET);
            router.postJson(Callbacks.text("log-2", "19785550602", "please stop texting me"),
                    "X-Kaleyra-Secret", HEADER_SECRET);
            router.postJson(Callbacks.text("log-3", "19785550602", "hi"), "X-Kaleyra-Secret", "wrong-" + HEADER_SECRET);
            router.postJson("{\"data\":{\"type\":\"USER_MESSAGE\",\"from\":\"19785550602\"}}",
                    "X-Kaleyra-Secret", HEADER_SECRET);
            router.get("/admin/consent/kio_rcs/19785550601", "Authorization", "Bearer " + ADMIN_TOKEN);
            router.get("/admin/consent/kio_rcs/19785550601", "Authorization", "Bearer nope-" + ADMIN_TOKEN);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    router.count("SELECT COUNT(*) FROM rcs_audit WHERE status IN ('RECEIVED')") == 0
                            && router.auditRow("event:log-2") != null);
            // until everything is dispatched and the unreachable CRM's failures have been logged and dead-lettered
            // (then its circuit opens and the rest waits on the queue)
            router.awaitSettled(Duration.ofSeconds(30), 1, "rcs.inbound");
            await().atMost(Duration.ofSeconds(30)).until(() -> !router.browse("rcs.crm.dlq").isEmpty());
        }
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : captured.events()) {
            lines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                    : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        assertThat(lines).as("something was logged").hasSizeGreaterThan(50);
        for (String secret : List.of(HEADER_SECRET, ADMIN_TOKEN, CRM_TOKEN)) {
            assertThat(lines).as("secret %s", secret).noneMatch(l -> l.contains(secret));
        }
        assertThat(numbers).hasSizeGreaterThan(2);
        for (String number : numbers) {
            assertThat(lines).as("phone number %s", number).noneMatch(l -> l.contains(number));
        }
    }
}
