package io.rcsrouter.k8sschema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.schema.validator.ValidationMessage;
import io.fabric8.kubernetes.schema.validator.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every document of k8s/*.yaml against the Kubernetes API schema, with fabric8's Kubernetes Model Validator: types,
 * required fields, and no field the API does not have (a misspelt probe or securityContext key is an error, not
 * silently ignored as kubectl apply would).
 *
 * <p>One known gap of the validator is handled here: Kubernetes' schema writes IntOrString fields (maxSurge,
 * minAvailable, targetPort...) as {@code type: string, format: int-or-string}, and the validator does not know that
 * format, so it reports every integer there. Such a report is dropped only when the schema at that very path is
 * int-or-string and the value is an integer; anything else at such a path (a boolean, say) still fails.
 */
class K8sSchemaTest {

    static final Path K8S = Path.of(System.getProperty("k8s.dir", "../../../k8s"));
    private static final Pattern PATH = Pattern.compile("^\\[Path '([^']*)'] (.*)$", Pattern.DOTALL);
    private static final String INTEGER_NOT_STRING =
            "Instance type (integer) does not match any allowed primitive type (allowed: [\"string\"])";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static Validator validator;
    private static JsonNode definitions;

    @BeforeAll
    static void load() throws IOException {
        validator = Validator.newInstance();
        // the same schema the validator reads, to look up what a path is declared as
        try (InputStream in = Validator.class.getResourceAsStream("/openshift-generated.json")) {
            assertNotNull(in, "openshift-generated.json not in the validator's jar");
            definitions = new ObjectMapper().readTree(in).path("definitions");
        }
        assertTrue(definitions.size() > 1000, "the Kubernetes schema has " + definitions.size() + " definitions");
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentValidatesAgainstTheKubernetesSchema() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                int index = 0;
                for (JsonNode document : documents(file)) {
                    String name = file.getFileName() + "#" + index++ + " " + document.path("apiVersion").asText()
                            + " " + document.path("kind").asText() + " " + document.path("metadata").path("name").asText();
                    tests.add(DynamicTest.dynamicTest(name, () -> {
                        List<String> errors = errors(document);
                        if (!errors.isEmpty()) {
                            fail(name + " does not validate:\n  " + String.join("\n  ", errors));
                        }
                    }));
                }
            }
        }
        assertTrue(tests.size() >= 5, "k8s/ has " + tests.size() + " documents");
        return tests.stream();
    }

    /** The validator is not blind: mistakes of the kinds a hand-edited manifest has are reported, each one. */
    @Test
    void mistakesInTheDeploymentAreReported() throws IOException {
        JsonNode deployment = onlyDocument("deployment.yaml");
        ObjectNode spec = (ObjectNode) deployment.path("spec");
        spec.put("replicas", "two");
        ObjectNode container = (ObjectNode) spec.path("template").path("spec").path("containers").get(0);
        container.set("readinesProbe", container.path("readinessProbe"));
        ((ObjectNode) container.path("ports").get(0)).put("containerPort", "8080x");
        container.remove("name");
        ((ObjectNode) spec.path("strategy").path("rollingUpdate")).put("maxSurge", true);

        String report = String.join("\n", errors(deployment));
        for (String expected : List.of("/spec/replicas", "readinesProbe", "/containerPort", "\"name\"", "/maxSurge")) {
            assertTrue(report.contains(expected), "no error about " + expected + " in:\n" + report);
        }
    }

    @Test
    void aKindWithoutSchemaIsAnError() {
        ObjectNode document = YAML.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deploymnet");
        document.putObject("metadata").put("name", "x");
        assertFalse(errors(document).isEmpty(), "a misspelt kind passed");
    }

    @Test
    void integersInIntOrStringFieldsAreAccepted() throws IOException {
        JsonNode budget = onlyDocument("poddisruptionbudget.yaml");
        assertEquals(1, budget.path("spec").path("minAvailable").asInt());
        assertEquals(List.of(), errors(budget));
    }

    // -----------------------------------------------------------------------------------------------------------

    /** The validator's errors for one document, less the int-or-string false reports; an unknown kind is one. */
    static List<String> errors(JsonNode document) {
        String definition = definitionName(document);
        if (definition == null || !definitions.has(definition)) {
            // the validator answers "no errors" for a kind it has no schema for: never let that pass
            return List.of("no schema for apiVersion " + document.path("apiVersion") + " kind " + document.path("kind"));
        }
        List<String> errors = new ArrayList<>();
        for (ValidationMessage message : validator.validate(document).getMessages()) {
            if (message.getLevel() != ValidationMessage.Level.ERROR) {
                continue;
            }
            Matcher m = PATH.matcher(message.getMessage());
            if (m.matches() && m.group(2).startsWith(INTEGER_NOT_STRING)
                    && document.at(m.group(1)).isIntegralNumber() && isIntOrString(definition, m.group(1))) {
                continue;
            }
            errors.add(message.getMessage());
        }
        return errors;
    }

    /** The schema definition of a document: io.k8s.api.core.v1.ConfigMap for v1 ConfigMap, and so on. */
    static String definitionName(JsonNode document) {
        String apiVersion = document.path("apiVersion").asText("");
        String kind = document.path("kind").asText("");
        if (apiVersion.isBlank() || kind.isBlank()) {
            return null;
        }
        String[] groupVersion = apiVersion.contains("/") ? apiVersion.split("/", 2) : new String[] {"core", apiVersion};
        if (groupVersion[0].contains(".")) {
            return null; // not a group of the Kubernetes API itself
        }
        String wanted = ("io.k8s.api." + groupVersion[0] + "." + groupVersion[1] + "." + kind).toLowerCase(Locale.ROOT);
        for (var names = definitions.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.toLowerCase(Locale.ROOT).equals(wanted)) {
                return name;
            }
        }
        return null;
    }

    /** Whether the schema declares the value at this JSON pointer as an IntOrString. */
    static boolean isIntOrString(String definition, String pointer) {
        JsonNode schema = resolve(definitions.path(definition));
        for (String segment : pointer.substring(1).split("/")) {
            if (schema.path("properties").has(segment)) {
                schema = schema.path("properties").path(segment);
            } else if (schema.has("items") && segment.matches("\\d+")) {
                schema = schema.path("items");
            } else if (schema.path("additionalProperties").isObject()) {
                schema = schema.path("additionalProperties");
            } else {
                return false;
            }
            schema = resolve(schema);
        }
        return "int-or-string".equals(schema.path("format").asText());
    }

    private static JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref") || (schema.has("allOf") && schema.path("allOf").size() == 1)) {
            JsonNode ref = schema.has("$ref") ? schema.path("$ref") : schema.path("allOf").get(0).path("$ref");
            schema = definitions.path(ref.asText().replace("#/definitions/", ""));
        }
        return schema;
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = YAML.createParser(file.toFile())) {
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNext()) {
                JsonNode document = values.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    private static JsonNode onlyDocument(String name) throws IOException {
        List<JsonNode> documents = documents(K8S.resolve(name));
        assertEquals(1, documents.size(), name);
        return documents.get(0);
    }
}
