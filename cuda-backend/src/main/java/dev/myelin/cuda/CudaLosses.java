package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Losses;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelDtypes;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.KernelStructs;
import dev.myelin.cuda.kernels.Launch;

import static dev.myelin.cuda.kernels.KernelCatalog.CHECK_TARGETS;
import static dev.myelin.cuda.kernels.KernelCatalog.CROSS_ENTROPY;
import static dev.myelin.cuda.kernels.KernelCatalog.CROSS_ENTROPY_BACKWARD;
import static dev.myelin.cuda.kernels.KernelCatalog.NLL;
import static dev.myelin.cuda.kernels.KernelCatalog.NLL_BACKWARD;
import static dev.myelin.cuda.kernels.KernelCatalog.POINTWISE;
import static dev.myelin.cuda.kernels.KernelCatalog.POINTWISE_BACKWARD;
import static dev.myelin.cuda.kernels.KernelCatalog.POINTWISE_BACKWARD_ND;
import static dev.myelin.cuda.kernels.KernelCatalog.POINTWISE_ND;

/**
 * CUDA kernels of the Losses family (losses.cu), computing in double as the CPU backend does.
 * Pointwise losses take strided inputs (merged as {@link MergedLayout}); cross-entropy and NLL
 * take [N, C, S] scores with any strides, and contiguous copies of targets, class weights and
 * upstream gradients that are not contiguous already. Targets are validated on the device first;
 * the first bad one is reported with the CPU backend's message.
 */
public final class CudaLosses implements Losses {
    private final KernelRunner runner;
    private final CudaElementwise elementwise;

    /** The family on kernels launched through {@code runner} (the driver's, or a test's). */
    public CudaLosses(KernelRunner runner) {
        this.runner = runner;
        this.elementwise = new CudaElementwise(runner);
    }

    @Override
    public void pointwise(Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight, Tensor out) {
        String op = kind.name().toLowerCase();
        checkPointwise(op, input, target, posWeight, out);
        if (out.numel() == 0) return;
        DType dt = input.dtype();
        Tensor pw = posWeight;
        MergedLayout m = pw == null ? MergedLayout.of(out.shape(), input, target)
                : MergedLayout.of(out.shape(), input, target, pw);
        if (m.linear()) {
            runner.launch(POINTWISE, dt, Launch.threads(m.numel()), Launch.block(), KernelCall.of().i32(kind.ordinal())
                    .f64(param).ptr(input).i64(m.stride(0)).ptr(target).i64(m.stride(1)).ptrOrNull(pw)
                    .i64(pw == null ? 0 : m.stride(2)).ptr(out).i64(m.numel()));
        } else {
            runner.launch(POINTWISE_ND, dt, Launch.threads(m.numel()), Launch.block(),
                    KernelCall.of().i32(kind.ordinal())
                    .f64(param).ptr(input).ptr(target).ptrOrNull(pw).ptr(out).i64(m.numel())
                    .struct('G', m.geometry(op)));
        }
    }

    @Override
    public void pointwiseBackward(Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight,
                                  Tensor gradOut, Tensor gradInput) {
        String op = kind.name().toLowerCase() + "_backward";
        checkPointwise(op, input, target, posWeight, gradInput);
        Checks.sameShape(op, "gradOut", gradOut, "input", input);
        Checks.sameDtype(op, input.dtype(), gradOut);
        if (gradInput.numel() == 0) return;
        DType dt = input.dtype();
        // Geometry operands: input, target, posWeight, gradOut (posWeight's strides unused when absent).
        Tensor pw = posWeight == null ? input : posWeight;
        MergedLayout m = MergedLayout.of(gradInput.shape(), input, target, pw, gradOut);
        if (m.linear()) {
            runner.launch(POINTWISE_BACKWARD, dt, Launch.threads(m.numel()), Launch.block(), KernelCall.of()
                    .i32(kind.ordinal()).f64(param).ptr(input).i64(m.stride(0)).ptr(target).i64(m.stride(1))
                    .ptrOrNull(posWeight).i64(m.stride(2)).ptr(gradOut).i64(m.stride(3)).ptr(gradInput).i64(m.numel()));
        } else {
            runner.launch(POINTWISE_BACKWARD_ND, dt, Launch.threads(m.numel()), Launch.block(), KernelCall.of()
                    .i32(kind.ordinal()).f64(param).ptr(input).ptr(target).ptrOrNull(posWeight).ptr(gradOut)
                    .ptr(gradInput).i64(m.numel()).struct('G', m.geometry(op)));
        }
    }

