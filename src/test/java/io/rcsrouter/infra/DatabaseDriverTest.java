package io.rcsrouter.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool names its JDBC driver, found in the router's own class loader: under {@code camel run} the router's jars
 * are in a class loader DriverManager does not look in (.ci/camel-run.sh runs that for real).
 */
class DatabaseDriverTest {

    @Test
    void theDriverIsTheOneThatTakesTheUrl() {
        assertThat(Database.driverFor("jdbc:h2:file:./data/rcs;DATABASE_TO_LOWER=TRUE")).isEqualTo("org.h2.Driver");
        assertThat(Database.driverFor("jdbc:postgresql://127.0.0.1:5432/rcs")).isEqualTo("org.postgresql.Driver");
    }

    @Test
    void anUrlNoDriverTakesIsLeftToDriverManager() {
        assertThat(Database.driverFor("jdbc:nosuchdb://x")).isNull();
    }
}
