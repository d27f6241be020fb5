package io.rcsrouter.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON schema of the Camel YAML DSL, as shipped inside the camel-yaml-dsl jar this router runs on: the schema
 * Kaoto and the Camel editor tooling check routes against. A file that passes here opens in Kaoto as it is.
 *
 * <p>One deliberate relaxation: where the schema types an attribute as boolean, integer or number, a value that is a
 * single property placeholder ({@code "{{rcs.crm.max-retries}}"}) is accepted too. The model fields behind those
 * attributes are strings that Camel converts when the route starts, after resolving the placeholder, so the runtime
 * accepts it; the 4.18 schema does not say so (fixed in later Camel, CAMEL-24694). Without this the routes could
 * not take their numbers from application.properties. Any other string at such an attribute is still an error.
 */
final class CamelYamlSchema {

    /** Where camel-yaml-dsl keeps it; read from the classpath so it always matches the Camel version in the pom. */
    static final String RESOURCE = "schema/camelYamlDsl.json";

    /** A value that is one placeholder and nothing else; a JSON schema "pattern" only ever applies to strings. */
    static final String PLACEHOLDER_PATTERN = "^\\{\\{[^{}]+\\}\\}$";

    private static final Set<String> TYPES_THAT_TAKE_A_PLACEHOLDER = Set.of("boolean", "integer", "number");

    private final Schema schema;

    private CamelYamlSchema(Schema schema) {
        this.schema = schema;
    }

    static CamelYamlSchema load() {
        try (InputStream in = CamelYamlSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: is camel-yaml-dsl a dependency?");
            }
            JsonNode tree = JsonMapper.builder().build().readTree(in);
            int relaxed = acceptPlaceholders(tree);
            if (relaxed == 0) {
                // the schema's layout changed: fail loudly rather than validate something other than we think
                throw new IllegalStateException("No typed attribute found in " + RESOURCE);
            }
            // the schema declares draft-04
            return new CamelYamlSchema(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with a routes document, one line per finding ("location: message"); empty when it is valid. */
    List<String> problems(JsonNode routesDocument) {
        return schema.validate(routesDocument).stream()
                .map(error -> error.getInstanceLocation() + ": " + error.getMessage())
                .toList();
    }

    /** {"type": "number"} becomes {"type": ["number", "string"], "pattern": placeholder}; returns how many. */
    private static int acceptPlaceholders(JsonNode node) {
        int count = 0;
        if (node instanceof ObjectNode object && object.path("type").isString()
                && TYPES_THAT_TAKE_A_PLACEHOLDER.contains(object.get("type").asString())
                && !object.has("pattern")) {
            String type = object.get("type").asString();
            object.putArray("type").add(type).add("string");
            object.put("pattern", PLACEHOLDER_PATTERN);
            count++;
        }
        for (JsonNode child : node) {
            count += acceptPlaceholders(child);
        }
        return count;
    }
}
