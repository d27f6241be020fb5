package io.rcsrouter.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.camel.CamelConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code camel run} command in the README (Operations) stays true to the project: the artifact it names is the
 * one the pom builds, the Camel version is the pom's, the files exist, and it lists exactly the configuration
 * classes RouterMain adds in code. It cannot be run here (no JBang); this keeps it from going stale.
 */
class CamelRunCommandTest {

    private static Map<String, String> options;

    @BeforeAll
    static void readTheCommand() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("(?m)^camel run (?:.*\\\\\\n)*.*$").matcher(readme);
        assertThat(block.find()).as("a camel run command in README.md").isTrue();
        options = new LinkedHashMap<>();
        Matcher option = Pattern.compile("--([a-z-]+)=(\\S+)").matcher(block.group().replace("\\\n", " "));
        while (option.find()) {
            options.merge(option.group(1), option.group(2), (a, b) -> a + " " + b);
        }
    }

    @Test
    void itNamesTheArtifactAndCamelVersionThePomBuilds() throws Exception {
        Element project = pom().getDocumentElement();
        String gav = child(project, "groupId") + ":" + child(project, "artifactId") + ":" + child(project, "version");
        assertThat(options).containsEntry("dep", gav);
        Element properties = (Element) project.getElementsByTagName("properties").item(0);
        assertThat(options).containsEntry("camel-version", child(properties, "camel.version"));
    }

    @Test
    void itsFilesExist() throws Exception {
        assertThat(Path.of(options.get("properties"))).isRegularFile();
        try (var files = Files.list(Path.of(options.get("source-dir")))) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.endsWith(".camel.yaml"));
        }
    }

    @Test
    void itListsTheConfigurationClassesRouterMainAdds() throws Exception {
        String property = options.get("property");
        assertThat(property).startsWith("camel.main.configuration-classes=");
        List<String> named = List.of(property.substring(property.indexOf('=') + 1).split(","));
        for (String className : named) {
            assertThat(CamelConfiguration.class.isAssignableFrom(Class.forName(className))).as(className).isTrue();
        }
        List<String> inRouterMain = new ArrayList<>();
        Matcher added = Pattern.compile("addConfiguration\\((\\w+)\\.class\\)")
                .matcher(Files.readString(Path.of("src/main/java/io/rcsrouter/RouterMain.java")));
        while (added.find()) {
            inRouterMain.add(added.group(1));
        }
        assertThat(inRouterMain).isNotEmpty();
        assertThat(named.stream().map(n -> n.substring(n.lastIndexOf('.') + 1)))
                .containsExactlyInAnyOrderElementsOf(inRouterMain);
    }

    private static Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    }

    /** The text of a direct child element (not of a nested one, such as a parent's or a dependency's version). */
    private static String child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().strip();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }
}
