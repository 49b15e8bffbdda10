package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Activations;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Elementwise.Binary;
import dev.myelin.backend.Elementwise.Unary;
import dev.myelin.backend.Losses;
import dev.myelin.backend.Pooling;
import dev.myelin.backend.Reductions;
import dev.myelin.cuda.kernels.CudaSources;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelDtypes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every launcher path, run without a GPU on CPU tensors through a {@link RecordingRunner}: each
 * launch must name a PTX entry and pass exactly its parameter types, with a valid configuration.
 * This is what catches drift between the CUDA C and the Java side before a GPU sees it; the
 * values are checked by the GPU parity tests.
 */
class LauncherContractTest {
    private final Backend cpu = Backends.get("cpu");
    private final RecordingRunner rec = new RecordingRunner();
    private final CudaElementwise ew = new CudaElementwise(rec);

    private Tensor t(DType dtype, int... shape) {
        return Tensor.empty(cpu, dtype, shape);
    }

    @Test
    void elementwiseTakesTheLinearVariantWhenOperandsMergeAndTheGeometryOtherwise() {
        for (DType dt : DType.values()) {
            Tensor a = t(dt, 7, 5), b = t(dt, 7, 5), out = t(dt, 7, 5);
            rec.clear();
            ew.binary(Binary.ADD, a, b, out);
            assertEquals(List.of("elementwise_binary_" + KernelDtypes.suffix(dt)), rec.names());
            rec.clear();
            ew.binary(Binary.MUL, a, t(dt, 1, 5).expand(7, 5), out);
            assertEquals("elementwise_binary_" + KernelDtypes.suffix(dt) + "_nd", rec.last().name());
            rec.clear();
            ew.binary(Binary.SUB, t(dt, 5, 7).t(), t(dt, 1, 1).expand(7, 5), out);
            assertEquals("elementwise_binary_" + KernelDtypes.suffix(dt) + "_nd", rec.last().name());
            rec.clear();
            ew.binary(Binary.GE, t(dt, 1).expand(7, 5), b, out);
            assertEquals("elementwise_binary_" + KernelDtypes.suffix(dt), rec.last().name(),
                    "a scalar broadcast is linear");
            assertEquals(new KernelCall.I64(0), rec.last().call().args().get(2), "stride 0 for the broadcast scalar");
        }
    }

    @Test
    void everyOpOfEveryDtypeLaunches() {
        for (DType dt : DType.values()) {
            Tensor a = t(dt, 3, 4), out = t(dt, 3, 4), at = t(dt, 4, 3).t();
            for (Binary op : Binary.values()) {
                ew.binary(op, a, a, out);
                ew.binary(op, at, a, out);
                ew.binaryScalar(op, a, 3, false, out);
                ew.binaryScalar(op, at, 3, true, out);
            }
            ew.clamp(a, -1, 1, out);
            ew.clamp(at, -1, 1, out);
            ew.where(t(DType.INT32, 3, 4), a, at, out);
            ew.where(t(DType.FLOAT32, 3, 1).expand(3, 4), at, at, out);
            ew.fill(out, 2);
            ew.fill(t(dt, 4, 3).t(), 2);
            for (DType to : DType.values()) {
                ew.copy(a, t(to, 3, 4));
                ew.copy(at, t(to, 3, 4));
                ew.copy(a, t(to, 4, 3).t());
            }
            if (dt.isFloating()) {
                for (Unary op : Unary.values()) {
                    ew.unary(op, a, out);
                    ew.unary(op, at, out);
                }
            }
        }
        assertTrue(rec.launches.size() > 300, rec.launches.size() + " launches");
    }

