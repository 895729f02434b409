// Accuracy of reprep::dmath exp/expm1/log/log1p/pow against MPFR (>= 10^6 arguments per
// function: random bit patterns, log-uniform magnitudes, dense regions around 0, 1 and
// the overflow/underflow thresholds, and every Annex F edge), plus the float overloads.
// Each case prints its row of the ulp table with MESSAGE; run the binary with -s to see it.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <reprep/core/dmath.hpp>

#include "mpfr_oracle.hpp"

namespace dm = reprep::dmath;
using reprep_test::check1;
using reprep_test::check2;
using reprep_test::TestRng;
using reprep_test::UlpStats;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDenormMin = std::numeric_limits<double>::denorm_min();
constexpr double kMin = std::numeric_limits<double>::min();
constexpr double kMax = std::numeric_limits<double>::max();

// Arguments every function sees, on top of its own regions.
std::vector<double> common_edges() {
    std::vector<double> v = {0.0, -0.0, kInf, -kInf, kNaN, -kNaN, kDenormMin, -kDenormMin, kMin, -kMin,
                             kMax, -kMax, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 0x1p-1022 - kDenormMin,
                             0x1p-54, -0x1p-54, 0x1p-53, 0x1p-9, -0x1p-9, 0x1p-9 - 0x1p-62, 708.0,
                             709.782712893384, 709.7827128933840, 709.78271289338409, 709.78271289338397,
                             -745.13321910194110, -745.13321910194122, -745.1332191019412, -708.39641853226408,
                             -708.39641853226412, -40.0, -38.0, 1e-300, 1e300, 0.1, 3.0, 10.0, 100.0};
    for (int e = -1074; e <= 1023; e += 7) {
        v.push_back(std::ldexp(1.0, e));
        v.push_back(-std::ldexp(1.0, e));
    }
    return v;
}

struct Region {
    const char* what;
    std::uint64_t n;
    double (*gen)(TestRng&);
};

// Runs f over the regions (and the edges) against MPFR; returns the merged statistics.
template <class F>
UlpStats run1(const char* name, reprep_test::MpfrFn1 ref, F f, const std::vector<Region>& regions,
              std::vector<double> edges, std::uint64_t seed) {
    UlpStats all(name);
    TestRng rng(seed);
    for (double x : edges) {
        const double got = f(x);
        all.add(check1(ref, x, got), got, x);
    }
    for (const auto& reg : regions) {
        for (std::uint64_t i = 0; i < reg.n; ++i) {
            const double x = reg.gen(rng);
            const double got = f(x);
            all.add(check1(ref, x, got), got, x);
        }
    }
    return all;
}

// Each case prints its own row of the ulp table, so every case stands alone (run with
// -tc, --order-by=rand or on its own); the rows together are the table of docs/dmath.md.
void report(const UlpStats& s) {
    MESSAGE(reprep_test::format_ulp_table({s}));
    CHECK(s.count >= 1'000'000);
    CHECK(s.max_ulps <= 1.0);
}

double ln_uniform(TestRng& r, double lo, double hi) { return r.log_uniform(lo, hi, true); }

}  // namespace

