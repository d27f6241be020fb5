package io.rcsrouter.event;

import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * Jackson's reason for refusing a body, as a sentence for the sender. Jackson's messages name the problem well but
 * also name its own classes and switches ({@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS},
 * {@code StreamReadConstraints.getMaxNumberLength()}, ...): those mean nothing to Kaleyra and tell an attacker which
 * parser runs here, so they are cut, and the position of the problem is added.
 */
final class JsonProblem {

    /** "..., from `StreamReadConstraints.getMaxNumberLength()`" */
    private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(", from `[^`]*`");
    /** ": enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow" */
    private static final Pattern ENABLE_HINT = Pattern.compile(":? *enable `[^`]*` to allow");
    /** " (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)" */
    private static final Pattern FEATURE_HINT = Pattern.compile(" *\\([^()]*Feature '[^']*'[^()]*\\)");

    private JsonProblem() {
    }

    static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Trailing token")) {
            return "body has more content after the end of its JSON value" + at(e)
                    + "; send exactly one callback per request";
        }
        if (original.contains("ALLOW_COMMENTS") || original.contains("ALLOW_YAML_COMMENTS")) {
            return "body is not valid JSON: comments are not allowed in JSON" + at(e);
        }
        String reason = clean(original);
        if (original.contains("ALLOW_NON_NUMERIC_NUMBERS")) {
            reason = reason + ": NaN and Infinity are not JSON numbers";
        }
        if (e instanceof StreamConstraintsException) {
            return "body exceeds a safety limit: " + reason + at(e);
        }
        return "body is not valid JSON: " + reason + at(e);
    }

    static String clean(String message) {
        String s = CONSTRAINT_SOURCE.matcher(message).replaceAll("");
        s = ENABLE_HINT.matcher(s).replaceAll("");
        s = FEATURE_HINT.matcher(s).replaceAll("");
        return s.strip();
    }

    private static String at(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
