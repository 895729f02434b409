#!/usr/bin/python3
"""Regenerates every scikit-learn/numpy golden file the C++ tests read.

Run with Debian's interpreter (it has python3-numpy and python3-sklearn 1.2):
    /usr/bin/python3 tests/golden/make_golden.py [--out DIR] [family ...]
Each family lives in a module golden_<family>.py beside this file that defines
main(out_dir); this driver runs them all (or those named on the command line) and
writes DIR/<family>/ (default DIR: tests/golden itself, i.e. the committed files).

The files come out byte for byte the same on every x86-64 CPU: the input data are built
from correctly rounded operations only (crmath.py), and repro_env.py, imported first,
pins numpy's SIMD dispatch to its baseline kernels, glibc's libm to its SSE2 code and
OpenMP to two threads for scikit-learn's computations (it re-executes this script once to
do so). check_golden.py regenerates a sample and compares it with the committed files
(CTest: parity_golden_regen).
"""
import argparse
import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import repro_env  # noqa: E402,F401  (before numpy, i.e. before any generator)


def main(argv):
    ap = argparse.ArgumentParser(description="Regenerate the scikit-learn/numpy golden files.")
    ap.add_argument("--out", type=pathlib.Path, default=HERE, help="output root (default: %(default)s)")
    ap.add_argument("families", nargs="*", help="scalers, transforms, encoders, splits (default: all)")
    args = ap.parse_args(argv[1:])
    modules = sorted(p.stem for p in HERE.glob("golden_*.py"))
    wanted = args.families or modules
    print(f"make_golden: {repro_env.POLICY}")
    for name in wanted:
        mod = importlib.import_module(name if name.startswith("golden_") else "golden_" + name)
        print(f"make_golden: {mod.__name__}")
        mod.main(args.out)


if __name__ == "__main__":
    main(sys.argv)
