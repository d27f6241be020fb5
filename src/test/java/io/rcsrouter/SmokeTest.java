package io.rcsrouter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SmokeTest {

    @Test
    void startsAndAcceptsACallback() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of())) {
            var r = router.postJson(Files.readString(Path.of("samples/mo/05-reply.json")));
            System.out.println(r.statusCode() + " " + r.body() + " " + r.headers().map());
            assertThat(r.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(router.query("SELECT status, route FROM rcs_audit")).isNotEmpty());
            System.out.println(router.query("SELECT * FROM rcs_audit"));
        }
    }
}
