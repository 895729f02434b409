"""Pins the CPU-dependent choices of numpy, glibc and OpenMP for the golden generators, so
that scikit-learn's computations give the same bits on every x86-64 CPU. Import it before
numpy: make_golden.py, check_golden.py and every golden_*.py do.

The input data need no pinning: they are built from correctly rounded operations only
(crmath.py). The scikit-learn, scipy and numpy code that fits and transforms them does
call transcendental functions, so three things are pinned for it:

  numpy's SIMD dispatch  numpy picks a kernel per CPU at run time; its AVX512F exp/log and
                         AVX512_SKX (SVML) pow/log1p/... round some results differently
                         (PowerTransformer's goldens moved on an AVX-512 CPU). numpy 1.24
                         reads NPY_DISABLE_CPU_FEATURES once, when it is first imported:
                         naming a baseline feature is an error (RuntimeError at import),
                         naming one the build does not dispatch or the host lacks only
                         warns. So the list is exactly the dispatchable features this host
                         has, asked of numpy in a child process, and every host runs the
                         baseline kernels (SSE SSE2 SSE3 in Debian's build). Checked after
                         the import.
  glibc's libm variant   glibc 2.36 picks exp, log, pow, sin, atan, ... by CPU (ifunc): the
                         FMA variants differ from the SSE2 ones in some last bits (up to
                         about 1 argument in 10^3); numpy's baseline kernels, numpy.random, scipy and
                         scikit-learn's Cython all call them. GLIBC_TUNABLES=glibc.cpu.hwcaps=
                         -AVX,-AVX2,-FMA,-FMA4 makes every x86-64 host take the SSE2 code
                         (feature names of glibc >= 2.33).
  threads                KMeans (KBinsDiscretizer(strategy='kmeans')) sums each thread's
                         block of samples, then adds the blocks into the result in whatever
                         order the threads take a lock; so its last bits depend on the number
                         of OpenMP threads, which defaults to the number of cores. Pinned to 2
                         (OMP_NUM_THREADS=2, OMP_DYNAMIC=FALSE, no OMP_THREAD_LIMIT; scikit-
                         learn honours OMP_NUM_THREADS even above the core count): with two
                         blocks the lock order cannot matter (0 + a + b == 0 + b + a exactly),
                         which is not so from three on, and 2 is what the committed files were
                         made with (with 1 thread, scikit-learn's KMeans edges of the
                         synthetic set move by up to 6e-15 relative, and on its integer column
                         it keeps 7 bins instead of 6). The BLAS libraries' pools get 1.

glibc reads its tunables only when a process starts, so on import this module re-executes
the interpreter once with the pinned environment (REPREP_GOLDEN_PINNED=1 marks the second
run, which checks that every setting took effect and raises otherwise).

POLICY is the one-line record of the pinning, written into the golden files' headers: it
names what was pinned, never this host's CPU features, so the files stay byte-identical.
Not pinned: the BLAS behind scipy (Debian's reference libblas3 has no CPU dispatch; with
OpenBLAS as the libblas.so.3 alternative, KMeans' distance products could move a label that
sits on a near-tie).

REPREP_GOLDEN_DISPATCH=native skips all of this (diagnostics: what a host's own dispatch
gives); POLICY then says "unpinned", so such files never pass for committed ones.
"""
import os
import platform
import subprocess
import sys

GLIBC_TUNABLES = "glibc.cpu.hwcaps=-AVX,-AVX2,-FMA,-FMA4"
THREAD_ENV = {"OMP_NUM_THREADS": "2", "OMP_DYNAMIC": "FALSE",
              "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "BLIS_NUM_THREADS": "1"}
_MARK = "REPREP_GOLDEN_PINNED"

# Prints the dispatchable features numpy found on this host (numpy 2 moved the module).
_PROBE = """
try:
    from numpy._core._multiarray_umath import __cpu_dispatch__ as d, __cpu_features__ as f
except ImportError:
    from numpy.core._multiarray_umath import __cpu_dispatch__ as d, __cpu_features__ as f
print(" ".join(k for k in d if f.get(k)))
"""


def _cpu_module():
    try:
        from numpy._core import _multiarray_umath as m
    except ImportError:
        from numpy.core import _multiarray_umath as m
    return m


def _glibc_x86_64():
    """True on x86-64 with glibc >= 2.33 (hwcaps names as above); raises on an older glibc,
    whose libm variants could not be pinned."""
    if platform.machine() not in ("x86_64", "AMD64"):
        return False
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION")  # "glibc 2.36"
    except (ValueError, OSError, AttributeError):
        return False
    if not libc or not libc.startswith("glibc "):
        return False
    major, minor = (int(p) for p in libc.split()[1].split(".")[:2])
    if (major, minor) < (2, 33):
        raise RuntimeError(f"repro_env: {libc} names its hwcaps tunables differently (< 2.33); "
                           "cannot pin the libm variant, so the golden files could differ by CPU")
    return True


def _reexec_pinned():
    if "numpy" in sys.modules:
        raise RuntimeError("repro_env must be imported before numpy (numpy reads "
                           "NPY_DISABLE_CPU_FEATURES when it is first imported)")
    if not sys.argv or sys.argv[0] in ("", "-"):
        raise RuntimeError("repro_env re-executes the interpreter: run a script "
                           "(e.g. tests/golden/make_golden.py), not an interactive session or stdin")
    env = dict(os.environ)
    for var in ("NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES", "OMP_THREAD_LIMIT"):
        env.pop(var, None)
    probe = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True)
    if probe.returncode != 0:
        raise RuntimeError("repro_env: could not ask numpy for its CPU features:\n" + probe.stderr)
    env["NPY_DISABLE_CPU_FEATURES"] = probe.stdout.strip()
    if _glibc_x86_64():
        env["GLIBC_TUNABLES"] = GLIBC_TUNABLES
    env.update(THREAD_ENV)
    env[_MARK] = "1"
    argv = list(getattr(sys, "orig_argv", [])) or [sys.executable] + sys.argv
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, argv, env)


def _check_pinned():
    """Runs in the re-executed interpreter: every setting must have taken effect."""
    problems = []
    if "numpy" in sys.modules:
        problems.append("numpy was imported before repro_env")
    if _glibc_x86_64() and os.environ.get("GLIBC_TUNABLES") != GLIBC_TUNABLES:
        problems.append(f"GLIBC_TUNABLES is not {GLIBC_TUNABLES}")
    problems += [f"{k} is not {v}" for k, v in THREAD_ENV.items() if os.environ.get(k) != v]
    if "OMP_THREAD_LIMIT" in os.environ:
        problems.append("OMP_THREAD_LIMIT is set")
    m = _cpu_module()  # imports numpy
    active = [k for k in m.__cpu_dispatch__ if m.__cpu_features__.get(k)]
    if active:
        problems.append("numpy still dispatches to " + " ".join(active))
    if problems:
        raise RuntimeError("repro_env: the pinned environment did not take effect: " + "; ".join(problems)
                           + f" (unset {_MARK} and rerun)")
    libm = "glibc libm SSE2 code" if _glibc_x86_64() else "default libm"
    return f"dispatch: numpy baseline ({' '.join(m.__cpu_baseline__)}) only, {libm}, 2 OpenMP threads"


if os.environ.get("REPREP_GOLDEN_DISPATCH") == "native":
    POLICY = "dispatch: native (unpinned, diagnostics only)"
elif os.environ.get(_MARK) != "1":
    _reexec_pinned()  # does not return
else:
    POLICY = _check_pinned()
