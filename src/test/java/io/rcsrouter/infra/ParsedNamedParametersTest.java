package io.rcsrouter.infra;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parsed-once binding gives every statement the values camel-sql's own strategy gives it (camel-sql hands the
 * strategy its statements with {@code :#} written as {@code :?}), and leaves to camel-sql what it does not parse.
 */
class ParsedNamedParametersTest {

    private static final String INSERT = "INSERT INTO rcs_audit (dedup_key, route, status, detail, payload)"
            + " VALUES (:?dedupKey, :?route, :?status, :?detail, :?payload)";

    private final ParsedNamedParameters parsed = new ParsedNamedParameters();
    private final DefaultSqlPrepareStatementStrategy camels = new DefaultSqlPrepareStatementStrategy();
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void namesArePlainNamesInTheStatementsOrderRepeatsIncluded() {
        assertThat(ParsedNamedParameters.plainNames(INSERT)).contains(
                List.of("dedupKey", "route", "status", "detail", "payload"));
        assertThat(ParsedNamedParameters.plainNames("UPDATE t SET a = :?a, b = :?a_2 WHERE k = :?k OR j = :?k"))
                .contains(List.of("a", "a_2", "k", "k"));
    }

    @Test
    void listsExpressionsAndStatementsWithoutParametersAreNotParsed() {
        assertThat(ParsedNamedParameters.plainNames("SELECT k FROM t WHERE k IN (:?in:keys)")).isEmpty();
        assertThat(ParsedNamedParameters.plainNames("SELECT k FROM t WHERE k = :?k AND j IN (:?in:js)")).isEmpty();
        assertThat(ParsedNamedParameters.plainNames("SELECT k FROM t WHERE k = :?${header.k}")).isEmpty();
        assertThat(ParsedNamedParameters.plainNames("SELECT k FROM t")).isEmpty();
    }

    @Test
    void aMapRowIsBoundAsCamelSqlBindsIt() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        // not in the statement's order, one NULL, one value that is not a string, one key the statement ignores
        row.put("payload", "{\"a\":1}");
        row.put("status", null);
        row.put("dedupKey", "kaleyra:m1:4001");
        row.put("route", 7);
        row.put("detail", "routed");
        row.put("unused", "x");

        List<Object> ours = values(parsed.createPopulateIterator(INSERT, null, 5, exchange, row));
        assertThat(ours).containsExactly("kaleyra:m1:4001", 7, null, "routed", "{\"a\":1}");
        assertThat(ours).isEqualTo(values(camels.createPopulateIterator(INSERT, null, 5, exchange, row)));
    }

    @Test
    void aNameTheRowLacksIsLeftToCamelSqlWhichLooksInTheHeaders() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("dedupKey", "k1", "route", "crm", "detail", "d",
                "payload", "p"));
        exchange.getMessage().setHeader("status", "ROUTED");

        List<Object> ours = values(parsed.createPopulateIterator(INSERT, null, 5, exchange, row));
        assertThat(ours).containsExactly("k1", "crm", "ROUTED", "d", "p");
    }

    @Test
    void anInListIsLeftToCamelSql() throws Exception {
        String query = "SELECT dedup_key FROM rcs_audit WHERE dedup_key IN (:?in:keys)";
        Map<String, Object> body = Map.of("keys", List.of("a", "b", "c"));

        Iterator<?> ours = parsed.createPopulateIterator(query, null, 3, exchange, body);
        // camel-sql's own iterator: one CompositeIterator over the list, expanded into three parameters
        assertThat(ours.next()).isInstanceOf(org.springframework.util.CompositeIterator.class);
    }

    @Test
    void aRowIsWrittenAsCamelSqlWritesIt() throws Exception {
        String insert = "INSERT INTO t (k, n, s, at) VALUES (:?k, :?n, :?s, :?at)";
        String prepared = "INSERT INTO t (k, n, s, at) VALUES (?, ?, ?, ?)";
        java.time.OffsetDateTime at = java.time.OffsetDateTime.parse("2026-12-04T01:02:03.456Z");
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:mem:bind;DATABASE_TO_LOWER=TRUE")) {
            c.createStatement().execute("CREATE TABLE t (k VARCHAR(20), n INTEGER, s VARCHAR(20), at TIMESTAMP WITH TIME ZONE)");
            for (var strategy : List.of(parsed, camels)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("k", strategy == parsed ? "ours" : "camels");
                row.put("n", 7);
                row.put("s", null);
                row.put("at", at);
                try (var ps = c.prepareStatement(prepared)) {
                    Iterator<?> it = strategy.createPopulateIterator(insert, prepared, 4, exchange, row);
                    strategy.populateStatement(ps, it, 4);
                    ps.executeUpdate();
                }
            }
            List<List<Object>> rows = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT k, n, s, at FROM t ORDER BY k DESC")) {
                while (rs.next()) {
                    rows.add(java.util.Arrays.asList(rs.getString(1), rs.getObject(2), rs.getObject(3),
                            rs.getObject(4, java.time.OffsetDateTime.class)));
                }
            }
            assertThat(rows).containsExactly(java.util.Arrays.asList("ours", 7, null, at),
                    java.util.Arrays.asList("camels", 7, null, at));
        }
    }

    @Test
    void aRowOfTheWrongLengthIsRefusedAsCamelSqlRefusesIt() throws Exception {
        String update = "UPDATE t SET s = :?s WHERE k = :?k";
        Iterator<?> it = parsed.createPopulateIterator(update, null, 2, exchange, Map.of("s", "x", "k", "y"));
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:mem:bind2");
                var ps = c.prepareStatement("SELECT ?, ?, ?")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> parsed.populateStatement(ps, it, 3))
                    .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("Number of parameters mismatch");
        }
    }

    private static List<Object> values(Iterator<?> it) {
        List<Object> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
