package io.rcsrouter.audit;

/** Fits free text into the audit table's columns without ever failing the insert. */
public final class AuditText {

    /** Room for a payload in {@code rcs_audit.payload} (characters). */
    public static final int PAYLOAD_CHARS = 262_144;
    /** Room for a reason in {@code rcs_audit.detail} (characters). */
    public static final int DETAIL_CHARS = 2_000;
    /** U+FFFD, what stands in for what cannot be stored. */
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

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

    /**
     * A rejected body for {@code rcs_audit.payload}: cut to the column, and each NUL replaced by U+FFFD (as the
     * bytes that are not UTF-8 already are), because PostgreSQL text cannot hold NUL and the insert would fail,
     * leaving no record of the request.
     */
    public static String payload(String body) {
        return cut(body == null ? null : body.replace((char) 0, REPLACEMENT_CHARACTER), PAYLOAD_CHARS);
    }

    public static String detail(String reason) {
        return cut(reason, DETAIL_CHARS);
    }
}
