package io.alicloudauth.sts;

/** What STS says of the caller: the only source of identity at login. */
public record CallerIdentity(String arn, String accountId, String identityType, String principalId, String userId,
        String roleId, String requestId) {
}
