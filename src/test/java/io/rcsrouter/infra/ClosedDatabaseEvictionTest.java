package io.rcsrouter.infra;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;

import com.zaxxer.hikari.SQLExceptionOverride.Override;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClosedDatabaseEvictionTest {

    final ClosedDatabaseEviction eviction = new ClosedDatabaseEviction();

    @Test
    void aClosedH2DatabaseEvictsTheConnectionAlsoWhenItIsTheCauseOfAnotherError() {
        SQLException closed = new SQLNonTransientConnectionException("The database has been closed", "90098", 90098);
        // as seen in bench/backlog-rss.sh: the INSERT's check constraint could not be evaluated
        SQLException constraint = new SQLIntegrityConstraintViolationException("Check constraint invalid", "23513",
                23513, closed);
        assertThat(eviction.adjudicate(closed)).isEqualTo(Override.MUST_EVICT);
        assertThat(eviction.adjudicate(constraint)).isEqualTo(Override.MUST_EVICT);
        assertThat(eviction.adjudicate(new SQLNonTransientConnectionException("Database is already closed", "90121",
                90121))).isEqualTo(Override.MUST_EVICT);
    }

    @Test
    void anyOtherErrorIsLeftToThePool() {
        assertThat(eviction.adjudicate(new SQLIntegrityConstraintViolationException("duplicate key", "23505", 23505)))
                .isEqualTo(Override.CONTINUE_EVICT);
        assertThat(eviction.adjudicate(new SQLException("syntax", "42000", 42000))).isEqualTo(Override.CONTINUE_EVICT);
    }
}
