package io.rcsrouter.infra;

import org.apache.camel.support.service.ServiceSupport;

/** Lets Camel close a resource that is not a Camel service when the context stops. */
final class Closer extends ServiceSupport {

    /** What to run on stop. */
    interface Action {
        void run() throws Exception;
    }

    private final String name;
    private final Action onStop;

    Closer(String name, Action onStop) {
        this.name = name;
        this.onStop = onStop;
    }

    @Override
    protected void doStop() throws Exception {
        onStop.run();
    }

    @Override
    public String toString() {
        return "Closer[" + name + "]";
    }
}
