package io.alicloudauth.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** ALICLOUD_AUTH_API_ADDR, the default issuer, is held to the issuer's rule. */
class ApiAddrCheckTest {

    @Test
    void unsetBlankAndValidAddressesPass() {
        assertEquals(Optional.empty(), ApiAddrCheck.problem(Optional.empty()));
        assertEquals(Optional.empty(), ApiAddrCheck.problem(Optional.of("  ")));
        assertEquals(Optional.empty(), ApiAddrCheck.problem(Optional.of("https://auth.example.com")));
        assertEquals(Optional.empty(), ApiAddrCheck.problem(Optional.of("https://auth.example.com:8200/")));
        assertEquals(Optional.empty(), ApiAddrCheck.problem(Optional.of("http://127.0.0.1:8080/auth")));
    }

    @Test
    void whatIsNotAnAddressIsNamed() {
        for (String bad : new String[] {"auth.example.com:8200", "auth.example.com", "ftp://auth.example.com",
                "https://auth.example.com/?x=1", "https://auth.example.com/#top", "https:///v1", "https://a b.com"}) {
            String problem = ApiAddrCheck.problem(Optional.of(bad)).orElseThrow(() -> new AssertionError(bad));
            assertTrue(problem.startsWith("ALICLOUD_AUTH_API_ADDR " + bad + " is not an address"), problem);
            assertTrue(problem.contains("e.g. https://auth.example.com"), problem);
        }
    }

    @Test
    void aPasswordInTheAddressIsNotRepeated() {
        String problem = ApiAddrCheck.problem(Optional.of("https://ops:hunter2-secret@auth.example.com")).orElseThrow();
        assertFalse(problem.contains("hunter2"), problem);
        assertFalse(problem.contains("ops:"), problem);
        assertTrue(problem.contains("https://...@auth.example.com"), problem);
        for (String bad : new String[] {"ops:hunter2-secret@auth.example.com",
                "https://ops:hunter2/secret@auth.example.com", "https://ops:hunter2@secret@auth.example.com"}) {
            String shown = ApiAddrCheck.problem(Optional.of(bad)).orElseThrow(() -> new AssertionError(bad));
            assertFalse(shown.contains("hunter2") || shown.contains("secret") || shown.contains("ops"), shown);
            assertTrue(shown.contains("...@auth.example.com"), shown);
        }
    }
}
