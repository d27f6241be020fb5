package io.rcsrouter.crm;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrmRetryTest {

    final DefaultCamelContext camel = new DefaultCamelContext();
    final CrmCircuit circuit = new CrmCircuit(50, 5, 10, 30);

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void theBackOffDoublesUpToItsMaximumWithinFifteenPercent() {
        CrmRetry retry = new CrmRetry(6, 500, 3000, circuit);
        long[] base = {500, 1000, 2000, 3000, 3000};
        for (int n = 1; n <= base.length; n++) {
            for (int i = 0; i < 200; i++) {
                assertThat(retry.delayBefore(n)).as("retry %d", n)
                        .isBetween(Math.round(base[n - 1] * 0.85), Math.round(base[n - 1] * 1.15));
            }
        }
    }

    @Test
    void theJitterSpreadsRequestsThatFailedTogether() {
        CrmRetry retry = new CrmRetry(4, 1000, 8000, circuit);
        java.util.Set<Long> delays = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            delays.add(retry.delayBefore(1));
        }
        assertThat(delays).hasSizeGreaterThan(10);
    }

    @Test
    void aRetryLeftSchedulesTheCopyAfterTheBackOffAndCountsIt() {
        CrmRetry retry = new CrmRetry(2, 1000, 1000, circuit, () -> 1_000_000L);
        Exchange first = new DefaultExchange(camel);

        assertThat(retry.handled(first)).isTrue();
        assertThat(first.getMessage().getHeaders()).as("marked by prepare, not by the predicate").isEmpty();
        retry.prepare(first);
        long delay = first.getProperty(CrmRetry.DELAY_PROPERTY, Long.class);
        assertThat(delay).isBetween(850L, 1150L);
        assertThat(first.getMessage().getHeader(CrmRetry.SCHEDULED_DELIVERY, Long.class)).isEqualTo(1_000_000L + delay);
        assertThat(first.getMessage().getHeader(CrmRetry.RETRIES_HEADER)).isEqualTo(1);
        assertThat(CrmRetry.SCHEDULED_DELIVERY).isEqualTo("_AMQ_SCHED_DELIVERY");

        Exchange second = new DefaultExchange(camel);
        second.getMessage().setHeader(CrmRetry.RETRIES_HEADER, "1"); // as it comes back from JMS, any type
        assertThat(retry.handled(second)).isTrue();
        retry.prepare(second);
        assertThat(second.getMessage().getHeader(CrmRetry.RETRIES_HEADER)).isEqualTo(2);
    }

    @Test
    void withNoRetryLeftTheCircuitDecides() {
        CrmRetry retry = new CrmRetry(2, 10, 10, circuit);
        Exchange last = new DefaultExchange(camel);
        last.getMessage().setHeader(CrmRetry.RETRIES_HEADER, 2);

        assertThat(retry.handled(last)).as("dead-lettered: the circuit is closed").isTrue();
        assertThat(last.getProperty(CrmRetry.DELAY_PROPERTY)).isNull();
        assertThat(last.getMessage().getHeader(CrmRetry.SCHEDULED_DELIVERY)).isNull();
        assertThat(last.getProperty(CrmCircuit.OPEN_PROPERTY)).isEqualTo(false);
        assertThat(last.getMessage().getHeader(CrmRetry.RETRIES_HEADER)).isEqualTo(2);
    }

    @Test
    void aRequestWithNoRetriesConfiguredGoesStraightToTheDeadLetterQueue() {
        CrmRetry retry = new CrmRetry(0, 10, 10, circuit);
        Exchange only = new DefaultExchange(camel);
        assertThat(retry.handled(only)).isTrue();
        assertThat(only.getProperty(CrmRetry.DELAY_PROPERTY)).isNull();
        assertThat(only.getProperty(CrmCircuit.OPEN_PROPERTY)).isEqualTo(false);
    }

    @Test
    void everyFailedAttemptCountsWithTheCircuitAndOnceItOpensTheRequestRollsBack() {
        CrmCircuit tight = new CrmCircuit(50, 3, 3, 30);
        CrmRetry retry = new CrmRetry(5, 10, 10, tight);
        for (int attempt = 1; attempt <= 2; attempt++) {
            Exchange failed = new DefaultExchange(camel);
            assertThat(retry.handled(failed)).as("attempt %d: retried", attempt).isTrue();
            assertThat(failed.getProperty(CrmRetry.DELAY_PROPERTY)).isNotNull();
        }
        Exchange third = new DefaultExchange(camel);
        assertThat(retry.handled(third)).as("the third failed attempt opens the circuit: roll back").isFalse();
        assertThat(third.getProperty(CrmCircuit.OPEN_PROPERTY)).isEqualTo(true);
        assertThat(third.getProperty(CrmRetry.DELAY_PROPERTY)).as("no retry scheduled").isNull();
        assertThat(tight.state()).isEqualTo("OPEN");
    }

    @Test
    void impossibleSettingsAreRefusedWithTheirNames() {
        assertThatThrownBy(() -> new CrmRetry(-1, 10, 10, circuit)).hasMessageContaining("max-retries -1");
        assertThatThrownBy(() -> new CrmRetry(3, 1000, 10, circuit)).hasMessageContaining("retry-max-delay-ms 10");
    }
}
