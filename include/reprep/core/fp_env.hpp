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

#if defined(__SSE2__) && defined(__x86_64__)
#include <xmmintrin.h>
#define REPREP_FP_ENV_MXCSR 1
#endif

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

// What is wrong and what to do about it; an empty problem means nothing is wrong.
struct FpProblem {
    std::string problem;
    std::string fix;
};

inline FpProblem fp_flush_problem(const char* what, const char* effect, const char* x86_bit) {
    return {std::string(what) + " is on in this thread: " + effect,
            std::string("clear it (x86: MXCSR bit ") + x86_bit +
                ", e.g. _mm_setcsr(_mm_getcsr() & ~" + x86_bit + "); aarch64: FPCR.FZ) before calling reprep. It is "
                "usually set at start-up by a library or program built with -ffast-math (GCC links crtfastmath.o "
                "into it): rebuild that code without -ffast-math"};
}

inline FpProblem fp_rounding_problem() {
    return {"the rounding mode is not round-to-nearest-even",
            "call std::fesetround(FE_TONEAREST) before calling reprep (and restore your mode afterwards if you "
            "need it); from Python, have the code that changed the mode restore it, or call C's fesetround(0) "
            "(FE_TONEAREST on x86 and aarch64) through ctypes"};
}

// Checks the dynamic FP state. Not cached: FTZ/DAZ and the rounding mode are
// per-thread state that other code can change at any time, and reading them costs a
// few nanoseconds.
inline FpProblem fp_dynamic_problem() {
#ifdef REPREP_FP_ENV_MXCSR
    // On x86-64 every double operation is SSE arithmetic, whose whole dynamic state is
    // MXCSR: DAZ (bit 6), the rounding control (bits 13-14) and FTZ (bit 15). All clear
    // is the usual case, decided by one read; anything else goes on to the probes,
    // which name the problem. (fegetround, a library call, was a tenth of the
    // per-record overhead of a ten-step row plan.)
    if ((_mm_getcsr() & 0xE040u) == 0) return {};
#endif
    const double min_normal = fp_opaque(DBL_MIN);
    const double sub = fp_opaque(DBL_TRUE_MIN);
    const double two52 = fp_opaque(0x1p52);
    // DAZ first: a subnormal input is read as zero, so sub * 2^52 (= DBL_MIN) is 0.
    if (sub * two52 != DBL_MIN)
        return fp_flush_problem("denormals-are-zero (DAZ)", "subnormal inputs are read as zero", "0x0040");
    // FTZ: a product that should be subnormal comes out as zero. It is scaled back up
    // before comparing, because comparisons read their operands like any input.
    if (fp_opaque(min_normal * fp_opaque(0.5)) * two52 != 0x1p-971)
        return fp_flush_problem("flush-to-zero (FTZ)", "subnormal results are replaced by zero", "0x8000");
    if (std::fegetround() != FE_TONEAREST) return fp_rounding_problem();
    // Belt and braces for platforms whose fegetround does not see the real mode.
    const double one = fp_opaque(1.0), tiny = fp_opaque(0x1p-60);
    if (one + tiny != 1.0 || -one - tiny != -1.0 || one - tiny != 1.0) return fp_rounding_problem();
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

// The message names the problem, says that bits would change, and says what to do.
[[noreturn]] inline void fp_env_fail(const FpProblem& p) {
    fail<EnvironmentError>(
        {.component = "fp_env", .problem = p.problem + "; results would not be bit-reproducible", .fix = p.fix});
}

inline FpProblem fp_contraction_problem() {
    return {"floating-point contraction (implicit fused multiply-add: -ffp-contract=fast, GCC's default outside "
            "ISO mode, with FMA from -march or -mfma) is enabled in the translation unit that includes reprep and "
            "called it",
            "rebuild that translation unit with -ffp-contract=off: link its target to reprep::reprep (whose "
            "interface adds the option) and do not add -ffp-contract=fast or -ffast-math after it"};
}

// Non-zero while a caller that has just checked the dynamic state runs many component
// calls on this thread: RowPlan::run checks once per record instead of once per step
// (it was a third of a ten-step record's time). Nothing between the check and the
// steps can change the state: the steps are reprep kernels, which never touch it. One
// variable for the whole program (not per translation unit), so the kernels see the
// scope their caller opened.
inline thread_local int fp_checked_depth = 0;

class FpCheckedScope {
public:
    FpCheckedScope() noexcept { ++fp_checked_depth; }
    ~FpCheckedScope() { --fp_checked_depth; }
    FpCheckedScope(const FpCheckedScope&) = delete;
    FpCheckedScope& operator=(const FpCheckedScope&) = delete;
};
}  // namespace detail

// Deliberately in an unnamed namespace: every translation unit that includes reprep
// gets its own copy, compiled with that unit's flags. The contraction probe runs once
// per translation unit at static-initialisation time (the cache); FTZ/DAZ and the
// rounding mode are per-thread state that other code can change at any moment, so
// they are re-read on every call (a few nanoseconds, once per fit/transform batch, and
// once per record on the row path: see FpCheckedScope).
namespace {
const bool fp_tu_contracts = detail::fp_contraction_happens();

// Throws EnvironmentError if the floating-point environment would change reprep's
// bits. Components call it on entry to fit and transform. The contraction probe is
// this unit's own, so it is read on every call; the dynamic state is skipped inside an
// FpCheckedScope, whose opener has just read it.
inline void check_fp_environment() {
    if (fp_tu_contracts) detail::fp_env_fail(detail::fp_contraction_problem());
    if (detail::fp_checked_depth > 0) return;
    if (detail::FpProblem p = detail::fp_dynamic_problem(); !p.problem.empty()) detail::fp_env_fail(p);
}
}  // namespace

}  // namespace reprep
