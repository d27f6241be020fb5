package io.rcsrouter.infra;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;

/**
 * camel-sql's named parameters ({@code :#name}) with the statement parsed once, not once per row. camel-sql's own
 * strategy scans the statement with a regular expression and looks every name up in the row, the headers and the
 * variables (converting the row to a Map twice per name) for each row of a batch: for the audit's 18-column INSERT that
 * was a fifth of dispatch's time (bench/RESULTS.md, section 0b).
 *
 * <p>Here, a statement whose parameters are all plain names is parsed into its list of names once; a row that is a
 * Map holding every one of them is bound straight from the Map, in that order. Anything else (an {@code :#in:} list,
 * a {@code :#${simple}} expression, a name the row lacks and a header or variable may hold) is left to camel-sql's
 * strategy, so the meaning of every statement is camel-sql's own.
 *
 * <p>Such a row is bound by {@link #populateStatement} as camel-sql binds it (through Spring's
 * {@link StatementCreatorUtils}, the same calls for the same values), without the steps only a parameter list needs:
 * looking for IN lists among the values and copying them into an argument array, a trace call per value.
 */
public final class ParsedNamedParameters extends DefaultSqlPrepareStatementStrategy {

    /** Where camel-sql has a parameter (it writes {@code :#} as {@code :?}), and a plain-name one. */
    private static final Pattern PARAMETER = Pattern.compile(":\\?");
    private static final Pattern PLAIN = Pattern.compile(":\\?(\\w+)(?![\\w:{])");

    private final Map<String, Optional<List<String>>> plans = new ConcurrentHashMap<>();

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams,
            Exchange exchange, Object value) throws SQLException {
        List<String> names = plans.computeIfAbsent(query, ParsedNamedParameters::plainNames).orElse(null);
        if (names != null && names.size() == expectedParams && value instanceof Map<?, ?> row
                && row.keySet().containsAll(names)) {
            Object[] values = new Object[names.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(names.get(i));
            }
            return new RowValues(values);
        }
        return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
    }

    @Override
    public void populateStatement(PreparedStatement ps, Iterator<?> iterator, int expectedParams)
            throws SQLException {
        if (!(iterator instanceof RowValues row) || row.next != 0) {
            super.populateStatement(ps, iterator, expectedParams);
            return;
        }
        Object[] values = row.values;
        if (values.length != expectedParams) {
            throw new SQLException("Number of parameters mismatch. Expected: " + expectedParams + ", was: "
                    + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            StatementCreatorUtils.setParameterValue(ps, i + 1, SqlTypeValue.TYPE_UNKNOWN, values[i]);
        }
    }

    /** A row's values in the statement's order (an iterator, as camel-sql's strategy interface wants). */
    static final class RowValues implements Iterator<Object> {
        private final Object[] values;
        private int next;

        RowValues(Object[] values) {
            this.values = values;
        }

        @Override
        public boolean hasNext() {
            return next < values.length;
        }

        @Override
        public Object next() {
            if (next >= values.length) {
                throw new NoSuchElementException();
            }
            return values[next++];
        }
    }

    /** The statement's parameter names in order, or empty when one of them is not a plain name. */
    static Optional<List<String>> plainNames(String query) {
        int parameters = 0;
        for (Matcher m = PARAMETER.matcher(query); m.find();) {
            parameters++;
        }
        List<String> names = new ArrayList<>(parameters);
        for (Matcher m = PLAIN.matcher(query); m.find();) {
            names.add(m.group(1));
        }
        return names.size() == parameters && parameters > 0 ? Optional.of(List.copyOf(names)) : Optional.empty();
    }
}
