package dev.myelin.cpu;

import dev.myelin.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class ArrayPoolTest {
    private static final int N = ArrayPool.MIN_ELEMENTS;

    private static int length(Object array) {
        return java.lang.reflect.Array.getLength(array);
    }

    @Test
    void aFreedArrayServesTheNextRequestOfItsDtypeAndLength() {
        ArrayPool pool = new ArrayPool(1 << 20);
        Object a = pool.take(DType.FLOAT32, N);
        assertInstanceOf(float[].class, a);
        pool.give(DType.FLOAT32, a, length(a));
        assertEquals(4L * N, pool.pooledBytes());
        assertNotSame(a, pool.take(DType.FLOAT32, N + 1), "another length");
        assertNotSame(a, pool.take(DType.INT32, N), "another dtype of the same size");
        assertSame(a, pool.take(DType.FLOAT32, N));
        assertEquals(0, pool.pooledBytes());
        assertNotSame(a, pool.take(DType.FLOAT32, N), "handed out once only");
    }

    @Test
    void smallArraysAreNotKept() {
        ArrayPool pool = new ArrayPool(1 << 20);
        Object small = pool.take(DType.FLOAT64, N - 1);
        pool.give(DType.FLOAT64, small, length(small));
        assertEquals(0, pool.pooledBytes());
        assertNotSame(small, pool.take(DType.FLOAT64, N - 1));
    }

    @Test
    void passingTheCapacityEmptiesThePoolFirst() {
        ArrayPool pool = new ArrayPool(8L * N * 2);     // room for two double[N]
        Object a = pool.take(DType.FLOAT64, N), b = pool.take(DType.FLOAT64, N), c = pool.take(DType.FLOAT64, N);
        pool.give(DType.FLOAT64, a, length(a));
        pool.give(DType.FLOAT64, b, length(b));
        pool.give(DType.FLOAT64, c, length(c));                     // a and b are dropped, c is kept
        assertEquals(8L * N, pool.pooledBytes());
        assertSame(c, pool.take(DType.FLOAT64, N));
        assertEquals(0, pool.pooledBytes());
    }

    @Test
    void zeroCapacityTurnsPoolingOff() {
        ArrayPool pool = new ArrayPool(0);
        Object a = pool.take(DType.INT64, N);
        pool.give(DType.INT64, a, length(a));
        assertNotSame(a, pool.take(DType.INT64, N));
    }
}
