package io.rcsrouter.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rcsrouter.support.Callbacks;
import io.rcsrouter.support.RouterHarness;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alerting rules (ops/prometheus/rcs-alerts.yml) and the Grafana dashboard (ops/grafana/rcs-callback-router.json)
 * name only metrics that a running router exports: every metric name in a rule's {@code expr}, a panel's
 * {@code expr} or a dashboard variable's query is in a scrape of {@code /observe/metrics}, with every label that a
 * selector matches on (other than {@code job} and {@code instance}, which Prometheus adds). A metric renamed in the
 * Java code, or a typo in a rule, fails here naming the metric and the place that uses it; promtool's unit tests
 * (.ci/promtool.sh) cannot see that, they feed the rules series of their own.
 */
class MonitoringNamesTest {

    static final Path RULES = Path.of("ops/prometheus/rcs-alerts.yml");
    static final Path DASHBOARD = Path.of("ops/grafana/rcs-callback-router.json");
    /** Target labels: Prometheus adds them to every series it scrapes, the router does not export them. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    @Test
    void everyMetricThatARuleOrAPanelNamesIsInTheScrapeOfARunningRouter() throws Exception {
        Map<String, Use> used = new TreeMap<>();
        collectRules(used);
        collectDashboard(used);
        // the files were read: the names the alerts and the panels stand on are among those collected
        assertThat(used).containsKeys("rcs_ready", "rcs_queue_depth", "rcs_crm_circuit_open",
                "rcs_http_responses_total", "rcs_backlog_held_events", "rcs_backlog_limit_events",
                "rcs_routed_total", "rcs_crm_requests_total", "rcs_dead_letters_total",
                "rcs_ingress_store_seconds", "rcs_dispatch_batch_seconds");

        WireMockServer crm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        crm.start();
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(10).willReturn(aResponse().withStatus(200)));
        // a refusal: the request is dead-lettered at once, so rcs_dead_letters_total exists
        crm.stubFor(post(urlEqualTo("/crm")).atPriority(1).withRequestBody(containing("reject-me"))
                .willReturn(aResponse().withStatus(422)));
        int managementPort = RouterHarness.freePort();
        try (RouterHarness router = RouterHarness.start(Map.of(
                "rcs.management.port", String.valueOf(managementPort),
                "rcs.metrics.queue-depth-interval-seconds", "1",
                "rcs.crm.url", crm.baseUrl() + "/crm",
                // every copy reaches dispatch, which counts the repeat (rcs_dispatch_repeats_total)
                "rcs.ingress.duplicate-check", "off"))) {
            Instant t = Instant.parse("2026-04-20T09:00:00Z");
            router.postJson(Callbacks.text("mon-1", "19785580001", "Hello"));
            router.postJson(Callbacks.text("mon-1", "19785580001", "Hello"));
            router.postJson(Callbacks.text("mon-2", "19785580002", "STOP", t));
            router.postJson(Callbacks.text("mon-3", "19785580003", "reject-me please"));
            router.postJson(Callbacks.deliveryReport("mon-4", "19785580004"));
            router.postJson("{not json");

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(problems(used, scrape(managementPort)))
                            .as("metrics that %s or %s use, missing from /observe/metrics", RULES, DASHBOARD)
                            .isEmpty());
        } finally {
            crm.stop();
        }
    }

    @Test
    void aRenamedMetricOrLabelIsNamedWithWhereItIsUsed() {
        String scrape = """
                # HELP rcs_queue_depth Messages waiting on the queue
                # TYPE rcs_queue_depth gauge
                rcs_queue_depth{queue="rcs.inbound"} 0.0
                rcs_ready 1.0
                """;
        Map<String, Use> used = new TreeMap<>();
        use(used, "rcs_queue_depth{queue=~\".*dlq\"} > 0 and rcs_ready == 1", "rule A");
        assertThat(problems(used, scrape)).isEmpty();

        use(used, "rcs_queue_depths{queue=\"x\"} > 0", "rule B");
        use(used, "rcs_queue_depth{queues=\"x\", job=\"rcs\"}", "panel C");
        assertThat(problems(used, scrape)).containsExactly(
                "rcs_queue_depth: no series with label queues (used by panel C)",
                "rcs_queue_depths: no such metric (used by rule B)");
    }

    @Test
    void metricNamesAreReadOutOfPromQl() {
        assertThat(selectors("sum by (job, instance) (increase(rcs_http_responses_total{status=\"503\"}[5m])) > 0"))
                .isEqualTo(Map.of("rcs_http_responses_total", Set.of("status")));
        assertThat(selectors("rcs_backlog_limit_events > 0 and rcs_backlog_held_events > 0.8 * rcs_backlog_limit_events"))
                .isEqualTo(Map.of("rcs_backlog_limit_events", Set.of(), "rcs_backlog_held_events", Set.of()));
        assertThat(selectors("sum by (instance) (rate(x_sum{job=~\"$job\", a=\"}{\"}[$__rate_interval]))"
                + " / ignoring(le) group_left(route) min_over_time(y_total[5m] offset 1h) unless on(q) z"))
                .isEqualTo(Map.of("x_sum", Set.of("job", "a"), "y_total", Set.of(), "z", Set.of()));
        assertThat(selectors("label_values(rcs_ready{job=~\"$job\"}, instance)"))
                .isEqualTo(Map.of("rcs_ready", Set.of("job")));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A metric as the rules and the dashboard use it: where, and the labels their selectors match on (and where). */
    record Use(Set<String> places, Map<String, Set<String>> labels) {
        Use() {
            this(new TreeSet<>(), new TreeMap<>());
        }
    }

