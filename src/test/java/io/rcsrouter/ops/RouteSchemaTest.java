package io.rcsrouter.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route file is canonical Camel YAML: it validates against the YAML DSL's JSON schema (the one Kaoto uses),
 * and every route has an id, unique across the folder. Run it on an edited folder before deploying:
 * {@code mvn -q test -Dtest=RouteSchemaTest -Drcs.routes.dir=/path/to/routes}.
 *
 * <p>The negative cases prove the check has teeth: a route the schema accepts is broken in one place at a time, and
 * each break must be reported.
 */
class RouteSchemaTest {

    private static CamelYamlSchema schema;

    @BeforeAll
    static void loadSchema() {
        schema = CamelYamlSchema.load();
    }

    static List<Path> routeFiles() {
        return RouteFolder.routeFiles();
    }

    @Test
    void theRoutesFolderHasRouteFiles() {
        // without this, a wrong -Drcs.routes.dir would make every parameterized check pass on nothing
        assertThat(routeFiles())
                .as("*.camel.yaml files in %s", RouteFolder.location().toAbsolutePath())
                .isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void routeFileMatchesTheYamlDslSchema(Path file) throws Exception {
        assertThat(schema.problems(YamlTree.parse(file))).as("schema problems in %s", file).isEmpty();
    }

    static List<Path> exampleRouteFiles() {
        return RouteFolder.exampleRouteFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleRouteFiles")
    void exampleRouteMatchesTheYamlDslSchema(Path file) throws Exception {
        assertThat(schema.problems(YamlTree.parse(file))).as("schema problems in %s", file).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyRouteHasAnId(Path file) throws Exception {
        List<String> withoutId = new ArrayList<>();
        int position = 0;
        for (JsonNode entry : YamlTree.parse(file)) {
            JsonNode route = entry.get("route");
            if (route != null && route.path("id").asString("").isBlank()) {
                withoutId.add("entry " + position + " (from " + route.path("from").path("uri").asString("?") + ")");
            }
            position++;
        }
        // an id names the route in logs, metrics, Jolokia/Hawtio and on reload; a generated one (route1...) changes
        // whenever a route is added above it
        assertThat(withoutId).as("routes without an id in %s", file).isEmpty();
    }

    @Test
    void routeIdsAreUniqueAcrossTheFolder() throws Exception {
        Map<String, List<String>> filesById = new HashMap<>();
        for (Path file : routeFiles()) {
            for (JsonNode entry : YamlTree.parse(file)) {
                String id = entry.path("route").path("id").asString("");
                if (!id.isBlank()) {
                    filesById.computeIfAbsent(id, k -> new ArrayList<>()).add(file.getFileName().toString());
                }
            }
        }
        filesById.values().removeIf(files -> files.size() == 1);
        assertThat(filesById).as("route ids used more than once").isEmpty();
    }

    // the check itself: a valid route, then the same route broken in one place

    private static final String VALID_ROUTE = """
            - route:
                id: delivery-report
                from:
                  uri: direct:delivery-report
                  steps:
                    - to:
                        uri: "jms:queue:{{rcs.queue.delivery}}"
                        pattern: InOnly
                    - setHeader:
                        name: rcsRoute
                        constant: DELIVERY
                    - to: direct:audit-routed
            """;

    @Test
    void theValidRouteUsedBelowIsAccepted() {
        assertThat(schema.problems(YamlTree.parse(VALID_ROUTE))).isEmpty();
    }

    @Test
    void anUnknownKeyIsReported() {
        String broken = VALID_ROUTE.replace("pattern: InOnly", "pattern: InOnly\n            persist: true");
        assertThat(schema.problems(YamlTree.parse(broken))).anySatisfy(p -> assertThat(p).contains("persist"));
    }

    @Test
    void aMisspelledStepIsReported() {
        String broken = VALID_ROUTE.replace("- setHeader:", "- setHeaders:");
        assertThat(schema.problems(YamlTree.parse(broken))).anySatisfy(p -> assertThat(p).contains("setHeaders"));
    }

    @Test
    void aNumberWhereAnEndpointUriBelongsIsReported() {
        String broken = VALID_ROUTE.replace("- to: direct:audit-routed", "- to: 42");
        assertThat(schema.problems(YamlTree.parse(broken))).isNotEmpty();
    }

    @Test
    void aRouteWithoutFromIsReported() {
        String broken = """
                - route:
                    id: no-input
                    steps:
                      - to: direct:audit-routed
                """;
        assertThat(schema.problems(YamlTree.parse(broken))).anySatisfy(p -> assertThat(p).contains("from"));
    }

    private static final String ERROR_HANDLING = """
            - routeConfiguration:
                id: crm-errors
                onException:
                  - onException:
                      exception:
                        - java.lang.Exception
                      redeliveryPolicy:
                        maximumRedeliveries: MAX
            """;

    @Test
    void aNumberOrAPlaceholderIsAcceptedWhereTheSchemaWantsANumber() {
        assertThat(schema.problems(YamlTree.parse(ERROR_HANDLING.replace("MAX", "4")))).isEmpty();
        assertThat(schema.problems(YamlTree.parse(ERROR_HANDLING.replace("MAX", "\"{{rcs.crm.max-retries}}\""))))
                .isEmpty();
    }

    @Test
    void anyOtherTextWhereTheSchemaWantsANumberIsReported() {
        assertThat(schema.problems(YamlTree.parse(ERROR_HANDLING.replace("MAX", "four"))))
                .anySatisfy(p -> assertThat(p).contains("maximumRedeliveries"));
        assertThat(schema.problems(YamlTree.parse(ERROR_HANDLING.replace("MAX", "\"{{a}} and {{b}}\""))))
                .anySatisfy(p -> assertThat(p).contains("maximumRedeliveries"));
    }

    @Test
    void aRouteFileCopiedFromTheFolderAndBrokenIsReported(@TempDir Path copy) throws Exception {
        // the same check on a real file, broken as an integrator might: a misspelt property
        Path original = routeFiles().get(0);
        String text = Files.readString(original);
        String broken = text.replaceFirst("(?m)^(\\s+)id: ", "$1idd: ");
        assertThat(broken).isNotEqualTo(text);
        Path file = Files.writeString(copy.resolve(original.getFileName()), broken);
        assertThat(schema.problems(YamlTree.parse(file))).anySatisfy(p -> assertThat(p).contains("idd"));
    }
}
