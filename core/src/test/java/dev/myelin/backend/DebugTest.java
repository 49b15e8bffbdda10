package dev.myelin.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DebugTest {
    @Test
    void levelFromThePropertyElseTheEnvironment() {
        assertEquals(0, Debug.parse(null, null));
        assertEquals(0, Debug.parse(" ", ""));
        assertEquals(1, Debug.parse("true", null));
        assertEquals(1, Debug.parse(null, "1"));
        assertEquals(2, Debug.parse(null, "2"));
        assertEquals(0, Debug.parse("false", "1"), "the property wins");
        assertEquals(2, Debug.parse("2", "0"));
        assertEquals(0, Debug.parse("0", null));
        assertEquals(1, Debug.parse("verbose", null), "not a level: traced at level 1, with a warning");
    }
}
