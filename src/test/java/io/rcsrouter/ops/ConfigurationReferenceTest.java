package io.rcsrouter.ops;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md is what {@link ConfigurationReference} writes from application.properties and logback.xml,
 * so that the settings have one source. After changing a setting or its comment, regenerate the page:
 * {@code mvn -q test -Dtest=ConfigurationReferenceTest -Drcs.docs.write=true}.
 */
class ConfigurationReferenceTest {

    @Test
    void theReferenceIsWhatTheSettingsSay() throws Exception {
        String generated = ConfigurationReference.markdown();
        if (Boolean.getBoolean("rcs.docs.write")) {
            Files.createDirectories(ConfigurationReference.DOC.getParent());
            Files.writeString(ConfigurationReference.DOC, generated);
        }
        assertThat(Files.readString(ConfigurationReference.DOC))
                .as("%s is out of date; regenerate it: mvn -q test -Dtest=ConfigurationReferenceTest"
                        + " -Drcs.docs.write=true", ConfigurationReference.DOC)
                .isEqualTo(generated);
    }

    @Test
    void everySettingIsDescribed() throws Exception {
        List<String> undescribed = new ArrayList<>();
        for (ConfigurationReference.Section section : ConfigurationReference.sections()) {
            assertThat(section.title()).as("a section title").isNotBlank();
            for (ConfigurationReference.Row row : section.rows()) {
                if (row.description().isBlank()) {
                    undescribed.addAll(row.variables());
                }
            }
        }
        assertThat(undescribed).as("settings without a comment above them in application.properties").isEmpty();
    }

    @Test
    void everySettingIsInTheReferenceOnce() throws Exception {
        RouterSettings settings = RouterSettings.load();
        List<String> listed = new ArrayList<>();
        for (ConfigurationReference.Section section : ConfigurationReference.sections()) {
            for (ConfigurationReference.Row row : section.rows()) {
                listed.addAll(row.variables());
            }
        }
        assertThat(listed).doesNotHaveDuplicates();
        List<String> all = new ArrayList<>(settings.propertyVariables());
        all.addAll(settings.logbackVariables());
        assertThat(listed).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void aRowKeepsItsDefaultAndItsComment() throws Exception {
        ConfigurationReference.Row maxRetries = ConfigurationReference.sections().stream()
                .flatMap(s -> s.rows().stream())
                .filter(r -> r.variables().contains("RCS_CRM_MAX_RETRIES")).findFirst().orElseThrow();
        int i = maxRetries.variables().indexOf("RCS_CRM_MAX_RETRIES");
        assertThat(maxRetries.defaults().get(i)).isEqualTo(RouterSettings.load().propertyDefault("RCS_CRM_MAX_RETRIES"));
        assertThat(maxRetries.description()).containsIgnoringCase("retr");
    }
}
