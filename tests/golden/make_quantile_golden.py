#!/usr/bin/python3
"""Writes tests/golden/quantile/*.txt: data sets and numpy's quantiles of them.

Run with Debian's numpy (the file records its version):
    /usr/bin/python3 tests/golden/make_quantile_golden.py

Each file holds one data set (NaNs included; reprep ignores them, so the expected
values are np.nanquantile's) and, for every method and many q, the expected result.
Doubles are written as 16 hex digits of their IEEE-754 bit pattern, followed by a
human-readable repr after '#'.

Two places where the expected value is *not* numpy's raw output, both documented in
docs/numerics_quantile_rng.md:
  * A NaN result is written as the canonical quiet NaN 7ff8000000000000 (numpy on
    x86 returns the hardware's negative NaN from Inf - Inf; reprep canonicalises).
  * When a data set holds both -0.0 and +0.0 and the result is a zero, numpy's sign
    depends on the input order (its partition is not stable and treats the zeros as
    equal). reprep orders -0.0 before +0.0, so the sign is taken from the reference
    model below, run on the data sorted in that total order; such rows carry the
    flag 'z'. The script checks numpy's value equals it numerically.
Every other row is numpy's bits, and the script also checks that the pure-Python
reference model reproduces numpy's bits on all of them (so the model is right).
"""
import math
import os
import struct
import sys
import warnings

import numpy as np

METHODS = ["linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf", "averaged_inverted_cdf"]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quantile")
CANONICAL_NAN = 0x7FF8000000000000


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def hexbits(x):
    return format(bits(x), "016x")


def order_key(x):
    b = bits(x)
    return (~b) & 0xFFFFFFFFFFFFFFFF if b >> 63 else b | (1 << 63)


# ---- reference model: numpy 1.24's _quantile arithmetic, on total-order-sorted data ----
def _lerp(a, b, t):
    diff = b - a
    if t >= 0.5:
        return b - diff * (1.0 - t)
    return a + diff * t


def _round_half_even(x):
    f = float(math.floor(x))
    d = x - f
    if d > 0.5:
        return f + 1.0
    if d < 0.5:
        return f
    return f if math.fmod(f, 2.0) == 0.0 else f + 1.0



def reference(sorted_vals, q, method):
    n = len(sorted_vals)
    if n == 0:
        return float("nan")
    nd, nm1 = float(n), float(n - 1)
    if method == "lower":
        return sorted_vals[int(math.floor(nm1 * q))]
    if method == "higher":
        return sorted_vals[int(math.ceil(nm1 * q))]
    if method == "nearest":
        return sorted_vals[int(_round_half_even(nm1 * q))]
    if method == "inverted_cdf":
        idx = nd * q - 1.0
        prev = float(math.floor(idx))
        pick = prev if idx - prev == 0.0 else prev + 1.0
        return sorted_vals[max(int(pick), 0)]
    if method == "linear":
        v = nm1 * q
    elif method == "midpoint":
        v = 0.5 * (float(math.floor(nm1 * q)) + float(math.ceil(nm1 * q)))
    else:  # averaged_inverted_cdf
        v = nd * q - 1.0
    prev = float(math.floor(v))
    if v >= nm1:
        lo = hi = n - 1
        prev = -1.0
    elif v < 0.0:
        lo = hi = 0
        prev = 0.0
    else:
        lo = int(prev)
        hi = min(lo + 1, n - 1)
    gamma = v - prev
    if method == "midpoint":
        gamma = 0.0 if math.floor(v) == v else 0.5
    if method == "averaged_inverted_cdf":
        gamma = 0.5 if gamma == 0.0 else 1.0
    return _lerp(sorted_vals[lo], sorted_vals[hi], gamma)


