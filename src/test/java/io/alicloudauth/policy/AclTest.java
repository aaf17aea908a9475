package io.alicloudauth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The parser and Vault's matching rules, from Vault's policy documentation and acl.go's ordering. */
class AclTest {

    static Acl acl(String... policies) {
        List<PathRule> rules = new ArrayList<>();
        for (String p : policies) {
            rules.addAll(PolicyParser.parse(p));
        }
        return Acl.of(rules);
    }

    static List<String> caps(Acl acl, String path) {
        return Capability.words(acl.capabilities(path, false));
    }

    @Test
    void hclWithCommentsSeveralBlocksAndTheShorthand() {
        List<PathRule> rules = PolicyParser.parse("""
                # a comment
                name = "ignored"
                // another
                path "secret/*" {
                  capabilities = ["create", "read",]   /* trailing comma, and
                                                          a block comment */
                }
                path "/sys/rotate" { capabilities = ["update", "sudo"] }
                path "old/*" { policy = "write" }
                path "gone" { capabilities = ["read", "deny"] comment = "deny wins in a block" }
                """);
        assertEquals(4, rules.size());
        assertEquals("sys/rotate", rules.get(1).pattern(), "a leading / is dropped");
        assertEquals(List.of("create", "delete", "list", "read", "update"), Capability.words(rules.get(2).capabilities()));
        assertEquals(List.of("deny"), Capability.words(rules.get(3).capabilities()));
    }

    @Test
    void theJsonFormMeansTheSame() {
        Acl json = acl("{\"path\": {\"secret/*\": {\"capabilities\": [\"read\", \"list\"]}}}");
        Acl hcl = acl("path \"secret/*\" { capabilities = [\"read\", \"list\"] }");
        assertEquals(caps(hcl, "secret/a"), caps(json, "secret/a"));
        assertEquals(List.of("list", "read"), caps(json, "secret/a"));
    }

    @Test
    void errorsNameTheLine() {
        assertTrue(assertThrows(PolicyException.class, () -> PolicyParser.parse("path \"a\" {\n capabilities = [\"reed\"]\n}"))
                .getMessage().contains("line 2") );
        assertTrue(assertThrows(PolicyException.class, () -> PolicyParser.parse("path \"a\" {\n\n capabilities = [\"read\"\n"))
                .getMessage().contains("line 4"));
        assertTrue(assertThrows(PolicyException.class, () -> PolicyParser.parse("path \"a\" {\n allowed_parameters = {}\n}"))
                .getMessage().contains("line 2: path \"a\": allowed_parameters is not supported"));
        for (String bad : List.of("", "   # only a comment\n", "{}", "path \"a+*\" { capabilities = [\"read\"] }",
                "path \"a\" { capabilities = \"read\" }", "path \"a/{{identity.entity.id}\" { capabilities = [\"read\"] }",
                "path \"a/{{nope}}\" { capabilities = [\"read\"] }", "paths \"a\" {}", "path \"a\" { control_group = {} }",
                "{\"path\": {\"a\": {\"required_parameters\": [\"x\"]}}}", "path \"a\" { capabilities = [\"read\"] ")) {
            assertThrows(PolicyException.class, () -> PolicyParser.parse(bad), bad);
        }
    }

    @Test
    void anExactPatternWinsOverEveryGlob() {
        Acl acl = acl("path \"secret/*\" { capabilities = [\"read\"] }",
                "path \"secret/foo\" { capabilities = [\"update\"] }", "path \"secret/+\" { capabilities = [\"list\"] }");
        assertEquals(List.of("update"), caps(acl, "secret/foo"));
        assertEquals(List.of("list"), caps(acl, "secret/bar"), "the same first wildcard position:"
                + " the pattern that does not end in * wins");
        assertEquals(List.of("read"), caps(acl, "secret/bar/baz"));
    }

    @Test
    void vaultsPriorityOrder() {
        // The first wildcard later wins: secret/foo/* over secret/+/bar.
        assertEquals(List.of("update"), caps(acl("path \"secret/+/bar\" { capabilities = [\"read\"] }",
                "path \"secret/foo/*\" { capabilities = [\"update\"] }"), "secret/foo/bar"));
        // Same first wildcard: not ending in * wins.
        assertEquals(List.of("read"), caps(acl("path \"foo/+/bar\" { capabilities = [\"read\"] }",
                "path \"foo/+/ba*\" { capabilities = [\"update\"] }"), "foo/x/bar"));
        // Fewer + segments win.
        assertEquals(List.of("read"), caps(acl("path \"foo/+/x/+\" { capabilities = [\"read\"] }",
                "path \"foo/+/+/+\" { capabilities = [\"update\"] }"), "foo/a/x/b"));
        // Longer wins.
        assertEquals(List.of("update"), caps(acl("path \"foo/+/bar/b*\" { capabilities = [\"read\"] }",
                "path \"foo/+/bar/ba*\" { capabilities = [\"update\"] }"), "foo/a/bar/baz"));
        // The longest plain prefix.
        assertEquals(List.of("delete"), caps(acl("path \"a/*\" { capabilities = [\"read\"] }",
                "path \"a/b/*\" { capabilities = [\"delete\"] }"), "a/b/c"));
        // + is one segment exactly.
        Acl one = acl("path \"a/+/c\" { capabilities = [\"read\"] }");
        assertEquals(List.of("read"), caps(one, "a/b/c"));
        assertEquals(List.of("deny"), caps(one, "a/b/x/c"));
        assertEquals(List.of("deny"), caps(one, "a/c"));
    }

