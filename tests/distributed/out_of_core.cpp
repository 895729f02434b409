// Out-of-core fitting at scale (docs/distributed.md, "The out-of-core test"): a CSV of
// 2·10^7 rows, written here, is fitted through CsvChunks by a RobustScaler ->
// QuantileTransformer -> KBinsDiscretizer (quantile) pipeline, whose every step and
// the training profile take exact ranks over several passes. The fit's peak RSS must
// stay under a stated bound; then the file is read into memory and fitted again, and
// the two fits must agree in every byte: fingerprint, each step's artifact, the profile,
// the transformed bits.
//
// A plain main (no doctest), built without sanitizers and at -O2 in every tree
// (tests/distributed/suite.cmake): ASan's shadow memory and quarantine would make the
// RSS figure meaningless, and at -O0 the 2·10^7 rows would take minutes.
//
//   out_of_core [ROWS [ROWS_PER_CHUNK]]   default 20000000 rows, 65536 per chunk
//
// Exit status 0 when every check passed; each check and figure is printed.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include <reprep/compose/pipeline.hpp>
#include <reprep/core/chunk_source.hpp>
#include <reprep/core/csv.hpp>
#include <reprep/core/rng.hpp>
#include <reprep/discretise/k_bins_discretizer.hpp>
#include <reprep/scale/robust_scaler.hpp>
#include <reprep/transform/quantile_transformer.hpp>

#include "../scratch_dir.hpp"

using namespace reprep;

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what.c_str());
    if (!ok) ++failures;
}

double peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// Appends k / 10^decimals as decimal text ("-1.23", "4567.8").
void append_fixed(std::string& out, std::int64_t k, int decimals) {
    if (k < 0) {
        out.push_back('-');
        k = -k;
    }
    char digits[24];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + k % 10);
        k /= 10;
    } while (k > 0 || n <= decimals);
    while (n > decimals) out.push_back(digits[--n]);
    out.push_back('.');
    while (n > 0) out.push_back(digits[--n]);
}

// The CSV, written in 1 MiB pieces so that writing it costs no memory: column a is a
// sum of three uniform integers in hundredths (about 600 distinct values, many ties,
// negatives), column b a product of two uniform integers in tenths (skewed, about
// 4·10^5 distinct values) with an empty cell (NaN) in about one row in 50. The short
// decimal text keeps the file near 13 bytes a row.
std::uintmax_t write_csv(const std::filesystem::path& path, std::size_t rows) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    Rng rng(20261207);
    std::string buf = "a,b\n";
    for (std::size_t i = 0; i < rows; ++i) {
        const auto a = static_cast<std::int64_t>(rng.uniform_int(200) + rng.uniform_int(200) + rng.uniform_int(200)) - 300;
        append_fixed(buf, a, 2);
        buf.push_back(',');
        const auto b = static_cast<std::int64_t>(rng.uniform_int(1000) * rng.uniform_int(1000));
        if (rng.uniform_int(50) != 0) append_fixed(buf, b, 1);
        buf.push_back('\n');
        if (buf.size() >= (std::size_t{1} << 20)) {
            std::fwrite(buf.data(), 1, buf.size(), f);
            buf.clear();
        }
    }
    std::fwrite(buf.data(), 1, buf.size(), f);
    std::fclose(f);
    return std::filesystem::file_size(path);
}

Pipeline make_pipeline() {
    return Pipeline{}
        .add("robust", RobustScaler<>({.columns = {"a", "b"}}))
        .add("quantile", QuantileTransformer<>({.columns = {"a", "b"}}))
        .add("bins", KBinsDiscretizer<>({.columns = {"a"}, .n_bins = 10, .encode = KBinsEncode::ordinal,
                                         .strategy = KBinsStrategy::quantile}));
}

// The three kinds' own chunk fits, and no other kind's compiled here (pipeline.hpp).
struct StepKinds {
    using type = std::tuple<RobustScaler<>, QuantileTransformer<>, KBinsDiscretizer<>>;
};

bool same_bits(std::span<const double> x, std::span<const double> y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

}  // namespace

