package dev.myelin.cpu;

/**
 * How a contiguous tensor reduces into its keepdim output: when the reduced dimensions form one
 * block (after dropping size-1 dimensions) x is viewed as [outer, reduced, inner], which covers a
 * sum over everything, over the trailing dims (a row sum) and over the leading dims (a bias
 * gradient). Other patterns (reduced dims separated by kept ones) have {@link #single} false.
 */
final class ReduceLayout {
    final int outer, reduced, inner;
    final boolean single;

    ReduceLayout(int[] xShape, int[] outShape) {
        // 0 = before the reduced block, 1 = in it, 2 = after it.
        int phase = 0;
        long outerN = 1, reducedN = 1, innerN = 1;
        boolean ok = true;
        for (int d = 0; d < xShape.length; d++) {
            int size = xShape[d];
            if (size == 1) continue;
            boolean isReduced = outShape[d] == 1;
            if (isReduced) {
                if (phase == 2) ok = false;
                phase = 1;
                reducedN *= size;
            } else if (phase == 0) {
                outerN *= size;
            } else {
                phase = 2;
                innerN *= size;
            }
        }
        this.single = ok;
        this.outer = (int) outerN;
        this.reduced = (int) reducedN;
        this.inner = (int) innerN;
    }

    /**
     * Into how many parts each outer slice's reduced rows are split so that a few large slices
     * still spread over the threads. Depends on the sizes only, never on the thread count, so a
     * result does not change with the machine.
     */
    int parts() {
        long work = (long) reduced * inner;
        if (outer >= 64 || work < 4 * Parallel.GRAIN) return 1;
        return (int) Math.min(Math.min(16, reduced), work / (2 * Parallel.GRAIN));
    }
}
