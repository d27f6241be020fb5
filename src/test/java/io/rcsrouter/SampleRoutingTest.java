package io.rcsrouter;

import java.util.Map;

import io.rcsrouter.support.ProviderRequests;
import io.rcsrouter.support.RouterHarness;
import io.rcsrouter.support.RouterUnderTest;
import io.rcsrouter.support.SampleRoutingContract;

/** The sample-routing contract on the embedded default: in-VM Artemis and an H2 file database, every provider on. */
class SampleRoutingTest extends SampleRoutingContract {

    private RouterHarness harness;

    @Override
    protected RouterUnderTest startRouter(String crmUrl) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(ProviderRequests.SETTINGS);
        settings.put("rcs.crm.url", crmUrl);
        settings.put("rcs.crm.token", CRM_TOKEN);
        harness = RouterHarness.start(settings);
        return harness;
    }

    @Override
    protected void stopRouter() throws Exception {
        harness.close();
    }
}
