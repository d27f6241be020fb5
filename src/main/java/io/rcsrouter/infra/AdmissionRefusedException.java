package io.rcsrouter.infra;

/**
 * A callback the router will not take now, though it is valid: ingress answers 503 with {@code Retry-After} and
 * {@link #answer()}, and logs the message, which says why (the backlog limit, the data folder's reserve).
 */
public abstract class AdmissionRefusedException extends RuntimeException {

    /** How long the sender should wait before trying again, in seconds (the Retry-After header). */
    public static final int RETRY_AFTER_SECONDS = 60;

    private final String answer;

    protected AdmissionRefusedException(String message, String answer) {
        super(message);
        this.answer = answer;
    }

    /** The error the sender reads in the 503's body: what is full, not where. */
    public String answer() {
        return answer;
    }
}
