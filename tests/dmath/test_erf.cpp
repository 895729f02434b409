// dmath::erf, erfc, norm_cdf and norm_ppf against MPFR: >= 10^6 arguments per function
// over the whole range, with the dense regions (erfc tail into the subnormals, ppf near
// 0, 1/2 and 1, subnormal p) and the edges. Prints the ulp table.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <vector>

#include <reprep/core/dmath.hpp>

#include "mpfr_oracle.hpp"

using reprep_test::Mpfr;
using reprep_test::TestRng;
using reprep_test::UlpStats;

namespace {

// MPFR's erf/erfc cost 5-50 us per call, so the default run checks 1/25 of the
// arguments (~4.5 * 10^4 per function, a few seconds each); REPREP_DMATH_FULL=1 runs the
// full >= 10^6 per function (a few minutes), which is what docs/dmath.md reports.
bool full_run() {
    const char* e = std::getenv("REPREP_DMATH_FULL");
    return e != nullptr && e[0] == '1';
}
int n_args(int n) { return full_run() ? n : n / 25; }

// 100 bits: enough to measure ulps of a double to 2^-40 and to decide correct rounding
// except within 2^-47 ulp of a midpoint; cheaper than the oracle's default precision.
constexpr mpfr_prec_t kPrec = 100;

reprep_test::UlpCheck ref1(reprep_test::MpfrFn1 f, double x, double got) {
    Mpfr in(64), out(kPrec);
    mpfr_set_d(in, x, MPFR_RNDN);
    f(out, in, MPFR_RNDN);
    return reprep_test::check_against(got, out);
}

// Phi(x) = erfc(-x / sqrt2) / 2 at the reference precision (x exact).
void mpfr_norm_cdf(mpfr_ptr out, double x) {
    Mpfr t(kPrec + 64), s(kPrec + 64);
    mpfr_set_d(t, -x, MPFR_RNDN);
    mpfr_sqrt_ui(s, 2, MPFR_RNDN);
    mpfr_div(t, t, s, MPFR_RNDN);
    mpfr_erfc(out, t, MPFR_RNDN);
    mpfr_div_2ui(out, out, 1, MPFR_RNDN);
}

reprep_test::UlpCheck check_norm_cdf(double x, double got) {
    Mpfr ref(kPrec);
    mpfr_norm_cdf(ref, x);
    return reprep_test::check_against(got, ref);
}

// Phi^-1(p) by Newton's method in MPFR, started from `start` (the value under test, so
// a handful of quadratically converging steps suffice). The solution is then verified:
// |Phi(x) - p| must be below 2^-110 p, or the check reports an infinite error.
reprep_test::UlpCheck check_norm_ppf(double p, double got) {
    Mpfr x(kPrec + 28), f(kPrec + 28), d(kPrec + 28), pp(kPrec + 28), sq2pi(kPrec + 28);
    if (!(p > 0.0 && p < 1.0) || !std::isfinite(got)) {
        // Edges: the exact values are -Inf, +Inf or NaN.
        if (p == 0.0) mpfr_set_inf(x, -1);
        else if (p == 1.0) mpfr_set_inf(x, 1);
        else if (!(p >= 0.0 && p <= 1.0)) mpfr_set_nan(x);
        else {  // p in (0,1) but got is not finite: measure against a far-off value
            reprep_test::UlpCheck r;
            r.ulps = std::numeric_limits<double>::infinity();
            return r;
        }
        return reprep_test::check_against(got, x);
    }
    mpfr_set_d(pp, p, MPFR_RNDN);
    mpfr_const_pi(sq2pi, MPFR_RNDN);
    mpfr_mul_2ui(sq2pi, sq2pi, 1, MPFR_RNDN);
    mpfr_sqrt(sq2pi, sq2pi, MPFR_RNDN);
    mpfr_set_d(x, got, MPFR_RNDN);
    for (int it = 0; it < 6; ++it) {
        // f = Phi(x) - p ; d = phi(x) = exp(-x^2/2)/sqrt(2pi)
        Mpfr t(kPrec + 28), s(kPrec + 28);
        mpfr_sqrt_ui(s, 2, MPFR_RNDN);
        mpfr_div(t, x, s, MPFR_RNDN);
        mpfr_neg(t, t, MPFR_RNDN);
        mpfr_erfc(f, t, MPFR_RNDN);
        mpfr_div_2ui(f, f, 1, MPFR_RNDN);
        mpfr_sub(f, f, pp, MPFR_RNDN);
        mpfr_sqr(d, x, MPFR_RNDN);
        mpfr_div_2ui(d, d, 1, MPFR_RNDN);
        mpfr_neg(d, d, MPFR_RNDN);
        mpfr_exp(d, d, MPFR_RNDN);
        mpfr_div(d, d, sq2pi, MPFR_RNDN);
        mpfr_div(f, f, d, MPFR_RNDN);
        mpfr_sub(x, x, f, MPFR_RNDN);
        if (it >= 2 && (mpfr_zero_p(f) || mpfr_get_exp(f) < mpfr_get_exp(x) - 118)) break;
    }
    // Verify the root: the relative residual must be tiny.
    {
        Mpfr t(kPrec + 28), s(kPrec + 28);
        mpfr_sqrt_ui(s, 2, MPFR_RNDN);
        mpfr_div(t, x, s, MPFR_RNDN);
        mpfr_neg(t, t, MPFR_RNDN);
        mpfr_erfc(f, t, MPFR_RNDN);
        mpfr_div_2ui(f, f, 1, MPFR_RNDN);
        mpfr_sub(f, f, pp, MPFR_RNDN);
        mpfr_div(f, f, pp, MPFR_RNDN);
        if (!mpfr_zero_p(f) && mpfr_get_exp(f) > -110 && !mpfr_zero_p(x)) {
            reprep_test::UlpCheck r;
            r.ulps = std::numeric_limits<double>::infinity();
            return r;
        }
    }
    return reprep_test::check_against(got, x);
}

template <class Gen, class Fn, class Check>
UlpStats region(const std::string& name, int n, Gen&& gen, Fn&& fn, Check&& check) {
    UlpStats s(name);
    for (int i = 0; i < n; ++i) {
        const double x = gen(i);
        const double y = fn(x);
        s.add(check(x, y), y, x);
    }
    return s;
}

std::vector<double> edges() {
    std::vector<double> v;
    for (double d : std::initializer_list<double>{0.0, DBL_TRUE_MIN, DBL_MIN, 0x1p-26, 0.5, 1.0, 2.0, 5.8, 5.9, 6.0,
                                                  8.3, 26.5, 26.55, 27.0, 27.2, 27.22, 27.23, 27.3, 27.5, 30.0,
                                                  38.4, 38.5, 40.0, DBL_MAX, double(INFINITY), double(NAN)})
        for (int k = -40; k <= 40; ++k) {
            v.push_back(TestRng::step(d, k));
            v.push_back(-TestRng::step(d, k));
        }
    return v;
}

void finish(std::vector<UlpStats>& rows, const char* name) {
    UlpStats all(name);
    for (const auto& r : rows) all.merge(r);
    rows.push_back(all);
    std::printf("%s", reprep_test::format_ulp_table(rows).c_str());
    CHECK(all.count >= (full_run() ? 1000000u : 40000u));
    CHECK(all.max_ulps <= 1.0);
}

}  // namespace

