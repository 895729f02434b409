"""Builds reprep._reprep (its units, python/src/*.cpp) and packages python/reprep.

The version is read from include/reprep/version.hpp, where it lives once.
"""
import os
import re
from pathlib import Path

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension
from setuptools import setup

# The units compile in parallel, one job per core (REPREP_BUILD_JOBS=N to choose): about
# half the install time on a two-core machine.
ParallelCompile("REPREP_BUILD_JOBS").install()

# REPREP_BUILD_OPT=-O0 builds faster, for a test of the install itself
# (python/fresh_venv_test.sh); the optimisation level changes no bit of any result, only
# the speed. Users get -O2.
opt = os.environ.get("REPREP_BUILD_OPT", "-O2")
if opt not in ("-O0", "-O1", "-O2", "-O3"):
    raise SystemExit(f"setup.py: REPREP_BUILD_OPT={opt!r}; use one of -O0, -O1, -O2, -O3")

# REPREP_BUILD_DEBUG_INFO=0 drops the debug information the interpreter's CFLAGS ask for
# (-g): a third of an -O0 compile of these units, measured. The install test sets it.
debug_info = os.environ.get("REPREP_BUILD_DEBUG_INFO", "1")
if debug_info not in ("0", "1"):
    raise SystemExit(f"setup.py: REPREP_BUILD_DEBUG_INFO={debug_info!r}; use 0 or 1")

root = Path(__file__).resolve().parent
version_hpp = (root / "include/reprep/version.hpp").read_text()
version = ".".join(re.search(rf"#define REPREP_VERSION_{p} (\d+)", version_hpp).group(1) for p in ("MAJOR", "MINOR", "PATCH"))

ext = Pybind11Extension(
    "reprep._reprep",
    sorted(str(p.relative_to(root)) for p in (root / "python/src").glob("*.cpp")),
    # Header-only use: Eigen and xxhash.h (XXH_INLINE_ALL, nothing to link).
    include_dirs=["include", "/usr/include/eigen3"],
    cxx_std=20,
    # -ffp-contract=off is what the CMake target gives consumers: implicit fused
    # multiply-add would change bits between compilers and CPUs.
    extra_compile_args=[opt, "-ffp-contract=off"] + (["-g0"] if debug_info == "0" else []),
)

setup(
    version=version,
    packages=["reprep"],
    package_dir={"reprep": "python/reprep"},
    ext_modules=[ext],
    zip_safe=False,
)
