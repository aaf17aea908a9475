package io.alicloudauth.sts;

import java.util.Map;

/**
 * A validated, rebuilt GetCallerIdentity request: the pinned STS host, the signed query (decoded values; V1) and the
 * headers to send (V3: exactly the signed ones and {@code Authorization}), and what it says of the server it is
 * for. Holds a signature and maybe a security token: never log it.
 *
 * @param signatureVersion 1 (RPC, HMAC-SHA1 over the query) or 3 ({@code ACS3-HMAC-SHA256} over the headers)
 * @param serverId the {@code x-acs-vault-server-id} header as sent (SPEC §10)
 */
public record StsRequest(String host, Map<String, String> query, Map<String, String> headers, int signatureVersion,
        ServerId serverId) {

    /** The server id header: absent, sent but not signed, or signed, and its value. */
    public record ServerId(boolean sent, boolean signed, String value) {

        public static final ServerId NONE = new ServerId(false, false, "");
    }

    public static StsRequest v1(String host, Map<String, String> query, Map<String, String> headers) {
        return new StsRequest(host, query, headers, 1, ServerId.NONE);
    }

    @Override
    public String toString() {
        return "StsRequest[host=" + host + ", v" + signatureVersion + "]";
    }
}
