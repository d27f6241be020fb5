package io.rcsrouter.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.jms.ConnectionFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.rcsrouter.admin.AdminApi;
import io.rcsrouter.admin.AdminRoutes;
import io.rcsrouter.admin.DeadLetterReplay;
import io.rcsrouter.auth.CallbackAuthenticator;
import io.rcsrouter.auth.FailedAuthLimiter;
import io.rcsrouter.auth.RequestCheck;
import io.rcsrouter.auth.TokenRoute;
import io.rcsrouter.auth.UnauthorizedException;
import io.rcsrouter.classify.KeywordClassifier;
import io.rcsrouter.consent.ConsentLedger;
import io.rcsrouter.crm.CrmCircuit;
import io.rcsrouter.crm.CrmMapping;
import io.rcsrouter.crm.WebhookSigner;
import io.rcsrouter.engine.CallbackIngress;
import io.rcsrouter.engine.Destinations;
import io.rcsrouter.engine.DispatchProgress;
import io.rcsrouter.engine.DispatchSettings;
import io.rcsrouter.engine.EngineMetrics;
import io.rcsrouter.engine.EventReader;
import io.rcsrouter.engine.InboundStore;
import io.rcsrouter.engine.OversizedBodyRefusal;
import io.rcsrouter.engine.RcsComponent;
import io.rcsrouter.engine.RejectionLog;
import io.rcsrouter.engine.RepeatCheck;
import io.rcsrouter.engine.RoutingTable;
import io.rcsrouter.provider.InfobipFormat;
import io.rcsrouter.provider.KaleyraFormat;
import io.rcsrouter.provider.ProviderFormat;
import io.rcsrouter.provider.RbmFormat;
import io.rcsrouter.provider.RbmSignature;
import io.rcsrouter.provider.SinchFormat;
import io.rcsrouter.provider.SinchSignature;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.rcsrouter.infra.InfraConfiguration.required;

/**
 * The engine, on top of what {@link InfraConfiguration} brought up: the {@code rcs} component and everything behind
 * it (the durable inbound store, each provider's ingress, the dispatch settings), the routing table of
 * {@code routes/routing-table.yaml} (reloaded when it is saved, with the routes), and the beans the routes call by
 * name:
 * <ul>
 *   <li>{@code routingTable}, {@code destinations}: the dispatch route's decision and the call of each destination
 *       route;</li>
 *   <li>{@code consentLedger} (compliance.camel.yaml), {@code crmMapping}, {@code crmCircuit}, {@code webhookSigner}
 *       (crm.camel.yaml), {@code engineMetrics};</li>
 *   <li>{@code callbackAuth}, {@code failedAuthLimiter}, {@code adminApi}, {@code deadLetterReplay}: the admin API and
 *       the token endpoint, Java routes ({@link AdminRoutes}, {@link TokenRoute}).</li>
 * </ul>
 */
