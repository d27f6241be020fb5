package io.rcsrouter.provider;

import java.util.List;

import io.rcsrouter.event.CallbackParser;
import io.rcsrouter.event.InvalidCallbackException;
import io.rcsrouter.event.RcsEvent;

/** Kaleyra's callbacks ({@code POST /callbacks/rcs}): one event per request, read by {@link CallbackParser}. */
public final class KaleyraFormat implements ProviderFormat {

    private final CallbackParser parser = new CallbackParser();

    @Override
    public String provider() {
        return RcsEvent.KALEYRA;
    }

    @Override
    public List<String> events(String body) {
        return List.of(body);
    }

    @Override
    public RcsEvent read(String event) throws InvalidCallbackException {
        return parser.parse(event);
    }
}
