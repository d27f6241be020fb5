package io.rcsrouter.classify;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the YAML rules are read: keyword lists, fragments, exceptions, and the errors a broken file raises. */
class RulesYamlTest {

    private static KeywordClassifier fromYaml(String yaml) {
        return KeywordClassifier.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    // keywords

    @Test
    void aWordListedAsBothOptOutAndOptInIsAnOptOut() {
        KeywordClassifier classifier = fromYaml("""
                keywords:
                  optIn: {en: [GO]}
                  optOut: {en: [STOP], xx: [GO]}
                """);
        assertThat(classifier.classifyText("go")).isEqualTo(new Intent(Intent.OPT_OUT, Intent.KEYWORD, "GO", "xx"));
    }

    @Test
    void aPlainListCountsAsLanguageAny() {
        KeywordClassifier classifier = fromYaml("keywords: {optOut: [HALT]}");
        assertThat(classifier.classifyText("halt!"))
                .isEqualTo(new Intent(Intent.OPT_OUT, Intent.KEYWORD, "HALT", "any"));
    }

    // natural-language patterns, fragments and exceptions

    private final KeywordClassifier phraseRules = fromYaml("""
            keywords: {optOut: {en: [STOP]}}
            naturalLanguage:
              fragments:
                who: 'me|us'
              optIn:
                en: ['\\bstart texting {{who}}\\b']
              optOut:
                en: ['\\bstop texting {{who}}\\b', '\\bremove me\\b']
                es: ['\\bno me env\u00EDes\\b']
              optOutExceptions:
                en: ['\\bwhy did you stop\\b']
            """);

    @Test
    void fragmentsAreExpanded() {
        Intent intent = phraseRules.classifyText("please stop texting us");
        assertThat(intent).isEqualTo(new Intent(Intent.OPT_OUT, Intent.NATURAL_LANGUAGE,
                "\\bstop texting {{who}}\\b", "en"));
    }

    @Test
    void anOptOutPatternWinsOverAnOptInPatternListedBeforeIt() {
        assertThat(phraseRules.classifyText("start texting me, no wait, stop texting me").action())
                .isEqualTo(Intent.OPT_OUT);
        assertThat(phraseRules.classifyText("start texting me").action()).isEqualTo(Intent.OPT_IN);
    }

    @Test
    void anExceptionCancelsOnlyTheMatchItOverlaps() {
        assertThat(phraseRules.classifyText("Why did you stop texting me?")).isEqualTo(Intent.NONE);
        assertThat(phraseRules.classifyText("Why did you stop texting me? Remove me.").matched())
                .isEqualTo("\\bremove me\\b");
        assertThat(phraseRules.classifyText("Why did you stop? Stop texting me!").action())
                .isEqualTo(Intent.OPT_OUT);
    }

    @Test
    void accentsAreIgnoredOnBothSides() {
        assertThat(phraseRules.classifyText("No me env\u00EDes").action()).isEqualTo(Intent.OPT_OUT);
        assertThat(phraseRules.classifyText("no me envies").action()).isEqualTo(Intent.OPT_OUT);
    }

    @Test
    void aPatternDoesNotMatchAcrossASentenceBreak() {
        assertThat(phraseRules.classifyText("It won't stop. Texting me is fine")).isEqualTo(Intent.NONE);
    }

    // a broken file must stop start-up, not silently drop opt-outs

    @Test
    void anUnknownKeyIsRejected() {
        assertThatThrownBy(() -> fromYaml("keywords: {optOut: [STOP], optout: [QUIT]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optout");
    }

    @Test
    void rulesWithoutAnOptOutKeywordAreRejected() {
        assertThatThrownBy(() -> fromYaml("keywords: {optIn: [START]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keywords.optOut");
        assertThatThrownBy(() -> fromYaml(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keywords.optOut");
    }

    @Test
    void aKeywordWithoutALetterIsRejected() {
        assertThatThrownBy(() -> fromYaml("keywords: {optOut: {en: [STOP, '!!']}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("!!");
    }

    @Test
    void aLanguageThatIsNotAListIsRejected() {
        assertThatThrownBy(() -> fromYaml("keywords: {optOut: {en: STOP}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keywords.optOut.en");
    }

    @Test
    void anInvalidPatternIsRejectedWithItsPlace() {
        assertThatThrownBy(() -> fromYaml("""
                keywords: {optOut: [STOP]}
                naturalLanguage: {optOut: {en: ['ok', '(unclosed']}}
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("naturalLanguage.optOut.en[1]");
    }

    @Test
    void aPatternThatMatchesAnEmptyMessageIsRejected() {
        assertThatThrownBy(() -> fromYaml("""
                keywords: {optOut: [STOP]}
                naturalLanguage: {optOut: {en: ['(?:please )?']}}
                """))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty message");
    }

    @Test
    void anUndefinedFragmentIsRejected() {
        assertThatThrownBy(() -> fromYaml("""
                keywords: {optOut: [STOP]}
                naturalLanguage: {optOut: {en: ['stop {{nope}}']}}
                """))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{nope}}");
    }

    @Test
    void aFragmentThatUsesItselfIsRejected() {
        assertThatThrownBy(() -> fromYaml("""
                keywords: {optOut: [STOP]}
                naturalLanguage:
                  fragments: {loop: 'a{{loop}}'}
                  optOut: {en: ['{{loop}}']}
                """))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nest too deep");
    }

    @Test
    void fromFileNamesTheFileInErrors(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("keywords.yaml");
        Files.writeString(broken, "keywords: {optIn: [START]}");
        assertThatThrownBy(() -> KeywordClassifier.fromFile(broken.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(broken.toString());
        assertThatThrownBy(() -> KeywordClassifier.fromFile(dir.resolve("missing.yaml").toString()))
                .isInstanceOf(UncheckedIOException.class);
    }
}
