package io.rcsrouter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.rcsrouter.infra.LogSafe;

/**
 * Kaleyra "advanced" authentication: Kaleyra trades its client id and secret for a short-lived bearer token at
 * {@code POST /auth/token}, then presents the token on each callback.
 *
 * <p>Tokens are HS256 JWTs signed with a key derived from the signing secret. Every router instance configured with
 * the same secret accepts every other instance's tokens: nothing about a token is kept in memory.
 */
public final class TokenService {

    static final String ISSUER = "rcs-callback-router";
    static final String AUDIENCE = "rcs-callbacks";
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final String clientId;
    private final String clientSecret;
    private final byte[] signingKey;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param clientId      the id Kaleyra presents
     * @param clientSecret  the secret Kaleyra presents
     * @param signingSecret the key material for signing; when blank, derived from the client secret, so that
     *                      rotating the client secret also invalidates every token issued with it
     * @param lifetime      how long a token is valid
     */
    public TokenService(String clientId, String clientSecret, String signingSecret, Duration lifetime, Clock clock) {
        if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalStateException(
                    "RCS_AUTH_MODE=bearer needs RCS_AUTH_CLIENT_ID and RCS_AUTH_CLIENT_SECRET");
        }
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        String material = signingSecret == null || signingSecret.isBlank()
                ? "rcs-token-signing:" + clientSecret
                : signingSecret;
        this.signingKey = sha256(material); // 256 bits, as HS256 requires
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public static TokenService create(String clientId, String clientSecret, String signingSecret, long lifetimeSeconds) {
        return new TokenService(clientId, clientSecret, signingSecret, Duration.ofSeconds(lifetimeSeconds),
                Clock.systemUTC());
    }

    /** Issues a token when the id and secret are right; otherwise throws, saying why only to the log. */
    public IssuedToken issue(String presentedId, String presentedSecret) throws UnauthorizedException {
        boolean idOk = Secrets.constantTimeEquals(presentedId, clientId);
        boolean secretOk = Secrets.constantTimeEquals(presentedSecret, clientSecret);
        if (!(idOk & secretOk)) {
            throw new UnauthorizedException("token request with wrong client credentials");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(signingKey));
            return new IssuedToken(jwt.serialize(), lifetime.toSeconds());
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    /** Accepts a token this service (or a twin with the same secret) issued, and that has not expired. */
    public void verify(String token) throws UnauthorizedException {
        if (token == null || token.isBlank()) {
            throw new UnauthorizedException("no bearer token");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token.strip());
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                // the algorithm is whatever the caller wrote in the header: quoted short, and escaped
                throw new UnauthorizedException("token with unexpected algorithm "
                        + LogSafe.quote(String.valueOf(jwt.getHeader().getAlgorithm()), 32));
            }
            if (!jwt.verify(new MACVerifier(signingKey))) {
                throw new UnauthorizedException("token with a bad signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Date exp = claims.getExpirationTime();
            if (exp == null || now.minus(CLOCK_SKEW).isAfter(exp.toInstant())) {
                throw new UnauthorizedException("expired token");
            }
            Date iat = claims.getIssueTime();
            if (iat != null && iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
                throw new UnauthorizedException("token issued in the future");
            }
            List<String> aud = claims.getAudience();
            if (!ISSUER.equals(claims.getIssuer()) || aud == null || !aud.contains(AUDIENCE)
                    || !clientId.equals(claims.getSubject())) {
                throw new UnauthorizedException("token for another issuer, audience or client");
            }
        } catch (ParseException e) {
            throw new UnauthorizedException("malformed token");
        } catch (JOSEException e) {
            throw new UnauthorizedException("token could not be verified");
        }
    }

    /** The answer of {@code POST /auth/token}. */
    public record IssuedToken(String accessToken, long expiresInSeconds) {
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
