package io.rcsrouter.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    TokenService at(Instant now, String secret) {
        return new TokenService("kaleyra", secret, null, Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void issuesATokenThatATwinInstanceAccepts() throws Exception {
        var token = at(NOW, "s3cret").issue("kaleyra", "s3cret");
        assertThat(token.expiresInSeconds()).isEqualTo(900);
        at(NOW.plusSeconds(60), "s3cret").verify(token.accessToken()); // another instance, same settings
    }

    @Test
    void refusesWrongCredentials() {
        assertThatThrownBy(() -> at(NOW, "s3cret").issue("kaleyra", "wrong")).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> at(NOW, "s3cret").issue("someone", "s3cret")).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void refusesExpiredTamperedAndForeignTokens() throws Exception {
        String token = at(NOW, "s3cret").issue("kaleyra", "s3cret").accessToken();
        assertThatThrownBy(() -> at(NOW.plus(Duration.ofMinutes(16)), "s3cret").verify(token))
                .isInstanceOf(UnauthorizedException.class).hasMessage("expired token");
        assertThatThrownBy(() -> at(NOW, "rotated").verify(token))
                .isInstanceOf(UnauthorizedException.class).hasMessage("token with a bad signature");
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThatThrownBy(() -> at(NOW, "s3cret").verify(tampered)).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> at(NOW, "s3cret").verify("not-a-jwt")).isInstanceOf(UnauthorizedException.class);
        // alg "none" is never accepted
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + parts[1] + ".";
        assertThatThrownBy(() -> at(NOW, "s3cret").verify(none)).isInstanceOf(UnauthorizedException.class);
    }

    /**
     * Found by AuthFuzzTest: the refusal quoted the algorithm of the token's header, which the caller writes, into
     * the log line "Callback refused (401) from ...: token with unexpected algorithm ..." with its control
     * characters (a forged log line) and at any length.
     */
    @Test
    void theAlgorithmOfARefusedTokenIsQuotedShortAndEscaped() {
        String header = "{\"alg\":\"HS256\\n2026-11-27 10:00:00 INFO forged\\u007f" + "x".repeat(500) + "\"}";
        String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes())
                + ".e30.c2ln";
        assertThatThrownBy(() -> at(NOW, "s3cret").verify(token)).isInstanceOf(UnauthorizedException.class)
                .hasMessageStartingWith("token with unexpected algorithm HS256\\u000a2026-11-27 10:00:00 INFO")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u007f").hasSizeLessThan(80));
    }
}
