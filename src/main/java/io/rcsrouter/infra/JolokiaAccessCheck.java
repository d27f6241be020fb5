package io.rcsrouter.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Refuses to start with Jolokia on ({@code RCS_JOLOKIA_ENABLED=true}) unless {@code RCS_JOLOKIA_USERS_FILE} names a
 * readable file with at least one user and a non-empty password. Jolokia can read every MBean and stop routes, so it
 * must never run open. camel-main applies HTTP Basic to the management port only when it is given a properties file:
 * a blank setting fails late with "Unable to read file at path ''", a missing one would leave Jolokia without any
 * authentication, and a user with an empty password would let anyone in. This check says what is wrong, by name.
 *
 * <p>Added next to {@link InfraConfiguration} by {@code RouterMain} (not through
 * {@code camel.main.configuration-classes}: that setting replaces the classes added in code). The file format is Vert.x's {@code PropertyFileAuthentication}: {@code user.<name> = <password>[,<role>...]}
 * (the password ends at the first comma).
 */
public class JolokiaAccessCheck implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent props = context.getPropertiesComponent();
        if (Boolean.parseBoolean(props.resolveProperty("rcs.jolokia.enabled").orElse("false").strip())) {
            requireUsers(props.resolveProperty("rcs.jolokia.users-file").orElse("").strip());
        }
    }

    static void requireUsers(String usersFile) {
        if (usersFile.isEmpty()) {
            throw new IllegalStateException("RCS_JOLOKIA_ENABLED=true needs RCS_JOLOKIA_USERS_FILE: a file with one "
                    + "'user.<name> = <password>' line per Jolokia user");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(usersFile));
        } catch (IOException e) {
            throw new IllegalStateException("RCS_JOLOKIA_USERS_FILE " + usersFile + " cannot be read: " + e, e);
        }
        List<String> passwords = lines.stream()
                .map(String::strip)
                .filter(line -> line.startsWith("user.") && line.contains("="))
                .map(line -> line.substring(line.indexOf('=') + 1).split(",", -1)[0].strip())
                .toList();
        if (passwords.isEmpty()) {
            throw new IllegalStateException("RCS_JOLOKIA_USERS_FILE " + usersFile
                    + " lists no user: add a 'user.<name> = <password>' line");
        }
        if (passwords.contains("")) {
            throw new IllegalStateException("RCS_JOLOKIA_USERS_FILE " + usersFile
                    + " has a user with an empty password: anyone could log in as that user");
        }
    }
}
