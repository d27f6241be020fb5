package io.rcsrouter.classify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The normalisation steps, in the order {@link TextNormalizer} applies them. Inputs are written with escapes where
 * the eye cannot tell the characters apart.
 */
class TextNormalizerTest {

    @Test
    void nullIsTheEmptyText() {
        assertThat(TextNormalizer.normalize(null)).isEmpty();
        assertThat(TextNormalizer.foldDiacritics(null)).isEmpty();
        assertThat(TextNormalizer.comparable(null)).isEmpty();
        assertThat(TextNormalizer.comparableSentences(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\uFF33\uFF34\uFF2F\uFF30", // full-width ＳＴＯＰ
        "\uD835\uDC12\uD835\uDC13\uD835\uDC0E\uD835\uDC0F", // mathematical bold 𝐒𝐓𝐎𝐏
        "\uD835\uDE82\uD835\uDE83\uD835\uDE7E\uD835\uDE7F", // mathematical monospace 𝚂𝚃𝙾𝙿
        "\u24C8\u24C9\u24C4\u24C5", // circled ⓈⓉⓄⓅ
        "\u02E2\u1D57\u1D52\u1D56" // superscript ˢᵗᵒᵖ
    })
    void compatibilityFormsBecomePlainLetters(String disguised) {
        assertThat(TextNormalizer.normalize(disguised)).isEqualTo("stop");
    }

    @Test
    void ligaturesAreSplit() {
        assertThat(TextNormalizer.normalize("\uFB01nish")).isEqualTo("finish");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "S\u200BTOP", // zero-width space
        "ST\u00ADOP", // soft hyphen
        "\uFEFFSTOP", // byte order mark
        "S\u2060T\u2060O\u2060P", // word joiner
        "S\u200DT\u200COP", // zero-width joiner and non-joiner
        "STOP\uFE0F", // emoji variation selector
        "S\u034FTOP", // combining grapheme joiner
        "\u3164STOP", // Hangul filler
        "S\u180ETOP" // Mongolian vowel separator
    })
    void invisibleCharactersAreDropped(String hidden) {
        assertThat(TextNormalizer.normalize(hidden)).isEqualTo("stop");
    }

    @Test
    void visibleCharactersAreNotInvisible() {
        assertThat(TextNormalizer.isInvisible('S')).isFalse();
        assertThat(TextNormalizer.isInvisible(' ')).isFalse();
        assertThat(TextNormalizer.isInvisible(0x200B)).isTrue();
    }

    @Test
    void smallCapitalsAreReadAsLetters() {
        assertThat(TextNormalizer.normalize("\uA731\u1D1B\u1D0F\u1D18")).isEqualTo("stop"); // ꜱᴛᴏᴘ
        assertThat(TextNormalizer.normalize("\u1D1C\u0274\uA731\u1D1C\u0299")).isEqualTo("unsub"); // ᴜɴꜱᴜʙ
    }

    @Test
    void negativeSquaredAndCircledLettersAreReadAsLetters() {
        // 🆂🆃🅾🅿 and 🅢🅣🅞🅟
        assertThat(TextNormalizer.normalize("\uD83C\uDD82\uD83C\uDD83\uD83C\uDD7E\uD83C\uDD7F")).isEqualTo("stop");
        assertThat(TextNormalizer.normalize("\uD83C\uDD62\uD83C\uDD63\uD83C\uDD5E\uD83C\uDD5F")).isEqualTo("stop");
    }

    @Test
    void dotlessIIsAnI() {
        assertThat(TextNormalizer.normalize("QU\u0131T")).isEqualTo("quit");
    }

    @Test
    void flagsStayEmojiAndAreStrippedAtTheEnds() {
        // regional indicators are not mapped to letters: "🇺🇸" must not become "us"
        assertThat(TextNormalizer.normalize("STOP \uD83C\uDDFA\uD83C\uDDF8")).isEqualTo("stop");
    }

    @Test
    void aWordMadeOfCyrillicLookAlikesIsReadAsLatin() {
        assertThat(TextNormalizer.normalize("\u0405\u0422\u041E\u0420")).isEqualTo("stop"); // ЅТОР
        assertThat(TextNormalizer.normalize("\u0455\u0442\u043E\u0440")).isEqualTo("stop"); // ѕтор
    }

    @Test
    void lookAlikesMixedIntoALatinWordAreReadAsLatin() {
        assertThat(TextNormalizer.normalize("S\u0422\u041EP")).isEqualTo("stop"); // Cyrillic Т, О
        assertThat(TextNormalizer.normalize("S\u03A4\u039FP")).isEqualTo("stop"); // Greek Τ, Ο
        assertThat(TextNormalizer.normalize("\u0555PT OUT")).isEqualTo("opt out"); // Armenian Օ
    }

    @Test
    void aRealCyrillicWordIsLeftAlone() {
        assertThat(TextNormalizer.normalize("\u0441\u0442\u043E\u043F")).isEqualTo("\u0441\u0442\u043E\u043F"); // стоп
        assertThat(TextNormalizer.normalize("\u041F\u0440\u0438\u0432\u0435\u0442"))
                .isEqualTo("\u043F\u0440\u0438\u0432\u0435\u0442"); // Привет, only lower-cased
    }

