package io.rcsrouter.classify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the phrase corpus ({@code classify/phrases.csv}): RFC 4180 CSV with the columns
 * {@code expected,source,lang,phrase}, {@code #} comment lines, and <code>&#92;u{HEX}</code> escapes for
 * characters that cannot be seen (a zero-width space, a line feed). A quoted field may not span lines: line feeds
 * are escaped.
 */
final class PhraseCorpus {

    static final String HEADER = "expected,source,lang,phrase";
    private static final Pattern ESCAPE = Pattern.compile("\\\\u\\{([0-9A-Fa-f]{1,6})}");

    /**
     * One row. {@code source} is null for "-" (NONE has no source); {@code written} is the phrase as the file
     * writes it, escapes and all, so that test names stay readable.
     */
    record Row(int line, String expected, String source, String lang, String phrase, String written) {
        @Override
        public String toString() {
            return "line " + line + " [" + lang + "] " + expected + (source == null ? "" : "/" + source) + " <- \""
                    + written + "\"";
        }
    }

    private PhraseCorpus() {
    }

    static List<Row> load(String resource) {
        try (InputStream in = PhraseCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        boolean headerSeen = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int number = i + 1;
            if (!headerSeen) {
                if (!line.equals(HEADER)) {
                    throw new IllegalArgumentException("line " + number + ": expected the header " + HEADER);
                }
                headerSeen = true;
                continue;
            }
            List<String> fields = fields(line, number);
            if (fields.size() != 4) {
                throw new IllegalArgumentException("line " + number + ": 4 fields expected, found " + fields.size());
            }
            String source = fields.get(1).equals("-") ? null : fields.get(1);
            rows.add(new Row(number, fields.get(0), source, fields.get(2), unescape(fields.get(3)), fields.get(3)));
        }
        return rows;
    }

    /** Splits one CSV line: commas separate, a field in double quotes may hold commas and doubled quotes. */
    private static List<String> fields(String line, int number) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("line " + number + ": unclosed quote");
                    }
                    char c = line.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < line.length() && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("line " + number + ": text after a closing quote");
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    field.append(line.charAt(i++));
                }
            }
            out.add(field.toString());
            field.setLength(0);
            if (i >= line.length()) {
                return out;
            }
            i++; // the comma
        }
    }

    static String unescape(String written) {
        Matcher m = ESCAPE.matcher(written);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String character = new String(Character.toChars(Integer.parseInt(m.group(1), 16)));
            m.appendReplacement(out, Matcher.quoteReplacement(character));
        }
        m.appendTail(out);
        return out.toString();
    }
}
