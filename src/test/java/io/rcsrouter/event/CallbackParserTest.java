package io.rcsrouter.event;

import java.time.Instant;

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
}
