"""Builds reprep._reprep (its units, python/src/*.cpp) and packages python/reprep.

The version is read from include/reprep/version.hpp, where it lives once.
"""
import re
from pathlib import Path

from pybind11.setup_helpers import Pybind11Extension
from setuptools import setup

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
    extra_compile_args=["-O2", "-ffp-contract=off"],
)

setup(
    version=version,
    packages=["reprep"],
    package_dir={"reprep": "python/reprep"},
    ext_modules=[ext],
    zip_safe=False,
)
