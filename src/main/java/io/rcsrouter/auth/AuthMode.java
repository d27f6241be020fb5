package io.rcsrouter.auth;

import java.util.Locale;

/** How Kaleyra proves it is Kaleyra when it posts a callback ({@code RCS_AUTH_MODE}). */
public enum AuthMode {
    /** No check: allowed only when the server listens on a loopback address. */
    NONE,
    /** A static secret in a custom header (Kaleyra "custom header" authentication). */
    HEADER,
    /** HTTP Basic (Kaleyra "basic" authentication). */
    BASIC,
    /** A short-lived bearer token from {@code POST /auth/token} (Kaleyra "advanced" authentication). */
    BEARER;

    public static AuthMode parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("RCS_AUTH_MODE must be one of none, header, basic, bearer; got '" + value + "'");
        }
    }
}
