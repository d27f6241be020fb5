package io.rcsrouter.classify;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whole-message keywords. A message is a keyword message when its words, in {@link TextNormalizer#comparable
 * comparable} form, spell one keyword or a run of keywords and nothing else:
 * <ul>
 *   <li>keywords are compared without spaces, so "OPT OUT", "opt-out", "OPTOUT", "STOP ALL" and a letter-spaced
 *       "S T O P" all find their keyword;</li>
 *   <li>a run such as "STOP STOP STOP" or "stop. unsubscribe." is still nothing but keywords;</li>
 *   <li>"stop by tomorrow" is not: "by" and "tomorrow" are not keywords.</li>
 * </ul>
 * When a run mixes opt-out and opt-in keywords ("START STOP"), the opt-out wins.
 */
final class KeywordTable {

    /** One listed keyword: its action, its spelling in the YAML, and the language list it came from. */
    record Entry(String action, String keyword, String language) {
    }

    private final Map<String, Entry> byKey = new HashMap<>();
    private int longestKey;

    /**
     * Lists a keyword. The first listing of a word keeps its language; a word listed both as opt-out and opt-in is
     * an opt-out, because honouring a revocation is the safe side.
     */
    void add(String action, String keyword, String language) {
        String key = keyOf(keyword);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("keyword \"" + keyword + "\" (" + language + ") has no letter or digit");
        }
        Entry existing = byKey.get(key);
        if (existing == null || isOptOut(action) && !isOptOut(existing.action())) {
            byKey.put(key, new Entry(action, keyword, language));
        }
        longestKey = Math.max(longestKey, key.length());
    }

    boolean hasOptOut() {
        return byKey.values().stream().anyMatch(e -> isOptOut(e.action()));
    }

    /** The keyword the whole message consists of (an opt-out one if the message holds several), if any. */
    Optional<Entry> match(String comparable) {
        if (comparable == null || comparable.isEmpty()) {
            return Optional.empty();
        }
        String[] words = comparable.split(" ");
        // best[i]: the keyword to report for a split of words[0..i) into keywords; null when there is no such split
        Entry[] best = new Entry[words.length + 1];
        boolean[] reachable = new boolean[words.length + 1];
        reachable[0] = true;
        for (int start = 0; start < words.length; start++) {
            if (!reachable[start]) {
                continue;
            }
            StringBuilder joined = new StringBuilder();
            for (int end = start; end < words.length; end++) {
                joined.append(words[end]);
                if (joined.length() > longestKey) {
                    break;
                }
                Entry entry = byKey.get(joined.toString());
                if (entry != null) {
                    reachable[end + 1] = true;
                    best[end + 1] = safer(best[end + 1], safer(best[start], entry));
                }
            }
        }
        return reachable[words.length] ? Optional.of(best[words.length]) : Optional.empty();
    }

    /** The spelling-independent key of a keyword: its comparable form without spaces. */
    static String keyOf(String text) {
        return TextNormalizer.comparable(text).replace(" ", "");
    }

    private static Entry safer(Entry a, Entry b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return isOptOut(b.action()) && !isOptOut(a.action()) ? b : a;
    }

    private static boolean isOptOut(String action) {
        return Intent.OPT_OUT.equals(action);
    }
}
