#!/usr/bin/python3
"""Golden files for DropHighPSIFeatures (issue 19, item 4), as feature-engine documents
and implements it (feature_engine/selection/drop_psi_features.py, 1.6-1.8), read by
tests/parity/test_parity_psi.cpp. feature-engine is not installed here: this is a
reference written from its definitions with pandas and numpy, not a run of feature-engine.

Run through the driver:  /usr/bin/python3 tests/golden/make_golden.py psi
(or directly: /usr/bin/python3 tests/golden/golden_psi.py [OUT_ROOT]).

The rules implemented (feature-engine's, step by step):
  split       reference = X[split_col] (no missing value allowed). cut_off given: basis =
              reference <= cut_off, or reference.isin(cut_off) for a list. No cut_off:
              cut_off = np.quantile(reference, split_frac), over pd.Series(reference.unique())
              when split_distinct. test = the other rows; switch swaps basis and test.
              Fewer than `bins` rows in basis or test: refused.
  edges       per feature, from the basis values with missing rows dropped:
              pd.qcut(basis, q=bins, retbins=True, duplicates="drop") for equal_frequency,
              pd.cut(basis, bins=bins, retbins=True, duplicates="drop") for equal_width;
              then the first edge becomes -inf and the last +inf (EqualFrequency- /
              EqualWidthDiscretiser).
  bins        pd.cut(values, edges, labels=False, include_lowest=True), basis and test
              (test with its missing rows dropped). A categorical feature (feature-engine
              >= 1.6, named in `variables`): its categories are the bins, value_counts
              leaving missing rows out.
  shares      value_counts(normalize=True) per side; the two aligned by an outer merge on
              the bin, missing entries filled with min_pct_empty_bins and zeros replaced
              by it.
  PSI         sum over the aligned bins of (test - basis) * ln(test / basis); drop when
              PSI > threshold (strictly, as the code does).
  ln, sum     psi uses the correctly rounded ln (cr_ln of golden_drift.py) and math.fsum
              (the exact sum rounded once, like reprep's ExactSum); psi_np is np.log and
              np.sum, feature-engine's own arithmetic, for information.

Where reprep differs, no case here reaches the difference: reprep floors every share
below min_pct_empty_bins (max(x, floor), the monitor's rule), feature-engine only empty
bins; the two agree unless a side has more than 1 / min_pct_empty_bins values.

Case files <case>.txt, tab-separated lines:
  data       the CSV file name
  param      <name> <value>  (columns / cut_off lists comma-separated; doubles as 16 hex
             digits; cut_off as "none", "num <hex>", "nums <hex>,..." or "cats <a>,...")
  error      InvalidInput    (the fit is refused) -- or:
  cut_off    <hex>            the numeric cut-off used ("list" for a list split)
  psi        <column> <hex: cr_ln + fsum> <hex: np.log + np.sum>   (examined columns, in order)
  drop       <dropped columns, in column order>
"""
import math
import pathlib
import sys

import repro_env  # noqa: F401  (before numpy: pins SIMD dispatch, libm and threads)
from golden_io import h, read_frame, write_csv

import numpy as np
import pandas as pd

from golden_drift import cr_ln

NA = "NA"


class Refused(Exception):
    pass


# ---- the data ------------------------------------------------------------------------

