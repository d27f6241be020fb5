package io.rcsrouter.event;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks every key and string of a parsed callback, including the fields the router itself ignores: the whole body
 * is stored in {@code rcs_audit} and passed on to the CRM as {@code raw}, so what cannot be stored or passed on
 * intact, or is aimed at the consumers downstream, is refused at the door:
 * <ul>
 *   <li>NUL (U+0000, in JSON the escape backslash-u0000): valid JSON, but no handset sends it, PostgreSQL text
 *       columns cannot hold it, and consumers that use C strings cut the text there;</li>
 *   <li>an unpaired UTF-16 surrogate (such as U+D800): allowed by JSON's grammar, but it is not a character and
 *       has no UTF-8 form, so it would reach the CRM as {@code ?} or fail the write;</li>
 *   <li>the key {@code __proto__}, and a {@code constructor} object with a {@code prototype}: no callback has
 *       them; they are the prototype-pollution attack on JavaScript code that merges the CRM request's
 *       {@code raw}.</li>
 * </ul>
 * The walk is bounded by the parser's nesting and token limits.
 */
final class ContentGuard {

    private ContentGuard() {
    }

    static void check(JsonNode root) throws InvalidCallbackException {
        walk(root, "");
    }

    // Every callback is checked at ingress and again when dispatch reads it: the descriptions of where a key or a
    // string sits are built only for the one refused, not for every field of every callback.
    private static void walk(JsonNode node, String path) throws InvalidCallbackException {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                checkName(name, path, node);
                JsonNode value = field.getValue();
                if (value.isContainerNode()) {
                    walk(value, child(path, name));
                } else if (value.isTextual() && problem(value.textValue()) >= 0) {
                    refuse(value.textValue(), "field '" + child(path, name) + "'");
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isTextual() && problem(node.textValue()) >= 0) {
            refuse(node.textValue(), "field '" + path + "'");
        }
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static void checkName(String name, String path, JsonNode parent) throws InvalidCallbackException {
        if (problem(name) >= 0) {
            refuse(name, "a key " + where(path));
        }
        boolean pollution = name.equals("__proto__")
                || (name.equals("constructor") && parent.get(name).has("prototype"));
        if (pollution) {
            throw new InvalidCallbackException("the key '" + name + "' " + where(path) + " is not allowed: no"
                    + " callback has it, and it is used to attack JavaScript code that merges JSON (prototype"
                    + " pollution)");
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "at the top level" : "in '" + path + "'";
    }

    /** The index of the first NUL or unpaired surrogate in {@code text}, or -1 when it has none. */
    private static int problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a proper pair: one character outside the Basic Multilingual Plane, such as an emoji
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static void refuse(String text, String what) throws InvalidCallbackException {
        char c = text.charAt(problem(text));
        if (c == 0) {
            throw new InvalidCallbackException(what + " contains a NUL character (\\u0000), which no callback"
                    + " contains and the router cannot store");
        }
        throw new InvalidCallbackException(String.format("%s contains an unpaired UTF-16 surrogate"
                + " (\\u%04x), which is not a character and cannot be passed on as UTF-8", what, (int) c));
    }
}
