/**
 * Camel JBang's command line ({@code camel run ...}) without JBang: what {@code jbang camel@apache/camel} runs, here
 * on the classpath that Maven builds from .ci/camel-jbang/pom.xml (see the {@code camel} launcher written by
 * .ci/camel-run.sh, and docs/camel-run.md).
 */
public class CamelJBang {

    public static void main(String... args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
