#!/usr/bin/python3
"""Golden files for the feature-creation family (issue 19, item 3), read by
tests/contract/test_create.cpp:

  PolynomialFeatures  fitted and applied by scikit-learn 1.2 (Debian's python3-sklearn).
  MathFeatures,       a reference written from feature-engine's documented definitions
  RelativeFeatures    (feature-engine is not installed here), with exact arithmetic where
                      reprep rounds once:
    MathFeatures (values v of the row, NaN skipped under missing_values='ignore'; m = len(v)):
      sum  the exact sum rounded once (Fraction); 0 when m = 0
      mean sum(v) / m; NaN when m = 0
      std  sqrt(sum((x - mean)**2 for x in v) / (m - 1)), each square rounded; NaN when m < 2
      min, max  with -0.0 below +0.0; NaN when m = 0
      prod left to right; 1 when m = 0
    RelativeFeatures: add/sub/mul/div/truediv as one IEEE operation, floordiv and mod as
      Python's float // and % (the same algorithm as numpy's npy_divmod), pow correctly
      rounded (exact rational power for an integer exponent, crmath.cr_pow otherwise;
      a negative base with a non-integer exponent is NaN); a zero reference under a
      division gives fill_value, or the case is an 'error'.
  Each MathFeatures case also counts the cells where numpy's nan-reductions (what
  feature-engine calls) differ from the reference: 'numpy_differs <n>'.

Run through the driver:  /usr/bin/python3 tests/golden/make_golden.py create

Case files tests/golden/create/<case>.txt, one item per line:
  component  polynomial_features | math_features | relative_features
  dtype      float64 | float32
  param      <name> <value ...>      (lists space-separated; doubles as 16 hex digits)
  name       <output name>           (the rest of the line: names hold spaces)
  in         <row of the input, hex>
  out        <row of the output, hex; float32 values widened to double>
  error      <reprep error type>     (transform is refused)
The inputs come from Python's random.Random with fixed seeds and IEEE operations only,
so they are the same bits on every CPU.
"""
import math
import pathlib
import random
import struct
from fractions import Fraction

import repro_env  # noqa: F401  (before numpy: pins SIMD dispatch, libm and threads)
from golden_io import h
from crmath import cr_pow

import numpy as np
import sklearn
from sklearn.preprocessing import PolynomialFeatures

NAN = float("nan")


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def write_case(out_dir, stem, lines):
    with open(out_dir / (stem + ".txt"), "w", encoding="utf-8") as fh:
        fh.write(f"# {stem}: written by tests/golden/golden_create.py (sklearn {sklearn.__version__}, numpy {np.__version__})\n")
        for line in lines:
            fh.write(line + "\n")


def rows(key, M):
    return [key + " " + " ".join(h(v) for v in r) for r in M]


# ---- PolynomialFeatures: scikit-learn itself ----------------------------------------

def poly_data():
    rng = random.Random(1903)
    X = [[rng.uniform(-3.0, 3.0) for _ in range(3)] for _ in range(6)]
    X.append([1e120, -1e120, 0.0])   # products overflow to +-Inf, Inf * 0 is NaN
    X.append([0.0, -0.0, 5e-200])    # signed zeros, underflow to subnormal and zero
    X.append([1.0, 2.0, 3.0])
    return X


POLY_CASES = [
    # stem, degree (min, max), interaction_only, include_bias, dtype, input names
    ("poly_d2", (0, 2), False, True, "float64", None),
    ("poly_d3", (0, 3), False, True, "float64", None),
    ("poly_d3_interaction_nobias", (0, 3), True, False, "float64", None),
    ("poly_d2_interaction", (0, 2), True, True, "float64", None),
    ("poly_d1_nobias", (0, 1), False, False, "float64", None),
    ("poly_d0_bias", (0, 0), False, True, "float64", None),
    ("poly_range_2_3", (2, 3), False, True, "float64", None),
    ("poly_range_2_4_interaction_nobias", (2, 4), True, False, "float64", None),
    ("poly_d4_named", (0, 4), False, False, "float64", ["a", "bb", "c_d"]),
    ("poly_d3_float32", (0, 3), False, True, "float32", None),
]


def poly_cases(out_dir):
    X = np.array(poly_data())
    for stem, (lo, hi), io, bias, dtype, names in POLY_CASES:
        Xd = X
        if dtype == "float32":  # the extreme rows scaled into float32's range
            Xd = X.copy()
            Xd[6] = [1e30, -1e30, 0.0]
            Xd[7] = [0.0, -0.0, 5e-30]
            Xd = Xd.astype(np.float32)
        degree = hi if lo == 0 else (lo, hi)
        pf = PolynomialFeatures(degree=degree, interaction_only=io, include_bias=bias)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            Y = pf.fit_transform(Xd)
        out_names = pf.get_feature_names_out(names) if names else pf.get_feature_names_out()
        lines = ["component polynomial_features", "dtype " + dtype,
                 f"param degree {lo} {hi}", f"param interaction_only {io}", f"param include_bias {bias}"]
        if names:
            lines.append("param columns " + " ".join(names))
        lines += ["name " + n for n in out_names]
        lines += rows("in", Xd.astype(np.float64))
        lines += rows("out", Y.astype(np.float64))
        write_case(out_dir, stem, lines)


