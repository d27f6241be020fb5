package io.rcsrouter.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes example (k8s/) holds together: every document parses, and the Deployment is the production layout
 * the README describes. No cluster here: this checks the manifests as text and structure, not a rollout.
 */
class K8sManifestsTest {

    private static K8sManifests manifests;
    private static Map<String, String> environment;

    @BeforeAll
    static void load() throws Exception {
        manifests = K8sManifests.load();
        environment = manifests.routerEnvironment();
    }

    @Test
    void everyDocumentParsesAndNamesItsKind() throws Exception {
        assertThat(K8sManifests.files()).isNotEmpty();
        manifests.documentsByFile().forEach((file, documents) -> {
            assertThat(documents).as("documents in %s", file).isNotEmpty();
            for (JsonNode document : documents) {
                assertThat(document.path("apiVersion").asString("")).as("apiVersion in %s", file).isNotBlank();
                assertThat(document.path("kind").asString("")).as("kind in %s", file).isNotBlank();
                assertThat(document.path("metadata").path("name").asString("")).as("name in %s", file).isNotBlank();
            }
        });
        assertThat(manifests.all()).extracting(d -> d.path("kind").asString(""))
                .contains("Deployment", "Service", "PodDisruptionBudget", "ConfigMap", "Secret");
    }

    @Test
    void twoReplicasProbedOnTheManagementPort() {
        JsonNode deployment = manifests.only("Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode container = manifests.routerContainer();
        assertThat(containerPort(container, "management")).isEqualTo(9876)
                .isEqualTo(Integer.parseInt(environment.get("RCS_MANAGEMENT_PORT")));
        assertThat(containerPort(container, "http")).isEqualTo(Integer.parseInt(environment.get("RCS_HTTP_PORT")));
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asString(""))
                .isEqualTo("/observe/health/ready");
        assertThat(container.path("readinessProbe").path("httpGet").path("port").asString(""))
                .isEqualTo("management");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asString(""))
                .isEqualTo("/observe/health/live");
        assertThat(container.path("livenessProbe").path("httpGet").path("port").asString(""))
                .isEqualTo("management");
        // the probes reach the management server only if it listens beyond loopback
        assertThat(environment).containsEntry("RCS_MANAGEMENT_HOST", "0.0.0.0").containsEntry("RCS_HTTP_HOST", "0.0.0.0");
    }

    @Test
    void theHeapIsSizedForTheMemoryLimit() {
        JsonNode container = manifests.routerContainer();
        String limit = container.path("resources").path("limits").path("memory").asString("");
        assertThat(limit).as("memory limit").matches("\\d+Mi");
        long limitMiB = Long.parseLong(limit.replace("Mi", ""));
        String options = environment.get("JAVA_TOOL_OPTIONS");
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
        assertThat(percentage.find()).as(options).isTrue();
        long heapMiB = limitMiB * Integer.parseInt(percentage.group(1)) / 100;
        // room for the heap the router is measured with, and for what the JVM needs beside it
        assertThat(heapMiB).isBetween(384L, limitMiB - 256);
        assertThat(options).contains("-XX:+ExitOnOutOfMemoryError");
        // two malloc arenas: the RSS measured flat under load (bench/RESULTS.md, 4c) is this one
        assertThat(environment).containsEntry("MALLOC_ARENA_MAX", "2");
    }

    @Test
    void runsAsNonRoot() {
        JsonNode pod = manifests.only("Deployment").path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
        JsonNode container = manifests.routerContainer().path("securityContext");
        assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    }

    @Test
    void credentialsComeFromASecretAndTheRestFromAConfigMap() {
        JsonNode envFrom = manifests.routerContainer().path("envFrom");
        assertThat(envFrom.findValues("configMapRef")).hasSize(1);
        assertThat(envFrom.findValues("secretRef")).hasSize(1);
        JsonNode config = manifests.named("ConfigMap", envFrom.findValue("configMapRef").path("name").asString());
        JsonNode secret = manifests.named("Secret", envFrom.findValue("secretRef").path("name").asString());
        assertThat(config.path("data").propertyNames())
                .as("no credential in the ConfigMap")
                .noneMatch(K8sManifestsTest::looksLikeACredential);
        assertThat(secret.path("stringData").propertyNames())
                .contains("RCS_DB_PASSWORD", "RCS_BROKER_PASSWORD", "RCS_CRM_TOKEN", "RCS_ADMIN_TOKEN")
                .allMatch(K8sManifestsTest::looksLikeACredential);
    }

    @Test
    void routesComeFromAConfigMapWithReloadOff() {
        JsonNode container = manifests.routerContainer();
        JsonNode pod = manifests.only("Deployment").path("spec").path("template").path("spec");
        JsonNode mount = find(container.path("volumeMounts"), "mountPath", "/app/routes");
        JsonNode volume = find(pod.path("volumes"), "name", mount.path("name").asString());
        assertThat(volume.path("configMap").path("name").asString("")).isEqualTo("rcs-routes");
        assertThat(environment).containsEntry("RCS_ROUTES_DIR", "/app/routes").containsEntry("RCS_ROUTES_RELOAD", "false");
    }

    @Test
    void everyReplicaSharesOneDatabaseAndOneBroker() {
        // blank means an embedded H2 and Artemis per pod: each replica would have its own idempotency and consent
        assertThat(environment.get("RCS_DB_URL")).startsWith("jdbc:postgresql:");
        assertThat(environment.get("RCS_BROKER_URL")).startsWith("tcp://");
    }

    @Test
    void theServiceAndTheDisruptionBudgetSelectTheRouterPods() {
        JsonNode podLabels = manifests.only("Deployment").path("spec").path("template").path("metadata").path("labels");
        JsonNode service = manifests.only("Service").path("spec");
        service.path("selector").properties().forEach(e ->
                assertThat(podLabels.path(e.getKey()).asString("")).isEqualTo(e.getValue().asString()));
        String targetPort = service.path("ports").get(0).path("targetPort").asString("");
        assertThat(containerPort(manifests.routerContainer(), targetPort))
                .isEqualTo(Integer.parseInt(environment.get("RCS_HTTP_PORT")));
        JsonNode budget = manifests.only("PodDisruptionBudget").path("spec");
        budget.path("selector").path("matchLabels").properties().forEach(e ->
                assertThat(podLabels.path(e.getKey()).asString("")).isEqualTo(e.getValue().asString()));
        assertThat(budget.path("minAvailable").asInt())
                .isBetween(1, manifests.only("Deployment").path("spec").path("replicas").asInt() - 1);
    }

    @Test
    void theReadmeShowsHowToCreateTheRoutesConfigMap() throws Exception {
        assertThat(Files.readString(Path.of("k8s/README.md")))
                .contains("kubectl create configmap rcs-routes --from-file=routes/")
                .contains("RCS_ROUTES_RELOAD");
    }

    private static boolean looksLikeACredential(String variable) {
        return variable.endsWith("_USER")
                || List.of("PASSWORD", "TOKEN", "SECRET", "HEADER_VALUE").stream().anyMatch(variable::contains);
    }

    private static int containerPort(JsonNode container, String name) {
        return find(container.path("ports"), "name", name).path("containerPort").asInt();
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (value.equals(element.path(field).asString(""))) {
                return element;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }
}
