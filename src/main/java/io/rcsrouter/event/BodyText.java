package io.rcsrouter.event;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The callback body as text. JSON between systems must be UTF-8 (RFC 8259, section 8.1), so the bytes are decoded
 * strictly: a body in Latin-1, UTF-16, or with a broken or overlong sequence is refused with the offset of the
 * first bad byte, instead of being silently turned into U+FFFD replacement characters and passed on with the
 * user's text damaged.
 */
public final class BodyText {

    /** U+FEFF. RFC 8259 says a parser MAY ignore one at the start of the text; the router does. */
    public static final char BYTE_ORDER_MARK = '\uFEFF';

    private BodyText() {
    }

    /** The body decoded as UTF-8; throws when it is not UTF-8. */
    public static String decode(byte[] body) throws InvalidCallbackException {
        if (body.length >= 2 && (body[0] & 0xFF) == 0x1F && (body[1] & 0xFF) == 0x8B) {
            // the router never inflates a body (no decompression bomb can get past the size limit), so say why
            throw new InvalidCallbackException("body is gzip-compressed (it starts with the gzip signature 1F 8B);"
                    + " send the callback's JSON uncompressed, in UTF-8");
        }
        if (looksUtf16OrUtf32(body)) {
            throw new InvalidCallbackException("body is not UTF-8: it starts like UTF-16 or UTF-32 text (a zero byte"
                    + " or a UTF-16 byte-order mark in its first bytes); JSON must be sent in UTF-8");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            throw new InvalidCallbackException(String.format(
                    "body is not valid UTF-8: the byte 0x%02X at offset %d does not belong to a UTF-8 sequence;"
                            + " JSON must be sent in UTF-8", body[offset] & 0xFF, offset));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** The text without a leading byte-order mark; a BOM anywhere else is left for the JSON parser to refuse. */
    public static String withoutByteOrderMark(String text) {
        return text != null && !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    /**
     * A JSON text starts with an ASCII character, so in UTF-16 or UTF-32 one of its first two bytes is zero
     * (RFC 4627, section 3); a UTF-16 byte-order mark (FE FF or FF FE) gives it away too.
     */
    private static boolean looksUtf16OrUtf32(byte[] body) {
        if (body.length < 2) {
            return false;
        }
        int b0 = body[0] & 0xFF;
        int b1 = body[1] & 0xFF;
        return b0 == 0 || b1 == 0 || (b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE);
    }
}
