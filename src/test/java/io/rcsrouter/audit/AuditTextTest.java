package io.rcsrouter.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditTextTest {

    @Test
    void payloadReplacesNulWhichPostgresqlTextCannotHold() {
        assertThat(AuditText.payload("{\"a\":\"x" + (char) 0 + "y\"}")).isEqualTo("{\"a\":\"x\uFFFDy\"}");
        assertThat(AuditText.payload(null)).isNull();
    }

    @Test
    void payloadIsCutToTheColumnAndSaysSo() {
        String cut = AuditText.payload("x".repeat(AuditText.PAYLOAD_CHARS + 10));
        assertThat(cut).hasSize(AuditText.PAYLOAD_CHARS).endsWith("...[cut, " + (AuditText.PAYLOAD_CHARS + 10) + " chars]");
    }
}
