package io.rcsrouter.support;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a message the router writes to a queue may carry as JMS properties: the broker's and JMS's own, the router's
 * own {@code rcs*} names (never {@code rcsMsisdn}), and on the compliance queues the contract's {@code action},
 * {@code agent} and {@code msisdn}. Nothing that came in with the HTTP request (under any spelling Camel's JMS
 * binding could give it: {@code User-Agent} becomes {@code User_HYPHEN_Agent}, {@code a.b} becomes {@code a_DOT_b}),
 * and the subscriber's number in no property value except the compliance queues' {@code msisdn}.
 */
public final class JmsHygiene {

    /** Router-owned property names: rcs followed by an upper-case letter. */
    private static final Pattern ROUTER_OWN = Pattern.compile("rcs[A-Z][A-Za-z]*");
    private static final Set<String> COMPLIANCE_PROPERTIES = Set.of("action", "agent", "msisdn");

    private JmsHygiene() {
    }

    /**
     * Asserts the rules above for one message taken off {@code queue}.
     *
     * @param msisdn       the subscriber's number (normalised) that must not leak; null when there is none
     * @param httpHeaders  the HTTP headers the test sent with the callback (name to value): neither the name, in any
     *                     spelling, nor the value may appear among the properties
     */
    public static void assertClean(String queue, RouterHarness.Received m, String msisdn,
            Map<String, String> httpHeaders) {
        boolean compliance = queue.contains("compliance");
        Map<String, Object> props = m.properties();
        for (Map.Entry<String, Object> p : props.entrySet()) {
            String name = p.getKey();
            String value = String.valueOf(p.getValue());
            boolean allowed = name.startsWith("JMS") || name.startsWith("_AMQ") || name.startsWith("__AMQ")
                    || (ROUTER_OWN.matcher(name).matches() && !name.equals("rcsMsisdn"))
                    || (compliance && COMPLIANCE_PROPERTIES.contains(name));
            assertThat(allowed).as("property %s=%s on %s is not one the router may set (all: %s)", name, value,
                    queue, props.keySet()).isTrue();
            if (msisdn != null && !(compliance && name.equals("msisdn"))) {
                assertThat(value).as("property %s on %s carries the subscriber's number", name, queue)
                        .doesNotContain(msisdn);
            }
            for (Map.Entry<String, String> h : httpHeaders.entrySet()) {
                // a sender's rcs* header has the name of one of the router's own properties: its value tells them apart
                if (!ROUTER_OWN.matcher(h.getKey()).matches()) {
                    assertThat(spellings(name)).as("property %s on %s is the HTTP header %s", name, queue,
                            h.getKey()).doesNotContain(h.getKey().toLowerCase(Locale.ROOT));
                }
                assertThat(value).as("property %s on %s carries the value of the HTTP header %s", name, queue,
                        h.getKey()).doesNotContain(h.getValue());
            }
        }
    }

    /** The header names a property name could stand for, lower case. */
    static List<String> spellings(String property) {
        String lower = property.toLowerCase(Locale.ROOT);
        return List.of(lower, lower.replace("_hyphen_", "-").replace("_dot_", "."), lower.replace("_", "-"));
    }
}
