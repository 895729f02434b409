"""Golden folds from scikit-learn's deterministic splitters (no shuffle), which reprep's
KFold, StratifiedKFold, GroupKFold and TimeSeriesSplit must reproduce exactly.

Writes tests/golden/splits/<name>.txt: a header line with the labels/groups (or n),
then one line per fold: 'test: i j k ...'. Integer data only, so no arithmetic depends on
the CPU. No '# sklearn ...' version line: test_splits.cpp reads the first line as the
labels or groups.
"""
import pathlib

import repro_env  # noqa: F401  (before numpy: pins SIMD dispatch, libm and threads)

import numpy as np
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit


def write(path, first, splits):
    with open(path, "w") as f:
        f.write(first + "\n")
        for _, test in splits:
            f.write("test: " + " ".join(str(i) for i in test) + "\n")


def main(out_dir, only=None):
    """Writes out_dir/splits/ (all of it: `only` is accepted for the driver and ignored,
    the whole family takes milliseconds)."""
    out = pathlib.Path(out_dir) / "splits"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261126)
    for n, k in [(10, 3), (23, 5), (100, 7)]:
        write(out / f"kfold_{n}_{k}.txt", f"n {n} k {k}", KFold(n_splits=k).split(np.zeros(n)))
    for n, k, classes in [(30, 3, 3), (101, 5, 4), (57, 4, 2)]:
        y = rng.integers(0, classes, size=n)
        write(out / f"stratified_{n}_{k}.txt", f"k {k} y " + " ".join(map(str, y)),
              StratifiedKFold(n_splits=k).split(np.zeros(n), y))
    # Distinct group sizes, so scikit-learn's unstable sort has no ties to break.
    groups = np.repeat(np.arange(8), np.arange(1, 9))
    rng.shuffle(groups)
    write(out / "group_36_3.txt", "k 3 g " + " ".join(map(str, groups)),
          GroupKFold(n_splits=3).split(np.zeros(len(groups)), groups=groups))
    for n, k, kw in [(20, 4, {}), (50, 3, {"gap": 2, "max_train_size": 10}), (31, 5, {"test_size": 3})]:
        tag = "_".join(f"{a}{b}" for a, b in sorted(kw.items()))
        write(out / f"timeseries_{n}_{k}{('_' + tag) if tag else ''}.txt",
              f"n {n} k {k} " + " ".join(f"{a} {b}" for a, b in sorted(kw.items())),
              TimeSeriesSplit(n_splits=k, **kw).split(np.zeros(n)))
