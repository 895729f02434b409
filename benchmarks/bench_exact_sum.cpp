// ExactSum::add(p, n) over 10^7 doubles against Eigen's vectorised .sum() and a naive
// scalar loop on the same array. Report ratios of medians:
//   bench_exact_sum --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include <Eigen/Core>
#include <reprep/core/exact_sum.hpp>

namespace {
constexpr std::size_t kN = 10'000'000;

// Normal-ish data with a spread of magnitudes (a sum of uniforms, scaled by 2^k).
const Eigen::VectorXd& data() {
    static const Eigen::VectorXd v = [] {
        Eigen::VectorXd d(static_cast<Eigen::Index>(kN));
        std::uint64_t s = 42;
        auto next = [&s] {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            return static_cast<double>(s >> 11) * 0x1p-53;
        };
        for (Eigen::Index i = 0; i < d.size(); ++i) d[i] = (next() + next() + next() - 1.5) * 1000.0;
        return d;
    }();
    return v;
}

void BM_eigen_sum(benchmark::State& st) {
    const auto& d = data();
    for (auto _ : st) benchmark::DoNotOptimize(d.sum());
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()) * static_cast<std::int64_t>(kN));
}
void BM_naive_loop(benchmark::State& st) {
    const auto& d = data();
    for (auto _ : st) {
        double s = 0.0;
        for (Eigen::Index i = 0; i < d.size(); ++i) s += d[i];
        benchmark::DoNotOptimize(s);
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()) * static_cast<std::int64_t>(kN));
}
void BM_exact_sum(benchmark::State& st) {
    const auto& d = data();
    for (auto _ : st) {
        reprep::ExactSum s;
        s.add(d.data(), kN);
        benchmark::DoNotOptimize(s.value());
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()) * static_cast<std::int64_t>(kN));
}
void BM_exact_sum_one_by_one(benchmark::State& st) {
    const auto& d = data();
    for (auto _ : st) {
        reprep::ExactSum s;
        for (std::size_t i = 0; i < kN; ++i) s.add(d[static_cast<Eigen::Index>(i)]);
        benchmark::DoNotOptimize(s.value());
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()) * static_cast<std::int64_t>(kN));
}
}  // namespace

BENCHMARK(BM_eigen_sum)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_naive_loop)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_exact_sum)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_exact_sum_one_by_one)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
