// Scalers and numeric imputers, against baselines in the same binary (issue 4):
//   - transform of a 2e6 x 16 double matrix into a separate output (StandardScaler,
//     MinMaxScaler, ...) vs memcpy of the same bytes: target >= 0.9x memcpy bandwidth;
//   - StandardScaler fit vs Eigen colwise().mean() + colwise().squaredNorm(): target <= 3x.
// Run: bench_scalers --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// and divide medians (real time). benchmarks/compare_sklearn.py times scikit-learn on the
// same workloads.
#include <benchmark/benchmark.h>

#include <cstring>
#include <reprep/core/rng.hpp>
#include <reprep/impute/simple_imputer.hpp>
#include <reprep/scale/max_abs_scaler.hpp>
#include <reprep/scale/min_max_scaler.hpp>
#include <reprep/scale/normalizer.hpp>
#include <reprep/scale/robust_scaler.hpp>
#include <reprep/scale/standard_scaler.hpp>

namespace {
using reprep::Matrix;

constexpr Eigen::Index kRows = 2'000'000, kCols = 16;

// Columns with different offsets and scales, as compare_sklearn.py makes them (same
// distribution, not the same bits: the timings do not depend on the values).
const Matrix<double>& data() {
    static const Matrix<double> X = [] {
        reprep::Rng rng(42);
        Matrix<double> m(kRows, kCols);
        for (Eigen::Index j = 0; j < kCols; ++j)
            for (Eigen::Index i = 0; i < kRows; ++i) m(i, j) = 3.0 * static_cast<double>(j) + (1.0 + j) * (rng.uniform() - 0.5);
        return m;
    }();
    return X;
}

// The same data with 10% NaN, for the imputer.
const Matrix<double>& data_nan() {
    static const Matrix<double> X = [] {
        Matrix<double> m = data();
        reprep::Rng rng(7);
        for (Eigen::Index i = 0; i < m.size(); ++i)
            if (rng.uniform() < 0.1) m.data()[i] = std::numeric_limits<double>::quiet_NaN();
        return m;
    }();
    return X;
}

// One output buffer for every transform benchmark, touched once so that page faults
// are not timed.
Matrix<double>& out() {
    static Matrix<double> Y = Matrix<double>::Zero(kRows, kCols);
    return Y;
}

void set_bytes(benchmark::State& state) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * kRows * kCols * 8);
}

void BM_memcpy(benchmark::State& state) {
    const auto& X = data();
    auto& Y = out();
    for (auto _ : state) {
        std::memcpy(Y.data(), X.data(), sizeof(double) * static_cast<std::size_t>(X.size()));
        benchmark::ClobberMemory();
    }
    set_bytes(state);
}

template <class C>
void transform_into(benchmark::State& state, C& c, const Matrix<double>& X) {
    auto& Y = out();
    for (auto _ : state) {
        c.transform_into(X, Y);
        benchmark::ClobberMemory();
    }
    set_bytes(state);
}

void BM_StandardScaler_transform(benchmark::State& state) {
    reprep::StandardScaler<> s;
    s.fit(data());
    transform_into(state, s, data());
}

void BM_MinMaxScaler_transform(benchmark::State& state) {
    reprep::MinMaxScaler<> s;
    s.fit(data());
    transform_into(state, s, data());
}

void BM_MaxAbsScaler_transform(benchmark::State& state) {
    reprep::MaxAbsScaler<> s;
    s.fit(data());
    transform_into(state, s, data());
}

void BM_RobustScaler_transform(benchmark::State& state) {
    // A state with the right shape; fitting RobustScaler on 32e6 values is timed below on less data.
    const auto s = reprep::RobustScaler<>::from_state(std::vector<double>(kCols, 1.5), std::vector<double>(kCols, 2.5));
    transform_into(state, s, data());
}

void BM_SimpleImputer_transform(benchmark::State& state) {
    reprep::SimpleImputer<> s;
    s.fit(data_nan());
    transform_into(state, s, data_nan());
}

