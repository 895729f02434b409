"""Correctly rounded arithmetic for building the golden generators' input data.

The input data of golden_*.py must come out bit for bit the same on every CPU. numpy's
vectorised transcendental ufuncs (np.exp, np.log, np.power, `x ** 3` and other powers
except 0.5, 1 and 2, ...) pick a SIMD kernel at run time, and the AVX512F and AVX512_SKX
(SVML) kernels round some results differently from the scalar libm another CPU uses; glibc's
own exp, log and pow also have an FMA variant whose last bits differ from the SSE2 one. So the
generators build their data only from numpy's Generator streams (PCG64, integer
arithmetic), correctly rounded IEEE operations (+ - * / sqrt, integer ops) and the
functions below. cr_exp and cr_pow evaluate in Python's decimal module (libmpdec: integer
arithmetic only) and round once to the nearest double; cube spells out its two
multiplications. None of them depends on the CPU, numpy's dispatch or the libm.
"""
from decimal import Decimal, localcontext

import numpy as np


def _nearest_double(approx, prec=40):
    """The double nearest to a real number y, given approx(ctx): a Decimal within relative
    error 10**(5 - ctx.prec) of y. The precision grows until the whole error interval rounds
    to one double (Ziv's strategy); float() of a Decimal is correctly rounded. For the
    arguments used here y is 1 or transcendental, so it is never a tie and the loop ends."""
    while True:
        with localcontext() as ctx:
            ctx.prec = prec
            v = approx(ctx)
            ctx.prec = prec + 10  # v +- err without rounding the bounds inwards
            err = abs(v).scaleb(5 - prec)
            lo, hi = float(v - err), float(v + err)
        if lo == hi:
            return lo
        prec *= 2


def cr_exp(x):
    """exp(x) correctly rounded (to nearest) to a double: Decimal.exp is correctly rounded
    to ctx.prec digits, so within half a unit of its last digit."""
    x = float(x)
    return _nearest_double(lambda ctx: Decimal(x).exp(ctx))


def cr_pow(x, y):
    """x**y for x > 0, correctly rounded to a double: exp(y * ln x) with ln x, the product
    and exp each rounded to ctx.prec digits; the error stays below 10**(5 - prec) relative
    while |y ln x| < 9999 (a finite double result needs |y ln x| < 745)."""
    x, y = float(x), float(y)
    if not x > 0.0:
        raise ValueError("cr_pow needs x > 0")

    def approx(ctx):
        arg = Decimal(y) * Decimal(x).ln(ctx)
        if abs(arg) >= 9999:
            raise OverflowError("cr_pow: |y ln x| too large")
        return arg.exp(ctx)

    return _nearest_double(approx)


def exp_array(a):
    """cr_exp of every element of an array (same shape, float64)."""
    a = np.asarray(a, dtype=np.float64)
    return np.array([cr_exp(v) for v in a.ravel()], dtype=np.float64).reshape(a.shape)


def pow_array(a, y):
    """cr_pow(v, y) of every element v of an array (same shape, float64)."""
    a = np.asarray(a, dtype=np.float64)
    return np.array([cr_pow(v, y) for v in a.ravel()], dtype=np.float64).reshape(a.shape)


def cube(x):
    """x**3 as (x * x) * x: two correctly rounded IEEE multiplications, in that order
    (numpy's multiply ufunc rounds each product on its own; no fused multiply-add)."""
    x = np.asarray(x, dtype=np.float64)
    return (x * x) * x
