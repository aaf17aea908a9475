package io.alicloudauth.seal;

/**
 * The seal cannot do what was asked: no usable key, a key that does not open what is stored, a key file others may
 * read. At start it stops the service before it listens. Its message names settings, files and key ids, never a key.
 */
public class SealException extends RuntimeException {

    public SealException(String message) {
        super(message, null, false, false);
    }
}
