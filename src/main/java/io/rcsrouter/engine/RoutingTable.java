package io.rcsrouter.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.event.UserMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultExchange;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing table of {@code routes/routing-table.yaml}: an ordered list of rules, first match wins, each naming the
 * destination route(s) an event goes to. Called once per batch by the {@code dispatch} route (as
 * {@code routingTable}); it only decides, the destination routes carry the decision out.
 *
 * <p>A rule matches when every condition it has matches: {@code code}, {@code type} (the event's type, the same for
 * every provider), {@code kind} (what a user message is: TEXT, REPLY, ACTION, LOCATION, FILE, OTHER), {@code intent}
 * (OPT_OUT, OPT_IN, NONE: what config/keywords.yaml makes of the user's text), {@code provider}, each a value or a
 * list of values (any of them), and {@code when}, a Camel Simple predicate over the same names as headers (and the
 * callback as the body). The last rule must have no condition, so that every event has a destination.
 *
 * <p>The table is replaced atomically when {@link #reload(String)} reads a valid file; a file with an error is refused
 * with the reason, and the table in force stays.
 */
public final class RoutingTable implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingTable.class);
    private static final Set<String> FIELDS = Set.of("id", "code", "type", "kind", "intent", "provider", "when",
            "to");

    /** One row of the table. */
    public record Rule(String id, Map<String, Set<String>> conditions, String when, Predicate whenPredicate,
            List<String> to, String auditRoute) {

        boolean matches(RcsEvent event, String intent, String provider, CamelContext context, String body) {
            for (Map.Entry<String, Set<String>> c : conditions.entrySet()) {
                String value = switch (c.getKey()) {
                    case "code" -> event.code();
                    case "type" -> event.type();
                    case "kind" -> event.userMessage() == null ? null : event.userMessage().intentKind();
                    case "intent" -> intent;
                    case "provider" -> provider;
                    default -> throw new IllegalStateException(c.getKey());
                };
                if (value == null || !c.getValue().contains(value)) {
                    return false;
                }
            }
            if (whenPredicate != null) {
                Exchange x = new DefaultExchange(context);
                x.getMessage().setHeader("code", event.code());
                x.getMessage().setHeader("type", event.type());
                x.getMessage().setHeader("intent", intent);
                x.getMessage().setHeader("provider", provider);
                x.getMessage().setHeader("agent", event.agent());
                UserMessage um = event.userMessage();
                x.getMessage().setHeader("messageKind", um == null ? null : um.kind());
                x.getMessage().setHeader("moType", um == null ? null : um.moType());
                x.getMessage().setBody(body);
                return whenPredicate.matches(x);
            }
            return true;
        }
    }

    private final CamelContext context;
    private final Path file;
    private volatile List<Rule> rules;

    private RoutingTable(CamelContext context, Path file, List<Rule> rules) {
        this.context = context;
        this.file = file;
        this.rules = rules;
    }

    /** Reads the table; a table with an error stops the router from starting, with the reason. */
    public static RoutingTable load(CamelContext context, Path file) {
        try {
            return new RoutingTable(context, file, parse(context, file.toString(), Files.readString(file)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the routing table " + file + ": " + e.getMessage(), e);
        }
    }

    /** A table read from text (tests, tools); {@code name} stands for the file in messages. */
    static RoutingTable of(CamelContext context, String name, String text) {
        return new RoutingTable(context, Path.of(name), parse(context, name, text));
    }

    public Path file() {
        return file;
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * Replaces the table with {@code text} if it is valid; otherwise keeps the table in force. Returns the error, or
     * null when the new table is in force.
     */
    public synchronized String reload(String text) {
        try {
            List<Rule> parsed = parse(context, file.toString(), text);
            rules = parsed;
            LOG.info("Routing table {} reloaded: {} rules", file, parsed.size());
            return null;
        } catch (IllegalStateException e) {
            LOG.warn("Routing table {} NOT reloaded, the previous table stays in force: {}", file, e.getMessage());
            return e.getMessage();
        }
    }

    /** The batch step: each event to route gets its rule, destinations and audit route. */
    @Override
    public void process(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        DispatchBatch batch = exchange.getMessage().getMandatoryBody(DispatchBatch.class);
        List<Rule> table = rules;
        for (DispatchEvent e : batch.routable()) {
            Rule r = decide(table, e.event(), e.intent().action(), e.provider(), e.body());
            e.routeTo(r.id(), r.to(), r.auditRoute());
        }
    }

    /** The first rule that matches (the last rule matches everything). */
    public Rule decide(RcsEvent event, String intent, String provider) {
        return decide(rules, event, intent, provider, null);
    }

    private Rule decide(List<Rule> table, RcsEvent event, String intent, String provider, String body) {
        for (Rule r : table) {
            if (r.matches(event, intent, provider, context, body)) {
                return r;
            }
        }
        throw new IllegalStateException("no rule matched (the last rule must match everything)");
    }

    /** Every destination the table names. */
    public Set<String> destinations() {
        Set<String> out = new HashSet<>();
        rules.forEach(r -> out.addAll(r.to()));
        return out;
    }

    /** rcs_audit.route for a destination: {@code direct:opt-out} is OPT_OUT. */
    static String auditRoute(String destination) {
        String name = destination.contains(":") ? destination.substring(destination.indexOf(':') + 1) : destination;
        int q = name.indexOf('?');
        if (q >= 0) {
            name = name.substring(0, q);
        }
        return name.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
    }

    static List<Rule> parse(CamelContext context, String name, String text) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(name).setAllowDuplicateKeys(false).build())
                    .loadFromString(text);
        } catch (YamlEngineException e) {
            throw new IllegalStateException(name + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> root) || !(root.get("rules") instanceof List<?> list)) {
            throw new IllegalStateException(name + ": expected a map with a list 'rules'");
        }
        if (root.size() != 1) {
            throw new IllegalStateException(name + ": only 'rules' is expected at the top, found " + root.keySet());
        }
        if (list.isEmpty()) {
            throw new IllegalStateException(name + ": 'rules' is empty");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = name + ", rule " + (i + 1);
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalStateException(where + ": expected a map like {id: ..., type: ..., to: ...}");
            }
            for (Object k : m.keySet()) {
                if (!FIELDS.contains(String.valueOf(k))) {
                    throw new IllegalStateException(where + ": unknown field '" + k + "' (fields: id, code, type,"
                            + " intent, provider, when, to)");
                }
            }
            String id = scalar(m.get("id"), where, "id");
            if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalStateException(where + ": 'id' is required: letters, digits, '.', '_', '-'");
            }
            if (!ids.add(id)) {
                throw new IllegalStateException(where + ": id '" + id + "' is used twice");
            }
            where = name + ", rule " + (i + 1) + " (" + id + ")";
            Map<String, Set<String>> conditions = new LinkedHashMap<>();
            for (String field : List.of("code", "type", "kind", "intent", "provider")) {
                if (m.containsKey(field)) {
                    conditions.put(field, values(m.get(field), where, field));
                }
            }
            allowed(conditions, "intent", where, List.of("OPT_OUT", "OPT_IN", "NONE"));
            allowed(conditions, "kind", where, List.of("TEXT", "REPLY", "ACTION", "LOCATION", "FILE", "OTHER"));
            allowed(conditions, "provider", where, List.of("kaleyra", "rbm", "sinch", "infobip"));
            String when = scalar(m.get("when"), where, "when");
            Predicate predicate = null;
            if (when != null) {
                try {
                    predicate = context.resolveLanguage("simple").createPredicate(when);
                    predicate.init(context);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(where + ": 'when' is not a valid Simple predicate: "
                            + e.getMessage(), e);
                }
            }
            if (m.get("to") == null) {
                throw new IllegalStateException(where + ": 'to' is required: the destination route, e.g. direct:crm");
            }
            List<String> to = new ArrayList<>(values(m.get("to"), where, "to"));
            for (String dest : to) {
                if (!dest.matches("[a-z][a-z0-9+.-]*:.+")) {
                    throw new IllegalStateException(where + ": destination '" + dest + "' is not an endpoint URI"
                            + " (e.g. direct:crm)");
                }
            }
            rules.add(new Rule(id, conditions, when, predicate, List.copyOf(to), auditRoute(to.get(0))));
        }
        Rule last = rules.get(rules.size() - 1);
        if (!last.conditions().isEmpty() || last.when() != null) {
            throw new IllegalStateException(name + ": the last rule (" + last.id() + ") must have no condition, so"
                    + " that every event has a destination (e.g. {id: unrouted, to: direct:unrouted})");
        }
        return List.copyOf(rules);
    }

    private static String scalar(Object v, String where, String field) {
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof Collection) {
            throw new IllegalStateException(where + ": '" + field + "' must be a single value");
        }
        String s = String.valueOf(v).strip();
        return s.isEmpty() ? null : s;
    }

    /** Refuses a value of {@code field} outside its vocabulary: "FIELD must be A, B or C, not V". */
    private static void allowed(Map<String, Set<String>> conditions, String field, String where, List<String> words) {
        for (String v : conditions.getOrDefault(field, Set.of())) {
            if (!words.contains(v)) {
                throw new IllegalStateException(where + ": " + field + " must be "
                        + String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1)
                        + ", not " + v);
            }
        }
    }

    private static Set<String> values(Object v, String where, String field) {
        Set<String> out = new java.util.LinkedHashSet<>();
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                String s = scalar(o, where, field);
                if (s != null) {
                    out.add(s);
                }
            }
        } else {
            String s = scalar(v, where, field);
            if (s != null) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(where + ": '" + field + "' has no value");
        }
        return out;
    }
}