    @Test
    void mixedDtypesAndIntegerDivisionTakeTheirPaths() {
        rec.clear();
        ew.binary(Binary.DIV, t(DType.INT64, 6), t(DType.INT64, 6), t(DType.INT64, 6));
        assertEquals(List.of("elementwise_fill", "elementwise_binary_i64"), rec.names(), "a zero-divisor flag first");
        rec.clear();
        ew.binary(Binary.ADD, t(DType.INT32, 6), t(DType.FLOAT32, 6), t(DType.FLOAT32, 6));
        assertEquals(List.of("elementwise_copy", "elementwise_copy", "elementwise_binary_f64", "elementwise_copy"),
                rec.names(), "mixed dtypes compute in float64");
        rec.clear();
        ew.binaryScalar(Binary.DIV, t(DType.INT32, 6), 7, true, t(DType.INT32, 6));
        assertEquals(List.of("elementwise_fill", "elementwise_fill", "elementwise_binary_i32"), rec.names());
        var e = assertThrows(IllegalArgumentException.class,
                () -> ew.binaryScalar(Binary.DIV, t(DType.INT32, 6), 0, false, t(DType.INT32, 6)));
        assertEquals("div: integer division by zero", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ew.unary(Unary.EXP, t(DType.FLOAT32, 3, 4),
                t(DType.FLOAT32, 4, 3).t()));
        assertTrue(e.getMessage().startsWith("exp: the output must be contiguous, got shape [3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ew.unary(Unary.EXP, t(DType.INT64, 3), t(DType.INT64, 3)));
        assertTrue(e.getMessage().startsWith("exp: expects float32 or float64"), e.getMessage());
    }

    @Test
    void moreThanEightUnmergeableDimensionsAreRefusedByName() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        Tensor x = t(DType.FLOAT32, 512).viewOf(0, shape, new long[] {1, 2, 4, 8, 16, 32, 64, 128, 256});
        var e = assertThrows(IllegalArgumentException.class, () -> ew.unary(Unary.NEG, x, t(DType.FLOAT32, shape)));
        assertTrue(e.getMessage().contains("at most 8 dimensions"), e.getMessage());
    }

    @Test
    void activationsBiasActivationsAndSoftmax() {
        CudaActivations act = new CudaActivations(rec);
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Tensor x = t(dt, 5, 9);
            for (Activations.Kind k : Activations.Kind.values()) {
                act.forward(k, 0.1, x, t(dt, 5, 9));
                act.backward(k, 0.1, x, x, x, t(dt, 5, 9));
            }
            rec.clear();
            act.biasForward(Activations.Kind.GELU, 0, x, t(dt, 9), t(dt, 5, 9));
            act.biasBackward(Activations.Kind.GELU, 0, x, t(dt, 9), x, x, t(dt, 5, 9));
            String s = KernelDtypes.suffix(dt);
            assertEquals(List.of("bias_activation_forward_" + s, "bias_activation_backward_" + s), rec.names());
            var e = assertThrows(IllegalArgumentException.class,
                    () -> act.biasForward(Activations.Kind.RELU, 0, x, t(dt, 4), t(dt, 5, 9)));
            assertEquals("bias_relu: bias [4] does not divide x [5, 9] into rows", e.getMessage());
            rec.clear();
            act.softmax(t(dt, 4, 10), 1, false, t(dt, 4, 10));
            act.softmax(t(dt, 4, 5000), 1, true, t(dt, 4, 5000));
            act.softmax(t(dt, 4, 10, 3), 1, false, t(dt, 4, 10, 3));
            act.softmaxBackward(t(dt, 4, 10), t(dt, 4, 10), 1, false, t(dt, 4, 10));
            act.softmaxBackward(t(dt, 4, 5000), t(dt, 4, 5000), 1, true, t(dt, 4, 5000));
            act.softmaxBackward(t(dt, 4, 10, 3), t(dt, 4, 10, 3), 1, true, t(dt, 4, 10, 3));
            assertEquals(List.of("softmax_rows_warp_" + s, "softmax_rows_block_" + s, "softmax_columns_" + s,
                    "softmax_backward_rows_warp_" + s, "softmax_backward_rows_block_" + s,
                    "softmax_backward_columns_" + s), rec.names());
        }
    }