    private static void checkPointwise(String op, Tensor input, Tensor target, Tensor posWeight, Tensor out) {
        Checks.floating(op, input);
        Checks.contiguousOut(op, out);
        Checks.sameShape(op, "target", target, "input", input);
        Checks.sameShape(op, "out", out, "input", input);
        if (posWeight != null) Checks.sameShape(op, "posWeight", posWeight, "input", input);
        Checks.sameDtype(op, input.dtype(), target, posWeight, out);
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor target, Tensor weight, long ignoreIndex, double labelSmoothing,
                             Tensor loss, Tensor sampleWeight) {
        String op = "cross_entropy";
        ClassScores s = ClassScores.of(op, logits, target);
        Checks.contiguous(op, loss, sampleWeight);
        Checks.numel(op, "loss", loss, s.samples());
        Checks.numel(op, "sampleWeight", sampleWeight, s.samples());
        Checks.sameDtype(op, logits.dtype(), weight, loss, sampleWeight);
        Checks.numel(op, "weight", weight, s.classes());
        if (s.samples() == 0) return;
        try (Scratch scratch = new Scratch(logits)) {
            Tensor t = elementwise.contiguous(scratch, target), w = elementwise.contiguous(scratch, weight);
            checkTargets(op, scratch, t, s.classes(), ignoreIndex);
            runner.launch(CROSS_ENTROPY, logits.dtype(), Launch.groups(s.samples(), Launch.WARP), Launch.block(),
                    KernelCall.of().ptr(logits).struct('C', s.layout()).i32(KernelDtypes.code(t.dtype())).ptr(t)
                            .ptrOrNull(w).i64(ignoreIndex).f64(labelSmoothing).ptr(loss).ptr(sampleWeight));
        }
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor target, Tensor weight, long ignoreIndex,
                                     double labelSmoothing, Tensor gradLoss, Tensor gradLogits) {
        String op = "cross_entropy";
        ClassScores s = ClassScores.of(op, logits, target);
        Checks.contiguous(op, gradLogits);
        Checks.numel(op, "gradLoss", gradLoss, s.samples());
        Checks.numel(op, "gradLogits", gradLogits, s.samples() * s.classes());
        Checks.sameDtype(op, logits.dtype(), weight, gradLoss, gradLogits);
        Checks.numel(op, "weight", weight, s.classes());
        if (s.samples() == 0) return;
        try (Scratch scratch = new Scratch(logits)) {
            Tensor t = elementwise.contiguous(scratch, target), w = elementwise.contiguous(scratch, weight);
            Tensor g = elementwise.contiguous(scratch, gradLoss);
            checkTargets(op, scratch, t, s.classes(), ignoreIndex);
            runner.launch(CROSS_ENTROPY_BACKWARD, logits.dtype(), Launch.groups(s.samples(), Launch.WARP),
                    Launch.block(),
                    KernelCall.of().ptr(logits).struct('C', s.layout()).i32(KernelDtypes.code(t.dtype())).ptr(t)
                            .ptrOrNull(w).i64(ignoreIndex).f64(labelSmoothing).ptr(g).ptr(gradLogits));
        }
    }

    @Override
    public void nll(Tensor logProbs, Tensor target, Tensor weight, long ignoreIndex, Tensor loss, Tensor sampleWeight) {
        String op = "nll_loss";
        ClassScores s = ClassScores.of(op, logProbs, target);
        Checks.contiguous(op, loss, sampleWeight);
        Checks.numel(op, "loss", loss, s.samples());
        Checks.numel(op, "sampleWeight", sampleWeight, s.samples());
        Checks.sameDtype(op, logProbs.dtype(), weight, loss, sampleWeight);
        Checks.numel(op, "weight", weight, s.classes());
        if (s.samples() == 0) return;
        try (Scratch scratch = new Scratch(logProbs)) {
            Tensor t = elementwise.contiguous(scratch, target), w = elementwise.contiguous(scratch, weight);
            checkTargets(op, scratch, t, s.classes(), ignoreIndex);
            runner.launch(NLL, logProbs.dtype(), Launch.threads(s.samples()), Launch.block(), KernelCall.of()
                    .ptr(logProbs).struct('C', s.layout()).i32(KernelDtypes.code(t.dtype())).ptr(t).ptrOrNull(w)
                    .i64(ignoreIndex).ptr(loss).ptr(sampleWeight));
        }
    }

