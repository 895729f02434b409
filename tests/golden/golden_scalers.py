#!/usr/bin/python3
"""Golden files for the scalers and numeric imputers, fitted by scikit-learn 1.2 (Debian's
python3-sklearn), read by tests/parity/test_parity_scalers.cpp and test_parity_imputers.cpp.

Run through the driver:  /usr/bin/python3 tests/golden/make_golden.py scalers

Every number is written as the 16 hex digits of its IEEE-754 double bit pattern (float32
values are widened to double first, which is exact), so it round-trips exactly.
Files (tests/golden/scalers/):
  data_<set>.txt   'names' line, then one 'row' line per training sample
  test_<set>.txt   the rows to transform: the training rows plus probes outside their range
  <case>.txt       'component', 'dtype' (float64/float32), 'data' (the set), 'param' lines
                   (name and values as text), 'state <attr>' lines (scikit-learn's fitted
                   attributes; absent where scikit-learn has None), 'ints <attr>' lines
                   (integer attributes), and 'out' lines: scikit-learn's transform of test_<set>.
  Normalizer cases also hold 'norm_sklearn' (scikit-learn's per-row norms of test_<set>),
  'norm_exact' (the correctly rounded norms, computed here with exact rational arithmetic)
  and 'out_exact' lines (test_<set> divided by the exact norms, with scikit-learn's zero rule).
  StandardScaler and SimpleImputer(mean) cases also hold 'state exact_mean' (and
  'state exact_var'): the correctly rounded column means (population variances), by exact
  rational arithmetic.
  EndTailImputer cases hold 'state imputer_dict_' computed here with numpy from
  feature-engine's formulas (feature-engine itself is not packaged in Debian).
The data are generated with a fixed numpy seed, from correctly rounded operations only
(crmath.py), so they are the same bits on every CPU; repro_env pins numpy's SIMD dispatch,
glibc's libm variant and the thread count for scikit-learn's computations.
"""
import csv
import math
import pathlib
import warnings
from fractions import Fraction

import repro_env  # before numpy: pins SIMD dispatch, libm and threads
from golden_io import h
from crmath import exp_array

import numpy as np
import scipy
import sklearn
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.preprocessing import (Binarizer, MaxAbsScaler, MinMaxScaler, Normalizer, RobustScaler,
                                   StandardScaler)


def write_rows(f, key, M):
    for row in np.atleast_2d(M):
        f.write(key + " " + " ".join(h(v) for v in row) + "\n")


def write_vec(f, key, v):
    f.write(key + " " + " ".join(h(x) for x in np.ravel(v)) + "\n")


DATA = pathlib.Path(__file__).resolve().parent.parent / "data"  # tests/data


def penguins():
    cols = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    rows = []
    with open(DATA / "penguins.csv") as fh:
        for r in csv.DictReader(fh):
            rows.append([float(r[c]) if r[c] not in ("NA", "") else np.nan for c in cols])
    return cols, np.array(rows)


def synthetic(rng, n):
    """NaN here and there, a constant column, a huge offset, heavy tails, an all-NaN column."""
    cols = ["normal", "offset_1e9", "cauchy", "constant", "lognormal", "all_nan", "ints"]
    X = np.empty((n, len(cols)))
    X[:, 0] = rng.normal(3.0, 2.0, n)
    X[:, 1] = 1e9 + rng.normal(0.0, 1e-3, n)
    X[:, 2] = rng.standard_cauchy(n)
    X[:, 3] = 7.25
    # lognormal(0, 1.5): the same normal draws as rng.lognormal, but a correctly rounded exp
    # (rng.lognormal calls glibc's exp, whose FMA and SSE2 variants differ in rare last bits).
    X[:, 4] = exp_array(rng.normal(0.0, 1.5, n))
    X[:, 5] = np.nan
    X[:, 6] = rng.integers(-3, 4, n)
    for j in (0, 1, 2, 4, 6):
        X[rng.random(n) < 0.1, j] = np.nan
    return cols, X


