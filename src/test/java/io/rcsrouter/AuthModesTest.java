package io.rcsrouter;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Callback authentication over real HTTP, one router per mode: the right credentials pass, wrong ones get a bare
 * 401 (and no audit row: nobody unauthenticated can fill the database), repeated failures get 429, and bearer
 * tokens come from /auth/token in each form a client may send.
 */
class AuthModesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void headerMode() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.http.host", "127.0.0.1",
                "rcs.auth.mode", "header", "rcs.auth.header-name", "X-Kaleyra-Secret",
                "rcs.auth.header-value", "s3cr3t-h3ader"))) {
            assertThat(router.postJson(Callbacks.text("auth-h1", "19785550501", "hi"),
                    "X-Kaleyra-Secret", "s3cr3t-h3ader").statusCode()).isEqualTo(200);
            assertUnauthorized(router.postJson(Callbacks.text("auth-h2", "19785550501", "hi"),
                    "X-Kaleyra-Secret", "s3cr3t-h3adeR"));
            assertUnauthorized(router.postJson(Callbacks.text("auth-h3", "19785550501", "hi")));
            await().atMost(Duration.ofSeconds(10)).until(() -> router.auditRow("event:auth-h1") != null);
            assertThat(router.auditRow("event:auth-h2")).isNull();
            assertThat(router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'")).isZero();
            // the secret never travels on with the event
            assertThat(router.query("SELECT payload FROM rcs_audit")).noneMatch(r -> r.toString().contains("s3cr3t"));

            // a body over the server's hard limit, refused before any route sees it: audited only with credentials
            byte[] huge = new byte[2_000_000];
            java.util.Arrays.fill(huge, (byte) ' ');
            HttpResponse<String> anonymous = router.post("/callbacks/rcs", huge, "application/json");
            assertUnauthorized(anonymous);
            HttpResponse<String> tooLarge = router.post("/callbacks/rcs", huge, "application/json",
                    "X-Kaleyra-Secret", "s3cr3t-h3ader");
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    router.count("SELECT COUNT(*) FROM rcs_audit WHERE status = 'REJECTED'") == 1);
            assertThat(router.query("SELECT detail FROM rcs_audit WHERE status = 'REJECTED'").get(0))
                    .containsEntry("detail", "413 body of 2000000 bytes is over the limit of 65536 bytes");
        }
    }

    @Test
    void basicModeAndRateLimiting() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.auth.mode", "basic",
                "rcs.auth.basic-user", "kaleyra", "rcs.auth.basic-password", "b4sic-pw",
                "rcs.auth.max-failures", "5", "rcs.auth.failure-window-seconds", "60"))) {
            assertThat(router.postJson(Callbacks.text("auth-b1", "19785550502", "hi"),
                    "Authorization", basic("kaleyra:b4sic-pw")).statusCode()).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                assertUnauthorized(router.postJson(Callbacks.text("auth-b-bad" + i, "19785550502", "hi"),
                        "Authorization", basic("kaleyra:guess" + i)));
            }
            // locked out now, even with the right password
            HttpResponse<String> locked = router.postJson(Callbacks.text("auth-b2", "19785550502", "hi"),
                    "Authorization", basic("kaleyra:b4sic-pw"));
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(JSON.readTree(locked.body()).get("error").asText()).contains("too many failed");
        }
    }

    @Test
    void bearerModeTokensFromEveryFormAndAClosedAdminApi() throws Exception {
        try (RouterHarness router = RouterHarness.start(Map.of("rcs.auth.mode", "bearer",
                "rcs.auth.client-id", "kaleyra-client", "rcs.auth.client-secret", "cl13nt-s3cret",
                "rcs.auth.token-lifetime-seconds", "300"))) {
            String fromForm = token(router.post("/auth/token",
                    "grant_type=client_credentials&client_id=kaleyra-client&client_secret=cl13nt-s3cret",
                    "application/x-www-form-urlencoded"));
            String fromJson = token(router.post("/auth/token",
                    "{\"client_id\":\"kaleyra-client\",\"client_secret\":\"cl13nt-s3cret\"}", "application/json"));
            String fromBasic = token(router.post("/auth/token", "", null,
                    "Authorization", basic("kaleyra-client:cl13nt-s3cret")));

            int i = 0;
            for (String t : new String[] {fromForm, fromJson, fromBasic}) {
                assertThat(router.postJson(Callbacks.text("auth-t" + i++, "19785550503", "hi"),
                        "Authorization", "Bearer " + t).statusCode()).isEqualTo(200);
            }
            assertUnauthorized(router.postJson(Callbacks.text("auth-t9", "19785550503", "hi"),
                    "Authorization", "Bearer " + fromJson.substring(0, fromJson.length() - 3) + "abc"));
            assertUnauthorized(router.post("/auth/token", "client_id=kaleyra-client&client_secret=wrong",
                    "application/x-www-form-urlencoded"));

            // no RCS_ADMIN_TOKEN: the admin API does not exist
            assertThat(router.get("/admin/audit?messageId=x").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void modeNoneOnAPublicAddressDoesNotStart() {
        assertThatThrownBy(() -> RouterHarness.start(Map.of("rcs.http.host", "0.0.0.0", "rcs.auth.mode", "none")))
                .hasStackTraceContaining("RCS_AUTH_MODE=none is refused");
    }

    private static String token(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(r.body());
        assertThat(json.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(json.get("expires_in").asInt()).isEqualTo(300);
        return json.get("access_token").asText();
    }

    private static void assertUnauthorized(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"error\":\"unauthorized\"}");
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
