#!/usr/bin/python3
"""Golden files for the transforms family: PowerTransformer, QuantileTransformer and
KBinsDiscretizer fitted by scikit-learn 1.2 (Debian's python3-sklearn), read by
tests/parity/test_parity_transforms.cpp.

Run through the driver:  /usr/bin/python3 tests/golden/make_golden.py transforms

Every double is written as the 16 hex digits of its IEEE-754 bit pattern, so it
round-trips exactly. Files (tests/golden/transforms/):
  data_<set>.txt    'names' line, then one 'row' line per training sample
  test_<set>.txt    rows to transform: the training rows plus out-of-range probes
  <case>.txt        the fitted state ('lambdas', 'mean', 'scale', 'references',
                    'quantiles <j>', 'edges <j>') and 'out' lines: sklearn's transform
                    of test_<set> (QuantileTransformer also 'inv' lines: inverse_transform
                    of its own output).
The data are generated here with a fixed numpy seed, from correctly rounded operations
only (crmath.py), so they are the same bits on every CPU; repro_env pins numpy's SIMD
dispatch, glibc's libm variant and the thread count for scikit-learn's computations. All
sets have < 1e5 rows so QuantileTransformer's default subsample (1e5) never subsamples.
"""
import csv
import pathlib
import warnings

import repro_env  # before numpy: pins SIMD dispatch, libm and threads
from golden_io import h
from crmath import cube, exp_array

import numpy as np
import scipy
import sklearn
from sklearn.preprocessing import KBinsDiscretizer, PowerTransformer, QuantileTransformer


def write_matrix(f, key, M):
    for row in np.atleast_2d(M):
        f.write(key + " " + " ".join(h(v) for v in row) + "\n")


def write_vec(f, key, v):
    f.write(key + " " + " ".join(h(x) for x in np.ravel(v)) + "\n")


def header(f, what):
    f.write(f"# {what}\n# sklearn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
            f"{repro_env.POLICY}\n")


DATA = pathlib.Path(__file__).resolve().parent.parent / "data"  # tests/data


def penguins():
    cols = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    rows = []
    with open(DATA / "penguins.csv") as fh:
        for r in csv.DictReader(fh):
            rows.append([float(r[c]) if r[c] not in ("NA", "") else np.nan for c in cols])
    return cols, np.array(rows)


def synthetic(rng, n):
    """No numpy transcendental ufunc and no rng.lognormal (glibc's exp): the lognormal
    column is a correctly rounded exp of the same normal draws, the heavy-tailed one a
    normal cubed as (x * x) * x, two correctly rounded products (was x ** 3, np.power,
    whose AVX512_SKX kernel rounds differently)."""
    cols = ["normal", "lognormal", "student_t2", "offset_1e9", "constant", "with_nan", "ties", "mixed"]
    X = np.empty((n, len(cols)))
    X[:, 0] = rng.normal(3.0, 2.0, n)
    X[:, 1] = exp_array(rng.normal(0.0, 1.0, n))
    X[:, 2] = rng.standard_t(2, n)
    X[:, 3] = 1e9 + rng.normal(0.0, 1e-3, n) * 1e3
    X[:, 4] = 7.25
    X[:, 5] = rng.exponential(2.0, n)
    X[rng.random(n) < 0.1, 5] = np.nan
    X[:, 6] = rng.integers(0, 6, n).astype(float)
    X[:, 7] = cube(rng.normal(0.0, 1.0, n))
    return cols, X


def positive(rng, n):
    cols = ["lognormal", "exp_shift", "uniform", "offset_1e6"]
    X = np.empty((n, len(cols)))
    X[:, 0] = exp_array(rng.normal(1.0, 0.8, n))  # lognormal(1, 0.8), correctly rounded exp
    X[:, 1] = rng.exponential(1.0, n) + 0.1
    X[:, 2] = rng.uniform(0.5, 4.0, n)
    X[:, 3] = 1e6 + rng.uniform(0.0, 50.0, n)
    X[rng.random(n) < 0.05, 1] = np.nan
    return cols, X


def probes(X):
    """Training rows plus values below, above and at the observed range."""
    lo = np.nanmin(X, axis=0)
    hi = np.nanmax(X, axis=0)
    extra = np.vstack([lo - 1.0, hi + 1.0, lo, hi, np.nanmedian(X, axis=0), np.full(X.shape[1], np.nan)])
    return np.vstack([X, extra])


