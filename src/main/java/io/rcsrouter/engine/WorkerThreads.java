package io.rcsrouter.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The engine's own loops (ingress writers, dispatch consumers): N named daemon threads, started and joined together. */
final class WorkerThreads {

    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code count} threads named {@code prefix-0 .. prefix-(count-1)}, each running {@code loop}. */
    void start(String prefix, int count, Runnable loop) {
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(loop, prefix + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Waits for each thread to finish its loop (at most {@code each} per thread), then forgets them. */
    void join(Duration each) throws InterruptedException {
        for (Thread t : threads) {
            t.join(each.toMillis());
        }
        threads.clear();
    }
}
