package io.alicloudauth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    static final List<String> PROXIES = ClientAddresses.parseTrusted(List.of("10.0.0.0/8", "192.0.2.1"));

    static String client(String peer, String... xff) {
        return ClientAddresses.nearestUntrusted(ClientAddresses.xForwardedFor(List.of(xff)), peer, PROXIES);
    }

    @Test
    void theNearestUntrustedHopFromTheRightIsTheClient() {
        assertEquals("198.51.100.7", client("10.1.1.1", "10.20.30.40, 198.51.100.7"));
        assertEquals("203.0.113.5", client("10.1.1.1", "6.6.6.6, 203.0.113.5, 10.9.9.9"));
        assertEquals("203.0.113.5", client("192.0.2.1", "203.0.113.5:4711"));
        assertEquals("2001:db8::1", client("10.1.1.1", "[2001:db8::1]:443"));
        assertEquals("2001:db8::1", client("10.1.1.1", "2001:db8::1"));
    }

    @Test
    void aPeerThatIsNotTrustedIsTheClientWhateverItSays() {
        assertEquals("198.51.100.1", ClientAddresses.nearestUntrusted(List.of("10.20.30.40"), "198.51.100.1",
                ClientAddresses.parseTrusted(List.of("127.0.0.1"))));
    }

    @Test
    void anEntryThatIsNotAnAddressIsTheClientAndMatchesNoCidr() {
        String client = client("10.1.1.1", "unknown");
        assertEquals("unknown", client);
        assertEquals(false, Cidrs.contains(List.of("0.0.0.0/0"), client));
    }

    @Test
    void forwardedElementsAreReadForTheirForParameter() {
        List<String> hops = ClientAddresses.forwardedFor(List.of(
                "for=192.0.2.60;proto=http;by=203.0.113.43, for=\"[2001:db8:cafe::17]:4711\"", "For=198.51.100.9"));
        assertEquals(List.of("192.0.2.60", "2001:db8:cafe::17", "198.51.100.9"), hops);
        assertEquals(List.of("unknown"), ClientAddresses.forwardedFor(List.of("proto=https")));
    }

    @Test
    void aFloodOfHopsIsCutToTheLastOnes() {
        String many = "1.1.1.1, ".repeat(1000) + "203.0.113.5";
        List<String> hops = ClientAddresses.xForwardedFor(List.of(many));
        assertEquals(ClientAddresses.MAX_HOPS, hops.size());
        assertEquals("203.0.113.5", hops.get(hops.size() - 1));
    }

    @Test
    void trustedProxiesMustBeAddressesOrCidrBlocks() {
        assertThrows(IllegalStateException.class, () -> ClientAddresses.parseTrusted(List.of("proxy.internal")));
        assertThrows(IllegalStateException.class, () -> ClientAddresses.parseTrusted(List.of("10.0.0.1:8080")));
    }
}
