package io.rcsrouter.crm;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rcsrouter.engine.DispatchBatch;
import io.rcsrouter.engine.DispatchEvent;
import io.rcsrouter.event.BodyText;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.event.UserMessage;

/**
 * Builds the CRM request body from a JSON template ({@code config/crm-mapping.json}) that integration teams edit
 * without recompiling; the bean {@code crmMapping} of {@code routes/crm.camel.yaml}.
 *
 * <p>The template is JSON. A string value that is exactly {@code "${path}"} is replaced by the value at that path,
 * keeping its JSON type (object, number, null); {@code "${a|b}"} takes the first that is not null; a string with
 * other text around {@code ${...}} gets the values spliced in as text. The paths:
 * <pre>
 *   event.*      the callback in a flat, provider-neutral form (the fields of {@link CrmEventView})
 *   raw          the callback exactly as received, as JSON (raw.data.type and so on reach into it)
 * </pre>
 * The template is compiled once; each request is written in one pass with Jackson's streaming generator (the raw
 * callback is copied in as it was received, not parsed again), so user text with quotes, newlines or any Unicode
 * arrives intact and the body is always valid JSON.
 */
public class CrmMapping {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final Pattern WHOLE = Pattern.compile("^\\$\\{([^}]+)}$");
    private static final Pattern PART = Pattern.compile("\\$\\{([^}]+)}");

    /** The values {@code event.NAME} can take, from the view of the callback. */
    private static final Map<String, Function<CrmEventView, Object>> EVENT_FIELDS = Map.ofEntries(
            Map.entry("provider", CrmEventView::provider),
            Map.entry("eventId", CrmEventView::eventId),
            Map.entry("messageId", CrmEventView::messageId),
            Map.entry("dedupKey", CrmEventView::dedupKey),
            Map.entry("code", CrmEventView::code),
            Map.entry("type", CrmEventView::type),
            Map.entry("agent", CrmEventView::agent),
            Map.entry("msisdn", CrmEventView::msisdn),
            Map.entry("from", CrmEventView::from),
            Map.entry("carrier", CrmEventView::carrier),
            Map.entry("occurredAt", CrmEventView::occurredAt),
            Map.entry("kind", CrmEventView::kind),
            Map.entry("text", CrmEventView::text),
            Map.entry("postbackData", CrmEventView::postbackData),
            Map.entry("action", CrmEventView::action),
            Map.entry("location", CrmEventView::location),
            Map.entry("file", CrmEventView::file),
            Map.entry("consent", CrmEventView::consent));

    private final Node template;
    private final boolean readsIntoRaw;

    public CrmMapping(JsonNode template) {
        if (template == null || !template.isObject()) {
            throw new IllegalArgumentException("the CRM mapping template must be a JSON object");
        }
        boolean[] intoRaw = {false};
        this.template = compile(template, intoRaw);
        this.readsIntoRaw = intoRaw[0];
    }

