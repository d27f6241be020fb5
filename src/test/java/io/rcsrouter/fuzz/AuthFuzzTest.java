package io.rcsrouter.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rcsrouter.auth.CallbackAuthenticator;
import io.rcsrouter.auth.UnauthorizedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import static io.rcsrouter.fuzz.FuzzChecks.check;

/**
 * The credential checks on whatever a caller sends: the Basic header of RCS_AUTH_MODE=basic, the bearer token of
 * RCS_AUTH_MODE=bearer, and the body (form or JSON, optionally with a Basic header) of {@code POST /auth/token}.
 * The only refusal is {@link UnauthorizedException} (the bare 401); any other exception is a 500 and a finding,
 * and so is a Basic header that passes without carrying the configured user and password.
 *
 * <p>One fuzz test for the three, the first byte choosing which, so that .ci/fuzz.sh fuzzes them in one run.
 */
class AuthFuzzTest {

    static final String USER = "kaleyra";
    static final String PASSWORD = "pa:ss";
    private static final CamelContext CAMEL = new DefaultCamelContext();
    private final CallbackAuthenticator basic = authenticator("basic");
    private final CallbackAuthenticator bearer = authenticator("bearer");

    @FuzzTest(maxDuration = FuzzChecks.MAX_DURATION)
    void credentials(FuzzedDataProvider data) {
        int which = data.consumeInt(0, 2);
        try {
            switch (which) {
                case 0 -> {
                    String header = data.consumeRemainingAsString();
                    basic.verify(request(header, null));
                    check(carriesTheConfiguredCredentials(header), "Basic header accepted: " + header);
                }
                case 1 -> bearer.verify(request(data.consumeRemainingAsString(), null));
                default -> {
                    String header = data.consumeBoolean() ? data.consumeString(500) : null;
                    String json = bearer.issueToken(request(header, data.consumeRemainingAsBytes()));
                    check(json.startsWith("{\"token_type\":\"Bearer\""), "not a token answer: " + json);
                }
            }
        } catch (UnauthorizedException refusal) {
            FuzzChecks.assertCleanMessage(refusal);
        }
    }

    private static boolean carriesTheConfiguredCredentials(String header) {
        try {
            byte[] decoded = Base64.getDecoder().decode(header.substring(6).strip());
            return Arrays.equals(decoded, (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Exchange request(String authorization, byte[] body) {
        Exchange ex = new DefaultExchange(CAMEL);
        if (authorization != null) {
            ex.getMessage().setHeader("Authorization", authorization);
        }
        ex.getMessage().setBody(body);
        return ex;
    }

    private static CallbackAuthenticator authenticator(String mode) {
        CallbackAuthenticator a = new CallbackAuthenticator();
        a.setMode(mode);
        a.setListenHost("0.0.0.0");
        a.setBasicUser(USER);
        a.setBasicPassword(PASSWORD);
        a.setClientId("client");
        a.setClientSecret("secret");
        a.setTokenSigningSecret("fuzz-signing-secret");
        a.init();
        return a;
    }
}
