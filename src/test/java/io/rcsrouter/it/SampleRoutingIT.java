package io.rcsrouter.it;

import java.util.HashMap;
import java.util.Map;

import io.rcsrouter.support.RouterUnderTest;
import io.rcsrouter.support.SampleRoutingContract;

/**
 * The sample-routing contract on PostgreSQL and a standalone Artemis broker, with the router as its own JVM
 * configured only by environment variables: the same behaviour as the embedded default.
 */
class SampleRoutingIT extends SampleRoutingContract {

    private static final String PREFIX = "it-samples-" + System.currentTimeMillis() + ".";
    private ExternalRouter external;

    @Override
    protected RouterUnderTest startRouter(String crmUrl) throws Exception {
        ItEnvironment.truncateTables();
        Map<String, String> env = new HashMap<>(ExternalRouter.queueEnv(PREFIX));
        env.putAll(io.rcsrouter.support.ProviderRequests.env());
        env.put("RCS_CRM_URL", crmUrl);
        env.put("RCS_CRM_TOKEN", CRM_TOKEN);
        external = new ExternalRouter(RouterProcess.start("samples", env), PREFIX);
        return external;
    }

    @Override
    protected void stopRouter() throws Exception {
        external.close();
    }
}
