package io.alicloudauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The shapes of tokens and accessors, and the key a token is stored under (TokenKeysTest reads it from the store). */
class SecretsTest {

    @Test
    void serviceTokensAndAccessorsBeginWithTheirIssueTimeAndSortByIt() throws InterruptedException {
        long before = System.currentTimeMillis();
        String first = Secrets.newServiceToken();
        String accessor = Secrets.newAccessor();
        Thread.sleep(2);
        String second = Secrets.newServiceToken();
        assertTrue(first.matches("hvs\\.[0-9a-f]{11}[A-Za-z0-9_-]{43}"), first);
        assertTrue(accessor.matches("[0-9a-f]{11}[A-Za-z0-9]{24}"), accessor);
        long issued = Long.parseLong(first.substring(4, 15), 16);
        assertTrue(issued >= before && issued <= System.currentTimeMillis(), first);
        assertTrue(Secrets.key(first).compareTo(Secrets.key(second)) < 0, "keys sort by issue time");
        assertTrue(accessor.substring(0, 11).compareTo(second.substring(4, 15)) < 0);
    }

    @Test
    void theKeyIsTheIssueTimeAndTheHashOfTheWholeToken() {
        String token = Secrets.newServiceToken();
        assertEquals(token.substring(4, 15) + Secrets.hash(token), Secrets.key(token));
        assertEquals(75, Secrets.key(token).length());
        assertTrue(Secrets.key(token).matches("[0-9a-f]{75}"));
        // the time alone names nothing: a token that differs in its random part has another key
        String other = token.substring(0, 20) + (token.charAt(20) == 'A' ? 'B' : 'A') + token.substring(21);
        assertNotEquals(Secrets.key(token), Secrets.key(other));
    }

    @Test
    void anythingElseIsKeyedByItsHashAlone() {
        String earlier = Secrets.newToken("hvs.");
        assertEquals(47, earlier.length());
        assertEquals(Secrets.hash(earlier), Secrets.key(earlier));
        String token = Secrets.newServiceToken();
        String notHex = token.substring(0, 4) + "G" + token.substring(5);
        assertEquals(Secrets.hash(notHex), Secrets.key(notHex));
        String batchShaped = "hvb." + token.substring(4);
        assertEquals(Secrets.hash(batchShaped), Secrets.key(batchShaped));
        assertEquals(Secrets.hash("hvs.short"), Secrets.key("hvs.short"));
    }

    @Test
    void tokensAndAccessorsAreDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(Secrets.newServiceToken()));
            assertTrue(seen.add(Secrets.newAccessor()));
        }
    }
}