    @Test
    void capabilitiesAreUnionedAcrossPoliciesAndDenyWins() {
        Acl union = acl("path \"a/*\" { capabilities = [\"read\"] }", "path \"a/*\" { capabilities = [\"list\"] }");
        assertEquals(List.of("list", "read"), caps(union, "a/x"));
        Acl denied = acl("path \"a/*\" { capabilities = [\"read\", \"update\"] }", "path \"a/*\" { capabilities = [\"deny\"] }");
        assertFalse(denied.allows("a/x", Capability.READ, false));
        Acl prod = acl("path \"auth/alicloud/role/*\" { capabilities = [\"create\", \"read\", \"update\", \"delete\", \"list\"] }",
                "path \"auth/alicloud/role/prod-*\" { capabilities = [\"deny\"] }");
        assertTrue(prod.allows("auth/alicloud/role/dev-web", Capability.UPDATE, false));
        assertFalse(prod.allows("auth/alicloud/role/prod-web", Capability.UPDATE, false));
        assertFalse(prod.allows("auth/alicloud/role/prod-web", Capability.READ, false));
    }

    @Test
    void listLooksAtTheTrailingSlashAndAnExactRuleWithoutIt() {
        Acl exact = acl("path \"auth/alicloud/role\" { capabilities = [\"list\"] }");
        assertTrue(exact.allows("auth/alicloud/role/", Capability.LIST, false));
        Acl slash = acl("path \"auth/alicloud/role/\" { capabilities = [\"list\"] }");
        assertTrue(slash.allows("auth/alicloud/role/", Capability.LIST, false));
        Acl glob = acl("path \"auth/alicloud/role/*\" { capabilities = [\"list\"] }");
        assertTrue(glob.allows("auth/alicloud/role/", Capability.LIST, false));
        assertFalse(exact.allows("auth/alicloud/role", Capability.READ, false));
    }

    @Test
    void sudoIsNeededWhereAsked() {
        Acl acl = acl("path \"sys/rotate\" { capabilities = [\"update\"] }", "path \"sys/auth/*\" { capabilities = [\"update\", \"sudo\"] }");
        assertFalse(acl.allows("sys/rotate", Capability.UPDATE, true));
        assertTrue(acl.allows("sys/rotate", Capability.UPDATE, false));
        assertTrue(acl.allows("sys/auth/alicloud", Capability.UPDATE, true));
        assertTrue(Acl.root().allows("anything/at/all", Capability.SUDO, true));
    }

    @Test
    void templatesAreFilledFromTheTokensIdentityOrMatchNothing() {
        List<PathRule> rules = PolicyParser.parse("""
                path "secret/{{identity.entity.id}}/*" { capabilities = ["read"] }
                path "kv/{{ identity.entity.aliases.auth_alicloud_0001.metadata.role_name }}" { capabilities = ["update"] }
                path "other/{{identity.entity.aliases.auth_other.name}}" { capabilities = ["update"] }
                """);
        assertTrue(rules.get(0).templated());
        Templates.Identity id = new Templates.Identity("e-1", "entity_e1", "auth_alicloud_0001", "alias",
                Map.of("role_name", "app-web"));
        List<PathRule> filled = new ArrayList<>();
        for (PathRule r : rules) {
            Templates.fill(r.pattern(), id).ifPresent(p -> filled.add(new PathRule(p, r.capabilities(), false)));
        }
        assertEquals(2, filled.size(), "the other mount's alias cannot be filled: that pattern matches nothing");
        Acl acl = Acl.of(filled);
        assertTrue(acl.allows("secret/e-1/x", Capability.READ, false));
        assertFalse(acl.allows("secret/e-2/x", Capability.READ, false));
        assertTrue(acl.allows("kv/app-web", Capability.UPDATE, false));
        assertTrue(Templates.fill("a/{{identity.entity.id}}", Templates.Identity.NONE).isEmpty(), "no entity, no match");
        assertTrue(Templates.fill("a/{{identity.entity.aliases.auth_alicloud_0001.metadata.x}}", new Templates.Identity(
                "e", "n", "auth_alicloud_0001", "a", Map.of("x", "*"))).isEmpty(), "a value never acts as a glob");
    }
}
