package io.rcsrouter.infra;

import java.util.concurrent.atomic.AtomicLong;

import io.rcsrouter.infra.BacklogLimit.BacklogFullException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BacklogLimitUnitTest {

    final AtomicLong held = new AtomicLong();

    @Test
    void refusesFromTheLimitOnAndTakesAgainBelowIt() {
        BacklogLimit limit = new BacklogLimit(1_000, held::get);
        held.set(999);
        assertThatCode(limit::check).doesNotThrowAnyException();
        assertThatCode(limit::probe).doesNotThrowAnyException();
        held.set(1_000);
        assertThatThrownBy(limit::check).isInstanceOf(BacklogFullException.class)
                .hasMessage("backlog full: 1000 events held, limit 1000");
        assertThatThrownBy(limit::probe).isInstanceOf(BacklogFullException.class);
        held.set(5_000);
        assertThatThrownBy(limit::check).hasMessage("backlog full: 5000 events held, limit 1000");
        held.set(0);
        assertThatCode(limit::check).doesNotThrowAnyException();
    }

    @Test
    void zeroMeansNoLimit() {
        BacklogLimit limit = new BacklogLimit(0, held::get);
        held.set(Long.MAX_VALUE);
        assertThatCode(limit::check).doesNotThrowAnyException();
        assertThatCode(limit::probe).doesNotThrowAnyException();
    }

    @Test
    void aNegativeLimitIsASettingMistake() {
        assertThatThrownBy(() -> new BacklogLimit(-1, held::get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rcs.broker.max-held-events");
    }

    @Test
    void warnsWhenTheLimitDoesNotFitTheHeap() {
        long mib = 1024 * 1024;
        // the default, 400,000, fits README's -Xmx384m: 100 MiB + 84 MiB, under half of it
        assertThat(BacklogLimit.heapWarning(400_000, 384 * mib)).isEmpty();
        assertThat(BacklogLimit.heapWarning(1_000_000, 640 * mib)).isEmpty();
        assertThat(BacklogLimit.heapWarning(1_000_000, 384 * mib)).hasValue("rcs.broker.max-held-events=1000000"
                + " does not fit the heap: at the limit about 309 MiB of the 384 MiB heap would be in use; lower the"
                + " limit to 438495 or raise -Xmx to 620m");
        assertThat(BacklogLimit.heapWarning(0, 4096 * mib)).hasValueSatisfying(w -> assertThat(w)
                .contains("no limit"));
    }
}
