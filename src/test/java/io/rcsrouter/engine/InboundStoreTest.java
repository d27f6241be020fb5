package io.rcsrouter.engine;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rcsrouter.infra.EmbeddedBroker;
import io.rcsrouter.support.Queues;
import io.rcsrouter.support.RouterHarness;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The durable store on a real (embedded) broker: many callbacks per commit, each answered only once the broker
 * has it; a repeat answered duplicate (memory check); nothing sent past its deadline; a broker that is gone fails
 * every request instead of answering it.
 */
class InboundStoreTest {

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void storesConcurrentCallbacksPersistentWithTheirPropertiesAndAnswersAfterTheCommit(@TempDir Path dir)
            throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(dir, 32 << 20, 8 << 20, "", 1000, false, 200);
        broker.start();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.inVmUrl());
        InboundStore store = new InboundStore(factory, "in", 2, 256, 1000,
                RepeatCheck.of("memory", null, 100, 1000), new EngineMetrics(new SimpleMeterRegistry()));
        store.start();
        try {
            List<CompletableFuture<InboundStore.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(store.store("{\"n\":" + i + "}", "kaleyra", "event:k" + i, "ingress-" + i,
                        Instant.parse("2026-04-20T09:00:00Z"), null, System.nanoTime() + 10 * SECOND));
            }
            for (CompletableFuture<InboundStore.Answer> a : answers) {
                assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(InboundStore.Answer.ACCEPTED);
            }
            // the same key again: stored as well (dispatch counts it), answered duplicate
            assertThat(store.store("{\"n\":0}", "kaleyra", "event:k0", "ingress-again", Instant.now(), null,
                    System.nanoTime() + 10 * SECOND).get(10, TimeUnit.SECONDS)).isEqualTo(InboundStore.Answer.DUPLICATE);

            List<RouterHarness.Received> stored = Queues.browse(factory, "in");
            assertThat(stored).hasSize(201).allSatisfy(m -> assertThat(m.persistent()).isTrue());
            RouterHarness.Received first = stored.stream().filter(m -> m.body().equals("{\"n\":7}")).findFirst()
                    .orElseThrow();
            assertThat(first.properties()).containsEntry("rcsDedupKey", "event:k7")
                    .containsEntry("rcsIngressId", "ingress-7").containsEntry("rcsProvider", "kaleyra")
                    .containsEntry("rcsReceivedAt", "2026-04-20T09:00:00Z");
        } finally {
            store.stop();
            broker.stop();
        }
    }

    @Test
    void aCallbackPastItsDeadlineIsNotSentAndAGoneBrokerFailsEveryRequest(@TempDir Path dir) throws Exception {
        EmbeddedBroker broker = new EmbeddedBroker(dir, 32 << 20, 8 << 20, "", 1000, false, 200);
        broker.start();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.inVmUrl());
        InboundStore store = new InboundStore(factory, "in", 1, 256, 1000, RepeatCheck.of("off", null, 100, 10),
                new EngineMetrics(new SimpleMeterRegistry()));
        store.start();
        try {
            CompletableFuture<InboundStore.Answer> late = store.store("{}", "kaleyra", "event:late", "i",
                    Instant.now(), null, System.nanoTime() - 1);
            assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
            assertThat(Queues.browse(factory, "in")).as("not sent").isEmpty();

            broker.stop();
            CompletableFuture<InboundStore.Answer> lost = store.store("{}", "kaleyra", "event:lost", "i",
                    Instant.now(), null, System.nanoTime() + 10 * SECOND);
            assertThatThrownBy(() -> lost.get(20, TimeUnit.SECONDS)).as("never answered as stored")
                    .isInstanceOf(ExecutionException.class);
        } finally {
            store.stop();
            broker.stop();
        }
    }
}
