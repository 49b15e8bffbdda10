package dev.myelin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Scoped memory: temporaries are freed, kept tensors move outwards, views keep storage alive. */
class MemoryScopeTest {
    @Test
    void keepMovesATensorToTheEnclosingScope() {
        Tensor kept;
        try (var outer = MemoryScope.open()) {
            try (var inner = MemoryScope.open()) {
                kept = inner.keep(Tensor.ones(3).mul(2));
            }
            assertFalse(kept.isClosed());
            assertEquals(1, outer.ownedCount());
        }
        assertTrue(kept.isClosed());
    }

    @Test
    void aViewKeptOutOfAScopeKeepsItsStorageAlive() {
        Tensor row;
        try (var scope = MemoryScope.open()) {
            Tensor m = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
            row = scope.keep(m.select(0, 1));
        }
        assertArrayEquals(new float[] {3, 4}, row.toFloatArray());
    }

    @Test
    void scopesMustCloseInnermostFirst() {
        var outer = MemoryScope.open();
        var inner = MemoryScope.open();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
        assertNull(MemoryScope.current());
    }

    @Test
    void aTrainingLoopLeavesNothingBehindEachStep() {
        Tensor w = Tensor.randn(8, 4).requiresGrad(true);
        Tensor x = Tensor.randn(16, 4);
        try (var outer = MemoryScope.open()) {
            for (int step = 0; step < 50; step++) {
                try (var scope = MemoryScope.open()) {
                    x.matmul(w.t()).relu().sum().backward();
                    w.setGrad(null);
                }
                assertEquals(0, outer.ownedCount(), "step " + step);
            }
        }
        assertFalse(w.isClosed());
    }
}
