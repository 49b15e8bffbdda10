package dev.myelin;

import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.Node;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Debug;
import dev.myelin.backend.Elementwise;
import dev.myelin.backend.Reductions;
import dev.myelin.backend.Storage;
import dev.myelin.ops.ActivationOps;
import dev.myelin.ops.Creation;
import dev.myelin.ops.ElementwiseOps;
import dev.myelin.ops.IndexOps;
import dev.myelin.ops.MatmulOps;
import dev.myelin.ops.ReductionOps;
import dev.myelin.ops.ViewOps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An n-dimensional array on a backend's device, with PyTorch's semantics: a view (offset and
 * strides, in elements) into a shared {@link Storage}, broadcasting arithmetic, and define-by-run
 * autograd ({@link #requiresGrad(boolean)}, {@link #backward()}, {@link #grad()}).
 *
 * <p>Memory: a tensor created inside an open {@link MemoryScope} belongs to it and is freed when
 * the scope closes unless kept; {@link #close()} frees one early. Reading a freed tensor throws.
 */
public final class Tensor implements AutoCloseable {
    private final Storage storage;
    private final long offset;
    private final int[] shape;
    private final long[] strides;

    private boolean requiresGrad;
    private boolean retainsGrad;
    private Tensor grad;
    private Node gradFn;
    /** Run after autograd accumulates into this leaf's grad; null until a hook is registered. */
    private List<Consumer<Tensor>> postAccumulateGradHooks;
    private boolean closed;
    /** The scope that owns this tensor, or null; managed by {@link MemoryScope}. */
    MemoryScope owner;

    private Tensor(Storage storage, long offset, int[] shape, long[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        MemoryScope.adopt(this);
    }

    // ---------------------------------------------------------------- construction (internal)

    /**
     * <b>Internal.</b> Wraps a storage the caller holds one reference to (which the new tensor takes
     * over). For ops and backends; users create tensors with the factories below.
     */
    @Internal
    public static Tensor wrap(Storage storage, long offset, int[] shape, long[] strides) {
        return new Tensor(storage, offset, shape.clone(), strides.clone());
    }

    /**
     * <b>Internal.</b> A new view of this tensor's storage (retaining it) with another geometry. No
     * autograd; users take views with {@link #view}, {@link #slice}, {@link #transpose} and the like.
     */
    @Internal
    public Tensor viewOf(long newOffset, int[] newShape, long[] newStrides) {
        storage().retain();
        return new Tensor(storage, newOffset, newShape.clone(), newStrides.clone());
    }

    /** A new contiguous, uninitialised tensor on a backend. */
    public static Tensor empty(Backend backend, DType dtype, int... shape) {
        Shape.checkValid("empty", shape);
        Storage s = backend.allocate(dtype, Shape.numel(shape));
        return new Tensor(s, 0, shape.clone(), Shape.contiguousStrides(shape));
    }

    // ---------------------------------------------------------------- factories

    public static Tensor empty(DType dtype, int... shape) {
        return empty(Backends.getDefault(), dtype, shape);
    }

    public static Tensor empty(int... shape) {
        return empty(DType.FLOAT32, shape);
    }

    public static Tensor zeros(int... shape) {
        return full(0, DType.FLOAT32, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return full(0, dtype, shape);
    }

    public static Tensor ones(int... shape) {
        return full(1, DType.FLOAT32, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(1, dtype, shape);
    }

    public static Tensor full(double value, int... shape) {
        return full(value, DType.FLOAT32, shape);
    }

    public static Tensor full(double value, DType dtype, int... shape) {
        return Creation.full(Backends.getDefault(), value, dtype, shape);
    }

    public static Tensor emptyLike(Tensor t) {
        return empty(t.backend(), t.dtype(), t.shape);
    }

    public static Tensor zerosLike(Tensor t) {
        return Creation.full(t.backend(), 0, t.dtype(), t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return Creation.full(t.backend(), 1, t.dtype(), t.shape);
    }

    public static Tensor fullLike(Tensor t, double value) {
        return Creation.full(t.backend(), value, t.dtype(), t.shape);
    }

    /** A float32 tensor holding {@code data} (row-major) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        return Creation.fromHost(Backends.getDefault(), DType.FLOAT32, data, data.length, shape);
    }

    /** A float64 tensor. */
    public static Tensor of(double[] data, int... shape) {
        return Creation.fromHost(Backends.getDefault(), DType.FLOAT64, data, data.length, shape);
    }

    /** An int32 tensor. */
    public static Tensor of(int[] data, int... shape) {
        return Creation.fromHost(Backends.getDefault(), DType.INT32, data, data.length, shape);
    }

    /** An int64 tensor (PyTorch's dtype for class indices). */
    public static Tensor of(long[] data, int... shape) {
        return Creation.fromHost(Backends.getDefault(), DType.INT64, data, data.length, shape);
    }

    /** A zero-dimensional float32 tensor. */
    public static Tensor scalar(double value) {
        return full(value, DType.FLOAT32);
    }

    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /** 0, 1, ..., n - 1. */
    public static Tensor arange(int n, DType dtype) {
        return Creation.arange(Backends.getDefault(), n, dtype);
    }

    /** Uniform [0, 1) float32 from the default generator. */
    public static Tensor rand(int... shape) {
        return Creation.uniform(Backends.getDefault(), DType.FLOAT32, 0, 1, null, shape);
    }

    /** Standard normal float32 from the default generator. */
    public static Tensor randn(int... shape) {
        return Creation.normal(Backends.getDefault(), DType.FLOAT32, 0, 1, null, shape);
    }

    /** Concatenates along {@code dim}; differentiable. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return ViewOps.cat(tensors, dim);
    }

    /** Stacks along a new dimension {@code dim}; differentiable. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return ViewOps.stack(tensors, dim);
    }

    /** {@code cond != 0 ? a : b}, broadcasting; differentiable in a and b. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return ElementwiseOps.where(cond, a, b);
    }

    // ---------------------------------------------------------------- geometry

    public int[] shape() {
        return shape.clone();
    }

    public int size(int dim) {
        if (shape.length == 0) throw new IllegalArgumentException("size: a 0-dim tensor has no dimension " + dim);
        return shape[Shape.dim("size", dim, shape.length)];
    }

    public int dim() {
        return shape.length;
    }

    public long numel() {
        return Shape.numel(shape);
    }

    public long[] strides() {
        return strides.clone();
    }

    public long stride(int dim) {
        return strides[Shape.dim("stride", dim, shape.length)];
    }

    public long offset() {
        return offset;
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** The storage; throws if this tensor was freed. */
    public Storage storage() {
        if (closed || storage.isReleased()) {
            throw new IllegalStateException("Tensor " + Shape.str(shape) + " was freed (its MemoryScope closed or "
                    + "close() was called); keep it with scope.keep(t) to use it after the scope");
        }
        return storage;
    }

    /**
     * The backend whose kernels run this tensor's ops: its storage's, or that backend's tracing
     * view when the debug trace is on ({@link Debug}; same device, same storages).
     */
    public Backend backend() {
        Backend b = storage.backend();
        return Debug.enabled() ? Debug.traced(b) : b;
    }

    public Device device() {
        return storage.backend().device();
    }

    public boolean isContiguous() {
        if (numel() == 0) return true;
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Sets whether gradients are tracked for this leaf (PyTorch's requires_grad_). A tensor that
     * requires grad is taken out of its memory scope: it is a parameter, not a temporary.
     */
    public Tensor requiresGrad(boolean value) {
        if (!value && gradFn != null) {
            throw new IllegalArgumentException("requiresGrad(false): only leaf tensors can stop requiring grad; "
                    + "use detach()");
        }
        if (value && !dtype().isFloating()) {
            throw new IllegalArgumentException("requiresGrad: only floating-point tensors can require grad, got "
                    + dtype());
        }
        requiresGrad = value;
        if (value) MemoryScope.release(this);
        return this;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The node that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** <b>Internal.</b> Makes {@code node} this tensor's grad_fn; called by {@link Autograd#record}. */
    @Internal
    public void attachGradFn(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    public Tensor grad() {
        return grad;
    }

    /**
     * <b>Internal.</b> Replaces the gradient (null clears it, like zero_grad(set_to_none=True)). A
     * gradient is never owned by a memory scope: it lives as long as the tensor it belongs to.
     * Autograd and optimizers call it; users clear gradients with
     * {@link dev.myelin.optim.Optimizer#zeroGrad()}.
     */
    @Internal
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shape.str(g.shape) + " does not match "
                    + "tensor shape " + Shape.str(shape));
        }
        Tensor old = grad;
        grad = g == null ? null : MemoryScope.release(g.viewOf(g.offset, g.shape, g.strides));
        if (old != null) old.close();
    }

    /**
     * Registers {@code hook} to run with this leaf each time a backward pass has accumulated a gradient into
     * its {@link #grad()} (PyTorch's {@code register_post_accumulate_grad_hook}); it runs inside the backward
     * pass, and may read or replace the gradient. DistributedDataParallel starts its gradient reductions from
     * such hooks. Returns a handle whose {@code remove()} unregisters it.
     */
    public RemovableHandle registerPostAccumulateGradHook(Consumer<Tensor> hook) {
        Objects.requireNonNull(hook, "hook");
        if (!isLeaf()) {
            throw new IllegalStateException("registerPostAccumulateGradHook: only leaf tensors accumulate grad; "
                    + "this tensor of shape " + Shape.str(shape) + " was produced by " + gradFn.op());
        }
        if (!requiresGrad) {
            throw new IllegalStateException("registerPostAccumulateGradHook: the tensor of shape " + Shape.str(shape)
                    + " does not require grad, so no gradient is ever accumulated into it");
        }
        if (postAccumulateGradHooks == null) postAccumulateGradHooks = new ArrayList<>();
        postAccumulateGradHooks.add(hook);
        return () -> postAccumulateGradHooks.remove(hook);
    }

    /** <b>Internal.</b> Runs the post-accumulate-grad hooks; called by autograd after it accumulated a gradient. */
    @Internal
    public void runPostAccumulateGradHooks() {
        if (postAccumulateGradHooks == null) return;
        for (Consumer<Tensor> hook : List.copyOf(postAccumulateGradHooks)) hook.accept(this);
    }

    /** Keeps .grad for this non-leaf tensor during backward (PyTorch's retain_grad). */
    public Tensor retainGrad() {
        retainsGrad = true;
        return this;
    }

    public boolean retainsGrad() {
        return retainsGrad;
    }

    /** Backward from a one-element tensor. */
    public void backward() {
        Autograd.backward(this, null, false);
    }

    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient, false);
    }

    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient, retainGraph);
    }

    /**
     * How many in-place writes this tensor's storage has seen (PyTorch's {@code tensor._version}).
     * Views share their base's count. Autograd records it for each tensor an op saves for backward,
     * and backward fails if it changed in between: the gradient would be computed from the new
     * values.
     */
    public int version() {
        return storage.version();
    }

    /**
     * Counts an in-place write to this tensor's storage (torch.autograd.graph.increment_version).
     * {@link #fill}, {@link #copyFrom}, optimizer steps and state-dict loads call it; code that
     * writes into an existing tensor through a backend kernel (or {@link Storage#write}) calls it
     * after the write.
     */
    public void incrementVersion() {
        storage.incrementVersion();
    }

    /** A tensor sharing this one's data (and version counter), outside the graph. */
    public Tensor detach() {
        return viewOf(offset, shape, strides);
    }

    // ---------------------------------------------------------------- memory and host data

    /** Frees this tensor's reference to its storage. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        storage.release();
    }

    public boolean isClosed() {
        return closed;
    }

    public double[] toDoubleArray() {
        return Creation.toHost(this).toDoubles();
    }

    public float[] toFloatArray() {
        return Creation.toHost(this).toFloats();
    }

    public long[] toLongArray() {
        return Creation.toHost(this).toLongs();
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: only one-element tensors can be converted, got shape "
                    + Shape.str(shape));
        }
        return toDoubleArray()[0];
    }

    /** A copy with another dtype; differentiable between floating types. */
    public Tensor to(DType dtype) {
        return ElementwiseOps.cast(this, dtype);
    }

    /** A copy on another device (through the host); differentiable. */
    public Tensor to(Device device) {
        return Creation.toDevice(this, device);
    }

    // ---------------------------------------------------------------- views

    public Tensor reshape(int... newShape) {
        return ViewOps.reshape(this, newShape);
    }

    /** Like reshape, but fails rather than copy when the data is not contiguous. */
    public Tensor view(int... newShape) {
        return ViewOps.view(this, newShape);
    }

    public Tensor flatten() {
        return reshape(-1);
    }

    /** Flattens dimensions start..end (inclusive) into one. */
    public Tensor flatten(int start, int end) {
        return ViewOps.flatten(this, start, end);
    }

    public Tensor transpose(int dim0, int dim1) {
        return ViewOps.transpose(this, dim0, dim1);
    }

    /** Transpose of a matrix (rank 2); rank 0 and 1 return this. */
    public Tensor t() {
        if (dim() < 2) return this;
        if (dim() > 2) {
            throw new IllegalArgumentException("t: expects a tensor of rank <= 2, got shape " + Shape.str(shape));
        }
        return transpose(0, 1);
    }

    public Tensor permute(int... dims) {
        return ViewOps.permute(this, dims);
    }

    public Tensor unsqueeze(int dim) {
        return ViewOps.unsqueeze(this, dim);
    }

    public Tensor squeeze(int dim) {
        return ViewOps.squeeze(this, dim);
    }

    /** Broadcasts to a larger shape without copying (-1 keeps a size). */
    public Tensor expand(int... newShape) {
        return ViewOps.expand(this, newShape);
    }

    /** Elements start (inclusive) to end (exclusive) along dim. */
    public Tensor slice(int dim, int start, int end) {
        return ViewOps.slice(this, dim, start, end);
    }

    /** The sub-tensor at index along dim, without that dimension. */
    public Tensor select(int dim, int index) {
        return ViewOps.select(this, dim, index);
    }

    public Tensor contiguous() {
        return isContiguous() ? this : ViewOps.copy(this);
    }

    /** A contiguous copy; differentiable. */
    public Tensor copy() {
        return ViewOps.copy(this);
    }

    // ---------------------------------------------------------------- in place (never recorded)

    /** Fills in place; not differentiable. Counts as an in-place write ({@link #version()}). */
    public Tensor fill(double value) {
        ElementwiseOps.checkInPlace("fill", this);
        ViewOps.fillInPlace(this, value);
        incrementVersion();
        return this;
    }

    public Tensor zero() {
        return fill(0);
    }

    /**
     * Copies src (broadcast to this shape, cast to this dtype, from any device) into this tensor, in
     * place. Counts as an in-place write ({@link #version()}).
     */
    public Tensor copyFrom(Tensor src) {
        ElementwiseOps.checkInPlace("copyFrom", this);
        ViewOps.copyInto(src, this);
        incrementVersion();
        return this;
    }

    // ---------------------------------------------------------------- arithmetic

    public Tensor add(Tensor other) {
        return ElementwiseOps.binary(Elementwise.Binary.ADD, this, other);
    }

    public Tensor add(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.ADD, this, s, false);
    }

    public Tensor sub(Tensor other) {
        return ElementwiseOps.binary(Elementwise.Binary.SUB, this, other);
    }

    public Tensor sub(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.SUB, this, s, false);
    }

    /** {@code s - this}. */
    public Tensor rsub(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.SUB, this, s, true);
    }

    public Tensor mul(Tensor other) {
        return ElementwiseOps.binary(Elementwise.Binary.MUL, this, other);
    }

    public Tensor mul(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.MUL, this, s, false);
    }

    public Tensor div(Tensor other) {
        return ElementwiseOps.binary(Elementwise.Binary.DIV, this, other);
    }

    public Tensor div(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.DIV, this, s, false);
    }

    /** {@code s / this}. */
    public Tensor rdiv(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.DIV, this, s, true);
    }

    public Tensor pow(double exponent) {
        return ElementwiseOps.scalar(Elementwise.Binary.POW, this, exponent, false);
    }

    public Tensor pow(Tensor exponent) {
        return ElementwiseOps.binary(Elementwise.Binary.POW, this, exponent);
    }

    public Tensor maximum(Tensor other) {
        return ElementwiseOps.binary(Elementwise.Binary.MAXIMUM, this, other);
    }

    public Tensor minimum(Tensor other) {
        return ElementwiseOps.binary(Elementwise.Binary.MINIMUM, this, other);
    }

    public Tensor neg() {
        return ElementwiseOps.unary(Elementwise.Unary.NEG, this);
    }

    public Tensor abs() {
        return ElementwiseOps.unary(Elementwise.Unary.ABS, this);
    }

    public Tensor sign() {
        return ElementwiseOps.unary(Elementwise.Unary.SIGN, this);
    }

    public Tensor exp() {
        return ElementwiseOps.unary(Elementwise.Unary.EXP, this);
    }

    public Tensor log() {
        return ElementwiseOps.unary(Elementwise.Unary.LOG, this);
    }

    public Tensor log1p() {
        return ElementwiseOps.unary(Elementwise.Unary.LOG1P, this);
    }

    public Tensor sqrt() {
        return ElementwiseOps.unary(Elementwise.Unary.SQRT, this);
    }

    public Tensor rsqrt() {
        return ElementwiseOps.unary(Elementwise.Unary.RSQRT, this);
    }

    public Tensor square() {
        return ElementwiseOps.unary(Elementwise.Unary.SQUARE, this);
    }

    public Tensor reciprocal() {
        return ElementwiseOps.unary(Elementwise.Unary.RECIPROCAL, this);
    }

    public Tensor sin() {
        return ElementwiseOps.unary(Elementwise.Unary.SIN, this);
    }

    public Tensor cos() {
        return ElementwiseOps.unary(Elementwise.Unary.COS, this);
    }

    public Tensor clamp(double min, double max) {
        return ElementwiseOps.clamp(this, min, max);
    }

    /** Comparisons give 1 or 0 in this tensor's dtype (Myelin has no bool dtype); not differentiable. */
    public Tensor eq(Tensor other) {
        return ElementwiseOps.binary(Elementwise.Binary.EQ, this, other);
    }

    public Tensor eq(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.EQ, this, s, false);
    }

    public Tensor ne(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.NE, this, s, false);
    }

    public Tensor gt(Tensor other) {
        return ElementwiseOps.binary(Elementwise.Binary.GT, this, other);
    }

    public Tensor gt(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.GT, this, s, false);
    }

    public Tensor ge(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.GE, this, s, false);
    }

    public Tensor lt(Tensor other) {
        return ElementwiseOps.binary(Elementwise.Binary.LT, this, other);
    }

    public Tensor lt(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.LT, this, s, false);
    }

    public Tensor le(double s) {
        return ElementwiseOps.scalar(Elementwise.Binary.LE, this, s, false);
    }

    public Tensor relu() {
        return ActivationOps.relu(this);
    }

    public Tensor sigmoid() {
        return ActivationOps.sigmoid(this);
    }

    public Tensor tanh() {
        return ActivationOps.tanh(this);
    }

    public Tensor softmax(int dim) {
        return ActivationOps.softmax(this, dim);
    }

    public Tensor logSoftmax(int dim) {
        return ActivationOps.logSoftmax(this, dim);
    }

    // ---------------------------------------------------------------- indexing

    /**
     * torch.gather: the elements of this tensor at {@code index} (int32 or int64, of this rank) along
     * dim, {@code out[i][j] = this[index[i][j]][j]} for dim 0; out has index's shape. Differentiable
     * in this tensor. See {@link IndexOps#gather}.
     */
    public Tensor gather(int dim, Tensor index) {
        return IndexOps.gather(this, dim, index);
    }

    /**
     * Tensor.scatter_add (out of place): a copy of this tensor with every {@code src} element added
     * at its {@code index} along dim, {@code out[index[i][j]][j] += src[i][j]} for dim 0.
     * Differentiable in this tensor and src. See {@link IndexOps#scatterAdd}.
     */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return IndexOps.scatterAdd(this, dim, index, src);
    }

    // ---------------------------------------------------------------- linear algebra

    /** Matrix product with torch.matmul's rules (1-D operands, broadcast batch dimensions). */
    public Tensor matmul(Tensor other) {
        return MatmulOps.matmul(this, other);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a zero-dimensional tensor). */
    public Tensor sum() {
        return ReductionOps.reduce(Reductions.Op.SUM, this, null, false);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return ReductionOps.reduce(Reductions.Op.SUM, this, new int[] {dim}, keepDim);
    }

    public Tensor sum(int[] dims, boolean keepDim) {
        return ReductionOps.reduce(Reductions.Op.SUM, this, dims, keepDim);
    }

    public Tensor mean() {
        return ReductionOps.reduce(Reductions.Op.MEAN, this, null, false);
    }

    public Tensor mean(int dim, boolean keepDim) {
        return ReductionOps.reduce(Reductions.Op.MEAN, this, new int[] {dim}, keepDim);
    }

    public Tensor mean(int[] dims, boolean keepDim) {
        return ReductionOps.reduce(Reductions.Op.MEAN, this, dims, keepDim);
    }

    /** Maximum of all elements; the gradient is shared evenly among ties (torch.amax). */
    public Tensor max() {
        return ReductionOps.reduce(Reductions.Op.MAX, this, null, false);
    }

    /** Maximum along dim (values only; see {@link #argmax(int, boolean)} for indices). */
    public Tensor max(int dim, boolean keepDim) {
        return ReductionOps.reduce(Reductions.Op.MAX, this, new int[] {dim}, keepDim);
    }

    public Tensor min() {
        return ReductionOps.reduce(Reductions.Op.MIN, this, null, false);
    }

    public Tensor min(int dim, boolean keepDim) {
        return ReductionOps.reduce(Reductions.Op.MIN, this, new int[] {dim}, keepDim);
    }

    /** Index of the first maximum along dim, as int64. */
    public Tensor argmax(int dim, boolean keepDim) {
        return ReductionOps.argReduce(true, this, dim, keepDim);
    }

    public Tensor argmin(int dim, boolean keepDim) {
        return ReductionOps.argReduce(false, this, dim, keepDim);
    }

    /** Variance over dims with the given correction (1 = unbiased, PyTorch's default). */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return ReductionOps.variance(this, dims, correction, keepDim);
    }

    public Tensor var() {
        return ReductionOps.variance(this, null, 1, false);
    }

    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return var(dims, correction, keepDim).sqrt();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(shape=").append(Shape.str(shape)).append(", dtype=")
                .append(storage.dtype()).append(", device=").append(device());
        if (requiresGrad) sb.append(", requiresGrad");
        if (gradFn != null) sb.append(", gradFn=").append(gradFn);
        if (closed || storage.isReleased()) return sb.append(", freed)").toString();
        if (numel() <= 20) {
            sb.append(", data=").append(storage.dtype().isFloating()
                    ? Arrays.toString(toDoubleArray()) : Arrays.toString(toLongArray()));
        }
        return sb.append(')').toString();
    }
}
