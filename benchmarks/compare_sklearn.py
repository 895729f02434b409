#!/usr/bin/python3
"""Times scikit-learn (Debian's python3-sklearn 1.2) on the workloads of the C++ benchmarks,
so that the closing notes can put reprep's figures next to scikit-learn's on this machine.

    /usr/bin/python3 benchmarks/compare_sklearn.py              # every family
    /usr/bin/python3 benchmarks/compare_sklearn.py scalers      # only some
    /usr/bin/python3 benchmarks/compare_sklearn.py --repetitions 5 encoders pipeline

Families and the C++ benchmark each one mirrors:
    scalers    benchmarks/bench_scalers.cpp
    encoders   benchmarks/bench_encoders.cpp
    pipeline   benchmarks/bench_pipeline.cpp (needs python3-pandas for its DataFrames)

Each family is one function `family_<name>(reps)` that builds its data (same shapes and
distributions as benchmarks/bench_<name>.cpp; the encoders and pipeline families build the
very same values) and calls `timed(label, fn, reps)` per workload; `timed` prints the
median wall time and the median CPU time over the repetitions (one warm-up call first).
The machine is shared, so wall clock can be several times CPU time: quote both. Add a
family by writing another `family_<name>` function; it is picked up by name.
"""
import argparse
import statistics
import sys
import time

import numpy as np

# Every figure timed in this process, by label (prefixed by the current workload, if
# any): median (wall, CPU) seconds. compare_table.py reads it to join both sides.
RESULTS = {}
PREFIX = ""


def timed(label, fn, reps, rows=None):
    """Median (wall, CPU) seconds of `reps` calls of fn, printed; rows/s too if rows is given."""
    fn()  # warm-up: page faults, lazy imports, caches
    wall, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    w, c = statistics.median(wall), statistics.median(cpu)
    unit, scale = ("us", 1e6) if w < 1e-3 else ("ms", 1e3)
    line = (f"  {label:<52s} median {w * scale:10.1f} {unit} wall (min {min(wall) * scale:.1f}), "
            f"{c * scale:.1f} {unit} CPU")
    if rows:
        line += f"   {rows / w / 1e6:.3f} M rows/s wall, {rows / c / 1e6:.3f} M rows/s CPU"
    print(line + f"  [{reps} reps]")
    RESULTS[PREFIX + label] = (w, c)
    return w, c


