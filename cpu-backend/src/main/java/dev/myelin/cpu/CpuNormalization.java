package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Normalization;

/**
 * CPU kernels of the Normalization family. The big tensors (x, y, gradients) must be contiguous;
 * per-channel tensors may be any view. Batch norm is one pass for the statistics (sums centred on
 * a pilot mean of the first samples, so the variance does not cancel) and one for the output; the arithmetic
 * on per-channel values is done here in double, the passes over the data in
 * {@link BatchNormSweeps}. Layer norm lives in {@link LayerNormF32} and {@link LayerNormF64}.
 */
final class CpuNormalization implements Normalization {
    @Override
    public void batchNormTrain(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                               double momentum, double eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        BatchNormDims d = dims("batchNormTrain", x, y);
        if (x.numel() == 0) return;
        BatchNormSweeps sweeps = BatchNormSweeps.of(x.dtype());
        int c = d.c();
        double count = d.count();
        double[] mean = pilotMean(sweeps, d, x);
        double[] dev = new double[c], sq = new double[c];
        sweeps.reduce(d, x, mean, x, mean, dev, sq);

        double[] w = BatchNormChannels.read("batchNormTrain", "weight", weight, c, 1);
        double[] b = BatchNormChannels.read("batchNormTrain", "bias", bias, c, 0);
        double[] invStd = new double[c], scale = new double[c], unbiased = new double[c];
        for (int ch = 0; ch < c; ch++) {
            // Centred on the pilot mean m: the pass refines it, and
            // sum((x - m)^2) - sum(x - m)^2 / n is the exact second moment for any m.
            double m2 = Math.max(0, sq[ch] - dev[ch] * dev[ch] / count);
            mean[ch] += dev[ch] / count;
            invStd[ch] = 1 / Math.sqrt(m2 / count + eps);
            unbiased[ch] = m2 / (count - 1);
            scale[ch] = w[ch] * invStd[ch];
        }
        sweeps.map(d, x, mean, scale, b, null, null, y);
        BatchNormChannels.write("batchNormTrain", "saveMean", saveMean, mean);
        BatchNormChannels.write("batchNormTrain", "saveInvStd", saveInvStd, invStd);
        updateRunning("runningMean", runningMean, mean, momentum);
        updateRunning("runningVar", runningVar, unbiased, momentum);
    }

    /**
     * The centre of the one statistics pass: the mean of the first samples, at least
     * {@link #PILOT} values per channel. The pass's sums are exact for any centre, but their
     * rounding grows with (mean - centre)^2 / variance, which a mean of PILOT values keeps near
     * 1 / PILOT (and a large common offset near zero) for the cost of a small fraction of a pass.
     */
    private static double[] pilotMean(BatchNormSweeps sweeps, BatchNormDims d, Tensor x) {
        int c = d.c(), rows = (int) Math.min(d.n(), (PILOT + d.s() - 1) / d.s());
        BatchNormDims head = new BatchNormDims(rows, c, d.s());
        double[] zero = new double[c], sum = new double[c], unused = new double[c];
        sweeps.reduce(head, x, zero, x, zero, sum, unused);
        double count = head.count();
        for (int ch = 0; ch < c; ch++) sum[ch] = sweeps.representable(sum[ch] / count);
        return sum;
    }

    private static final int PILOT = 16;

    /** running = momentum * stat + (1 - momentum) * running, in PyTorch's order of operations. */
    private static void updateRunning(String arg, Tensor running, double[] stat, double momentum) {
        if (running == null) return;
        double[] r = BatchNormChannels.read("batchNormTrain", arg, running, stat.length, 0);
        for (int ch = 0; ch < r.length; ch++) r[ch] = momentum * stat[ch] + (1 - momentum) * r[ch];
        BatchNormChannels.write("batchNormTrain", arg, running, r);
    }

