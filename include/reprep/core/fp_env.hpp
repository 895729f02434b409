// Floating-point environment guard (docs/design.md, "The floating-point guard").
//
// reprep promises identical bits on every compiler, flag set and CPU. That only holds
// in IEEE-754 binary64 with round-to-nearest, gradual underflow and no implicit
// fused multiply-add. Compile-time checks catch what the preprocessor can see; the
// runtime probe catches what it cannot: FTZ/DAZ set by another library (e.g. one
// linked with -ffast-math's crtfastmath.o), fesetround, and -ffp-contract=fast in
// the translation unit that instantiated a reprep kernel.
#pragma once

#include <cfenv>
#include <cfloat>
#include <limits>
#include <string>

#include "error.hpp"

#if defined(__FAST_MATH__)
#error "reprep: -ffast-math breaks bit-reproducibility (it reorders sums and drops NaN/Inf). Build reprep code without -ffast-math."
#endif
#if defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__
#error "reprep: -ffinite-math-only lets the compiler drop NaN checks reprep relies on. Build reprep code without it."
#endif

static_assert(std::numeric_limits<double>::is_iec559, "reprep needs IEEE-754 binary64 doubles");
static_assert(std::numeric_limits<float>::is_iec559, "reprep needs IEEE-754 binary32 floats");
static_assert(FLT_EVAL_METHOD == 0,
              "reprep needs FLT_EVAL_METHOD == 0 (no excess precision; on 32-bit x86 use -msse2 -mfpmath=sse)");

namespace reprep {
namespace detail {

// Volatile reads stop the compiler from folding the probes at compile time.
inline double fp_opaque(double x) {
    volatile double v = x;
    return v;
}

// Returns a description of what is wrong with the dynamic FP state, or "" if fine.
// Not cached: FTZ/DAZ and the rounding mode are per-thread state that other code can
// change at any time, and reading them costs a few nanoseconds.
inline std::string fp_dynamic_problem() {
    const double min_normal = fp_opaque(DBL_MIN);
    const double sub = fp_opaque(DBL_TRUE_MIN);
    const double two52 = fp_opaque(0x1p52);
    // DAZ first: a subnormal input is read as zero, so sub * 2^52 (= DBL_MIN) is 0.
    if (sub * two52 != DBL_MIN)
        return "denormals-are-zero (DAZ) is on: subnormal inputs are read as zero";
    // FTZ: a product that should be subnormal comes out as zero. It is scaled back up
    // before comparing, because comparisons read their operands like any input.
    if (fp_opaque(min_normal * fp_opaque(0.5)) * two52 != 0x1p-971)
        return "flush-to-zero (FTZ) is on: subnormal results are replaced by zero";
    if (std::fegetround() != FE_TONEAREST)
        return "the rounding mode is not round-to-nearest-even";
    // Belt and braces for platforms whose fegetround does not see the real mode.
    const double one = fp_opaque(1.0), tiny = fp_opaque(0x1p-60);
    if (one + tiny != 1.0 || -one - tiny != -1.0 || one - tiny != 1.0)
        return "the rounding mode is not round-to-nearest-even";
    return {};
}

// Evaluates x*y + c as written. If the compiler contracts it into an fma the result
// is the exact residual 2^-60 instead of 0. `always_inline` puts this code inside
// the caller, so the probe is compiled with the very flags of the kernel that calls
// it (a non-inlined copy could come from another translation unit).
[[gnu::always_inline]] inline bool fp_contraction_happens() {
    const double x = fp_opaque(1.0 + 0x1p-30);
    const double c = fp_opaque(-(1.0 + 0x1p-29));
    return x * x + c != 0.0;
}

[[noreturn]] inline void fp_env_fail(const std::string& problem) {
    fail<EnvironmentError>(
        {.component = "fp_env",
         .problem = problem + "; results would not be bit-reproducible",
         .fix = "restore the default environment (fesetround(FE_TONEAREST), clear MXCSR FTZ/DAZ, "
                "do not link -ffast-math objects) and compile reprep code with -ffp-contract=off "
                "(the reprep::reprep CMake target adds it)"});
}
}  // namespace detail

// Deliberately in an unnamed namespace: every translation unit that includes reprep
// gets its own copy, compiled with that unit's flags. The contraction probe runs once
// per translation unit at static-initialisation time (the cache); FTZ/DAZ and the
// rounding mode are per-thread state that other code can change at any moment, so
// they are re-read on every call (a few nanoseconds, once per fit/transform batch).
namespace {
const bool fp_tu_contracts = detail::fp_contraction_happens();

// Throws EnvironmentError if the floating-point environment would change reprep's
// bits. Components call it on entry to fit and transform.
inline void check_fp_environment() {
    if (fp_tu_contracts)
        detail::fp_env_fail("floating-point contraction (implicit fused multiply-add, -ffp-contract=fast) "
                            "is enabled in a translation unit that includes reprep");
    if (std::string p = detail::fp_dynamic_problem(); !p.empty()) detail::fp_env_fail(p);
}
}  // namespace

}  // namespace reprep
