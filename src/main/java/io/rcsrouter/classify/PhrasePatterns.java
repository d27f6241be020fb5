package io.rcsrouter.classify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Natural-language rules: regular expressions searched in the {@link TextNormalizer#comparableSentences
 * comparable sentences} of a message (one per line), each with the exceptions of its action.
 *
 * <p>An exception does not veto a whole message; it only cancels the pattern matches it overlaps. "Why did you
 * stop texting me?" is cancelled by the exception "did you stop", but in "Why did you stop texting me? Remove me
 * from your list." the second sentence still counts.
 *
 * <p>Opt-out rules are tried before opt-in rules, so a message that holds both is an opt-out.
 */
final class PhrasePatterns {

    /** A pattern as written in the YAML ({@code source}, for the audit trail) and compiled. */
    record Rule(String action, String source, Pattern pattern, String language) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<Rule> exceptions = new ArrayList<>();

    void addRule(Rule rule) {
        rules.add(rule);
        rules.sort(Comparator.comparing(r -> Intent.OPT_OUT.equals(r.action()) ? 0 : 1)); // stable: YAML order kept
    }

    void addException(Rule exception) {
        exceptions.add(exception);
    }

    /** The first rule with a match that no exception of the same action overlaps. */
    Optional<Rule> find(String sentences) {
        if (sentences == null || sentences.isEmpty()) {
            return Optional.empty();
        }
        for (Rule rule : rules) {
            Matcher m = rule.pattern().matcher(sentences);
            while (m.find()) {
                if (!excepted(rule.action(), sentences, m.start(), m.end())) {
                    return Optional.of(rule);
                }
            }
        }
        return Optional.empty();
    }

    private boolean excepted(String action, String text, int start, int end) {
        for (Rule exception : exceptions) {
            if (!exception.action().equals(action)) {
                continue;
            }
            Matcher m = exception.pattern().matcher(text);
            while (m.find()) {
                if (m.start() < end && start < m.end()) {
                    return true;
                }
            }
        }
        return false;
    }
}
