package io.rcsrouter.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder of YAML routes under test: {@code routes/} of this project, or the folder named by the system property
 * {@code rcs.routes.dir} (else the environment variable {@code RCS_ROUTES_DIR}, the one the router itself reads), so
 * that an edited copy can be checked before it is deployed.
 */
final class RouteFolder {

    static final String PROPERTY = "rcs.routes.dir";

    private RouteFolder() {
    }

    static Path location() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("RCS_ROUTES_DIR");
        }
        return Path.of(configured == null || configured.isBlank() ? "routes" : configured);
    }

    /** Every {@code *.camel.yaml} in the folder (the pattern the router loads), sorted by name. */
    static List<Path> routeFiles() {
        return routeFiles(location());
    }

    /** The example routes README shows (examples/routes), which a team copies into its routes folder. */
    static List<Path> exampleRouteFiles() {
        return routeFiles(Path.of("examples/routes"));
    }

    private static List<Path> routeFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list the routes folder " + folder.toAbsolutePath(), e);
        }
    }
}