    @Override
    public void nllBackward(Tensor target, Tensor weight, long ignoreIndex, Tensor gradLoss, Tensor gradLogProbs) {
        String op = "nll_loss";
        ClassScores s = ClassScores.of(op, gradLogProbs, target);
        Checks.floating(op, gradLogProbs);
        Checks.contiguous(op, gradLogProbs);
        Checks.numel(op, "gradLoss", gradLoss, s.samples());
        Checks.sameDtype(op, gradLogProbs.dtype(), weight, gradLoss);
        Checks.numel(op, "weight", weight, s.classes());
        if (s.samples() == 0) return;
        try (Scratch scratch = new Scratch(gradLogProbs)) {
            Tensor t = elementwise.contiguous(scratch, target), w = elementwise.contiguous(scratch, weight);
            Tensor g = elementwise.contiguous(scratch, gradLoss);
            checkTargets(op, scratch, t, s.classes(), ignoreIndex);
            runner.launch(NLL_BACKWARD, gradLogProbs.dtype(), Launch.threads(s.samples() * s.classes()), Launch.block(),
                    KernelCall.of().struct('C', s.layout()).i32(KernelDtypes.code(t.dtype())).ptr(t).ptrOrNull(w)
                            .i64(ignoreIndex).ptr(g).ptr(gradLogProbs));
        }
    }

    /**
     * Fails, as the CPU backend, on the first target that is neither ignoreIndex nor in [0, C):
     * the check runs on the device and its answer is read back (one small synchronising copy).
     */
    private void checkTargets(String op, Scratch scratch, Tensor target, long classes, long ignoreIndex) {
        Tensor firstBad = elementwise.newFlag(scratch);
        runner.launch(CHECK_TARGETS, null, Launch.threads(target.numel()), Launch.block(), KernelCall.of()
                .i32(KernelDtypes.code(target.dtype())).ptr(target).i64(target.numel()).i64(classes).i64(ignoreIndex)
                .ptr(firstBad));
        long i = runner.readFlag(firstBad);
        if (i == -1) return;
        long v = readTarget(target, i);
        throw new IllegalArgumentException(op + ": target " + v + " (sample " + i + ") is out of bounds for C = "
                + classes + " classes; valid targets are 0 to " + (classes - 1) + " or ignore_index " + ignoreIndex);
    }

    private static long readTarget(Tensor target, long i) {
        if (target.dtype() == DType.INT64) {
            long[] v = new long[1];
            target.storage().read(target.offset() + i, v, 0, 1);
            return v[0];
        }
        int[] v = new int[1];
        target.storage().read(target.offset() + i, v, 0, 1);
        return v[0];
    }

    /** Scores [N, C, S] (any strides) with class-index targets [N, S]. */
    record ClassScores(Tensor scores, long n, long classes, long spatial) {
        static ClassScores of(String op, Tensor scores, Tensor target) {
            if (scores.dim() != 3) {
                throw new IllegalArgumentException(op + ": expects scores viewed as [N, C, S], got shape "
                        + Shape.str(scores.shape()));
            }
            if (target.dtype() != DType.INT32 && target.dtype() != DType.INT64) {
                throw new IllegalStateException(op + ": class-index target must be int32 or int64, got "
                        + target.dtype());
            }
            int[] sh = scores.shape();
            if (target.numel() != (long) sh[0] * sh[2]) {
                throw new IllegalArgumentException(op + ": target has shape " + Shape.str(target.shape())
                        + ", expected " + (long) sh[0] * sh[2] + " elements for scores of shape " + Shape.str(sh));
            }
            return new ClassScores(scores, sh[0], sh[1], sh[2]);
        }

        long samples() {
            return n * spatial;
        }

        long[] layout() {
            long[] st = scores.strides();
            return KernelStructs.classLayout(samples(), classes, spatial, st[0], st[1], st[2]);
        }
    }
}
