// read_csv throughput (bytes per second) on a synthetic mixed CSV, against two
// baselines over the same bytes in the same binary: a memchr line count (the floor
// of any parser that must at least find line ends) and a plain copy of the buffer
// (what read_csv(path | istream) adds by loading the file into memory first).
//
//   bench_csv --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// With REPREP_CSV_FILES=a.csv:b.csv in the environment it also times read_csv(path) on
// each file, with n_jobs = 1 (BM_read_csv_file/<path>) and 2 (BM_read_csv_file_jobs2/<path>),
// CPU time of the whole process: what compare_csv.py runs beside pandas.read_csv on the
// same files.
#include <benchmark/benchmark.h>

#include <reprep/core/csv.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>

namespace {

std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// 500k rows: 4 numeric columns (a short decimal, a full 17-digit double, an
// integer, one with 5% NA) and 2 categorical ones (1,000 distinct values each,
// one of them sometimes quoted), written by write_csv: about 28 MB.
const std::string& data() {
    static const std::string text = [] {
        constexpr std::size_t n = 500000;
        std::uint64_t s = 42;
        std::vector<double> a(n), b(n), c(n), d(n);
        std::vector<std::string> e(n), f(n);
        for (std::size_t i = 0; i < n; ++i) {
            a[i] = static_cast<double>(splitmix(s) % 100000) / 100.0;
            b[i] = static_cast<double>(splitmix(s) >> 11) * 0x1.0p-53 * 1000.0;
            c[i] = static_cast<double>(splitmix(s) % 5000);
            d[i] = splitmix(s) % 20 == 0 ? std::numeric_limits<double>::quiet_NaN()
                                          : static_cast<double>(splitmix(s) % 1000000) / 1000.0;
            e[i] = "city_" + std::to_string(splitmix(s) % 1000);
            f[i] = (splitmix(s) % 10 == 0 ? "brand, inc " : "brand ") + std::to_string(splitmix(s) % 1000);
        }
        reprep::Table t;
        t.add_numeric("a", a).add_numeric("b", b).add_numeric("c", c).add_numeric("d", d);
        t.add_categorical("e", e).add_categorical("f", f);
        std::ostringstream os;
        reprep::write_csv(t, os);
        return os.str();
    }();
    return text;
}

void BM_read_csv(benchmark::State& state) {
    const std::string& text = data();
    for (auto _ : state) {
        reprep::Table t = reprep::read_csv_string(text);
        benchmark::DoNotOptimize(t.num_rows());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
    state.counters["input_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_read_csv)->Unit(benchmark::kMillisecond);

// Baseline: count line feeds with memchr.
void BM_baseline_memchr_lines(benchmark::State& state) {
    const std::string& text = data();
    for (auto _ : state) {
        std::size_t lines = 0;
        const char* p = text.data();
        const char* end = p + text.size();
        while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))))) {
            ++lines;
            ++p;
        }
        benchmark::DoNotOptimize(lines);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_baseline_memchr_lines)->Unit(benchmark::kMillisecond);

// Baseline: one copy of the input.
void BM_baseline_copy(benchmark::State& state) {
    const std::string& text = data();
    for (auto _ : state) {
        std::string copy(text);
        benchmark::DoNotOptimize(copy.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_baseline_copy)->Unit(benchmark::kMillisecond);

// write_csv for completeness (shortest round-trip doubles).
void BM_write_csv(benchmark::State& state) {
    static const reprep::Table t = reprep::read_csv_string(data());
    for (auto _ : state) {
        std::ostringstream os;
        reprep::write_csv(t, os);
        benchmark::DoNotOptimize(os.tellp());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(data().size()));
}
BENCHMARK(BM_write_csv)->Unit(benchmark::kMillisecond);

// read_csv of a file named in REPREP_CSV_FILES (registered in main).
void BM_read_csv_file(benchmark::State& state, const std::string& path, int n_jobs) {
    std::uintmax_t bytes = 0;
    for (auto _ : state) {
        reprep::Table t = reprep::read_csv(path, reprep::CsvOptions{.n_jobs = n_jobs});
        benchmark::DoNotOptimize(t.num_rows());
    }
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
        std::fseek(f, 0, SEEK_END);
        bytes = static_cast<std::uintmax_t>(std::ftell(f));
        std::fclose(f);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
}

}  // namespace

int main(int argc, char** argv) {
    if (const char* files = std::getenv("REPREP_CSV_FILES")) {
        std::string list = files;
        for (std::size_t at = 0; at <= list.size();) {
            const std::size_t end = std::min(list.find(':', at), list.size());
            if (end > at) {
                const std::string path = list.substr(at, end - at);
                // CPU time of the whole process (every thread), beside the wall-clock time.
                benchmark::RegisterBenchmark(("BM_read_csv_file/" + path).c_str(), BM_read_csv_file, path, 1)
                    ->Unit(benchmark::kMillisecond)
                    ->MeasureProcessCPUTime();
                benchmark::RegisterBenchmark(("BM_read_csv_file_jobs2/" + path).c_str(), BM_read_csv_file, path, 2)
                    ->Unit(benchmark::kMillisecond)
                    ->MeasureProcessCPUTime();
            }
            at = end + 1;
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
