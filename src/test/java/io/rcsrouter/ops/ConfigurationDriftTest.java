package io.rcsrouter.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The places that name the router's environment variables agree with the settings it really has
 * (application.properties, and logback.xml for the log variables): README.md and docs/ (docs/configuration.md is
 * generated from them, see ConfigurationReferenceTest), docker-compose.yml, the Dockerfile and the Kubernetes example. A renamed or removed setting, or a
 * typo in any of them, fails here instead of being silently ignored at run time.
 */
class ConfigurationDriftTest {

    /** The variables the contract names: documented, real, and wired wherever the production layout is shown. */
    static final Set<String> CONTRACT = Set.of(
            "RCS_HTTP_HOST", "RCS_HTTP_PORT",
            "RCS_AUTH_MODE", "RCS_AUTH_HEADER_NAME", "RCS_AUTH_HEADER_VALUE",
            "RCS_AUTH_BASIC_USER", "RCS_AUTH_BASIC_PASSWORD", "RCS_AUTH_CLIENT_ID", "RCS_AUTH_CLIENT_SECRET",
            "RCS_DB_URL", "RCS_DB_USER", "RCS_DB_PASSWORD",
            "RCS_BROKER_URL", "RCS_BROKER_USER", "RCS_BROKER_PASSWORD",
            "RCS_CRM_URL", "RCS_CRM_TOKEN", "RCS_ADMIN_TOKEN", "RCS_ROUTES_DIR");

    /**
     * The credentials of each callback authentication mode. Compose and Kubernetes wire the ones of the mode they
     * set; the other modes' credentials are the documented exceptions: their default (blank) is right, since the
     * router ignores them in that mode, and setting them would suggest they are in use. Change the mode and this
     * test asks for that mode's credentials instead.
     */
    static final Map<String, Set<String>> CREDENTIALS_BY_AUTH_MODE = Map.of(
            "none", Set.of(),
            "header", Set.of("RCS_AUTH_HEADER_NAME", "RCS_AUTH_HEADER_VALUE"),
            "basic", Set.of("RCS_AUTH_BASIC_USER", "RCS_AUTH_BASIC_PASSWORD"),
            "bearer", Set.of("RCS_AUTH_CLIENT_ID", "RCS_AUTH_CLIENT_SECRET"));

    private static final Pattern VARIABLE = Pattern.compile("RCS_[A-Z0-9_]+");

    private static RouterSettings settings;

    @BeforeAll
    static void load() throws IOException {
        settings = RouterSettings.load();
    }

    // every name is a real setting

    @Test
    void everyVariableComposeSetsIsARealSetting() throws IOException {
        assertAllSettings("docker-compose.yml", composeRouterEnvironment().keySet());
    }

