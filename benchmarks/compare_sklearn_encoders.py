#!/usr/bin/python3
"""scikit-learn 1.2's side of benchmarks/bench_encoders.cpp: OneHotEncoder (default
sparse CSR output) and OrdinalEncoder transform of 10^6 rows x 4 string columns with
1,000 distinct values each, the very strings the C++ benchmark builds (row i, column
j: "cat_" + str(splitmix64(4 i + j) % 1000)). Prints rows per second from the median wall-clock
and the median CPU time of 5 runs (Google Benchmark reports both too).

    /usr/bin/python3 benchmarks/compare_sklearn_encoders.py
"""
import statistics
import time

import numpy as np
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

ROWS, COLS, DISTINCT = 1_000_000, 4, 1000


def splitmix64(x):
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def data():
    names = np.array(["cat_%d" % k for k in range(DISTINCT)], dtype=object)
    i = np.arange(ROWS, dtype=np.uint64)
    X = np.empty((ROWS, COLS), dtype=object)
    for j in range(COLS):
        X[:, j] = names[(splitmix64(np.uint64(4) * i + np.uint64(j)) % np.uint64(DISTINCT)).astype(np.int64)]
    return X


def timed(fn, repetitions=5):
    """Median wall-clock and median CPU seconds of `repetitions` calls."""
    wall, cpu = [], []
    for _ in range(repetitions):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def encoders_workload(repetitions=5):
    """Returns {name: (rows per wall-clock second, rows per CPU second)} for the encoder transforms."""
    X = data()
    out = {}
    ohe = OneHotEncoder(handle_unknown="ignore").fit(X)
    out["OneHotEncoder.transform (sparse)"] = tuple(ROWS / t for t in timed(lambda: ohe.transform(X), repetitions))
    ord_ = OrdinalEncoder().fit(X)
    out["OrdinalEncoder.transform"] = tuple(ROWS / t for t in timed(lambda: ord_.transform(X), repetitions))
    return out


if __name__ == "__main__":
    for name, (wall, cpu) in encoders_workload().items():
        print(f"{name:36s} {wall / 1e6:7.3f} M rows/s wall clock, {cpu / 1e6:7.3f} M rows/s CPU (medians of 5)")
