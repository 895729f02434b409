// reprep-test: own executable (it includes <xmmintrin.h> under #if; tests/CMakeLists.txt).
#include <doctest/doctest.h>

#include <cfenv>
#include <string>
#include <tuple>
#include <reprep/core/fp_env.hpp>

#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

using namespace reprep;

TEST_CASE("a clean build passes the floating-point probe") {
    CHECK_NOTHROW(check_fp_environment());
}

TEST_CASE("the probe refuses every non-nearest rounding mode") {
    for (int mode : {FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO}) {
        REQUIRE(std::fesetround(mode) == 0);
        CHECK_THROWS_WITH_AS(check_fp_environment(), doctest::Contains("rounding mode"), EnvironmentError);
        std::fesetround(FE_TONEAREST);
    }
    CHECK_NOTHROW(check_fp_environment());
}

#if defined(__x86_64__) || defined(_M_X64)
namespace {
// Sets MXCSR bits for the duration of a scope, then restores them.
struct MxcsrBits {
    unsigned saved;
    explicit MxcsrBits(unsigned bits) : saved(_mm_getcsr()) { _mm_setcsr(saved | bits); }
    ~MxcsrBits() { _mm_setcsr(saved); }
};
constexpr unsigned ftz_bit = 0x8000;  // MXCSR.FZ
constexpr unsigned daz_bit = 0x0040;  // MXCSR.DAZ
}  // namespace

TEST_CASE("the probe catches flush-to-zero set through MXCSR") {
    {
        MxcsrBits on(ftz_bit);
        CHECK_THROWS_WITH_AS(check_fp_environment(), doctest::Contains("flush-to-zero"), EnvironmentError);
    }
    CHECK_NOTHROW(check_fp_environment());
}

TEST_CASE("the probe catches denormals-are-zero set through MXCSR") {
    {
        MxcsrBits on(daz_bit);
        CHECK_THROWS_WITH_AS(check_fp_environment(), doctest::Contains("denormals-are-zero"), EnvironmentError);
    }
    CHECK_NOTHROW(check_fp_environment());
}
#endif

TEST_CASE("each EnvironmentError names the problem and its own fix") {
    std::fesetround(FE_UPWARD);
    try {
        check_fp_environment();
        std::fesetround(FE_TONEAREST);
        FAIL("no throw");
    } catch (const EnvironmentError& e) {
        std::fesetround(FE_TONEAREST);
        const std::string m = e.what();
        CHECK(m.find("fp_env: the rounding mode is not round-to-nearest-even; results would not be bit-reproducible") !=
              std::string::npos);
        CHECK(m.find(". Fix: call std::fesetround(FE_TONEAREST)") != std::string::npos);
    }
    // The messages of the other problems, built without changing the environment.
    for (const auto& [p, problem, fix] :
         {std::tuple{detail::fp_flush_problem("flush-to-zero (FTZ)", "subnormal results are replaced by zero", "0x8000"),
                     "flush-to-zero (FTZ) is on", "MXCSR bit 0x8000"},
          std::tuple{detail::fp_flush_problem("denormals-are-zero (DAZ)", "subnormal inputs are read as zero", "0x0040"),
                     "denormals-are-zero (DAZ) is on", "MXCSR bit 0x0040"},
          std::tuple{detail::fp_contraction_problem(), "floating-point contraction", "-ffp-contract=off"}}) {
        CHECK(p.problem.find(problem) == 0);
        CHECK(p.fix.find(fix) != std::string::npos);
        CHECK_THROWS_WITH_AS(detail::fp_env_fail(p), doctest::Contains(". Fix: "), EnvironmentError);
    }
}
