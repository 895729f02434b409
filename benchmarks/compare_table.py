#!/usr/bin/python3
"""One side-by-side table: reprep's C++ benchmarks and scikit-learn on the same workloads,
run in one go on this machine, with the ratio and the target of issue 17 for each figure.

    /usr/bin/python3 benchmarks/compare_table.py [--build build/bench] [--repetitions 5]

It runs the Google Benchmark binaries bench_scalers, bench_transforms, bench_encoders and
bench_pipeline from the build tree (JSON output, medians of the repetitions) and the matching
families of compare_sklearn.py in this process, then prints a Markdown table:

    figure | reprep CPU | scikit-learn CPU | sklearn / reprep | target | met

CPU time on both sides (the machine is shared: wall clock is noisier), medians. A ratio
above 1 means reprep is faster. The machine's load average is printed with the table,
because the figures are only as good as the machine was idle. Build the binaries first:
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release && cmake --build build/bench --target
bench_scalers bench_transforms bench_encoders bench_pipeline. (The dev tree builds them at -O0 only to
check that they compile: this script refuses such a tree.)
"""
import argparse
import contextlib
import io
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare_sklearn  # noqa: E402  (the scikit-learn side, same workloads)

# figure, C++ binary, C++ benchmark name, scikit-learn label (compare_sklearn.RESULTS),
# target: ("ratio", x) = at least x times faster than scikit-learn, ("us", x) = under x
# microseconds per row, None = no target in the issue. A sixth field "wall" reads the
# benchmark's real time instead of its CPU time: a run on 2 threads (n_jobs = 2), whose
# CPU-time column counts the calling thread only. scikit-learn's side is one thread.
ROWS = [
    ("StandardScaler transform, 2e6 x 16", "bench_scalers", "BM_StandardScaler_transform/real_time",
     "StandardScaler.transform (F order)", ("ratio", 5.0)),
    ("MinMaxScaler transform", "bench_scalers", "BM_MinMaxScaler_transform/real_time",
     "MinMaxScaler.transform (F order)", ("ratio", 5.0)),
    ("MaxAbsScaler transform", "bench_scalers", "BM_MaxAbsScaler_transform/real_time",
     "MaxAbsScaler.transform (F order)", ("ratio", 5.0)),
    ("RobustScaler transform", "bench_scalers", "BM_RobustScaler_transform/real_time",
     "RobustScaler.transform (F order)", ("ratio", 5.0)),
    ("SimpleImputer(mean) transform, 10% NaN", "bench_scalers", "BM_SimpleImputer_transform/real_time",
     "SimpleImputer(mean).transform, 10% NaN", ("ratio", 5.0)),
    ("Normalizer l2 transform", "bench_scalers", "BM_Normalizer_l2_transform/real_time",
     "Normalizer(l2).transform (C order)", ("ratio", 5.0)),
    ("StandardScaler fit, 2e6 x 16", "bench_scalers", "BM_StandardScaler_fit/real_time",
     "StandardScaler.fit (F order)", ("ratio", 5.0)),
    ("MinMaxScaler fit", "bench_scalers", "BM_MinMaxScaler_fit/real_time",
     "MinMaxScaler.fit (F order)", ("ratio", 5.0)),
    ("RobustScaler fit, 200k x 16", "bench_scalers", "BM_RobustScaler_fit_200k/real_time",
     "RobustScaler.fit, 200k rows", ("ratio", 5.0)),
    ("SimpleImputer(median) fit, 200k x 16", "bench_scalers", "BM_SimpleImputer_median_fit_200k/real_time",
     "SimpleImputer(median).fit, 200k rows, 10% NaN", ("ratio", 5.0)),
    ("KBinsDiscretizer(10 quantile bins) fit, 200k x 8", "bench_transforms", "BM_kbins_quantile_fit/0",
     "KBinsDiscretizer(10, quantile, ordinal).fit", ("ratio", 5.0)),
    ("QuantileTransformer(1000) fit, 200k x 8", "bench_transforms", "BM_quantile_fit/0",
     "QuantileTransformer(1000).fit", ("ratio", 5.0)),
    ("OneHotEncoder transform (sparse), 1e6 x 4", "bench_encoders", "BM_OneHot_TransformSparse/real_time",
     "OneHotEncoder.transform (sparse)", ("ratio", 5.0)),
    ("OrdinalEncoder transform, 1e6 x 4", "bench_encoders", "BM_Ordinal_TransformMatrix/real_time",
     "OrdinalEncoder.transform", ("ratio", 5.0)),
    ("batch `penguins`, 131,072 rows, `transform`", "bench_pipeline", "BM_Batch_Transform/penguins/1/real_time",
     "penguins: batch transform", ("ratio", 5.0)),
    ("batch `three`, `transform`", "bench_pipeline", "BM_Batch_Transform/three/1/real_time",
     "three: batch transform", ("ratio", 5.0)),
    ("batch `numeric10`, `transform`", "bench_pipeline", "BM_Batch_Transform/numeric10/1/real_time",
     "numeric10: batch transform", ("ratio", 5.0)),
    # The steady-state loop: transform_into with a reused workspace, fused 2048-row slices.
    ("batch `penguins`, `transform_into`", "bench_pipeline", "BM_Batch_TransformInto/penguins/1/2048/real_time",
     "penguins: batch transform", ("ratio", 5.0)),
    ("batch `three`, `transform_into`", "bench_pipeline", "BM_Batch_TransformInto/three/1/2048/real_time",
     "three: batch transform", ("ratio", 5.0)),
    ("batch `numeric10`, `transform_into`", "bench_pipeline", "BM_Batch_TransformInto/numeric10/1/2048/real_time",
     "numeric10: batch transform", ("ratio", 5.0)),
    ("StandardScaler fit, 2 threads (wall)", "bench_scalers", "BM_StandardScaler_fit_jobs/2/real_time",
     "StandardScaler.fit (F order)", ("ratio", 5.0), "wall"),
    ("RobustScaler fit, 200k x 16, 2 threads (wall)", "bench_scalers", "BM_RobustScaler_fit_200k_jobs/2/real_time",
     "RobustScaler.fit, 200k rows", ("ratio", 5.0), "wall"),
    ("SimpleImputer(median) fit, 200k x 16, 2 threads (wall)", "bench_scalers",
     "BM_SimpleImputer_median_fit_200k_jobs/2/real_time", "SimpleImputer(median).fit, 200k rows, 10% NaN", ("ratio", 5.0),
     "wall"),
    ("batch `penguins`, `transform_into`, 2 threads (wall)", "bench_pipeline",
     "BM_Batch_TransformInto/penguins/2/2048/real_time", "penguins: batch transform", ("ratio", 5.0), "wall"),
    ("batch `numeric10`, `transform_into`, 2 threads (wall)", "bench_pipeline",
     "BM_Batch_TransformInto/numeric10/2/2048/real_time", "numeric10: batch transform", ("ratio", 5.0), "wall"),
    ("single row `penguins` (per row)", "bench_pipeline", "BM_Row_Plan/penguins",
     "penguins: single-row transform", ("us", 0.4)),
    ("single row `numeric10` (per row)", "bench_pipeline", "BM_Row_Plan/numeric10",
     "numeric10: single-row transform", ("us", 1.0)),
]

UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def cpp_medians(binary, reps):
    """Median (CPU, real) seconds per iteration of every benchmark of one binary (per item for
    the pipeline's row benchmarks, which time one record per iteration)."""
    out = subprocess.run([binary, f"--benchmark_repetitions={reps}", "--benchmark_report_aggregates_only=true",
                          "--benchmark_format=json"], check=True, capture_output=True, text=True).stdout
    medians = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            medians[b["run_name"]] = (b["cpu_time"] * UNIT[b["time_unit"]], b["real_time"] * UNIT[b["time_unit"]])
    return medians


def fmt(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} µs"
    return f"{seconds * 1e3:.1f} ms"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build", "bench"))
    ap.add_argument("--repetitions", type=int, default=5)
    args = ap.parse_args(argv)
    cache = os.path.join(args.build, "CMakeCache.txt")
    if os.path.exists(cache):
        with open(cache) as f:
            for line in f:
                if line.startswith("REPREP_CHECK_BUILD_FLAGS:") and "-O0" in line:
                    sys.exit(f"compare_table: {args.build} builds the benchmarks at -O0 (REPREP_CHECK_BUILD_FLAGS), "
                             "to check that they compile; time a Release tree: cmake -S . -B build/bench "
                             "-DCMAKE_BUILD_TYPE=Release")

    cpp = {}
    for binary in sorted({r[1] for r in ROWS}):
        path = os.path.join(args.build, "benchmarks", binary)
        if not os.path.exists(path):
            sys.exit(f"compare_table: {path} is missing; build it first (cmake --build {args.build} --target {binary})")
        print(f"running {binary} ...", file=sys.stderr)
        cpp[binary] = cpp_medians(path, args.repetitions)
    print("running scikit-learn ...", file=sys.stderr)
    with contextlib.redirect_stdout(io.StringIO()):  # its own per-figure lines are not needed here
        for family in ("scalers", "transforms", "encoders", "pipeline"):
            getattr(compare_sklearn, "family_" + family)(args.repetitions)
    sk = compare_sklearn.RESULTS

    import sklearn
    load = os.getloadavg()
    commit = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"commit {commit}; scikit-learn {sklearn.__version__}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"CPU-time medians of {args.repetitions} repetitions (real time for the rows marked wall)\n")
    print("| figure | reprep | scikit-learn | sklearn / reprep | target | met |")
    print("|---|---|---|---|---|---|")
    for figure, binary, name, label, target, *clock in ROWS:
        r, s = cpp[binary].get(name), sk.get(label)
        if r is not None:
            r = r[1] if clock == ["wall"] else r[0]
        if r is None or s is None:
            print(f"| {figure} | {'missing' if r is None else fmt(r)} | {'missing' if s is None else fmt(s[1])} | | | |")
            continue
        ratio = s[1] / r
        if target is None:
            want, met = "—", ""
        elif target[0] == "ratio":
            want, met = f"≥ {target[1]:g}× scikit-learn", "yes" if ratio >= target[1] else "no"
        else:
            want, met = f"< {target[1]:g} µs", "yes" if r < target[1] * 1e-6 else "no"
        print(f"| {figure} | {fmt(r)} | {fmt(s[1])} | {ratio:.2f}× | {want} | {met} |")


if __name__ == "__main__":
    main(sys.argv[1:])