# ---- MathFeatures: reference from the documented definitions ------------------------

def crsum(v):
    """The exact sum of v rounded once to the nearest double (math.fsum overflows on the
    way for sums such as 1e308 + 1e308 - 1e308). An infinite term makes the sum that
    infinity, or NaN when both signs occur."""
    inf = [x for x in v if math.isinf(x)]
    if inf:
        return inf[0] if all(x == inf[0] for x in inf) else NAN
    q = sum((Fraction(x) for x in v), Fraction(0))
    try:
        return float(q)
    except OverflowError:
        return -math.inf if q < 0 else math.inf


def ref_min(v):
    r = v[0]
    for x in v[1:]:
        if x < r or (x == r and math.copysign(1.0, x) < 0):
            r = x
    return r


def ref_max(v):
    r = v[0]
    for x in v[1:]:
        if x > r or (x == r and math.copysign(1.0, x) > 0):
            r = x
    return r


def ref_math(func, row):
    v = [x for x in row if not math.isnan(x)]
    m = len(v)
    if func == "sum":
        return crsum(v)
    if func == "mean":
        return crsum(v) / m if m else NAN
    if func == "std":
        if m < 2:
            return NAN
        mean = crsum(v) / m
        return math.sqrt(crsum([(x - mean) * (x - mean) for x in v]) / (m - 1))
    if func == "min":
        return ref_min(v) if m else NAN
    if func == "max":
        return ref_max(v) if m else NAN
    if func == "prod":
        r = 1.0
        for x in v:
            r = r * x
        return r
    raise ValueError(func)


NUMPY_MATH = {"sum": np.nansum, "mean": np.nanmean, "std": lambda a, axis: np.nanstd(a, axis=axis, ddof=1),
              "min": np.nanmin, "max": np.nanmax, "prod": np.nanprod}


def math_data():
    rng = random.Random(1904)
    X = [[rng.uniform(-100.0, 100.0) * 10.0 ** rng.randint(-3, 3) for _ in range(5)] for _ in range(8)]
    X.append([1e16, 1.0, -1e16, 1.0, 0.5])        # a naive sum loses the small terms
    X.append([0.1, 0.2, 0.3, 0.4, 0.5])
    X.append([1e308, 1e308, -1e308, 2.0, 3.0])    # a naive sum overflows on the way
    X.append([0.0, -0.0, -0.0, 0.0, 0.0])
    X.append([NAN, 3.0, NAN, NAN, NAN])            # one value: std is NaN
    X.append([NAN, NAN, NAN, NAN, NAN])            # none: sum 0, prod 1, the others NaN
    X.append([1e200, 1e200, 0.0, -1.0, 2.0])       # prod: Inf * 0
    return X


MATH_CASES = [
    # stem, funcs, missing_values, new names, drop_original, dtype, rows (None = all)
    ("math_all_ignore", ["sum", "mean", "std", "min", "max", "prod"], "ignore", None, False, "float64", None),
    ("math_named_drop", ["std", "sum"], "ignore", ["spread", "total"], True, "float64", None),
    ("math_raise_complete", ["mean", "prod", "max"], "raise", None, False, "float64", range(0, 12)),
    ("math_raise_nan", ["sum"], "raise", None, False, "float64", None),
    ("math_float32", ["sum", "mean", "std", "min", "max", "prod"], "ignore", None, False, "float32", range(0, 10)),
]


def math_cases(out_dir):
    X_all = math_data()
    names = ["x0", "x1", "x2", "x3", "x4"]
    for stem, funcs, missing, new_names, drop, dtype, sel in MATH_CASES:
        X = [X_all[i] for i in (sel if sel is not None else range(len(X_all)))]
        if dtype == "float32":
            X = [[f32(x) for x in r] for r in X]
        lines = ["component math_features", "dtype " + dtype, "param func " + " ".join(funcs),
                 "param missing_values " + missing, f"param drop_original {drop}"]
        if new_names:
            lines.append("param new_variables_names " + " ".join(new_names))
        out_names = ([] if drop else list(names)) + (new_names or [f + "_" + "_".join(names) for f in funcs])
        lines += ["name " + n for n in out_names]
        lines += rows("in", X)
        if missing == "raise" and any(math.isnan(x) for r in X for x in r):
            lines.append("error InvalidInput")
            write_case(out_dir, stem, lines)
            continue
        out, differs = [], 0
        A = np.array(X)
        with np.errstate(all="ignore"):
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                numpy_cols = [NUMPY_MATH[f](A, axis=1) for f in funcs]
        for i, r in enumerate(X):
            vals = [ref_math(f, r) for f in funcs]
            if dtype == "float32":
                vals = [f32(v) if not math.isnan(v) else NAN for v in vals]
            for k, v in enumerate(vals):
                nv = float(numpy_cols[k][i])
                if dtype == "float32":
                    nv = f32(nv) if not math.isnan(nv) else NAN
                if not (h(nv) == h(v) or (math.isnan(nv) and math.isnan(v))):
                    differs += 1
            out.append(([] if drop else list(r)) + vals)
        lines.append(f"numpy_differs {differs}")
        lines += rows("out", out)
        write_case(out_dir, stem, lines)


