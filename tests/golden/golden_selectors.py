#!/usr/bin/python3
"""Golden files for the feature selectors (issue 19, item 4): DropConstantFeatures,
DropDuplicateFeatures and DropCorrelatedFeatures, as feature-engine documents them,
read by tests/contract/test_selectors.cpp. feature-engine is not installed here: this
is a reference written from its documented definitions with pandas and exact
fractions, not a run of feature-engine itself.

Run through the driver:  /usr/bin/python3 tests/golden/make_golden.py selectors

The rules implemented:
  constant    per column, share = the most frequent value's count over the rows
              counted (pandas value_counts(normalize=True)); missing_values ignore
              drops missing rows first, include counts missing as one more value, raise
              refuses any missing value; dropped when share >= tol; an error when every
              column would be dropped. A column with no value under ignore is kept
              (feature-engine keeps it at tol = 1: nunique() is 0).
  duplicate   a column is dropped when it equals an earlier one on every row
              (pandas Series.equals: NaN equals NaN, -0.0 equals +0.0); raise refuses
              missing values.
  correlated  Pearson r over the rows where both columns are present (pandas'
              pairwise-complete DataFrame.corr); a pair is correlated when |r| >
              threshold, decided with exact rational arithmetic (Fraction), so a pair at
              exactly the threshold stays; columns walked in order, each column not yet
              grouped takes every later ungrouped column correlated with it, and the
              first of a group is kept. A constant column (A = 0) correlates with
              nothing. raise refuses missing values.

Data (tests/golden/selectors/*.csv) are small integer-valued tables built here, so
every value is exact; the correlated set holds pairs with r exactly 0.75, 0.5 and 1.

Case files <case>.txt, tab-separated lines:
  component  drop_constant_features | drop_duplicate_features | drop_correlated_features
  data       the CSV file name
  param      <name> <value>   (columns as a comma-separated list; doubles as 16 hex digits)
  error      InvalidInput     (the fit is refused) -- or:
  drop       <dropped columns, in column order>
  link       <dropped column> <kept column it duplicates or whose group it joined>
"""
import math
import pathlib
from fractions import Fraction

import repro_env  # noqa: F401  (before numpy: pins SIMD dispatch, libm and threads)
from golden_io import h, read_frame, write_csv

import numpy as np
import pandas as pd

NA = "NA"


# ---- the data ------------------------------------------------------------------------

def constant_data():
    n = 40
    rng = np.random.default_rng(19)
    var = [float(v) for v in rng.integers(0, 9, n)]
    cat_var = ["v%d" % v for v in rng.integers(0, 6, n)]
    nan = float("nan")
    return {
        "num_const": [7.0] * n,
        "num_const_nan": [nan if i % 10 == 3 else 7.0 for i in range(n)],  # constant with NaN
        "num_quasi": [1.0 if i in (5, 17) else 0.0 for i in range(n)],      # share 0.95
        "num_signed_zero": [-0.0 if i % 2 else 0.0 for i in range(n)],      # one value to pandas
        "num_var": var,
        "num_half_nan": [nan if i < 20 else 2.0 for i in range(n)],         # 50% missing
        "cat_const": ["a"] * n,
        "cat_const_na": [None if i % 13 == 0 else "a" for i in range(n)],
        "cat_quasi": ["y" if i % 10 == 9 else "x" for i in range(n)],     # share 0.9
        "cat_var": cat_var,
    }


def duplicate_data():
    n = 30
    rng = np.random.default_rng(23)
    a = [float("nan") if i % 7 == 2 else float(v) for i, v in enumerate(rng.integers(0, 5, n))]
    b = [float(v) for v in rng.integers(0, 5, n)]
    c = [None if i % 9 == 4 else "k%d" % v for i, v in enumerate(rng.integers(0, 4, n))]
    near = list(c)
    near[11] = "other"
    z = [0.0 if i % 3 else 1.5 for i in range(n)]
    return {
        "a": a,
        "b": b,
        "c": c,
        "a_copy": list(a),                                  # same values and NaNs, other name
        "c_copy": list(c),
        "c_near": near,                                     # differs on one row
        "z_pos": z,
        "z_neg": [-0.0 if v == 0.0 else v for v in z],      # equal to z_pos by ==
        "b_twice": [2.0 * v for v in b],
    }