def psi_data():
    """400 rows; t = 0..399 is time, the split column of most cases."""
    n = 400
    rng = np.random.default_rng(1904)
    t = np.arange(n, dtype=float)
    late = t >= 200
    r4 = lambda a: [float(v) for v in np.round(a, 4)]  # noqa: E731
    stable = rng.normal(0.0, 1.0, n)
    drift = rng.normal(0.0, 1.0, n) + np.where(late, 0.8, 0.0)
    mild = rng.normal(0.0, 1.0, n) * np.where(late, 1.15, 1.0)
    # Late values only in the lower half of the early range: the upper bins are empty in test.
    empty_side = np.where(late, rng.uniform(0.0, 0.5, n), rng.uniform(0.0, 1.0, n))
    # Small integers: repeated quantile edges (dropped) and values sitting on edges.
    ties = np.where(late, rng.choice(5, n, p=[0.3, 0.2, 0.2, 0.2, 0.1]), rng.choice(5, n, p=[0.2, 0.2, 0.2, 0.2, 0.2]))
    gaps = rng.normal(0.0, 1.0, n) + np.where(late, 0.3, 0.0)
    gaps_list = [float("nan") if rng.uniform() < 0.1 else v for v in np.round(gaps, 4)]
    grp = ["ABCDE"[i % 5] for i in range(n)]
    # by_group drifts with the group: higher in B and D.
    by_group = rng.normal(0.0, 1.0, n) + np.array([0.9 if g in "BD" else 0.0 for g in grp])
    # week: uneven repeats (week k holds 8 + 2k rows of its kind), for split_distinct.
    week = []
    k = 0
    while len(week) < n:
        week += [float(k)] * (8 + 2 * k)
        k += 1
    week = week[:n]
    # A categorical column: category "d" only early, "e" only late, shares moving; 5% missing.
    cat_early = rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1])
    cat_late = rng.choice(["a", "b", "c", "e"], n, p=[0.3, 0.3, 0.3, 0.1])
    cat = [None if rng.uniform() < 0.05 else str(y if lt else x) for x, y, lt in zip(cat_early, cat_late, late)]
    return {
        "t": [float(v) for v in t],
        "grp": grp,
        "week": week,
        "stable": r4(stable),
        "drift": r4(drift),
        "mild": r4(mild),
        "empty_side": r4(empty_side),
        "ties": [float(v) for v in ties],
        "by_group": r4(by_group),
        "gaps": gaps_list,
        "cat": cat,
    }


# ---- the reference -------------------------------------------------------------------

def split(df, p):
    ref = df[p["split_col"]]
    if ref.isna().any():
        raise Refused()
    cut = p.get("cut_off")
    if cut is None:
        col = pd.Series(ref.unique()) if p.get("split_distinct", False) else ref
        cut = float(np.quantile(col, p.get("split_frac", 0.5)))
    if isinstance(cut, list):
        mask = np.array(ref.isin(cut))
        cut_hex = "list"
    else:
        mask = np.array(ref <= cut)
        cut_hex = h(cut)
    basis, test = df[mask], df[~mask]
    if min(len(basis), len(test)) < p.get("bins", 10):
        raise Refused()
    if p.get("switch", False):
        basis, test = test, basis
    return basis, test, cut_hex


def psi_of(basis, test, p):
    bins = p.get("bins", 10)
    floor = p.get("min_pct_empty_bins", 0.0001)
    b = basis.dropna()
    t = test.dropna()
    if not pd.api.types.is_numeric_dtype(basis):
        # feature-engine >= 1.6: a categorical feature's categories are its bins
        # (value_counts leaves missing values out).
        return aligned_psi(basis.to_frame().value_counts(normalize=True), test.to_frame().value_counts(normalize=True),
                           floor)
    if p.get("strategy", "equal_frequency") == "equal_frequency":
        _, edges = pd.qcut(b, q=bins, retbins=True, duplicates="drop")
    else:
        _, edges = pd.cut(b, bins=bins, retbins=True, duplicates="drop")
    edges = list(edges)
    edges[0] = float("-inf")
    edges[len(edges) - 1] = float("inf")
    bd = pd.cut(b, edges, labels=False, include_lowest=True).value_counts(normalize=True)
    td = pd.cut(t, edges, labels=False, include_lowest=True).value_counts(normalize=True)
    return aligned_psi(bd, td, floor)


def aligned_psi(bd, td, floor):
    # reprep floors every share below the floor, feature-engine only empty bins: the cases
    # stay where the two agree (see the top of this file).
    assert not any(0.0 < x < floor for x in list(bd) + list(td)), "a non-empty share below min_pct_empty_bins"
    m = (pd.DataFrame(bd).merge(pd.DataFrame(td), right_index=True, left_index=True, how="outer")
         .fillna(floor).replace(to_replace=0, value=floor))
    m.columns = ["basis", "test"]
    terms = [(q - pp) * cr_ln(q / pp) for pp, q in zip(m.basis, m.test)]
    psi_np = np.sum((m.test - m.basis) * np.log(m.test / m.basis))
    return math.fsum(terms), float(psi_np)


def reference(df, p):
    df = df.astype({"cat": "category"}) if "cat" in df else df
    if p.get("missing_values", "raise") == "raise":
        cols = p.get("columns") or [c for c in df.columns if c != p["split_col"] and pd.api.types.is_numeric_dtype(df[c])]
        if df[cols].isna().any().any():
            raise Refused()
    basis, test, cut_hex = split(df, p)
    cols = p.get("columns") or [c for c in df.columns if c != p["split_col"] and pd.api.types.is_numeric_dtype(df[c])]
    psis, drop = [], []
    for c in cols:
        psi, psi_np = psi_of(basis[c], test[c], p)
        psis.append((c, psi, psi_np))
        if psi > p.get("threshold", 0.25):
            drop.append(c)
    return cut_hex, psis, drop


