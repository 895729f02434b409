#!/usr/bin/python3
"""Times scikit-learn (Debian's python3-sklearn 1.2) on the workloads of the C++ benchmarks,
so that the closing notes can put reprep's figures next to scikit-learn's on this machine.

    /usr/bin/python3 benchmarks/compare_sklearn.py              # every family
    /usr/bin/python3 benchmarks/compare_sklearn.py scalers      # only some
    /usr/bin/python3 benchmarks/compare_sklearn.py --repetitions 5 scalers

Each family is one function `family_<name>(reps)` that builds its data (same shapes and
distributions as benchmarks/bench_<name>.cpp, not the same bits: timings do not depend on
the values) and calls `timed(label, fn, reps)` per workload; `timed` prints the median
wall time over the repetitions (one warm-up call first). Add a family by writing another
`family_<name>` function; it is picked up by name.
"""
import argparse
import statistics
import sys
import time

import numpy as np


def timed(label, fn, reps):
    fn()  # warm-up: page faults, lazy imports, caches
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"  {label:<52s} median {med * 1e3:10.1f} ms   (min {min(times) * 1e3:.1f}, {reps} reps)")
    return med


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
