// Exact mean + variance of a 2e6 x 16 column-major matrix (ColumnMoments) against
// Eigen's colwise mean plus a second variance pass on the same matrix:
//   bench_moments --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdint>

#include <reprep/core/moments.hpp>

namespace {
constexpr Eigen::Index kRows = 2'000'000, kCols = 16;

const reprep::Matrix<double>& data() {
    static const reprep::Matrix<double> X = [] {
        reprep::Matrix<double> m(kRows, kCols);
        std::uint64_t s = 7;
        auto next = [&s] {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            return static_cast<double>(s >> 11) * 0x1p-53;
        };
        for (Eigen::Index j = 0; j < kCols; ++j)
            for (Eigen::Index i = 0; i < kRows; ++i)
                m(i, j) = (next() + next() + next() - 1.5) * static_cast<double>(j + 1) + 10.0 * static_cast<double>(j);
        return m;
    }();
    return X;
}

void BM_eigen_mean_var(benchmark::State& st) {
    const auto& X = data();
    for (auto _ : st) {
        const Eigen::RowVectorXd mean = X.colwise().mean();
        const Eigen::RowVectorXd var = (X.rowwise() - mean).colwise().squaredNorm() / static_cast<double>(kRows);
        benchmark::DoNotOptimize(mean.data());
        benchmark::DoNotOptimize(var.data());
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()) * kRows * kCols);
}

void BM_exact_moments(benchmark::State& st) {
    const auto& X = data();
    for (auto _ : st) {
        reprep::ColumnMoments<double> m;
        m.update(X);
        double acc = 0;
        for (Eigen::Index j = 0; j < kCols; ++j) acc += m.mean(j) + m.variance(j);
        benchmark::DoNotOptimize(acc);
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()) * kRows * kCols);
}
}  // namespace

BENCHMARK(BM_eigen_mean_var)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_exact_moments)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