public class EngineConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EngineConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent props = context.getPropertiesComponent();
        DataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        ConnectionFactory broker = context.getRegistry().lookupByNameAndType("brokerConnectionFactory",
                ConnectionFactory.class);
        BacklogLimit backlog = context.getRegistry().lookupByNameAndType(BacklogLimit.BEAN_NAME, BacklogLimit.class);
        DataFolderSpace space = context.getRegistry().lookupByNameAndType(DataFolderSpace.BEAN_NAME,
                DataFolderSpace.class);

        io.rcsrouter.engine.EngineTracing.enable(Boolean.parseBoolean(
                props.resolveProperty("rcs.tracing.enabled").orElse("false")));
        EngineMetrics metrics = new EngineMetrics(() -> context.getRegistry().findSingleByType(MeterRegistry.class));
        context.getRegistry().bind("engineMetrics", metrics);

        // ---- the beans of the team's routes ------------------------------------------------------------------------
        KeywordClassifier classifier = KeywordClassifier.fromFile(required(props, "rcs.keywords.file"));
        context.getRegistry().bind("keywordClassifier", classifier);
        ConsentLedger ledger = new ConsentLedger(dataSource, props.resolveProperty("rcs.consent.scopes").orElse(""));
        context.getRegistry().bind("consentLedger", ledger);
        context.getRegistry().bind("crmMapping", CrmMapping.fromFile(required(props, "rcs.crm.mapping-file")));
        context.getRegistry().bind("crmRequeue", new io.rcsrouter.crm.CrmRequeue(
                Integer.parseInt(required(props, "rcs.crm.requeue-after-deliveries"))));
        CrmCircuit circuit = new CrmCircuit(
                Integer.parseInt(required(props, "rcs.crm.circuit.failure-rate-percent")),
                Integer.parseInt(required(props, "rcs.crm.circuit.minimum-calls")),
                Integer.parseInt(required(props, "rcs.crm.circuit.window-size")),
                Integer.parseInt(required(props, "rcs.crm.circuit.open-seconds")));
        context.getRegistry().bind("crmCircuit", circuit);
        context.getRegistry().bind("crmRetry", new io.rcsrouter.crm.CrmRetry(
                Integer.parseInt(required(props, "rcs.crm.max-retries")),
                Long.parseLong(required(props, "rcs.crm.retry-delay-ms")),
                Long.parseLong(required(props, "rcs.crm.retry-max-delay-ms")), circuit));
        context.getRegistry().bind("webhookSigner",
                new WebhookSigner(props.resolveProperty("rcs.crm.signing-secret").orElse("")));
        context.getRegistry().bind("headerFilter", new HeaderFilter());
        context.getRegistry().bind("crmOutcome", new io.rcsrouter.crm.CrmOutcome());
        context.getRegistry().bind("auditClaims", new io.rcsrouter.engine.AuditClaims());

        // ---- the routing table -------------------------------------------------------------------------------------
        Path tableFile = Path.of(required(props, "rcs.routing-table.file"));
        RoutingTable table = RoutingTable.load(context, tableFile);
        context.getRegistry().bind("routingTable", table);
        context.getRegistry().bind("destinations", new Destinations(context));
        if (Boolean.parseBoolean(required(props, "rcs.routes.reload"))) {
            watch(context, table);
        }

        // ---- authentication ----------------------------------------------------------------------------------------
        CallbackAuthenticator auth = new CallbackAuthenticator();
        auth.setMode(required(props, "rcs.auth.mode"));
        auth.setListenHost(required(props, "rcs.http.host"));
        auth.setHeaderName(props.resolveProperty("rcs.auth.header-name").orElse(""));
        auth.setHeaderValue(props.resolveProperty("rcs.auth.header-value").orElse(""));
        auth.setBasicUser(props.resolveProperty("rcs.auth.basic-user").orElse(""));
        auth.setBasicPassword(props.resolveProperty("rcs.auth.basic-password").orElse(""));
        auth.setClientId(props.resolveProperty("rcs.auth.client-id").orElse(""));
        auth.setClientSecret(props.resolveProperty("rcs.auth.client-secret").orElse(""));
        auth.setTokenSigningSecret(props.resolveProperty("rcs.auth.token-signing-secret").orElse(""));
        auth.setTokenLifetimeSeconds(Long.parseLong(required(props, "rcs.auth.token-lifetime-seconds")));
        auth.init();
        context.getRegistry().bind("callbackAuth", auth);
        FailedAuthLimiter limiter = new FailedAuthLimiter(
                Integer.parseInt(required(props, "rcs.auth.max-failures")),
                Long.parseLong(required(props, "rcs.auth.failure-window-seconds")),
                props.resolveProperty("rcs.auth.client-ip-header").orElse(""));
        context.getRegistry().bind("failedAuthLimiter", limiter);

        // ---- ingress: the durable store and each provider's callback path ------------------------------------------
        RepeatCheck repeats = RepeatCheck.of(required(props, "rcs.ingress.duplicate-check"),
                context.createProducerTemplate(),
                Long.parseLong(required(props, "rcs.ingress.duplicate-check-timeout-ms")),
                Integer.parseInt(required(props, "rcs.ingress.duplicate-memory-keys")));
        InboundStore store = new InboundStore(broker, required(props, "rcs.queue.inbound"),
                Integer.parseInt(required(props, "rcs.ingress.writers")),
                Integer.parseInt(required(props, "rcs.ingress.max-batch")),
                Integer.parseInt(required(props, "rcs.ingress.max-waiting")), repeats, metrics);
        context.addService(store, true, false);
        RejectionLog rejections = new RejectionLog(context.createProducerTemplate(), 2_000);
        // every provider's stored events can be read back, enabled or not (a provider switched off after its
        // callbacks were stored still has them dispatched); a disabled provider's route does not start (404)
        Map<String, ProviderFormat> formats = new LinkedHashMap<>();
        for (ProviderFormat f : List.of(new KaleyraFormat(), new RbmFormat(), new SinchFormat(), new InfobipFormat())) {
            formats.put(f.provider(), f);
        }
        Map<String, EventReader> readers = new LinkedHashMap<>();
        formats.values().forEach(f -> readers.put(f.provider(), f::read));
        Map<String, RequestCheck> checks = new LinkedHashMap<>();
        checks.put("kaleyra", auth);
        checks.put("rbm", enabled(props, "rbm")
                ? new RbmSignature(props.resolveProperty("rcs.rbm.client-token").orElse("")) : disabled("rbm"));
        checks.put("sinch", enabled(props, "sinch")
                ? new SinchSignature(props.resolveProperty("rcs.sinch.webhook-secret").orElse(""),
                        Long.parseLong(required(props, "rcs.sinch.max-age-seconds")), java.time.Clock.systemUTC())
                : disabled("sinch"));
        checks.put("infobip", enabled(props, "infobip") ? infobipAuth(props) : disabled("infobip"));
        Map<String, CallbackIngress> ingresses = new LinkedHashMap<>();
        for (ProviderFormat f : formats.values()) {
            String name = f.provider();
            ingresses.put(name, new CallbackIngress(f, "kaleyra".equals(name) ? "ingress" : "ingress-" + name,
                    checks.get(name), limiter, Long.parseLong(required(props, "infobip".equals(name)
                            ? "rcs.infobip.max-body-bytes" : "rcs.http.max-body-bytes")), backlog,
                    space, store, Long.parseLong(required(props, "rcs.broker.call-timeout-ms")), rejections, metrics));
        }

        // readiness: DOWN while events wait and dispatch commits nothing (whatever the cause)
        QueueDepthGauges depths = context.getRegistry().lookupByNameAndType("queueDepthGauges", QueueDepthGauges.class);
        String inbound = required(props, "rcs.queue.inbound");
        DispatchProgress progress = new DispatchProgress(inbound, () -> depths.depth(inbound),
                metrics::nanosSinceProgress, Long.parseLong(required(props, "rcs.dispatch.stall-seconds")));
        org.apache.camel.health.HealthCheckHelper.getHealthCheckRegistry(context)
                .register(new DependencyHealthCheck("dispatch", progress::check));

        // a body over the HTTP server's hard limit never reaches a route: the server fails the request with 413, and
        // this failure handler (on every path of the callback server, installed once it is up) answers and audits it
        Map<String, RequestCheck> headerChecks = new LinkedHashMap<>();
        headerChecks.put("/callbacks/rcs", auth);
        if (enabled(props, "infobip")) {
            headerChecks.put("/callbacks/infobip", checks.get("infobip"));
        }
        OversizedBodyRefusal oversized = new OversizedBodyRefusal(context, headerChecks, rejections, metrics,
                Long.parseLong(required(props, "rcs.http.max-body-bytes")),
                Long.parseLong(required(props, "rcs.http.hard-body-limit-bytes")));
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                callbackServer(started).route().failureHandler(oversized);
            }
        });

        // ---- the rcs component ---------------------------------------------------------------------------------
        RcsComponent rcs = new RcsComponent();
        rcs.setConnectionFactory(broker);
        rcs.setDataSource(dataSource);
        rcs.setMetrics(metrics);
        rcs.setClassifier(classifier);
        rcs.setIngresses(ingresses);
        rcs.setReaders(readers);
        rcs.setDispatchSettings(new DispatchSettings(
                Integer.parseInt(required(props, "rcs.dispatch.consumers")),
                Integer.parseInt(required(props, "rcs.dispatch.batch-size")),
                Integer.parseInt(required(props, "rcs.dispatch.max-deliveries")),
                required(props, "rcs.queue.dispatch-dlq"),
                Long.parseLong(required(props, "rcs.dispatch.batch-wait-ms"))));
        // below the data folder's reserve, dispatch takes no batch: its audit rows would grow the database
        rcs.setRoomToWrite(space::hasRoom);
        io.rcsrouter.engine.AuditStatusWriter delivered = new io.rcsrouter.engine.AuditStatusWriter(context, dataSource,
                "direct:audit-delivered");
        context.addService(delivered, true, false);
        rcs.setAuditDelivered(delivered);
        context.addComponent("rcs", rcs);

        // ---- the admin API and the token endpoint (Java routes) ----------------------------------------------------
        AdminApi admin = new AdminApi(dataSource, ledger, props.resolveProperty("rcs.admin.token").orElse(""),
                context);
        context.getRegistry().bind("adminApi", admin);
        ConnectionFactory raw = broker;
        DeadLetterReplay replay = new DeadLetterReplay(raw, context, Map.of(
                "crm", new DeadLetterReplay.Lane(required(props, "rcs.queue.crm-dlq"), required(props, "rcs.queue.crm")),
                "dispatch", new DeadLetterReplay.Lane(required(props, "rcs.queue.dispatch-dlq"),
                        required(props, "rcs.queue.inbound"))));
        context.getRegistry().bind("deadLetterReplay", replay);
        context.addRoutes(new AdminRoutes(admin, replay, limiter, metrics));
        context.addRoutes(new TokenRoute(auth, limiter, metrics));
    }

    /** Reloads the routing table when its file is saved (with the routes, RCS_ROUTES_RELOAD). */
    private static void watch(CamelContext context, RoutingTable table) throws Exception {
        Path file = table.file().toAbsolutePath().normalize();
        FileWatcherResourceReloadStrategy watcher = new FileWatcherResourceReloadStrategy(file.getParent().toString());
        watcher.setFileFilter(f -> f.getName().equals(file.getFileName().toString()));
        watcher.setResourceReload((name, resource) -> {
            try {
                table.reload(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                LOG.warn("Routing table {} NOT reloaded: {}", file, e.getMessage());
            }
        });
        watcher.setCamelContext(context);
        context.addService(watcher, true, false);
    }

    /** The Vert.x router of the callback server (not the management server's). */
    static VertxPlatformHttpRouter callbackServer(CamelContext context) {
        return context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer).findFirst()
                .orElseThrow(() -> new IllegalStateException("no platform-http server for the callbacks"));
    }

    private static boolean enabled(PropertiesComponent props, String provider) {
        return Boolean.parseBoolean(required(props, "rcs." + provider + ".enabled").strip());
    }

    /** The check of a provider that is switched off: its route does not start, so nothing reaches it. */
    private static RequestCheck disabled(String provider) {
        return (exchange, body) -> {
            throw new UnauthorizedException(provider + " callbacks are switched off (RCS_"
                    + provider.toUpperCase(java.util.Locale.ROOT) + "_ENABLED)");
        };
    }

    /** Infobip's webhook authentication: Basic or a header, as its subscription's security settings say. */
    private static RequestCheck infobipAuth(PropertiesComponent props) {
        String mode = required(props, "rcs.infobip.auth-mode").strip();
        if (!List.of("basic", "header", "none").contains(mode)) {
            throw new IllegalStateException("RCS_INFOBIP_AUTH_MODE must be basic, header or none, not " + mode);
        }
        CallbackAuthenticator a = new CallbackAuthenticator();
        a.setMode(mode);
        a.setListenHost(required(props, "rcs.http.host"));
        a.setHeaderName(props.resolveProperty("rcs.infobip.header-name").orElse(""));
        a.setHeaderValue(props.resolveProperty("rcs.infobip.header-value").orElse(""));
        a.setBasicUser(props.resolveProperty("rcs.infobip.basic-user").orElse(""));
        a.setBasicPassword(props.resolveProperty("rcs.infobip.basic-password").orElse(""));
        try {
            a.init();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Infobip: " + e.getMessage().replace("RCS_AUTH_", "RCS_INFOBIP_"), e);
        }
        return a;
    }
}