    @Test
    void eachWordIsJudgedOnItsOwn() {
        // "стоп" stays Cyrillic, the Latin-looking ЅТОР next to it is folded
        assertThat(TextNormalizer.normalize("\u0441\u0442\u043E\u043F \u0405\u0422\u041E\u0420"))
                .isEqualTo("\u0441\u0442\u043E\u043F stop");
    }

    @Test
    void caseIsFolded() {
        assertThat(TextNormalizer.normalize("StOp")).isEqualTo("stop");
        assertThat(TextNormalizer.normalize("Stra\u00DFe")).isEqualTo("strasse");
    }

    @ParameterizedTest
    @ValueSource(strings = {"don\u2019t", "don\u02BCt", "don\u00B4t", "don`t", "don\u2018t", "don't"})
    void typographicApostrophesBecomeOne(String dont) {
        assertThat(TextNormalizer.normalize(dont)).isEqualTo("don't");
    }

    @ParameterizedTest
    @ValueSource(strings = {"opt-out", "opt_out", "opt - out", "opt\u2013out", "opt \u2014 out", "opt\u2011out",
        "opt\u00A0out", "opt \t\n out", "opt__out"})
    void hyphensUnderscoresAndWhiteSpaceBecomeOneSpace(String optOut) {
        assertThat(TextNormalizer.normalize(optOut)).isEqualTo("opt out");
    }

    @Test
    void punctuationQuotesAndEmojiAreStrippedFromBothEnds() {
        assertThat(TextNormalizer.normalize("  STOP!!! ")).isEqualTo("stop");
        assertThat(TextNormalizer.normalize("\"stop\"")).isEqualTo("stop");
        assertThat(TextNormalizer.normalize("\u00AB STOP \u00BB")).isEqualTo("stop");
        assertThat(TextNormalizer.normalize("\uD83D\uDED1 STOP \uD83D\uDED1")).isEqualTo("stop");
        assertThat(TextNormalizer.normalize("\uD83D\uDC4E\uD83C\uDFFD stop")).isEqualTo("stop"); // skin tone
        assertThat(TextNormalizer.normalize("\u00A1\u00A1BAJA!!")).isEqualTo("baja");
    }

    @Test
    void insidePunctuationIsKeptByNormalize() {
        assertThat(TextNormalizer.normalize("Stop, please!")).isEqualTo("stop, please");
    }

    @Test
    void nothingButSymbolsIsEmpty() {
        assertThat(TextNormalizer.normalize("\uD83D\uDED1 !!! \u200B")).isEmpty();
    }

    @Test
    void normalizeKeepsAccents() {
        assertThat(TextNormalizer.normalize("ARR\u00CAT")).isEqualTo("arr\u00EAt");
    }

    @Test
    void foldDiacriticsRemovesAccentsAndOtherMarks() {
        assertThat(TextNormalizer.foldDiacritics("arr\u00EAt")).isEqualTo("arret");
        assertThat(TextNormalizer.foldDiacritics("env\u00EDes m\u00E1s")).isEqualTo("envies mas");
        assertThat(TextNormalizer.foldDiacritics("n\u00E3o")).isEqualTo("nao");
        assertThat(TextNormalizer.foldDiacritics("\u00C4rger")).isEqualTo("Arger");
        assertThat(TextNormalizer.foldDiacritics("arre\u0302t")).isEqualTo("arret"); // decomposed ê
        assertThat(TextNormalizer.foldDiacritics("S\u0336T\u0336O\u0336P\u0336")).isEqualTo("STOP"); // S̶T̶O̶P̶
    }

    @Test
    void comparableIsTheNormalFormWithoutAccentsApostrophesOrPunctuation() {
        assertThat(TextNormalizer.comparable("\uD83D\uDED1 Please, DON\u2019T text me!!!"))
                .isEqualTo("please dont text me");
        assertThat(TextNormalizer.comparable("Arr\u00EAtez de m'envoyer des messages"))
                .isEqualTo("arretez de menvoyer des messages");
        assertThat(TextNormalizer.comparable("s.t.o.p")).isEqualTo("s t o p");
        assertThat(TextNormalizer.comparable("opt\u2212out")).isEqualTo("opt out"); // a minus sign
    }

    @Test
    void comparableSentencesAreOnePerLine() {
        assertThat(TextNormalizer.comparableSentences("No thanks. STOP!")).isEqualTo("no thanks\nstop");
        assertThat(TextNormalizer.comparableSentences("STOP\nSent from my iPhone"))
                .isEqualTo("stop\nsent from my iphone");
        assertThat(TextNormalizer.comparableSentences("\u00BFQu\u00E9? \u00A1Para!")).isEqualTo("que\npara");
        assertThat(TextNormalizer.comparableSentences("Sorry, wrong number")).isEqualTo("sorry\nwrong number");
        assertThat(TextNormalizer.comparableSentences("... !!! \uD83D\uDED1")).isEmpty();
    }
}
