package dev.myelin.cuda;

import dev.myelin.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** Batch norm on cuDNN against the CPU kernels, on [N, C, S] inputs as the core passes them. */
@GpuTest
class CudaNormalizationParityTest {
    record Case(int n, int c, int s, boolean affine, boolean running, DType dtype) {
        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + s + "]" + (affine ? " affine" : "") + (running ? " running" : "") + " " + dtype;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case(8, 5, 1, true, true, DType.FLOAT32), // BatchNorm1d on [N, C]
                new Case(4, 3, 37, true, true, DType.FLOAT32),
                new Case(3, 7, 11, false, true, DType.FLOAT32),
                new Case(5, 2, 9, true, false, DType.FLOAT32),
                new Case(2, 16, 28 * 28, true, true, DType.FLOAT32),
                new Case(3, 4, 10, true, true, DType.FLOAT64))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void trainingForwardUpdatesRunningStatisticsAsTheCpu(Case k) {
        DType dt = k.dtype();
        Parity.Pair x = Parity.uniform(1, dt, -2, 3, k.n(), k.c(), k.s());
        Parity.Pair w = k.affine() ? Parity.uniform(2, dt, 0.5, 1.5, k.c()) : Parity.Pair.NONE;
        Parity.Pair b = k.affine() ? Parity.random(3, dt, k.c()) : Parity.Pair.NONE;
        Parity.Pair rm = k.running() ? Parity.random(4, dt, k.c()) : Parity.Pair.NONE;
        Parity.Pair rv = k.running() ? Parity.uniform(5, dt, 0.5, 2, k.c()) : Parity.Pair.NONE;
        Parity.Pair y = Parity.poisoned(dt, k.n(), k.c(), k.s());
        Parity.Pair mean = Parity.poisoned(dt, k.c()), invStd = Parity.poisoned(dt, k.c());
        Parity.cpu().normalization().batchNormTrain(x.cpu(), w.cpu(), b.cpu(), rm.cpu(), rv.cpu(), 0.1, 1e-5, y.cpu(),
                mean.cpu(), invStd.cpu());
        Parity.cuda().normalization().batchNormTrain(x.cuda(), w.cuda(), b.cuda(), rm.cuda(), rv.cuda(), 0.1, 1e-5,
                y.cuda(), mean.cuda(), invStd.cuda());
        Parity.assertClose("batch norm y " + k, y);
        Parity.assertClose("batch norm saved mean " + k, mean);
        Parity.assertClose("batch norm saved invStd " + k, invStd);
        if (k.running()) {
            Parity.assertClose("batch norm running mean " + k, rm);
            Parity.assertClose("batch norm running var (unbiased) " + k, rv);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void inferenceForwardUsesTheRunningStatistics(Case k) {
        DType dt = k.dtype();
        Parity.Pair x = Parity.random(6, dt, k.n(), k.c(), k.s());
        Parity.Pair w = k.affine() ? Parity.uniform(7, dt, 0.5, 1.5, k.c()) : Parity.Pair.NONE;
        Parity.Pair b = k.affine() ? Parity.random(8, dt, k.c()) : Parity.Pair.NONE;
        Parity.Pair rm = Parity.random(9, dt, k.c()), rv = Parity.uniform(10, dt, 0.5, 2, k.c());
        Parity.Pair y = Parity.poisoned(dt, k.n(), k.c(), k.s());
        Parity.cpu().normalization().batchNormInference(x.cpu(), w.cpu(), b.cpu(), rm.cpu(), rv.cpu(), 1e-3, y.cpu());
        Parity.cuda().normalization().batchNormInference(x.cuda(), w.cuda(), b.cuda(), rm.cuda(), rv.cuda(), 1e-3,
                y.cuda());
        Parity.assertClose("batch norm inference " + k, y);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void backwardInTrainingAndEvalMode(Case k) {
        DType dt = k.dtype();
        for (boolean batchStats : new boolean[] {true, false}) {
            Parity.Pair x = Parity.uniform(11, dt, -2, 3, k.n(), k.c(), k.s());
            Parity.Pair gy = Parity.random(12, dt, k.n(), k.c(), k.s());
            Parity.Pair w = k.affine() ? Parity.uniform(13, dt, 0.5, 1.5, k.c()) : Parity.Pair.NONE;
            // Statistics as a training forward saves them: the batch's mean and 1/sqrt(var + eps).
            Parity.Pair y = Parity.empty(dt, k.n(), k.c(), k.s());
            Parity.Pair mean = Parity.empty(dt, k.c()), invStd = Parity.empty(dt, k.c());
            Parity.cpu().normalization().batchNormTrain(x.cpu(), null, null, null, null, 0.1, 1e-5, y.cpu(), mean.cpu(),
                    invStd.cpu());
            Parity.Pair m = Parity.of(dt, dev.myelin.ops.Creation.toHost(mean.cpu()).toDoubles(), k.c());
            Parity.Pair inv = Parity.of(dt, dev.myelin.ops.Creation.toHost(invStd.cpu()).toDoubles(), k.c());
            Parity.Pair gx = Parity.poisoned(dt, k.n(), k.c(), k.s());
            Parity.Pair gw = k.affine() ? Parity.poisoned(dt, k.c()) : Parity.Pair.NONE;
            Parity.Pair gb = k.affine() ? Parity.poisoned(dt, k.c()) : Parity.Pair.NONE;
            Parity.cpu().normalization().batchNormBackward(batchStats, x.cpu(), gy.cpu(), w.cpu(), m.cpu(), inv.cpu(),
                    gx.cpu(), gw.cpu(), gb.cpu());
            Parity.cuda().normalization().batchNormBackward(batchStats, x.cuda(), gy.cuda(), w.cuda(), m.cuda(),
                    inv.cuda(), gx.cuda(), gw.cuda(), gb.cuda());
            String what = (batchStats ? "training" : "eval") + " backward " + k;
            Parity.assertClose("batch norm gradX " + what, gx);
            if (k.affine()) {
                Parity.assertClose("batch norm gradWeight " + what, gw);
                Parity.assertClose("batch norm gradBias " + what, gb);
            }
        }
    }
}
