package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Elementwise.Binary;
import dev.myelin.backend.Elementwise.Unary;

import java.util.Arrays;

import static dev.myelin.autograd.Autograd.NOTHING_SAVED;

/** Broadcasting arithmetic with its gradients, composed from the Elementwise kernels. */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    public static Tensor binary(Binary op, Tensor a, Tensor b) {
        String name = name(op);
        sameBackend(name, a, b);
        DType dtype = DType.promote(a.dtype(), b.dtype());
        int[] shape = Shape.broadcast(name, a.shape(), b.shape());
        Tensor out = Tensor.empty(a.backend(), dtype, shape);
        try (var ng = GradMode.noGrad()) {
            Tensor ac = a.dtype() == dtype ? a : a.to(dtype);
            Tensor bc = b.dtype() == dtype ? b : b.to(dtype);
            out.backend().elementwise().binary(op, ac.expand(shape), bc.expand(shape), out);
        }
        if (isComparison(op)) return out;
        return Autograd.record(name, out, new Tensor[] {a, b}, binarySaved(op, a, b, out),
                g -> binaryGrads(op, a, b, out, g));
    }

    /** The tensors binaryGrads reads, given which operands need a gradient (as PyTorch saves them). */
    private static Tensor[] binarySaved(Binary op, Tensor a, Tensor b, Tensor out) {
        boolean needA = a.requiresGrad(), needB = b.requiresGrad();
        return switch (op) {
            case MUL -> new Tensor[] {needB ? a : null, needA ? b : null};
            case DIV -> new Tensor[] {b, needB ? out : null};
            case POW -> new Tensor[] {a, needA ? b : null, needB ? out : null};
            case MAXIMUM, MINIMUM -> new Tensor[] {a, b};
            default -> NOTHING_SAVED;
        };
    }

    private static Tensor[] binaryGrads(Binary op, Tensor a, Tensor b, Tensor out, Tensor g) {
        Tensor ga = null, gb = null;
        boolean needA = a.requiresGrad(), needB = b.requiresGrad();
        switch (op) {
            case ADD -> {
                ga = needA ? g : null;
                gb = needB ? g : null;
            }
            case SUB -> {
                ga = needA ? g : null;
                gb = needB ? g.neg() : null;
            }
            case MUL -> {
                ga = needA ? g.mul(b) : null;
                gb = needB ? g.mul(a) : null;
            }
            case DIV -> {
                ga = needA ? g.div(b) : null;
                gb = needB ? g.mul(out).div(b).neg() : null;
            }
            case POW -> {
                ga = needA ? g.mul(b).mul(a.pow(b.sub(1))) : null;
                gb = needB ? g.mul(out).mul(a.log()) : null;
            }
            case MAXIMUM, MINIMUM -> {
                // Ties split the gradient evenly, as PyTorch does.
                Tensor wins = op == Binary.MAXIMUM ? a.gt(b) : a.lt(b);
                Tensor share = wins.add(a.eq(b).mul(0.5)).to(g.dtype());
                ga = needA ? g.mul(share) : null;
                gb = needB ? g.mul(share.rsub(1)) : null;
            }
            default -> throw new IllegalStateException("no gradient for " + op);
        }
        return new Tensor[] {
            ga == null ? null : ReductionOps.sumTo(ga, a.shape()).to(a.dtype()),
            gb == null ? null : ReductionOps.sumTo(gb, b.shape()).to(b.dtype())
        };
    }

    public static Tensor scalar(Binary op, Tensor a, double s, boolean scalarFirst) {
        String name = name(op);
        requireFloatingForScalar(name, a, s);
        Tensor out = Tensor.empty(a.backend(), a.dtype(), a.shape());
        a.backend().elementwise().binaryScalar(op, a, s, scalarFirst, out);
        if (isComparison(op)) return out;
        return Autograd.record(name, out, new Tensor[] {a}, scalarSaved(op, a, s, scalarFirst, out),
                g -> new Tensor[] {scalarGrad(op, a, s, scalarFirst, out, g)});
    }

    /** The tensors scalarGrad reads. */
    private static Tensor[] scalarSaved(Binary op, Tensor a, double s, boolean scalarFirst, Tensor out) {
        return switch (op) {
            case DIV -> scalarFirst ? new Tensor[] {a, out} : NOTHING_SAVED;
            case POW -> scalarFirst ? new Tensor[] {out} : s == 0 ? NOTHING_SAVED : new Tensor[] {a};
            case MAXIMUM, MINIMUM -> new Tensor[] {a};
            default -> NOTHING_SAVED;
        };
    }

    private static Tensor scalarGrad(Binary op, Tensor a, double s, boolean scalarFirst, Tensor out, Tensor g) {
        return switch (op) {
            case ADD -> g;
            case SUB -> scalarFirst ? g.neg() : g;
            case MUL -> g.mul(s);
            case DIV -> scalarFirst ? g.mul(out).div(a).neg() : g.div(s);
            case POW -> scalarFirst ? g.mul(out).mul(Math.log(s)) : (s == 0 ? g.mul(0) : g.mul(a.pow(s - 1)).mul(s));
            case MAXIMUM, MINIMUM -> {
                Tensor wins = op == Binary.MAXIMUM ? a.gt(s) : a.lt(s);
                yield g.mul(wins.add(a.eq(s).mul(0.5)));
            }
            default -> throw new IllegalStateException("no gradient for " + op);
        };
    }

    public static Tensor unary(Unary op, Tensor x) {
        String name = op.name().toLowerCase();
        requireFloating(name, "input", x);
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.shape());
        x.backend().elementwise().unary(op, x, out);
        return Autograd.record(name, out, new Tensor[] {x}, unarySaved(op, x, out),
                g -> new Tensor[] {unaryGrad(op, x, out, g)});
    }

    /** The tensor unaryGrad reads: the input or the output, as PyTorch saves it. */
    private static Tensor[] unarySaved(Unary op, Tensor x, Tensor y) {
        return switch (op) {
            case NEG, SIGN -> NOTHING_SAVED;
            case ABS, LOG, LOG1P, SQUARE, SIN, COS -> new Tensor[] {x};
            case EXP, SQRT, RSQRT, RECIPROCAL -> new Tensor[] {y};
        };
    }

    private static Tensor unaryGrad(Unary op, Tensor x, Tensor y, Tensor g) {
        return switch (op) {
            case NEG -> g.neg();
            case ABS -> g.mul(x.sign());
            case SIGN -> g.mul(0);
            case EXP -> g.mul(y);
            case LOG -> g.div(x);
            case LOG1P -> g.div(x.add(1));
            case SQRT -> g.div(y.mul(2));
            case RSQRT -> g.mul(y.pow(3)).mul(-0.5);
            case SQUARE -> g.mul(x).mul(2);
            case RECIPROCAL -> g.mul(y.square()).neg();
            case SIN -> g.mul(x.cos());
            case COS -> g.mul(x.sin()).neg();
        };
    }

    public static Tensor clamp(Tensor x, double lo, double hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.shape());
        x.backend().elementwise().clamp(x, lo, hi, out);
        return Autograd.record("clamp", out, new Tensor[] {x}, new Tensor[] {x},
                g -> new Tensor[] {g.mul(x.ge(lo).mul(x.le(hi)))});
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        sameBackend("where", cond, a);
        sameBackend("where", a, b);
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        DType dtype = DType.promote(a.dtype(), b.dtype());
        Tensor out = Tensor.empty(a.backend(), dtype, shape);
        try (var ng = GradMode.noGrad()) {
            out.backend().elementwise()
                    .where(cond.expand(shape), a.to(dtype).expand(shape), b.to(dtype).expand(shape), out);
        }
        return Autograd.record("where", out, new Tensor[] {a, b}, new Tensor[] {cond}, g -> {
            Tensor zeros = Tensor.zerosLike(g);
            return new Tensor[] {
                a.requiresGrad() ? ReductionOps.sumTo(where(cond, g, zeros), a.shape()).to(a.dtype()) : null,
                b.requiresGrad() ? ReductionOps.sumTo(where(cond, zeros, g), b.shape()).to(b.dtype()) : null
            };
        });
    }

    public static Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) return x;
        Tensor out = Tensor.empty(x.backend(), dtype, x.shape());
        x.backend().elementwise().copy(x, out);
        if (!dtype.isFloating()) return out;
        DType from = x.dtype();
        return Autograd.record("to", out, new Tensor[] {x}, NOTHING_SAVED, g -> new Tensor[] {g.to(from)});
    }

    /**
     * In-place writes are not recorded, so they are refused on tensors that require grad while grad
     * mode is on. (Under no-grad they are allowed; a backward that would read the old values fails
     * then through the version counter, see {@link Tensor#version()}.)
     */
    public static void checkInPlace(String op, Tensor t) {
        if (GradMode.isEnabled() && t.requiresGrad()) {
            throw new IllegalStateException(op + ": a tensor of shape " + Shape.str(t.shape()) + " that requires grad "
                    + "cannot be modified in place while grad mode is on; wrap the update in GradMode.noGrad()");
        }
    }

    public static void sameBackend(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend()) {
            throw new IllegalArgumentException(op + ": tensors are on different devices (" + a.device() + " and "
                    + b.device() + "); move one with .to(device)");
        }
    }

    public static void requireFloating(String op, String arg, Tensor t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": argument '" + arg + "' must be float32 or float64, got "
                    + t.dtype() + " with shape " + Shape.str(t.shape()));
        }
    }

    /** Integer tensors take integer scalars only (PyTorch would promote; we ask for an explicit cast). */
    private static void requireFloatingForScalar(String op, Tensor a, double s) {
        if (!a.dtype().isFloating() && s != Math.rint(s)) {
            throw new IllegalArgumentException(op + ": a non-integer scalar " + s + " with an " + a.dtype()
                    + " tensor of shape " + Shape.str(a.shape()) + "; cast the tensor with .to(DType.FLOAT32) first");
        }
    }

    public static void requireSameShape(String op, String argA, Tensor a, String argB, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": '" + argA + "' has shape " + Shape.str(a.shape()) + " but '"
                    + argB + "' has shape " + Shape.str(b.shape()) + "; they must match");
        }
    }

    private static boolean isComparison(Binary op) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    private static String name(Binary op) {
        return op.name().toLowerCase();
    }
}
