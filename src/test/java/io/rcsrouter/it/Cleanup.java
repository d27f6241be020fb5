package io.rcsrouter.it;

import java.util.ArrayList;
import java.util.List;

/** What a test started (routers, servers), closed in reverse order when the test ends. */
final class Cleanup implements AutoCloseable {

    private final List<AutoCloseable> resources = new ArrayList<>();

    <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.remove(i).close();
        }
    }
}