def correlated_data():
    # Centred orthogonal integer vectors: u, v with |v|^2/|u|^2 = 14/18 give r(u, u+v) = 3/4;
    # v2 with |v2|^2 = 3|u|^2 gives r(u, u+v2) = 1/2.
    u = [3, -3, 0, 0, 0, 0, 0, 0, 0, 0]
    v = [0, 0, 3, -2, -1, 0, 0, 0, 0, 0]
    v2 = [0, 0, 0, 0, 0, 6, -3, -3, 0, 0]
    x = [10.0 + a for a in u]
    nan = float("nan")
    return {
        "x": x,
        "y": [20.0 + a + b for a, b in zip(u, v)],                    # r(x, y) = 0.75 exactly
        "z": [5.0 + a + b for a, b in zip(u, v2)],                    # r(x, z) = 0.5 exactly
        "k": [1.0] * 10,                                             # constant: no correlation
        "w": [2.0 * a + 1.0 for a in x],                              # r(x, w) = 1
        "q": [4.0, 1.0, 7.0, 1.0, 3.0, 9.0, 2.0, 6.0, 5.0, 8.0],
        "neg": [-3.0 * a for a in x],                                 # r(x, neg) = -1
        "x_nan": [nan if i >= 8 else a for i, a in enumerate(x)],    # r = 1 on the shared rows
    }


# ---- the reference rules ---------------------------------------------------------------

class Refused(Exception):
    pass


def is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def ref_constant(df, columns, tol, missing_values):
    cols = columns or list(df.columns)
    if missing_values == "raise" and df[cols].isna().any().any():
        raise Refused()
    drop = []
    for c in cols:
        s = df[c]
        if missing_values == "ignore":
            counts = s.dropna().value_counts(normalize=True)
            if counts.empty:
                continue
        else:
            counts = s.value_counts(normalize=True, dropna=False)
        if counts.max() >= tol:
            drop.append(c)
    if not columns and len(drop) == len(df.columns):
        raise Refused()
    return drop, {}


def ref_duplicate(df, columns, missing_values):
    cols = columns or list(df.columns)
    if missing_values == "raise" and df[cols].isna().any().any():
        raise Refused()
    drop, link = [], {}
    for k, c in enumerate(cols):
        for e in cols[:k]:
            if e not in drop and df[e].dtype == df[c].dtype and df[e].equals(df[c]):
                drop.append(c)
                link[c] = e
                break
    return drop, link


def exact_correlated(x, y, t):
    pairs = [(Fraction(a), Fraction(b)) for a, b in zip(x, y) if not (math.isnan(a) or math.isnan(b))]
    n = len(pairs)
    sx = sum(a for a, _ in pairs)
    sy = sum(b for _, b in pairs)
    N = n * sum(a * b for a, b in pairs) - sx * sy
    A = n * sum(a * a for a, _ in pairs) - sx * sx
    B = n * sum(b * b for _, b in pairs) - sy * sy
    if A == 0 or B == 0:
        return False
    return N * N > Fraction(t) ** 2 * A * B