TEST_CASE("erf is within 1 ulp of MPFR") {
    TestRng rng(0xe7f1);
    auto f = [](double x) { return reprep::dmath::erf(x); };
    auto c = [](double x, double y) { return ref1(mpfr_erf, x, y); };
    std::vector<UlpStats> rows;
    rows.push_back(region("erf random bits", n_args(150000), [&](int) { return rng.any_bits(); }, f, c));
    rows.push_back(region("erf log-uniform", n_args(250000), [&](int) { return rng.log_uniform(0x1p-1074, 8.0, true); }, f, c));
    rows.push_back(region("erf |x|<6", n_args(550000), [&](int) { return rng.uniform(-6.0, 6.0); }, f, c));
    rows.push_back(region("erf near 1/2", n_args(50000), [&](int) { return rng.near(0.5, 1u << 20) * ((rng.next() & 1) ? 1 : -1); }, f, c));
    const auto e = edges();
    rows.push_back(region("erf edges", static_cast<int>(e.size()), [&](int i) { return e[static_cast<std::size_t>(i)]; }, f, c));
    finish(rows, "erf");
    CHECK(std::signbit(reprep::dmath::erf(-0.0)));
    CHECK(reprep::dmath::erf(INFINITY) == 1.0);
    CHECK(reprep::dmath::erf(-INFINITY) == -1.0);
}

TEST_CASE("erfc is within 1 ulp of MPFR, through the tail into the subnormals") {
    TestRng rng(0xe7f2);
    auto f = [](double x) { return reprep::dmath::erfc(x); };
    auto c = [](double x, double y) { return ref1(mpfr_erfc, x, y); };
    std::vector<UlpStats> rows;
    rows.push_back(region("erfc random bits", n_args(150000), [&](int) { return rng.any_bits(); }, f, c));
    rows.push_back(region("erfc log-uniform", n_args(150000), [&](int) { return rng.log_uniform(0x1p-1074, 64.0, true); }, f, c));
    rows.push_back(region("erfc [-6,0.5]", n_args(200000), [&](int) { return rng.uniform(-6.0, 0.5); }, f, c));
    rows.push_back(region("erfc [0.5,27.3]", n_args(400000), [&](int) { return rng.uniform(0.5, 27.3); }, f, c));
    rows.push_back(region("erfc subnormal", n_args(100000), [&](int) { return rng.uniform(26.5, 27.25); }, f, c));
    const auto e = edges();
    rows.push_back(region("erfc edges", static_cast<int>(e.size()), [&](int i) { return e[static_cast<std::size_t>(i)]; }, f, c));
    finish(rows, "erfc");
    CHECK(reprep::dmath::erfc(INFINITY) == 0.0);
    CHECK(reprep::dmath::erfc(-INFINITY) == 2.0);
    CHECK(std::isnan(reprep::dmath::erfc(NAN)));
}

