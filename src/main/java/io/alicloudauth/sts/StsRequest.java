package io.alicloudauth.sts;

import java.util.Map;

/**
 * A validated, rebuilt GetCallerIdentity request: the pinned STS host, the signed query (decoded values) and the
 * allowlisted headers. Holds a signature and maybe a security token: never log it.
 */
public record StsRequest(String host, Map<String, String> query, Map<String, String> headers) {

    @Override
    public String toString() {
        return "StsRequest[host=" + host + "]";
    }
}
