package io.rcsrouter.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallbackAuthenticatorTest {

    final CamelContext camel = new DefaultCamelContext();

    Exchange request(String header, String value) {
        Exchange ex = new DefaultExchange(camel);
        if (header != null) {
            ex.getMessage().setHeader(header, value);
        }
        return ex;
    }

    CallbackAuthenticator auth(String mode, String host) {
        CallbackAuthenticator a = new CallbackAuthenticator();
        a.setMode(mode);
        a.setListenHost(host);
        a.setHeaderName("X-Kaleyra-Secret");
        a.setHeaderValue("hunter2");
        a.setBasicUser("kaleyra");
        a.setBasicPassword("pa:ss");
        a.setClientId("client");
        a.setClientSecret("secret");
        a.init();
        return a;
    }

    @Test
    void modeNoneIsRefusedOnAPublicAddress() {
        assertThatThrownBy(() -> auth("none", "0.0.0.0")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a loopback address");
        assertThatCode(() -> auth("none", "127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> auth("none", "localhost")).doesNotThrowAnyException();
    }

    @Test
    void aModeWithoutItsCredentialsRefusesToStart() {
        CallbackAuthenticator a = new CallbackAuthenticator();
        a.setMode("header");
        assertThatThrownBy(a::init).hasMessageContaining("RCS_AUTH_HEADER_NAME");
        CallbackAuthenticator b = new CallbackAuthenticator();
        b.setMode("basic");
        assertThatThrownBy(b::init).hasMessageContaining("RCS_AUTH_BASIC_USER");
        CallbackAuthenticator c = new CallbackAuthenticator();
        c.setMode("bearer");
        assertThatThrownBy(c::init).hasMessageContaining("RCS_AUTH_CLIENT_ID");
        CallbackAuthenticator d = new CallbackAuthenticator();
        d.setMode("magic");
        assertThatThrownBy(d::init).hasMessageContaining("none, header, basic, bearer");
    }

    @Test
    void headerMode() throws Exception {
        CallbackAuthenticator a = auth("header", "0.0.0.0");
        a.verify(request("X-Kaleyra-Secret", "hunter2"));
        assertThatThrownBy(() -> a.verify(request("X-Kaleyra-Secret", "hunter3"))).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> a.verify(request(null, null))).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void basicMode() throws Exception {
        CallbackAuthenticator a = auth("basic", "0.0.0.0");
        a.verify(request("Authorization", basic("kaleyra:pa:ss")));
        assertThatThrownBy(() -> a.verify(request("Authorization", basic("kaleyra:wrong"))))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> a.verify(request("Authorization", "Basic !!!"))).isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> a.verify(request("Authorization", "Bearer x"))).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void bearerModeIssuesAndChecksTokens() throws Exception {
        CallbackAuthenticator a = auth("bearer", "0.0.0.0");
        Exchange tokenRequest = request(null, null);
        tokenRequest.getMessage().setBody("grant_type=client_credentials&client_id=client&client_secret=secret");
        String json = a.issueToken(tokenRequest);
        assertThat(json).startsWith("{\"token_type\":\"Bearer\",\"access_token\":\"").endsWith(",\"expires_in\":900}");
        String token = json.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        a.verify(request("Authorization", "Bearer " + token));
        assertThatThrownBy(() -> a.verify(request("Authorization", "Bearer " + token + "x")))
                .isInstanceOf(UnauthorizedException.class);
        Exchange wrong = request(null, null);
        wrong.getMessage().setBody("{\"client_id\":\"client\",\"client_secret\":\"nope\"}");
        assertThatThrownBy(() -> a.issueToken(wrong)).isInstanceOf(UnauthorizedException.class);
    }

    /**
     * Found by AuthFuzzTest: a form body with a malformed %-escape made URLDecoder throw, and POST /auth/token
     * answered 500 with an error in the log instead of the 401 of any other unreadable credentials.
     */
    @Test
    void aFormBodyWithAMalformedPercentEscapeIsUnauthorizedNotAnInternalError() {
        CallbackAuthenticator a = auth("bearer", "0.0.0.0");
        for (String body : new String[] {"client_id=%zz&client_secret=secret", "client_id=client&client_secret=%",
                "client_id=client&client_secret=secret%4", "%zz=client"}) {
            Exchange tokenRequest = request(null, null);
            tokenRequest.getMessage().setBody(body);
            assertThatThrownBy(() -> a.issueToken(tokenRequest)).as(body)
                    .isInstanceOf(UnauthorizedException.class).hasMessageContaining("malformed form body")
                    .hasMessageNotContaining("secret");
        }
    }

    static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
