package io.rcsrouter.engine;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.function.Predicate;

import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;

/** What kind of failure the engine met, from the exception chain: it decides between retry, wait and give up. */
final class Failures {

    /** H2: "The database has been closed", "Database is already closed", "database is in exclusive mode". */
    private static final int[] H2_CLOSED = {90098, 90121, 90135};

    private Failures() {
    }

    /** The database cannot be reached or did not answer: wait and try the same work again, drop nothing. */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return !race(t);
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
                for (int code : H2_CLOSED) {
                    if (s.getErrorCode() == code) {
                        return true;
                    }
                }
            }
            String name = t.getClass().getName();
            if (name.equals("org.springframework.jdbc.CannotGetJdbcConnectionException")
                    || name.equals("org.springframework.dao.DataAccessResourceFailureException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Two deciders met on the same row (a unique key taken meanwhile, a deadlock, a lock that timed out): deciding
     * again, now seeing the other's result, settles it.
     */
    static boolean race(Throwable e) {
        // 23505 unique violation (PostgreSQL, H2), 40001 serialization failure / H2 deadlock,
        // 40P01 PostgreSQL deadlock, HYT00 H2 lock timeout
        return anyCause(e, t -> t instanceof SQLException s && s.getSQLState() != null
                && (s.getSQLState().equals("23505") || s.getSQLState().equals("40001")
                        || s.getSQLState().equals("40P01") || s.getSQLState().equals("HYT00")));
    }

    /** The broker connection failed: reconnect; what was not committed is redelivered. */
    static boolean broker(Throwable e) {
        return anyCause(e, t -> t instanceof JMSException || t instanceof JMSRuntimeException);
    }

    /** Whether {@code e} or one of its causes is {@code what}. */
    private static boolean anyCause(Throwable e, Predicate<Throwable> what) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (what.test(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The innermost message, for a log line. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e) : e + " (cause: " + t + ")";
    }
}
