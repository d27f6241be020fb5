package io.rcsrouter.event;

/**
 * The {@code data.userMessage} object of a USER_MESSAGE callback.
 *
 * @param kind         TEXT, RESPONSE (a suggestion tap), LOCATION, or whatever Kaleyra sends next (kept verbatim)
 * @param text         typed text (TEXT) or the suggestion's label (RESPONSE)
 * @param postbackData the suggestion's postback data (RESPONSE)
 * @param responseType REPLY or ACTION (RESPONSE)
 * @param moType       REPLY, DIAL, OPEN_URL, VIEW_LOCATION, ASK_LOCATION, CREATE_CALENDAR_EVENT (RESPONSE)
 * @param location     the shared location (LOCATION)
 * @param file         a file the user sent (FILE): a reference to it, never its content
 */
public record UserMessage(
        String kind,
        String text,
        String postbackData,
        String responseType,
        String moType,
        Location location,
        File file) {

    public UserMessage(String kind, String text, String postbackData, String responseType, String moType,
            Location location) {
        this(kind, text, postbackData, responseType, moType, location, null);
    }

    /**
     * What the user did, the same word for every provider: TEXT (typed), REPLY (tapped a suggested reply), ACTION
     * (tapped a suggested action), LOCATION, FILE, or OTHER. The routing table's {@code kind}, the CRM's
     * {@code event.kind}.
     */
    public String intentKind() {
        if (kind == null) {
            return "OTHER";
        }
        return switch (kind.toUpperCase(java.util.Locale.ROOT)) {
            case "TEXT" -> "TEXT";
            case "LOCATION" -> "LOCATION";
            case "FILE" -> "FILE";
            case "RESPONSE" -> "REPLY".equalsIgnoreCase(responseType) || "REPLY".equalsIgnoreCase(moType) ? "REPLY"
                    : "ACTION";
            default -> "OTHER";
        };
    }

    /** A file the user sent, as the provider holds it: where to fetch it, its type, name and size when known. */
    public record File(String url, String mimeType, String name, Long sizeBytes) {
    }

    /** A shared location. */
    public record Location(double latitude, double longitude) {
    }
}
