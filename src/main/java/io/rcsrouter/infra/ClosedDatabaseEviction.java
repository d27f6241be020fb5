package io.rcsrouter.infra;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells the connection pool to drop a connection whose database has been closed underneath it, so that the next
 * connection opens the database again. HikariCP already drops connections on SQL state class 08 (connection
 * exception), but an embedded H2 database that was closed (SHUTDOWN, or closed by H2 itself after an internal error)
 * answers with its own codes, sometimes wrapped in another error (a check constraint that could not be evaluated):
 * without this, every pooled connection stays dead and every statement fails until the router is restarted.
 */
public final class ClosedDatabaseEviction implements SQLExceptionOverride {

    /** H2: "The database has been closed", "Database is already closed". */
    static final int H2_DATABASE_IS_CLOSED = 90098;
    static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() == H2_DATABASE_IS_CLOSED
                    || s.getErrorCode() == H2_DATABASE_CALLED_AT_SHUTDOWN)) {
                return Override.MUST_EVICT;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Override.CONTINUE_EVICT;
    }
}
