package io.rcsrouter.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.jms.ConnectionFactory;

import io.rcsrouter.crm.CrmCircuit;
import io.vertx.core.VertxOptions;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsHeaderFilterStrategy;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.spi.PropertiesComponent;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings up what the routes stand on, before any route starts: the broker (embedded, or the one
 * {@code RCS_BROKER_URL} names), the JMS connection factory the {@code jms} component uses, and the database with
 * its migrations. Everything is registered as a Camel service, so it stops after the routes have drained, in reverse
 * order: database, connection factory, broker.
 *
 * <p>Registry names: {@code dataSource} (dispatch, the audit, the consent ledger), {@code ingressDataSource} (a
 * small pool that gives up fast, for the one question on the callback path), {@code jmsConnectionFactory} (pooled,
 * for the {@code jms} component of the CRM forwarder and a team's own routes), {@code brokerConnectionFactory}
 * (the engine's own sessions), {@code database}, {@code backlogLimit}. {@link EngineConfiguration} builds the engine
 * on top of them.
 */
public class InfraConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(InfraConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        // camel-sql binds parameters with Spring's StatementCreatorUtils, which asks the driver for the type of every
        // NULL parameter: on PostgreSQL a round trip per statement. A NULL is a NULL to both databases here.
        System.setProperty("spring.jdbc.getParameterType.ignore", "true");
        // the audit's batch statements bind their named parameters from a plan parsed once (see the class)
        context.getRegistry().bind("parsedNamedParameters", new ParsedNamedParameters());
        PropertiesComponent props = context.getPropertiesComponent();
        if (Boolean.parseBoolean(props.resolveProperty("rcs.tracing.enabled").orElse("false"))) {
            Tracing.install();
        }
        PortCheck.requireFree("RCS_HTTP_PORT", required(props, "rcs.http.host"),
                Integer.parseInt(required(props, "rcs.http.port")));
        PortCheck.requireFree("RCS_MANAGEMENT_PORT", required(props, "rcs.management.host"),
                Integer.parseInt(required(props, "rcs.management.port")));
        Path dataDir = Path.of(required(props, "rcs.data.dir"));
        Files.createDirectories(dataDir);

        ConnectionFactory brokerFactory = startBroker(context, props, dataDir);
        JmsPoolConnectionFactory pooled = new JmsPoolConnectionFactory();
        pooled.setConnectionFactory(brokerFactory);
        pooled.setMaxConnections(Integer.parseInt(required(props, "rcs.broker.pool.max-connections")));
        pooled.setMaxSessionsPerConnection(Integer.parseInt(required(props, "rcs.broker.pool.max-sessions")));
        pooled.setConnectionIdleTimeout(0);
        context.addService(new Closer("jms-pool", pooled::stop), true, false);
        context.getRegistry().bind("jmsConnectionFactory", pooled);
        context.getRegistry().bind(BrokerProbe.BEAN_NAME, new BrokerProbe(brokerFactory));
        // the engine's own sessions (ingress store, dispatch): plain connections, one per thread, no pool
        context.getRegistry().bind("brokerConnectionFactory", brokerFactory);

        // the pooled factory is the one the component uses: say so, rather than let autowiring pick one
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(pooled);
        // the subscriber's number stays in the body: as a JMS property it would show in broker consoles and in
        // the listener's logs (the compliance queues carry it as "msisdn", as their contract asks)
        JmsHeaderFilterStrategy headers = new JmsHeaderFilterStrategy();
        headers.getOutFilter().add("rcsMsisdn");
        jms.setHeaderFilterStrategy(headers);
        context.addComponent("jms", jms);

        // Each callback holds a Vert.x worker thread while its durable send waits for the broker's disk sync:
        // the pool size, not the CPU, caps the callbacks in flight (Vert.x's default is 20)
        context.getRegistry().bind("vertxOptions", new VertxOptions()
                .setWorkerPoolSize(Integer.parseInt(required(props, "rcs.http.worker-threads"))));

        // a Vert.x step before every platform-http route, see RawFormBody
        VertxPlatformHttpEngine httpEngine = new VertxPlatformHttpEngine();
        httpEngine.setHandlers(List.of(RawFormBody.handler()));
        context.getRegistry().bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, httpEngine);

        String dbUrl = props.resolveProperty("rcs.db.url").orElse("").strip();
        if (dbUrl.isEmpty()) {
            // H2 wants an absolute path (or one starting with "./"); lower-case names like PostgreSQL's.
            // Every commit is written to the file before it returns (H2WriteThrough: a CHECKPOINT after it), while
            // H2's background writer, which compacts the file, runs as by default (WRITE_DELAY=500). On its own that
            // default writes committed transactions up to 500 ms later, while the broker's commit is on disk at once:
            // a crash in between kept the routing and lost its audit row and consent verdict (EmbeddedKillIT).
            dbUrl = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("rcs")
                    + ";DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
        }
        Database database = new Database(
                dbUrl,
                props.resolveProperty("rcs.db.user").orElse(null),
                props.resolveProperty("rcs.db.password").orElse(null),
                Integer.parseInt(required(props, "rcs.db.pool-size")),
                Duration.ofSeconds(Long.parseLong(required(props, "rcs.db.startup-wait-seconds"))));
        database.start(); // migrations done before any route can touch a table
        context.addService(database, true, false);
        context.getRegistry().bind("dataSource", database.dataSource());
        context.getRegistry().bind("database", database);
        context.getRegistry().bind("ingressDataSource", database.fastDataSource());

        // Prometheus gauges: queue depths and the CRM circuit (the circuit bean comes from EngineConfiguration)
        List<String> queues = List.of("rcs.queue.inbound", "rcs.queue.optout", "rcs.queue.optin", "rcs.queue.crm",
                "rcs.queue.crm-dlq", "rcs.queue.delivery", "rcs.queue.unrouted", "rcs.queue.dispatch-dlq").stream()
                .map(key -> required(props, key)).toList();
        QueueDepthGauges gauges = new QueueDepthGauges(context, brokerFactory, queues,
                Long.parseLong(required(props, "rcs.metrics.queue-depth-interval-seconds")), () -> {
                    CrmCircuit circuit = context.getRegistry().lookupByNameAndType("crmCircuit", CrmCircuit.class);
                    return circuit == null ? "CLOSED" : circuit.state();
                });
        context.addService(gauges, true, false);
        context.getRegistry().bind("queueDepthGauges", gauges);
        // ingress answers 503 while the broker holds this many unconsumed events (what bounds the heap, see the class)
        BacklogLimit backlogLimit = new BacklogLimit(
                Long.parseLong(required(props, "rcs.broker.max-held-events")), gauges::heldEvents);
        context.getRegistry().bind(BacklogLimit.BEAN_NAME, backlogLimit);
        // readiness and the backlog against its limit as gauges too (rcs_ready, rcs_backlog_*), for the alerts
        context.addService(new ReadinessGauges(context, backlogLimit,
                Long.parseLong(required(props, "rcs.metrics.queue-depth-interval-seconds"))), true, false);
        if (context.getRegistry().lookupByName("embeddedBroker") != null) {
            BacklogLimit.heapWarning(backlogLimit.maxHeldEvents(), Runtime.getRuntime().maxMemory())
                    .ifPresent(LOG::warn);
        }

        // readiness: DOWN while the broker or the database cannot be reached, or the backlog is at its limit
        HealthCheckRegistry health = HealthCheckHelper.getHealthCheckRegistry(context);
        BrokerProbe brokerProbe = context.getRegistry().lookupByNameAndType(BrokerProbe.BEAN_NAME, BrokerProbe.class);
        health.register(new DependencyHealthCheck("broker", brokerProbe::check));
        health.register(new DependencyHealthCheck("database", database::check));
        health.register(new DependencyHealthCheck("backlog", backlogLimit::probe));

        // the embedded journal and the H2 file keep a reserve of free space: below it ingress answers 503, dispatch
        // waits and readiness is DOWN (DataFolderSpace); with both stores elsewhere there is nothing to protect
        boolean localStores = context.getRegistry().lookupByName("embeddedBroker") != null
                || dbUrl.startsWith("jdbc:h2:file:");
        long minFreeBytes = Long.parseLong(required(props, "rcs.data.min-free-bytes"));
        DataFolderSpace space = localStores ? DataFolderSpace.of(dataDir, minFreeBytes) : DataFolderSpace.off(dataDir);
        context.getRegistry().bind(DataFolderSpace.BEAN_NAME, space);
        health.register(new DependencyHealthCheck("storage", space::probe));
    }

    private ConnectionFactory startBroker(CamelContext context, PropertiesComponent props, Path dataDir)
            throws Exception {
        String url = props.resolveProperty("rcs.broker.url").orElse("").strip();
        String user = props.resolveProperty("rcs.broker.user").orElse("");
        String password = props.resolveProperty("rcs.broker.password").orElse("");
        if (url.isEmpty()) {
            EmbeddedBroker broker = new EmbeddedBroker(dataDir.resolve("artemis"),
                    Long.parseLong(required(props, "rcs.broker.embedded.global-max-bytes")),
                    Long.parseLong(required(props, "rcs.broker.embedded.max-address-bytes")),
                    props.resolveProperty("rcs.broker.embedded.tcp-acceptor").orElse(""),
                    Long.parseLong(required(props, "rcs.broker.embedded.redelivery-delay-ms")),
                    Boolean.parseBoolean(required(props, "rcs.broker.embedded.journal-datasync")),
                    Integer.parseInt(required(props, "rcs.broker.embedded.journal-buffer-timeout-us")));
            broker.start();
            context.addService(broker, true, false);
            context.getRegistry().bind("embeddedBroker", broker);
            url = broker.inVmUrl();
        } else {
            LOG.info("Using the Artemis broker at {}", url.replaceAll("(?i)password=[^&]*", "password=***"));
        }
        ActiveMQConnectionFactory factory = user.isBlank()
                ? new ActiveMQConnectionFactory(url)
                : new ActiveMQConnectionFactory(url, user, password);
        // Every send resolves its queue by name; without this cache each resolution is a round trip to the broker
        // (a queue query and an address query per message), which costs more than the send itself.
        if (!url.contains("cacheDestinations")) {
            factory.setCacheDestinations(true);
        }
        // A broker that hangs (not down: frozen, or a network that drops packets) would block a callback for the
        // client's default 30 s before the 503. Unless the URL says otherwise, give up sooner.
        if (!url.contains("callTimeout")) {
            factory.setCallTimeout(Long.parseLong(required(props, "rcs.broker.call-timeout-ms")));
        }
        return factory;
    }

    public static String required(PropertiesComponent props, String key) {
        return props.resolveProperty(key)
                .filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalStateException("Missing setting " + key + " (environment variable "
                        + key.toUpperCase().replace('.', '_').replace('-', '_') + ")"));
    }
}
