#!/usr/bin/env python3
"""Fits the float32 erf of cpu-backend's VecMath and prints its coefficients and its error in ulp.

Three pieces: erf(a)/a as a polynomial of degree 6 in z = a^2 on [0, 1) (Chebyshev least squares,
turned into powers of z); erfc(a) on [1, 3) as a polynomial of degree 12 in a - 2 (exact in float
there), so that erf = 1 - erfc needs no exp where nearly all of a normal sample lies; and
q(a) = e^(a^2) erfc(a) on [1, 4) as a polynomial of degree 8 in t = (2a - 5) / 3, for erf =
1 - e^(-a^2) q(a) from 3 on, weighted by erfc(a) so that what is fitted is the error of erf itself
(whose ulp there is 2^-24 or 2^-25): the far end, where erfc is tiny, needs little accuracy.
The check evaluates both pieces as VecMath does, in float with fused multiply-adds (emulated in
double, rounded after each), exp taken as correctly rounded, against math.erf.

  python3 scripts/fit-erf-float.py
"""
import math

import numpy as np
from numpy.polynomial import Chebyshev, Polynomial

f32, f64 = np.float32, np.float64
erf, erfc = np.vectorize(math.erf), np.vectorize(math.erfc)


def fit(x, y, degree, domain, weight=None):
    series = Chebyshev.fit(x, y, degree, domain=domain, w=weight)
    return [f32(c) for c in series.convert(kind=Polynomial, domain=domain, window=domain).coef]


def horner(coefficients, x):
    r = np.full_like(x, coefficients[-1])
    for c in coefficients[-2::-1]:
        r = f32(r.astype(f64) * x.astype(f64) + f64(c))
    return r


a = np.linspace(0, 1, 40001)[1:]
small = fit(a * a, erf(a) / a, 6, [0, 1])
b = np.linspace(1, 4, 40001)
c = np.linspace(1, 3, 40001)
middle = fit(c - 2, erfc(c), 12, [-1, 1])
large = fit((2 * b - 5) / 3, np.exp(b * b) * erfc(b), 8, [-1, 1], erfc(b))
print("erf(a)/a in a^2, from z^0:", ", ".join("%.10ef" % c for c in small))
hi = f32(2 / math.sqrt(math.pi))
print("2/sqrt(pi) = %.10ef + %.10ef" % (hi, f32(2 / math.sqrt(math.pi) - f64(hi))))
print("erfc(a) in a - 2, from (a - 2)^0:", ", ".join("%.10ef" % c for c in middle))
print("e^(a^2) erfc(a) in t, from t^0:", ", ".join("%.10ef" % c for c in large))

x = np.arange(f32(1e-4), f32(4), f32(1e-6), dtype=np.float32)
z = f32(x * x)
lo = f32(2 / math.sqrt(math.pi) - f64(hi))
inner = f32(x.astype(f64) * f64(lo) + f32(f32(x * z) * horner(small[1:], z)).astype(f64))
below = f32(x.astype(f64) * f64(hi) + inner.astype(f64))
decay = f32(f32(np.exp(-z.astype(f64))) * f32(1 - f32(x.astype(f64) * x - z)))
t = f32(x.astype(f64) * f32(2 / 3) + f32(-5 / 3))
above = f32(1 - decay.astype(f64) * horner(large, t))
between = f32(1 - horner(middle, f32(x - 2)).astype(f64))
got = np.where(x < 1, below, np.where(x < 3, between, above))
want = erf(x.astype(f64))
ulps = np.abs(got - want) / np.spacing(f32(want)).astype(f64)
print("error: max %.2f ulp (at %.6f), mean %.3f ulp" % (ulps.max(), x[np.argmax(ulps)], ulps.mean()))