TEST_CASE("exp: ulp error against MPFR") {
    const std::vector<Region> regions = {
        {"uniform over the finite range", 300'000, [](TestRng& r) { return r.uniform(-745.2, 709.8); }},
        {"random bit patterns", 150'000, [](TestRng& r) { return r.any_bits(); }},
        {"log-uniform magnitudes", 200'000, [](TestRng& r) { return ln_uniform(r, kDenormMin, 746.0); }},
        {"near 0", 100'000, [](TestRng& r) { return r.uniform(-0x1p-7, 0x1p-7); }},
        {"overflow threshold", 80'000, [](TestRng& r) { return r.near(709.782712893384, 1ULL << 42); }},
        {"underflow to zero", 80'000, [](TestRng& r) { return r.near(-745.1332191019412, 1ULL << 42); }},
        {"subnormal results", 100'000, [](TestRng& r) { return r.uniform(-745.2, -708.3); }},
    };
    report(run1("exp", mpfr_exp, [](double x) { return dm::exp(x); }, regions, common_edges(), 11));
}

TEST_CASE("expm1: ulp error against MPFR") {
    const std::vector<Region> regions = {
        {"uniform", 250'000, [](TestRng& r) { return r.uniform(-45.0, 709.8); }},
        {"random bit patterns", 150'000, [](TestRng& r) { return r.any_bits(); }},
        {"log-uniform magnitudes", 250'000, [](TestRng& r) { return ln_uniform(r, kDenormMin, 710.0); }},
        {"near 0, both paths", 200'000, [](TestRng& r) { return r.uniform(-0.02, 0.02); }},
        {"path boundary 2^-9", 50'000, [](TestRng& r) { return r.near((r.next() & 1) ? 0x1p-9 : -0x1p-9, 1ULL << 30); }},
        {"around -1 saturation", 50'000, [](TestRng& r) { return r.uniform(-41.0, -35.0); }},
        {"overflow threshold", 60'000, [](TestRng& r) { return r.near(709.782712893384, 1ULL << 42); }},
    };
    report(run1("expm1", mpfr_expm1, [](double x) { return dm::expm1(x); }, regions, common_edges(), 12));
}

TEST_CASE("log: ulp error against MPFR") {
    const std::vector<Region> regions = {
        {"random positive bit patterns", 250'000, [](TestRng& r) { return std::fabs(r.any_bits()); }},
        {"log-uniform over all positives", 250'000, [](TestRng& r) { return r.log_uniform(kDenormMin, kMax); }},
        {"subnormals", 100'000, [](TestRng& r) { return r.log_uniform(kDenormMin, kMin); }},
        {"near 1", 200'000, [](TestRng& r) { return 1.0 + r.log_uniform(0x1p-60, 0x1p-3, true); }},
        {"1 +- a few ulps", 50'000, [](TestRng& r) { return r.near(1.0, 1ULL << 20); }},
        {"[0.5, 2]", 100'000, [](TestRng& r) { return r.uniform(0.5, 2.0); }},
        {"random bit patterns (any sign)", 50'000, [](TestRng& r) { return r.any_bits(); }},
    };
    report(run1("log", mpfr_log, [](double x) { return dm::log(x); }, regions, common_edges(), 13));
}

TEST_CASE("log1p: ulp error against MPFR") {
    const std::vector<Region> regions = {
        {"random bit patterns", 200'000, [](TestRng& r) { return r.any_bits(); }},
        {"log-uniform positives", 200'000, [](TestRng& r) { return r.log_uniform(kDenormMin, kMax); }},
        {"log-uniform (-1, 0)", 200'000, [](TestRng& r) { return -r.log_uniform(kDenormMin, 1.0 - 0x1p-53); }},
        {"near 0, both paths", 200'000, [](TestRng& r) { return r.uniform(-0.02, 0.02); }},
        {"path boundary 2^-9", 50'000, [](TestRng& r) { return r.near((r.next() & 1) ? 0x1p-9 : -0x1p-9, 1ULL << 30); }},
        {"near -1", 100'000, [](TestRng& r) { return -1.0 + r.log_uniform(0x1p-53, 0x1p-2); }},
        {"[-0.5, 1]", 60'000, [](TestRng& r) { return r.uniform(-0.5, 1.0); }},
    };
    report(run1("log1p", mpfr_log1p, [](double x) { return dm::log1p(x); }, regions, common_edges(), 14));
}

TEST_CASE("pow: ulp error against MPFR") {
    struct Pair {
        double x, y;
    };
    struct PowRegion {
        const char* what;
        std::uint64_t n;
        Pair (*gen)(TestRng&);
    };
    const std::vector<PowRegion> regions = {
        {"random bit patterns", 150'000, [](TestRng& r) { return Pair{r.any_bits(), r.any_bits()}; }},
        {"x log-uniform, y uniform [-100, 100]", 200'000,
         [](TestRng& r) { return Pair{r.log_uniform(1e-5, 1e5), r.uniform(-100.0, 100.0)}; }},
        // Results spread over the whole range, including overflow, subnormals and underflow.
        {"y = t / log x, t in [-760, 720]", 250'000,
         [](TestRng& r) {
             const double x = r.log_uniform(0x1p-1074, kMax);
             return Pair{x, r.uniform(-760.0, 720.0) / std::log(x)};
         }},
        {"x near 1, large y", 150'000,
         [](TestRng& r) {
             const double x = 1.0 + r.log_uniform(0x1p-52, 0x1p-4, true);
             return Pair{x, r.uniform(-700.0, 700.0) / std::log(x)};
         }},
        {"negative x, integer y", 100'000,
         [](TestRng& r) {
             return Pair{-r.log_uniform(1e-3, 1e3), std::nearbyint(r.uniform(-100.0, 100.0))};
         }},
        {"small integers (exact cases)", 50'000,
         [](TestRng& r) {
             return Pair{static_cast<double>(static_cast<int>(r.next() % 64) - 32),
                         static_cast<double>(static_cast<int>(r.next() % 40) - 20)};
         }},
        {"y tiny or huge", 100'000,
         [](TestRng& r) {
             return Pair{r.log_uniform(1e-300, 1e300), r.log_uniform(0x1p-1074, 0x1p70, true)};
         }},
    };
    UlpStats all("pow");
    TestRng rng(15);
    const std::vector<double> edges = common_edges();
    for (double x : edges)
        for (double y : edges) {
            const double got = dm::pow(x, y);
            all.add(check2(mpfr_pow, x, y, got), got, x, y);
        }
    for (const auto& reg : regions)
        for (std::uint64_t i = 0; i < reg.n; ++i) {
            const Pair p = reg.gen(rng);
            const double got = dm::pow(p.x, p.y);
            all.add(check2(mpfr_pow, p.x, p.y, got), got, p.x, p.y);
        }
    report(all);
}

TEST_CASE("float overloads: within 1 float ulp of the correctly rounded float") {
    TestRng rng(16);
    UlpStats fe("expf"), fm("expm1f"), fl("logf"), fp("log1pf"), fw("powf");
    reprep_test::Mpfr in(24), in2(24), out;
    for (int i = 0; i < 100'000; ++i) {
        const auto x = static_cast<float>(rng.uniform(-104.0, 89.0));
        mpfr_set_flt(in, x, MPFR_RNDN);
        mpfr_exp(out, in, MPFR_RNDN);
        float g = dm::exp(x);
        fe.add(reprep_test::check_against_float(g, out), g, x);
        mpfr_expm1(out, in, MPFR_RNDN);
        g = dm::expm1(x);
        fm.add(reprep_test::check_against_float(g, out), g, x);
        const auto z = static_cast<float>(rng.log_uniform(0x1p-149, 0x1p127));
        mpfr_set_flt(in, z, MPFR_RNDN);
        mpfr_log(out, in, MPFR_RNDN);
        g = dm::log(z);
        fl.add(reprep_test::check_against_float(g, out), g, z);
        const auto w = static_cast<float>((rng.next() & 1) ? rng.log_uniform(0x1p-149, 0x1p127) : -rng.unit());
        mpfr_set_flt(in, w, MPFR_RNDN);
        mpfr_log1p(out, in, MPFR_RNDN);
        g = dm::log1p(w);
        fp.add(reprep_test::check_against_float(g, out), g, w);
        const auto a = static_cast<float>(rng.log_uniform(1e-3, 1e3));
        const auto b = static_cast<float>(rng.uniform(-20.0, 20.0));
        mpfr_set_flt(in, a, MPFR_RNDN);
        mpfr_set_flt(in2, b, MPFR_RNDN);
        mpfr_pow(out, in, in2, MPFR_RNDN);
        g = dm::pow(a, b);
        fw.add(reprep_test::check_against_float(g, out), g, a, b);
    }
    MESSAGE(reprep_test::format_ulp_table({fe, fm, fl, fp, fw}));
    for (const auto* s : {&fe, &fm, &fl, &fp, &fw}) CHECK(s->max_ulps <= 1.0);
    CHECK(dm::exp(0.0f) == 1.0f);
    CHECK(std::isinf(dm::exp(89.0f)));
    CHECK(dm::log(1.0f) == 0.0f);
    CHECK(std::isnan(dm::log(-1.0f)));
}

TEST_CASE("special values follow C99/C11 Annex F exactly") {
    using reprep_test::same_double;
    // exp / expm1
    CHECK(same_double(dm::exp(0.0), 1.0));
    CHECK(same_double(dm::exp(-0.0), 1.0));
    CHECK(same_double(dm::exp(kInf), kInf));
    CHECK(same_double(dm::exp(-kInf), 0.0));
    CHECK(std::isnan(dm::exp(kNaN)));
    CHECK(same_double(dm::exp(709.79), kInf));
    CHECK(same_double(dm::exp(-745.14), 0.0));
    CHECK(same_double(dm::exp(-745.13), kDenormMin));
    CHECK(same_double(dm::expm1(0.0), 0.0));
    CHECK(same_double(dm::expm1(-0.0), -0.0));
    CHECK(same_double(dm::expm1(kInf), kInf));
    CHECK(same_double(dm::expm1(-kInf), -1.0));
    CHECK(same_double(dm::expm1(kDenormMin), kDenormMin));
    CHECK(std::isnan(dm::expm1(kNaN)));
    // log / log1p
    CHECK(same_double(dm::log(1.0), 0.0));
    CHECK(same_double(dm::log(0.0), -kInf));
    CHECK(same_double(dm::log(-0.0), -kInf));
    CHECK(std::isnan(dm::log(-1.0)));
    CHECK(std::isnan(dm::log(-kInf)));
    CHECK(std::isnan(dm::log(-kDenormMin)));
    CHECK(same_double(dm::log(kInf), kInf));
    CHECK(std::isnan(dm::log(kNaN)));
    CHECK(same_double(dm::log1p(0.0), 0.0));
    CHECK(same_double(dm::log1p(-0.0), -0.0));
    CHECK(same_double(dm::log1p(-1.0), -kInf));
    CHECK(std::isnan(dm::log1p(-1.5)));
    CHECK(std::isnan(dm::log1p(-kInf)));
    CHECK(same_double(dm::log1p(kInf), kInf));
    CHECK(same_double(dm::log1p(-kDenormMin), -kDenormMin));
    // pow (F.10.4.4)
    for (double x : {0.0, -0.0, 1.0, -1.0, 2.0, -2.5, kInf, -kInf, kNaN}) {
        CHECK(same_double(dm::pow(x, 0.0), 1.0));
        CHECK(same_double(dm::pow(x, -0.0), 1.0));
    }
    for (double y : {0.0, 1.0, -3.0, 0.5, kInf, -kInf, kNaN}) CHECK(same_double(dm::pow(1.0, y), 1.0));
    CHECK(same_double(dm::pow(0.0, -3.0), kInf));
    CHECK(same_double(dm::pow(-0.0, -3.0), -kInf));
    CHECK(same_double(dm::pow(0.0, -2.0), kInf));
    CHECK(same_double(dm::pow(-0.0, -2.0), kInf));
    CHECK(same_double(dm::pow(-0.0, -0.5), kInf));
    CHECK(same_double(dm::pow(-0.0, -kInf), kInf));
    CHECK(same_double(dm::pow(0.0, 3.0), 0.0));
    CHECK(same_double(dm::pow(-0.0, 3.0), -0.0));
    CHECK(same_double(dm::pow(-0.0, 2.0), 0.0));
    CHECK(same_double(dm::pow(-0.0, 0.5), 0.0));
    CHECK(same_double(dm::pow(-0.0, kInf), 0.0));
    CHECK(same_double(dm::pow(-1.0, kInf), 1.0));
    CHECK(same_double(dm::pow(-1.0, -kInf), 1.0));
    CHECK(std::isnan(dm::pow(-2.0, 0.5)));
    CHECK(std::isnan(dm::pow(-kMin, 1.5)));
    CHECK(same_double(dm::pow(0.5, -kInf), kInf));
    CHECK(same_double(dm::pow(-0.5, -kInf), kInf));
    CHECK(same_double(dm::pow(2.0, -kInf), 0.0));
    CHECK(same_double(dm::pow(0.5, kInf), 0.0));
    CHECK(same_double(dm::pow(-2.0, kInf), kInf));
    CHECK(same_double(dm::pow(-kInf, -3.0), -0.0));
    CHECK(same_double(dm::pow(-kInf, -2.0), 0.0));
    CHECK(same_double(dm::pow(-kInf, -0.5), 0.0));
    CHECK(same_double(dm::pow(-kInf, 3.0), -kInf));
    CHECK(same_double(dm::pow(-kInf, 2.0), kInf));
    CHECK(same_double(dm::pow(-kInf, 0.5), kInf));
    CHECK(same_double(dm::pow(kInf, -1.0), 0.0));
    CHECK(same_double(dm::pow(kInf, 0.5), kInf));
    CHECK(std::isnan(dm::pow(kNaN, 1.0)));
    CHECK(std::isnan(dm::pow(2.0, kNaN)));
    // Huge and tiny results, signs of odd powers of negative numbers.
    CHECK(same_double(dm::pow(-2.0, 1023.0), -0x1p1023));
    CHECK(same_double(dm::pow(-2.0, 1024.0), kInf));
    CHECK(same_double(dm::pow(-2.0, 1025.0), -kInf));
    CHECK(same_double(dm::pow(2.0, -1074.0), kDenormMin));
    CHECK(same_double(dm::pow(-2.0, -1075.0), -0.0));
    CHECK(same_double(dm::pow(2.0, -1075.0), 0.0));
    CHECK(same_double(dm::pow(-3.0, 3.0), -27.0));
    CHECK(same_double(dm::pow(10.0, 22.0), 1e22));
    CHECK(same_double(dm::pow(0.5, 0x1p70), 0.0));
    CHECK(same_double(dm::pow(1.0 + 0x1p-52, 0x1p70), kInf));
    CHECK(same_double(dm::pow(-(1.0 + 0x1p-52), 0x1p70), kInf));
}