def splitmix64(x):
    """SplitMix64's output function on uint64 arrays, as the C++ benchmarks use it."""
    x = np.asarray(x, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


# ---------------------------------------------------------------------------
# scalers and numeric imputers: benchmarks/bench_scalers.cpp
# ---------------------------------------------------------------------------
def family_scalers(reps):
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, Normalizer, RobustScaler, StandardScaler

    rows, cols = 2_000_000, 16
    rng = np.random.default_rng(42)
    # Column-major like reprep's Eigen matrices (scikit-learn accepts either order; its
    # column reductions are faster on C order, so both are timed where it matters).
    X = np.asfortranarray(3.0 * np.arange(cols) + (1.0 + np.arange(cols)) * (rng.random((rows, cols)) - 0.5))
    Xc = np.ascontiguousarray(X)
    Xn = X.copy()
    Xn[rng.random(X.shape) < 0.1] = np.nan
    out = np.empty_like(X)

    print(f"scalers: {rows} x {cols} float64 ({X.nbytes / 2**20:.0f} MiB)")
    timed("numpy copyto (memcpy baseline)", lambda: np.copyto(out, X), reps)
    for name, est in [("StandardScaler", StandardScaler()), ("MinMaxScaler", MinMaxScaler()),
                      ("MaxAbsScaler", MaxAbsScaler())]:
        est.fit(X)
        timed(f"{name}.transform (F order)", lambda est=est: est.transform(X), reps)
    rs = RobustScaler().fit(X[:200_000])
    timed("RobustScaler.transform (F order)", lambda: rs.transform(X), reps)
    si = SimpleImputer().fit(Xn)
    timed("SimpleImputer(mean).transform, 10% NaN", lambda: si.transform(Xn), reps)
    nz = Normalizer().fit(Xc)
    timed("Normalizer(l2).transform (C order)", lambda: nz.transform(Xc), reps)

    timed("numpy mean(axis=0) + (X*X).sum(axis=0) (fit baseline)",
          lambda: (X.mean(axis=0), np.einsum("ij,ij->j", X, X)), reps)
    timed("StandardScaler.fit (F order)", lambda: StandardScaler().fit(X), reps)
    timed("StandardScaler.fit (C order)", lambda: StandardScaler().fit(Xc), reps)
    timed("MinMaxScaler.fit (F order)", lambda: MinMaxScaler().fit(X), reps)
    X200 = np.asfortranarray(X[:200_000])
    Xn200 = np.asfortranarray(Xn[:200_000])
    timed("RobustScaler.fit, 200k rows", lambda: RobustScaler().fit(X200), reps)
    timed("SimpleImputer(median).fit, 200k rows, 10% NaN", lambda: SimpleImputer(strategy="median").fit(Xn200), reps)


# ---------------------------------------------------------------------------
# rank-based fits: benchmarks/bench_transforms.cpp (BM_*_fit/0)
# ---------------------------------------------------------------------------
def family_transforms(reps):
    from sklearn.preprocessing import KBinsDiscretizer, QuantileTransformer

    rows, cols = 200_000, 8
    # bench_transforms' data, bit for bit: column j is u * v * 10 (j + 1) - j, u and v the
    # next two SplitMix64 draws (state 7, column by column) as 53-bit uniforms.
    draws = splitmix64(np.uint64(7) + np.arange(2 * rows * cols, dtype=np.uint64)
                       * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(11)
    uv = (draws.astype(np.float64) * 2.0 ** -53).reshape(cols, rows, 2)
    X = np.asfortranarray((uv[:, :, 0] * uv[:, :, 1] * 10.0 * (np.arange(cols)[:, None] + 1.0)
                           - np.arange(cols)[:, None]).T)
    print(f"transforms (fits): {rows} x {cols} float64")
    # Every row, as reprep fits them (subsample=None, or larger than the rows).
    timed("KBinsDiscretizer(10, quantile, ordinal).fit", lambda: KBinsDiscretizer(
        n_bins=10, encode="ordinal", strategy="quantile", subsample=None).fit(X), reps)
    timed("QuantileTransformer(1000).fit", lambda: QuantileTransformer(n_quantiles=1000, subsample=10**9).fit(X), reps)


# ---------------------------------------------------------------------------
# encoders: benchmarks/bench_encoders.cpp
# ---------------------------------------------------------------------------
def family_encoders(reps):
    """OneHotEncoder (default sparse CSR output) and OrdinalEncoder transform of 10^6 rows
    x 4 string columns of 1,000 distinct values each: the very strings the C++ benchmark
    builds (row i, column j: "cat_" + str(splitmix64(4 i + j) % 1000))."""
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    rows, cols, distinct = 1_000_000, 4, 1000
    names = np.array(["cat_%d" % k for k in range(distinct)], dtype=object)
    i = np.arange(rows, dtype=np.uint64)
    X = np.empty((rows, cols), dtype=object)
    for j in range(cols):
        X[:, j] = names[(splitmix64(np.uint64(4) * i + np.uint64(j)) % np.uint64(distinct)).astype(np.int64)]

    print(f"encoders: {rows} x {cols} strings, {distinct} distinct per column")
    ohe = OneHotEncoder(handle_unknown="ignore").fit(X)
    timed("OneHotEncoder.transform (sparse)", lambda: ohe.transform(X), reps, rows)
    ord_ = OrdinalEncoder().fit(X)
    timed("OrdinalEncoder.transform", lambda: ord_.transform(X), reps, rows)


# ---------------------------------------------------------------------------
# pipeline: benchmarks/bench_pipeline.cpp
# ---------------------------------------------------------------------------
PENGUIN_NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
PENGUIN_CATEGORICAL = ["species", "island", "sex"]
BATCH_ROWS = 131072  # as bench_pipeline.cpp


def _uniform(key):
    return (splitmix64(key) >> np.uint64(11)).astype(np.float64) * 2.0**-53


def _synthetic(rows, seed):
    """bench_pipeline.cpp's synthetic(): 8 skewed positive columns, 5% NaN, same values."""
    import pandas as pd

    cols = {}
    i = np.arange(rows, dtype=np.uint64)
    for j in range(8):
        with np.errstate(over="ignore"):
            key = (np.uint64(seed) << np.uint64(40)) ^ ((i * np.uint64(8) + np.uint64(j)) * np.uint64(3))
            v = 0.5 + _uniform(key) * _uniform(key + np.uint64(1)) * 10.0 * (j + 1)
            v[_uniform(key + np.uint64(2)) < 0.05] = np.nan
        cols[f"x{j}"] = v
    return pd.DataFrame(cols)


def _clip_stand_in(X, lo, hi):
    from sklearn.preprocessing import FunctionTransformer

    # feature-engine's Winsorizer(gaussian, fold 3, both tails) caps at mean -/+ 3 std of
    # the training data; scikit-learn has no capper, so the fitted caps go into np.clip.
    return FunctionTransformer(np.clip, kw_args={"a_min": lo, "a_max": hi})


def _penguins_pipeline(train):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    imputed = SimpleImputer(strategy="median").fit_transform(train[PENGUIN_NUMERIC])
    lo, hi = imputed.mean(axis=0) - 3 * imputed.std(axis=0), imputed.mean(axis=0) + 3 * imputed.std(axis=0)
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("cap", _clip_stand_in(None, lo, hi)),
                        ("log", FunctionTransformer(np.log)), ("scale", StandardScaler())])
    categorical = Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False))])
    return ColumnTransformer([("num", numeric, PENGUIN_NUMERIC), ("cat", categorical, PENGUIN_CATEGORICAL)]).fit(train)