def ref_correlated(df, columns, threshold, missing_values):
    cols = columns or [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    if missing_values == "raise" and df[cols].isna().any().any():
        raise Refused()
    grouped, drop, link = set(), [], {}
    for k, c in enumerate(cols):
        if c in grouped:
            continue
        grouped.add(c)
        for e in cols[k + 1:]:
            if e not in grouped and exact_correlated(df[c].to_numpy(float), df[e].to_numpy(float), threshold):
                grouped.add(e)
                link[e] = c
    drop = [c for c in cols if c in link]
    return drop, link


# ---- the cases -------------------------------------------------------------------------

BELOW_075 = float(np.nextafter(0.75, 0.0))
BELOW_05 = float(np.nextafter(0.5, 0.0))

CASES = [
    # name, component, data, params
    ("constant_tol1_ignore", "drop_constant_features", "constant", {"tol": 1.0, "missing_values": "ignore"}),
    ("constant_tol1_include", "drop_constant_features", "constant", {"tol": 1.0, "missing_values": "include"}),
    ("constant_tol09_ignore", "drop_constant_features", "constant", {"tol": 0.9, "missing_values": "ignore"}),
    ("constant_tol09_include", "drop_constant_features", "constant", {"tol": 0.9, "missing_values": "include"}),
    ("constant_tol095_include", "drop_constant_features", "constant", {"tol": 0.95, "missing_values": "include"}),
    ("constant_tol05_ignore", "drop_constant_features", "constant", {"tol": 0.5, "missing_values": "ignore"}),
    ("constant_raise", "drop_constant_features", "constant", {"tol": 1.0, "missing_values": "raise"}),
    ("constant_raise_subset", "drop_constant_features", "constant",
     {"columns": ["num_const", "num_quasi", "cat_quasi", "cat_var"], "tol": 0.9, "missing_values": "raise"}),
    ("constant_tol0_everything", "drop_constant_features", "constant", {"tol": 0.0, "missing_values": "include"}),
    ("duplicate_ignore", "drop_duplicate_features", "duplicate", {"missing_values": "ignore"}),
    ("duplicate_subset", "drop_duplicate_features", "duplicate",
     {"columns": ["c_near", "c", "b", "c_copy"], "missing_values": "ignore"}),
    ("duplicate_raise", "drop_duplicate_features", "duplicate", {"missing_values": "raise"}),
    ("correlated_at_075", "drop_correlated_features", "correlated", {"threshold": 0.75, "missing_values": "ignore"}),
    ("correlated_below_075", "drop_correlated_features", "correlated", {"threshold": BELOW_075, "missing_values": "ignore"}),
    ("correlated_at_05", "drop_correlated_features", "correlated", {"threshold": 0.5, "missing_values": "ignore"}),
    ("correlated_below_05", "drop_correlated_features", "correlated", {"threshold": BELOW_05, "missing_values": "ignore"}),
    ("correlated_default", "drop_correlated_features", "correlated", {"threshold": 0.8, "missing_values": "ignore"}),
    ("correlated_subset", "drop_correlated_features", "correlated",
     {"columns": ["z", "y", "x", "k"], "threshold": 0.3, "missing_values": "ignore"}),
    ("correlated_raise", "drop_correlated_features", "correlated", {"threshold": 0.8, "missing_values": "raise"}),
]

DATA = {"constant": constant_data, "duplicate": duplicate_data, "correlated": correlated_data}


def main(out_root, only=None):
    """Writes every case (they are few and fast), so `only` (check_golden's sample) is unused."""
    out = pathlib.Path(out_root) / "selectors"
    out.mkdir(parents=True, exist_ok=True)
    for name, make in DATA.items():
        write_csv(out / f"{name}.csv", make())
    for name, component, data, params in CASES:
        df = read_frame(out / f"{data}.csv")
        columns = params.get("columns", [])
        lines = [f"component\t{component}", f"data\t{data}.csv"]
        for k, v in params.items():
            if k == "columns":
                lines.append("param\tcolumns\t" + ",".join(v))
            elif isinstance(v, float):
                lines.append(f"param\t{k}\t{h(v)}")
            else:
                lines.append(f"param\t{k}\t{v}")
        try:
            if component == "drop_constant_features":
                drop, link = ref_constant(df, columns, params["tol"], params["missing_values"])
            elif component == "drop_duplicate_features":
                drop, link = ref_duplicate(df, columns, params["missing_values"])
            else:
                drop, link = ref_correlated(df, columns, params["threshold"], params["missing_values"])
            lines.append("drop" + "".join("\t" + c for c in drop))
            for c in drop:
                if c in link:
                    lines.append(f"link\t{c}\t{link[c]}")
        except Refused:
            lines.append("error\tInvalidInput")
        (out / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    import sys

    main(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent)
