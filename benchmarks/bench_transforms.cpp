// Transform throughput of PowerTransformer (Yeo-Johnson, standardized),
// QuantileTransformer (1000 quantiles, uniform and normal), KBinsDiscretizer (10 quantile
// bins, ordinal) and ArbitraryDiscretiser (21 edges per column) into a separate output,
// against a memcpy of the same bytes in the same binary (the floor of any transform
// that reads its input and writes its output). 200k x 8 doubles = 12.8 MB each way.
// The rank-based fits (KBinsDiscretizer's 10 quantile bins, QuantileTransformer's 1000
// quantiles, Winsorizer's iqr) on the same 200k x 8: fit(X), which selects the ranks it
// reads, against fit(accumulator of X) in the same binary, which sorts every value; both
// give the same state (the contract suite checks it).
//
//   bench_transforms --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// Report each transform's median time over the memcpy median (a slowdown factor).
#include <benchmark/benchmark.h>

#include <reprep/discretise/arbitrary_discretiser.hpp>
#include <reprep/discretise/k_bins_discretizer.hpp>
#include <reprep/outliers/winsorizer.hpp>
#include <reprep/transform/power_transformer.hpp>
#include <reprep/transform/quantile_transformer.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace {

constexpr Eigen::Index kRows = 200000, kCols = 8;

std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Skewed data (a product of two uniforms, shifted per column), fixed seed.
const reprep::Matrix<double>& data() {
    static const reprep::Matrix<double> X = [] {
        reprep::Matrix<double> M(kRows, kCols);
        std::uint64_t s = 7;
        for (Eigen::Index j = 0; j < kCols; ++j)
            for (Eigen::Index i = 0; i < kRows; ++i) {
                const double u = static_cast<double>(splitmix(s) >> 11) * 0x1.0p-53;
                const double v = static_cast<double>(splitmix(s) >> 11) * 0x1.0p-53;
                M(i, j) = u * v * 10.0 * static_cast<double>(j + 1) - static_cast<double>(j);
            }
        return M;
    }();
    return X;
}

// Fitted on a 20k-row slice: the fit is not what is measured here.
template <class C>
const C& fitted(C c) {
    static const C f = [&] {
        c.fit(data().topRows(20000));
        return c;
    }();
    return f;
}

void set_bytes(benchmark::State& state) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * kRows * kCols * 8);
}

void BM_memcpy(benchmark::State& state) {
    const auto& X = data();
    reprep::Matrix<double> out(kRows, kCols);
    for (auto _ : state) {
        std::memcpy(out.data(), X.data(), sizeof(double) * static_cast<std::size_t>(X.size()));
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    set_bytes(state);
}

template <class C>
void run(benchmark::State& state, const C& c) {
    const auto& X = data();
    reprep::Matrix<double> out(kRows, c.n_features_out());
    for (auto _ : state) {
        c.transform_into(X, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    set_bytes(state);
}

void BM_power_yeo_johnson(benchmark::State& state) {
    run(state, fitted(reprep::PowerTransformer<>({.method = reprep::PowerMethod::yeo_johnson, .standardize = true})));
}
void BM_quantile_uniform(benchmark::State& state) {
    run(state, fitted(reprep::QuantileTransformer<>({.n_quantiles = 1000})));
}
void BM_quantile_normal(benchmark::State& state) {
    run(state, fitted(reprep::QuantileTransformer<>({.n_quantiles = 1000, .output_distribution = reprep::QuantileOutput::normal})));
}

void BM_kbins_ordinal(benchmark::State& state) {
    run(state, fitted(reprep::KBinsDiscretizer<>({.n_bins = 10, .encode = reprep::KBinsEncode::ordinal})));
}
void BM_arbitrary_discretiser(benchmark::State& state) {
    // Column j spans [-j, 9 (j + 1) - j]: 21 edges across it, infinite outer ones.
    reprep::ArbitraryDiscretiser<>::Params p;
    for (Eigen::Index j = 0; j < kCols; ++j) {
        const std::string name = "x" + std::to_string(j);
        std::vector<double> e = {-std::numeric_limits<double>::infinity()};
        for (int k = 1; k < 20; ++k) e.push_back(-static_cast<double>(j) + 0.5 * static_cast<double>(k) * static_cast<double>(j + 1));
        e.push_back(std::numeric_limits<double>::infinity());
        p.columns.push_back(name);
        p.binning_dict[name] = e;
    }
    run(state, fitted(reprep::ArbitraryDiscretiser<>(p)));
}

// fit(X) of a fresh C, or (state.range(0) == 1) fit of the accumulator of X.
template <class Make>
void fit(benchmark::State& state, Make make) {
    const auto& X = data();
    for (auto _ : state) {
        auto c = make();
        if (state.range(0) == 1) {
            auto acc = c.accumulator();
            acc.update(X);
            c.fit(acc);
        } else {
            c.fit(X);
        }
        benchmark::DoNotOptimize(&c);
    }
}
void BM_kbins_quantile_fit(benchmark::State& state) {
    fit(state, [] { return reprep::KBinsDiscretizer<>({.n_bins = 10, .encode = reprep::KBinsEncode::ordinal}); });
}
void BM_quantile_fit(benchmark::State& state) {
    fit(state, [] { return reprep::QuantileTransformer<>({.n_quantiles = 1000}); });
}
void BM_winsorizer_iqr_fit(benchmark::State& state) {
    fit(state, [] { return reprep::Winsorizer<>({.capping_method = reprep::CappingMethod::iqr}); });
}

}  // namespace

BENCHMARK(BM_memcpy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_power_yeo_johnson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_quantile_uniform)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_quantile_normal)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_kbins_ordinal)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_arbitrary_discretiser)->Unit(benchmark::kMillisecond);
// Arg 0: fit(X), by selection; arg 1: fit of the accumulator, by sorting.
BENCHMARK(BM_kbins_quantile_fit)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_quantile_fit)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_winsorizer_iqr_fit)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
