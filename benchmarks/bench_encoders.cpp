// OneHotEncoder and OrdinalEncoder transform throughput (rows per second) on
// 10^6 rows x 4 string columns of 1,000 distinct values each, against a baseline in
// the same binary (wall-clock time, as the Python side measures): gathering each row's dictionary code into a double (the floor of
// any dictionary-encoded transform). benchmarks/compare_sklearn.py encoders times
// scikit-learn 1.2 on the very same strings (value of row i, column j:
// "cat_" + splitmix64(4 i + j) mod 1000).
//
//   bench_encoders --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <reprep/encode/one_hot_encoder.hpp>
#include <reprep/encode/ordinal_encoder.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace {

// Built with += because GCC 12's -Wrestrict misfires on "literal" + std::to_string(...).
std::string name(const char* prefix, std::uint64_t k) {
    std::string s = prefix;
    s += std::to_string(k);
    return s;
}

constexpr std::size_t kRows = 1'000'000, kCols = 4, kDistinct = 1000;

std::uint64_t splitmix64(std::uint64_t x) {
    std::uint64_t z = x + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

const reprep::Table& data() {
    static const reprep::Table t = [] {
        reprep::Table table;
        for (std::size_t j = 0; j < kCols; ++j) {
            std::vector<std::string> v(kRows);
            for (std::size_t i = 0; i < kRows; ++i) v[i] = name("cat_", splitmix64(4 * i + j) % kDistinct);
            table.add_categorical(name("c", j), v);
        }
        return table;
    }();
    return t;
}

void rows_per_second(benchmark::State& state) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kRows));
}

// Baseline: one pass over each column's codes into a dense double matrix.
void BM_Baseline_GatherCodes(benchmark::State& state) {
    const auto& t = data();
    for (auto _ : state) {
        reprep::Matrix<double> out(static_cast<Eigen::Index>(kRows), static_cast<Eigen::Index>(kCols));
        for (std::size_t j = 0; j < kCols; ++j) {
            const auto& codes = t.categorical(name("c", j)).codes;
            double* o = out.data() + j * kRows;
            for (std::size_t i = 0; i < kRows; ++i) o[i] = static_cast<double>(codes[i]);
        }
        benchmark::DoNotOptimize(out.data());
    }
    rows_per_second(state);
}
BENCHMARK(BM_Baseline_GatherCodes)->Unit(benchmark::kMillisecond)->UseRealTime();

// scikit-learn's default output (sparse CSR), 4,000 output columns.
void BM_OneHot_TransformSparse(benchmark::State& state) {
    const auto& t = data();
    reprep::OneHotEncoder e({.handle_unknown = reprep::HandleUnknown::ignore});
    e.fit(t);
    for (auto _ : state) {
        auto m = e.transform_sparse(t);
        benchmark::DoNotOptimize(m.indices.data());
    }
    rows_per_second(state);
}
BENCHMARK(BM_OneHot_TransformSparse)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Ordinal_TransformMatrix(benchmark::State& state) {
    const auto& t = data();
    reprep::OrdinalEncoder e;
    e.fit(t);
    for (auto _ : state) {
        auto m = e.transform_matrix(t);
        benchmark::DoNotOptimize(m.data());
    }
    rows_per_second(state);
}
BENCHMARK(BM_Ordinal_TransformMatrix)->Unit(benchmark::kMillisecond)->UseRealTime();

// Table in, Table out (the pipeline path): includes copying the input table.
void BM_Ordinal_TransformTable(benchmark::State& state) {
    const auto& t = data();
    reprep::OrdinalEncoder e;
    e.fit(t);
    for (auto _ : state) {
        auto out = e.transform(t);
        benchmark::DoNotOptimize(out.num_rows());
    }
    rows_per_second(state);
}
BENCHMARK(BM_Ordinal_TransformTable)->Unit(benchmark::kMillisecond)->UseRealTime();

// The single-row (serving) path: one record of 4 strings at a time, no allocation.
void BM_Ordinal_TransformRow(benchmark::State& state) {
    const auto& t = data();
    reprep::OrdinalEncoder e;
    e.fit(t);
    std::vector<std::optional<std::string_view>> record(kCols);
    std::vector<double> out(kCols);
    constexpr std::size_t n = 100'000;
    std::vector<const reprep::CategoricalColumn*> cols;
    for (std::size_t j = 0; j < kCols; ++j) cols.push_back(&t.categorical(name("c", j)));
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < kCols; ++j) record[j] = cols[j]->dictionary[static_cast<std::size_t>(cols[j]->codes[i])];
            e.transform_row(record, out);
            benchmark::DoNotOptimize(out.data());
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Ordinal_TransformRow)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_OneHot_Fit(benchmark::State& state) {
    const auto& t = data();
    for (auto _ : state) {
        reprep::OneHotEncoder e;
        e.fit(t);
        benchmark::DoNotOptimize(e.n_features_out());
    }
    rows_per_second(state);
}
BENCHMARK(BM_OneHot_Fit)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
BENCHMARK_MAIN();
