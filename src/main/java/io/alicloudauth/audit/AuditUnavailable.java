package io.alicloudauth.audit;

import io.alicloudauth.api.ApiException;

/** The audit log cannot be written: the request it would record is not carried out (503). */
public class AuditUnavailable extends ApiException {

    public AuditUnavailable() {
        super(503, "the audit log cannot be written; the request was not carried out");
    }
}
