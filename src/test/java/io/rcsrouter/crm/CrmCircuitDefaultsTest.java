package io.rcsrouter.crm;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit's defaults in application.properties, against the CRMs they must tell apart: every attempt counts
 * (retries included), so a CRM that fails now and then must never open it, a dead one must open it within
 * minimum-calls attempts, and one request failing all its attempts must not open it alone.
 */
class CrmCircuitDefaultsTest {

    final DefaultCamelContext camel = new DefaultCamelContext();
    Properties defaults;

    @BeforeEach
    void load() throws IOException {
        defaults = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            defaults.load(r);
        }
    }

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void aCrmFailingOneRequestInTenNeverOpensIt() throws Exception {
        CrmCircuit circuit = circuit();
        Random crm = new Random(42);
        for (int i = 0; i < 1_000_000; i++) {
            attempt(circuit, crm.nextInt(10) == 0);
            assertThat(circuit.state()).as("after %d attempts", i + 1).isEqualTo("CLOSED");
        }
    }

    @Test
    void aDeadCrmOpensItAfterMinimumCallsAttempts() throws Exception {
        CrmCircuit circuit = circuit();
        int minimum = Integer.parseInt(value("rcs.crm.circuit.minimum-calls"));
        for (int i = 1; i < minimum; i++) {
            attempt(circuit, true);
        }
        assertThat(circuit.state()).isEqualTo("CLOSED");
        attempt(circuit, true);
        assertThat(circuit.state()).isEqualTo("OPEN");
    }

    @Test
    void oneRequestFailingEveryAttemptDoesNotOpenItAlone() throws Exception {
        CrmCircuit circuit = circuit();
        int attempts = 1 + Integer.parseInt(value("rcs.crm.max-retries"));
        for (int i = 0; i < attempts; i++) {
            attempt(circuit, true);
        }
        assertThat(circuit.state()).isEqualTo("CLOSED");
    }

    private void attempt(CrmCircuit circuit, boolean fails) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        circuit.acquire(exchange);
        if (fails) {
            circuit.failedAlone(exchange);
        } else {
            circuit.success(exchange);
        }
    }

    private CrmCircuit circuit() {
        return new CrmCircuit(Integer.parseInt(value("rcs.crm.circuit.failure-rate-percent")),
                Integer.parseInt(value("rcs.crm.circuit.minimum-calls")),
                Integer.parseInt(value("rcs.crm.circuit.window-size")),
                Integer.parseInt(value("rcs.crm.circuit.open-seconds")));
    }

    private String value(String key) {
        return defaults.getProperty(key).trim();
    }
}
