// Exact quantiles and Rng: cost against plain baselines in the same binary.
//   bench_quantile --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include <reprep/core/quantile.hpp>
#include <reprep/core/rng.hpp>

namespace {
std::vector<double> data(std::size_t n) {
    reprep::Rng r(1);
    std::vector<double> v(n);
    for (auto& x : v) x = r.uniform() * 200.0 - 100.0;
    return v;
}

// Baseline: what a hand-written median would do (copy + nth_element on doubles).
void BM_baseline_nth_element(benchmark::State& st) {
    const auto v = data(static_cast<std::size_t>(st.range(0)));
    for (auto _ : st) {
        auto c = v;
        std::nth_element(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(c.size() / 2), c.end());
        benchmark::DoNotOptimize(c[c.size() / 2]);
    }
}
void BM_baseline_sort(benchmark::State& st) {
    const auto v = data(static_cast<std::size_t>(st.range(0)));
    for (auto _ : st) {
        auto c = v;
        std::sort(c.begin(), c.end());
        benchmark::DoNotOptimize(c[0]);
    }
}
void BM_quantile_median(benchmark::State& st) {
    const auto v = data(static_cast<std::size_t>(st.range(0)));
    for (auto _ : st) benchmark::DoNotOptimize(reprep::quantile(v, 0.5));
}
void BM_quantiles_3(benchmark::State& st) {
    const auto v = data(static_cast<std::size_t>(st.range(0)));
    const std::vector<double> qs = {0.25, 0.5, 0.75};
    for (auto _ : st) benchmark::DoNotOptimize(reprep::quantiles(v, qs));
}
void BM_quantiles_101(benchmark::State& st) {
    const auto v = data(static_cast<std::size_t>(st.range(0)));
    std::vector<double> qs;
    for (int i = 0; i <= 100; ++i) qs.push_back(i / 100.0);
    for (auto _ : st) benchmark::DoNotOptimize(reprep::quantiles(v, qs));
}
void BM_value_accumulator_chunks_1e4(benchmark::State& st) {
    const auto v = data(static_cast<std::size_t>(st.range(0)));
    for (auto _ : st) {
        reprep::ValueAccumulator a;
        for (std::size_t i = 0; i < v.size(); i += 10000)
            a.update(std::span<const double>(v.data() + i, std::min<std::size_t>(10000, v.size() - i)));
        benchmark::DoNotOptimize(a.quantile(0.5));
    }
}
BENCHMARK(BM_baseline_nth_element)->Arg(1000000);
BENCHMARK(BM_quantile_median)->Arg(1000000);
BENCHMARK(BM_quantiles_3)->Arg(1000000);
BENCHMARK(BM_baseline_sort)->Arg(1000000);
BENCHMARK(BM_quantiles_101)->Arg(1000000);
BENCHMARK(BM_value_accumulator_chunks_1e4)->Arg(1000000);

void BM_rng_next_u64(benchmark::State& st) {
    reprep::Rng r(1);
    for (auto _ : st) benchmark::DoNotOptimize(r.next_u64());
}
void BM_rng_uniform_int_7(benchmark::State& st) {
    reprep::Rng r(1);
    for (auto _ : st) benchmark::DoNotOptimize(r.uniform_int(7));
}
void BM_rng_uniform(benchmark::State& st) {
    reprep::Rng r(1);
    for (auto _ : st) benchmark::DoNotOptimize(r.uniform());
}
void BM_rng_normal(benchmark::State& st) {
    reprep::Rng r(1);
    for (auto _ : st) benchmark::DoNotOptimize(r.normal());
}
void BM_rng_keyed_row(benchmark::State& st) {
    std::uint64_t i = 0;
    for (auto _ : st) {
        std::string k;
        reprep::detail::append_canonical(k, static_cast<double>(++i));
        reprep::detail::append_canonical(k, std::string_view("island"));
        benchmark::DoNotOptimize(reprep::Rng::keyed(42, k).uniform());
    }
}
BENCHMARK(BM_rng_next_u64);
BENCHMARK(BM_rng_uniform_int_7);
BENCHMARK(BM_rng_uniform);
BENCHMARK(BM_rng_normal);
BENCHMARK(BM_rng_keyed_row);
}  // namespace

BENCHMARK_MAIN();
