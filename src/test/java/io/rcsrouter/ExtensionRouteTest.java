package io.rcsrouter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.Samples;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The downstream queues are the extension points (README, "Your own route on a queue"): README's example route,
 * {@code examples/routes/delivery-webhook.camel.yaml}, dropped into the routes folder of a running router, starts on
 * its own and carries every delivery report from rcs.delivery to the team's HTTP service, the report as received;
 * a report the service refuses stays on the queue and arrives once the service is back.
 */
class ExtensionRouteTest {

    @Test
    void aTeamRouteDroppedIntoTheRoutesFolderForwardsDeliveryReports() throws Exception {
        WireMockServer status = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        status.start();
        Path routes = Files.createTempDirectory("rcs-routes");
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (RouterHarness router = RouterHarness.start(Map.of(
                "rcs.routes.dir", routes.toString(),
                "rcs.routes.reload", "true",
                "rcs.broker.embedded.redelivery-delay-ms", "100",
                "delivery-webhook.url", status.baseUrl() + "/status"))) {
            status.stubFor(post(urlEqualTo("/status")).willReturn(aResponse().withStatus(503)));
            assertThat(router.context().getRoute("delivery-webhook")).as("not there before the file").isNull();

            Files.copy(Path.of("examples/routes/delivery-webhook.camel.yaml"),
                    routes.resolve("delivery-webhook.camel.yaml"));
            await().atMost(Duration.ofSeconds(30)).until(() -> router.context().getRoute("delivery-webhook") != null
                    && router.context().getRouteController().getRouteStatus("delivery-webhook") == ServiceStatus.Started);

            String report = Samples.read("dr/02-delivered.json");
            assertThat(router.postJson(report).statusCode()).isEqualTo(200);
            // the service is down: the report is tried, refused, and stays on rcs.delivery
            await().atMost(Duration.ofSeconds(10)).until(() -> status.getAllServeEvents().size() >= 2);

            status.resetAll();
            status.stubFor(post(urlEqualTo("/status")).willReturn(aResponse().withStatus(204)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> status.verify(1, postRequestedFor(urlEqualTo("/status"))
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withRequestBody(containing("\"DELIVERED\""))));
            String sent = status.getAllServeEvents().get(0).getRequest().getBodyAsString();
            assertThat(sent).as("the report as Kaleyra sent it").isEqualTo(report);
            assertThat(status.getAllServeEvents().get(0).getRequest().getAllHeaderKeys())
                    .as("no JMS property leaks out as an HTTP header").noneMatch(h -> h.startsWith("JMS")
                            || h.toLowerCase().startsWith("rcs"));
            assertThat(router.drainNow("rcs.delivery")).as("taken off the queue once delivered").isEmpty();
        } finally {
            status.stop();
        }
    }
}