    @Test
    void reductionsFollowTheirPlan() {
        CudaReductions red = new CudaReductions(rec);
        rec.clear();
        red.reduce(Reductions.Op.SUM, t(DType.FLOAT32, 37, 1000), t(DType.FLOAT32, 37, 1));
        red.reduce(Reductions.Op.SUM, t(DType.FLOAT32, 1000, 37), t(DType.FLOAT32, 1, 37));
        red.reduce(Reductions.Op.MEAN, t(DType.FLOAT32, 3_000_000), t(DType.FLOAT32, 1));
        red.reduce(Reductions.Op.MAX, t(DType.INT64, 4, 5, 6), t(DType.INT64, 1, 5, 1));
        red.variance(t(DType.FLOAT64, 300_000, 2), 1, t(DType.FLOAT64, 1, 2));
        red.argReduce(true, t(DType.FLOAT32, 6, 3000), 1, t(DType.INT64, 6, 1));
        red.argReduce(false, t(DType.INT32, 6, 30, 4), 1, t(DType.INT64, 6, 1, 4));
        assertEquals(List.of("reduce_warp_f32", "reduce_columns_f32", "reduce_block_f32", "reduce_finish_f32",
                "reduce_warp_i64", "reduce_columns_f64", "reduce_finish_f64", "argreduce_rows_block_f32",
                "argreduce_columns_i32"), rec.names());
        for (DType dt : DType.values()) {
            for (Reductions.Op op : Reductions.Op.values()) {
                if (op == Reductions.Op.MEAN && !dt.isFloating()) continue;
                red.reduce(op, t(dt, 2, 3, 4), t(dt, 1, 3, 1));
                red.reduce(op, t(dt, 2, 3, 40_000), t(dt, 2, 1, 1));
            }
        }
    }

    @Test
    void reducePlans() {
        ReducePlan p = ReducePlan.of("sum", new int[] {4, 5, 6}, new int[] {1, 5, 1});
        assertEquals(ReducePlan.Kind.WARP, p.kind);
        assertEquals(120, p.count * p.outputs);
        assertEquals("[5]/[6] and [4, 6]/[30, 1]", java.util.Arrays.toString(p.keptSizes) + "/"
                + java.util.Arrays.toString(p.keptStrides) + " and " + java.util.Arrays.toString(p.reducedSizes) + "/"
                + java.util.Arrays.toString(p.reducedStrides));
        p = ReducePlan.of("sum", new int[] {10_000_000}, new int[] {1});
        assertEquals(ReducePlan.Kind.BLOCK, p.kind);
        assertEquals(10_000_000 / (1 << 16), p.chunks);
        p = ReducePlan.of("sum", new int[] {2, 3, 1, 4}, new int[] {2, 1, 1, 1});
        assertEquals(ReducePlan.Kind.WARP, p.kind);
        assertEquals(1, p.reducedSizes.length, "the reduced [3, 1, 4] block merges into one dimension");
        p = ReducePlan.of("sum", new int[] {1_000_000, 3}, new int[] {1, 3});
        assertEquals(ReducePlan.Kind.COLUMNS, p.kind);
        assertEquals(1_000_000 / (1 << 12), p.chunks);
    }