# ---- the cases -----------------------------------------------------------------------

NUM = ["stable", "drift", "mild", "empty_side", "ties", "by_group"]
CASES = [
    # (name, params); params use feature-engine's names, "columns" for `variables`.
    ("time_cut", {"split_col": "t", "cut_off": 199.0, "columns": NUM}),
    ("time_frac", {"split_col": "t", "split_frac": 0.5, "columns": NUM}),
    ("time_frac_06_width", {"split_col": "t", "split_frac": 0.6, "strategy": "equal_width", "columns": NUM}),
    ("time_switch", {"split_col": "t", "cut_off": 199.0, "switch": True, "columns": NUM}),
    ("time_bins5_floor", {"split_col": "t", "cut_off": 199.0, "bins": 5, "min_pct_empty_bins": 0.01,
                          "threshold": 0.1, "columns": NUM}),
    ("time_ignore_all", {"split_col": "t", "cut_off": 249.5, "missing_values": "ignore"}),
    ("time_raise_missing", {"split_col": "t", "cut_off": 199.0}),
    ("week_frac", {"split_col": "week", "split_frac": 0.5, "columns": NUM}),
    ("week_frac_distinct", {"split_col": "week", "split_frac": 0.5, "split_distinct": True, "columns": NUM}),
    ("week_list", {"split_col": "week", "cut_off": [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0], "columns": NUM}),
    ("group_list", {"split_col": "grp", "cut_off": ["A", "C", "E"], "columns": NUM}),
    ("group_list_width", {"split_col": "grp", "cut_off": ["B", "D"], "strategy": "equal_width", "bins": 8,
                          "columns": NUM}),
    ("too_few_rows", {"split_col": "t", "cut_off": 5.0, "columns": NUM}),
    ("time_cut_categorical", {"split_col": "t", "cut_off": 199.0, "missing_values": "ignore",
                              "columns": ["cat", "stable", "drift"]}),
    ("group_list_categorical", {"split_col": "grp", "cut_off": ["A", "B"], "missing_values": "ignore",
                                "columns": ["drift", "cat"]}),
    ("categorical_raise_missing", {"split_col": "t", "cut_off": 199.0, "columns": ["stable", "cat"]}),
]


def param_lines(p):
    lines = []
    for k, v in p.items():
        if k == "columns":
            lines.append("param\tcolumns\t" + ",".join(v))
        elif k == "cut_off":
            if isinstance(v, list) and isinstance(v[0], str):
                lines.append("param\tcut_off\tcats " + ",".join(v))
            elif isinstance(v, list):
                lines.append("param\tcut_off\tnums " + ",".join(h(x) for x in v))
            else:
                lines.append("param\tcut_off\tnum " + h(v))
        elif isinstance(v, bool):
            lines.append(f"param\t{k}\t{int(v)}")
        elif isinstance(v, float):
            lines.append(f"param\t{k}\t{h(v)}")
        else:
            lines.append(f"param\t{k}\t{v}")
    return lines


def write_case(out, df, name, p):
    lines = ["data\tpsi.csv"] + param_lines(p)
    try:
        cut_hex, psis, drop = reference(df, p)
        lines.append("cut_off\t" + cut_hex)
        lines += [f"psi\t{c}\t{h(v)}\t{h(v_np)}" for c, v, v_np in psis]
        lines.append("drop" + "".join("\t" + c for c in drop))
    except Refused:
        lines.append("error\tInvalidInput")
        psis = []
    (out / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return psis


def main(out_root, only=None):
    """Writes every case (they are few and fast), so `only` (check_golden's sample) is unused."""
    out = pathlib.Path(out_root) / "psi"
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "psi.csv", psi_data())
    df = read_frame(out / "psi.csv")
    psis = {}
    for name, p in CASES:
        psis[name] = write_case(out, df, name, p)
    # A PSI exactly at the threshold is kept (PSI > threshold drops), one ulp below it is
    # dropped: the threshold is the reference PSI of "mild" in time_cut.
    at = next(v for c, v, _ in psis["time_cut"] if c == "mild")
    base = dict(CASES)["time_cut"]
    write_case(out, df, "time_cut_at_threshold", {**base, "threshold": at})
    write_case(out, df, "time_cut_below_threshold", {**base, "threshold": math.nextafter(at, 0.0)})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent)
