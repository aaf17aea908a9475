package io.alicloudauth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void goDurationStringsBecomeSeconds() {
        assertEquals(90, Durations.parseSeconds("90s"));
        assertEquals(5400, Durations.parseSeconds("1h30m"));
        assertEquals(5400, Durations.parseSeconds("1.5h"));
        assertEquals(172800, Durations.parseSeconds("2d"));
        assertEquals(1, Durations.parseSeconds("1500ms"));
        assertEquals(3600, Durations.parseSeconds("3600"));
        assertEquals(0, Durations.parseSeconds(""));
    }

    @Test
    void negativeGarbageAndHugeDurationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parseSeconds("-5s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseSeconds("-5"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseSeconds("5 minutes"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseSeconds("1y"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseSeconds("99999999999999h"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseSeconds("9999999999999"));
    }
}
