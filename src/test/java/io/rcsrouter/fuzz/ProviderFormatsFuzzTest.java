package io.rcsrouter.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rcsrouter.event.BodyText;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;
import io.rcsrouter.provider.InfobipFormat;
import io.rcsrouter.provider.ProviderFormat;
import io.rcsrouter.provider.RbmFormat;
import io.rcsrouter.provider.SinchFormat;

import static io.rcsrouter.fuzz.FuzzChecks.check;

/**
 * The other providers' formats on any bytes (the first byte picks one: r RBM, its decoded event; s Sinch; i Infobip,
 * its whole request): the only outcomes are events that keep the promises Kaleyra's parser keeps (the checks of
 * {@link CallbackParserFuzzTest}), or an {@link InvalidCallbackException} with a clean message.
 */
class ProviderFormatsFuzzTest {

    private final ProviderFormat rbm = new RbmFormat();
    private final ProviderFormat sinch = new SinchFormat();
    private final ProviderFormat infobip = new InfobipFormat();

    @DictionaryEntries({"\"senderPhoneNumber\"", "\"agentId\"", "\"messageId\"", "\"eventId\"", "\"eventType\"",
            "\"sendTime\"", "\"suggestionResponse\"", "\"userFile\"", "\"payload\"", "\"fileUri\"", "\"phoneNumber\"",
            "\"app_id\"", "\"message\"", "\"contact_message\"", "\"text_message\"", "\"channel_identity\"",
            "\"identity\"", "\"message_delivery_report\"", "\"status\"", "\"message_id\"", "\"event\"",
            "\"contact_event\"", "\"composing_event\"", "\"opt_out_notification\"", "\"request_id\"",
            "\"results\"", "\"sender\"", "\"to\"", "\"groupName\"", "\"seenAt\"", "\"receivedAt\"", "\"type\"",
            "\"latitude\"", "\"longitude\"", "\"coordinates\"", "+0000", "\\u0000", "\\ud800", "1e400"})
    @FuzzTest(maxDuration = FuzzChecks.MAX_DURATION)
    void parse(byte[] input) {
        if (input.length < 1 || input.length > 1_048_576) {
            return;
        }
        ProviderFormat format = switch (input[0]) {
            case 'r' -> rbm;
            case 's' -> sinch;
            default -> infobip;
        };
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        List<String> events;
        try {
            String text = BodyText.decode(body);
            // RBM's stored text is the decoded event: read it directly (its envelope is Base64 and JSON only)
            events = format == rbm ? List.of(text) : format.events(text);
        } catch (InvalidCallbackException refusal) {
            FuzzChecks.assertCleanMessage(refusal);
            return;
        }
        check(!events.isEmpty() && events.size() <= 100, "a request of " + events.size() + " events");
        for (String event : events) {
            RcsEvent e;
            try {
                e = format.read(event);
            } catch (InvalidCallbackException refusal) {
                FuzzChecks.assertCleanMessage(refusal);
                continue;
            }
            CallbackParserFuzzTest.assertKeepsThePromises(e);
            check(e.provider().equals(format.provider()), "the event's provider: " + e);
            check(e.dedupKey().startsWith(format.provider() + ":"), "a dedup key without its provider: " + e);
            check(e.dedupKey().getBytes(StandardCharsets.UTF_8).length <= 2048, "a dedup key that long: " + e);
            check(e.dedupKey().length() <= 512, "a dedup key over its column: " + e);
        }
    }
}
