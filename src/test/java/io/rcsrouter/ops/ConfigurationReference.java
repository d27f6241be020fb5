package io.rcsrouter.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/configuration.md, written from the settings' own sources: every {@code rcs.*} key of application.properties
 * with its default and the comment above it, under the section banners of that file, and the variables logback.xml
 * reads with the comment before them. The {@code camel.*} keys are wiring (they take their values from the
 * {@code rcs.*} ones) and are left out. {@link ConfigurationReferenceTest} fails when the file differs from what this
 * writes.
 *
 * <p>How application.properties is read: a banner ({@code # ---} lines around comment lines) opens a section, its
 * first line the title and the rest the section's introduction; a comment describes the keys that follow it, up to
 * the next comment or blank line, and those keys share one row.
 */
final class ConfigurationReference {

    static final Path DOC = Path.of("docs/configuration.md");

    record Row(List<String> variables, List<String> defaults, String description) {
    }

    record Section(String title, String introduction, List<Row> rows) {
    }

    private static final Pattern KEY = Pattern.compile("^([A-Za-z0-9.\\-]+)\\s*=\\s*(.*)$");
    private static final Pattern LOGBACK = Pattern.compile(
            "<!--\\s*((?:(?!-->).)*?)\\s*-->\\s*\\n[^\\n]*\\$\\{(RCS_[A-Z0-9_]+):-([^}]*)}", Pattern.DOTALL);

    private ConfigurationReference() {
    }

    static List<Section> sections() throws IOException {
        List<Section> sections = new ArrayList<>();
        List<String> lines = Files.readAllLines(RouterSettings.APPLICATION_PROPERTIES);
        String title = "General";
        StringBuilder introduction = new StringBuilder();
        List<Row> rows = new ArrayList<>();
        List<String> comment = new ArrayList<>();
        Row open = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("# ---")) {
                if (!rows.isEmpty()) {
                    sections.add(new Section(title, introduction.toString().strip(), rows));
                }
                rows = new ArrayList<>();
                introduction = new StringBuilder();
                List<String> banner = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).strip().startsWith("# ---"); i++) {
                    banner.add(commentText(lines.get(i)));
                }
                title = banner.isEmpty() ? "" : banner.get(0);
                // a title is the banner's first sentence; the rest of its text introduces the section
                String all = String.join(" ", banner);
                int stop = firstSentenceEnd(all);
                title = stop > 0 ? all.substring(0, stop) : all;
                introduction.append(stop > 0 ? all.substring(stop + 1).strip() : "");
                comment.clear();
                open = null;
            } else if (line.startsWith("#")) {
                if (open != null) {
                    comment.clear();
                    open = null;
                }
                comment.add(commentText(line));
            } else if (line.isEmpty()) {
                comment.clear();
                open = null;
            } else {
                Matcher key = KEY.matcher(line);
                if (!key.matches()) {
                    throw new IllegalStateException("not a key = value line in application.properties: " + line);
                }
                if (!key.group(1).startsWith("rcs.")) {
                    continue;
                }
                String variable = RouterSettings.environmentVariable(key.group(1));
                if (open == null) {
                    open = new Row(new ArrayList<>(), new ArrayList<>(), String.join(" ", comment));
                    rows.add(open);
                }
                open.variables().add(variable);
                open.defaults().add(key.group(2).strip());
            }
        }
        if (!rows.isEmpty()) {
            sections.add(new Section(title, introduction.toString().strip(), rows));
        }
        List<Row> logging = new ArrayList<>();
        Matcher m = LOGBACK.matcher(Files.readString(RouterSettings.LOGBACK_XML));
        while (m.find()) {
            logging.add(new Row(List.of(m.group(2)), List.of(m.group(3)), m.group(1).replaceAll("\\s+", " ")));
        }
        sections.add(new Section("Logging", "Read by logback.xml when the process starts, not by Camel.", logging));
        return sections;
    }

    /** The end of a banner's first sentence: a colon or a full stop followed by a space. */
    private static int firstSentenceEnd(String text) {
        Matcher end = Pattern.compile("[.:](?=\\s)").matcher(text);
        return end.find() ? end.start() : -1;
    }

    private static String commentText(String line) {
        String text = line.strip();
        return text.startsWith("#") ? text.substring(1).strip() : text;
    }

    static String markdown() throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n");
        out.append("<!-- Generated from src/main/resources/application.properties and src/main/resources/logback.xml."
                + " Do not edit: change those files, then run\n"
                + "     mvn -q test -Dtest=ConfigurationReferenceTest -Drcs.docs.write=true -->\n\n");
        out.append("Every setting of the router, with its default. Set any of them as an environment variable: the key"
                + " in upper case,\ndots and dashes as underscores (`rcs.crm.url` is `RCS_CRM_URL`). A blank default"
                + " means unset. `{{...}}` is\nanother setting's value.\n\n");
        List<Section> sections = sections();
        for (Section section : sections) {
            out.append("- [").append(section.title()).append("](#").append(anchor(section.title())).append(")\n");
        }
        for (Section section : sections) {
            out.append("\n## ").append(section.title()).append("\n\n");
            if (!section.introduction().isEmpty()) {
                String intro = section.introduction();
                out.append(Character.toUpperCase(intro.charAt(0))).append(intro.substring(1)).append("\n\n");
            }
            out.append("| variable | default | meaning |\n|---|---|---|\n");
            for (Row row : section.rows()) {
                out.append("| ").append(join(row.variables())).append(" | ").append(join(row.defaults()))
                        .append(" | ").append(row.description().replace("|", "\\|")).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String join(List<String> values) {
        List<String> cells = new ArrayList<>();
        for (String v : values) {
            cells.add(v.isEmpty() ? "" : "`" + v.replace("|", "\\|") + "`");
        }
        return String.join("<br>", cells);
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as dashes. */
    static String anchor(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9 \\-]", "").replace(' ', '-');
    }
}
