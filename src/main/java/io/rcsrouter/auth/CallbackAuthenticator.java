package io.rcsrouter.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.camel.Exchange;

/**
 * Checks that a callback comes from Kaleyra, in the mode {@code RCS_AUTH_MODE} selects; declared in
 * {@code EngineConfiguration} as {@code callbackAuth}. Also answers Kaleyra's token requests in bearer mode.
 *
 * <p>Configured through bean properties, then {@link #init()} refuses settings that would leave the door open: mode
 * {@code none} on a non-loopback address, or a mode without its credentials.
 */
public class CallbackAuthenticator implements RequestCheck {

    private String mode = "none";
    private String listenHost = "127.0.0.1";
    private String headerName;
    private String headerValue;
    private String basicUser;
    private String basicPassword;
    private String clientId;
    private String clientSecret;
    private String tokenSigningSecret;
    private long tokenLifetimeSeconds = 900;

    private AuthMode authMode;
    private TokenService tokens;

    /** Validates the settings; called once by Camel after the properties are set. */
    public void init() {
        authMode = AuthMode.parse(mode);
        switch (authMode) {
            case NONE -> {
                if (!isLoopback(listenHost)) {
                    throw new IllegalStateException("RCS_AUTH_MODE=none is refused: the server listens on '"
                            + listenHost + "', which is not a loopback address. Set RCS_AUTH_MODE to header, basic"
                            + " or bearer, or RCS_HTTP_HOST to 127.0.0.1.");
                }
            }
            case HEADER -> {
                if (blank(headerName) || blank(headerValue)) {
                    throw new IllegalStateException(
                            "RCS_AUTH_MODE=header needs RCS_AUTH_HEADER_NAME and RCS_AUTH_HEADER_VALUE");
                }
            }
            case BASIC -> {
                if (blank(basicUser) || blank(basicPassword)) {
                    throw new IllegalStateException(
                            "RCS_AUTH_MODE=basic needs RCS_AUTH_BASIC_USER and RCS_AUTH_BASIC_PASSWORD");
                }
            }
            case BEARER -> tokens = TokenService.create(clientId, clientSecret, tokenSigningSecret,
                    tokenLifetimeSeconds);
            default -> throw new IllegalStateException("unknown mode " + authMode);
        }
    }

    /** Passes a callback with valid credentials; throws {@link UnauthorizedException} otherwise. */
    @Override
    public void verify(Exchange exchange, byte[] body) throws UnauthorizedException {
        verify(exchange);
    }

    public void verify(Exchange exchange) throws UnauthorizedException {
        switch (authMode) {
            case NONE -> {
            }
            case HEADER -> {
                String presented = exchange.getMessage().getHeader(headerName, String.class);
                if (!Secrets.constantTimeEquals(presented, headerValue)) {
                    throw new UnauthorizedException(presented == null
                            ? "missing header " + headerName : "wrong value in header " + headerName);
                }
            }
            case BASIC -> {
                String[] credentials = basicCredentials(authorization(exchange));
                boolean userOk = Secrets.constantTimeEquals(credentials[0], basicUser);
                boolean passwordOk = Secrets.constantTimeEquals(credentials[1], basicPassword);
                if (!(userOk & passwordOk)) {
                    throw new UnauthorizedException("wrong basic credentials");
                }
            }
            case BEARER -> tokens.verify(bearerToken(authorization(exchange)));
            default -> throw new UnauthorizedException("unknown auth mode");
        }
    }

    /** The {@code POST /auth/token} step: reads the client credentials Kaleyra sent, answers the token JSON. */
    public String issueToken(Exchange exchange) throws UnauthorizedException {
        if (authMode != AuthMode.BEARER) {
            throw new UnauthorizedException("token requested, but RCS_AUTH_MODE is " + authMode);
        }
        ClientCredentials credentials = ClientCredentials.read(exchange);
        TokenService.IssuedToken token = tokens.issue(credentials.clientId(), credentials.clientSecret());
        return "{\"token_type\":\"Bearer\",\"access_token\":\"" + token.accessToken()
                + "\",\"expires_in\":" + token.expiresInSeconds() + "}";
    }

    public AuthMode authMode() {
        return authMode;
    }

    private static String authorization(Exchange exchange) {
        return exchange.getMessage().getHeader("Authorization", String.class);
    }

    static String[] basicCredentials(String header) throws UnauthorizedException {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new UnauthorizedException("no basic credentials");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new UnauthorizedException("malformed basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new UnauthorizedException("malformed basic credentials");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static String bearerToken(String header) throws UnauthorizedException {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("no bearer token");
        }
        return header.substring(7).strip();
    }

    static boolean isLoopback(String host) {
        if (blank(host)) {
            return false;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(host.strip());
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public void setListenHost(String listenHost) {
        this.listenHost = listenHost;
    }

    public void setHeaderName(String headerName) {
        this.headerName = headerName;
    }

    public void setHeaderValue(String headerValue) {
        this.headerValue = headerValue;
    }

    public void setBasicUser(String basicUser) {
        this.basicUser = basicUser;
    }

    public void setBasicPassword(String basicPassword) {
        this.basicPassword = basicPassword;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public void setTokenSigningSecret(String tokenSigningSecret) {
        this.tokenSigningSecret = tokenSigningSecret;
    }

    public void setTokenLifetimeSeconds(long tokenLifetimeSeconds) {
        this.tokenLifetimeSeconds = tokenLifetimeSeconds;
    }
}
