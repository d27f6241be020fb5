package io.rcsrouter.classify;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads {@code config/keywords.yaml} into a {@link KeywordTable} and {@link PhrasePatterns}.
 *
 * <p>A mistake in this file would silently stop opt-outs from being honoured, so it is read strictly: an unknown
 * key, a value of the wrong shape, a pattern that does not compile or matches an empty message, an undefined
 * {@code {{fragment}}} or a file without opt-out keywords stops start-up with a message naming the place.
 */
final class RulesYaml {

    record Rules(KeywordTable keywords, PhrasePatterns phrases) {
    }

    private static final Set<String> ROOT_KEYS = Set.of("keywords", "naturalLanguage");
    private static final Set<String> KEYWORD_KEYS = Set.of("optOut", "optIn");
    private static final Set<String> PHRASE_KEYS =
            Set.of("fragments", "optOut", "optIn", "optOutExceptions", "optInExceptions");
    private static final Pattern FRAGMENT_REFERENCE = Pattern.compile("\\{\\{(\\w+)}}");
    private static final int FRAGMENT_DEPTH = 8;
    /** Case-insensitive, Unicode word characters, and ^ $ at every line: each line is one sentence. */
    private static final int FLAGS =
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS | Pattern.MULTILINE;

    private RulesYaml() {
    }

    static Rules read(InputStream in) {
        Object doc = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        Map<String, Object> root = map(doc, "the keyword file", ROOT_KEYS);
        KeywordTable keywords = readKeywords(map(root.get("keywords"), "keywords", KEYWORD_KEYS));
        PhrasePatterns phrases = readPhrases(map(root.get("naturalLanguage"), "naturalLanguage", PHRASE_KEYS));
        return new Rules(keywords, phrases);
    }

    private static KeywordTable readKeywords(Map<String, Object> section) {
        KeywordTable table = new KeywordTable();
        byLanguage(section, "optOut", "keywords").forEach((language, words) ->
                words.forEach(w -> table.add(Intent.OPT_OUT, w, language)));
        byLanguage(section, "optIn", "keywords").forEach((language, words) ->
                words.forEach(w -> table.add(Intent.OPT_IN, w, language)));
        if (!table.hasOptOut()) {
            throw new IllegalArgumentException("keywords.optOut lists no keyword: refusing to run without opt-outs");
        }
        return table;
    }

    private static PhrasePatterns readPhrases(Map<String, Object> section) {
        Map<String, String> fragments = new LinkedHashMap<>();
        map(section.get("fragments"), "naturalLanguage.fragments", null)
                .forEach((name, value) -> fragments.put(name, text(value, "naturalLanguage.fragments." + name)));
        PhrasePatterns phrases = new PhrasePatterns();
        for (String action : List.of(Intent.OPT_OUT, Intent.OPT_IN)) {
            String key = action.equals(Intent.OPT_OUT) ? "optOut" : "optIn";
            compileAll(section, key, action, fragments).forEach(phrases::addRule);
            compileAll(section, key + "Exceptions", action, fragments).forEach(phrases::addException);
        }
        return phrases;
    }

    private static List<PhrasePatterns.Rule> compileAll(Map<String, Object> section, String key, String action,
            Map<String, String> fragments) {
        List<PhrasePatterns.Rule> out = new ArrayList<>();
        byLanguage(section, key, "naturalLanguage").forEach((language, sources) -> {
            for (int i = 0; i < sources.size(); i++) {
                String where = "naturalLanguage." + key + "." + language + "[" + i + "]";
                out.add(new PhrasePatterns.Rule(action, sources.get(i), compile(sources.get(i), fragments, where),
                        language));
            }
        });
        return out;
    }

    /**
     * Expands {@code {{name}}} fragments, removes accents (the text is compared without them, so a pattern may be
     * written "envíes" or "envies"), and compiles case-insensitively with Unicode word characters, {@code ^} and
     * {@code $} matching at the start and end of each sentence.
     */
    static Pattern compile(String source, Map<String, String> fragments, String where) {
        String expanded = TextNormalizer.foldDiacritics(expand(source, fragments, where, 0));
        Pattern pattern;
        try {
            pattern = Pattern.compile(expanded, FLAGS);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + " is not a valid regular expression: " + e.getMessage(), e);
        }
        if (pattern.matcher("").find()) {
            throw new IllegalArgumentException(where + " matches an empty message: \"" + source + "\"");
        }
        return pattern;
    }

    private static String expand(String source, Map<String, String> fragments, String where, int depth) {
        if (depth > FRAGMENT_DEPTH) {
            throw new IllegalArgumentException(where + ": fragments nest too deep (a fragment that uses itself?)");
        }
        Matcher m = FRAGMENT_REFERENCE.matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = fragments.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(where + " uses {{" + m.group(1) + "}}, which naturalLanguage"
                        + ".fragments does not define");
            }
            String inner = "(?:" + expand(value, fragments, where, depth + 1) + ")";
            m.appendReplacement(out, Matcher.quoteReplacement(inner));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code key: {en: [..], es: [..]}} as language → list; a plain list counts as language "any". */
    private static Map<String, List<String>> byLanguage(Map<String, Object> section, String key, String parent) {
        Object v = section.get(key);
        String where = parent + "." + key;
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (v instanceof List<?> list) {
            out.put("any", texts(list, where));
            return out;
        }
        map(v, where, null).forEach((language, words) -> {
            if (!(words instanceof List<?> list)) {
                throw new IllegalArgumentException(where + "." + language + " must be a list");
            }
            out.put(language, texts(list, where + "." + language));
        });
        return out;
    }

    /** A mapping (an absent section is an empty one), checked against the keys it may hold when given. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where, Set<String> allowedKeys) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + " must be a mapping");
        }
        Map<String, Object> m = (Map<String, Object>) value;
        if (allowedKeys != null) {
            for (Object key : m.keySet()) {
                if (!allowedKeys.contains(String.valueOf(key))) {
                    throw new IllegalArgumentException(where + " has an unknown key \"" + key + "\"; expected one of "
                            + allowedKeys);
                }
            }
        }
        return m;
    }

    private static List<String> texts(List<?> list, String where) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(text(list.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private static String text(Object value, String where) {
        if (value == null || value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException(where + " must be a text");
        }
        return value.toString();
    }
}
