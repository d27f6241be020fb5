package io.rcsrouter.event;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallbackParserTest {

    final CallbackParser parser = new CallbackParser();

    @Test
    void readsTheEnvelopedShape() throws Exception {
        RcsEvent e = parser.parse(Samples.read("mo/06-dial.json"));
        assertThat(e.enveloped()).isTrue();
        assertThat(e.code()).isEqualTo("2007");
        assertThat(e.type()).isEqualTo("USER_MESSAGE");
        assertThat(e.eventId()).isEqualTo("Mx8GTVJBK8TwmXXXXXWsZ9g8");
        assertThat(e.messageId()).isEqualTo("1f72cbfd-c072-4674-a2de-a09XXXXX2c6a");
        assertThat(e.from()).isEqualTo("17XXXXXXXXX");
        assertThat(e.to()).isEqualTo("kio_rcs");
        assertThat(e.carrierId()).isEqualTo("ATT");
        assertThat(e.sentAt()).isEqualTo(Instant.parse("2026-04-16T12:58:24.275Z"));
        UserMessage um = e.userMessage();
        assertThat(um.kind()).isEqualTo("RESPONSE");
        assertThat(um.text()).isEqualTo("Customer Support");
        assertThat(um.postbackData()).isEqualTo("postback_data_1234");
        assertThat(um.responseType()).isEqualTo("ACTION");
        assertThat(um.moType()).isEqualTo("DIAL");
        assertThat(e.dedupKey()).isEqualTo("event:Mx8GTVJBK8TwmXXXXXWsZ9g8");
    }

    @Test
    void readsTheBareShapeOfOlderAccounts() throws Exception {
        RcsEvent e = parser.parse(Samples.read("mo/13-text-bare-shape.json"));
        assertThat(e.enveloped()).isFalse();
        assertThat(e.code()).isNull();
        assertThat(e.type()).isEqualTo("USER_MESSAGE");
        assertThat(e.text()).isEqualTo("Hi, is my order shipped?");
    }

    @Test
    void acceptsANumericCode() throws Exception {
        assertThat(parser.parse(Samples.read("mo/14-text-numeric-code.json")).code()).isEqualTo("4007");
    }

    @Test
    void readsALocation() throws Exception {
        UserMessage um = parser.parse(Samples.read("mo/11-user-location.json")).userMessage();
        assertThat(um.kind()).isEqualTo("LOCATION");
        assertThat(um.location().latitude()).isEqualTo(28.658577);
        assertThat(um.location().longitude()).isEqualTo(77.4736007);
    }

    @Test
    void keysAnEventWithoutEventIdByMessageIdAndType() throws Exception {
        RcsEvent e = parser.parse(Samples.read("mo/01-unsubscribe.json"));
        assertThat(e.eventId()).isNull();
        assertThat(e.dedupKey()).isEqualTo("message:e467ccda-179b-472f-9c73-6XXXXXXXX0XX:UNSUBSCRIBE");
    }

    @Test
    void readsTheSubscriberAndAgentOfADeliveryReportTheOtherWayRound() throws Exception {
        RcsEvent e = parser.parse(Samples.read("dr/01-sent.json"));
        assertThat(e.agent()).isEqualTo("kio_rcs");
        assertThat(e.msisdn()).isEqualTo("19785550142");
    }

    @Test
    void namesTheMissingField() {
        assertThatThrownBy(() -> parser.parse("{\"code\":\"4007\",\"data\":{\"type\":\"USER_MESSAGE\",\"from\":\"1\"}}"))
                .isInstanceOf(InvalidCallbackException.class).hasMessage("missing field 'data.messageId'");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"USER_MESSAGE\",\"messageId\":\"m\"}"))
                .isInstanceOf(InvalidCallbackException.class).hasMessage("missing field 'from'");
    }

    @Test
    void refusesDuplicateKeysSoATypeCannotBeSmuggled() {
        assertThatThrownBy(() -> parser.parse(
                "{\"data\":{\"type\":\"COMPOSING\",\"type\":\"UNSUBSCRIBE\",\"from\":\"1\",\"messageId\":\"m\"}}"))
                .isInstanceOf(InvalidCallbackException.class).hasMessageContaining("Duplicate field 'type'");
    }

    @Test
    void refusesHostileNestingAndHugeStrings() {
        CallbackParser strict = new CallbackParser(new CallbackParser.Limits(5, 100, 10, 50, 1000));
        assertThatThrownBy(() -> strict.parse("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":1}}}}}}"))
                .isInstanceOf(InvalidCallbackException.class).hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> strict.parse("{\"a\":\"" + "x".repeat(101) + "\"}"))
                .isInstanceOf(InvalidCallbackException.class).hasMessageContaining("String value length");
    }
    // --- hostile and malformed input: each case below was answered 200 (or with Jackson's internals) before ---

    /** A valid text callback whose fields a test then breaks. */
    static String text(String userText) {
        return Callbacks.text("MxUnit", "19785550100", userText);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void refusesBytesThatAreNotUtf8InsteadOfReplacingThem() {
        byte[] latin1 = text("caf\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        int offset = text("caf").indexOf("caf") + 3;
        assertThatThrownBy(() -> parser.parse(latin1)).isInstanceOf(InvalidCallbackException.class)
                .hasMessage("body is not valid UTF-8: the byte 0xE9 at offset " + offset
                        + " does not belong to a UTF-8 sequence; JSON must be sent in UTF-8");
        String[] halves = text("hi").split("hi");
        byte[] overlongSlash = {(byte) 0xC0, (byte) 0xAF};
        byte[] encodedSurrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        byte[] truncatedEuro = {(byte) 0xE2, (byte) 0x82};
        for (byte[] bad : new byte[][] {overlongSlash, encodedSurrogate, truncatedEuro}) {
            byte[] body = concat(halves[0].getBytes(StandardCharsets.UTF_8), bad, halves[1].getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> parser.parse(body)).hasMessageStartingWith("body is not valid UTF-8");
        }
    }

    @Test
    void namesUtf16AndGzipBodies() {
        assertThatThrownBy(() -> parser.parse(text("hi").getBytes(StandardCharsets.UTF_16LE)))
                .hasMessageContaining("starts like UTF-16 or UTF-32");
        assertThatThrownBy(() -> parser.parse(text("hi").getBytes(StandardCharsets.UTF_16))) // with a BOM
                .hasMessageContaining("starts like UTF-16 or UTF-32");
        assertThatThrownBy(() -> parser.parse(new byte[] {0x1F, (byte) 0x8B, 8, 0}))
                .hasMessageContaining("gzip-compressed");
    }

    @Test
    void ignoresAByteOrderMarkAtTheStartOnly() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        assertThat(parser.parse(concat(bom, text("hi").getBytes(StandardCharsets.UTF_8))).text()).isEqualTo("hi");
        assertThat(parser.parse("\uFEFF" + text("hi")).text()).isEqualTo("hi");
        assertThatThrownBy(() -> parser.parse(bom)).hasMessage("body is empty; expected a JSON object");
        assertThatThrownBy(() -> parser.parse("\uFEFF\uFEFF" + text("hi"))).hasMessageStartingWith("body is not valid JSON");
        assertThatThrownBy(() -> parser.parse(" \uFEFF" + text("hi"))).hasMessageStartingWith("body is not valid JSON");
    }

    @Test
    void refusesNulAndUnpairedSurrogatesAnywhereButKeepsEmoji() throws Exception {
        assertThatThrownBy(() -> parser.parse(text("STOP\u0000"))) // the JSON escape, which is valid JSON
                .hasMessage("field 'data.userMessage.text' contains a NUL character (\\u0000), which no callback"
                        + " contains and the router cannot store");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"hi\"", "\"hi\", \"x\\u0000\": 1")))
                .hasMessageStartingWith("a key in 'data.userMessage' contains a NUL character");
        assertThatThrownBy(() -> parser.parse(text("a\ud800b")))
                .hasMessage("field 'data.userMessage.text' contains an unpaired UTF-16 surrogate (\\ud800), which is"
                        + " not a character and cannot be passed on as UTF-8");
        assertThatThrownBy(() -> parser.parse(text("\udc00\ud800"))).hasMessageContaining("unpaired UTF-16 surrogate");
        assertThat(parser.parse(text("ok \uD83D\uDE00")).text()).isEqualTo("ok \uD83D\uDE00");
        assertThat(parser.parse(text("tab\tbell\u0007")).text()).as("other control characters are user text")
                .isEqualTo("tab\tbell\u0007");
    }

    @Test
    void refusesPrototypePollutionKeys() {
        assertThatThrownBy(() -> parser.parse(text("hi").replace("{\"code\"", "{\"__proto__\":{\"admin\":true},\"code\"")))
                .hasMessageStartingWith("the key '__proto__' at the top level is not allowed");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"carrierId\"",
                "\"constructor\":{\"prototype\":{\"admin\":true}},\"carrierId\"")))
                .hasMessageStartingWith("the key 'constructor' in 'data' is not allowed");
    }

    @Test
    void identifiersMustBeStringsOrWholeNumbersAndNamesStrings() throws Exception {
        assertThat(parser.parse(text("hi").replace("\"19785550100\"", "19785550100")).from()).isEqualTo("19785550100");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"19785550100\"", "1.9785550100E10")))
                .hasMessage("field 'data.from' must be a string, not a number");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"USER_MESSAGE\"", "4007")))
                .hasMessage("field 'data.type' must be a string, not a number");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"TEXT\"", "1")))
                .hasMessage("field 'data.userMessage.type' must be a string, not a number");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"2026-04-20T10:00:00Z\"", "1713607200")))
                .hasMessage("field 'data.sentAt' must be an ISO-8601 timestamp string, not a number");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"4007\"", "true")))
                .hasMessage("field 'code' must be a string or a whole number, not a boolean");
    }

    @Test
    void identifiersMustFitTheirDatabaseColumnsSoThatDispatchCanStoreThem() {
        assertThatThrownBy(() -> parser.parse(text("hi").replace("msg-MxUnit", "m".repeat(257))))
                .hasMessage("field 'data.messageId' is 257 characters long; at most 256 are allowed");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"USER_MESSAGE\"", "\"" + "T".repeat(65) + "\"")))
                .hasMessage("field 'data.type' is 65 characters long; at most 64 are allowed");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"4007\"", "\"" + "4".repeat(33) + "\"")))
                .hasMessage("field 'code' is 33 characters long; at most 32 are allowed");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"VZ\"", "\"" + "V".repeat(65) + "\"")))
                .hasMessage("field 'data.carrierId' is 65 characters long; at most 64 are allowed");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("19785550100", "1".repeat(65))))
                .hasMessage("field 'data.from' is not a subscriber number: 65 characters long, at most 64 are allowed");
    }

    @Test
    void identifiersMayNotCarryControlCharactersThatWouldForgeLogLines() {
        assertThatThrownBy(() -> parser.parse(text("hi").replace("msg-MxUnit", "m1\\nINFO forged line")))
                .hasMessage("field 'data.messageId' contains the control character U+000A; identifiers may not"
                        + " contain control characters");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("19785550100", "1978\\u001b[2J")))
                .hasMessageContaining("field 'data.from' contains the control character U+001B");
    }

    @Test
    void refusesAnEnvelopeThatLostItsDataInsteadOfReadingItAsTheBareShape() {
        assertThatThrownBy(() -> parser.parse(
                "{\"code\":\"4006\",\"type\":\"USER_MESSAGE\",\"from\":\"1978\",\"messageId\":\"m\"}"))
                .hasMessage("missing field 'data': the body has the envelope's 'code' but no 'data' object");
    }

    @Test
    void locationsMustBeOnEarthAndObjectsMustBeObjects() {
        String location = Samples.read("mo/11-user-location.json");
        assertThatThrownBy(() -> parser.parse(location.replace("28.658577", "1e400")))
                .hasMessage("field 'data.userMessage.location.latitude' must be between -90 and 90 degrees, not Infinity");
        assertThatThrownBy(() -> parser.parse(location.replace("77.4736007", "-180.5")))
                .hasMessageStartingWith("field 'data.userMessage.location.longitude' must be between -180 and 180");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"text\":\"hi\"", "\"location\":\"here\"")))
                .hasMessage("field 'data.userMessage.location' must be an object, not a string");
        assertThatThrownBy(() -> parser.parse(text("hi").replace("\"text\":\"hi\"", "\"response\":[1]")))
                .hasMessage("field 'data.userMessage.response' must be an object, not an array");
    }

    @Test
    void parserErrorsAreSentencesWithoutJacksonInternals() {
        assertThatThrownBy(() -> parser.parse("{\"code\": NaN}"))
                .hasMessage("body is not valid JSON: Non-standard token 'NaN': NaN and Infinity are not JSON numbers"
                        + " (line 1, column 13)");
        assertThatThrownBy(() -> parser.parse("// Kaleyra\n" + text("hi")))
                .hasMessage("body is not valid JSON: comments are not allowed in JSON (line 1, column 1)");
        assertThatThrownBy(() -> parser.parse(text("a") + "\n" + text("b")))
                .hasMessageStartingWith("body has more content after the end of its JSON value (line 2, column ")
                .hasMessageEndingWith("; send exactly one callback per request");
        assertThatThrownBy(() -> parser.parse("{\"n\":" + "9".repeat(70) + "}"))
                .hasMessageStartingWith("body exceeds a safety limit: Number value length (70) exceeds the maximum"
                        + " allowed (64)");
    }

    // found by CallbackParserFuzzTest (docs/fuzzing.md)

    /** A year Java reads but RFC 3339, the audit column and the CRM's parsers do not: a clear 400. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"+10000-01-01T00:00:00Z", "0000-06-01T00:00:00Z",
            "-0001-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "0001-01-01T00:30:00+01:00",
            "9999-12-31T23:30:00-01:00"})
    void aSentAtOutsideTheYears0001To9999IsRefused(String sentAt) {
        String body = Callbacks.text("MxYear", "19785550100", "hi").replace("2026-04-20T10:00:00Z", sentAt);
        assertThat(body).contains(sentAt);
        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(InvalidCallbackException.class)
                .hasMessageContaining("field 'data.sentAt' is out of range")
                .hasMessageContaining("the year must be between 0001 and 9999");
    }

    @Test
    void theFirstAndLastInstantsOfTheYears0001To9999AreAccepted() throws Exception {
        for (String sentAt : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "0001-01-01T01:00:00+01:00"}) {
            String body = Callbacks.text("MxYear", "19785550100", "hi").replace("2026-04-20T10:00:00Z", sentAt);
            assertThat(parser.parse(body).sentAt()).as(sentAt).isNotNull();
        }
    }

    /** Refusals quote the body; control characters, separators, bidi controls and lone surrogates as escapes. */
    @Test
    void refusalsShowTheCharactersThatDoNotBelongInALogLineAsEscapes() {
        assertThatThrownBy(() -> parser.parse("{\"a\": hd\u0001\u001b[2J}"))
                .isInstanceOf(InvalidCallbackException.class)
                .hasMessageContaining("Unrecognized token 'hd\\u0001\\u001b'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0001", "\u001b"));
        // JSON escapes in the body: the value holds U+2028, U+202E and U+0007, which the timestamp refusal quotes
        String body = Callbacks.text("MxEsc", "19785550100", "hi").replace("2026-04-20T10:00:00Z",
                "2026-04-20\\u2028\\u202e\\u0007");
        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(InvalidCallbackException.class)
                .hasMessageContaining("is not an ISO-8601 timestamp: 2026-04-20\\u2028\\u202e\\u0007")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u2028", "\u202e", "\u0007"));
        assertThat(InvalidCallbackException.escape("emoji \ud83d\uded1 stays, lone \ud83d goes"))
                .isEqualTo("emoji \ud83d\uded1 stays, lone \\ud83d goes");
    }
}
