package io.rcsrouter.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.support.Samples;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The routing table of routes/routing-table.yaml: what the shipped table decides, and how a broken table is refused. */
class RoutingTableTest {

    static CamelContext context;
    static RoutingTable shipped;

    @BeforeAll
    static void load() throws Exception {
        context = new DefaultCamelContext();
        context.start();
        shipped = RoutingTable.load(context, Path.of("routes/routing-table.yaml"));
    }

    @AfterAll
    static void stop() {
        context.stop();
    }

    static List<Samples.Expectation> samples() {
        return Samples.expectations();
    }

    /** Every sample's route, decided by the shipped table (the intent as config/keywords.yaml would say). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void theShippedTableRoutesEverySampleAsExpected(Samples.Expectation sample) throws Exception {
        String provider = io.rcsrouter.support.ProviderRequests.provider(sample.file());
        RcsEvent event = io.rcsrouter.support.ProviderRequests.read(provider, sample.body());
        String intent = switch (String.valueOf(sample.get("text"))) {
            case "STOP", "stop" -> "OPT_OUT";
            case "START" -> "OPT_IN";
            default -> "NONE";
        };
        RoutingTable.Rule rule = shipped.decide(event, intent, provider);
        assertThat(rule.auditRoute()).isEqualTo(sample.route());
    }

    @Test
    void destinationsAreTheRoutesOfThisFolder() {
        assertThat(shipped.destinations()).containsExactlyInAnyOrder("direct:opt-out", "direct:opt-in",
                "direct:crm", "direct:typing", "direct:delivery", "direct:unrouted");
        assertThat(RoutingTable.auditRoute("direct:opt-out")).isEqualTo("OPT_OUT");
        assertThat(RoutingTable.auditRoute("seda:kafka.reports?size=10")).isEqualTo("KAFKA_REPORTS");
    }

    @Test
    void firstMatchWinsAndAListIsAnyOfItsValues() throws Exception {
        RoutingTable table = RoutingTable.of(context, "t", """
                rules:
                  - {id: a, type: [SENT, READ], to: direct:reports}
                  - {id: b, code: "4000", to: direct:other}
                  - {id: c, to: direct:rest}
                """);
        assertThat(table.decide(event("4000", "READ"), "NONE", "kaleyra").id()).isEqualTo("a");
        assertThat(table.decide(event("4000", "ERROR"), "NONE", "kaleyra").id()).isEqualTo("b");
        assertThat(table.decide(event(null, "ERROR"), "NONE", "kaleyra").id()).isEqualTo("c");
    }

    @Test
    void oneKindRuleCoversEveryProviderAndAProviderRuleOnlyItsOwn() throws Exception {
        RoutingTable table = RoutingTable.of(context, "t", """
                rules:
                  - {id: sinch-files, provider: sinch, kind: FILE, to: direct:sinch-files}
                  - {id: locations, type: USER_MESSAGE, kind: LOCATION, to: direct:locations}
                  - {id: files, kind: FILE, to: direct:files}
                  - {id: rest, to: direct:rest}
                """);
        for (String[] sample : new String[][] {{"kaleyra", "mo/11-user-location.json"}, {"rbm", "rbm/03-location.json"},
                {"sinch", "sinch/03-location.json"}, {"infobip", "infobip/03-location.json"}}) {
            RcsEvent e = io.rcsrouter.support.ProviderRequests.read(sample[0], Samples.read(sample[1]));
            assertThat(table.decide(e, "NONE", sample[0]).id()).as(sample[1]).isEqualTo("locations");
        }
        RcsEvent sinchFile = io.rcsrouter.support.ProviderRequests.read("sinch", Samples.read("sinch/04-media.json"));
        RcsEvent rbmFile = io.rcsrouter.support.ProviderRequests.read("rbm", Samples.read("rbm/04-file.json"));
        assertThat(table.decide(sinchFile, "NONE", "sinch").id()).isEqualTo("sinch-files");
        assertThat(table.decide(rbmFile, "NONE", "rbm").id()).isEqualTo("files");
        assertThatThrownBy(() -> RoutingTable.of(context, "t", """
                rules:
                  - {id: x, kind: PHOTO, to: direct:x}
                  - {id: rest, to: direct:rest}
                """)).hasMessageContaining("kind must be TEXT, REPLY");
        assertThatThrownBy(() -> RoutingTable.of(context, "t", """
                rules:
                  - {id: x, provider: twilio, to: direct:x}
                  - {id: rest, to: direct:rest}
                """)).hasMessageContaining("provider must be kaleyra, rbm, sinch or infobip");
    }

    @Test
    void whenIsACamelSimplePredicateOverTheSameNames() throws Exception {
        RoutingTable table = RoutingTable.of(context, "t", """
                rules:
                  - {id: vip, type: USER_MESSAGE, when: "${header.agent} == 'vip_agent'", to: direct:vip}
                  - {id: rest, to: direct:rest}
                """);
        RcsEvent vip = new RcsEvent("4007", "USER_MESSAGE", "e1", "m1", "19785550000", "vip_agent", null, null, null,
                true);
        RcsEvent other = new RcsEvent("4007", "USER_MESSAGE", "e2", "m2", "19785550000", "kio_rcs", null, null, null,
                true);
        assertThat(table.decide(vip, "NONE", "kaleyra").id()).isEqualTo("vip");
        assertThat(table.decide(other, "NONE", "kaleyra").id()).isEqualTo("rest");
    }

    @Test
    void aRuleMayHaveSeveralDestinationsTheAuditRouteIsTheFirst() throws Exception {
        RoutingTable.Rule rule = RoutingTable.parse(context, "t", """
                rules:
                  - {id: both, to: [direct:opt-out, direct:crm]}
                """).get(0);
        assertThat(rule.to()).containsExactly("direct:opt-out", "direct:crm");
        assertThat(rule.auditRoute()).isEqualTo("OPT_OUT");
    }

    @Test
    void aBrokenTableIsRefusedWithItsReason() {
        assertRefused("rules: [{id: a, to: direct:x}, {id: b, type: SENT, to: direct:y}]", "must have no condition");
        assertRefused("rules: [{id: a, colour: red, to: direct:x}]", "unknown field 'colour'");
        assertRefused("rules: [{type: SENT, to: direct:x}, {id: z, to: direct:y}]", "'id' is required");
        assertRefused("rules: [{id: a, type: SENT, to: direct:x}, {id: a, to: direct:y}]", "used twice");
        assertRefused("rules: [{id: a, intent: MAYBE, to: direct:x}, {id: z, to: direct:y}]", "intent must be");
        assertRefused("rules: [{id: a, to: crm}]", "is not an endpoint URI");
        assertRefused("rules: [{id: a, type: SENT}, {id: z, to: direct:y}]", "'to' is required");
        assertRefused("rules: [{id: a, when: '${header.code} ==', to: direct:x}, {id: z, to: direct:y}]",
                "not a valid Simple predicate");
        assertRefused("rules: []", "'rules' is empty");
        assertRefused("routes: []", "expected a map with a list 'rules'");
        assertRefused("rules: [{id: a, to: direct:x}]\nextra: 1", "only 'rules' is expected");
        assertRefused("rules: [{id: a, to: direct:x\n", "not valid YAML");
        assertRefused("rules: [{id: a, id: b, to: direct:x}]", "not valid YAML");
    }

    @Test
    void aReloadWithAnErrorKeepsTheTableInForce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("routing-table.yaml"), "rules: [{id: one, to: direct:one}]\n");
        RoutingTable table = RoutingTable.load(context, file);
        assertThat(table.reload("rules: [{id: two, type: SENT, to: direct:two}]")).contains("must have no condition");
        assertThat(table.rules()).extracting(RoutingTable.Rule::id).containsExactly("one");
        assertThat(table.reload("rules: [{id: two, to: direct:two}]")).isNull();
        assertThat(table.rules()).extracting(RoutingTable.Rule::id).containsExactly("two");
    }

    private static void assertRefused(String yaml, String reason) {
        assertThatThrownBy(() -> RoutingTable.parse(context, "t.yaml", yaml)).as(yaml)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(reason);
    }

    private static RcsEvent event(String code, String type) {
        return new RcsEvent(code, type, "e", "m", "kio_rcs", "19785550000", null, null, null, code != null);
    }
}