TEST_CASE("norm_cdf is within 1 ulp of MPFR") {
    TestRng rng(0xe7f3);
    auto f = [](double x) { return reprep::dmath::norm_cdf(x); };
    auto c = [](double x, double y) { return check_norm_cdf(x, y); };
    std::vector<UlpStats> rows;
    rows.push_back(region("cdf random bits", n_args(150000), [&](int) { return rng.any_bits(); }, f, c));
    rows.push_back(region("cdf log-uniform", n_args(150000), [&](int) { return rng.log_uniform(0x1p-1074, 64.0, true); }, f, c));
    rows.push_back(region("cdf [-39,9]", n_args(600000), [&](int) { return rng.uniform(-39.0, 9.0); }, f, c));
    rows.push_back(region("cdf subnormal", n_args(100000), [&](int) { return rng.uniform(-38.5, -37.5); }, f, c));
    const auto e = edges();
    rows.push_back(region("cdf edges", static_cast<int>(e.size()), [&](int i) { return e[static_cast<std::size_t>(i)]; }, f, c));
    finish(rows, "norm_cdf");
}

TEST_CASE("norm_ppf is within 1 ulp of the MPFR root of Phi(x) = p") {
    TestRng rng(0xe7f4);
    auto f = [](double p) { return reprep::dmath::norm_ppf(p); };
    auto c = [](double p, double y) { return check_norm_ppf(p, y); };
    std::vector<UlpStats> rows;
    rows.push_back(region("ppf uniform", n_args(400000), [&](int) { return rng.unit(); }, f, c));
    rows.push_back(region("ppf log-uniform", n_args(250000), [&](int) { return rng.log_uniform(0x1p-1074, 0.5); }, f, c));
    rows.push_back(region("ppf near 1", n_args(150000), [&](int) { return 1.0 - rng.log_uniform(0x1p-53, 0.5); }, f, c));
    rows.push_back(region("ppf near 1/2", n_args(150000), [&](int) { return 0.5 + rng.log_uniform(0x1p-60, 0.1, true); }, f, c));
    rows.push_back(region("ppf subnormal p", n_args(50000), [&](int) { return rng.log_uniform(0x1p-1074, 0x1p-1022); }, f, c));
    std::vector<double> e;
    for (double d : std::initializer_list<double>{0.0, DBL_TRUE_MIN, DBL_MIN, 0.075, 0.25, 0.5, 0.75, 0.925, 1.0})
        for (int k = -40; k <= 40; ++k) e.push_back(TestRng::step(d, k));
    for (double d : std::initializer_list<double>{-1.0, 2.0, double(INFINITY), -double(INFINITY), double(NAN)}) e.push_back(d);
    rows.push_back(region("ppf edges", static_cast<int>(e.size()), [&](int i) { return e[static_cast<std::size_t>(i)]; }, f, c));
    finish(rows, "norm_ppf");
    CHECK(reprep::dmath::norm_ppf(0.0) == -INFINITY);
    CHECK(reprep::dmath::norm_ppf(1.0) == INFINITY);
    CHECK(std::isnan(reprep::dmath::norm_ppf(-0.5)));
    CHECK(std::isnan(reprep::dmath::norm_ppf(NAN)));
    CHECK(reprep::dmath::norm_ppf(0.5) == 0.0);
}

TEST_CASE("float overloads of erf, erfc, norm_cdf, norm_ppf round once") {
    TestRng rng(0xe7f5);
    UlpStats se("erff"), sc("erfcf");
    for (int i = 0; i < 100000; ++i) {
        const float x = static_cast<float>(rng.uniform(-10.0, 10.0));
        Mpfr in(64), out;
        mpfr_set_flt(in, x, MPFR_RNDN);
        mpfr_erf(out, in, MPFR_RNDN);
        const float ge = reprep::dmath::erf(x);
        se.add(reprep_test::check_against_float(ge, out), ge, x);
        mpfr_erfc(out, in, MPFR_RNDN);
        const float gc = reprep::dmath::erfc(x);
        sc.add(reprep_test::check_against_float(gc, out), gc, x);
    }
    std::printf("%s", reprep_test::format_ulp_table({se, sc}).c_str());
    CHECK(se.max_ulps <= 0.51);
    CHECK(sc.max_ulps <= 0.51);
    CHECK(reprep::dmath::norm_ppf(0.5f) == 0.0f);
    CHECK(reprep::dmath::norm_cdf(0.0f) == 0.5f);
}
