package io.rcsrouter;

import io.rcsrouter.infra.EngineConfiguration;
import io.rcsrouter.infra.InfraConfiguration;
import io.rcsrouter.infra.JolokiaAccessCheck;
import org.apache.camel.main.Main;

/**
 * Starts the router: a plain camel-main application. Settings come from {@code application.properties} (each one
 * overridable by an environment variable, {@code rcs.crm.url} by {@code RCS_CRM_URL}); the routes are the YAML files
 * in {@code RCS_ROUTES_DIR}; {@link InfraConfiguration} brings up the broker connection, the database and the HTTP
 * server settings before the routes start.
 */
public final class RouterMain {

    private RouterMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(InfraConfiguration.class);
        main.configure().addConfiguration(EngineConfiguration.class);
        main.configure().addConfiguration(JolokiaAccessCheck.class);
        main.run(args);
    }
}