def main(out_dir, only=None):
    """Writes out_dir/transforms/; with `only` (a set of file stems), only those files."""
    out_dir = pathlib.Path(out_dir)
    d = out_dir / "transforms"
    d.mkdir(parents=True, exist_ok=True)

    def wanted(stem):
        return only is None or stem in only

    rng = np.random.default_rng(20240611)
    sets = {}
    sets["penguins"] = penguins()
    sets["synthetic"] = synthetic(rng, 1500)
    sets["positive"] = positive(rng, 1000)
    # KBinsDiscretizer refuses NaN: complete cases only, and a float32-rounded copy.
    cols, P = sets["penguins"]
    sets["penguins_complete"] = (cols, P[~np.isnan(P).any(axis=1)])
    cols, S = sets["synthetic"]
    keep = [c for c in range(S.shape[1]) if cols[c] != "with_nan"]
    sets["synthetic_complete"] = ([cols[c] for c in keep], S[:, keep])
    sets["float32"] = (["a", "b", "c"], rng.normal([1.0, 100.0, -5.0], [1.0, 30.0, 0.01], (800, 3)).astype(np.float32).astype(float))

    tests = {}
    for name, (cols, X) in sets.items():
        T = probes(X)
        if name in ("penguins_complete", "synthetic_complete", "float32"):
            T = T[~np.isnan(T).any(axis=1)]
        if name == "positive":
            T = T[~(T <= 0).any(axis=1)]
        tests[name] = T
        if wanted(f"data_{name}"):
            with open(d / f"data_{name}.txt", "w") as f:
                header(f, f"training data '{name}'")
                f.write("names " + " ".join(cols) + "\n")
                write_matrix(f, "row", X)
        if wanted(f"test_{name}"):
            with open(d / f"test_{name}.txt", "w") as f:
                header(f, f"rows to transform for '{name}'")
                write_matrix(f, "row", T)

    warnings.simplefilter("ignore")
    # PowerTransformer
    for name, method in [("penguins", "yeo-johnson"), ("synthetic", "yeo-johnson"), ("positive", "yeo-johnson"),
                         ("positive", "box-cox"), ("penguins", "box-cox")]:
        for standardize in (True, False) if name == "positive" else (True,):
            case = f"power_{name}_{method}_{'std' if standardize else 'raw'}"
            if not wanted(case):
                continue
            X = sets[name][1]
            pt = PowerTransformer(method=method, standardize=standardize).fit(X)
            with open(d / f"{case}.txt", "w") as f:
                header(f, f"PowerTransformer(method={method!r}, standardize={standardize}) on '{name}'")
                write_vec(f, "lambdas", pt.lambdas_)
                if standardize:
                    write_vec(f, "mean", pt._scaler.mean_)
                    write_vec(f, "scale", pt._scaler.scale_)
                write_matrix(f, "out", pt.transform(tests[name]))

    # QuantileTransformer (every set has < 1e5 rows: no subsampling)
    for name in ("penguins", "synthetic", "positive", "float32"):
        X = sets[name][1]
        assert X.shape[0] < 100000
        for nq in (1000, 7):
            for dist in ("uniform", "normal"):
                case = f"quantile_{name}_{nq}_{dist}"
                if not wanted(case):
                    continue
                qt = QuantileTransformer(n_quantiles=nq, output_distribution=dist).fit(X)
                with open(d / f"{case}.txt", "w") as f:
                    header(f, f"QuantileTransformer(n_quantiles={nq}, output_distribution={dist!r}) on '{name}'")
                    write_vec(f, "references", qt.references_)
                    for j in range(X.shape[1]):
                        write_vec(f, f"quantiles {j}", qt.quantiles_[:, j])
                    Y = qt.transform(tests[name])
                    write_matrix(f, "out", Y)
                    if nq == 1000:
                        write_matrix(f, "inv", qt.inverse_transform(Y))

    # KBinsDiscretizer (subsample=None: quantiles on all the data)
    for name in ("penguins_complete", "synthetic_complete", "float32"):
        X = sets[name][1]
        for strategy in ("uniform", "quantile", "kmeans"):
            for n_bins in (3, 10):
                case = f"kbins_{name}_{strategy}_{n_bins}"
                if not wanted(case):
                    continue
                kb = KBinsDiscretizer(n_bins=n_bins, encode="ordinal", strategy=strategy, subsample=None).fit(X)
                with open(d / f"{case}.txt", "w") as f:
                    header(f, f"KBinsDiscretizer(n_bins={n_bins}, strategy={strategy!r}, encode='ordinal', subsample=None) on '{name}'")
                    for j in range(X.shape[1]):
                        write_vec(f, f"edges {j}", kb.bin_edges_[j])
                    write_matrix(f, "out", kb.transform(tests[name]))


if __name__ == "__main__":
    main(pathlib.Path(__file__).resolve().parent)
