package io.rcsrouter.infra;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * The database could not be reached or did not answer in time. The routes retry such failures in place, with
 * back-off, until the database is back: the event waits in its queue, it is neither dropped nor dead-lettered.
 */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True for failures that mean "try again later" rather than "this statement is wrong". */
    public static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                // 08: connection exception; 57P01..03: PostgreSQL admin/crash shutdown; HYT00: H2 lock/query timeout
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("HYT00"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
