package dev.myelin.cpu;

import dev.myelin.backend.Losses.Pointwise;

/**
 * PyTorch 1.13's elementwise loss formulas and their input derivatives, in double. {@code param}
 * is beta (SMOOTH_L1) or delta (HUBER); {@code pw} is the positive weight of BCE_WITH_LOGITS (1
 * when absent).
 */
final class LossFormulas {
    /** PyTorch clamps BCE's gradient denominator x(1-x) from below by this. */
    private static final double BCE_EPSILON = 1e-12;

    private LossFormulas() {}

    static double value(Pointwise kind, double param, double x, double t, double pw) {
        double d = x - t;
        return switch (kind) {
            case MSE -> d * d;
            case L1 -> Math.abs(d);
            case SMOOTH_L1 -> {
                double z = Math.abs(d);
                // beta = 0 is plain L1 (PyTorch dispatches to l1_loss).
                yield param == 0 ? z : z < param ? 0.5 * z * z / param : z - 0.5 * param;
            }
            case HUBER -> {
                double z = Math.abs(d);
                yield z < param ? 0.5 * z * z : param * (z - 0.5 * param);
            }
            case BCE -> (t - 1) * Math.max(Math.log1p(-x), -100) - t * Math.max(Math.log(x), -100);
            case BCE_WITH_LOGITS -> {
                double logWeight = (pw - 1) * t + 1;
                yield (1 - t) * x + logWeight * softplus(-x);
            }
            case KL_DIV -> xlogx(t) - t * x;
            case KL_DIV_LOG_TARGET -> Math.exp(t) * (t - x);
        };
    }

    static double grad(Pointwise kind, double param, double x, double t, double pw) {
        double d = x - t;
        return switch (kind) {
            case MSE -> 2 * d;
            case L1 -> Math.signum(d);
            case SMOOTH_L1 -> param == 0 ? Math.signum(d) : d <= -param ? -1 : d >= param ? 1 : d / param;
            case HUBER -> d <= -param ? -param : d >= param ? param : d;
            case BCE -> d / Math.max((1 - x) * x, BCE_EPSILON);
            case BCE_WITH_LOGITS -> (pw * t + 1 - t) * sigmoid(x) - pw * t;
            case KL_DIV -> -t;
            case KL_DIV_LOG_TARGET -> -Math.exp(t);
        };
    }

    /** log(1 + e^v) without overflow. */
    private static double softplus(double v) {
        return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }

    private static double sigmoid(double v) {
        if (v >= 0) return 1 / (1 + Math.exp(-v));
        double e = Math.exp(v);
        return e / (1 + e);
    }

    /** torch.xlogy(t, t): 0 where t = 0 (NaN stays NaN). */
    private static double xlogx(double t) {
        return t == 0 ? 0 : t * Math.log(t);
    }
}
