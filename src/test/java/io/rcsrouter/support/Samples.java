package io.rcsrouter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The sample callbacks shipped in {@code samples/} and the route each one must take ({@code expected-routes.csv}). */
public final class Samples {

    public static final Path DIR = Path.of("samples");

    /** One row of {@code samples/expected-routes.csv}. */
    public record Expectation(String file, String route, String destination) {
        public String body() {
            return read(file);
        }

        @Override
        public String toString() {
            return file + " -> " + route;
        }
    }

    private Samples() {
    }

    public static List<Expectation> expectations() {
        try (Stream<String> lines = Files.lines(DIR.resolve("expected-routes.csv"))) {
            return lines.map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split(","))
                    .map(f -> new Expectation(f[0].strip(), f[1].strip(), f[2].strip()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(String relative) {
        try {
            return Files.readString(DIR.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
