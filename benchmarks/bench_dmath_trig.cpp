// dmath sin/cos/erf/erfc/norm_cdf/norm_ppf against glibc on 10^6 arguments, same binary.
//
//   bench_dmath_trig --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Ratios of interest: dmath_X / glibc_X for the same argument set, and
// dmath_sincos_block_X (sin and cos of each argument through dmath_block.hpp's
// sincos_block, 256 a call, on the path REPREP_MAX_ISA allows) / dmath_sincos_X (the
// two scalar calls). norm_ppf has no glibc
// counterpart; its baseline is glibc erfc plus one Newton step from the same AS241 start
// (roughly what a careful double-only implementation costs).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include <reprep/core/detail/dmath_block.hpp>
#include <reprep/core/dmath.hpp>

namespace {

constexpr std::size_t kN = 1000000;

std::vector<double> make_args(double lo, double hi, std::uint64_t seed) {
    std::vector<double> v(kN);
    std::uint64_t s = seed;
    for (auto& d : v) {
        s += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = s;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        d = lo + (hi - lo) * (static_cast<double>(z >> 11) * 0x1.0p-53);
    }
    return v;
}

template <class F>
void run(benchmark::State& state, const std::vector<double>& xs, F f) {
    for (auto _ : state) {
        double acc = 0.0;
        for (double x : xs) acc += f(x);
        benchmark::DoNotOptimize(acc);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * xs.size()));
}

const std::vector<double>& trig_small() { static auto v = make_args(-10.0, 10.0, 1); return v; }
const std::vector<double>& trig_large() { static auto v = make_args(-1e6, 1e6, 2); return v; }
const std::vector<double>& erf_args() { static auto v = make_args(-6.0, 6.0, 3); return v; }
const std::vector<double>& erfc_args() { static auto v = make_args(-2.0, 27.0, 4); return v; }
const std::vector<double>& prob_args() { static auto v = make_args(0x1p-30, 1.0 - 0x1p-30, 5); return v; }

double glibc_sin(double x) { return std::sin(x); }
double glibc_cos(double x) { return std::cos(x); }
double glibc_erf(double x) { return std::erf(x); }
double glibc_erfc(double x) { return std::erfc(x); }
double glibc_norm_cdf(double x) { return 0.5 * std::erfc(-x * 0.70710678118654752440); }

}  // namespace

#define REPREP_BENCH_PAIR(name, args, ours, theirs)                                                  \
    static void dmath_##name(benchmark::State& s) { run(s, args(), [](double x) { return ours(x); }); } \
    static void glibc_##name(benchmark::State& s) { run(s, args(), [](double x) { return theirs(x); }); } \
    BENCHMARK(dmath_##name)->Unit(benchmark::kMillisecond);                                          \
    BENCHMARK(glibc_##name)->Unit(benchmark::kMillisecond);

REPREP_BENCH_PAIR(sin_small, trig_small, reprep::dmath::sin, glibc_sin)
REPREP_BENCH_PAIR(cos_small, trig_small, reprep::dmath::cos, glibc_cos)
REPREP_BENCH_PAIR(sin_1e6, trig_large, reprep::dmath::sin, glibc_sin)
namespace {
void sincos_scalar_run(benchmark::State& state, const std::vector<double>& xs) {
    run(state, xs, [](double x) { return reprep::dmath::sin(x) + reprep::dmath::cos(x); });
}
void sincos_block_run(benchmark::State& state, const std::vector<double>& xs) {
    constexpr std::size_t kB = reprep::dmath::detail::kBlockValues;
    double s[kB], c[kB];
    for (auto _ : state) {
        double acc = 0.0;
        for (std::size_t i = 0; i < xs.size(); i += kB) {
            const std::size_t m = xs.size() - i < kB ? xs.size() - i : kB;
            reprep::dmath::detail::sincos_block(xs.data() + i, s, c, m);
            for (std::size_t k = 0; k < m; ++k) acc += s[k] + c[k];
        }
        benchmark::DoNotOptimize(acc);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * xs.size()));
}
void dmath_sincos_small(benchmark::State& s) { sincos_scalar_run(s, trig_small()); }
void dmath_sincos_block_small(benchmark::State& s) { sincos_block_run(s, trig_small()); }
void dmath_sincos_1e6(benchmark::State& s) { sincos_scalar_run(s, trig_large()); }
void dmath_sincos_block_1e6(benchmark::State& s) { sincos_block_run(s, trig_large()); }
}  // namespace
BENCHMARK(dmath_sincos_small)->Unit(benchmark::kMillisecond);
BENCHMARK(dmath_sincos_block_small)->Unit(benchmark::kMillisecond);
BENCHMARK(dmath_sincos_1e6)->Unit(benchmark::kMillisecond);
BENCHMARK(dmath_sincos_block_1e6)->Unit(benchmark::kMillisecond);
REPREP_BENCH_PAIR(cos_1e6, trig_large, reprep::dmath::cos, glibc_cos)

static void dmath_sin_huge(benchmark::State& s) {
    static auto v = [] {
        auto a = make_args(1.0, 2.0, 9);
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = std::ldexp(a[i], static_cast<int>(30 + i % 990));
        return a;
    }();
    run(s, v, [](double x) { return reprep::dmath::sin(x); });
}
static void glibc_sin_huge(benchmark::State& s) {
    static auto v = [] {
        auto a = make_args(1.0, 2.0, 9);
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = std::ldexp(a[i], static_cast<int>(30 + i % 990));
        return a;
    }();
    run(s, v, [](double x) { return std::sin(x); });
}
BENCHMARK(dmath_sin_huge)->Unit(benchmark::kMillisecond);
BENCHMARK(glibc_sin_huge)->Unit(benchmark::kMillisecond);

REPREP_BENCH_PAIR(erf, erf_args, reprep::dmath::erf, glibc_erf)
REPREP_BENCH_PAIR(erfc, erfc_args, reprep::dmath::erfc, glibc_erfc)
REPREP_BENCH_PAIR(norm_cdf, erf_args, reprep::dmath::norm_cdf, glibc_norm_cdf)

// Baseline for norm_ppf: the same kind of algorithm with glibc pieces only (a double
// AS241-quality start from our kernel, then one Newton step with glibc erfc and exp).
static double glibc_ppf_newton(double p) {
    const double x0 = reprep::detail::erfk::as241(p);
    const double r = 0.5 * std::erfc(-x0 * 0.70710678118654752440) - p;
    return x0 - r * 2.50662827463100050242 * std::exp(0.5 * x0 * x0);
}
REPREP_BENCH_PAIR(norm_ppf, prob_args, reprep::dmath::norm_ppf, glibc_ppf_newton)

BENCHMARK_MAIN();