    @Override
    public void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                   double eps, Tensor y) {
        BatchNormDims d = dims("batchNormInference", x, y);
        int c = d.c();
        double[] w = BatchNormChannels.read("batchNormInference", "weight", weight, c, 1);
        double[] b = BatchNormChannels.read("batchNormInference", "bias", bias, c, 0);
        double[] mean = BatchNormChannels.read("batchNormInference", "runningMean", runningMean, c, 0);
        double[] var = BatchNormChannels.read("batchNormInference", "runningVar", runningVar, c, 0);
        double[] scale = new double[c];
        for (int ch = 0; ch < c; ch++) scale[ch] = w[ch] / Math.sqrt(var[ch] + eps);
        if (x.numel() > 0) BatchNormSweeps.of(x.dtype()).map(d, x, mean, scale, b, null, null, y);
    }

    @Override
    public void batchNormBackward(boolean batchStats, Tensor x, Tensor gradY, Tensor weight, Tensor mean,
                                  Tensor invStd, Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        BatchNormDims d = dims("batchNormBackward", x, gradY, gradX);
        int c = d.c();
        double[] w = BatchNormChannels.read("batchNormBackward", "weight", weight, c, 1);
        double[] m = BatchNormChannels.read("batchNormBackward", "mean", mean, c, 0);
        double[] inv = BatchNormChannels.read("batchNormBackward", "invStd", invStd, c, 0);
        BatchNormSweeps sweeps = BatchNormSweeps.of(x.dtype());
        double[] zero = new double[c], sumG = new double[c], sumGX = new double[c];
        if (x.numel() > 0) sweeps.reduce(d, gradY, zero, x, m, sumG, sumGX);

        double count = d.count();
        double[] k = new double[c], a = new double[c], b = new double[c];
        for (int ch = 0; ch < c; ch++) {
            k[ch] = w[ch] * inv[ch];
            if (batchStats) {
                // gradX = w * invStd * (g - mean(g) - (x - mean) * invStd^2 * mean(g * (x - mean)))
                a[ch] = -k[ch] * inv[ch] * inv[ch] * sumGX[ch] / count;
                b[ch] = -k[ch] * sumG[ch] / count;
            }
        }
        if (x.numel() > 0) {
            if (batchStats) sweeps.map(d, x, m, a, b, gradY, k, gradX);
            else sweeps.map(d, gradY, zero, k, zero, null, null, gradX);
        }
        if (gradWeight != null) {
            double[] gw = new double[c];
            for (int ch = 0; ch < c; ch++) gw[ch] = sumGX[ch] * inv[ch];
            BatchNormChannels.write("batchNormBackward", "gradWeight", gradWeight, gw);
        }
        if (gradBias != null) BatchNormChannels.write("batchNormBackward", "gradBias", gradBias, sumG);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor saveMean,
                          Tensor saveInvStd) {
        int rows = Math.toIntExact(saveMean.numel()), cols = cols("layerNorm", x, rows);
        contiguous("layerNorm", x, y);
        double[] w = BatchNormChannels.read("layerNorm", "weight", weight, cols, 1);
        double[] b = BatchNormChannels.read("layerNorm", "bias", bias, cols, 0);
        double[] mean = new double[rows], invStd = new double[rows];
        switch (x.dtype()) {
            case FLOAT32 -> LayerNormF32.forward(CpuStorage.f32(x), CpuStorage.off(x), rows, cols,
                    BatchNormChannels.toFloat(w), BatchNormChannels.toFloat(b), eps, CpuStorage.f32(y),
                    CpuStorage.off(y), mean, invStd);
            case FLOAT64 -> LayerNormF64.forward(CpuStorage.f64(x), CpuStorage.off(x), rows, cols, w, b, eps,
                    CpuStorage.f64(y), CpuStorage.off(y), mean, invStd);
            default -> throw unsupported("layerNorm", x.dtype());
        }
        BatchNormChannels.write("layerNorm", "saveMean", saveMean, mean);
        BatchNormChannels.write("layerNorm", "saveInvStd", saveInvStd, invStd);
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor gradY, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                                  Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        int rows = Math.toIntExact(saveMean.numel()), cols = cols("layerNormBackward", x, rows);
        contiguous("layerNormBackward", x, gradY, gradX);
        double[] w = BatchNormChannels.read("layerNormBackward", "weight", weight, cols, 1);
        double[] mean = BatchNormChannels.read("layerNormBackward", "saveMean", saveMean, rows, 0);
        double[] inv = BatchNormChannels.read("layerNormBackward", "saveInvStd", saveInvStd, rows, 0);
        double[] gw = gradWeight == null ? null : new double[cols];
        double[] gb = gradBias == null ? null : new double[cols];
        int xo = CpuStorage.off(x), go = CpuStorage.off(gradY), gxo = CpuStorage.off(gradX);
        switch (x.dtype()) {
            case FLOAT32 -> {
                float[] xa = CpuStorage.f32(x), ga = CpuStorage.f32(gradY);
                float[] meanF = BatchNormChannels.toFloat(mean), invF = BatchNormChannels.toFloat(inv);
                LayerNormF32.backwardInput(xa, xo, ga, go, rows, cols, BatchNormChannels.toFloat(w), meanF, invF,
                        CpuStorage.f32(gradX), gxo);
                if (gw != null || gb != null) {
                    LayerNormF32.backwardParams(xa, xo, ga, go, rows, cols, meanF, invF, gw, gb);
                }
            }
            case FLOAT64 -> {
                double[] xa = CpuStorage.f64(x), ga = CpuStorage.f64(gradY);
                LayerNormF64.backwardInput(xa, xo, ga, go, rows, cols, w, mean, inv, CpuStorage.f64(gradX), gxo);
                if (gw != null || gb != null) {
                    LayerNormF64.backwardParams(xa, xo, ga, go, rows, cols, mean, inv, gw, gb);
                }
            }
            default -> throw unsupported("layerNormBackward", x.dtype());
        }
        if (gw != null) BatchNormChannels.write("layerNormBackward", "gradWeight", gradWeight, gw);
        if (gb != null) BatchNormChannels.write("layerNormBackward", "gradBias", gradBias, gb);
    }

    private static BatchNormDims dims(String kernel, Tensor x, Tensor... others) {
        contiguous(kernel, x);
        contiguous(kernel, others);
        return BatchNormDims.of(x);
    }

    /** D of a layer norm whose x has {@code rows} rows. */
    private static int cols(String kernel, Tensor x, int rows) {
        if (rows == 0) return x.dim() == 0 ? 1 : x.size(x.dim() - 1);
        if (x.numel() % rows != 0) {
            throw new IllegalArgumentException("cpu " + kernel + ": input of shape " + Shape.str(x.shape())
                    + " does not split into " + rows + " rows");
        }
        return Math.toIntExact(x.numel() / rows);
    }

    private static void contiguous(String kernel, Tensor... ts) {
        for (Tensor t : ts) {
            if (!t.isContiguous()) {
                throw new IllegalArgumentException("cpu " + kernel + ": expects contiguous tensors, got shape "
                        + Shape.str(t.shape()) + " with strides " + java.util.Arrays.toString(t.strides()));
            }
        }
    }

    private static IllegalArgumentException unsupported(String kernel, DType dtype) {
        return new IllegalArgumentException("cpu " + kernel + ": expected float32 or float64, got " + dtype);
    }
}
