package io.rcsrouter.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md and the pages under docs/ link to each other and into the repository; a page that moves or a heading
 * that is renamed breaks those links silently on the code host. Every relative link must name a file that exists,
 * and a link to a heading of a Markdown file must name a heading that file has (GitHub's anchors).
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkAndAnchorExists() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            String text = withoutCodeBlocks(Files.readString(page));
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.getParent() == null ? Path.of(file)
                        : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no such file)");
                } else if (anchor != null && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(anchor)) {
                    broken.add(page + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void theReadmeStaysShortAndLinksEveryPage() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        assertThat(readme).as("README.md lines").hasSizeLessThanOrEqualTo(200);
        String text = String.join("\n", readme);
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md"))
                    .forEach(p -> assertThat(text).as("README links %s", p).contains("](" + p + ")"));
        }
    }

    @Test
    void anchorsAreGitHubs() {
        assertThat(anchor("## 3. Memory with a large backlog: `bash bench/backlog-rss.sh`"))
                .isEqualTo("3-memory-with-a-large-backlog-bash-benchbacklog-rsssh");
        assertThat(anchor("## Once a callback is answered `200 {\"status\":\"accepted\"}`"))
                .isEqualTo("once-a-callback-is-answered-200-statusaccepted");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("k8s/README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static Set<String> anchors(Path markdown) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        for (String line : withoutCodeBlocks(Files.readString(markdown)).split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(anchor(line));
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: the text in lower case, punctuation but dashes and underscores dropped, spaces as dashes. */
    static String anchor(String heading) {
        String text = heading.replaceFirst("^#+\\s*", "").strip().toLowerCase();
        return text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static String withoutCodeBlocks(String text) {
        return text.replaceAll("(?s)```.*?```", "");
    }
}