void BM_Normalizer_l2_transform(benchmark::State& state) {
    reprep::Normalizer<> s;
    s.fit(data());
    transform_into(state, s, data());
}

// The fit baseline: Eigen's (order-dependent, not exact) column means and squared norms.
void BM_Eigen_colwise_mean_squaredNorm(benchmark::State& state) {
    const auto& X = data();
    for (auto _ : state) {
        Eigen::RowVectorXd m = X.colwise().mean();
        Eigen::RowVectorXd q = X.colwise().squaredNorm();
        benchmark::DoNotOptimize(m.data());
        benchmark::DoNotOptimize(q.data());
    }
    set_bytes(state);
}

void BM_StandardScaler_fit(benchmark::State& state) {
    const auto& X = data();
    for (auto _ : state) {
        reprep::StandardScaler<> s;
        s.fit(X);
        benchmark::DoNotOptimize(s.mean().data());
    }
    set_bytes(state);
}

void BM_MinMaxScaler_fit(benchmark::State& state) {
    const auto& X = data();
    for (auto _ : state) {
        reprep::MinMaxScaler<> s;
        s.fit(X);
        benchmark::DoNotOptimize(s.scale().data());
    }
    set_bytes(state);
}

// Exact quantiles keep and sort every value: timed on the first 2e5 rows.
void BM_RobustScaler_fit_200k(benchmark::State& state) {
    const Matrix<double> X = data().topRows(200'000);
    for (auto _ : state) {
        reprep::RobustScaler<> s;
        s.fit(X);
        benchmark::DoNotOptimize(s.scale().data());
    }
}

void BM_SimpleImputer_median_fit_200k(benchmark::State& state) {
    const Matrix<double> X = data_nan().topRows(200'000);
    for (auto _ : state) {
        reprep::SimpleImputer<> s({.strategy = reprep::ImputeStrategy::median});
        s.fit(X);
        benchmark::DoNotOptimize(s.statistics().data());
    }
}

// The same fits on state.range(0) threads (FitOptions::n_jobs): one accumulator per
// block of rows, merged exactly, so the state is the 1-thread fit's bits. Real time is
// the figure (the CPU time column counts the calling thread only).
template <class Make>
void fit_jobs(benchmark::State& state, const Matrix<double>& X, Make make) {
    const reprep::FitOptions opts{.n_jobs = static_cast<int>(state.range(0))};
    for (auto _ : state) {
        auto s = make();
        s.fit(X, opts);
        benchmark::DoNotOptimize(&s);
    }
}
void BM_StandardScaler_fit_jobs(benchmark::State& state) {
    fit_jobs(state, data(), [] { return reprep::StandardScaler<>(); });
    set_bytes(state);
}
void BM_MinMaxScaler_fit_jobs(benchmark::State& state) {
    fit_jobs(state, data(), [] { return reprep::MinMaxScaler<>(); });
    set_bytes(state);
}
void BM_RobustScaler_fit_200k_jobs(benchmark::State& state) {
    const Matrix<double> X = data().topRows(200'000);
    fit_jobs(state, X, [] { return reprep::RobustScaler<>(); });
}
void BM_SimpleImputer_median_fit_200k_jobs(benchmark::State& state) {
    const Matrix<double> X = data_nan().topRows(200'000);
    fit_jobs(state, X, [] { return reprep::SimpleImputer<>({.strategy = reprep::ImputeStrategy::median}); });
}
}  // namespace

BENCHMARK(BM_memcpy)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_StandardScaler_transform)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MinMaxScaler_transform)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MaxAbsScaler_transform)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RobustScaler_transform)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SimpleImputer_transform)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Normalizer_l2_transform)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Eigen_colwise_mean_squaredNorm)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_StandardScaler_fit)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MinMaxScaler_fit)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RobustScaler_fit_200k)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SimpleImputer_median_fit_200k)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_StandardScaler_fit_jobs)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MinMaxScaler_fit_jobs)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RobustScaler_fit_200k_jobs)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SimpleImputer_median_fit_200k_jobs)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
