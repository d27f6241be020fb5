package io.rcsrouter.crm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.rcsrouter.event.BodyText;
import io.rcsrouter.event.EventHeaders;
import io.rcsrouter.event.RcsEvent;
import org.apache.camel.Exchange;

/**
 * Builds the CRM request body from a JSON template ({@code config/crm-mapping.json}) that integration teams edit
 * without recompiling; declared as {@code crmMapping}.
 *
 * <p>The template is JSON. A string value that is exactly {@code "${path}"} is replaced by the value at that path
 * of the model, keeping its JSON type (object, number, null); {@code "${a|b}"} takes the first that is not null;
 * a string with other text around {@code ${...}} gets the values spliced in as text. The model is:
 * <pre>
 *   event.*      the callback in a flat, provider-neutral form (see {@link CrmEventView})
 *   raw          the callback exactly as received, as JSON
 * </pre>
 * Because the output is built as a JSON tree and written by Jackson, user text with quotes, newlines or any
 * Unicode arrives intact and the body is always valid JSON.
 */
public class CrmMapping {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WHOLE = Pattern.compile("^\\$\\{([^}]+)}$");
    private static final Pattern PART = Pattern.compile("\\$\\{([^}]+)}");

    private final JsonNode template;

    public CrmMapping(JsonNode template) {
        if (template == null || !template.isObject()) {
            throw new IllegalArgumentException("the CRM mapping template must be a JSON object");
        }
        this.template = template;
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

    /** Maps one event; {@code rawBody} is the callback as received. */
    public String map(RcsEvent event, String rawBody) {
        ObjectNode model = JSON.createObjectNode();
        model.set("event", JSON.valueToTree(CrmEventView.of(event)));
        model.set("raw", readRaw(rawBody));
        try {
            return JSON.writeValueAsString(render(template, model));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write CRM body", e);
        }
    }

    /**
     * The route step (crm.camel.yaml): the CRM request JSON goes into the exchange variable {@code crmRequest};
     * the body stays the callback as received.
     */
    public void apply(Exchange exchange) {
        RcsEvent event = exchange.getProperty(EventHeaders.EVENT_PROPERTY, RcsEvent.class);
        String raw = exchange.getMessage().getBody(String.class);
        exchange.setVariable("crmRequest", map(event, raw));
    }

    private static JsonNode readRaw(String rawBody) {
        try {
            // a leading byte-order mark is accepted at ingress (RFC 8259 allows ignoring it), so ignore it here too
            return rawBody == null ? NullNode.getInstance() : JSON.readTree(BodyText.withoutByteOrderMark(rawBody));
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(rawBody); // cannot happen for a callback that passed ingress
        }
    }

    static JsonNode render(JsonNode node, JsonNode model) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                out.set(f.getKey(), render(f.getValue(), model));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> out.add(render(item, model)));
            return out;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            Matcher whole = WHOLE.matcher(text);
            if (whole.matches()) {
                return lookup(whole.group(1), model);
            }
            Matcher part = PART.matcher(text);
            if (part.find()) {
                StringBuilder sb = new StringBuilder();
                do {
                    JsonNode v = lookup(part.group(1), model);
                    part.appendReplacement(sb, Matcher.quoteReplacement(v.isNull() ? "" : v.isTextual()
                            ? v.textValue() : v.toString()));
                } while (part.find());
                part.appendTail(sb);
                return TextNode.valueOf(sb.toString());
            }
        }
        return node.deepCopy();
    }

    /** "a.b|c.d": the first path whose value is present and not null. */
    static JsonNode lookup(String expression, JsonNode model) {
        for (String path : expression.split("\\|")) {
            JsonNode cur = model;
            for (String part : path.strip().split("\\.")) {
                cur = cur == null ? null : cur.get(part);
            }
            if (cur != null && !cur.isNull() && !cur.isMissingNode()) {
                return cur.deepCopy();
            }
        }
        return NullNode.getInstance();
    }
}
