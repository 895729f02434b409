#!/usr/bin/python3
"""read_csv beside pandas.read_csv (C engine) on the same files, in one script (issue 17,
item 6: at least 2x pandas' throughput on numeric, mixed and string-heavy files of 100 MB
or more).

    /usr/bin/python3 benchmarks/compare_csv.py [--build build/bench] [--repetitions 5] [--dir DIR]

It writes three files into DIR (a temporary directory unless given; about 330 MB, removed
afterwards unless --dir is given), times pandas.read_csv on each (CPU time, median of the
repetitions, this process), then runs bench_csv from the build tree with REPREP_CSV_FILES
naming the same files with n_jobs = 1 and 2 (CPU time of every thread, and wall-clock
time; medians), and prints one Markdown table: each reader's times, throughput, and the
ratios (above 1: reprep is faster) in CPU and in wall-clock time, with the load average.
pandas reads on one thread; the n_jobs = 2 rows spend about the CPU of one thread
across two, so their gain shows in wall-clock time, and only on an idle machine. Build first:
cmake --build build/bench --target bench_csv (a Release tree; see benchmarks/README.md).

The files:
    numeric   6 normal columns rounded to 6 decimals and one integer column;
    mixed     2 numeric, 1 integer and 2 categorical columns of 1,000 values each;
    strings   5 categorical columns of 5,000 values of 5 to 17 characters each.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

# Rows per file, so that each is over 100 MB.
ROWS = {"numeric": 1_700_000, "mixed": 2_200_000, "strings": 1_500_000}


def write_files(d):
    rng = np.random.default_rng(20261207)
    paths = {}
    n = ROWS["numeric"]
    numeric = pd.DataFrame({f"x{i}": rng.normal(size=n).round(6) for i in range(6)})
    numeric["k"] = rng.integers(0, 100000, size=n)
    cats = np.array([f"city_{i}" for i in range(1000)])
    n = ROWS["mixed"]
    mixed = pd.DataFrame({
        "a": rng.normal(size=n).round(3),
        "b": rng.integers(0, 5000, size=n),
        "c": cats[rng.integers(0, 1000, size=n)],
        "d": cats[rng.integers(0, 1000, size=n)],
        "e": rng.normal(size=n),
    })
    words = np.array([f"word{i}_{'x' * (i % 13)}" for i in range(5000)])
    n = ROWS["strings"]
    strings = pd.DataFrame({f"s{i}": words[rng.integers(0, 5000, size=n)] for i in range(5)})
    for name, df in (("numeric", numeric), ("mixed", mixed), ("strings", strings)):
        paths[name] = os.path.join(d, name + ".csv")
        df.to_csv(paths[name], index=False)
    return paths


def time_pandas(path, reps):
    cpu, wall = [], []
    for _ in range(reps):
        t0, w0 = time.process_time(), time.perf_counter()
        pd.read_csv(path)
        cpu.append(time.process_time() - t0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall)


def time_reprep(build, paths, reps):
    """{(path, n_jobs): (cpu seconds, wall seconds)}, medians; CPU time of every thread."""
    exe = os.path.join(build, "benchmarks", "bench_csv")
    if not os.path.exists(exe):
        sys.exit(f"{exe} not found: cmake --build {build} --target bench_csv")
    env = dict(os.environ, REPREP_CSV_FILES=":".join(paths))
    out = subprocess.run([exe, "--benchmark_filter=BM_read_csv_file", f"--benchmark_repetitions={reps}",
                          "--benchmark_report_aggregates_only=true", "--benchmark_format=json"],
                         env=env, check=True, capture_output=True, text=True).stdout
    res = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            name, path = b["run_name"].split("/", 1)
            path = path.split("/process_time")[0]
            jobs = 2 if name.endswith("_jobs2") else 1
            res[(path, jobs)] = (b["cpu_time"] / 1e3, b["real_time"] / 1e3)  # ms -> s
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build/bench")
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--dir")
    args = ap.parse_args()
    d = args.dir or tempfile.mkdtemp(prefix="reprep-csv-")
    os.makedirs(d, exist_ok=True)
    try:
        paths = write_files(d)
        ours = time_reprep(args.build, list(paths.values()), args.repetitions)
        print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; "
              f"pandas {pd.__version__}; CPU time, medians of {args.repetitions}\n")
        print("| file | size | reader | CPU time | wall time | MB/s (CPU) | pandas / reprep, CPU | "
              "pandas / reprep, wall | target (CPU) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, path in paths.items():
            mb = os.path.getsize(path) / 1e6
            p_cpu, p_wall = time_pandas(path, args.repetitions)
            print(f"| {name} | {mb:.0f} MB | pandas (1 thread) | {p_cpu:.3f} s | {p_wall:.3f} s | {mb / p_cpu:.0f} "
                  f"| | | |")
            for jobs in (1, 2):
                cpu, wall = ours[(path, jobs)]
                print(f"| {name} | {mb:.0f} MB | reprep n_jobs={jobs} | {cpu:.3f} s | {wall:.3f} s | {mb / cpu:.0f} "
                      f"| {p_cpu / cpu:.2f}x | {p_wall / wall:.2f}x | >= 2x: {'yes' if p_cpu / cpu >= 2 else 'no'} |")
    finally:
        if not args.dir:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