    public static CrmMapping fromFile(String path) {
        try {
            return new CrmMapping(JSON.readTree(Files.readString(Path.of(path))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("CRM mapping " + path + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CRM mapping " + path, e);
        }
    }

    /**
     * The destination step of {@code direct:crm}: each user message of the group gets its CRM request (sent on by
     * {@code rcs:queue:...?send=crm}). An event with no user message (a SUBSCRIBE copied here by a rule) has
     * nothing for a CRM agent to read and gets none.
     */
    public void apply(DispatchBatch group) {
        for (DispatchEvent e : group.events()) {
            if (e.event().userMessage() != null) {
                e.payload("crm", map(e.event(), e.body(), e.provider(), e.consentState()), Map.of());
            }
        }
    }

    /** With no CRM configured: each request of the group is delivered by being written to the outbox file. */
    public void written(DispatchBatch group) {
        for (DispatchEvent e : group.events()) {
            if (e.payload("crm") != null) {
                e.outcome("DELIVERED", "written to the CRM outbox file", null);
            }
        }
    }

    /** The group's CRM requests, one JSON line each (for the outbox file). */
    public String lines(DispatchBatch group) {
        int size = 0;
        for (DispatchEvent e : group.events()) {
            DispatchEvent.Payload p = e.payload("crm");
            size += p == null ? 0 : p.body().length() + 1;
        }
        StringBuilder sb = new StringBuilder(size);
        for (DispatchEvent e : group.events()) {
            DispatchEvent.Payload p = e.payload("crm");
            if (p != null) {
                sb.append(p.body()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Maps one event; {@code rawBody} is the callback as received. */
    public String map(RcsEvent event, String rawBody) {
        return map(event, rawBody, "kaleyra");
    }

    public String map(RcsEvent event, String rawBody, String provider) {
        return map(event, rawBody, provider, null);
    }

    public String map(RcsEvent event, String rawBody, String provider, String consent) {
        Model model = new Model(CrmEventView.of(event, provider, consent), BodyText.withoutByteOrderMark(rawBody), readsIntoRaw);
        StringWriter out = new StringWriter(512 + (rawBody == null ? 0 : rawBody.length()));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            template.write(g, model);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the CRM request", e);
        }
        return out.toString();
    }

    // ---- the compiled template -----------------------------------------------------------------------------------

    /** What one request is written from. */
    private static final class Model {
        final CrmEventView event;
        final String raw;
        private JsonNode rawTree;

        Model(CrmEventView event, String raw, boolean parseRaw) {
            this.event = event;
            this.raw = raw;
            if (parseRaw && raw != null) {
                try {
                    rawTree = JSON.readTree(raw);
                } catch (JsonProcessingException e) {
                    rawTree = null; // cannot happen for a callback that passed ingress
                }
            }
        }
    }

    private interface Node {
        void write(JsonGenerator g, Model m) throws IOException;
    }

    /** One alternative of a ${a|b} expression. */
    private interface Lookup {
        /** Writes the value and returns true, or returns false when it is null or missing. */
        boolean write(JsonGenerator g, Model m) throws IOException;

        /** The value as text, or null. */
        String text(Model m);
    }

    private static Node compile(JsonNode node, boolean[] intoRaw) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            List<Node> values = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                names.add(f.getKey());
                values.add(compile(f.getValue(), intoRaw));
            }
            return (g, m) -> {
                g.writeStartObject();
                for (int i = 0; i < names.size(); i++) {
                    g.writeFieldName(names.get(i));
                    values.get(i).write(g, m);
                }
                g.writeEndObject();
            };
        }
        if (node.isArray()) {
            List<Node> items = new ArrayList<>();
            node.forEach(item -> items.add(compile(item, intoRaw)));
            return (g, m) -> {
                g.writeStartArray();
                for (Node item : items) {
                    item.write(g, m);
                }
                g.writeEndArray();
            };
        }
        if (node.isTextual()) {
            String text = node.textValue();
            Matcher whole = WHOLE.matcher(text);
            if (whole.matches()) {
                List<Lookup> alternatives = alternatives(whole.group(1), intoRaw);
                return (g, m) -> {
                    for (Lookup l : alternatives) {
                        if (l.write(g, m)) {
                            return;
                        }
                    }
                    g.writeNull();
                };
            }
            Matcher part = PART.matcher(text);
            if (part.find()) {
                List<Object> pieces = new ArrayList<>(); // String constants and List<Lookup> expressions
                int last = 0;
                do {
                    pieces.add(text.substring(last, part.start()));
                    pieces.add(alternatives(part.group(1), intoRaw));
                    last = part.end();
                } while (part.find());
                pieces.add(text.substring(last));
                return (g, m) -> {
                    StringBuilder sb = new StringBuilder();
                    for (Object p : pieces) {
                        if (p instanceof String s) {
                            sb.append(s);
                        } else {
                            @SuppressWarnings("unchecked")
                            List<Lookup> alternatives = (List<Lookup>) p;
                            for (Lookup l : alternatives) {
                                String v = l.text(m);
                                if (v != null) {
                                    sb.append(v);
                                    break;
                                }
                            }
                        }
                    }
                    g.writeString(sb.toString());
                };
            }
        }
        JsonNode constant = node.deepCopy();
        return (g, m) -> JSON.writeTree(g, constant);
    }

    /** "a.b|c.d": each path, tried in order. */
    private static List<Lookup> alternatives(String expression, boolean[] intoRaw) {
        List<Lookup> out = new ArrayList<>();
        for (String path : expression.split("\\|")) {
            out.add(lookup(path.strip(), intoRaw));
        }
        return out;
    }

    private static Lookup lookup(String path, boolean[] intoRaw) {
        if (path.equals("raw")) {
            return new Lookup() {
                @Override
                public boolean write(JsonGenerator g, Model m) throws IOException {
                    if (m.raw == null) {
                        return false;
                    }
                    g.writeRawValue(m.raw);
                    return true;
                }

                @Override
                public String text(Model m) {
                    return m.raw;
                }
            };
        }
        if (path.startsWith("raw.")) {
            intoRaw[0] = true;
            String[] parts = path.substring(4).split("\\.");
            return new TreeLookup(m -> {
                JsonNode cur = m.rawTree;
                for (String p : parts) {
                    cur = cur == null ? null : cur.get(p);
                }
                return cur;
            });
        }
        if (path.startsWith("event.")) {
            String[] parts = path.substring(6).split("\\.");
            Function<CrmEventView, Object> field = EVENT_FIELDS.get(parts[0]);
            if (field == null) {
                return new TreeLookup(m -> null); // an unknown field is null, as a missing JSON field would be
            }
            if (parts.length == 1) {
                return new Lookup() {
                    @Override
                    public boolean write(JsonGenerator g, Model m) throws IOException {
                        Object v = field.apply(m.event);
                        if (v == null) {
                            return false;
                        }
                        if (v instanceof UserMessage.Location l) {
                            g.writeStartObject();
                            g.writeNumberField("latitude", l.latitude());
                            g.writeNumberField("longitude", l.longitude());
                            g.writeEndObject();
                        } else if (v instanceof UserMessage.File f) {
                            JSON.writeValue(g, f); // as text() writes it: its components in order, nulls kept
                        } else {
                            g.writeString(v.toString());
                        }
                        return true;
                    }

                    @Override
                    public String text(Model m) {
                        Object v = field.apply(m.event);
                        if (v instanceof UserMessage.File f) {
                            return JSON.valueToTree(f).toString();
                        }
                        return v == null ? null : v instanceof UserMessage.Location l
                                ? "{\"latitude\":" + l.latitude() + ",\"longitude\":" + l.longitude() + "}" : v.toString();
                    }
                };
            }
            String[] rest = java.util.Arrays.copyOfRange(parts, 1, parts.length);
            return new TreeLookup(m -> {
                JsonNode cur = JSON.valueToTree(field.apply(m.event));
                for (String p : rest) {
                    cur = cur == null ? null : cur.get(p);
                }
                return cur;
            });
        }
        return new TreeLookup(m -> null);
    }

    /** A value found in a JSON tree. */
    private record TreeLookup(Function<Model, JsonNode> find) implements Lookup {
        @Override
        public boolean write(JsonGenerator g, Model m) throws IOException {
            JsonNode v = find.apply(m);
            if (v == null || v.isNull() || v.isMissingNode()) {
                return false;
            }
            JSON.writeTree(g, v);
            return true;
        }

        @Override
        public String text(Model m) {
            JsonNode v = find.apply(m);
            return v == null || v.isNull() || v.isMissingNode() ? null : v.isTextual() ? v.textValue() : v.toString();
        }
    }
}
