package io.alicloudauth.role;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArnPatternTest {

    static ArnPattern p(String text) {
        return ArnPattern.parse(text).orElseThrow(() -> new AssertionError("not well-formed: " + text));
    }

    @Test
    void starMatchesWithinAFieldAndMayCrossSlashes() {
        assertTrue(p("acs:ram::1234:role/app-*").matches("acs:ram::1234:role/app-web"));
        assertTrue(p("acs:ram::1234:role/app-*").matches("acs:ram::1234:role/app-"));
        assertFalse(p("acs:ram::1234:role/app-*").matches("acs:ram::1234:role/ap"));
        assertTrue(p("acs:ram::1234:assumed-role/ci-role/build-*").matches("acs:ram::1234:assumed-role/ci-role/build-42"));
        assertFalse(p("acs:ram::1234:assumed-role/ci-role/build-*").matches("acs:ram::1234:assumed-role/ci-role/deploy-1"));
        assertTrue(p("acs:ram::1234:assumed-role/*/*").matches("acs:ram::1234:assumed-role/any-role/any/session"));
    }

    @Test
    void starNeverCrossesAColon() {
        assertTrue(p("acs:ram::*:role/x").matches("acs:ram::5555:role/x"));
        assertFalse(p("acs:ram::*:role/x").matches("acs:ram::5555:extra:role/x"));
        assertFalse(p("acs:ram::12*:role/x").matches("acs:ram::12:34:role/x"));
        assertTrue(p("acs:ram::12*:role/x").matches("acs:ram::1234:role/x"));
        assertFalse(p("acs:ram::1234:role/*").matches("acs:ram::1234:role/a:b"));
    }

    @Test
    void malformedPatternsAreRefused() {
        for (String bad : new String[] {"acs:ram::1234*", "acs:ram::1234:*", "acs:ram::1234:role", "acs:ram::1234:role/",
            "acs:ram::1234:group/admins", "acs:ecs::1234:role/x", "acs:ram:cn-hangzhou:1234:role/x", "acs:ram::abc:role/x",
            "acs:ram::1234:role/a:b", "acs:ram::1234:assumed-role/ci-role", "arn:aws:iam::1234:role/x", "", "*"}) {
            assertTrue(ArnPattern.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void literalDotsAndOtherRegexCharactersAreLiteral() {
        assertFalse(p("acs:ram::1234:role/a.b").matches("acs:ram::1234:role/aXb"));
        assertTrue(p("acs:ram::1234:role/a.b").matches("acs:ram::1234:role/a.b"));
    }
}
