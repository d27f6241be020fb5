package io.rcsrouter.event;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast reading of the usual timestamp form agrees with OffsetDateTime.parse, or leaves the case to it. */
class IsoInstantTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-04-20T09:01:28.671Z", "2026-04-20T09:01:28Z", "2026-04-20T09:01:28.1Z",
        "2026-04-20T09:01:28.123456789Z", "2024-02-29T23:59:59.999+05:30", "1999-12-31T00:00:00-08:00",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-04-20T09:01:28+18:00",
        "2026-04-20T09:01:28-18:00"})
    void readsTheUsualFormsAsOffsetDateTimeDoes(String text) {
        assertThat(IsoInstant.parseUsual(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-04-20T09:01Z", "2026-02-30T09:01:28Z", "2025-02-29T09:01:28Z",
        "2026-04-20T24:00:00Z", "2026-04-20T09:60:00Z", "2026-04-20T09:01:60Z", "2026-13-20T09:01:28Z",
        "2026-00-20T09:01:28Z", "2026-04-00T09:01:28Z", "2026-04-20T09:01:28.Z", "2026-04-20T09:01:28.1234567890Z",
        "2026-04-20T09:01:28", "2026-04-20T09:01:28z", "2026-04-20 09:01:28Z", "2026-04-20T09:01:28+1800",
        "2026-04-20T09:01:28+19:00", "2026-04-20T09:01:28+18:01", "+2026-04-20T09:01:28Z", "2026-4-20T09:01:28Z",
        "2026-04-20T09:01:28.671Z ", "2026-04-20T09:01:28.671ZZ", "abcd-ef-ghTij:kl:mnZ", ""})
    void leavesEverythingElseToTheFullParser(String text) {
        assertThat(IsoInstant.parseUsual(text)).isNull();
    }

    /** Random timestamps in the usual form, any offset: the same instant as the full parser. */
    @Test
    void agreesWithTheFullParserOnRandomTimestamps() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            int fraction = r.nextInt(10);
            String frac = fraction == 0 ? "" : "." + String.format("%09d", r.nextInt(1_000_000_000)).substring(0, fraction);
            int oh = r.nextInt(19);
            int om = oh == 18 ? 0 : r.nextInt(60);
            String offset = r.nextBoolean() ? "Z" : String.format("%s%02d:%02d", r.nextBoolean() ? "+" : "-", oh, om);
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", 1 + r.nextInt(9999), 1 + r.nextInt(12),
                    1 + r.nextInt(31), r.nextInt(24), r.nextInt(60), r.nextInt(60), frac, offset);
            OffsetDateTime full;
            try {
                full = OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                assertThat(IsoInstant.parseUsual(text)).as(text).isNull();
                continue;
            }
            assertThat(IsoInstant.parseUsual(text)).as(text).isEqualTo(full.toInstant());
        }
    }
}
