package io.rcsrouter.classify;

/**
 * What a message means for consent.
 *
 * @param action   OPT_OUT, OPT_IN or NONE
 * @param source   KEYWORD (the whole message is a keyword), NATURAL_LANGUAGE (a phrase such as "please stop
 *                 texting me"), or null for NONE
 * @param matched  the keyword or pattern that matched, for the audit trail
 * @param language the language of the list that matched ("en", "es", ...), or null
 */
public record Intent(String action, String source, String matched, String language) {

    public static final String OPT_OUT = "OPT_OUT";
    public static final String OPT_IN = "OPT_IN";
    public static final String NONE_ACTION = "NONE";
    public static final String KEYWORD = "KEYWORD";
    public static final String NATURAL_LANGUAGE = "NATURAL_LANGUAGE";

    public static final Intent NONE = new Intent(NONE_ACTION, null, null, null);

    public boolean isNone() {
        return NONE_ACTION.equals(action);
    }
}
