package io.rcsrouter.classify;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * The one normal form in which messages and keywords are compared.
 *
 * <ol>
 *   <li>Unicode NFKC: full-width "ＳＴＯＰ", mathematical "𝐒𝐓𝐎𝐏" and ligatures become plain letters;</li>
 *   <li>invisible format characters (zero-width space, BOM, soft hyphen, joiners) are dropped;</li>
 *   <li>Cyrillic and Greek letters that look like Latin ones are read as Latin when the word also holds Latin
 *       letters or consists only of look-alikes ("SТОР" with a Cyrillic Т, О, Р);</li>
 *   <li>case folding, and typographic apostrophes read as {@code '};</li>
 *   <li>hyphens, underscores and runs of white space become one space, and everything that is not a letter or a
 *       digit is stripped from both ends (punctuation, emoji, quotes).</li>
 * </ol>
 */
public final class TextNormalizer {

    /** Cyrillic and Greek capitals and smalls that render like a Latin letter (a common spam-filter dodge). */
    private static final Map<Character, Character> LOOK_ALIKES = Map.ofEntries(
            Map.entry('А', 'A'), Map.entry('В', 'B'), Map.entry('Е', 'E'), Map.entry('К', 'K'), Map.entry('М', 'M'),
            Map.entry('Н', 'H'), Map.entry('О', 'O'), Map.entry('Р', 'P'), Map.entry('С', 'C'), Map.entry('Т', 'T'),
            Map.entry('Х', 'X'), Map.entry('Ѕ', 'S'), Map.entry('І', 'I'), Map.entry('Ј', 'J'), Map.entry('а', 'a'),
            Map.entry('е', 'e'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'), Map.entry('х', 'x'),
            Map.entry('у', 'y'), Map.entry('ѕ', 's'), Map.entry('і', 'i'), Map.entry('ј', 'j'), Map.entry('Α', 'A'),
            Map.entry('Β', 'B'), Map.entry('Ε', 'E'), Map.entry('Ζ', 'Z'), Map.entry('Η', 'H'), Map.entry('Ι', 'I'),
            Map.entry('Κ', 'K'), Map.entry('Μ', 'M'), Map.entry('Ν', 'N'), Map.entry('Ο', 'O'), Map.entry('Ρ', 'P'),
            Map.entry('Τ', 'T'), Map.entry('Υ', 'Y'), Map.entry('Χ', 'X'), Map.entry('ο', 'o'));

    private TextNormalizer() {
    }

    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = dropFormatCharacters(s);
        s = foldLookAlikes(s);
        s = s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        s = s.replaceAll("[\\u2018\\u2019\\u02bc\\u0060\\u00b4]", "'");
        s = s.replaceAll("[\\p{Z}\\s_\\-\\u2010-\\u2015]+", " ");
        return stripEnds(s);
    }

    private static String dropFormatCharacters(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(cp -> Character.getType(cp) != Character.FORMAT).forEach(out::appendCodePoint);
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
            } else if (Character.isLetter(c) && !isBasicLatin(c)) {
                return word; // a real Cyrillic or Greek word: leave it alone
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

    private static boolean isBasicLatin(char c) {
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
