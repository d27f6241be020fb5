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
 * The {@code camel run} command in docs/camel-run.md stays the one .ci/camel-run.sh runs (which starts it, routes a
 * sample and stops it), and true to the project: the artifact it names is the one the pom builds, the Camel and
 * Kamelets versions are the pom's, the launcher's Camel is the pom's, the files exist, and it lists exactly the
 * configuration classes RouterMain adds in code.
 */
class CamelRunCommandTest {

    private static final Pattern COMMAND = Pattern.compile("(?m)^camel run (?:.*\\\\\\n)*.*$");

    private static String documented;
    private static Map<String, String> options;

    @BeforeAll
    static void readTheCommand() throws Exception {
        documented = command(Files.readString(Path.of("docs/camel-run.md")), "docs/camel-run.md");
        options = new LinkedHashMap<>();
        Matcher option = Pattern.compile("--([a-z-]+)=(\\S+)").matcher(documented);
        while (option.find()) {
            options.merge(option.group(1), option.group(2), (a, b) -> a + " " + b);
        }
    }

    /** The camel run command in a text, its continuation lines joined and its spaces collapsed. */
    private static String command(String text, String where) {
        Matcher block = COMMAND.matcher(text);
        assertThat(block.find()).as("a camel run command in " + where).isTrue();
        String command = block.group().replace("\\\n", " ").replaceAll("\\s+", " ").strip();
        assertThat(block.find()).as("one camel run command in " + where).isFalse();
        return command;
    }

    @Test
    void itIsTheCommandTheScriptRuns() throws Exception {
        // the script calls the launcher it installs, "$CAMEL" run ..., with its log redirection on the last line
        String script = Files.readString(Path.of(".ci/camel-run.sh")).replace("\"$CAMEL\" run ", "camel run ");
        assertThat(command(script, ".ci/camel-run.sh").replaceFirst(" > \"\\$LOG\" 2>&1 &$", ""))
                .isEqualTo(documented);
    }

    @Test
    void theLauncherRunsThePomsCamel() throws Exception {
        Element properties = (Element) launcherPom().getDocumentElement().getElementsByTagName("properties").item(0);
        Element ours = (Element) pom().getDocumentElement().getElementsByTagName("properties").item(0);
        assertThat(child(properties, "camel.version")).isEqualTo(child(ours, "camel.version"));
    }

    @Test
    void itNamesTheArtifactAndCamelVersionThePomBuilds() throws Exception {
        Element project = pom().getDocumentElement();
        String gav = child(project, "groupId") + ":" + child(project, "artifactId") + ":" + child(project, "version");
        assertThat(options).containsEntry("dep", gav);
        Element properties = (Element) project.getElementsByTagName("properties").item(0);
        assertThat(options).containsEntry("camel-version", child(properties, "camel.version"));
        assertThat(options).containsEntry("kamelets-version", child(properties, "camel.version"));
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

    private static Document launcherPom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of(".ci/camel-jbang/pom.xml").toFile());
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
