package io.alicloudauth.policy;

import io.alicloudauth.api.ApiException;

/** A policy that does not parse or says something this service does not do: a 400 that says where. */
public class PolicyException extends ApiException {

    public PolicyException(String message) {
        super(400, "failed to parse policy: " + message);
    }
}
