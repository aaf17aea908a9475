package io.alicloudauth.testing;

/** The identities the fake STS knows. Every secret here is made up for the tests. */
public final class Callers {

    public static final String ACCOUNT = "1234567890123456";
    public static final String ROLE_ARN = "acs:ram::" + ACCOUNT + ":role/dev-role";

    /** An ECS instance with the dev-role RAM role: STS credentials with a security token full of +, / and =. */
    public static final FakeSts.Identity DEV = new FakeSts.Identity("STS.devkey", "dev-secret", "CAIS+dev/token==",
            "acs:ram::" + ACCOUNT + ":assumed-role/dev-role/vm-ram-i-abc", ACCOUNT, "AssumedRoleUser",
            "300800000000000001:vm-ram-i-abc", "300800000000000001");

    /** The same role name in another account. */
    public static final FakeSts.Identity OTHER_ACCOUNT = new FakeSts.Identity("STS.otherkey", "other-secret",
            "CAIS.other", "acs:ram::9999999999999999:assumed-role/dev-role/vm-ram-i-zzz", "9999999999999999",
            "AssumedRoleUser", "300800000000000009:vm-ram-i-zzz", "300800000000000009");

    /** Another role in the right account. */
    public static final FakeSts.Identity OPS = new FakeSts.Identity("STS.opskey", "ops-secret", "CAIS.ops",
            "acs:ram::" + ACCOUNT + ":assumed-role/ops-role/session-1", ACCOUNT, "AssumedRoleUser",
            "300800000000000002:session-1", "300800000000000002");

    /** A RAM user with a plain access key (no security token). */
    public static final FakeSts.Identity USER = new FakeSts.Identity("LTAIuserkey", "user-secret", null,
            "acs:ram::" + ACCOUNT + ":user/alice", ACCOUNT, "RAMUser", "200000000000000001", "");

    /** A caller whose ARN names a different account from the AccountId STS reports. */
    public static final FakeSts.Identity MISMATCHED = new FakeSts.Identity("STS.liar", "liar-secret", "CAIS.liar",
            "acs:ram::" + ACCOUNT + ":assumed-role/dev-role/s", "5555555555555555", "AssumedRoleUser",
            "300800000000000005:s", "300800000000000005");

    private Callers() {
    }
}
