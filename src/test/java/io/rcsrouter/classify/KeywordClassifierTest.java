package io.rcsrouter.classify;

import io.rcsrouter.event.EventHeaders;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.event.UserMessage;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The classifier against the shipped rules: taps, events, the Camel step, and keyword matching. */
class KeywordClassifierTest {

    private static KeywordClassifier shipped;

    @BeforeAll
    static void loadShippedRules() {
        shipped = KeywordClassifier.fromFile(KeywordCorpusTest.SHIPPED_RULES);
    }

    // suggestion taps: a keyword label or postback counts, natural language does not

    @Test
    void aLabelThatIsAKeywordCounts() {
        Intent intent = shipped.classifyTap("Stop", "menu_item_7");
        assertThat(intent).isEqualTo(new Intent(Intent.OPT_OUT, Intent.KEYWORD, "STOP", "en"));
    }

    @Test
    void postbackDataThatIsAKeywordCounts() {
        assertThat(shipped.classifyTap("Yes please", "STOP").action()).isEqualTo(Intent.OPT_OUT);
        assertThat(shipped.classifyTap(null, "opt_out").action()).isEqualTo(Intent.OPT_OUT);
        assertThat(shipped.classifyTap("", "UNSUBSCRIBE").action()).isEqualTo(Intent.OPT_OUT);
        assertThat(shipped.classifyTap("Go", "START").action()).isEqualTo(Intent.OPT_IN);
    }

    @Test
    void anOptOutInEitherFieldWinsOverAnOptIn() {
        assertThat(shipped.classifyTap("Start", "STOP").action()).isEqualTo(Intent.OPT_OUT);
        assertThat(shipped.classifyTap("Stop", "START").action()).isEqualTo(Intent.OPT_OUT);
    }

    @Test
    void naturalLanguageDoesNotApplyToTaps() {
        // the same words typed are an opt-out: the rule exists, taps just do not use it
        assertThat(shipped.classifyText("Stop texting me").action()).isEqualTo(Intent.OPT_OUT);
        assertThat(shipped.classifyTap("Stop texting me", "stop texting me")).isEqualTo(Intent.NONE);
        assertThat(shipped.classifyTap("No thanks. STOP", "reply_no")).isEqualTo(Intent.NONE);
    }

    @Test
    void postbackDataThatMerelyContainsAKeywordIsNone() {
        assertThat(shipped.classifyTap("Bus times", "bus_stop_info")).isEqualTo(Intent.NONE);
        assertThat(shipped.classifyTap(null, null)).isEqualTo(Intent.NONE);
    }

    // events: only USER_MESSAGE text and taps carry consent

    private RcsEvent event(String type, UserMessage message) {
        return new RcsEvent("4001", type, "ev-1", "msg-1", "+15551230000", "brand_agent", null, null, message,
                true);
    }

    private UserMessage text(String text) {
        return new UserMessage("TEXT", text, null, null, null, null);
    }

    private UserMessage tap(String label, String postback) {
        return new UserMessage("RESPONSE", label, postback, "REPLY", "REPLY", null);
    }

    @Test
    void typedTextIsClassifiedAsText() {
        assertThat(shipped.classify(event("USER_MESSAGE", text("STOP")))).isEqualTo(
                new Intent(Intent.OPT_OUT, Intent.KEYWORD, "STOP", "en"));
        Intent phrase = shipped.classify(event("USER_MESSAGE", text("please stop texting me")));
        assertThat(phrase.action()).isEqualTo(Intent.OPT_OUT);
        assertThat(phrase.source()).isEqualTo(Intent.NATURAL_LANGUAGE);
        assertThat(shipped.classify(event("USER_MESSAGE", text("Where is the bus stop?")))).isEqualTo(Intent.NONE);
    }

    @Test
    void aResponseIsClassifiedAsATap() {
        assertThat(shipped.classify(event("USER_MESSAGE", tap("Unsubscribe", "x"))).action())
                .isEqualTo(Intent.OPT_OUT);
        assertThat(shipped.classify(event("USER_MESSAGE", tap("Not now", "STOP"))).action())
                .isEqualTo(Intent.OPT_OUT);
        assertThat(shipped.classify(event("USER_MESSAGE", tap("Stop texting me", "menu_3"))))
                .isEqualTo(Intent.NONE);
        UserMessage lowerCaseKind = new UserMessage("response", "Stop texting me", "x", null, null, null);
        assertThat(shipped.classify(event("USER_MESSAGE", lowerCaseKind))).isEqualTo(Intent.NONE);
    }

