package io.rcsrouter.engine;

import java.util.Map;

import javax.sql.DataSource;

import jakarta.jms.ConnectionFactory;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The engine as a Camel component, {@code rcs:}, so that the routes show where it works:
 * <ul>
 *   <li>{@code rcs:ingress:PROVIDER}: the callback request is authenticated, checked, stored durably on the inbound
 *       queue and answered ({@link IngressEndpoint});</li>
 *   <li>{@code rcs:dispatch:QUEUE}: batches of stored callbacks, each batch one exchange and one transaction
 *       ({@link DispatchEndpoint});</li>
 *   <li>{@code rcs:queue:QUEUE}: in a destination route, the batch's events (or the messages made from them) go to
 *       a queue, in the batch's transaction ({@link QueueEndpoint}).</li>
 * </ul>
 * The broker connection factory, the database and the pieces each endpoint delegates to are set up in Java
 * ({@code io.rcsrouter.infra.InfraConfiguration}).
 */
public final class RcsComponent extends DefaultComponent {

    private ConnectionFactory connectionFactory;
    private DataSource dataSource;
    private EngineMetrics metrics;
    private Map<String, CallbackIngress> ingresses = Map.of();
    private DispatchSettings dispatchSettings;
    private Map<String, EventReader> readers = Map.of();
    private io.rcsrouter.classify.KeywordClassifier classifier;
    private AuditStatusWriter auditDelivered;
    private java.util.function.BooleanSupplier roomToWrite = () -> true;

    /** Whether the stores may grow; dispatch takes no batch while this is false (see DataFolderSpace). */
    public void setRoomToWrite(java.util.function.BooleanSupplier roomToWrite) {
        this.roomToWrite = roomToWrite;
    }

    public boolean roomToWrite() {
        return roomToWrite.getAsBoolean();
    }

    public void setAuditDelivered(AuditStatusWriter writer) {
        this.auditDelivered = writer;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int colon = remaining.indexOf(':');
        if (colon <= 0 || colon == remaining.length() - 1) {
            throw new IllegalArgumentException("expected rcs:ingress:PROVIDER, rcs:dispatch:QUEUE or rcs:queue:QUEUE,"
                    + " not " + uri);
        }
        String kind = remaining.substring(0, colon);
        String name = remaining.substring(colon + 1);
        Endpoint endpoint = switch (kind) {
            case "ingress" -> {
                CallbackIngress ingress = ingresses.get(name);
                if (ingress == null) {
                    throw new IllegalArgumentException("no ingress for provider '" + name + "' (known: "
                            + ingresses.keySet() + ")");
                }
                yield new IngressEndpoint(uri, this, ingress);
            }
            case "dispatch" -> new DispatchEndpoint(uri, this, name);
            case "queue" -> new QueueEndpoint(uri, this, name);
            case "audit" -> {
                if (!name.equals("delivered") || auditDelivered == null) {
                    throw new IllegalArgumentException("expected rcs:audit:delivered, not " + uri);
                }
                yield new AuditEndpoint(uri, this, auditDelivered, 30_000);
            }
            default -> throw new IllegalArgumentException("unknown rcs endpoint kind '" + kind + "' in " + uri);
        };
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public ConnectionFactory getConnectionFactory() {
        return connectionFactory;
    }

    public void setConnectionFactory(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    public DataSource getDataSource() {
        return dataSource;
    }

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public EngineMetrics getMetrics() {
        return metrics;
    }

    public void setMetrics(EngineMetrics metrics) {
        this.metrics = metrics;
    }

    public void setIngresses(Map<String, CallbackIngress> ingresses) {
        this.ingresses = Map.copyOf(ingresses);
    }

    /** How each provider's stored callbacks are read back (by provider name, e.g. kaleyra). */
    public Map<String, EventReader> readers() {
        return readers;
    }

    public void setReaders(Map<String, EventReader> readers) {
        this.readers = Map.copyOf(readers);
    }

    public io.rcsrouter.classify.KeywordClassifier getClassifier() {
        return classifier;
    }

    public void setClassifier(io.rcsrouter.classify.KeywordClassifier classifier) {
        this.classifier = classifier;
    }

    public DispatchSettings getDispatchSettings() {
        return dispatchSettings;
    }

    public void setDispatchSettings(DispatchSettings dispatchSettings) {
        this.dispatchSettings = dispatchSettings;
    }
}
