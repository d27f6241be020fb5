package io.rcsrouter.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DispatchProgressTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void eventsWaitingAndNoBatchForTheWindowIsAStall() {
        assertThatThrownBy(() -> new DispatchProgress("rcs.inbound", () -> 120, () -> 31 * SECOND, 30).check())
                .hasMessage("no batch committed for 31 s while 120 events wait on rcs.inbound");
    }

    @Test
    void aRecentBatchOrAnEmptyOrUnreadableQueueIsNoStall() {
        assertThatCode(() -> new DispatchProgress("q", () -> 120, () -> 29 * SECOND, 30).check())
                .doesNotThrowAnyException();
        assertThatCode(() -> new DispatchProgress("q", () -> 0, () -> 3600 * SECOND, 30).check())
                .doesNotThrowAnyException();
        assertThatCode(() -> new DispatchProgress("q", () -> -1, () -> 3600 * SECOND, 30).check())
                .doesNotThrowAnyException();
    }

    @Test
    void zeroSecondsTurnsTheCheckOff() {
        assertThatCode(() -> new DispatchProgress("q", () -> 5, () -> 3600 * SECOND, 0).check())
                .doesNotThrowAnyException();
    }
}
