package io.rcsrouter.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings the router really has, by environment variable: every {@code rcs.*} key of application.properties
 * (upper case, dots and dashes as underscores, the way camel-main maps variables onto properties), plus the few
 * variables logback.xml reads itself ({@code RCS_LOG_FORMAT}, {@code RCS_LOG_LEVEL}), which are no properties.
 */
final class RouterSettings {

    static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");
    static final Path LOGBACK_XML = Path.of("src/main/resources/logback.xml");

    private static final Pattern LOGBACK_VARIABLE = Pattern.compile("\\$\\{(RCS_[A-Z0-9_]+)");

    /** Environment variable -> default value in application.properties (as written, placeholders unresolved). */
    private final Map<String, String> propertyDefaults;
    private final Set<String> logbackVariables;

    private RouterSettings(Map<String, String> propertyDefaults, Set<String> logbackVariables) {
        this.propertyDefaults = propertyDefaults;
        this.logbackVariables = logbackVariables;
    }

    static RouterSettings load() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            properties.load(in);
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (key.startsWith("rcs.")) {
                defaults.put(environmentVariable(key), properties.getProperty(key).strip());
            }
        }
        Set<String> logback = new TreeSet<>();
        Matcher m = LOGBACK_VARIABLE.matcher(Files.readString(LOGBACK_XML));
        while (m.find()) {
            logback.add(m.group(1));
        }
        return new RouterSettings(defaults, logback);
    }

    /** {@code rcs.crm.max-retries} -> {@code RCS_CRM_MAX_RETRIES}. */
    static String environmentVariable(String propertyKey) {
        return propertyKey.toUpperCase().replace('.', '_').replace('-', '_');
    }

    Set<String> propertyVariables() {
        return propertyDefaults.keySet();
    }

    Set<String> logbackVariables() {
        return logbackVariables;
    }

    /** A variable that changes something: a property or a logback variable. */
    boolean isSetting(String variable) {
        return propertyDefaults.containsKey(variable) || logbackVariables.contains(variable);
    }

    boolean isProperty(String variable) {
        return propertyDefaults.containsKey(variable);
    }

    String propertyDefault(String variable) {
        return propertyDefaults.get(variable);
    }
}
