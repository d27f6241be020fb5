package io.rcsrouter.infra;

import java.util.Base64;
import java.util.Locale;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.rcsrouter.event.InvalidCallbackException;
import org.apache.camel.Exchange;

/**
 * Keeps a JSON callback intact when the sender labels it {@code application/x-www-form-urlencoded}.
 *
 * <p>Camel's platform-http hands a route only the decoded form fields of such a request, and decoding JSON as a
 * form mangles it ({@code +} becomes a space, {@code &} and {@code =} split it). Vert.x still holds the raw bytes,
 * so {@link #handler()} (a Vert.x handler that runs after the body is read, before the route) passes them on in the
 * internal header {@value #HEADER}, and {@link #restore(Exchange)}, the route's first step, makes them the body
 * again. The header is always removed from the incoming request first, so a client cannot set it.
 */
public final class RawFormBody {

    public static final String HEADER = "X-Rcs-Raw-Form-Body";

    /** The Vert.x handler installed on the platform-http engine (see {@link InfraConfiguration}). */
    public static Handler<RoutingContext> handler() {
        return ctx -> {
            ctx.request().headers().remove(HEADER);
            String contentType = ctx.request().getHeader("Content-Type");
            if (contentType != null
                    && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                    && ctx.body() != null && ctx.body().available()) {
                Buffer raw = ctx.body().buffer();
                if (raw != null && raw.length() > 0) {
                    ctx.request().headers().set(HEADER, Base64.getEncoder().encodeToString(raw.getBytes()));
                }
            }
            ctx.next();
        };
    }

    /**
     * Route step: the raw bytes of a form-labelled request become the body; the form fields are dropped. A
     * {@code multipart/form-data} request is refused: the server has already taken it apart into fields and file
     * uploads and kept no raw bytes, and a callback is never sent that way, so accepting whatever part looks like
     * JSON would be guesswork.
     */
    public void restore(Exchange exchange) throws InvalidCallbackException {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            exchange.getMessage().setBody(null); // the parts are all there is, and they are not the request body
            throw new InvalidCallbackException("a multipart/form-data request is not a callback: send the callback's"
                    + " JSON itself as the request body");
        }
        String encoded = exchange.getMessage().getHeader(HEADER, String.class);
        if (encoded != null) {
            exchange.getMessage().setBody(Base64.getDecoder().decode(encoded));
            exchange.getMessage().removeHeader(HEADER);
        }
    }
}
