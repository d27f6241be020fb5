package io.rcsrouter.support;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * A running router as a test sees it from outside, whichever way it was started: in this JVM on the embedded
 * default ({@link RouterHarness}) or as its own JVM on PostgreSQL and a standalone Artemis (the integration suite).
 */
public interface RouterUnderTest {

    /** POSTs a callback to /callbacks/rcs as JSON, with extra HTTP headers (name, value, name, value...). */
    HttpResponse<String> postCallback(String body, String... headers) throws Exception;

    /** POSTs a JSON body to another path (another provider's), with extra HTTP headers. */
    HttpResponse<String> postTo(String path, String body, String... headers) throws Exception;

    /** The audit row of an event by dedup key (column names lower case), or null. */
    Map<String, Object> auditRow(String dedupKey) throws Exception;

    /** Every message on a queue right now, consumed. {@code queue} is the default name, e.g. rcs.delivery. */
    List<RouterHarness.Received> drainNow(String queue) throws Exception;

    /** Deletes all consent state, so that a sample is judged on its own. */
    void forgetConsent() throws Exception;
}