static int run(int argc, char** argv) {
    const std::size_t rows = argc > 1 ? std::stoull(argv[1]) : 20'000'000;
    const std::size_t chunk_rows = argc > 2 ? std::stoull(argv[2]) : 65'536;
    // The bound on the chunked fit's peak RSS. What it holds besides the program and its
    // libraries (about 10 MiB): one block of CSV text (about 1 MiB with a 1 MiB read
    // buffer and the block copy handed to the parser), its chunk as a Table and a copy
    // per step it runs through (1 MiB each for 65 536 rows of 2 columns), and the
    // largest selection state: at most 8 MiB per column and pass
    // (MultiPassSelection::Options::budget_words) for the 2 columns, held at most three
    // times during a pass's hand-over (the pass, its bytes, the merged copy): 48 MiB.
    // That is under 70 MiB whatever the row count; the bound leaves a clear margin over
    // it, and is far below what the rows take in memory (2·10^7 rows x 2 columns of
    // doubles are 305 MiB before the file's text, which read_csv holds too).
    const double bound_mib = 128.0;

    reprep_test::ScratchDir dir;
    const auto path = dir / "train.csv";
    auto t0 = std::chrono::steady_clock::now();
    double c0 = cpu_seconds();
    const std::uintmax_t bytes = write_csv(path, rows);
    auto lap = [&](const char* what) {
        const auto t1 = std::chrono::steady_clock::now();
        const double c1 = cpu_seconds();
        std::printf("%s: %.1f s wall, %.1f s CPU, peak RSS so far %.1f MiB\n", what,
                    std::chrono::duration<double>(t1 - t0).count(), c1 - c0, peak_rss_mib());
        t0 = t1;
        c0 = c1;
    };
    std::printf("rows %zu, rows per chunk %zu, file %.1f MB\n", rows, chunk_rows, static_cast<double>(bytes) / 1e6);
    expect(bytes > 0, "the CSV was written");
    lap("write the CSV");

    // 1. Through the chunks first, so that the peak RSS is that of a process that has
    //    never held the file.
    Pipeline chunked = make_pipeline();
    chunked.fit<StepKinds>(CsvChunks(path, chunk_rows));
    const double chunked_peak = peak_rss_mib();
    lap("fit through CsvChunks");
    expect(chunked_peak < bound_mib, "peak RSS of the chunked fit " + std::to_string(chunked_peak) + " MiB < " +
                                         std::to_string(bound_mib) + " MiB");
    expect(chunked.lineage().rows == rows, "the chunked fit counted every row");
    expect(chunked.has_profile(), "the chunked fit records the training profile");

    // 2. The same rows in memory.
    const Table all = read_csv(path);
    lap("read_csv");
    Pipeline memory = make_pipeline();
    memory.fit(all);
    lap("fit(Table)");
    const double memory_peak = peak_rss_mib();
    // The bound has teeth: holding the rows costs far more than it allows.
    expect(memory_peak > 2 * bound_mib, "peak RSS after the in-memory fit " + std::to_string(memory_peak) +
                                            " MiB > twice the bound");

    expect(fingerprint(chunked) == fingerprint(memory), "same fingerprint");
    expect(save_bytes(chunked.step<RobustScaler<>>("robust")) == save_bytes(memory.step<RobustScaler<>>("robust")),
           "same RobustScaler artifact");
    expect(save_bytes(chunked.step<QuantileTransformer<>>("quantile")) ==
               save_bytes(memory.step<QuantileTransformer<>>("quantile")),
           "same QuantileTransformer artifact");
    expect(save_bytes(chunked.step<KBinsDiscretizer<>>("bins")) == save_bytes(memory.step<KBinsDiscretizer<>>("bins")),
           "same KBinsDiscretizer artifact");
    expect(chunked.has_profile() && chunked.profile().bytes() == memory.profile().bytes(), "same training profile");

    // The transform of every 997th row gives the same bits.
    std::vector<std::size_t> some;
    for (std::size_t i = 0; i < rows; i += 997) some.push_back(i);
    const Table sample = all.rows(some);
    const Table x = chunked.transform(sample), y = memory.transform(sample);
    bool same = x.column_names() == y.column_names();
    for (const auto& n : x.column_names()) same = same && same_bits(x.numeric(n), y.numeric(n));
    expect(same, "same transformed bits on " + std::to_string(some.size()) + " rows");
    lap("compare");

    std::printf("%s\n", failures == 0 ? "all checks passed" : "SOME CHECKS FAILED");
    return failures == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
    // Any error fails the test after unwinding, so the scratch directory and its file go.
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::printf("FAILED: %s\n", e.what());
        return 1;
    }
}
