// dmath::sin / cos against MPFR: >= 10^6 arguments per function over the whole double
// range, with the hard argument-reduction cases and the edges. Prints the ulp table.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <vector>

#include <reprep/core/dmath.hpp>

#include "mpfr_oracle.hpp"

using reprep_test::check1;
using reprep_test::TestRng;
using reprep_test::UlpStats;

namespace {

void check_both(double x, UlpStats& s, UlpStats& c) {
    const double gs = reprep::dmath::sin(x);
    const double gc = reprep::dmath::cos(x);
    s.add(check1(mpfr_sin, x, gs), gs, x);
    c.add(check1(mpfr_cos, x, gc), gc, x);
}

// Arguments whose distance to a multiple of pi/2 is tiny relative to their size: the
// classic worst cases for argument reduction (Muller, "Elementary Functions", and the
// double-precision worst case 6381956970095103 * 2^797), plus the nearest doubles to
// k*pi/2 for a range of k.
std::vector<double> hard_arguments() {
    std::vector<double> v = {0x1.6ac5b262ca1ffp+849, 6381956970095103.0 * 0x1p797, 0x1.921fb54442d18p+0,
                             0x1.921fb54442d18p+1, 0x1.921fb54442d18p+2, 0x1.2d97c7f3321d2p+1,
                             0x1.f6a7a2955385ep+2, 0x1.5fdbbe9bba775p+3, 0x1.c463abeccb2bbp+3,
                             0x1.4f4d7cb89ed5dp+1, 5.0e22, 1.0e22, 0x1.0p1023, DBL_MAX, 0x1.fffffffffffffp+19,
                             0x1p20, 0x1.0000000000001p20, 0x1.921fb54442d19p-1, 0x1.921fb54442d17p-1,
                             0x1.921fb54442d18p-1, 1.0e300, 8.0e307, 104308378.0, 355.0, 103993.0, 3.0e15};
    return v;
}

}  // namespace

TEST_CASE("sin and cos are within 1 ulp of MPFR over the whole range") {
    UlpStats s_all("sin"), c_all("cos");
    std::vector<UlpStats> rows;
    auto region = [&](const char* name, auto&& gen, int n) {
        UlpStats s(std::string("sin ") + name), c(std::string("cos ") + name);
        for (int i = 0; i < n; ++i) check_both(gen(i), s, c);
        rows.push_back(s);
        rows.push_back(c);
        s_all.merge(s);
        c_all.merge(c);
    };
    TestRng rng(0x5eed7219ULL);
    region("random bits", [&](int) { return rng.any_bits(); }, 250000);
    region("log-uniform", [&](int) { return rng.log_uniform(0x1p-1074, DBL_MAX, true); }, 200000);
    region("|x|<8", [&](int) { return rng.uniform(-8.0, 8.0); }, 250000);
    region("|x|<2^20", [&](int) { return rng.uniform(-0x1p20, 0x1p20); }, 100000);
    // Doubles next to k*pi/2: r is tiny relative to x, where cancellation bites.
    region("near k*pi/2", [&](int i) {
        const double k = (i % 3 == 0) ? static_cast<double>(1 + rng.next() % 64)
                       : (i % 3 == 1) ? static_cast<double>(1 + rng.next() % 1000000)
                                      : std::ldexp(static_cast<double>(1 + rng.next() % 1000000), static_cast<int>(rng.next() % 900));
        // k*pi/2 rounded (via long double-free MPFR) then a few ulps around it.
        reprep_test::Mpfr v(2000);
        mpfr_const_pi(v, MPFR_RNDN);
        mpfr_mul_d(v, v, k / 2.0, MPFR_RNDN);
        return rng.near(mpfr_get_d(v, MPFR_RNDN), 3);
    }, 200000);
    std::vector<double> edge = hard_arguments();
    for (double d : std::initializer_list<double>{0.0, -0.0, DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MIN, 0x1p-26, 0x1.fffffffffffffp-27, 0x1p-27,
                     0x1.fffffffffffffp-28, 1.0, -1.0, DBL_MAX, -DBL_MAX, double(INFINITY), -double(INFINITY), double(NAN)})
        edge.push_back(d);
    for (std::size_t i = 0, n = edge.size(); i < n; ++i)
        for (int k = -20; k <= 20; ++k) edge.push_back(TestRng::step(edge[i], k)), edge.push_back(-TestRng::step(edge[i], k));
    region("hard+edges", [&](int i) { return edge[static_cast<std::size_t>(i)]; }, static_cast<int>(edge.size()));

    rows.push_back(s_all);
    rows.push_back(c_all);
    std::printf("%s", reprep_test::format_ulp_table(rows).c_str());
    CHECK(s_all.count >= 1000000);
    CHECK(c_all.count >= 1000000);
    CHECK(s_all.max_ulps <= 1.0);
    CHECK(c_all.max_ulps <= 1.0);
}

TEST_CASE("sin and cos special values") {
    using reprep::dmath::cos;
    using reprep::dmath::sin;
    CHECK(std::signbit(sin(-0.0)));
    CHECK(!std::signbit(sin(0.0)));
    CHECK(cos(-0.0) == 1.0);
    CHECK(std::isnan(sin(INFINITY)));
    CHECK(std::isnan(cos(-INFINITY)));
    CHECK(std::isnan(sin(NAN)));
    CHECK(sin(DBL_TRUE_MIN) == DBL_TRUE_MIN);
    // Odd / even symmetry holds bit for bit.
    TestRng rng(11);
    for (int i = 0; i < 10000; ++i) {
        const double x = rng.finite_bits();
        REQUIRE(reprep_test::same_double(sin(-x), -sin(x)));
        REQUIRE(reprep_test::same_double(cos(-x), cos(x)));
    }
}

TEST_CASE("float overloads round the double result once") {
    TestRng rng(12);
    UlpStats fs("sinf"), fc("cosf");
    for (int i = 0; i < 200000; ++i) {
        const float x = static_cast<float>(rng.log_uniform(0x1p-149, 3.0e38, true));
        reprep_test::Mpfr in(64), out;
        mpfr_set_flt(in, x, MPFR_RNDN);
        mpfr_sin(out, in, MPFR_RNDN);
        const float gs = reprep::dmath::sin(x);
        fs.add(reprep_test::check_against_float(gs, out), gs, x);
        mpfr_cos(out, in, MPFR_RNDN);
        const float gc = reprep::dmath::cos(x);
        fc.add(reprep_test::check_against_float(gc, out), gc, x);
    }
    std::printf("%s", reprep_test::format_ulp_table({fs, fc}).c_str());
    CHECK(fs.max_ulps <= 0.51);
    CHECK(fc.max_ulps <= 0.51);
}