    static void collectRules(Map<String, Use> used) throws Exception {
        JsonNode rules = YamlTree.parse(RULES);
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String name = rule.has("alert") ? "alert " + rule.get("alert").asString()
                        : "record " + rule.get("record").asString();
                use(used, rule.get("expr").asString(), RULES.getFileName() + " " + name);
            }
        }
    }

    static void collectDashboard(Map<String, Use> used) throws Exception {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        List<JsonNode> panels = new ArrayList<>();
        dashboard.get("panels").forEach(panels::add);
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.has("expr")) {
                    use(used, target.get("expr").asString(),
                            DASHBOARD.getFileName() + " panel \"" + panel.get("title").asString() + "\"");
                }
            }
            panel.path("panels").forEach(panels::add); // a collapsed row keeps its panels inside
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asString() : query.asString();
            if ("query".equals(variable.path("type").asString()) && !text.isBlank()) {
                use(used, text, DASHBOARD.getFileName() + " variable $" + variable.get("name").asString());
            }
        }
    }

    static void use(Map<String, Use> used, String promql, String place) {
        selectors(promql).forEach((metric, labels) -> {
            Use u = used.computeIfAbsent(metric, m -> new Use());
            u.places().add(place);
            labels.forEach(l -> u.labels().computeIfAbsent(l, k -> new TreeSet<>()).add(place));
        });
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

    /** The metric names a PromQL expression (or a Grafana label_values query) selects, with its matchers' labels. */
    static Map<String, Set<String>> selectors(String promql) {
        Map<String, Set<String>> found = new TreeMap<>();
        String expr = STRING.matcher(promql).replaceAll("\"\"");
        Matcher label = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$")
                .matcher(expr);
        if (label.matches()) {
            expr = label.group(1);
        }
        Matcher s = SELECTOR.matcher(expr);
        while (s.find()) {
            if (s.group(1) != null && !KEYWORDS.contains(s.group(1))) {
                Set<String> labels = found.computeIfAbsent(s.group(1), k -> new TreeSet<>());
                Matcher m = MATCHER.matcher(s.group(2));
                while (m.find()) {
                    labels.add(m.group(1));
                }
            }
        }
        expr = SELECTOR.matcher(expr).replaceAll(r -> r.group(1) == null ? " " : r.group(1) + " ");
        expr = expr.replaceAll("\\[[^]]*]", " ");
        expr = GROUPING.matcher(expr).replaceAll(" ");
        expr = expr.replaceAll("\\boffset\\s+\\S+", " ");
        Matcher id = IDENTIFIER.matcher(expr);
        while (id.find()) {
            boolean function = id.group(2) != null;
            if (!function && !KEYWORDS.contains(id.group(1))) {
                found.computeIfAbsent(id.group(1), k -> new TreeSet<>());
            }
        }
        return found;
    }

    /** What the rules and the dashboard use that the scrape does not have, one line each. */
    static List<String> problems(Map<String, Use> used, String scrape) {
        Map<String, Set<String>> exported = new TreeMap<>();
        Pattern labelName = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            if (end < 0) {
                end = line.indexOf(' ');
            }
            Set<String> labels = exported.computeIfAbsent(line.substring(0, end), k -> new TreeSet<>());
            if (line.charAt(end) == '{') {
                Matcher m = labelName.matcher(line.substring(end, line.lastIndexOf('}')));
                while (m.find()) {
                    labels.add(m.group(1));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        used.forEach((metric, use) -> {
            if (!exported.containsKey(metric)) {
                problems.add(metric + ": no such metric (used by " + String.join(", ", use.places()) + ")");
                return;
            }
            use.labels().forEach((l, places) -> {
                if (!TARGET_LABELS.contains(l) && !exported.get(metric).contains(l)) {
                    problems.add(metric + ": no series with label " + l + " (used by " + String.join(", ", places)
                            + ")");
                }
            });
        });
        return problems;
    }

    static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
