package io.rcsrouter.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a reserve of free space in the data folder, where the embedded broker's journal and the H2 database live, so
 * that neither ever meets a full disk: below {@code rcs.data.min-free-bytes} free, ingress answers 503 instead of
 * storing a callback, dispatch stops taking batches (its audit rows grow the database), and readiness is DOWN naming
 * the folder. Nothing already stored is touched; once space is back, callbacks are accepted and dispatch drains the
 * backlog, without a restart.
 *
 * <p>Why a reserve and not the disk's own "full": an Artemis journal that fails a write stops the broker (which then
 * needs a restart), and an H2 store that fails a write closes the database. The reserve is what the journal needs to
 * add a file and the database to finish the batch in flight. Should the disk fill up all the same (another process
 * takes the last bytes), H2 closes the database at its next write and the pool opens it again once there is space;
 * the broker, writing nothing while callbacks are refused and dispatch waits, stays up.
 *
 * <p>The free space is read at most every {@code recheckNanos} (a {@code statvfs}); a callback never waits longer.
 * With no embedded broker and no H2 file in the data folder there is nothing to protect and the check is off.
 */
public final class DataFolderSpace {

    public static final String BEAN_NAME = "dataFolderSpace";
    static final long RECHECK_NANOS = 100_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(DataFolderSpace.class);

    private final Path folder;
    private final long minFreeBytes;
    private final LongSupplier usableBytes;
    private final long recheckNanos;
    private volatile long lastFree = Long.MAX_VALUE;
    /** System.nanoTime() of the last reading (at start, one that is already too old). */
    private volatile long lastReadNanos;
    private volatile boolean low;

    DataFolderSpace(Path folder, long minFreeBytes, LongSupplier usableBytes, long recheckNanos) {
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("rcs.data.min-free-bytes must be 0 (no check) or more, not "
                    + minFreeBytes);
        }
        this.folder = folder;
        this.minFreeBytes = minFreeBytes;
        this.usableBytes = usableBytes;
        this.recheckNanos = recheckNanos;
        this.lastReadNanos = System.nanoTime() - recheckNanos;
    }

    /** The check on the file system that holds {@code folder}; {@code minFreeBytes} 0 turns it off. */
    public static DataFolderSpace of(Path folder, long minFreeBytes) {
        if (minFreeBytes == 0) {
            return off(folder);
        }
        FileStore store;
        try {
            store = Files.getFileStore(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of the data folder " + folder, e);
        }
        return new DataFolderSpace(folder, minFreeBytes, () -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                // a file system that cannot say how much is free is not one to write to
                LOG.warn("Cannot read the free space of the data folder {}: {}", folder, e.toString());
                return 0;
            }
        }, RECHECK_NANOS);
    }

    /** No check: nothing of the router's is stored in the data folder (external database and broker). */
    public static DataFolderSpace off(Path folder) {
        return new DataFolderSpace(folder, 0, () -> Long.MAX_VALUE, RECHECK_NANOS);
    }

    /** Called by ingress before a callback is stored: throws while the free space is below the reserve. */
    public void check() {
        if (!hasRoom()) {
            throw new DataFolderFullException(describe(lastFree));
        }
    }

    /** Whether the stores may grow: dispatch asks before each batch. */
    public boolean hasRoom() {
        if (minFreeBytes == 0) {
            return true;
        }
        if (System.nanoTime() - lastReadNanos >= recheckNanos) {
            readNow();
        }
        return !low;
    }

    /** For readiness: reads the free space now (never an old reading) and throws while it is below the reserve. */
    public void probe() {
        if (minFreeBytes == 0) {
            return;
        }
        readNow();
        if (low) {
            throw new DataFolderFullException(describe(lastFree));
        }
    }

    /** Reads the free space, and logs once when it crosses the reserve either way. */
    private void readNow() {
        lastFree = usableBytes.getAsLong();
        lastReadNanos = System.nanoTime();
        boolean nowLow = lastFree < minFreeBytes;
        if (nowLow != low) {
            low = nowLow;
            if (nowLow) {
                LOG.error("{}: callbacks are answered 503 and dispatch waits until space is freed", describe(lastFree));
            } else {
                LOG.info("Data folder {} has {} free again (reserve {}): callbacks are accepted, dispatch goes on",
                        folder, mib(lastFree), mib(minFreeBytes));
            }
        }
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    private String describe(long free) {
        return "data folder " + folder + " is almost full: " + mib(free) + " free, below the reserve of "
                + mib(minFreeBytes) + " (rcs.data.min-free-bytes)";
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** The callback is not stored: the data folder's free space is below the reserve. */
    public static final class DataFolderFullException extends AdmissionRefusedException {
        public DataFolderFullException(String message) {
            super(message, "the router's storage is full; retry later");
        }
    }
}
