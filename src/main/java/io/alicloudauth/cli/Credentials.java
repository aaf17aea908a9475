package io.alicloudauth.cli;

/** An access key, its secret and, for STS credentials, a security token. {@code toString} hides the secrets. */
public record Credentials(String accessKeyId, String accessKeySecret, String securityToken, String source) {

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + " from " + source + "]";
    }
}