    @Test
    void onlyUserMessagesCarryConsent() {
        assertThat(shipped.classify(event("DELIVERED", text("STOP")))).isEqualTo(Intent.NONE);
        assertThat(shipped.classify(event("USER_MESSAGE", null))).isEqualTo(Intent.NONE);
        assertThat(shipped.classify(null)).isEqualTo(Intent.NONE);
        UserMessage location = new UserMessage("LOCATION", null, null, null, null,
                new UserMessage.Location(40.7, -74.0));
        assertThat(shipped.classify(event("USER_MESSAGE", location))).isEqualTo(Intent.NONE);
    }

    // the Camel step and the headers the routes choose on

    private Exchange exchangeFor(String text) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        UserMessage message = new UserMessage("TEXT", text, null, null, null, null);
        exchange.setProperty(EventHeaders.EVENT_PROPERTY,
                new RcsEvent(null, "USER_MESSAGE", "e", "m", "+15551230000", "agent", null, null, message, false));
        return exchange;
    }

    @Test
    void setsTheIntentHeaders() {
        Exchange exchange = exchangeFor("STOP");
        shipped.apply(exchange);
        assertThat(exchange.getMessage().getHeader("rcsIntent")).isEqualTo("OPT_OUT");
        assertThat(exchange.getMessage().getHeader("rcsIntentSource")).isEqualTo("KEYWORD");
        assertThat(exchange.getMessage().getHeader("rcsIntentMatch")).isEqualTo("STOP");
    }

    @Test
    void noneRemovesStaleSourceAndMatchHeaders() {
        Exchange exchange = exchangeFor("Can I cancel my order?");
        exchange.getMessage().setHeader("rcsIntentSource", "KEYWORD");
        exchange.getMessage().setHeader("rcsIntentMatch", "STOP");
        shipped.apply(exchange);
        assertThat(exchange.getMessage().getHeader("rcsIntent")).isEqualTo("NONE");
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKeys("rcsIntentSource", "rcsIntentMatch");
    }

    // whole-message keywords

    @Test
    void spacesHyphensAndLetterSpacingDoNotMatter() {
        for (String optOut : new String[] {"OPT OUT", "opt-out", "OPTOUT", "Stop all", "S T O P", "s.t.o.p"}) {
            assertThat(shipped.classifyText(optOut)).as(optOut)
                    .extracting(Intent::action, Intent::source).containsExactly(Intent.OPT_OUT, Intent.KEYWORD);
        }
    }

    @Test
    void aMessageOfOnlyKeywordsIsAKeywordMessageAndOptOutWins() {
        assertThat(shipped.classifyText("STOP STOP STOP").source()).isEqualTo(Intent.KEYWORD);
        Intent stop = new Intent(Intent.OPT_OUT, Intent.KEYWORD, "STOP", "en");
        assertThat(shipped.classifyText("START STOP")).isEqualTo(stop);
        assertThat(shipped.classifyText("stop start")).isEqualTo(stop);
        assertThat(shipped.classifyText("stop by")).isEqualTo(Intent.NONE);
    }

    @Test
    void accentsDoNotMatterAndTheLanguageOfTheListIsReported() {
        Intent arret = new Intent(Intent.OPT_OUT, Intent.KEYWORD, "ARR\u00CAT", "fr");
        assertThat(shipped.classifyText("ARRET")).isEqualTo(arret);
        assertThat(shipped.classifyText("arr\u00EAt!")).isEqualTo(arret);
        assertThat(shipped.classifyText("BAJA").language()).isEqualTo("es");
        assertThat(shipped.classifyText("ALTA")).isEqualTo(new Intent(Intent.OPT_IN, Intent.KEYWORD, "ALTA", "es"));
        assertThat(shipped.classifyText("No me env\u00EDes m\u00E1s mensajes").language()).isEqualTo("es");
    }
}
