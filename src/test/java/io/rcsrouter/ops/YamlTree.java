package io.rcsrouter.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * YAML read with snakeyaml-engine (the parser the router's YAML DSL uses, strict about duplicate keys) and turned into
 * the Jackson tree the schema validator works on.
 */
final class YamlTree {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private YamlTree() {
    }

    /** The single document of a YAML text. */
    static JsonNode parse(String yaml) {
        Load load = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build());
        return JSON.valueToTree(load.loadFromString(yaml));
    }

    static JsonNode parse(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Every document of a multi-document YAML text (Kubernetes manifests); empty documents are skipped. */
    static List<JsonNode> parseAll(String yaml) {
        Load load = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build());
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : load.loadAllFromString(yaml)) {
            if (document != null) {
                documents.add(JSON.valueToTree(document));
            }
        }
        return documents;
    }
}
