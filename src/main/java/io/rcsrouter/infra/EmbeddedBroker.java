package io.rcsrouter.infra;

import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-machine default: an Artemis broker inside the router's JVM, persistent, with its journal under the
 * data directory. Clients reach it in-VM ({@link #inVmUrl()}); set {@code RCS_BROKER_URL} to use a real broker instead.
 *
 * <p>Queues page to disk once an address holds more than {@code maxAddressBytes} in memory, so a long CRM outage
 * fills the disk, not the heap.
 */
public final class EmbeddedBroker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    /** In-VM acceptor ids handed out in this JVM: each broker its own, so that two never share one. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_ID = new java.util.concurrent.atomic.AtomicInteger();

    private final Path dataDir;
    /** Size of one page file; also the unit of what a paged queue reads back into memory. */
    static final int PAGE_SIZE_BYTES = 1024 * 1024;

    private final long globalMaxBytes;
    private final long maxAddressBytes;
    private final String tcpAcceptor;
    private final long redeliveryDelayMs;
    private final boolean journalDatasync;
    private final int journalBufferTimeoutMicros;
    private final String inVmUrl = "vm://" + NEXT_ID.getAndIncrement();
    private EmbeddedActiveMQ server;

    /**
     * @param dataDir         the journal, bindings, paging and large-message folders go below it
     * @param globalMaxBytes  memory the broker may use for messages before paging, over all addresses
     * @param maxAddressBytes memory one address may use before it pages
     * @param tcpAcceptor     optional {@code tcp://host:port} acceptor for tools; null or blank for in-VM only
     * @param redeliveryDelayMs first delay before a rolled-back message is delivered again (doubling, up to 60 s)
     * @param journalDatasync   fsync each journal write (power-loss durable) or not (process-crash durable: the write
     *                          is in the operating system before the commit returns)
     * @param journalBufferTimeoutMicros how long the journal gathers writes before it writes them out
     */
    public EmbeddedBroker(Path dataDir, long globalMaxBytes, long maxAddressBytes, String tcpAcceptor,
            long redeliveryDelayMs, boolean journalDatasync, int journalBufferTimeoutMicros) {
        this.dataDir = dataDir;
        this.globalMaxBytes = globalMaxBytes;
        this.maxAddressBytes = maxAddressBytes;
        this.tcpAcceptor = tcpAcceptor;
        this.redeliveryDelayMs = redeliveryDelayMs;
        this.journalDatasync = journalDatasync;
        this.journalBufferTimeoutMicros = journalBufferTimeoutMicros;
    }

    @Override
    protected void doStart() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("rcs-embedded")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                // a commit returns once its journal record is written to the file (it survives the process);
                // with datasync also once the disk has it (it survives the machine): rcs.broker.embedded.journal-*
                .setJournalDatasync(journalDatasync)
                .setJournalBufferTimeout_NIO(journalBufferTimeoutMicros * 1000)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                .setGlobalMaxSize(globalMaxBytes)
                // no disk check of the broker's own: Artemis's default blocks every producer once the disk is 90%
                // used, whoever used it, and a broker below its min-disk-free starts paging, which a full disk fails,
                // and stops itself (seen in FullDiskIT's set-up). The router keeps the reserve (DataFolderSpace)
                .setMaxDiskUsage(-1)
                .setMinDiskFree(-1)
                // duplicate ids survive a restart, so a re-sent message after a crash is still recognised
                .setPersistIDCache(true)
                .setIDCacheSize(100_000)
                .addAcceptorConfiguration("in-vm", inVmUrl);
        if (tcpAcceptor != null && !tcpAcceptor.isBlank()) {
            config.addAcceptorConfiguration("tcp", tcpAcceptor + "?protocols=CORE");
        }
        config.addAddressSetting("#", new AddressSettings()
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxSizeBytes(maxAddressBytes)
                // what a paged queue holds in memory: the page file being written and what is read back from paging.
                // The defaults (10 MiB pages, 20 MiB read per queue) are sized for a broker with its own heap; here
                // the broker shares a 256 MiB heap with the router, and several queues (rcs.delivery, the
                // compliance queues) may grow while nobody consumes them
                .setPageSizeBytes(PAGE_SIZE_BYTES)
                .setMaxReadPageBytes(2 * PAGE_SIZE_BYTES)
                .setPrefetchPageBytes(PAGE_SIZE_BYTES)
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                // only a crash or a rollback makes the broker redeliver; the routes retry on their own
                .setRedeliveryDelay(redeliveryDelayMs)
                .setRedeliveryMultiplier(2)
                .setMaxRedeliveryDelay(60_000)
                // the routes decide when to give up (dispatch: rcs.dispatch.max-deliveries; the CRM forwarder
                // rolls back only while the CRM is down and must then wait as long as it takes)
                .setMaxDeliveryAttempts(-1)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoCreateDeadLetterResources(true));

        server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        LOG.info("Embedded Artemis broker started, journal under {}", dataDir.toAbsolutePath());
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
            LOG.info("Embedded Artemis broker stopped");
        }
    }

    /** The in-VM URL clients use to reach this broker. */
    public String inVmUrl() {
        return inVmUrl;
    }

    /** The running server, for tests and health checks; null when stopped. */
    public EmbeddedActiveMQ server() {
        return server;
    }
}
