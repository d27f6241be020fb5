package io.rcsrouter.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

/** The Kubernetes example (k8s/*.yaml), every document of every file, and what the router's pods get from it. */
final class K8sManifests {

    static final Path FOLDER = Path.of("k8s");

    private final Map<Path, List<JsonNode>> documentsByFile;

    private K8sManifests(Map<Path, List<JsonNode>> documentsByFile) {
        this.documentsByFile = documentsByFile;
    }

    static K8sManifests load() throws IOException {
        Map<Path, List<JsonNode>> documents = new LinkedHashMap<>();
        for (Path file : files()) {
            documents.put(file, YamlTree.parseAll(Files.readString(file)));
        }
        return new K8sManifests(documents);
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    Map<Path, List<JsonNode>> documentsByFile() {
        return documentsByFile;
    }

    List<JsonNode> all() {
        return documentsByFile.values().stream().flatMap(List::stream).toList();
    }

    /** The one document of this kind; fails when there is none or more than one. */
    JsonNode only(String kind) {
        List<JsonNode> found = all().stream().filter(d -> kind.equals(d.path("kind").asString(""))).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " in " + FOLDER + ", found " + found.size());
        }
        return found.get(0);
    }

    JsonNode named(String kind, String name) {
        return all().stream()
                .filter(d -> kind.equals(d.path("kind").asString("")))
                .filter(d -> name.equals(d.path("metadata").path("name").asString("")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + FOLDER));
    }

    JsonNode routerContainer() {
        return only("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
    }

    /**
     * The environment variables the router container gets, with their values: the ConfigMaps and Secrets its
     * {@code envFrom} names (each must be in the folder), then its own {@code env} entries, which win.
     */
    Map<String, String> routerEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode container = routerContainer();
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("configMapRef")) {
                putAll(environment, named("ConfigMap", source.path("configMapRef").path("name").asString()).path("data"));
            }
            if (source.has("secretRef")) {
                JsonNode secret = named("Secret", source.path("secretRef").path("name").asString());
                putAll(environment, secret.path("stringData"));
                putAll(environment, secret.path("data"));
            }
        }
        for (JsonNode variable : container.path("env")) {
            environment.put(variable.path("name").asString(), variable.path("value").asString(""));
        }
        return environment;
    }

    /** Every variable name the folder sets anywhere: ConfigMap and Secret keys and container env entries. */
    List<String> allVariableNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode document : all()) {
            names.addAll(document.path("data").propertyNames());
            names.addAll(document.path("stringData").propertyNames());
            for (JsonNode container : document.path("spec").path("template").path("spec").path("containers")) {
                for (JsonNode variable : container.path("env")) {
                    names.add(variable.path("name").asString());
                }
            }
        }
        return names;
    }

    private static void putAll(Map<String, String> target, JsonNode map) {
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            target.put(entry.getKey(), entry.getValue().asString());
        }
    }
}
