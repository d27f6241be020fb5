package io.rcsrouter.audit;

/** Fits free text into the audit table's columns without ever failing the insert. */
public final class AuditText {

    /** Room for a payload in {@code rcs_audit.payload} (characters). */
    public static final int PAYLOAD_CHARS = 262_144;
    /** Room for a reason in {@code rcs_audit.detail} (characters). */
    public static final int DETAIL_CHARS = 2_000;

    private AuditText() {
    }

    /** The text, cut to {@code max} characters with a marker when it was longer. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String marker = "...[cut, " + text.length() + " chars]";
        return text.substring(0, Math.max(0, max - marker.length())) + marker;
    }

    public static String payload(String body) {
        return cut(body, PAYLOAD_CHARS);
    }

    public static String detail(String reason) {
        return cut(reason, DETAIL_CHARS);
    }
}
