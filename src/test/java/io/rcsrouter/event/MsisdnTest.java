package io.rcsrouter.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MsisdnTest {

    @Test
    void plusOrNotIsTheSameSubscriber() {
        assertThat(Msisdn.normalize("+19782412456")).isEqualTo("19782412456");
        assertThat(Msisdn.normalize("19782412456")).isEqualTo("19782412456");
        assertThat(Msisdn.normalize(" +1 (978) 241-2456 ")).isEqualTo("19782412456");
        assertThat(Msisdn.normalize("0019782412456")).isEqualTo("19782412456");
    }

    @Test
    void leavesAlphanumericSendersAlone() {
        assertThat(Msisdn.normalize("kio_rcs")).isEqualTo("kio_rcs");
        assertThat(Msisdn.looksLikeNumber("kio_rcs")).isFalse();
        assertThat(Msisdn.looksLikeNumber("+19782412456")).isTrue();
        assertThat(Msisdn.looksLikeNumber("19XXXXXXXXX")).isTrue();
    }

    @Test
    void masksForLogs() {
        assertThat(Msisdn.mask("+19782412456")).isEqualTo("197******56");
        assertThat(Msisdn.mask("123")).isEqualTo("***");
        assertThat(Msisdn.mask(null)).isEqualTo("-");
    }
}
