package io.rcsrouter.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rcsrouter.provider.RbmSignature;
import io.rcsrouter.provider.SinchSignature;

/**
 * How each provider sends a callback, for tests: its path, its envelope (Google's push envelope around an RBM event)
 * and its signature headers, with the test secrets of {@link #SETTINGS} (every provider switched on). A sample's
 * provider is its folder: mo/ and dr/ are Kaleyra's.
 */
public final class ProviderRequests {

    public static final String RBM_TOKEN = "rbm-client-token-3141";
    public static final String SINCH_SECRET = "sinch-webhook-secret-2718";
    public static final String INFOBIP_USER = "infobip-hook";
    public static final String INFOBIP_PASSWORD = "infobip-pass-1618";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Router settings that switch every provider on with the test secrets. */
    public static final Map<String, String> SETTINGS = Map.of(
            "rcs.rbm.enabled", "true", "rcs.rbm.client-token", RBM_TOKEN,
            "rcs.sinch.enabled", "true", "rcs.sinch.webhook-secret", SINCH_SECRET,
            "rcs.infobip.enabled", "true", "rcs.infobip.auth-mode", "basic",
            "rcs.infobip.basic-user", INFOBIP_USER, "rcs.infobip.basic-password", INFOBIP_PASSWORD);

    private ProviderRequests() {
    }

    /** {@link #SETTINGS} as environment variables (for a router in its own process). */
    public static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        SETTINGS.forEach((k, v) -> env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
        return env;
    }

    /** A request: where it goes, its body and its headers (name, value, ...). */
    public record Request(String path, String body, List<String> headers) {
        public String[] headerArray(String... more) {
            List<String> all = new ArrayList<>(headers);
            all.addAll(List.of(more));
            return all.toArray(String[]::new);
        }
    }

    public static String provider(String sampleFile) {
        String dir = sampleFile.substring(0, sampleFile.indexOf('/'));
        return dir.equals("mo") || dir.equals("dr") ? "kaleyra" : dir;
    }

    /** A sample file read by its provider's format (an Infobip file's first result). */
    public static io.rcsrouter.event.RcsEvent read(String provider, String file) throws Exception {
        io.rcsrouter.provider.ProviderFormat format = switch (provider) {
            case "kaleyra" -> new io.rcsrouter.provider.KaleyraFormat();
            case "rbm" -> new io.rcsrouter.provider.RbmFormat();
            case "sinch" -> new io.rcsrouter.provider.SinchFormat();
            case "infobip" -> new io.rcsrouter.provider.InfobipFormat();
            default -> throw new IllegalArgumentException(provider);
        };
        return format.read(format.events(provider.equals("rbm") ? rbm(file.getBytes(StandardCharsets.UTF_8)).body()
                : file).get(0));
    }

    /** The request that carries {@code event} (a sample's text) from its provider. */
    public static Request of(String provider, String event) {
        return switch (provider) {
            case "kaleyra" -> new Request("/callbacks/rcs", event, List.of());
            case "rbm" -> rbm(event.getBytes(StandardCharsets.UTF_8));
            case "sinch" -> sinch(event, Instant.now().getEpochSecond());
            case "infobip" -> new Request("/callbacks/infobip", event, List.of("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString((INFOBIP_USER + ":" + INFOBIP_PASSWORD)
                            .getBytes(StandardCharsets.UTF_8))));
            default -> throw new IllegalArgumentException(provider);
        };
    }

    /** Google's push envelope around an RBM event, signed with the client token. */
    public static Request rbm(byte[] event) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.putObject("message").put("data", Base64.getEncoder().encodeToString(event))
                .put("messageId", "pubsub-" + UUID.randomUUID()).put("publishTime", Instant.now().toString());
        envelope.put("subscription", "projects/rbm-acme/subscriptions/rbm-agent");
        String signature = Base64.getEncoder().encodeToString(new RbmSignature(RBM_TOKEN).sign(event));
        return new Request("/callbacks/rbm", envelope.toString(), List.of("X-Goog-Signature", signature));
    }

    /** A Sinch callback signed at {@code epochSeconds}. */
    public static Request sinch(String body, long epochSeconds) {
        String nonce = UUID.randomUUID().toString();
        String timestamp = String.valueOf(epochSeconds);
        String signature = Base64.getEncoder().encodeToString(new SinchSignature(SINCH_SECRET, 300,
                java.time.Clock.systemUTC()).sign(body.getBytes(StandardCharsets.UTF_8), nonce, timestamp));
        return new Request("/callbacks/sinch", body, List.of("x-sinch-webhook-signature", signature,
                "x-sinch-webhook-signature-timestamp", timestamp, "x-sinch-webhook-signature-nonce", nonce,
                "x-sinch-webhook-signature-algorithm", "HmacSHA256"));
    }
}
