package dev.myelin.cpu;

/** Scalar activation functions and their derivatives in double precision. */
final class ActivationMath {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
    private static final double TANH_SCALE = Math.sqrt(2 / Math.PI);
    private static final double TANH_CUBIC = 0.044715;

    private ActivationMath() {}

    static double sigmoid(double x) {
        if (x >= 0) return 1 / (1 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** Standard normal CDF, accurate to a few ulps relative even far in the lower tail. */
    static double normalCdf(double x) {
        double z = x * SQRT_HALF;
        return z >= 0 ? 1 - 0.5 * erfc(z) : 0.5 * erfc(-z);
    }

    /** erfc(t) for t >= 0. */
    static double erfc(double t) {
        return t < 3 ? 1 - erf(t) : erfcContinuedFraction(t);
    }

    /**
     * erf(t) for 0 <= t < 3 from the series 2/sqrt(pi) exp(-t^2) sum 2^n t^(2n+1) / (2n+1)!!, whose
     * terms are all positive (no cancellation).
     */
    static double erf(double t) {
        double t2 = t * t, term = t, sum = t;
        for (int n = 1; n < 200; n++) {
            term *= 2 * t2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return 2 * INV_SQRT_PI * Math.exp(-t2) * sum;
    }

    /** erfc(t) for t >= 3: Laplace's continued fraction evaluated with the modified Lentz method. */
    private static double erfcContinuedFraction(double t) {
        // erfc(t) = exp(-t^2)/sqrt(pi) * 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + 2/(t + ...)))))
        double tiny = 1e-300, f = t, c = t, d = 0;
        for (int k = 1; k < 300; k++) {
            double a = k * 0.5;
            d = t + a * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = t + a / c;
            if (Math.abs(c) < tiny) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-t * t) * INV_SQRT_PI / f;
    }

    static double gelu(double x) {
        return x * normalCdf(x);
    }

    static double geluGrad(double x) {
        return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    static double geluTanh(double x) {
        double inner = TANH_SCALE * (x + TANH_CUBIC * x * x * x);
        return 0.5 * x * (1 + Math.tanh(inner));
    }

    static double geluTanhGrad(double x) {
        double inner = TANH_SCALE * (x + TANH_CUBIC * x * x * x);
        double t = Math.tanh(inner);
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * TANH_SCALE * (1 + 3 * TANH_CUBIC * x * x);
    }

    static double silu(double x) {
        return x * sigmoid(x);
    }

    static double siluGrad(double x) {
        double s = sigmoid(x);
        return s * (1 + x * (1 - s));
    }
}
