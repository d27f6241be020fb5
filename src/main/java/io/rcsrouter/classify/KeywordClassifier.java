package io.rcsrouter.classify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.rcsrouter.event.EventHeaders;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.event.UserMessage;
import org.apache.camel.Exchange;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Decides whether a user message is an opt-out, an opt-in, or neither; declared as {@code keywordClassifier}.
 *
 * <p>Two kinds of rule, both read from a YAML file ({@code config/keywords.yaml}), never from code:
 * <ul>
 *   <li>keywords: the whole message, once normalised by {@link TextNormalizer}, equals a listed keyword
 *       ("STOP", " stop!! ", "ＳＴＯＰ 🛑" all match STOP; "Where is the bus stop?" does not);</li>
 *   <li>natural-language patterns: regular expressions searched in the normalised message, for clear revocations
 *       such as "please stop texting me" (FCC 2024: consent may be revoked by any reasonable means).</li>
 * </ul>
 * Opt-out wins over opt-in when both match, because honouring a revocation is the legally safe side.
 */
public class KeywordClassifier {

    private final Map<String, KeywordEntry> keywords; // normalised keyword -> meaning
    private final List<PatternEntry> patterns;

    private record KeywordEntry(String action, String keyword, String language) {
    }

    private record PatternEntry(String action, Pattern pattern, String language) {
    }

    KeywordClassifier(Map<String, KeywordEntry> keywords, List<PatternEntry> patterns) {
        this.keywords = keywords;
        this.patterns = patterns;
    }

    /** Loads the rules from a YAML file on disk. */
    public static KeywordClassifier fromFile(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return fromYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keyword file " + path, e);
        }
    }

    /** Loads the rules from YAML with the keys {@code keywords} and {@code naturalLanguage}. */
    @SuppressWarnings("unchecked")
    public static KeywordClassifier fromYaml(InputStream in) {
        Object doc = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        Map<String, Object> root = doc instanceof Map ? (Map<String, Object>) doc : Map.of();
        Map<String, KeywordEntry> keywords = new HashMap<>();
        List<PatternEntry> patterns = new ArrayList<>();
        Map<String, Object> kw = section(root, "keywords");
        Map<String, Object> nl = section(root, "naturalLanguage");
        // opt-in first, so that an opt-out listing the same word overwrites it: the safe side wins
        for (String action : List.of(Intent.OPT_IN, Intent.OPT_OUT)) {
            String key = action.equals(Intent.OPT_OUT) ? "optOut" : "optIn";
            byLanguage(kw, key).forEach((language, words) -> {
                for (String word : words) {
                    String normal = TextNormalizer.normalize(word);
                    if (!normal.isEmpty()) {
                        keywords.put(normal, new KeywordEntry(action, word, language));
                    }
                }
            });
        }
        for (String action : List.of(Intent.OPT_OUT, Intent.OPT_IN)) {
            String key = action.equals(Intent.OPT_OUT) ? "optOut" : "optIn";
            byLanguage(nl, key).forEach((language, regexes) -> {
                for (String regex : regexes) {
                    patterns.add(new PatternEntry(action, Pattern.compile(regex, Pattern.UNICODE_CASE
                            | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS), language));
                }
            });
        }
        return new KeywordClassifier(keywords, patterns);
    }

    /** Classifies one typed message. */
    public Intent classifyText(String text) {
        String normal = TextNormalizer.normalize(text);
        if (normal.isEmpty()) {
            return Intent.NONE;
        }
        KeywordEntry entry = keywords.get(normal);
        if (entry != null) {
            return new Intent(entry.action(), Intent.KEYWORD, entry.keyword(), entry.language());
        }
        // natural language: opt-out patterns are listed first, so they win
        for (PatternEntry p : patterns) {
            if (p.pattern().matcher(normal).find()) {
                return new Intent(p.action(), Intent.NATURAL_LANGUAGE, p.pattern().pattern(), p.language());
            }
        }
        return Intent.NONE;
    }

    /**
     * Classifies a suggestion tap: its label or its postback data being a keyword counts; natural language does
     * not apply to a label the brand wrote itself.
     */
    public Intent classifyTap(String label, String postbackData) {
        for (String candidate : new String[] {label, postbackData}) {
            KeywordEntry entry = keywords.get(TextNormalizer.normalize(candidate));
            if (entry != null) {
                return new Intent(entry.action(), Intent.KEYWORD, entry.keyword(), entry.language());
            }
        }
        return Intent.NONE;
    }

    /** Classifies any event: only USER_MESSAGE text and taps can carry consent. */
    public Intent classify(RcsEvent event) {
        UserMessage um = event == null ? null : event.userMessage();
        if (um == null || !"USER_MESSAGE".equals(event.type())) {
            return Intent.NONE;
        }
        if ("RESPONSE".equalsIgnoreCase(um.kind())) {
            return classifyTap(um.text(), um.postbackData());
        }
        if (um.text() != null) {
            return classifyText(um.text());
        }
        return Intent.NONE;
    }

    /**
     * The route step: sets {@code rcsIntent} (OPT_OUT, OPT_IN, NONE), and for a match {@code rcsIntentSource}
     * (KEYWORD, NATURAL_LANGUAGE) and {@code rcsIntentMatch}.
     */
    public void apply(Exchange exchange) {
        Intent intent = classify(exchange.getProperty(EventHeaders.EVENT_PROPERTY, RcsEvent.class));
        exchange.getMessage().setHeader("rcsIntent", intent.action());
        if (intent.isNone()) {
            exchange.getMessage().removeHeader("rcsIntentSource");
            exchange.getMessage().removeHeader("rcsIntentMatch");
        } else {
            exchange.getMessage().setHeader("rcsIntentSource", intent.source());
            exchange.getMessage().setHeader("rcsIntentMatch", intent.matched());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> root, String key) {
        Object v = root.get(key);
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    /** {@code optOut: {en: [..], es: [..]}} as language -> list; a plain list counts as language "any". */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> byLanguage(Map<String, Object> section, String key) {
        Object v = section.get(key);
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (v instanceof List<?> list) {
            out.put("any", strings(list));
        } else if (v instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((lang, words) -> {
                if (words instanceof List<?> l) {
                    out.put(lang, strings(l));
                }
            });
        }
        return out;
    }

    private static List<String> strings(List<?> list) {
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (o != null) {
                out.add(o.toString());
            }
        }
        return out;
    }
}
