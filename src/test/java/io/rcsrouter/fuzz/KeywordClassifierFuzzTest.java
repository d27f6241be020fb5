package io.rcsrouter.fuzz;

import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rcsrouter.classify.Intent;
import io.rcsrouter.classify.KeywordClassifier;
import io.rcsrouter.classify.TextNormalizer;

import static io.rcsrouter.fuzz.FuzzChecks.check;

/**
 * The text normaliser and the keyword classifier (the shipped config/keywords.yaml) on any text a subscriber can
 * type or a brand can put in a suggestion: no exception, and always one of the three intents with its source.
 * "Bounded time" is libFuzzer's per-input timeout (.ci/fuzz.sh sets it): a slow input is a finding too.
 */
class KeywordClassifierFuzzTest {

    private static final Set<String> ACTIONS = Set.of(Intent.OPT_OUT, Intent.OPT_IN, Intent.NONE_ACTION);
    private static final Set<String> SOURCES = Set.of(Intent.KEYWORD, Intent.NATURAL_LANGUAGE);
    private static final KeywordClassifier SHIPPED = KeywordClassifier.fromFile("config/keywords.yaml");

    /** The first byte says what the text is: typed text, or a tap's label and postback data. */
    @FuzzTest(maxDuration = FuzzChecks.MAX_DURATION)
    void classify(FuzzedDataProvider data) {
        boolean tap = data.consumeBoolean();
        Intent intent;
        if (tap) {
            String label = data.consumeBoolean() ? null : data.consumeString(2_000);
            String postback = data.consumeBoolean() ? null : data.consumeRemainingAsString();
            normalizes(label);
            normalizes(postback);
            intent = SHIPPED.classifyTap(label, postback);
        } else {
            String text = data.consumeRemainingAsString();
            normalizes(text);
            intent = SHIPPED.classifyText(text);
        }
        check(intent != null && ACTIONS.contains(intent.action()), "not an intent: " + intent);
        if (intent.isNone()) {
            check(intent.equals(Intent.NONE), "NONE with a source or match: " + intent);
        } else {
            check(SOURCES.contains(intent.source()) && intent.matched() != null, "a match without its source: "
                    + intent);
        }
    }

    private static void normalizes(String text) {
        check(TextNormalizer.normalize(text) != null, "normalize gave null");
        String comparable = TextNormalizer.comparable(text);
        check(comparable != null && comparable.equals(comparable.strip()), "comparable form not trimmed: ["
                + comparable + "]");
        check(TextNormalizer.comparableSentences(text) != null, "comparableSentences gave null");
    }
}