def _three_pipeline(train):
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    return Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler()),
                     ("minmax", MinMaxScaler())]).fit(train)


def _cyclical(X):
    """feature-engine's CyclicalFeatures(x0, x1; max 1): the inputs, then sin and cos of each.
    At module level so that the fitted pipeline pickles."""
    X = np.asarray(X)
    k = 2.0 * np.pi * X[:, :2]
    return np.hstack([X, np.sin(k), np.cos(k)])


def _numeric10_pipeline(train):
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import (FunctionTransformer, MaxAbsScaler, MinMaxScaler, PowerTransformer,
                                       QuantileTransformer, RobustScaler, StandardScaler)

    imputed = SimpleImputer(strategy="median").fit_transform(train)
    lo, hi = imputed.mean(axis=0) - 3 * imputed.std(axis=0), imputed.mean(axis=0) + 3 * imputed.std(axis=0)
    return Pipeline([("impute", SimpleImputer(strategy="median")), ("cap", _clip_stand_in(None, lo, hi)),
                     ("log", FunctionTransformer(np.log)), ("power", PowerTransformer()),
                     ("standard", StandardScaler()), ("robust", RobustScaler()), ("maxabs", MaxAbsScaler()),
                     ("quantile", QuantileTransformer(n_quantiles=100)), ("minmax", MinMaxScaler()),
                     ("cyclical", FunctionTransformer(_cyclical))]).fit(train)


def _single_row(label, pipe, frames, reps):
    """Median latency of pipe.transform on one-row DataFrames, each timed on its own.
    Each repetition times every frame once; the figure is the median over the
    repetitions of each repetition's median (wall and CPU)."""
    for f in frames[:20]:
        pipe.transform(f)  # warm-up
    rep_wall, rep_cpu = [], []
    for _ in range(reps):
        wall, cpu = [], []
        for f in frames:
            t0, c0 = time.perf_counter(), time.process_time()
            pipe.transform(f)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        rep_wall.append(statistics.median(wall))
        rep_cpu.append(statistics.median(cpu))
    w, c = statistics.median(rep_wall), statistics.median(rep_cpu)
    print(f"  {label:<52s} median {w * 1e6:8.1f} us wall (reps {min(rep_wall) * 1e6:.1f}..{max(rep_wall) * 1e6:.1f}), "
          f"{c * 1e6:.1f} us CPU (reps {min(rep_cpu) * 1e6:.1f}..{max(rep_cpu) * 1e6:.1f})  "
          f"[{len(frames)} rows x {reps} reps]")
    RESULTS[PREFIX + label] = (w, c)
    return w, c


