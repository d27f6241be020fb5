import java.nio.file.*;
import java.sql.*;
import java.util.concurrent.*;

/**
 * The embedded database alone: how an H2 file grows under writes shaped like dispatch's (batch INSERTs of 200 rows
 * with a callback-sized payload, then UPDATEs of older rows, each committed), for a WRITE_DELAY, optionally with a
 * CHECKPOINT after every commit and a thread calling MVStore.compact every HOUSEKEEPING_MS. Prints the file size, and
 * MVStore's fill rates, every 10 s; at the end the bytes of file per row (bench/RESULTS.md, section 4).
 *   java -cp 'target/lib/*' bench/H2Growth.java DIR SECONDS HOUSEKEEPING_MS WRITE_DELAY CHECKPOINT(0|1)
 *   java -cp 'target/lib/*' bench/H2Growth.java /tmp/g 60 0 0 0      # the router's setting (WRITE_DELAY=0)
 */
public class H2Growth {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]); int seconds = Integer.parseInt(a[1]); int hk = Integer.parseInt(a[2]);
        Files.createDirectories(dir);
        String url = "jdbc:h2:file:" + dir.toAbsolutePath() + "/g;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=" + a[3];
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS t (id BIGINT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) UNIQUE, status VARCHAR(16), payload VARCHAR(4000), updated_at TIMESTAMP)");
            org.h2.mvstore.MVStore store = ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
            ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor();
            if (hk > 0) ex.scheduleWithFixedDelay(() -> { try { store.compact(80, 16 << 20); } catch (Throwable t) { t.printStackTrace(); } }, hk, hk, TimeUnit.MILLISECONDS);
            c.setAutoCommit(false);
            PreparedStatement ins = c.prepareStatement("INSERT INTO t (k, status, payload, updated_at) VALUES (?, 'ROUTED', ?, CURRENT_TIMESTAMP)");
            PreparedStatement upd = c.prepareStatement("UPDATE t SET status = 'DELIVERED', updated_at = CURRENT_TIMESTAMP WHERE k = ?");
            String payload = "{\"code\":\"4000\",\"data\":{\"type\":\"SENT\",\"eventId\":\"soak-325306\",\"from\":\"kio_rcs\",\"to\":\"19780325306\",\"sentAt\":\"2026-04-20T09:10:00.120Z\",\"messageId\":\"m-soak-325306\",\"carrierId\":\"VZ\"},\"error\":{}}".repeat(2);
            long n = 0, end = System.nanoTime() + seconds * 1_000_000_000L, nextReport = System.nanoTime();
            while (System.nanoTime() < end) {
                for (int i = 0; i < 200; i++) { ins.setString(1, "k" + (n + i)); ins.setString(2, payload); ins.addBatch(); }
                ins.executeBatch(); c.commit(); if (a[4].equals("1")) c.createStatement().execute("CHECKPOINT");
                for (int i = 0; i < 70; i++) { upd.setString(1, "k" + Math.max(0, n - 3000 + i)); upd.addBatch(); }
                upd.executeBatch(); c.commit(); if (a[4].equals("1")) c.createStatement().execute("CHECKPOINT");
                n += 200;
                if (System.nanoTime() >= nextReport) {
                    System.out.printf("rows=%d file=%dMiB fill=%d%% chunksFill=%d%%%n", n, Files.size(dir.resolve("g.mv.db")) >> 20, store.getFillRate(), store.getFileStore().getChunksFillRate());
                    nextReport += 10_000_000_000L;
                }
            }
            ex.shutdownNow();
            System.out.printf("END rows=%d file=%dMiB bytes/row=%d%n", n, Files.size(dir.resolve("g.mv.db")) >> 20, Files.size(dir.resolve("g.mv.db")) / n);
        }
    }
}
