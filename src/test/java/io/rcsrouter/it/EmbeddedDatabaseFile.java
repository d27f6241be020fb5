package io.rcsrouter.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import io.rcsrouter.support.Jdbc;

/**
 * The embedded default's H2 file, read once the router has stopped (H2 locks the file while the router runs): what
 * a kill or a full disk must not have lost.
 */
final class EmbeddedDatabaseFile {

    private EmbeddedDatabaseFile() {
    }

    /** The database in {@code dataDir} (rcs.mv.db), which must exist. */
    static Connection open(Path dataDir) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("rcs")
                + ";DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE", "sa", "");
    }

    /** The audit status of every event whose dedup key is LIKE {@code keyPattern}, by key. */
    static Map<String, String> auditStatus(Connection db, String keyPattern) throws SQLException {
        Map<String, String> status = new HashMap<>();
        for (Map<String, Object> row : Jdbc.query(db, "SELECT dedup_key, status FROM rcs_audit WHERE dedup_key LIKE ?",
                keyPattern)) {
            status.put((String) row.get("dedup_key"), (String) row.get("status"));
        }
        return status;
    }

    /** The first column of the first row of a COUNT query. */
    static long count(Connection db, String sql, Object... args) throws SQLException {
        return ((Number) Jdbc.query(db, sql, args).get(0).values().iterator().next()).longValue();
    }
}