    @Test
    void everyVariableTheDocsMentionAnywhereIsARealSetting() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("k8s/README.md")));
        try (var docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        for (Path page : pages) {
            // the benchmark scripts' and the integration suite's own knobs are variables of those tools, not the router's
            List<String> mentioned = variablesIn(Files.readString(page)).stream()
                    .filter(v -> !v.matches("RCS_(BENCH|SOAK|IT)_.*")).toList();
            if (!mentioned.isEmpty()) {
                assertAllSettings(page.toString(), mentioned);
            }
        }
        assertThat(pages).contains(ConfigurationReference.DOC);
    }

    @Test
    void everyVariableTheDockerfileSetsIsARealSetting() throws IOException {
        assertAllSettings("Dockerfile ENV", dockerfileEnvironment());
    }

    @Test
    void everyVariableTheKubernetesManifestsSetIsARealSetting() throws IOException {
        List<String> names = K8sManifests.load().allVariableNames().stream()
                .filter(name -> name.startsWith("RCS_")).toList();
        assertAllSettings("k8s/", names);
    }

    @Test
    void theLogFormatIsReadByLogbackWithTheDocumentedDefault() throws IOException {
        // no property: logback.xml reads it from the environment before Camel starts
        assertThat(settings.logbackVariables()).contains("RCS_LOG_FORMAT");
        assertThat(Files.readString(RouterSettings.LOGBACK_XML)).contains("${RCS_LOG_FORMAT:-text}");
        assertThat(referenceVariables()).contains("RCS_LOG_FORMAT", "RCS_LOG_LEVEL");
    }

    // the contract

    @Test
    void everyContractVariableIsAProperty() {
        assertThat(CONTRACT).as("contract variables that are no property").filteredOn(v -> !settings.isProperty(v))
                .isEmpty();
        // the one whose name does not say so: the routes folder is rcs.routes.dir
        assertThat(settings.propertyDefault("RCS_ROUTES_DIR")).isEqualTo("routes");
    }

    @Test
    void everyContractVariableIsInTheConfigurationReference() throws IOException {
        assertThat(referenceVariables()).containsAll(CONTRACT);
    }

    @Test
    void composeWiresEveryContractVariableOfItsAuthMode() throws IOException {
        Map<String, String> compose = composeRouterEnvironment();
        assertThat(compose.keySet()).containsAll(expectedWiring(compose.get("RCS_AUTH_MODE")));
    }

    @Test
    void kubernetesWiresEveryContractVariableOfItsAuthMode() throws IOException {
        Map<String, String> pod = K8sManifests.load().routerEnvironment();
        assertThat(pod.keySet()).containsAll(expectedWiring(pod.get("RCS_AUTH_MODE")));
    }

    private static void assertAllSettings(String where, Collection<String> variables) {
        assertThat(variables).as("RCS_ variables in %s", where).isNotEmpty();
        assertThat(variables).as("variables in %s that are no setting of application.properties or logback.xml",
                where).filteredOn(variable -> !settings.isSetting(variable)).isEmpty();
    }

    private static Set<String> expectedWiring(String authMode) {
        assertThat(CREDENTIALS_BY_AUTH_MODE).as("known auth mode").containsKey(authMode);
        Set<String> expected = new LinkedHashSet<>(CONTRACT);
        CREDENTIALS_BY_AUTH_MODE.forEach((mode, credentials) -> {
            if (!mode.equals(authMode)) {
                expected.removeAll(credentials);
            }
        });
        return expected;
    }

    // reading the sources

    /** The router service's environment in docker-compose.yml (map or list form). */
    static Map<String, String> composeRouterEnvironment() throws IOException {
        JsonNode environment = YamlTree.parse(Path.of("docker-compose.yml"))
                .path("services").path("router").path("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment.isArray()) {
            for (JsonNode entry : environment) {
                String[] pair = entry.asString().split("=", 2);
                variables.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        } else {
            environment.properties().forEach(e -> variables.put(e.getKey(), e.getValue().asString()));
        }
        return variables;
    }

    /** The variables docs/configuration.md lists (generated from application.properties and logback.xml). */
    static Set<String> referenceVariables() throws IOException {
        Set<String> variables = new LinkedHashSet<>();
        for (ConfigurationReference.Section section : ConfigurationReference.sections()) {
            for (ConfigurationReference.Row row : section.rows()) {
                variables.addAll(row.variables());
            }
        }
        return variables;
    }

    /** The RCS_ variables of the Dockerfile's ENV instructions (continued over several lines). */
    static List<String> dockerfileEnvironment() throws IOException {
        List<String> variables = new ArrayList<>();
        boolean inEnv = false;
        for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
            String text = line.strip();
            if (text.startsWith("ENV ")) {
                inEnv = true;
            }
            if (inEnv) {
                Matcher assignment = Pattern.compile("(RCS_[A-Z0-9_]+)=").matcher(text);
                while (assignment.find()) {
                    variables.add(assignment.group(1));
                }
                inEnv = text.endsWith("\\");
            }
        }
        return variables;
    }

    private static List<String> variablesIn(String text) {
        List<String> variables = new ArrayList<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            if (!variables.contains(m.group())) {
                variables.add(m.group());
            }
        }
        return variables;
    }
}