def family_pipeline(reps):
    """bench_pipeline.cpp's three pipelines (penguins 6 steps, 3 steps, numeric 10 steps),
    built the scikit-learn way: single-row latency on one-row DataFrames, batch rows/s on
    131,072 rows, and the unpickling time of the fitted pipeline (reprep: artifact load).
    Stand-ins where scikit-learn has no component: Winsorizer -> FunctionTransformer(np.clip)
    with the same mean -/+ 3 std caps; LogTransformer -> FunctionTransformer(np.log);
    CyclicalFeatures -> FunctionTransformer(hstack of X, sin, cos); CategoricalImputer
    (frequent) -> SimpleImputer(most_frequent) over the three categorical columns."""
    import os
    import pickle

    import pandas as pd

    here = os.path.dirname(os.path.abspath(__file__))
    penguins = pd.read_csv(os.path.join(here, "..", "tests", "data", "penguins.csv"))  # "NA" -> NaN
    for c in PENGUIN_CATEGORICAL:
        penguins[c] = penguins[c].astype(object)
    # Row i of the batch is penguins row splitmix64(i) mod 344, as in the C++ benchmark.
    idx = (splitmix64(np.arange(BATCH_ROWS, dtype=np.uint64)) % np.uint64(len(penguins))).astype(np.int64)
    penguins_batch = penguins.iloc[idx].reset_index(drop=True)
    numeric_train, numeric_batch = _synthetic(4096, 1), _synthetic(BATCH_ROWS, 2)

    workloads = [
        ("penguins (ColumnTransformer, 6 steps)", _penguins_pipeline(penguins), penguins, penguins_batch),
        ("three (Pipeline, 3 steps)", _three_pipeline(penguins[PENGUIN_NUMERIC]), penguins[PENGUIN_NUMERIC],
         penguins_batch[PENGUIN_NUMERIC]),
        ("numeric10 (Pipeline, 10 steps)", _numeric10_pipeline(numeric_train), numeric_train, numeric_batch),
    ]
    print(f"pipeline: single rows are the {len(penguins)} penguins rows (numeric10: its first {len(penguins)} "
          f"training rows), one-row DataFrames; batch {BATCH_ROWS} rows")
    global PREFIX
    for name, pipe, train, batch in workloads:
        PREFIX = name.split()[0] + ": "
        print(f" {name}: {pipe.transform(train.iloc[[0]]).shape[1]} outputs")
        frames = [train.iloc[[i]] for i in range(len(penguins))]
        _single_row("single-row transform", pipe, frames, reps)
        if name.startswith("three"):
            # Without pandas (a plain 1 x 4 float array) to show what the DataFrame costs.
            arrays = [np.asarray(f, dtype=np.float64) for f in frames]
            plain = _three_pipeline(np.asarray(train, dtype=np.float64))
            _single_row("single-row transform, ndarray input", plain, arrays, reps)
        timed("batch transform", lambda pipe=pipe, batch=batch: pipe.transform(batch), reps, len(batch))
        blob = pickle.dumps(pipe)
        w, c = timed(f"pickle.loads ({len(blob)} bytes)", lambda blob=blob: pickle.loads(blob), max(reps, 20))
    PREFIX = ""


def main(argv):
    families = {name[len("family_"):]: fn for name, fn in globals().items() if name.startswith("family_")}
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("families", nargs="*", help="any of: " + ", ".join(sorted(families)) + " (default: all)")
    ap.add_argument("--repetitions", type=int, default=5)
    args = ap.parse_args(argv)
    unknown = [f for f in args.families if f not in families]
    if unknown:
        ap.error(f"unknown families {unknown}; known: {sorted(families)}")
    import sklearn
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    for name in args.families or sorted(families):
        families[name](args.repetitions)


if __name__ == "__main__":
    main(sys.argv[1:])
