package io.rcsrouter.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router's embedded H2 runs without H2's shared value cache (bench/RESULTS.md, section 0b), and a JVM started
 * with {@code -Dh2.objectCache=true} keeps it. H2 reads the setting once per JVM, when it first loads: each case is
 * a fresh child JVM that opens the router's database and prints what H2 uses.
 */
class DatabaseValueCacheTest {

    @Test
    void theRoutersH2HasNoValueCache(@TempDir Path dir) throws Exception {
        assertThat(childSays(dir, List.of())).isEqualTo("objectCache=false");
    }

    @Test
    void anOperatorsOwnSettingWins(@TempDir Path dir) throws Exception {
        assertThat(childSays(dir, List.of("-Dh2.objectCache=true"))).isEqualTo("objectCache=true");
    }

    private static String childSays(Path dir, List<String> jvmOptions) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OpenAndTell.class.getName(),
                H2WriteThroughTest.url(dir)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.startsWith("objectCache=")).findFirst().orElse(out);
    }

    /** The child: the router's database, started (migrations run), then H2's setting as H2 read it. */
    public static final class OpenAndTell {
        public static void main(String[] args) throws Exception {
            Database db = new Database(args[0], null, null, 2, Duration.ofSeconds(30));
            db.start();
            try (var c = db.dataSource().getConnection()) {
                c.createStatement().execute("SELECT 1");
            }
            System.out.println("objectCache=" + org.h2.engine.SysProperties.OBJECT_CACHE);
            db.stop();
        }
    }
}