    @Test
    void losses() {
        CudaLosses loss = new CudaLosses(rec);
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Tensor x = t(dt, 6, 5), target = t(dt, 5, 6).t(), pw = t(dt, 1, 5).expand(6, 5);
            for (Losses.Pointwise k : Losses.Pointwise.values()) {
                loss.pointwise(k, 1.0, x, x, null, t(dt, 6, 5));
                loss.pointwise(k, 1.0, x, target, pw, t(dt, 6, 5));
                loss.pointwiseBackward(k, 1.0, x, x, null, x, t(dt, 6, 5));
                loss.pointwiseBackward(k, 1.0, x, target, pw, t(dt, 1).expand(6, 5), t(dt, 6, 5));
            }
            for (DType td : List.of(DType.INT32, DType.INT64)) {
                Tensor logits = t(dt, 4, 7, 3), targets = t(td, 4, 3), w = t(dt, 7);
                rec.clear();
                loss.crossEntropy(logits, targets, w, -100, 0.1, t(dt, 12), t(dt, 12));
                assertEquals(List.of("elementwise_fill", "loss_check_targets",
                        "loss_cross_entropy_" + KernelDtypes.suffix(dt)),
                        rec.names());
                loss.crossEntropyBackward(t(dt, 7, 4, 3).transpose(0, 1), t(td, 3, 4).t(), null, -100, 0,
                        t(dt, 1).expand(4, 3), t(dt, 4, 7, 3));
                loss.nll(logits, targets, w, 2, t(dt, 12), t(dt, 12));
                loss.nllBackward(targets, null, -100, t(dt, 12), t(dt, 4, 7, 3));
            }
        }
        var e = assertThrows(IllegalStateException.class, () -> loss.crossEntropy(t(DType.FLOAT32, 2, 3, 1),
                t(DType.FLOAT32, 2, 1), null, -100, 0, t(DType.FLOAT32, 2), t(DType.FLOAT32, 2)));
        assertTrue(e.getMessage().contains("class-index target must be int32 or int64"), e.getMessage());
    }

    @Test
    void varianceHasReductionsCuOpCode() {
        assertEquals((long) CudaReductions.VAR, CudaSources.defines("reductions.cu").get("MYELIN_REDUCE_VAR"));
    }

    @Test
    void layerNormDropoutAndOptimizers() {
        CudaNormalization ln = new CudaNormalization(null, null, rec);
        CudaDropout drop = new CudaDropout(rec);
        CudaOptim opt = new CudaOptim(rec);
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            String s = KernelDtypes.suffix(dt);
            rec.clear();
            Tensor x = t(dt, 3000, 40), w = t(dt, 40), m = t(dt, 3000);
            ln.layerNorm(x, w, null, 1e-5, t(dt, 3000, 40), m, t(dt, 3000));
            ln.layerNorm(t(dt, 2, 4000), null, t(dt, 4000), 1e-5, t(dt, 2, 4000), t(dt, 2), t(dt, 2));
            ln.layerNormBackward(x, x, w, m, m, t(dt, 3000, 40), t(dt, 40), t(dt, 40));
            ln.layerNormBackward(t(dt, 2, 4000), t(dt, 2, 4000), null, t(dt, 2), t(dt, 2), t(dt, 2, 4000), null,
                    t(dt, 4000));
            assertEquals(List.of("layernorm_forward_warp_" + s, "layernorm_forward_block_" + s,
                    "layernorm_backward_warp_" + s, "layernorm_params_" + s, "layernorm_params_finish_" + s,
                    "layernorm_backward_block_" + s, "layernorm_params_" + s), rec.names());

            rec.clear();
            drop.dropout(t(dt, 7, 9), 0.3, 1, 2, 1, t(dt, 7, 9));
            drop.dropout(t(dt, 2, 3, 4, 4), 0.3, 1, 2, 16, t(dt, 2, 3, 4, 4));
            assertEquals(List.of("dropout_" + s, "dropout_grouped_" + s), rec.names());
            assertThrows(IllegalArgumentException.class, () -> drop.dropout(t(dt, 7), 1.0, 1, 2, 1, t(dt, 7)));
            assertThrows(IllegalArgumentException.class, () -> drop.dropout(t(dt, 7), 0.5, 1, 2, 2, t(dt, 7)));

            rec.clear();
            Tensor p = t(dt, 5, 3), g = t(dt, 5, 3), b = t(dt, 5, 3), pt = t(dt, 3, 5).t();
            opt.sgd(p, g, b, 0.1, 0.9, 0, true, 1e-4, false);
            opt.sgd(p, g, null, 0.1, 0, 0, false, 0, false);
            opt.rmsprop(p, g, b, b, b, 0.01, 0.99, 1e-8, 0, 0.9);
            opt.rmsprop(p, g, b, null, null, 0.01, 0.99, 1e-8, 0, 0);
            opt.adagrad(p, g, b, 0.01, 0.1, 1e-10);
            opt.adam(p, g, b, b, b, 1e-3, 0.9, 0.999, 1e-8, 0.01, true, 3);
            opt.adam(pt, g, b, b, null, 1e-3, 0.9, 0.999, 1e-8, 0.01, false, 1);
            assertEquals(List.of("optim_sgd_" + s, "optim_sgd_" + s, "optim_rmsprop_" + s, "optim_rmsprop_" + s,
                    "optim_adagrad_" + s, "optim_adam_" + s, "elementwise_copy_nd", "optim_adam_" + s,
                    "elementwise_copy_nd"),
                    rec.names(), "a transposed param is updated through a contiguous copy");
            var e = assertThrows(IllegalArgumentException.class,
                    () -> opt.sgd(p, g, null, 0.1, 0.9, 0, false, 0, false));
            assertTrue(e.getMessage().startsWith("sgd: 'momentumBuf' is required (momentum 0.9)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> opt.adam(p, g, b, b, null, 1e-3, 0.9, 0.999, 1e-8, 0,
                    false, 0));
            assertEquals("adam: step counts from 1, got 0", e.getMessage());
        }
    }

    @Test
    void poolingTakesAThreadPerOutputForwardAndPerInputBackward() {
        CudaPooling pool = new CudaPooling(null, null, rec);
        Pooling.Params p = new Pooling.Params(3, 3, 2, 2, 1, 1, true, false);
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            String s = KernelDtypes.suffix(dt);
            rec.clear();
            Tensor x = t(dt, 2, 3, 10, 11), y = t(dt, 2, 3, 6, 6), idx = t(DType.INT64, 2, 3, 6, 6);
            pool.maxPool2d(x, p, y, idx);
            pool.maxPool2dBackward(y, idx, p, x);
            pool.avgPool2d(x, p, y);
            pool.avgPool2dBackward(y, p, x);
            assertEquals(List.of("max_pool2d_" + s, "max_pool2d_backward_" + s, "avg_pool2d_" + s,
                    "avg_pool2d_backward_" + s), rec.names());
            assertEquals(List.of(1, 3, 1, 3), rec.launches.stream().map(r -> r.grid().x()).toList(),
                    "216 outputs, 660 inputs, 256 threads a block");
            assertEquals(List.of(new KernelCall.I64(6), new KernelCall.I32(10), new KernelCall.I32(11),
                    new KernelCall.I32(6), new KernelCall.I32(6), new KernelCall.I32(3), new KernelCall.I32(3),
                    new KernelCall.I32(2), new KernelCall.I32(2), new KernelCall.I32(1), new KernelCall.I32(1),
                    new KernelCall.I32(0)), rec.last().call().args().subList(2, 14),
                    "planes, geometry, countIncludePad");
        }
        rec.clear();
        pool.maxPool2d(t(DType.FLOAT32, 2, 3, 0, 4), p, t(DType.FLOAT32, 2, 3, 0, 2), t(DType.INT64, 2, 3, 0, 2));
        assertEquals(List.of(), rec.names(), "nothing to pool");
        var e = assertThrows(IllegalArgumentException.class, () -> pool.maxPool2d(t(DType.FLOAT32, 1, 1, 4, 4), p,
                t(DType.FLOAT32, 1, 1, 2, 2), t(DType.INT32, 1, 1, 2, 2)));
        assertTrue(e.getMessage().startsWith("maxPool2d: expects every tensor to be INT64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> pool.avgPool2d(t(DType.FLOAT32, 1, 4, 4), p,
                t(DType.FLOAT32, 1, 1, 2, 2)));
        assertTrue(e.getMessage().startsWith("avgPool2d: expects [N, C, H, W]"), e.getMessage());
    }
}
