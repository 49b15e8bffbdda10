package dev.myelin.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The example trains for real: the whole spine end to end (about a second on 2 cores). */
class QuickStartTest {
    @Test
    void separatesTheSpirals() {
        double accuracy = QuickStart.train(300);
        assertTrue(accuracy > 0.95, "training accuracy " + accuracy);
    }

    @Test
    void isReproducibleFromItsSeed() {
        assertEquals(QuickStart.train(20), QuickStart.train(20));
    }
}