# ---- RelativeFeatures: reference from the documented definitions --------------------

def ref_pow(x, y):
    """C Annex F's pow, correctly rounded."""
    if y == 0.0:
        return 1.0
    if math.isnan(x) or math.isnan(y):
        return NAN
    odd = y == int(y) and int(y) % 2 == 1
    if x == 0.0:
        if y > 0:
            return x if odd else 0.0
        return math.copysign(math.inf, x) if odd else math.inf
    if y == int(y):
        q = Fraction(x) ** int(y)
        try:
            return float(q)
        except OverflowError:
            return -math.inf if q < 0 else math.inf
    if x < 0:
        return NAN
    return cr_pow(x, y)


def ref_op(func, a, b, fill):
    if func in ("div", "truediv", "floordiv", "mod") and b == 0.0:
        return fill
    if math.isnan(a) or math.isnan(b):
        return ref_pow(a, b) if func == "pow" else NAN
    if func == "add":
        return a + b
    if func == "sub":
        return a - b
    if func == "mul":
        return a * b
    if func in ("div", "truediv"):
        return a / b
    if func == "floordiv":
        return a // b
    if func == "mod":
        return a % b
    if func == "pow":
        return ref_pow(a, b)
    raise ValueError(func)


def relative_data():
    rng = random.Random(1905)
    X = []
    for i in range(10):
        v0 = rng.uniform(-50.0, 50.0)
        v1 = rng.uniform(0.01, 9.0)
        r0 = float(rng.randint(-3, 3))          # integer exponents and divisors, zeros among them
        r1 = rng.uniform(-4.0, 4.0)
        X.append([v0, v1, r0, r1])
    X[3][0] = NAN
    X[5][1] = -7.5
    X[6] = [7.5, -7.5, -2.0, 0.5]               # a negative base with a non-integer exponent
    X[7] = [-0.0, 6.0, 2.0, -0.0]               # a signed zero in a mod, a -0 divisor
    X[4][2] = 0.0                               # a zero divisor
    return X


REL_FUNCS = ["add", "sub", "mul", "div", "truediv", "floordiv", "mod", "pow"]
REL_CASES = [
    # stem, funcs, fill_value, missing_values, drop_original, rows (None = all)
    ("relative_all_fill", REL_FUNCS, 0.25, "ignore", False, None),
    ("relative_drop_fill_nan", ["floordiv", "mod", "pow"], NAN, "ignore", True, None),
    ("relative_no_fill_zero", ["sub", "div"], None, "ignore", False, None),
    ("relative_no_fill_nonzero", ["mul", "truediv", "mod"], None, "ignore", False, [0, 1, 2, 6, 8]),
    ("relative_raise_nan", ["add"], None, "raise", False, None),
]


def relative_cases(out_dir):
    X_all = relative_data()
    names = ["v0", "v1", "r0", "r1"]
    refs = ["r0", "r1"]
    for stem, funcs, fill, missing, drop, sel in REL_CASES:
        X = [X_all[i] for i in (sel if sel is not None else range(len(X_all)))]
        lines = ["component relative_features", "dtype float64", "param columns v0 v1", "param reference r0 r1",
                 "param func " + " ".join(funcs), "param missing_values " + missing, f"param drop_original {drop}"]
        if fill is not None:
            lines.append("param fill_value " + h(fill))
        out_names = ([] if drop else list(names)) + [f"{v}_{f}_{r}" for f in funcs for r in refs for v in ["v0", "v1"]]
        lines += ["name " + n for n in out_names]
        lines += rows("in", X)
        zero_div = fill is None and any(f in ("div", "truediv", "floordiv", "mod") for f in funcs) and \
            any(r[2] == 0.0 or r[3] == 0.0 for r in X)
        has_nan = any(math.isnan(x) for r in X for x in r)
        if zero_div or (missing == "raise" and has_nan):
            lines.append("error InvalidInput")
            write_case(out_dir, stem, lines)
            continue
        out = []
        for r in X:
            vals = [ref_op(f, r[names.index(v)], r[names.index(ref)], fill) for f in funcs for ref in refs for v in ["v0", "v1"]]
            out.append(([] if drop else list(r)) + vals)
        lines += rows("out", out)
        write_case(out_dir, stem, lines)


def main(out_dir, only=None):  # `only` (a sample of cases): the family is small, always whole
    out = pathlib.Path(out_dir) / "create"
    out.mkdir(parents=True, exist_ok=True)
    poly_cases(out)
    math_cases(out)
    relative_cases(out)
