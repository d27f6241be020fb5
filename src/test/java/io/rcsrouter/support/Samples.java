package io.rcsrouter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The sample callbacks shipped in {@code samples/} and what the router must make of each one
 * ({@code samples/expected-routes.csv}, written by hand from the sample files): the expected values a test compares
 * with, never what the router's own parser makes of the same body.
 */
public final class Samples {

    public static final Path DIR = Path.of("samples");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row of {@code samples/expected-routes.csv}; an empty cell is null. */
    public record Expectation(String file, Map<String, String> cells) {

        public String body() {
            return read(file);
        }

        /** The cell of a column, null when empty. */
        public String get(String column) {
            if (!cells.containsKey(column)) {
                throw new IllegalArgumentException("expected-routes.csv has no column " + column);
            }
            return cells.get(column);
        }

        public String route() {
            return get("route");
        }

        public String destination() {
            return get("destination");
        }

        public String dedupKey() {
            return get("dedupKey");
        }

        @Override
        public String toString() {
            return file + " -> " + route();
        }
    }

    private Samples() {
    }

    public static List<Expectation> expectations() {
        try (Stream<String> lines = Files.lines(DIR.resolve("expected-routes.csv"))) {
            List<String> rows = lines.filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            List<String> header = split(rows.get(0));
            List<Expectation> out = new ArrayList<>();
            for (String row : rows.subList(1, rows.size())) {
                List<String> cells = split(row);
                if (cells.size() != header.size()) {
                    throw new IllegalStateException("expected-routes.csv: " + cells.size() + " cells, header has "
                            + header.size() + ": " + row);
                }
                Map<String, String> byColumn = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    byColumn.put(header.get(i), cells.get(i).isEmpty() ? null : cells.get(i));
                }
                out.add(new Expectation(cells.get(0), byColumn));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a row on commas; a cell that starts with a double quote is a JSON string literal (commas allowed). */
    static List<String> split(String row) {
        List<String> cells = new ArrayList<>();
        int i = 0;
        while (i <= row.length()) {
            if (i < row.length() && row.charAt(i) == '"') {
                int end = i + 1;
                while (row.charAt(end) != '"') {
                    end += row.charAt(end) == '\\' ? 2 : 1;
                }
                try {
                    cells.add(JSON.readValue(row.substring(i, end + 1), String.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("expected-routes.csv: bad JSON string in " + row, e);
                }
                i = end + 2; // past the closing quote and the comma
            } else {
                int comma = row.indexOf(',', i);
                int end = comma < 0 ? row.length() : comma;
                cells.add(row.substring(i, end));
                i = end + 1;
            }
        }
        return cells;
    }

    public static String read(String relative) {
        try {
            return Files.readString(DIR.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
