package io.alicloudauth.api;

/**
 * An error the caller can act on: an HTTP status and one message, rendered as Vault's {@code {"errors":[msg]}}.
 * Messages must never carry a secret (token, secret key, security token, signature).
 */
public class ApiException extends RuntimeException {

    private final int status;
    private long retryAfterSeconds;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** {@code cause} is kept for the code that handles the error; it is never shown to the caller. */
    public ApiException(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Seconds for a {@code Retry-After} header; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
        ApiException e = new ApiException(429, message);
        e.retryAfterSeconds = Math.max(1, retryAfterSeconds);
        return e;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    public static ApiException permissionDenied() {
        return new ApiException(403, "permission denied");
    }

    public static ApiException badGateway(String message) {
        return new ApiException(502, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, message);
    }
}
