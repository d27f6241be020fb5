package io.rcsrouter.classify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rcsrouter.event.EventHeaders;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.event.UserMessage;
import org.apache.camel.Exchange;

/**
 * Decides whether a user message is an opt-out, an opt-in, or neither; declared as {@code keywordClassifier}.
 *
 * <p>Two kinds of rule, both read from a YAML file ({@code config/keywords.yaml}), never from code:
 * <ul>
 *   <li>keywords ({@link KeywordTable}): the whole message, once normalised by {@link TextNormalizer}, is a listed
 *       keyword ("STOP", " stop!! ", "ＳＴＯＰ 🛑", "ARRÊT" all match; "Where is the bus stop?" does not);</li>
 *   <li>natural-language patterns ({@link PhrasePatterns}): regular expressions searched in the normalised
 *       sentences of the message, for clear revocations such as "please stop texting me" (FCC 2024: consent may
 *       be revoked by any reasonable means), with exceptions for look-alikes such as "why did you stop texting
 *       me?".</li>
 * </ul>
 * Opt-out wins over opt-in when both match, because honouring a revocation is the legally safe side.
 */
public class KeywordClassifier {

    private final KeywordTable keywords;
    private final PhrasePatterns phrases;

    KeywordClassifier(KeywordTable keywords, PhrasePatterns phrases) {
        this.keywords = keywords;
        this.phrases = phrases;
    }

    /** Loads the rules from a YAML file on disk. */
    public static KeywordClassifier fromFile(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return fromYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keyword file " + path, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads the rules from YAML with the keys {@code keywords} and {@code naturalLanguage} (see
     * {@code config/keywords.yaml} for the format); a malformed file is an {@link IllegalArgumentException}.
     */
    public static KeywordClassifier fromYaml(InputStream in) {
        RulesYaml.Rules rules = RulesYaml.read(in);
        return new KeywordClassifier(rules.keywords(), rules.phrases());
    }

    /** Classifies one typed message: a keyword message first, then the natural-language patterns. */
    public Intent classifyText(String text) {
        String comparable = TextNormalizer.comparable(text);
        Intent keyword = keywordIntent(comparable);
        if (!keyword.isNone()) {
            return keyword;
        }
        return phrases.find(TextNormalizer.comparableSentences(text))
                .map(r -> new Intent(r.action(), Intent.NATURAL_LANGUAGE, r.source(), r.language()))
                .orElse(Intent.NONE);
    }

    /**
     * Classifies a suggestion tap: its label or its postback data being a keyword counts (an opt-out in either
     * wins); natural language does not apply to a label the brand wrote itself.
     */
    public Intent classifyTap(String label, String postbackData) {
        Intent fromLabel = keywordIntent(TextNormalizer.comparable(label));
        Intent fromPostback = keywordIntent(TextNormalizer.comparable(postbackData));
        if (Intent.OPT_OUT.equals(fromPostback.action()) && !Intent.OPT_OUT.equals(fromLabel.action())) {
            return fromPostback;
        }
        return fromLabel.isNone() ? fromPostback : fromLabel;
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

    private Intent keywordIntent(String comparable) {
        return keywords.match(comparable)
                .map(e -> new Intent(e.action(), Intent.KEYWORD, e.keyword(), e.language()))
                .orElse(Intent.NONE);
    }
}