def probes(rng, X, k=24):
    """Test rows: the training rows, then rows outside the training range and with NaN."""
    lo, hi = np.nanmin(X, axis=0), np.nanmax(X, axis=0)
    width = np.where(np.isfinite(hi - lo), hi - lo, 1.0)
    extra = lo + (rng.random((k, X.shape[1])) * 2.0 - 0.5) * width
    extra[rng.random(extra.shape) < 0.1] = np.nan
    extra[:, np.isnan(lo)] = np.nan  # all-NaN columns stay NaN
    return np.vstack([X, extra])


def write_set(out, name, cols, X, T):
    with open(out / f"data_{name}.txt", "w") as f:
        f.write(f"# {name}: {X.shape[0]} x {X.shape[1]}\nnames {' '.join(cols)}\n")
        write_rows(f, "row", X)
    with open(out / f"test_{name}.txt", "w") as f:
        f.write(f"# {name}: {T.shape[0]} rows to transform\nnames {' '.join(cols)}\n")
        write_rows(f, "row", T)


def case(out, name, component, dtype, data, params):
    f = open(out / f"{name}.txt", "w")
    f.write(f"# {component} {params} on {data} ({dtype})\n")
    f.write(f"# sklearn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, {repro_env.POLICY}\n")
    f.write(f"component {component}\ndtype {dtype}\ndata {data}\n")
    for k, v in params.items():
        vals = v if isinstance(v, (tuple, list)) else (v,)
        f.write(f"param {k} {' '.join(str(x) for x in vals)}\n")
    return f


def exact_norms(T, norm):
    """Correctly rounded row norms: exact rational sums, rounded once (float() of a Fraction
    is correctly rounded), sqrt of that double (correctly rounded), then cast to the dtype."""
    res = []
    for row in T.astype(np.float64):
        if norm == "max":
            res.append(np.max(np.abs(row)))
            continue
        s = sum((Fraction(float(x)) ** 2 if norm == "l2" else abs(Fraction(float(x))) for x in row), Fraction(0))
        v = float(s)
        res.append(math.sqrt(v) if norm == "l2" else v)
    return np.array(res).astype(T.dtype)


def exact_moments(X):
    """Correctly rounded mean and population variance of each column (NaN ignored),
    by exact rational arithmetic: the values reprep's exact statistics must reproduce."""
    means, variances = [], []
    for col in X.astype(np.float64).T:
        vals = [Fraction(float(x)) for x in col if not math.isnan(x)]
        if not vals:
            means.append(math.nan)
            variances.append(math.nan)
            continue
        m = sum(vals, Fraction(0)) / len(vals)
        means.append(float(m))
        variances.append(float(sum(((v - m) ** 2 for v in vals), Fraction(0)) / len(vals)))
    return np.array(means), np.array(variances)


def sklearn_norms(T, norm):
    from sklearn.utils.extmath import row_norms
    if norm == "l2":
        return row_norms(T)
    if norm == "l1":
        return np.abs(T).sum(axis=1)
    return np.max(np.abs(T), axis=1)


def divide_by(T, norms):
    norms = norms.copy()
    norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0
    return T / norms[:, np.newaxis]


