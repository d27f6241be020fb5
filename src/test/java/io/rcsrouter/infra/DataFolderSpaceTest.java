package io.rcsrouter.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.rcsrouter.support.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The data folder's reserve: below it ingress is refused, dispatch waits and readiness is DOWN naming the folder and
 * the figures; above it again everything goes on. The free space is read at most once per interval for callbacks,
 * and always afresh for readiness. The FullDiskIT fills a real small file system.
 */
class DataFolderSpaceTest {

    static final long MIB = 1024 * 1024;

    @Test
    void belowTheReserveCallbacksAreRefusedAndReadinessNamesTheFolderAboveItEverythingGoesOn() {
        AtomicLong free = new AtomicLong(100 * MIB);
        DataFolderSpace space = new DataFolderSpace(Path.of("/srv/rcs-data"), 8 * MIB, free::get, 0);
        try (LogCapture logs = LogCapture.onRoot()) {
            assertThatNoException().isThrownBy(space::check);
            assertThat(space.hasRoom()).isTrue();

            free.set(3 * MIB);
            assertThat(space.hasRoom()).isFalse();
            assertThatThrownBy(space::check).isInstanceOf(DataFolderSpace.DataFolderFullException.class)
                    .hasMessage("data folder /srv/rcs-data is almost full: 3.0 MiB free, below the reserve of 8.0 MiB"
                            + " (rcs.data.min-free-bytes)");
            assertThatThrownBy(space::probe).hasMessageContaining("data folder /srv/rcs-data is almost full");
            // the change is logged once, not once per refused callback
            space.hasRoom();
            assertThat(logs.events()).filteredOn(e -> e.getFormattedMessage().contains("almost full")).hasSize(1)
                    .allSatisfy(e -> assertThat(e.getFormattedMessage()).endsWith(
                            "callbacks are answered 503 and dispatch waits until space is freed"));

            free.set(8 * MIB); // exactly the reserve is enough
            assertThat(space.hasRoom()).isTrue();
            assertThatNoException().isThrownBy(space::probe);
            assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage()).isEqualTo(
                    "Data folder /srv/rcs-data has 8.0 MiB free again (reserve 8.0 MiB): callbacks are accepted,"
                            + " dispatch goes on"));
        }
    }

    @Test
    void callbacksReadTheFreeSpaceOncePerIntervalReadinessAlwaysAfresh() {
        AtomicLong free = new AtomicLong(100 * MIB);
        AtomicInteger reads = new AtomicInteger();
        DataFolderSpace space = new DataFolderSpace(Path.of("data"), MIB, () -> {
            reads.incrementAndGet();
            return free.get();
        }, 3_600_000_000_000L);
        for (int i = 0; i < 1_000; i++) {
            space.check();
        }
        assertThat(reads).as("one statvfs for a thousand callbacks within the interval").hasValue(1);
        free.set(0);
        assertThat(space.hasRoom()).as("not read again yet").isTrue();
        assertThatThrownBy(space::probe).isInstanceOf(DataFolderSpace.DataFolderFullException.class);
        assertThat(reads).hasValue(2);
        assertThat(space.hasRoom()).as("what readiness read, callbacks see").isFalse();
    }

    @Test
    void zeroTurnsTheCheckOffANegativeReserveIsRefused() {
        DataFolderSpace off = new DataFolderSpace(Path.of("data"), 0, () -> 0, 0);
        assertThatNoException().isThrownBy(off::check);
        assertThatNoException().isThrownBy(off::probe);
        assertThat(off.hasRoom()).isTrue();
        assertThatThrownBy(() -> new DataFolderSpace(Path.of("data"), -1, () -> 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rcs.data.min-free-bytes must be 0 (no check) or more, not -1");
    }

    @Test
    void readsTheRealFileSystemOfTheFolder(@TempDir Path dir) throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        assertThatNoException().isThrownBy(DataFolderSpace.of(dir, 1)::probe);
        assertThatThrownBy(DataFolderSpace.of(dir, usable * 4 + MIB)::probe)
                .isInstanceOf(DataFolderSpace.DataFolderFullException.class)
                .hasMessageContaining("data folder " + dir + " is almost full");
        assertThat(DataFolderSpace.of(dir, 0).hasRoom()).isTrue();
    }
}
