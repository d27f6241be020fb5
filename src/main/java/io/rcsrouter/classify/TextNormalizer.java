package io.rcsrouter.classify;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The normal forms in which messages, keywords and phrase patterns are compared.
 *
 * <p>{@link #normalize(String)} keeps the message readable (accents stay, inner punctuation stays):
 * <ol>
 *   <li>typographic apostrophes ({@code ’ ʼ ´ `}) are read as {@code '} (before NFKC, which would turn an acute
 *       accent into a space and a combining mark);</li>
 *   <li>Unicode NFKC: full-width "ＳＴＯＰ", mathematical "𝐒𝐓𝐎𝐏", circled "ⓈⓉⓄⓅ" and ligatures become plain
 *       letters;</li>
 *   <li>invisible characters are dropped: format characters (zero-width space, BOM, soft hyphen, joiners),
 *       variation selectors, the combining grapheme joiner and the Hangul fillers that render as nothing;</li>
 *   <li>Latin letter variants that NFKC leaves alone are read as plain letters: small capitals "ꜱᴛᴏᴘ", dotless
 *       ı, and the emoji-like negative squared / circled letters "🆂🆃🅾🅿";</li>
 *   <li>Cyrillic, Greek and Armenian letters that look like Latin ones are read as Latin when the word also holds
 *       Latin letters or consists only of look-alikes ("ЅТОР" typed in Cyrillic); a real Cyrillic word such as
 *       "стоп" is left alone;</li>
 *   <li>case folding;</li>
 *   <li>hyphens and dashes, underscores, the blank Braille pattern and runs of white space become one space;</li>
 *   <li>everything that is not a letter or a digit is stripped from both ends (punctuation, emoji, quotes).</li>
 * </ol>
 *
 * <p>{@link #comparable(String)} is what rules are matched against: the normal form without accents and without
 * apostrophes ("don't" reads "dont", as many people type it anyway), with every other run of punctuation or symbols
 * turned into one space, so that rules need only think about lower-case words separated by single spaces.
 * {@link #comparableSentences(String)} is the same, with one sentence (or clause) per line: phrase patterns use it,
 * so that they do not match across a sentence break and {@code ^...$} can mean "a whole sentence".
 */
public final class TextNormalizer {

    /** Cyrillic, Greek and Armenian letters that render like a Latin letter (a common spam-filter dodge). */
    private static final Map<Character, Character> LOOK_ALIKES = Map.ofEntries(
            // Cyrillic capitals
            Map.entry('А', 'A'), Map.entry('В', 'B'), Map.entry('Е', 'E'), Map.entry('К', 'K'), Map.entry('М', 'M'),
            Map.entry('Н', 'H'), Map.entry('О', 'O'), Map.entry('Р', 'P'), Map.entry('С', 'C'), Map.entry('Т', 'T'),
            Map.entry('Х', 'X'), Map.entry('Ѕ', 'S'), Map.entry('І', 'I'), Map.entry('Ј', 'J'), Map.entry('Ԛ', 'Q'),
            Map.entry('Ԝ', 'W'), Map.entry('Ү', 'Y'), Map.entry('Ӏ', 'I'),
            // Cyrillic smalls (т, к, м look like small capitals in most fonts)
            Map.entry('а', 'a'), Map.entry('е', 'e'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'),
            Map.entry('х', 'x'), Map.entry('у', 'y'), Map.entry('ѕ', 's'), Map.entry('і', 'i'), Map.entry('ј', 'j'),
            Map.entry('һ', 'h'), Map.entry('ԁ', 'd'), Map.entry('ԛ', 'q'), Map.entry('ԝ', 'w'), Map.entry('ӏ', 'l'),
            Map.entry('т', 't'), Map.entry('к', 'k'), Map.entry('м', 'm'),
            // Greek
            Map.entry('Α', 'A'), Map.entry('Β', 'B'), Map.entry('Ε', 'E'), Map.entry('Ζ', 'Z'), Map.entry('Η', 'H'),
            Map.entry('Ι', 'I'), Map.entry('Κ', 'K'), Map.entry('Μ', 'M'), Map.entry('Ν', 'N'), Map.entry('Ο', 'O'),
            Map.entry('Ρ', 'P'), Map.entry('Τ', 'T'), Map.entry('Υ', 'Y'), Map.entry('Χ', 'X'), Map.entry('Ϲ', 'C'),
            Map.entry('ο', 'o'), Map.entry('α', 'a'), Map.entry('ι', 'i'), Map.entry('κ', 'k'), Map.entry('ν', 'v'),
            Map.entry('ρ', 'p'), Map.entry('τ', 't'), Map.entry('υ', 'u'), Map.entry('ϲ', 'c'), Map.entry('ϳ', 'j'),
            // Armenian
            Map.entry('Օ', 'O'), Map.entry('Տ', 'S'), Map.entry('օ', 'o'), Map.entry('ս', 'u'), Map.entry('ո', 'n'),
            Map.entry('հ', 'h'));

    /**
     * Latin small capitals and letter variants without an NFKC mapping. They are Latin already, so they are read
     * as plain letters wherever they occur (nobody writes ordinary text in IPA).
     */
    private static final Map<Character, Character> LATIN_VARIANTS = Map.ofEntries(
            Map.entry('ᴀ', 'a'), Map.entry('ʙ', 'b'), Map.entry('ᴄ', 'c'), Map.entry('ᴅ', 'd'), Map.entry('ᴇ', 'e'),
            Map.entry('ꜰ', 'f'), Map.entry('ɢ', 'g'), Map.entry('ʜ', 'h'), Map.entry('ɪ', 'i'), Map.entry('ᴊ', 'j'),
            Map.entry('ᴋ', 'k'), Map.entry('ʟ', 'l'), Map.entry('ᴍ', 'm'), Map.entry('ɴ', 'n'), Map.entry('ᴏ', 'o'),
            Map.entry('ᴘ', 'p'), Map.entry('ʀ', 'r'), Map.entry('ꜱ', 's'), Map.entry('ᴛ', 't'), Map.entry('ᴜ', 'u'),
            Map.entry('ᴠ', 'v'), Map.entry('ᴡ', 'w'), Map.entry('ʏ', 'y'), Map.entry('ᴢ', 'z'), Map.entry('ı', 'i'),
            Map.entry('ȷ', 'j'), Map.entry('ɑ', 'a'), Map.entry('ɡ', 'g'));

    /** NEGATIVE SQUARED LATIN CAPITAL LETTER A..Z ("🅰"), which NFKC leaves alone. */
    private static final int NEGATIVE_SQUARED_A = 0x1F170;
    /** NEGATIVE CIRCLED LATIN CAPITAL LETTER A..Z ("🅐"), which NFKC leaves alone. */
    private static final int NEGATIVE_CIRCLED_A = 0x1F150;

    private static final Pattern APOSTROPHES =
            Pattern.compile("[\\u2018\\u2019\\u201B\\u02BC\\u02B9\\u02BB\\u2032\\u0060\\u00B4]");
    private static final Pattern SEPARATORS = Pattern.compile("[\\p{Z}\\s\\u0085_\\p{Pd}\\u2800]+");
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{Mn}+");
    /** Where a sentence or clause ends: . ! ? ; : , ellipsis, ideographic full stop, Spanish ¡ ¿, line breaks. */
    private static final Pattern SENTENCE_BREAK =
            Pattern.compile("[.!?;:,\\u2026\\u3002\\u00A1\\u00BF\\n\\r\\u0085\\u2028\\u2029]+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}\\p{M}]+");

    private TextNormalizer() {
    }

    /** The readable normal form (see the class comment); never null, "" for null. */
    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String s = APOSTROPHES.matcher(text).replaceAll("'");
        s = Normalizer.normalize(s, Normalizer.Form.NFKC);
        s = dropInvisible(s);
        s = readLatinVariants(s);
        s = foldLookAlikes(s);
        s = s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        s = SEPARATORS.matcher(s).replaceAll(" ");
        return stripEnds(s);
    }

    /**
     * Removes accents and other combining marks ("arrêt" → "arret", "envíes" → "envies", "S̶T̶O̶P̶" → "STOP"). Only for
     * comparison: in Spanish or Portuguese an accent can change the word, but nobody types a consent keyword
     * reliably with or without them, and no keyword or pattern depends on the difference.
     */
    public static String foldDiacritics(String text) {
        if (text == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        return Normalizer.normalize(COMBINING_MARKS.matcher(decomposed).replaceAll(""), Normalizer.Form.NFC);
    }

    /**
     * The form keywords and phrase patterns are matched against: {@link #normalize(String) normalised}, accents
     * and apostrophes removed, and every run of characters that is not a letter or a digit replaced by one space.
     * "Please, DON'T text me!!! 🛑" becomes "please dont text me"; "m'envoyer" becomes "menvoyer".
     */
    public static String comparable(String text) {
        String s = foldDiacritics(normalize(text)).replace("'", "");
        return NOT_WORD.matcher(s).replaceAll(" ").trim();
    }

    /**
     * The {@link #comparable(String) comparable} form of each sentence or clause of the text, one per line, empty
     * ones left out: "No thanks. STOP!" becomes "no thanks\nstop".
     */
    public static String comparableSentences(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String sentence : SENTENCE_BREAK.split(Normalizer.normalize(text, Normalizer.Form.NFKC))) {
            String c = comparable(sentence);
            if (!c.isEmpty()) {
                out.append(out.length() == 0 ? "" : "\n").append(c);
            }
        }
        return out.toString();
    }

    private static String dropInvisible(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !isInvisible(cp)).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Characters that render as nothing, so a message can hide them between the letters of a keyword. */
    static boolean isInvisible(int cp) {
        return Character.getType(cp) == Character.FORMAT
                || cp == 0x034F // combining grapheme joiner
                || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 // Hangul fillers
                || cp == 0x17B4 || cp == 0x17B5 // Khmer inherent vowels
                || (cp >= 0x180B && cp <= 0x180F) // Mongolian variation selectors
                || (cp >= 0xFE00 && cp <= 0xFE0F) // variation selectors (emoji presentation)
                || (cp >= 0xE0100 && cp <= 0xE01EF); // variation selectors supplement
    }

    private static String readLatinVariants(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp >= NEGATIVE_SQUARED_A && cp < NEGATIVE_SQUARED_A + 26) {
                out.append((char) ('A' + cp - NEGATIVE_SQUARED_A));
            } else if (cp >= NEGATIVE_CIRCLED_A && cp < NEGATIVE_CIRCLED_A + 26) {
                out.append((char) ('A' + cp - NEGATIVE_CIRCLED_A));
            } else if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT && LATIN_VARIANTS.containsKey((char) cp)) {
                out.append(LATIN_VARIANTS.get((char) cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Maps look-alikes word by word, only in words that are Latin apart from them. */
    private static String foldLookAlikes(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int end = i;
            while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
                end++;
            }
            out.append(foldWord(s.substring(i, end)));
            while (end < s.length() && Character.isWhitespace(s.charAt(end))) {
                out.append(s.charAt(end));
                end++;
            }
            i = end;
        }
        return out.toString();
    }

    private static String foldWord(String word) {
        boolean hasLookAlike = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (LOOK_ALIKES.containsKey(c)) {
                hasLookAlike = true;
            } else if (Character.isLetter(c) && !isLatin(c)) {
                return word; // a real Cyrillic, Greek or Armenian word: leave it alone
            }
        }
        if (!hasLookAlike) {
            return word;
        }
        StringBuilder out = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            out.append(LOOK_ALIKES.getOrDefault(c, c));
        }
        return out.toString();
    }

    /** Basic Latin, Latin-1 and the Latin Extended blocks A and B: letters with or without accents. */
    private static boolean isLatin(char c) {
        return c < 0x250;
    }

    private static String stripEnds(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && !Character.isLetterOrDigit(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && !Character.isLetterOrDigit(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }
}
