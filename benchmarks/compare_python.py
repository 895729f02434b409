#!/usr/bin/python3
"""reprep through Python beside scikit-learn, in one script (issue 15's performance figures).

    /tmp/venv/bin/python benchmarks/compare_python.py [--repetitions 5] [--cpp build/bench]

Time it with the package as users get it: `pip install .` (setup.py builds the extension
at -O2) into a venv made with --system-site-packages. The build trees' extension is built
at -O0 for the tests and would time the compiler's choice, not reprep.

Figures, each the median wall and CPU time of the repetitions after one warm-up call:
  - StandardScaler transform of 2e6 x 16 float64, F and C order: reprep (array in, array
    out), scikit-learn, and with --cpp the C++ benchmark bench_scalers' own
    BM_StandardScaler_transform from that Release tree (targets: within 1.2x of C++ and
    at least 4x faster than scikit-learn);
  - OneHotEncoder transform, 2e5 rows x 4 string columns of 20 values each: dense output
    (128 MiB; reprep from object columns and from `category` columns, scikit-learn from
    the object array), then scikit-learn's default CSR output (sparse_output=True for
    reprep), both sides given the same DataFrame, object and `category` columns
    (target: at least 10x faster);
  - one row through the penguins pipeline: reprep's Pipeline.row_plan().run(record, out)
    against scikit-learn's Pipeline.transform of a one-row DataFrame (target: 3 us).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(label, fn, reps, inner=1):
    """Median (wall, CPU) seconds per call over `reps` repetitions of `inner` calls."""
    fn()
    wall, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(inner):
            fn()
        wall.append((time.perf_counter() - t0) / inner)
        cpu.append((time.process_time() - c0) / inner)
    w, c = statistics.median(wall), statistics.median(cpu)
    unit, scale = ("us", 1e6) if w < 1e-3 else ("ms", 1e3)
    print(f"  {label:<58s} {w * scale:10.2f} {unit} wall, {c * scale:10.2f} {unit} CPU  [{reps} x {inner}]")
    return w, c


def cpp_standard_scaler(build, reps):
    exe = os.path.join(build, "benchmarks", "bench_scalers")
    if not os.path.exists(exe):
        return None
    out = subprocess.run([exe, "--benchmark_filter=BM_StandardScaler_transform|BM_memcpy",
                          f"--benchmark_repetitions={reps}", "--benchmark_report_aggregates_only=true",
                          "--benchmark_format=json"], check=True, capture_output=True, text=True).stdout
    res = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9}[b["time_unit"]]
            res[b["run_name"]] = (b["real_time"] * scale, b["cpu_time"] * scale)
    return res


def standard_scaler(reps, cpp_build):
    import reprep
    from sklearn.preprocessing import StandardScaler

    rows, cols = 2_000_000, 16
    rng = np.random.default_rng(42)
    X = np.asfortranarray(3.0 * np.arange(cols) + (1.0 + np.arange(cols)) * (rng.random((rows, cols)) - 0.5))
    Xc = np.ascontiguousarray(X)
    print(f"StandardScaler transform: {rows} x {cols} float64 ({X.nbytes / 2**20:.0f} MiB)")
    out = {}
    ours = reprep.StandardScaler().fit(X)
    theirs = StandardScaler().fit(X)
    assert np.array_equal(ours.transform(X[:1000]), ours.transform(Xc[:1000]))
    # The floor of any transform that returns a new array: NumPy's own copy into a fresh
    # array of the output's size (fresh pages cost a page fault each on first touch).
    timed("baseline: X.copy() (NumPy, fresh output, F order)", lambda: X.copy(order="F"), reps)
    for order, A in (("F", X), ("C", Xc)):
        out[("reprep", order)] = timed(f"reprep.StandardScaler.transform ({order} order)", lambda A=A: ours.transform(A), reps)
        out[("sklearn", order)] = timed(f"sklearn StandardScaler.transform ({order} order)", lambda A=A: theirs.transform(A), reps)
    cpp = cpp_standard_scaler(cpp_build, reps) if cpp_build else None
    if cpp:
        for name, (w, c) in sorted(cpp.items()):
            print(f"  {'C++ ' + name:<58s} {w * 1e3:10.2f} ms wall, {c * 1e3:10.2f} ms CPU  [{reps} reps]")
    print("  ratios (CPU):")
    for order in ("F", "C"):
        r, s = out[("reprep", order)][1], out[("sklearn", order)][1]
        line = f"    {order} order: scikit-learn / reprep {s / r:5.2f}x (target >= 4)"
        if cpp and "BM_StandardScaler_transform/real_time" in cpp:
            line += f", reprep / C++ {r / cpp['BM_StandardScaler_transform/real_time'][1]:5.2f}x (target <= 1.2)"
        print(line)


def one_hot(reps):
    import reprep
    from sklearn.preprocessing import OneHotEncoder

    rows, cols, distinct = 200_000, 4, 20
    rng = np.random.default_rng(7)
    names = np.array([f"cat_{k}" for k in range(distinct)], dtype=object)
    df = pd.DataFrame({f"c{j}": names[rng.integers(0, distinct, rows)] for j in range(cols)})
    dfc = df.astype("category")
    A = df.to_numpy()
    print(f"OneHotEncoder transform, dense: {rows} x {cols} strings, {distinct} values each "
          f"({rows * cols * distinct * 8 / 2**20:.0f} MiB out)")
    ours = reprep.OneHotEncoder(handle_unknown="ignore").fit(df)
    theirs = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(A)
    assert np.array_equal(ours.transform(df), theirs.transform(A))
    timed("baseline: np.zeros of the output, every page touched", lambda: np.zeros((rows, cols * distinct)).fill(0.0),
          reps)
    r = timed("reprep.OneHotEncoder.transform (object columns)", lambda: ours.transform(df), reps)
    rc = timed("reprep.OneHotEncoder.transform (category columns)", lambda: ours.transform(dfc), reps)
    s = timed("sklearn OneHotEncoder.transform (object array)", lambda: theirs.transform(A), reps)
    print(f"  ratios (CPU): scikit-learn / reprep {s[1] / r[1]:5.2f}x object, {s[1] / rc[1]:5.2f}x category "
          "(target >= 10)")
    # scikit-learn's default output: CSR. Both sides get the same DataFrame (object, then
    # category columns; scikit-learn converts either to an object array).
    print("OneHotEncoder transform, sparse (CSR, scikit-learn's default output)")
    ours_sp = reprep.OneHotEncoder(handle_unknown="ignore", sparse_output=True).fit(df)
    theirs_sp = OneHotEncoder(handle_unknown="ignore").fit(df)
    assert (ours_sp.transform(dfc) != theirs_sp.transform(dfc)).nnz == 0
    r = timed("reprep.OneHotEncoder(sparse_output=True) (object columns)", lambda: ours_sp.transform(df), reps)
    rc = timed("reprep.OneHotEncoder(sparse_output=True) (category columns)", lambda: ours_sp.transform(dfc), reps)
    s = timed("sklearn OneHotEncoder() (object columns)", lambda: theirs_sp.transform(df), reps)
    sc = timed("sklearn OneHotEncoder() (category columns)", lambda: theirs_sp.transform(dfc), reps)
    print(f"  ratios (CPU): scikit-learn / reprep {s[1] / r[1]:5.2f}x object, {sc[1] / rc[1]:5.2f}x category "
          "(target >= 10)")


def single_row(reps):
    import reprep
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    df = pd.read_csv(os.path.join(HERE, "..", "tests", "data", "penguins.csv"))
    numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    cats = ["species", "island", "sex"]
    pipe = reprep.Pipeline([
        ("impute", reprep.SimpleImputer(columns=numeric, strategy="median")),
        ("sex", reprep.CategoricalImputer(columns=["sex"], imputation_method="frequent")),
        ("onehot", reprep.OneHotEncoder(columns=cats, handle_unknown="ignore")),
        ("scale", reprep.StandardScaler(columns=numeric)),
    ]).fit(df)
    plan = pipe.row_plan()
    records = [tuple(None if isinstance(v, float) and np.isnan(v) else v for v in r)
               for r in df[plan.input_names].itertuples(index=False)]
    out = np.empty(plan.n_outputs)
    print(f"one row, penguins pipeline ({len(plan.input_names)} inputs -> {plan.n_outputs} outputs)")
    i = [0]

    def ours():
        plan.run(records[i[0] % len(records)], out)
        i[0] += 1

    sk = Pipeline([("ct", ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), cats),
    ]))]).fit(df)
    one = df.iloc[[5]]
    r = timed("reprep row_plan().run(record, out)", ours, reps, inner=20_000)
    timed("reprep row_plan().run(record) (new array per call)", lambda: plan.run(records[5]), reps, inner=20_000)
    s = timed("sklearn Pipeline.transform(one-row DataFrame)", lambda: sk.transform(one), reps, inner=20)
    print(f"  reprep {r[0] * 1e6:.2f} us per row wall (target <= 3 us); scikit-learn / reprep {s[0] / r[0]:.0f}x")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--cpp", default=None, help="a Release build tree with benchmarks/bench_scalers")
    args = ap.parse_args(argv)
    import reprep

    print(f"reprep from {os.path.dirname(reprep.__file__)}; load average {os.getloadavg()}")
    standard_scaler(args.repetitions, args.cpp)
    one_hot(args.repetitions)
    single_row(args.repetitions)


if __name__ == "__main__":
    main(sys.argv[1:])
