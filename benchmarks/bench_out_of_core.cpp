// Out-of-core fitting (issue 16): the passes of exact multi-pass selection, each timed
// against one ExactSum pass over the same in-memory data, and the peak memory of a
// RobustScaler fit over a large generated chunk source against keeping every value.
//
//   bench_out_of_core --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//   bench_out_of_core --rss source 100000000    peak RSS of fit(ChunkSource), bounded state
//   bench_out_of_core --rss values 100000000    peak RSS of fit(Accumulator), every value kept
//   bench_out_of_core --csv write 20000000 F.csv; --csv fit F.csv; --csv memory F.csv
//                                               the same through CsvChunks and read_csv
// The --rss modes run one fit in a fresh process and print the passes, the fitted
// center/scale bits, the wall time and getrusage's peak RSS, so the two are comparable.
#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <reprep/core/chunk_source.hpp>
#include <reprep/core/csv.hpp>
#include <reprep/core/exact_sum.hpp>
#include <reprep/core/multi_pass_selection.hpp>
#include <reprep/core/rng.hpp>
#include <reprep/scale/robust_scaler.hpp>

namespace {

constexpr std::size_t chunk_rows = std::size_t{1} << 16;

// Chunk c of a generated column: normal values from a stream keyed on c, so the source
// yields the same rows on every read without holding them.
void fill_chunk(std::vector<double>& v, std::size_t c, std::size_t rows) {
    reprep::Rng r(1000 + c);
    v.resize(rows);
    for (auto& x : v) x = 50.0 + 10.0 * r.normal();
}

class GeneratedSource final : public reprep::ChunkSource {
public:
    explicit GeneratedSource(std::size_t rows) : rows_(rows) {}
    void for_each(const std::function<void(const reprep::Table&)>& visit) const override {
        ++reads;
        std::vector<double> v;
        for (std::size_t c = 0, done = 0; done < rows_; ++c, done += chunk_rows) {
            fill_chunk(v, c, std::min(chunk_rows, rows_ - done));
            reprep::Table t;
            t.add_numeric("x", std::move(v));
            visit(t);
            v = {};
        }
    }
    mutable std::size_t reads = 0;

private:
    std::size_t rows_;
};

std::vector<double> in_memory(std::size_t n) {
    std::vector<double> all, v;
    all.reserve(n);
    for (std::size_t c = 0, done = 0; done < n; ++c, done += chunk_rows) {
        fill_chunk(v, c, std::min(chunk_rows, n - done));
        all.insert(all.end(), v.begin(), v.end());
    }
    return all;
}

// The baseline: one exact-sum pass over the data, in chunks as a source reads them.
void BM_exact_sum_pass(benchmark::State& st) {
    const auto v = in_memory(static_cast<std::size_t>(st.range(0)));
    for (auto _ : st) {
        reprep::ExactSum s;
        for (std::size_t i = 0; i < v.size(); i += chunk_rows) s.add(v.data() + i, std::min(chunk_rows, v.size() - i));
        benchmark::DoNotOptimize(s.value());
    }
    st.SetItemsProcessed(st.iterations() * st.range(0));
}

// A whole selection of RobustScaler's ranks (median, quartiles) or of
// QuantileTransformer's 1000 quantiles, pass by pass over the same chunks as the
// baseline; counters give the passes and each pass's own time (ms).
void selection(benchmark::State& st, bool many) {
    const auto v = in_memory(static_cast<std::size_t>(st.range(0)));
    std::vector<double> pass_ms(8, 0.0);
    std::size_t passes = 0, peak = 0, first_rank = 0;
    for (auto _ : st) {
        reprep::MultiPassSelection s;
        do {
            const auto t0 = std::chrono::steady_clock::now();
            auto p = s.begin_pass();
            for (std::size_t i = 0; i < v.size(); i += chunk_rows)
                p.update(std::span<const double>(v.data() + i, std::min(chunk_rows, v.size() - i)));
            s.end_pass(p);
            if (s.passes() == 1) {
                std::vector<std::size_t> ranks;
                const auto n = static_cast<std::size_t>(s.count());
                if (many) {
                    for (std::size_t i = 0; i < 1000; ++i)
                        reprep::quantile_ranks(n, static_cast<double>(i) / 999.0, reprep::QuantileMethod::linear, ranks);
                } else {
                    for (double q : {0.25, 0.5, 0.75}) reprep::quantile_ranks(n, q, reprep::QuantileMethod::linear, ranks);
                }
                s.request(ranks);
                first_rank = ranks.front();
            }
            pass_ms[s.passes() - 1] += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        } while (!s.done());
        passes = s.passes();
        peak = s.peak_words();
        benchmark::DoNotOptimize(s.key_at(first_rank));
    }
    st.counters["passes"] = static_cast<double>(passes);
    st.counters["peak_MiB"] = static_cast<double>(peak) * 8.0 / (1024.0 * 1024.0);
    for (std::size_t k = 0; k < passes; ++k)
        st.counters["pass" + std::to_string(k + 1) + "_ms"] = pass_ms[k] / static_cast<double>(st.iterations());
    st.SetItemsProcessed(st.iterations() * st.range(0));
}

void BM_select_3_ranks(benchmark::State& st) { selection(st, false); }
void BM_select_1000_quantiles(benchmark::State& st) { selection(st, true); }

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

// --csv write N PATH: the generated column as a CSV file; --csv fit PATH: RobustScaler
// through CsvChunks(PATH, 65536); --csv memory PATH: read_csv(PATH) then fit(Table).
int csv_mode(const std::string& mode, int argc, char** argv) {
    const auto t0 = std::chrono::steady_clock::now();
    if (mode == "write" && argc == 5) {
        const std::size_t rows = std::stoull(argv[3]);
        std::FILE* f = std::fopen(argv[4], "wb");
        if (!f) return 2;
        std::fputs("x\n", f);
        std::vector<double> v;
        for (std::size_t c = 0, done = 0; done < rows; ++c, done += chunk_rows) {
            fill_chunk(v, c, std::min(chunk_rows, rows - done));
            for (double x : v) std::fprintf(f, "%.17g\n", x);
        }
        std::fclose(f);
        return 0;
    }
    if (argc != 4) return 2;
    reprep::RobustScaler<double> rs;
    if (mode == "fit") rs.fit(reprep::CsvChunks(argv[3], chunk_rows));
    else rs.fit(reprep::read_csv(std::filesystem::path(argv[3])));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("csv=%s center=%.17g scale=%.17g seconds=%.2f peak_rss_mib=%.1f\n", mode.c_str(), rs.center()[0],
                rs.scale()[0], secs, static_cast<double>(peak_rss_kib()) / 1024.0);
    return 0;
}

int rss_mode(const std::string& mode, std::size_t rows) {
    const GeneratedSource src(rows);
    const auto t0 = std::chrono::steady_clock::now();
    reprep::RobustScaler<double> rs;
    if (mode == "source") {
        rs.fit(src);
    } else {
        auto acc = rs.accumulator();
        src.for_each([&](const reprep::Table& t) { acc.update(t.to_matrix<double>({"x"})); });
        rs.fit(acc);
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("mode=%s rows=%zu reads=%zu center=%.17g scale=%.17g seconds=%.2f peak_rss_mib=%.1f\n", mode.c_str(),
                rows, src.reads, rs.center()[0], rs.scale()[0], secs, static_cast<double>(peak_rss_kib()) / 1024.0);
    return 0;
}

}  // namespace

BENCHMARK(BM_exact_sum_pass)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_select_3_ranks)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_select_1000_quantiles)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    if (argc == 4 && std::strcmp(argv[1], "--rss") == 0) return rss_mode(argv[2], std::stoull(argv[3]));
    if (argc >= 4 && std::strcmp(argv[1], "--csv") == 0) return csv_mode(argv[2], argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
