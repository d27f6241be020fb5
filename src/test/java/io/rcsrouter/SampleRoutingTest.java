package io.rcsrouter;

import java.util.Map;

import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.RouterUnderTest;
import io.rcsrouter.support.SampleRoutingContract;

/** The sample-routing contract on the embedded default: in-VM Artemis and an H2 file database. */
class SampleRoutingTest extends SampleRoutingContract {

    private RouterHarness harness;

    @Override
    protected RouterUnderTest startRouter(String crmUrl) throws Exception {
        harness = RouterHarness.start(Map.of("rcs.crm.url", crmUrl, "rcs.crm.token", CRM_TOKEN));
        return harness;
    }

    @Override
    protected void stopRouter() throws Exception {
        harness.close();
    }
}
