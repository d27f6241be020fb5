package io.rcsrouter.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit statements that run for every dispatch batch and every ingress group commit (routes/engine.camel.yaml)
 * state how many parameters they have. Without {@code parametersCount} camel-sql asks the JDBC driver on every
 * execution, and PostgreSQL's driver answers that with a round trip to the server (a describe of the statement): one
 * more round trip per statement per batch on the dispatch thread, and one per group commit on ingress's
 * (bench/RESULTS.md, section 0f). A set of keys is one array parameter ({@code = ANY(:#keys)}), so its count does not
 * depend on the batch.
 */
class EngineStatementsTest {

    /** The routes whose statements run per batch or per group of callbacks. */
    private static final List<String> PER_BATCH = List.of("audit-claim", "audit-record", "audit-known",
            "audit-delivered");
    private static final Pattern PARAMETER = Pattern.compile(":#");

    @Test
    void everyPerBatchStatementStatesItsParameterCount() throws Exception {
        List<Statement> statements = statements(Path.of("routes/engine.camel.yaml"));
        assertThat(statements).extracting(Statement::route).containsAll(PER_BATCH);
        for (Statement s : statements) {
            if (!PER_BATCH.contains(s.route())) {
                continue;
            }
            assertThat(s.sql()).as("a list of keys in %s is one array parameter, not an IN list", s.route())
                    .doesNotContain(":#in:");
            assertThat(s.parametersCount()).as("parametersCount of %s: %s", s.route(), s.sql())
                    .isEqualTo(parameters(s.sql()));
        }
    }

    @Test
    void theCountIsTheStatementsOwn() {
        assertThat(parameters("UPDATE t SET a = :#a, b = :#b WHERE k = :#k")).isEqualTo(3);
        assertThat(parameters("SELECT k FROM t WHERE k = ANY(:#keys)")).isEqualTo(1);
    }

    record Statement(String route, String sql, Integer parametersCount) {
    }

    private static int parameters(String sql) {
        int n = 0;
        for (Matcher m = PARAMETER.matcher(sql); m.find();) {
            n++;
        }
        return n;
    }

    /** Every {@code sql:} endpoint of the file with the route it is in. */
    private static List<Statement> statements(Path file) throws Exception {
        List<Statement> out = new ArrayList<>();
        for (JsonNode entry : YamlTree.parse(file)) {
            JsonNode route = entry.get("route");
            if (route != null) {
                collect(route.path("id").asString(""), route, out);
            }
        }
        return out;
    }

    private static void collect(String route, JsonNode node, List<Statement> out) {
        if (node.isObject()) {
            JsonNode to = node.get("to");
            if (to != null && to.isObject() && to.path("uri").asString("").startsWith("sql:")) {
                JsonNode count = to.path("parameters").get("parametersCount");
                out.add(new Statement(route, to.path("uri").asString(),
                        count == null ? null : count.asInt()));
            }
            for (JsonNode child : node) {
                collect(route, child, out);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                collect(route, child, out);
            }
        }
    }
}
