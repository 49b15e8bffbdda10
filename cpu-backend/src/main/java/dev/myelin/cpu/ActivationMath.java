package dev.myelin.cpu;

import dev.myelin.backend.Activations.Kind;

/**
 * Scalar activation functions and their derivatives in double, written as PyTorch 1.13's CPU
 * kernels write them (so float64 results match PyTorch to the last few bits), with an erf of our
 * own since Java has none.
 */
final class ActivationMath {
    private ActivationMath() {}

    /** sqrt(2/pi), PyTorch's kBeta of the tanh GELU. */
    private static final double GELU_TANH_BETA = Math.sqrt(2 / Math.PI);
    private static final double GELU_TANH_KAPPA = 0.044715;
    private static final double SQRT1_2 = Math.sqrt(0.5);
    /** 1 / sqrt(2 pi): the standard normal density at 0. */
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    static double forward(Kind kind, double param, double x) {
        return switch (kind) {
            case RELU -> x > 0 ? x : x != x ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : x * param;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case GELU -> x * 0.5 * (1 + erf(x * SQRT1_2));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x * x * x)));
            case SILU -> x / (1 + Math.exp(-x));
            case ELU -> x > 0 ? x : param * Math.expm1(x);
        };
    }

    /** {@code g * f'(x)}, from the input x or the output y, whichever PyTorch's backward uses. */
    static double backward(Kind kind, double param, double x, double y, double g) {
        return switch (kind) {
            case RELU -> x > 0 ? g : 0;
            case LEAKY_RELU -> x > 0 ? g : g * param;
            case SIGMOID -> g * (1 - y) * y;
            case TANH -> g * (1 - y * y);
            case GELU -> {
                double cdf = 0.5 * (1 + erf(x * SQRT1_2));
                double pdf = INV_SQRT_2PI * Math.exp(x * x * -0.5);
                yield g * (cdf + x * pdf);
            }
            case GELU_TANH -> {
                double x2 = x * x;
                double t = Math.tanh(GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x2 * x));
                double left = 0.5 * x, right = 1 + t;
                double dRight = left * (1 - t * t) * GELU_TANH_BETA * (1 + 3 * GELU_TANH_KAPPA * x2);
                yield g * (0.5 * right + dRight);
            }
            case SILU -> {
                double s = 1 / (1 + Math.exp(-x));
                yield g * s * (1 + x * (1 - s));
            }
            // PyTorch's elu_backward from the input (is_result=false): alpha * e^x at and below 0.
            case ELU -> x > 0 ? g : g * param * Math.exp(x);
        };
    }

    /**
     * The error function, with a relative error below 4e-16 (checked against 50-digit arithmetic).
     * Chebyshev expansions fitted for this class: erf(x)/x in 2x^2 - 1 on [0, 1), and the smooth
     * e^(x^2) erfc(x) on four pieces of [1, 6), from which erf = 1 - e^(-x^2) * that. Beyond 6,
     * erf rounds to 1.
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 1) {
            r = ax * chebyshev(ERF_SMALL, 2 * ax * ax - 1);
        } else if (ax < 6) {
            double[] c;
            double lo, hi;
            if (ax < 2) { c = ERFC_0; lo = 1; hi = 2; }
            else if (ax < 3) { c = ERFC_1; lo = 2; hi = 3; }
            else if (ax < 4.5) { c = ERFC_2; lo = 3; hi = 4.5; }
            else { c = ERFC_3; lo = 4.5; hi = 6; }
            r = 1 - Math.exp(-ax * ax) * chebyshev(c, (2 * ax - (lo + hi)) / (hi - lo));
        } else if (ax >= 6) {
            r = 1;
        } else {
            return x; // NaN
        }
        return Math.copySign(r, x);
    }

    /** Clenshaw's sum of c[0] + sum c[k] T_k(t), for t in [-1, 1]. */
    private static double chebyshev(double[] c, double t) {
        double b1 = 0, b2 = 0, t2 = 2 * t;
        for (int k = c.length - 1; k >= 1; k--) {
            double b = c[k] + t2 * b1 - b2;
            b2 = b1;
            b1 = b;
        }
        return c[0] + t * b1 - b2;
    }

    // The series of erf's pieces, in the order of erf's branches.

    // erf(x)/x on [0, 1], in 2x^2 - 1
    private static final double[] ERF_SMALL = {
            0.9754769393826541, -0.14226120510371365, 0.010035582187599796, -0.0005768764699767485,
            2.741993125219606e-05, -1.1043175507344507e-06, 3.8488755420345036e-08, -1.1808582533875466e-09,
            3.2334215826050907e-11, -7.991015947004549e-13, 1.7990725113961456e-14, -3.718635487818693e-16,
            7.103599003714253e-18, -1.2612455119155226e-19
    };

    // e^(x^2) erfc(x) on [1, 2]
    private static final double[] ERFC_0 = {
            0.331427281639452, -0.0850021377067432, 0.009951127341466115, -0.0010810888102208325,
            0.0001102324363119495, -1.0636830518218601e-05, 9.775012680479055e-07, -8.597922867888315e-08,
            7.2677084117248425e-09, -5.923543840592542e-10, 4.6683928572294154e-11, -3.56612770156775e-12,
            2.6458779519104523e-13, -1.9101658673527567e-14, 1.343976588479829e-15, -9.228790549094326e-17,
            6.19267308464391e-18, -4.0652224326488762e-19
    };

    // e^(x^2) erfc(x) on [2, 3]
    private static final double[] ERFC_1 = {
            0.21398248255623223, -0.037938404099999566, 0.0031959178113380353, -0.0002573666707889977,
            1.9905838950216772e-05, -1.484277185436206e-06, 1.0702889548418397e-07, -7.482824223542503e-09,
            5.083548493074793e-10, -3.362256906091922e-11, 2.168583689441302e-12, -1.3659497593967644e-13,
            8.41330237971444e-15, -5.07307611814009e-16, 2.997771009156646e-17, -1.7376147907764117e-18
    };

    // e^(x^2) erfc(x) on [3, 4.5]
    private static final double[] ERFC_2 = {
            0.1481461953236469, -0.028025749092080682, 0.002576484512423808, -0.00023069211512747147,
            2.0153233859046618e-05, -1.7204117400437299e-06, 1.4370810975615484e-07, -1.1760033789404574e-08,
            9.437883720626808e-10, -7.435188873885695e-11, 5.754833048092623e-12, -4.3795961526976073e-13,
            3.2794672404374804e-14, -2.4178069793928294e-15, 1.7560926895200883e-16, -1.2572423597529682e-17,
            8.87680810702019e-19
    };

    // e^(x^2) erfc(x) on [4.5, 6]
    private static final double[] ERFC_3 = {
            0.10661722126431442, -0.01478602453684436, 0.0010089564063989714, -6.779939376888864e-05,
            4.489413401739846e-06, -2.931013483064867e-07, 1.8877463854636752e-08, -1.2000019359443107e-09,
            7.53236533348788e-11, -4.670638090984244e-12, 2.86212053631914e-13, -1.7339095358405495e-14,
            1.038822537886999e-15, -6.157053911801651e-17, 3.6112120440083636e-18, -2.0965514864256795e-19
    };
}
