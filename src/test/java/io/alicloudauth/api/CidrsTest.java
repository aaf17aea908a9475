package io.alicloudauth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CidrsTest {

    @Test
    void blocksAndSingleAddressesNormalise() {
        assertEquals("10.0.0.0/8", Cidrs.normalise("10.0.0.0/8"));
        assertEquals("127.0.0.1/32", Cidrs.normalise(" 127.0.0.1 "));
        assertEquals("0:0:0:0:0:0:0:1/128", Cidrs.normalise("::1"));
        assertNull(Cidrs.normalise("10.0.0.0/33"));
        assertNull(Cidrs.normalise("300.0.0.1"));
        assertNull(Cidrs.normalise("example.com"));
        assertNull(Cidrs.normalise("10.0.0.0/x"));
    }

    @Test
    void membershipFollowsThePrefix() {
        List<String> cidrs = List.of("10.1.0.0/16", "192.168.1.7/32");
        assertTrue(Cidrs.contains(cidrs, "10.1.200.3"));
        assertTrue(Cidrs.contains(cidrs, "192.168.1.7"));
        assertTrue(Cidrs.contains(cidrs, "::ffff:10.1.0.9"));
        assertFalse(Cidrs.contains(cidrs, "10.2.0.1"));
        assertFalse(Cidrs.contains(cidrs, "192.168.1.8"));
        assertFalse(Cidrs.contains(cidrs, null));
        assertTrue(Cidrs.contains(List.of("10.1.0.0/20"), "10.1.15.255"));
        assertFalse(Cidrs.contains(List.of("10.1.0.0/20"), "10.1.16.0"));
    }
}
