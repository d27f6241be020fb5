package io.rcsrouter.provider;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.rcsrouter.auth.RequestCheck;
import io.rcsrouter.auth.UnauthorizedException;
import org.apache.camel.Exchange;

/**
 * Sinch's callback signature: {@code x-sinch-webhook-signature} = Base64(HMAC-SHA256(webhook secret,
 * body + "." + nonce + "." + timestamp)), with the nonce, the timestamp (Unix seconds) and the algorithm
 * ({@code HmacSHA256}) in the headers {@code x-sinch-webhook-signature-nonce}, {@code -timestamp} and
 * {@code -algorithm}. A timestamp further than {@code maxAgeSeconds} from now, either way, is refused: a captured
 * callback cannot be replayed later (within the window a replay is a repeat, routed once).
 */
public final class SinchSignature implements RequestCheck {

    static final String SIGNATURE = "x-sinch-webhook-signature";
    static final String TIMESTAMP = "x-sinch-webhook-signature-timestamp";
    static final String NONCE = "x-sinch-webhook-signature-nonce";
    static final String ALGORITHM = "x-sinch-webhook-signature-algorithm";

    private final SecretKeySpec key;
    private final long maxAgeSeconds;
    private final Clock clock;

    public SinchSignature(String secret, long maxAgeSeconds, Clock clock) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("RCS_SINCH_ENABLED=true needs RCS_SINCH_WEBHOOK_SECRET (the secret of the"
                    + " Sinch webhook)");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.maxAgeSeconds = maxAgeSeconds;
        this.clock = clock;
    }

    @Override
    public void verify(Exchange exchange, byte[] body) throws UnauthorizedException {
        String signature = header(exchange, SIGNATURE);
        String timestamp = header(exchange, TIMESTAMP);
        String nonce = header(exchange, NONCE);
        String algorithm = exchange.getMessage().getHeader(ALGORITHM, String.class);
        if (algorithm != null && !algorithm.strip().equalsIgnoreCase("HmacSHA256")) {
            throw new UnauthorizedException("unsupported " + ALGORITHM + " '" + algorithm.strip() + "'");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new UnauthorizedException(TIMESTAMP + " is not a Unix time in seconds");
        }
        long age = clock.instant().getEpochSecond() - seconds;
        if (Math.abs(age) > maxAgeSeconds) {
            throw new UnauthorizedException("signature timestamp " + seconds + " is " + age + " s from now, more than "
                    + maxAgeSeconds + " s (a replay, or a clock far off)");
        }
        byte[] expected = sign(body, nonce.strip(), timestamp.strip());
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            throw new UnauthorizedException(SIGNATURE + " is not Base64");
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw new UnauthorizedException("signature does not match the body");
        }
    }

    /** The signature of a body (for tests and the benchmark's load generator). */
    public byte[] sign(byte[] body, String nonce, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(body);
            mac.update(("." + nonce + "." + timestamp).getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String header(Exchange exchange, String name) throws UnauthorizedException {
        String value = exchange.getMessage().getHeader(name, String.class);
        if (value == null || value.isBlank()) {
            throw new UnauthorizedException("missing " + name);
        }
        return value;
    }
}
