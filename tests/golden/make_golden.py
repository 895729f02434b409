#!/usr/bin/python3
"""Regenerates every scikit-learn/numpy golden file the C++ tests read.

Run with Debian's interpreter (it has python3-numpy and python3-sklearn 1.2):
    /usr/bin/python3 tests/golden/make_golden.py
Each family lives in a module golden_<family>.py beside this file that defines
main(out_dir); this driver runs them all (or those named on the command line).
"""
import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main(argv):
    sys.path.insert(0, str(HERE))
    modules = sorted(p.stem for p in HERE.glob("golden_*.py"))
    wanted = argv[1:] or modules
    for name in wanted:
        mod = importlib.import_module(name if name.startswith("golden_") else "golden_" + name)
        print(f"make_golden: {mod.__name__}")
        mod.main(HERE)


if __name__ == "__main__":
    main(sys.argv)
