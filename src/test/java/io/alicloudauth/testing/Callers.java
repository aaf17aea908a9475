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

    /** An instance of the app-web RAM role. */
    public static final FakeSts.Identity APP_WEB = assumed("STS.appweb", ACCOUNT, "app-web", "i-web-1", "301000000000000001");

    /** app-web in another account. */
    public static final FakeSts.Identity FOREIGN_APP_WEB = assumed("STS.foreignweb", "9999999999999999", "app-web",
            "i-web-9", "301000000000000009");

    /** CI sessions of ci-role, one building, one deploying. */
    public static final FakeSts.Identity CI_BUILD = assumed("STS.cibuild", ACCOUNT, "ci-role", "build-42",
            "302000000000000001");
    public static final FakeSts.Identity CI_DEPLOY = assumed("STS.cideploy", ACCOUNT, "ci-role", "deploy-1",
            "302000000000000001");

    /** dev-role deleted and created again under the same name: a new RoleId. */
    public static final FakeSts.Identity RECREATED_DEV = assumed("STS.recreated", ACCOUNT, "dev-role", "vm-ram-i-new",
            "300899999999999999");

    /** The RAM user deployer. */
    public static final FakeSts.Identity DEPLOYER = new FakeSts.Identity("LTAIdeployer", "deployer-secret", null,
            "acs:ram::" + ACCOUNT + ":user/deployer", ACCOUNT, "RAMUser", "200000000000000042", "");

    /** The account's root credentials. */
    public static final FakeSts.Identity ROOT = new FakeSts.Identity("LTAIrootkey", "root-secret", null,
            "acs:ram::" + ACCOUNT + ":root", ACCOUNT, "Account", ACCOUNT, "");

    static FakeSts.Identity assumed(String key, String account, String role, String session, String roleId) {
        return new FakeSts.Identity(key, key + "-secret", "CAIS." + key, "acs:ram::" + account + ":assumed-role/"
                + role + "/" + session, account, "AssumedRoleUser", roleId + ":" + session, roleId);
    }

    private Callers() {
    }
}
