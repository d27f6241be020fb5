package io.rcsrouter.classify;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every row of {@code classify/phrases.csv} against the SHIPPED rules, {@code config/keywords.yaml} (Maven
 * runs tests from the project root), so that a change to the rules that breaks a known phrase fails the build.
 */
class KeywordCorpusTest {

    static final String SHIPPED_RULES = "config/keywords.yaml";
    private static final String CORPUS = "/classify/phrases.csv";
    /** Languages the rules claim to support: each needs opt-outs of both sources and ordinary messages. */
    private static final List<String> SUPPORTED_LANGUAGES = List.of("en", "es", "fr", "de", "pt");
    /** Languages with opt-in keywords or phrases. */
    private static final List<String> OPT_IN_LANGUAGES = List.of("en", "es");

    private static KeywordClassifier classifier;
    private static List<PhraseCorpus.Row> rows;

    @BeforeAll
    static void load() {
        classifier = KeywordClassifier.fromFile(SHIPPED_RULES);
        rows = PhraseCorpus.load(CORPUS);
    }

    static Stream<Named<PhraseCorpus.Row>> rows() {
        return PhraseCorpus.load(CORPUS).stream().map(row -> Named.of(row.toString(), row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void classifiesThePhraseAsTheCorpusSays(PhraseCorpus.Row row) {
        Intent intent = classifier.classifyText(row.phrase());

        assertThat(intent.action()).as("action of %s (matched %s)", row, intent.matched()).isEqualTo(row.expected());
        assertThat(intent.source()).as("source of %s (matched %s)", row, intent.matched()).isEqualTo(row.source());
        if (!intent.isNone()) {
            assertThat(intent.matched()).as("what matched %s, for the audit trail", row).isNotBlank();
            assertThat(intent.language()).as("language of the rule that matched %s", row).isNotBlank();
        }
    }

    @Test
    void corpusHasAtLeast200Rows() {
        assertThat(rows).hasSizeGreaterThanOrEqualTo(200);
    }

    @Test
    void everyRowIsWellFormed() {
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.expected()).as("%s", row).isIn(Intent.OPT_OUT, Intent.OPT_IN, Intent.NONE_ACTION);
            if (row.expected().equals(Intent.NONE_ACTION)) {
                assertThat(row.source()).as("a NONE row has source -: %s", row).isNull();
            } else {
                assertThat(row.source()).as("%s", row).isIn(Intent.KEYWORD, Intent.NATURAL_LANGUAGE);
            }
            assertThat(row.lang()).as("%s", row).matches("[a-z]{2}");
        });
    }

    @Test
    void noPhraseIsListedTwice() {
        Map<String, Long> counts = rows.stream()
                .collect(Collectors.groupingBy(r -> r.lang() + ":" + r.phrase(), Collectors.counting()));
        assertThat(counts).allSatisfy((phrase, count) -> assertThat(count).as(phrase).isEqualTo(1L));
    }

    @Test
    void everySupportedLanguageHasKeywordAndPhraseOptOutsAndOrdinaryMessages() {
        for (String lang : SUPPORTED_LANGUAGES) {
            Set<String> kinds = rows.stream()
                    .filter(r -> r.lang().equals(lang))
                    .map(r -> r.expected() + "/" + (r.source() == null ? "-" : r.source()))
                    .collect(Collectors.toSet());
            assertThat(kinds).as("kinds of rows for %s", lang).contains(
                    "OPT_OUT/KEYWORD", "OPT_OUT/NATURAL_LANGUAGE", "NONE/-");
        }
        for (String lang : OPT_IN_LANGUAGES) {
            assertThat(rows).as("opt-in rows for %s", lang)
                    .anyMatch(r -> r.lang().equals(lang) && r.expected().equals(Intent.OPT_IN));
        }
    }

    @Test
    void corpusCoversUnicodeDisguises() {
        assertThat(rows).as("rows whose phrase is not plain ASCII")
                .filteredOn(r -> !r.phrase().chars().allMatch(c -> c < 0x80))
                .hasSizeGreaterThanOrEqualTo(40);
        assertThat(rows).as("rows with an escaped invisible character")
                .filteredOn(r -> r.written().contains("\\u{"))
                .hasSizeGreaterThanOrEqualTo(10);
    }
}