def main(root, only=None):
    """Writes root/scalers/; with `only` (a set of file stems), only those files."""
    root = pathlib.Path(root)
    out = root / "scalers"
    out.mkdir(parents=True, exist_ok=True)

    def wanted(stem):
        return only is None or stem in only

    rng = np.random.default_rng(20240611)
    warnings.simplefilter("ignore")  # all-NaN slices, empty features

    sets = {}
    pcols, P = penguins()
    sets["penguins"] = (pcols, P, probes(rng, P))
    scols, S = synthetic(rng, 300)
    sets["synth"] = (scols, S, probes(rng, S))
    sets["synth_f32"] = (scols, S.astype(np.float32), probes(rng, S).astype(np.float32))
    # > 600 rows: np.nanmedian takes its apply_along_axis path instead of the masked one.
    bcols, B = synthetic(rng, 800)
    sets["big"] = (bcols, B, probes(rng, B))
    coarse = np.round(S * 2.0) / 2.0  # repeated values for most_frequent
    sets["coarse"] = (scols, coarse, probes(rng, coarse))
    # Complete data for Normalizer and Binarizer (they refuse NaN).
    complete = P[~np.isnan(P).any(axis=1)]
    sets["penguins_complete"] = (pcols, complete, complete)
    # 16 columns N(0, 1) times a scale exp(N(0, 3)) each: scales over many orders of magnitude.
    # The scales take a correctly rounded exp, not np.exp (its AVX512F kernel rounds some
    # results differently from the libm); the normal draws come first, as they always did.
    G = rng.normal(0.0, 1.0, (250, 16))
    G = G * exp_array(rng.normal(0.0, 3.0, (1, 16)))
    sets["gauss16"] = ([f"g{j}" for j in range(16)], G, np.vstack([G, np.zeros((1, 16)), 1e-17 * G[:3]]))
    D = rng.integers(-64, 65, (300, 9)) / 8.0  # dyadic: every square and sum is exact in double
    sets["dyadic"] = ([f"d{j}" for j in range(9)], D, D)
    F = (rng.normal(0.0, 1.0, (300, 6)) * np.array([1, 10, 100, 0.1, 5, 1e3])).astype(np.float32)
    F[:10, 0] = np.float32(0.1)  # exactly at a float32 threshold
    sets["gauss_f32"] = ([f"f{j}" for j in range(6)], F, F)
    for name, (cols, X, T) in sets.items():
        if wanted(f"data_{name}") or wanted(f"test_{name}"):
            write_set(out, name, cols, X, T)

    def dt(name):
        return "float32" if sets[name][1].dtype == np.float32 else "float64"

    # ---- scalers -----------------------------------------------------------
    scaler_cases = []
    for data in ("penguins", "synth", "synth_f32"):
        scaler_cases += [
            (f"standard_{data}", StandardScaler, {}, data),
            (f"minmax_{data}", MinMaxScaler, {}, data),
            (f"maxabs_{data}", MaxAbsScaler, {}, data),
            (f"robust_{data}", RobustScaler, {}, data),
        ]
    scaler_cases += [
        ("standard_big", StandardScaler, {}, "big"),
        ("robust_big", RobustScaler, {}, "big"),
        ("standard_synth_nomean", StandardScaler, {"with_mean": False}, "synth"),
        ("standard_synth_nostd", StandardScaler, {"with_std": False}, "synth"),
        ("minmax_synth_clip", MinMaxScaler, {"feature_range": (-1.0, 2.0), "clip": True}, "synth"),
        ("minmax_synth_f32_clip", MinMaxScaler, {"feature_range": (-1.0, 2.0), "clip": True}, "synth_f32"),
        ("robust_synth_unit", RobustScaler, {"quantile_range": (10.0, 90.0), "unit_variance": True}, "synth"),
        ("robust_synth_f32_unit", RobustScaler, {"quantile_range": (10.0, 90.0), "unit_variance": True}, "synth_f32"),
        ("robust_penguins_nocenter", RobustScaler, {"with_centering": False, "quantile_range": (5.0, 95.0)}, "penguins"),
        ("robust_big_noscale", RobustScaler, {"with_scaling": False}, "big"),
        ("binarizer_gauss16", Binarizer, {"threshold": 0.0}, "gauss16"),
        ("binarizer_penguins", Binarizer, {"threshold": 3000.0}, "penguins_complete"),
        ("binarizer_f32", Binarizer, {"threshold": 0.1}, "gauss_f32"),
    ]
    state_attrs = {
        StandardScaler: ["mean_", "var_", "scale_"],
        MinMaxScaler: ["data_min_", "data_max_", "data_range_", "scale_", "min_"],
        MaxAbsScaler: ["max_abs_", "scale_"],
        RobustScaler: ["center_", "scale_"],
        Binarizer: [],
    }
    for name, cls, params, data in scaler_cases:
        if not wanted(name):
            continue
        _, X, T = sets[data]
        est = cls(**params).fit(X)
        with case(out, name, cls.__name__, dt(data), data, params) as f:
            for a in state_attrs[cls]:
                v = getattr(est, a)
                if v is not None:
                    write_vec(f, f"state {a}", v)
            if cls is StandardScaler:
                m, v = exact_moments(X)
                write_vec(f, "state exact_mean", m)
                write_vec(f, "state exact_var", v)
            write_rows(f, "out", est.transform(T))

    for data in ("gauss16", "penguins_complete", "dyadic", "gauss_f32"):
        for norm in ("l1", "l2", "max"):
            if not wanted(f"normalizer_{data}_{norm}"):
                continue
            _, X, T = sets[data]
            est = Normalizer(norm=norm).fit(X)
            with case(out, f"normalizer_{data}_{norm}", "Normalizer", dt(data), data, {"norm": norm}) as f:
                write_vec(f, "norm_sklearn", sklearn_norms(T, norm))
                ex = exact_norms(T, norm)
                write_vec(f, "norm_exact", ex)
                write_rows(f, "out", est.transform(T))
                write_rows(f, "out_exact", divide_by(T, ex))

    # ---- imputers ----------------------------------------------------------
    imp_cases = []
    for data in ("penguins", "synth", "synth_f32", "big", "coarse"):
        for strategy in ("mean", "median", "most_frequent", "constant"):
            if data == "big" and strategy in ("most_frequent", "constant"):
                continue
            params = {"strategy": strategy}
            if strategy == "constant":
                params["fill_value"] = -1.5
            imp_cases.append((f"simple_{data}_{strategy}", params, data))
    imp_cases += [
        ("simple_synth_median_indicator", {"strategy": "median", "add_indicator": True}, "synth"),
        ("simple_coarse_mf_keep", {"strategy": "most_frequent", "keep_empty_features": True}, "coarse"),
        ("simple_synth_mean_keep_indicator", {"strategy": "mean", "add_indicator": True, "keep_empty_features": True},
         "synth"),
        ("simple_synth_f32_constant_indicator", {"strategy": "constant", "fill_value": 0.1, "add_indicator": True},
         "synth_f32"),
    ]
    for name, params, data in imp_cases:
        if not wanted(name):
            continue
        _, X, T = sets[data]
        est = SimpleImputer(**params).fit(X)
        with case(out, name, "SimpleImputer", dt(data), data, params) as f:
            write_vec(f, "state statistics_", est.statistics_)
            if params["strategy"] == "mean":
                write_vec(f, "state exact_mean", exact_moments(X)[0])
            if est.add_indicator:
                f.write("ints indicator_features " + " ".join(str(int(i)) for i in est.indicator_.features_) + "\n")
            write_rows(f, "out", est.transform(T))

    for name, params, data in [
        ("indicator_synth_missing_only", {"features": "missing-only", "error_on_new": False}, "synth"),
        ("indicator_synth_all", {"features": "all"}, "synth"),
        ("indicator_penguins", {"features": "missing-only", "error_on_new": False}, "penguins"),
    ]:
        if not wanted(name):
            continue
        _, X, T = sets[data]
        est = MissingIndicator(**params).fit(X)
        with case(out, name, "MissingIndicator", dt(data), data, params) as f:
            f.write("ints features_ " + " ".join(str(int(i)) for i in est.features_) + "\n")
            write_rows(f, "out", est.transform(T).astype(np.float64))

    # EndTailImputer: feature-engine's formulas (pandas: mean, std with ddof=1, linear quantiles).
    for data in ("penguins", "synth"):
        _, X, T = sets[data]
        for method, tail, fold in [("gaussian", "right", 3.0), ("gaussian", "left", 2.0), ("iqr", "right", 1.5),
                                   ("iqr", "left", 3.0), ("max", "right", 3.0)]:
            params = {"imputation_method": method, "tail": tail, "fold": fold}
            if not wanted(f"endtail_{data}_{method}_{tail}"):
                continue
            with np.errstate(all="ignore"):
                if method == "gaussian":
                    mean, std = np.nanmean(X, axis=0), np.nanstd(X, axis=0, ddof=1)
                    v = mean + fold * std if tail == "right" else mean - fold * std
                elif method == "iqr":
                    q25, q75 = np.nanpercentile(X, 25, axis=0), np.nanpercentile(X, 75, axis=0)
                    iqr = q75 - q25
                    v = q75 + iqr * fold if tail == "right" else q25 - iqr * fold
                else:
                    v = np.nanmax(X, axis=0) * fold
            with case(out, f"endtail_{data}_{method}_{tail}", "EndTailImputer", dt(data), data, params) as f:
                write_vec(f, "state imputer_dict_", v)
                write_rows(f, "out", np.where(np.isnan(T), v, T))


if __name__ == "__main__":
    main(pathlib.Path(__file__).resolve().parent)
