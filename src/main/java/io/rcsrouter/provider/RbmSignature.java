package io.rcsrouter.provider;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import io.rcsrouter.auth.RequestCheck;
import io.rcsrouter.auth.UnauthorizedException;
import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.InvalidCallbackException;
import org.apache.camel.Exchange;

/**
 * Google RBM's callback signature: {@code X-Goog-Signature} = Base64(HMAC-SHA512(client token, the Base64-decoded
 * {@code message.data})), the client token being the agent's (RBM's webhook settings, {@code RCS_RBM_CLIENT_TOKEN}).
 * Also the webhook verification Google makes when the URL is registered: {@code {"clientToken", "secret"}}, answered
 * 200 with the secret as plain text when the token is the agent's ({@link #handshake}).
 */
public final class RbmSignature implements RequestCheck {

    static final String SIGNATURE = "X-Goog-Signature";

    private final SecretKeySpec key;
    private final byte[] token;
    private final CallbackParser parser = new CallbackParser();

    public RbmSignature(String clientToken) {
        if (clientToken == null || clientToken.isBlank()) {
            throw new IllegalStateException("RCS_RBM_ENABLED=true needs RCS_RBM_CLIENT_TOKEN (the client token of the"
                    + " RBM agent's webhook)");
        }
        this.token = clientToken.getBytes(StandardCharsets.UTF_8);
        this.key = new SecretKeySpec(token, "HmacSHA512");
    }

    @Override
    public void verify(Exchange exchange, byte[] body) throws UnauthorizedException {
        String signature = exchange.getMessage().getHeader(SIGNATURE, String.class);
        if (signature == null || signature.isBlank()) {
            throw new UnauthorizedException("missing " + SIGNATURE);
        }
        byte[] data;
        try {
            data = RbmFormat.data(parser.readObject(new String(body, StandardCharsets.UTF_8)));
        } catch (InvalidCallbackException e) {
            // nothing to check the signature against: refused as unsigned, never parsed further
            throw new UnauthorizedException("no signed message.data to check " + SIGNATURE + " against: "
                    + e.getMessage());
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            throw new UnauthorizedException(SIGNATURE + " is not Base64");
        }
        if (!MessageDigest.isEqual(sign(data), given)) {
            throw new UnauthorizedException(SIGNATURE + " does not match message.data");
        }
    }

    /** The signature of an event's bytes (for tests and the benchmark's load generator). */
    public byte[] sign(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(key);
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA512 is not available", e);
        }
    }

    /**
     * Google's webhook verification: a body with {@code clientToken} and {@code secret} and no {@code message}.
     *
     * @return the secret to answer with, or null when the body is no verification request
     * @throws UnauthorizedException when it is one, with another agent's token
     */
    @Override
    public String handshake(Exchange exchange, byte[] body) throws UnauthorizedException {
        JsonNode root;
        try {
            root = parser.readObject(new String(body, StandardCharsets.UTF_8));
        } catch (InvalidCallbackException e) {
            return null;
        }
        JsonNode clientToken = root.get("clientToken");
        JsonNode secret = root.get("secret");
        if (root.has("message") || clientToken == null || secret == null) {
            return null;
        }
        if (!clientToken.isTextual() || !secret.isTextual()
                || !MessageDigest.isEqual(token, clientToken.textValue().getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthorizedException("webhook verification with a client token that is not this agent's");
        }
        return secret.textValue();
    }
}
