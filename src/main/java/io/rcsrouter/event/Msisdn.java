package io.rcsrouter.event;

/** Phone-number handling: one canonical form for storage, and a masked form for logs. */
public final class Msisdn {

    private Msisdn() {
    }

    /**
     * Canonical form: surrounding blanks and a leading "+" or "00" removed, and the separators people type
     * (spaces, dots, dashes, parentheses) dropped. Anything else is kept as sent, so an alphanumeric sender id
     * survives unchanged.
     */
    public static String normalize(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
                continue;
            }
            out.append(c);
        }
        String n = out.toString();
        if (n.startsWith("+")) {
            n = n.substring(1);
        } else if (n.startsWith("00") && n.length() > 2 && n.chars().allMatch(Character::isDigit)) {
            n = n.substring(2);
        }
        return n;
    }

    /** True for a phone number as Kaleyra sends one: optional "+", then digits (or the X of a masked sample). */
    public static boolean looksLikeNumber(String raw) {
        if (raw == null) {
            return false;
        }
        String n = normalize(raw);
        return n.length() >= 6 && n.chars().allMatch(c -> Character.isDigit(c) || c == 'X' || c == 'x');
    }

    /** For logs: keeps the first 3 and last 2 characters, e.g. "197*******56". Never logs a full number. */
    public static String mask(String raw) {
        if (raw == null) {
            return "-";
        }
        String n = normalize(raw);
        if (n.length() <= 5) {
            return "*".repeat(n.length());
        }
        return n.substring(0, 3) + "*".repeat(n.length() - 5) + n.substring(n.length() - 2);
    }
}