# ---- data sets ----
def datasets():
    rng = np.random.default_rng(20240611)
    nan, inf = float("nan"), float("inf")
    d = {}
    d["one_value"] = [3.5]
    d["one_negzero"] = [-0.0]
    d["two_values"] = [2.0, -1.0]
    d["three_values"] = [5.0, 1.0, 3.0]
    d["four_values"] = [0.1, 0.7, 0.3, 0.2]
    d["all_equal"] = [7.25] * 9
    d["all_nan"] = [nan, nan, nan]
    d["nan_and_one"] = [nan, 4.0, nan]
    d["ties_small_ints"] = [float(x) for x in rng.integers(0, 6, size=50)]
    d["ties_10k"] = [float(x) for x in rng.integers(-5, 6, size=10000)]
    x = rng.normal(size=37)
    x[rng.choice(37, size=8, replace=False)] = nan
    d["with_nans"] = [float(v) for v in x]
    d["infinities"] = [-inf, 1.0, 2.0, inf, 3.0, -inf, 0.5]
    d["inf_top"] = [1.0, 2.0, inf]
    d["inf_both"] = [-inf, inf]
    d["only_pos_inf"] = [inf, inf, inf, inf]
    d["signed_zeros"] = [0.0, -0.0, 0.0, -0.0, 1.0, -1.0, -0.0]
    d["zeros_only"] = [-0.0, 0.0, -0.0, 0.0, 0.0]
    d["neg_zeros_only"] = [-0.0, -0.0, -0.0]
    d["huge"] = [1e308, -1e308, 1.7976931348623157e308, -1.7976931348623157e308, 0.0, 1.0]
    d["subnormal"] = [5e-324, -5e-324, 1e-310, 2.2250738585072014e-308, 0.0, -1e-315, 3e-320]
    for n in (5, 6, 7, 10, 11, 100, 101, 1000):
        d["uniform_%d" % n] = [float(v) for v in rng.uniform(-10, 10, size=n)]
    d["normal_10k"] = [float(v) for v in rng.normal(3.0, 2.0, size=10000)]
    d["cauchy_10k"] = [float(v) for v in rng.standard_cauchy(size=10000)]
    d["pareto_10k"] = [float(v) for v in rng.pareto(0.5, size=10000) * 1e10]
    lognormal = rng.lognormal(0.0, 25.0, size=3000) * rng.choice([-1.0, 1.0], size=3000)
    d["wide_exponents_3k"] = [float(v) for v in lognormal]
    mixed = list(rng.normal(size=500))
    mixed += [0.0] * 20 + [-0.0] * 20 + [nan] * 30 + [inf] * 3 + [-inf] * 2
    mixed = [float(v) for v in mixed]
    rng.shuffle(mixed)
    d["mixed_specials"] = mixed
    return d, rng


def qs_for(n, rng):
    base = [0.0, -0.0, 1.0, 0.5, 0.25, 0.75, 0.1, 0.9, 1.0 / 3.0, 2.0 / 3.0, 0.01, 0.99, 0.05, 0.95,
            1e-10, 1.0 - 1e-16, float(np.nextafter(0.5, 0.0)), float(np.nextafter(0.5, 1.0)), 5e-324,
            0.125, 0.375, 0.625, 0.875, 0.3, 0.7]
    # boundaries of the discrete methods: k/n and (k + 0.5)/n, and k/(n-1)
    if n > 0:
        for k in (0, 1, 2, n // 2, n - 2, n - 1):
            if 0 <= k <= n:
                base.append(k / n)
                base.append(min((k + 0.5) / n, 1.0))
                if n > 1:
                    base.append(min(k / (n - 1), 1.0))
    base += [float(v) for v in rng.uniform(0.0, 1.0, size=20)]
    out, seen = [], set()
    for q in base:
        if 0.0 <= q <= 1.0 and bits(q) not in seen:
            seen.add(bits(q))
            out.append(q)
    return out


def main():
    warnings.simplefilter("ignore")  # Inf - Inf warnings are expected
    os.makedirs(OUT, exist_ok=True)
    d, rng = datasets()
    mismatches = 0
    for name, vals in d.items():
        clean = [v for v in vals if not math.isnan(v)]
        srt = sorted(clean, key=order_key)
        has_both_zeros = any(v == 0 and math.copysign(1, v) < 0 for v in clean) and any(
            v == 0 and math.copysign(1, v) > 0 for v in clean)
        arr = np.array(vals, dtype=np.float64)
        lines = []
        for method in METHODS:
            for q in qs_for(len(clean), rng):
                ref = reference(srt, q, method)
                got = float(np.nanquantile(arr, q, method=method)) if clean else float("nan")
                if clean:
                    plain = float(np.quantile(np.array(clean), q, method=method))
                    assert (bits(plain) == bits(got) or (math.isnan(plain) and math.isnan(got))
                            or (has_both_zeros and plain == 0.0 and got == 0.0))
                flag = "-"
                if math.isnan(got):
                    expected = float("nan")
                    if not math.isnan(ref):
                        print("model mismatch", name, method, q, got, ref)
                        mismatches += 1
                elif got == 0.0 and has_both_zeros:
                    if ref != 0.0:
                        print("model mismatch", name, method, q, got, ref)
                        mismatches += 1
                    expected, flag = ref, "z"
                else:
                    expected = got
                    if bits(ref) != bits(got):
                        print("model mismatch", name, method, q, repr(got), repr(ref))
                        mismatches += 1
                eb = CANONICAL_NAN if math.isnan(expected) else bits(expected)
                lines.append("%s %s %016x %s # q=%r result=%r" % (method, hexbits(q), eb, flag, q, expected))
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            f.write("# reprep quantile golden data: written by tests/golden/make_quantile_golden.py\n")
            f.write("# numpy %s; values and results are IEEE-754 bit patterns in hex\n" % np.__version__)
            f.write("data %d\n" % len(vals))
            for v in vals:  # reprs only where a reader will look at them
                f.write(("%s # %r\n" % (hexbits(v), v)) if len(vals) <= 200 else (hexbits(v) + "\n"))
            f.write("expected %d\n" % len(lines))
            f.write("\n".join(lines) + "\n")
    if mismatches:
        print("%d rows where the reference model disagrees with numpy" % mismatches)
        sys.exit(1)
    print("wrote %d data sets to %s" % (len(d), OUT))


if __name__ == "__main__":
    main()
