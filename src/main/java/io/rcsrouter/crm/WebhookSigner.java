package io.rcsrouter.crm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Signs each CRM request the Standard Webhooks way (spec v1, symmetric: https://www.standardwebhooks.com), so that
 * the CRM can check that a request comes from this router, was not altered on the way, and is not an old one
 * replayed; declared as {@code webhookSigner}, called by the {@code crm-post} route just before it sends.
 *
 * <pre>
 *   webhook-id         the event's stable id: the Idempotency-Key (its dedup key), the same on every retry
 *   webhook-timestamp  when this attempt is made, in Unix seconds (a retry gets a fresh one)
 *   webhook-signature  "v1," + Base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))
 * </pre>
 *
 * The secret ({@code rcs.crm.signing-secret}) is written as Standard Webhooks shows it to users: {@code whsec_}
 * followed by the Base64 of the key, which must be 24 to 64 bytes. Blank means no signing and no webhook-* headers.
 * A secret in any other form stops the router at start-up: a typo must not silently send unsigned requests, or
 * requests signed with the wrong key.
 *
 * <p>The spec asks for ids without {@code .}, so that no bytes can move between id, timestamp and body. The id is
 * the dedup key, built from Kaleyra's eventId or messageId, which are letters, digits and dashes in every sample
 * but are not checked for dots; the timestamp is the router's own and the body a JSON object, which limits what a
 * dot could do.
 */
public class WebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** The header the crm-post route sets to the dedup key before this step; webhook-id is the same value. */
    static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    /** Key sizes the spec allows for HMAC-SHA256 secrets: at least 192 bits, at most 512. */
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;
    private static final String HMAC_SHA256 = "HmacSHA256";

    /** Null when signing is off. */
    private final SecretKeySpec key;
    private final Clock clock;

    public WebhookSigner(String secret) {
        this(secret, Clock.systemUTC());
    }

    public WebhookSigner(String secret, Clock clock) {
        this.key = secret == null || secret.isBlank() ? null : new SecretKeySpec(decode(secret.strip()), HMAC_SHA256);
        this.clock = clock;
    }

    public boolean enabled() {
        return key != null;
    }

    /**
     * The route step: sets the three webhook-* headers and makes the body the very bytes that were signed (the CRM
     * request JSON in UTF-8, the charset the Content-Type header names), so that what is sent is what is signed.
     * Does nothing when signing is off.
     */
    public void sign(Exchange exchange) {
        if (!enabled()) {
            return;
        }
        Message message = exchange.getMessage();
        String id = message.getHeader(IDEMPOTENCY_KEY_HEADER, String.class);
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("cannot sign the CRM request: the " + IDEMPOTENCY_KEY_HEADER
                    + " header (the event's dedup key, used as webhook-id) must be set before this step");
        }
        byte[] body = bodyBytes(message);
        long timestamp = clock.instant().getEpochSecond();
        message.setBody(body);
        message.setHeader(ID_HEADER, id);
        message.setHeader(TIMESTAMP_HEADER, Long.toString(timestamp));
        message.setHeader(SIGNATURE_HEADER, signature(id, timestamp, body));
    }

    /** {@code v1,} and the Base64 HMAC-SHA256 of {@code id.timestamp.body}. */
    public String signature(String id, long timestamp, byte[] body) {
        if (!enabled()) {
            throw new IllegalStateException("no signing secret is configured");
        }
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256); // one per call: a Mac is not thread-safe
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }

    private static byte[] bodyBytes(Message message) {
        Object body = message.getBody();
        if (body instanceof byte[] bytes) {
            return bytes; // already converted: a retry of the same request
        }
        String text = message.getBody(String.class);
        return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
    }

    /** The key inside a {@code whsec_} secret. The messages never repeat the secret, which would put it in a log. */
    static byte[] decode(String secret) {
        String expected = "rcs.crm.signing-secret (RCS_CRM_SIGNING_SECRET) must be blank (no signing) or '"
                + SECRET_PREFIX + "' followed by the Base64 of a " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                + " byte key";
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException(expected + "; the value set does not start with '" + SECRET_PREFIX
                    + "'");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(expected + "; the part after '" + SECRET_PREFIX
                    + "' is not valid Base64");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(expected + "; the value set holds a key of " + key.length + " bytes");
        }
        return key;
    }
}
