// reprep::dmath exp/expm1/log/log1p/pow against glibc's, 10^6 arguments per call of
// the benchmark body, same binary; and log/pow through the block functions
// (dmath_block.hpp, 256 values a call, on the path REPREP_MAX_ISA allows) against the
// scalar calls on the same arguments. Report the ratio of the medians:
//   bench_dmath_explog --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include <reprep/core/detail/dmath_block.hpp>
#include <reprep/core/dmath.hpp>

namespace {

constexpr std::size_t kN = 1'000'000;

// SplitMix64-driven arguments, fixed seed: the same inputs for both sides.
struct Args {
    std::vector<double> x, y;
    Args(double lo, double hi, bool log_uniform, std::uint64_t seed) : x(kN), y(kN) {
        std::uint64_t s = seed;
        auto next = [&s] {
            std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            return z ^ (z >> 31);
        };
        auto unit = [&] { return static_cast<double>(next() >> 11) * 0x1.0p-53; };
        for (std::size_t i = 0; i < kN; ++i) {
            x[i] = log_uniform ? std::exp2(std::log2(lo) + (std::log2(hi) - std::log2(lo)) * unit())
                               : lo + (hi - lo) * unit();
            y[i] = -30.0 + 60.0 * unit();
        }
    }
};

const Args& exp_args() { static const Args a(-700.0, 700.0, false, 1); return a; }
const Args& expm1_args() { static const Args a(-5.0, 5.0, false, 2); return a; }
const Args& log_args() { static const Args a(1e-300, 1e300, true, 3); return a; }
const Args& log1p_args() { static const Args a(-0.9, 1e6, false, 4); return a; }
const Args& pow_args() { static const Args a(1e-3, 1e3, true, 5); return a; }

template <class F>
void run1(benchmark::State& state, const Args& a, F f) {
    for (auto _ : state) {
        double acc = 0.0;
        for (double v : a.x) acc += f(v);
        benchmark::DoNotOptimize(acc);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kN));
}

template <class F>
void run2(benchmark::State& state, const Args& a, F f) {
    for (auto _ : state) {
        double acc = 0.0;
        for (std::size_t i = 0; i < kN; ++i) acc += f(a.x[i], a.y[i]);
        benchmark::DoNotOptimize(acc);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kN));
}

void BM_exp_glibc(benchmark::State& s) { run1(s, exp_args(), [](double v) { return std::exp(v); }); }
void BM_exp_reprep(benchmark::State& s) { run1(s, exp_args(), [](double v) { return reprep::dmath::exp(v); }); }
void BM_expm1_glibc(benchmark::State& s) { run1(s, expm1_args(), [](double v) { return std::expm1(v); }); }
void BM_expm1_reprep(benchmark::State& s) { run1(s, expm1_args(), [](double v) { return reprep::dmath::expm1(v); }); }
void BM_log_glibc(benchmark::State& s) { run1(s, log_args(), [](double v) { return std::log(v); }); }
void BM_log_reprep(benchmark::State& s) { run1(s, log_args(), [](double v) { return reprep::dmath::log(v); }); }
void BM_log1p_glibc(benchmark::State& s) { run1(s, log1p_args(), [](double v) { return std::log1p(v); }); }
void BM_log1p_reprep(benchmark::State& s) { run1(s, log1p_args(), [](double v) { return reprep::dmath::log1p(v); }); }
void BM_pow_glibc(benchmark::State& s) { run2(s, pow_args(), [](double a, double b) { return std::pow(a, b); }); }
void BM_pow_reprep(benchmark::State& s) { run2(s, pow_args(), [](double a, double b) { return reprep::dmath::pow(a, b); }); }

// The block functions, kBlockValues arguments a call into a buffer, summed as above.
void BM_log_reprep_block(benchmark::State& s) {
    const Args& a = log_args();
    constexpr std::size_t kB = reprep::dmath::detail::kBlockValues;
    double buf[kB];
    for (auto _ : s) {
        double acc = 0.0;
        for (std::size_t i = 0; i < kN; i += kB) {
            const std::size_t m = kN - i < kB ? kN - i : kB;
            reprep::dmath::detail::log_block(a.x.data() + i, buf, m);
            for (std::size_t k = 0; k < m; ++k) acc += buf[k];
        }
        benchmark::DoNotOptimize(acc);
    }
    s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations() * kN));
}
void BM_pow_reprep_block(benchmark::State& s) {
    const Args& a = pow_args();
    constexpr std::size_t kB = reprep::dmath::detail::kBlockValues;
    double buf[kB];
    for (auto _ : s) {
        double acc = 0.0;
        for (std::size_t i = 0; i < kN; i += kB) {
            const std::size_t m = kN - i < kB ? kN - i : kB;
            reprep::dmath::detail::pow_block(a.x.data() + i, a.y.data() + i, buf, m);
            for (std::size_t k = 0; k < m; ++k) acc += buf[k];
        }
        benchmark::DoNotOptimize(acc);
    }
    s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations() * kN));
}

}  // namespace

BENCHMARK(BM_exp_glibc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_exp_reprep)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_expm1_glibc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_expm1_reprep)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_log_glibc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_log_reprep)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_log1p_glibc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_log1p_reprep)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_pow_glibc)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_pow_reprep)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_log_reprep_block)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_pow_reprep_block)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
