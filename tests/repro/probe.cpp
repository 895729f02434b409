// The reproducibility probe (issue 7, docs/reproducibility.md).
//
// Fits a fixed suite and prints one line per item, `name fingerprint output-hash`:
// every component on its own, two pipelines, dmath on 10^5 arguments per function,
// ExactSum values, exact quantiles, golden Rng streams, seeded splits, and every
// golden artifact of tests/golden/artifacts (written on x86-64) loaded, transformed and
// saved again. Every build
// configuration of the matrix (tests/repro/suite.cmake) must print exactly
// tests/golden/repro.txt; a diff names the item whose bits moved.
//
// Inside one run the probe also proves what one configuration can prove on its own,
// and exits 1 (after printing everything) if any of it fails:
//   - chunking: every accumulator fitted on 1, 3 and 17 chunks, merged forward and in
//     reverse, gives the fingerprint of the plain fit;
//   - row order: fitting on the rows shuffled with 3 seeds gives the same fingerprint
//     and the same output bits;
//   - threads: the whole suite run again on 1, 2 and 8 std::threads at once gives the
//     same lines (reprep's fit is single-threaded; this checks that concurrent fits
//     share nothing that changes bits);
//   - pipelines: the single-row plan gives the bits of the batch transform;
//   - golden artifacts: each loads with the fingerprint and output hash recorded in
//     expected.tsv, and saving it again gives the file's bytes;
//   - coverage: every kind of reprep::builtin_kinds has a fit item (always checked).
//
// Exit codes: 0 all good, 1 an invariance check failed, 2 bad usage or an unexpected
// exception, 3 the floating-point guard refused this build (the forced-contraction
// configuration expects exactly that).
//
// --no-checks skips the re-fits (chunking, row order, threads, single row), which take
// most of the run time, and keeps the golden-artifact comparisons; the -O0 and the two
// emulated configurations use it (docs/reproducibility.md, §3; docs/ci.md).
//
// Usage: repro_probe [--data-dir DIR] [--golden-dir DIR] [--no-checks]
#include <reprep/reprep.hpp>
#include <reprep/compose/builtin_kinds.hpp>
#include <reprep/encode/target_encoder.hpp>
#include <reprep/encode/woe_encoder.hpp>
#include <reprep/impute/random_sample_imputer.hpp>

#include "../fuzz/zoo.hpp"

#include <atomic>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#ifndef REPREP_TEST_DATA_DIR
#define REPREP_TEST_DATA_DIR "tests/data"
#endif
#ifndef REPREP_GOLDEN_DIR
#define REPREP_GOLDEN_DIR "tests/golden"
#endif

namespace {
using namespace reprep;

constexpr int kExitMismatch = 1;
constexpr int kExitError = 2;
constexpr int kExitRefused = 3;

constexpr std::size_t kRows = 100000;
constexpr std::size_t kArgs = 100000;
constexpr std::uint64_t kShuffleSeeds[] = {11, 2024, 0x9E3779B97F4A7C15ULL};
constexpr std::size_t kChunkCounts[] = {1, 3, 17};
constexpr int kThreadCounts[] = {1, 2, 8};
constexpr double kAnyFinite = std::numeric_limits<double>::infinity();  // no bound on wide arguments

// ---- failures of the in-run invariance checks ---------------------------------------
std::mutex failures_mutex;
std::vector<std::string> failures;
void mismatch(const std::string& item, const std::string& what, const std::string& got, const std::string& want) {
    std::lock_guard lock(failures_mutex);
    failures.push_back(item + ": " + what + " gave " + got + ", the plain run gave " + want);
}
void failure(const std::string& item, const std::string& text) {
    std::lock_guard lock(failures_mutex);
    failures.push_back(item + ": " + text);
}

// ---- hashing of raw output bytes -----------------------------------------------------
// Every hash below is over little-endian bytes, as reprep's own hashes are: hashing
// host memory would make the s390x (big-endian) configuration print other lines for
// values whose bits are identical.
std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}
std::string bits_hex(double x) { return hex64(std::bit_cast<std::uint64_t>(x)); }

// Appends the 8-byte values (doubles by their bit pattern) in little-endian order. The
// bytes are written in one block, not pushed one by one: hashing was about 15 % of the
// probe's run (perf, gcc-O2), and more under qemu, where every configuration of the
// matrix pays it.
template <class T>
void append_le(std::string& out, std::span<const T> v) {
    static_assert(sizeof(T) == 8);
    const std::size_t at = out.size();
    out.resize(at + v.size() * 8);
    char* dst = out.data() + at;
    if constexpr (std::endian::native == std::endian::little) {
        if (!v.empty()) std::memcpy(dst, v.data(), v.size() * 8);
    } else {
        for (const T x : v) {
            const std::uint64_t u = std::bit_cast<std::uint64_t>(x);
            for (int b = 0; b < 8; ++b) *dst++ = static_cast<char>((u >> (8 * b)) & 0xFF);
        }
    }
}
template <class T>
std::string hash_span(std::span<const T> v) {
    std::string bytes;
    append_le(bytes, v);
    return xxh3_128(bytes).hex();
}
// Column-major, as Eigen stores it.
std::string hash_matrix(const Matrix<double>& m) {
    return hash_span(std::span<const double>(m.data(), static_cast<std::size_t>(m.size())));
}

// Raw bytes of every column in table order: numeric columns as their doubles (NaN
// payloads and -0 included, so a moved bit shows), categorical columns as a tag plus
// length-prefixed bytes per row.
std::string hash_table(const Table& t) {
    std::string bytes;
    for (const auto& name : t.column_names()) {
        bytes += name;
        bytes.push_back('\0');
        if (t.type(name) == ColumnType::numeric) {
            append_le(bytes, t.numeric(name));
        } else if (t.type(name) == ColumnType::datetime) {
            append_le(bytes, t.datetime(name));
        } else {
            for (std::size_t i = 0; i < t.num_rows(); ++i) {
                if (const auto s = t.category(name, i)) {
                    bytes.push_back('\1');
                    detail::append_le64(bytes, s->size());
                    bytes.append(s->data(), s->size());
                } else {
                    bytes.push_back('\0');
                }
            }
        }
    }
    return xxh3_128(bytes).hex();
}

// ---- data ----------------------------------------------------------------------------
struct Data {
    Table synth;  // kRows rows, numeric and categorical
    std::vector<double> y_bin, y_cont, y_class;
    Table penguins;
};

// Any finite double, subnormals included: random sign, exponent field in [0, 0x7FE].
double wide(Rng& r) {
    const std::uint64_t bits = r.next_u64();
    const std::uint64_t exponent = r.uniform_int(0x7FF);
    return std::bit_cast<double>((bits & 0x800FFFFFFFFFFFFFULL) | (exponent << 52));
}

Data make_data(const std::filesystem::path& data_dir) {
    Data d;
    Rng r(20240607);
    std::vector<double> gauss_offset(kRows), heavy(kRows), cauchy(kRows), lognormal(kRows), tiny(kRows),
        nan_mix(kRows), hour(kRows), bigint(kRows);
    std::vector<std::optional<std::string>> zipf(kRows), small(kRows), utf8(kRows);
    const char* small_values[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
    const double small_cdf[] = {0.4, 0.7, 0.88, 0.97, 1.0};
    const char* utf8_values[] = {"\xC3\xA9t\xC3\xA9", "ete", "\xE6\x97\xA5\xE6\x9C\xAC", "Zebra", "zebra", ""};
    d.y_bin.resize(kRows);
    d.y_cont.resize(kRows);
    d.y_class.resize(kRows);
    for (std::size_t i = 0; i < kRows; ++i) {
        // Huge offset: the variance is 10^-12 of the squared mean, so a naive sum loses it.
        gauss_offset[i] = 1e9 + 1e3 * r.normal();
        // Scale mixture of normals: heavy tails, every value finite.
        heavy[i] = r.normal() * dmath::exp(1.5 * r.normal());
        // Ratio of normals: Cauchy, values up to ~1e5 and beyond.
        cauchy[i] = r.normal() / r.normal();
        lognormal[i] = dmath::exp(r.normal());
        // Subnormal magnitudes (2^-1060 is below DBL_MIN), with exact zeros and -0.
        const double u = r.uniform();
        tiny[i] = u < 0.05 ? 0.0 : (u < 0.1 ? -0.0 : r.normal() * 0x1p-1060);
        nan_mix[i] = r.uniform() < 0.1 ? std::numeric_limits<double>::quiet_NaN() : 5.0 + 2.0 * r.normal();
        hour[i] = static_cast<double>(r.uniform_int(24));
        bigint[i] = static_cast<double>(r.uniform_int(std::uint64_t{1} << 53)) - 0x1p52;
        // Zipf-like over 300 labels: index = floor(300^u) - 1 puts mass on small indices.
        const double zu = r.uniform();
        if (zu < 0.02) zipf[i] = std::nullopt;
        else zipf[i] = "c" + std::to_string(static_cast<int>(dmath::pow(300.0, r.uniform())) - 1);
        const double su = r.uniform();
        std::size_t k = 0;
        while (su >= small_cdf[k]) ++k;
        if (r.uniform() < 0.03) small[i] = std::nullopt;
        else small[i] = small_values[k];
        utf8[i] = utf8_values[r.uniform_int(6)];
        // The targets depend on the category, so supervised encoders have signal.
        d.y_bin[i] = r.uniform() < 0.2 + 0.15 * static_cast<double>(k) ? 1.0 : 0.0;
        d.y_cont[i] = static_cast<double>(k) + r.normal() + (zipf[i] ? 0.01 * static_cast<double>(zipf[i]->size()) : 0.0);
        // Five class labels, -1 .. 3, from values drawn above (no draw of its own, so the
        // streams of everything else stay as they were before it existed).
        d.y_class[i] = static_cast<double>((k + (d.y_bin[i] == 1.0 ? 3 : 0)) % 5) - 1.0;
    }
    d.synth.add_numeric("gauss_offset", std::move(gauss_offset))
        .add_numeric("heavy", std::move(heavy))
        .add_numeric("cauchy", std::move(cauchy))
        .add_numeric("lognormal", std::move(lognormal))
        .add_numeric("tiny", std::move(tiny))
        .add_numeric("nan_mix", std::move(nan_mix))
        .add_numeric("hour", std::move(hour))
        .add_numeric("bigint", std::move(bigint))
        .add_categorical("cat_zipf", zipf)
        .add_categorical("cat_small", small)
        .add_categorical("cat_utf8", utf8);
    d.penguins = read_csv(data_dir / "penguins.csv");
    return d;
}

// Row permutations for the row-order check.
std::vector<std::size_t> shuffled_rows(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    Rng r(seed);
    r.shuffle(idx.begin(), idx.end());
    return idx;
}

// Uneven chunk boundaries (the i-th boundary at n*i^2/k^2), so chunks differ in size.
std::vector<std::pair<std::size_t, std::size_t>> chunk_ranges(std::size_t n, std::size_t k) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t begin = 0;
    for (std::size_t i = 1; i <= k; ++i) {
        const std::size_t end = i == k ? n : n * i * i / (k * k);
        out.emplace_back(begin, end);
        begin = end;
    }
    return out;
}

Matrix<double> gather_rows(const Matrix<double>& X, const std::vector<std::size_t>& idx) {
    Matrix<double> out(static_cast<Eigen::Index>(idx.size()), X.cols());
    for (Eigen::Index j = 0; j < X.cols(); ++j)
        for (std::size_t i = 0; i < idx.size(); ++i)
            out(static_cast<Eigen::Index>(i), j) = X(static_cast<Eigen::Index>(idx[i]), j);
    return out;
}

// ---- the items -----------------------------------------------------------------------
// run() is the plain fit and transform and returns "fingerprint output-hash"; check()
// re-fits in other ways and reports any difference from that line. `cheap` checks
// (a comparison, no re-fit) run even under --no-checks.
struct Item {
    std::string name;
    std::function<std::string()> run;
    std::function<void(const std::string& expected)> check;
    bool cheap = false;
};

std::string line_of(const std::string& fp, const std::string& out) { return fp + " " + out; }

// The kinds that have a fit item, checked against reprep::builtin_kinds in main, so that
// a new kind cannot be left out of the probe unnoticed.
std::set<std::string> kinds_with_items;

// A numeric component on a matrix.
template <class C>
Item numeric_item(std::string name, C proto, Matrix<double> X) {
    kinds_with_items.insert(std::string(C::kind_name()));
    auto Xp = std::make_shared<const Matrix<double>>(std::move(X));
    auto run = [proto, Xp] {
        C c = proto;
        c.fit(*Xp);
        return line_of(fingerprint(c), hash_matrix(c.transform(*Xp)));
    };
    auto check = [name, proto, Xp](const std::string& expected) {
        const std::string fp = expected.substr(0, expected.find(' '));
        if constexpr (requires { proto.accumulator(); }) {
            for (std::size_t k : kChunkCounts) {
                std::vector<decltype(proto.accumulator())> accs;
                for (const auto& [b, e] : chunk_ranges(static_cast<std::size_t>(Xp->rows()), k)) {
                    auto a = proto.accumulator();
                    a.update(Xp->middleRows(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(e - b)));
                    accs.push_back(std::move(a));
                }
                for (bool reverse : {false, true}) {
                    auto total = reverse ? accs.back() : accs.front();
                    for (std::size_t i = 1; i < accs.size(); ++i) total.merge(reverse ? accs[accs.size() - 1 - i] : accs[i]);
                    C c = proto;
                    c.fit(total);
                    const std::string got = fingerprint(c);
                    if (got != fp)
                        mismatch(name, std::to_string(k) + " chunks merged " + (reverse ? "in reverse" : "forward"), got, fp);
                }
            }
        }
        for (std::uint64_t seed : kShuffleSeeds) {
            C c = proto;
            c.fit(gather_rows(*Xp, shuffled_rows(static_cast<std::size_t>(Xp->rows()), seed)));
            const std::string got = line_of(fingerprint(c), hash_matrix(c.transform(*Xp)));
            if (got != expected) mismatch(name, "rows shuffled with seed " + std::to_string(seed), got, expected);
        }
    };
    return {std::move(name), run, check};
}

// A component over a Table (categorical encoders and imputers, RandomSampleImputer),
// optionally supervised.
template <class C>
Item table_item(std::string name, C proto, Table t, const std::vector<double>* y = nullptr) {
    kinds_with_items.insert(std::string(C::kind_name()));
    auto tp = std::make_shared<const Table>(std::move(t));
    auto fit = [](C& c, const Table& tab, const std::vector<double>* yy) {
        if constexpr (requires { c.fit(tab, std::span<const double>()); }) {
            if (yy) {
                c.fit(tab, std::span<const double>(*yy));
                return;
            }
        }
        c.fit(tab);
    };
    auto run = [proto, tp, y, fit] {
        C c = proto;
        fit(c, *tp, y);
        return line_of(fingerprint(c), hash_table(c.transform(*tp)));
    };
    auto check = [name, proto, tp, y, fit](const std::string& expected) {
        const std::string fp = expected.substr(0, expected.find(' '));
        const std::size_t n = tp->num_rows();
        for (std::size_t k : kChunkCounts) {
            std::vector<decltype(proto.accumulator())> accs;
            for (const auto& [b, e] : chunk_ranges(n, k)) {
                std::vector<std::size_t> idx(e - b);
                for (std::size_t i = b; i < e; ++i) idx[i - b] = i;
                auto a = proto.accumulator();
                const Table chunk = tp->rows(idx);
                if constexpr (requires { a.update(chunk, std::span<const double>()); }) {
                    if (y) a.update(chunk, std::span<const double>(*y).subspan(b, e - b));
                    else a.update(chunk);
                } else {
                    a.update(chunk);
                }
                accs.push_back(std::move(a));
            }
            for (bool reverse : {false, true}) {
                auto total = reverse ? accs.back() : accs.front();
                for (std::size_t i = 1; i < accs.size(); ++i) total.merge(reverse ? accs[accs.size() - 1 - i] : accs[i]);
                C c = proto;
                c.fit(total);
                const std::string got = fingerprint(c);
                if (got != fp) mismatch(name, std::to_string(k) + " chunks merged " + (reverse ? "in reverse" : "forward"), got, fp);
            }
        }
        for (std::uint64_t seed : kShuffleSeeds) {
            const auto idx = shuffled_rows(n, seed);
            std::vector<double> ys;
            if (y)
                for (std::size_t i : idx) ys.push_back((*y)[i]);
            C c = proto;
            fit(c, tp->rows(idx), y ? &ys : nullptr);
            const std::string got = line_of(fingerprint(c), hash_table(c.transform(*tp)));
            if (got != expected) mismatch(name, "rows shuffled with seed " + std::to_string(seed), got, expected);
        }
    };
    return {std::move(name), run, check};
}

// A pipeline: fit on the table, transform it; checks row order and the single-row plan.
Item pipeline_item(std::string name, std::function<Pipeline()> make, Table t) {
    auto tp = std::make_shared<const Table>(std::move(t));
    auto run = [make, tp] {
        Pipeline p = make();
        p.fit(*tp);
        return line_of(fingerprint(p), hash_table(p.transform(*tp)));
    };
    auto check = [name, make, tp](const std::string& expected) {
        for (std::uint64_t seed : kShuffleSeeds) {
            Pipeline p = make();
            p.fit(tp->rows(shuffled_rows(tp->num_rows(), seed)));
            const std::string got = line_of(fingerprint(p), hash_table(p.transform(*tp)));
            if (got != expected) mismatch(name, "rows shuffled with seed " + std::to_string(seed), got, expected);
        }
        // Single-row plan against the batch path, output feature by output feature.
        Pipeline p = make();
        p.fit(*tp);
        const Table batch = p.transform(*tp);
        const auto names = p.feature_names_out();
        auto plan = p.compile();
        std::vector<double> row(plan.n_outputs());
        std::vector<Cell> rec;
        std::size_t bad = 0;
        for (std::size_t i = 0; i < tp->num_rows(); ++i) {
            rec.clear();
            for (const auto& c : p.input_schema()) {
                if (c.type == ColumnType::numeric) rec.push_back(Cell::num(tp->numeric(c.name)[i]));
                else if (c.type == ColumnType::datetime) rec.push_back(Cell::dt(tp->datetime(c.name)[i]));
                else if (auto v = tp->category(c.name, i)) rec.push_back(Cell::cat(*v));
                else rec.push_back(Cell::missing_cat());
            }
            plan.run(rec, std::span<double>(row));
            for (std::size_t k = 0; k < names.size(); ++k) {
                const double b = batch.numeric(names[k])[i];
                if (std::memcmp(&b, &row[k], sizeof b) != 0) ++bad;
            }
        }
        if (bad) mismatch(name, "the single-row plan", std::to_string(bad) + " differing values", "the batch bits");
    };
    return {std::move(name), run, check};
}

// A datetime component (datetime/): it learns only its columns, so fits on shuffled rows
// and on a part of the rows must give the same state; its single-row path must give the
// bits of the batch.
template <class C>
Item datetime_item(std::string name, C proto, Table t) {
    kinds_with_items.insert(std::string(C::kind_name()));
    auto tp = std::make_shared<const Table>(std::move(t));
    auto run = [proto, tp] {
        C c = proto;
        c.fit(*tp);
        return line_of(fingerprint(c), hash_table(c.transform(*tp)));
    };
    auto check = [name, proto, tp](const std::string& expected) {
        const std::string fp = expected.substr(0, expected.find(' '));
        for (std::uint64_t seed : kShuffleSeeds) {
            auto idx = shuffled_rows(tp->num_rows(), seed);
            C c = proto;
            c.fit(tp->rows(idx));
            const std::string got = line_of(fingerprint(c), hash_table(c.transform(*tp)));
            if (got != expected) mismatch(name, "rows shuffled with seed " + std::to_string(seed), got, expected);
            idx.resize(idx.size() / 3);
            C part = proto;
            part.fit(tp->rows(idx));
            if (fingerprint(part) != fp) mismatch(name, "a third of the rows", fingerprint(part), fp);
        }
        C c = proto;
        c.fit(*tp);
        const Table batch = c.transform(*tp);
        const auto in_names = c.feature_names_in();
        const auto out_names = c.feature_names_out();
        const std::size_t kept = out_names.size() - c.n_new_features();
        std::vector<std::int64_t> in(in_names.size());
        std::vector<double> out(c.n_new_features());
        std::size_t bad = 0;
        for (std::size_t i = 0; i < tp->num_rows(); ++i) {
            for (std::size_t k = 0; k < in.size(); ++k) in[k] = tp->datetime(in_names[k])[i];
            c.transform_row(in, out);
            for (std::size_t o = 0; o < out.size(); ++o) {
                const double b = batch.numeric(out_names[kept + o])[i];
                if (std::memcmp(&b, &out[o], sizeof b) != 0) ++bad;
            }
        }
        if (bad) mismatch(name, "transform_row", std::to_string(bad) + " differing values", "the batch bits");
    };
    return {std::move(name), run, check};
}

// Datetimes over pandas' whole range (before the epoch with fractions of a second too),
// the range ends, and missing values; 'near' is within 100 years of half of 'wide' (every difference fits int64).
Table datetime_data(std::size_t n) {
    Rng r(20261206);
    std::vector<std::int64_t> wide(n), near(n);
    for (std::size_t i = 0; i < n; ++i) {
        wide[i] = static_cast<std::int64_t>(r.next_u64());
        const std::uint64_t span = 100ULL * 365 * 86400 * 1'000'000'000ULL;
        near[i] = wide[i] / 2 + static_cast<std::int64_t>(r.uniform_int(2 * span)) - static_cast<std::int64_t>(span);
        if (r.uniform() < 0.05) wide[i] = kNaT;
        if (r.uniform() < 0.05) near[i] = kNaT;
    }
    wide[0] = kNaT + 1;
    wide[1] = std::numeric_limits<std::int64_t>::max();
    wide[2] = -1;
    Table t;
    t.add_datetime("wide", std::move(wide)).add_datetime("near", std::move(near));
    return t;
}

// A fixed computation with nothing to re-fit (dmath, ExactSum, Rng...).
Item fixed_item(std::string name, std::function<std::string()> run) {
    return {std::move(name), std::move(run), [](const std::string&) {}};
}

// ---- dmath arguments -----------------------------------------------------------------
// Half the arguments uniform over the function's interesting range, half anywhere in
// the domain (any exponent, subnormals included), so reductions and tails are hit.
std::vector<double> dmath_args(std::uint64_t seed, double lo, double hi, bool positive_only, double wide_max) {
    Rng r(seed);
    std::vector<double> a(kArgs);
    for (std::size_t i = 0; i < kArgs; ++i) {
        if (i % 2 == 0) {
            a[i] = lo + (hi - lo) * r.uniform();
        } else {
            double x = wide(r);
            if (positive_only) x = x < 0 ? -x : x;
            if (!(x < wide_max && x > -wide_max)) x = lo + (hi - lo) * r.uniform();
            a[i] = x;
        }
    }
    return a;
}

Item dmath_item(std::string name, std::vector<double> args, double (*f)(double)) {
    auto ap = std::make_shared<const std::vector<double>>(std::move(args));
    return fixed_item(std::move(name), [ap, f] {
        std::vector<double> out(ap->size());
        for (std::size_t i = 0; i < ap->size(); ++i) out[i] = f((*ap)[i]);
        return line_of(hash_span<double>(*ap), hash_span<double>(out));
    });
}

// ---- golden artifacts ----------------------------------------------------------------
// The files of tests/golden/artifacts were written on x86-64 and are never rewritten
// (docs/reliability.md). Loading them here and saving them again shows that the format
// is little-endian on every host: a big-endian build must read the same fitted state
// (same fingerprint, same output bits) and write the same bytes.

// expected.tsv: file -> "fingerprint output-hash", as the x86-64 writer recorded them.
std::map<std::string, std::string> golden_expectations(const std::filesystem::path& dir) {
    std::ifstream f(dir / "expected.tsv");
    if (!f) throw std::runtime_error("cannot read " + (dir / "expected.tsv").string());
    std::map<std::string, std::string> m;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        std::string file, kind, fp, out;
        in >> file >> kind >> fp >> out;
        m[file] = line_of(fp, out);
    }
    return m;
}

// Saves `obj` again with the metadata of the file it was loaded from. The envelope
// also records the library version that wrote it, which legitimately moves with
// releases, so that field is set back to the file's; everything else, payload and
// checksum included, comes from this build's writer.
template <class T>
std::string resaved_bytes(const T& obj, const ArtifactHeader& from) {
    Artifact a = decode_artifact(save_bytes(obj, from.metadata));
    a.header.library_major = from.library_major;
    a.header.library_minor = from.library_minor;
    a.header.library_patch = from.library_patch;
    return encode_artifact(a.header, a.payload);
}

// Two items per file: "golden_artifact <file>" prints the fingerprint and output hash
// (on penguins, as make_artifacts.cpp computes it), "resave <file>" whether the saved
// bytes equal the file. `load_and_run(bytes)` returns {fingerprint, output hash,
// resaved bytes}.
struct GoldenRun {
    std::string fingerprint, output_hash, resaved;
};
void golden_items(std::vector<Item>& items, const std::filesystem::path& dir, const std::string& file,
                  const std::map<std::string, std::string>& expected, std::function<GoldenRun(const std::string&)> load_and_run) {
    const auto path = dir / "artifacts" / file;
    auto run_once = [path, load_and_run] { return load_and_run(detail::read_file(path)); };
    const auto it = expected.find(file);
    const std::string want = it == expected.end() ? "(no line in expected.tsv)" : it->second;
    const std::string name = "golden_artifact " + file;
    items.push_back({name, [run_once] {
                         const GoldenRun g = run_once();
                         return line_of(g.fingerprint, g.output_hash);
                     },
                     [name, want](const std::string& got) {
                         if (got != want) failure(name, "loaded with " + got + ", expected.tsv records " + want);
                     },
                     true});
    const std::string rname = "resave " + file;
    items.push_back({rname, [run_once, path] { return run_once().resaved == detail::read_file(path) ? "identical" : "DIFFERENT"; },
                     [rname](const std::string& got) {
                         if (got != "identical") failure(rname, "saving the loaded artifact does not give the file's bytes");
                     },
                     true});
}

void add_golden_artifacts(std::vector<Item>& items, const std::filesystem::path& golden_dir, const Table& penguins) {
    const auto expected = golden_expectations(golden_dir / "artifacts");
    auto t = std::make_shared<const Table>(penguins);
    auto c = std::make_shared<const Table>(zoo::complete_rows(penguins));
    std::set<std::string> loaded;
    zoo::for_each_kind([&]<class C>() {
        const std::string file = zoo::tag<C>() + ".rpp";
        loaded.insert(file);
        golden_items(items, golden_dir, file, expected, [t, c](const std::string& bytes) {
            const C obj = load_bytes<C>(bytes);
            // Same rule as make_artifacts.cpp: components that refuse missing values
            // transform the complete rows.
            Table out;
            try {
                out = obj.transform(zoo::input<C>(*t));  // with the dates the datetime kinds read
            } catch (const InvalidInput&) {
                out = obj.transform(zoo::input<C>(*c));
            }
            return GoldenRun{fingerprint(obj), zoo::output_hash(out), resaved_bytes(obj, read_artifact_header(bytes))};
        });
    });
    for (const char* name : {"pipeline_penguins", "pipeline_wide", "pipeline_penguins_profiled"}) {
        const std::string file = std::string(name) + ".rpp";
        loaded.insert(file);
        golden_items(items, golden_dir, file, expected, [t](const std::string& bytes) {
            const Pipeline p = load_pipeline_bytes(bytes);
            return GoldenRun{fingerprint(p), zoo::output_hash(p.transform(*t)), resaved_bytes(p, read_artifact_header(bytes))};
        });
    }
    // The drift monitor: its "output" is its report (PSI, JS: exact counts, dmath::log),
    // whose bits must not depend on the platform either.
    loaded.insert("drift_monitor.rpp");
    golden_items(items, golden_dir, "drift_monitor.rpp", expected, [](const std::string& bytes) {
        const Monitor m = load_bytes<Monitor>(bytes);
        return GoldenRun{fingerprint(m), xxh3_128(m.report().to_json()).hex(), resaved_bytes(m, read_artifact_header(bytes))};
    });
    // A pipeline with a serving policy: its output fills two absent columns.
    loaded.insert("pipeline_penguins_policy.rpp");
    golden_items(items, golden_dir, "pipeline_penguins_policy.rpp", expected, [t](const std::string& bytes) {
        const Pipeline p = load_pipeline_bytes(bytes);
        return GoldenRun{fingerprint(p), zoo::output_hash(p.transform(zoo::penguins_without_sex_and_mass(*t))),
                         resaved_bytes(p, read_artifact_header(bytes))};
    });
    loaded.insert("drift_monitor_steps.rpp");
    golden_items(items, golden_dir, "drift_monitor_steps.rpp", expected, [](const std::string& bytes) {
        const Monitor m = load_bytes<Monitor>(bytes);
        return GoldenRun{fingerprint(m), xxh3_128(m.report().to_json()).hex(), resaved_bytes(m, read_artifact_header(bytes))};
    });
    // A multiclass TargetEncoder: the kind's loader, target_type 3.
    loaded.insert("target_encoder_multiclass.rpp");
    golden_items(items, golden_dir, "target_encoder_multiclass.rpp", expected, [t](const std::string& bytes) {
        const TargetEncoder e = load_bytes<TargetEncoder>(bytes);
        return GoldenRun{fingerprint(e), zoo::output_hash(e.transform(*t)), resaved_bytes(e, read_artifact_header(bytes))};
    });
    // An artifact the probe does not know how to load would otherwise go unchecked.
    for (const auto& e : std::filesystem::directory_iterator(golden_dir / "artifacts"))
        if (e.path().extension() == ".rpp" && !loaded.count(e.path().filename().string()))
            failure("golden_artifact " + e.path().filename().string(), "the probe has no loader for this file");
}

// ---- the suite -----------------------------------------------------------------------
std::vector<Item> build_suite(const Data& d, const std::filesystem::path& golden_dir) {
    std::vector<Item> items;
    const Table& s = d.synth;
    auto M = [&](std::vector<std::string> cols) { return s.to_matrix<double>(cols); };
    const std::vector<std::string> finite = {"gauss_offset", "heavy", "cauchy", "lognormal", "tiny", "bigint"};
    const std::vector<std::string> with_nan = {"gauss_offset", "heavy", "cauchy", "lognormal", "tiny", "nan_mix", "bigint"};
    const std::vector<std::string> cats = {"cat_zipf", "cat_small", "cat_utf8"};

    // The data themselves first: if these differ, everything below will.
    items.push_back(fixed_item("data.synth", [&d] { return line_of(d.synth.fingerprint().hex(), hash_table(d.synth)); }));
    items.push_back(fixed_item("data.penguins", [&d] { return line_of(d.penguins.fingerprint().hex(), hash_table(d.penguins)); }));
    items.push_back(fixed_item("data.targets", [&d] {
        return line_of(hash_span<double>(d.y_bin), hash_span<double>(d.y_cont));
    }));

    // scale/
    items.push_back(numeric_item("standard_scaler", StandardScaler<>(), M(with_nan)));
    items.push_back(numeric_item("standard_scaler.no_mean", StandardScaler<>({.with_mean = false}), M(with_nan)));
    items.push_back(numeric_item("min_max_scaler", MinMaxScaler<>({.feature_range = {-1.0, 2.0}}), M(with_nan)));
    items.push_back(numeric_item("max_abs_scaler", MaxAbsScaler<>(), M(with_nan)));
    items.push_back(numeric_item("robust_scaler", RobustScaler<>({.quantile_range = {10.0, 90.0}, .unit_variance = true}), M(with_nan)));
    items.push_back(numeric_item("normalizer.l2", Normalizer<>(), M({"heavy", "cauchy", "lognormal", "tiny"})));
    items.push_back(numeric_item("normalizer.l1", Normalizer<>({.norm = Norm::l1}), M({"heavy", "cauchy", "lognormal", "tiny"})));
    items.push_back(numeric_item("binarizer", Binarizer<>({.threshold = 1.0}), M(finite)));
    // impute/
    items.push_back(numeric_item("simple_imputer.mean", SimpleImputer<>({.add_indicator = true}), M(with_nan)));
    items.push_back(numeric_item("simple_imputer.median", SimpleImputer<>({.strategy = ImputeStrategy::median}), M(with_nan)));
    items.push_back(numeric_item("simple_imputer.most_frequent", SimpleImputer<>({.strategy = ImputeStrategy::most_frequent}),
                                 M({"nan_mix", "hour"})));
    items.push_back(numeric_item("missing_indicator", MissingIndicator<>({.features = MissingFeatures::all}), M(with_nan)));
    items.push_back(numeric_item("end_tail_imputer.gaussian", EndTailImputer<>(), M({"nan_mix", "heavy"})));
    items.push_back(numeric_item("end_tail_imputer.iqr",
                                 EndTailImputer<>({.imputation_method = EndTailMethod::iqr, .tail = EndTailSide::left}),
                                 M({"nan_mix", "cauchy"})));
    // transform/
    items.push_back(numeric_item("log_transformer", LogTransformer<>(), M({"lognormal"})));
    items.push_back(numeric_item("log_transformer.ten_auto",
                                 LogTransformer<>({.base = LogBase::ten, .C = LogOffset::automatic()}),
                                 M({"heavy", "cauchy", "gauss_offset"})));
    items.push_back(numeric_item("power_transformer.yeo_johnson", PowerTransformer<>(), M({"heavy", "lognormal", "nan_mix"})));
    items.push_back(numeric_item("power_transformer.box_cox", PowerTransformer<>({.method = PowerMethod::box_cox}),
                                 M({"lognormal"})));
    items.push_back(numeric_item("quantile_transformer.uniform", QuantileTransformer<>(),
                                 M({"gauss_offset", "cauchy", "tiny", "nan_mix"})));
    items.push_back(numeric_item("quantile_transformer.normal",
                                 QuantileTransformer<>({.n_quantiles = 500, .output_distribution = QuantileOutput::normal}),
                                 M({"gauss_offset", "cauchy", "tiny", "nan_mix"})));
    items.push_back(numeric_item("cyclical_features", CyclicalFeatures<>(), M({"hour", "lognormal"})));
    // create/
    items.push_back(numeric_item("polynomial_features", PolynomialFeatures<>({.degree = 3}), M({"heavy", "cauchy", "tiny"})));
    items.push_back(numeric_item("polynomial_features.interaction", PolynomialFeatures<>({.degree = {2, 3}, .interaction_only = true,
                                                                                          .include_bias = false}),
                                 M({"gauss_offset", "heavy", "cauchy", "tiny"})));
    items.push_back(numeric_item("math_features",
                                 MathFeatures<>({.func = {MathFunc::sum, MathFunc::mean, MathFunc::std, MathFunc::min,
                                                          MathFunc::max, MathFunc::prod},
                                                 .missing_values = MissingValues::ignore}),
                                 M({"gauss_offset", "heavy", "cauchy", "tiny", "nan_mix", "bigint"})));
    items.push_back(numeric_item("relative_features",
                                 RelativeFeatures<>({.columns = {"gauss_offset", "cauchy", "nan_mix"}, .reference = {"heavy", "hour"},
                                                     .func = {RelativeFunc::add, RelativeFunc::sub, RelativeFunc::mul,
                                                              RelativeFunc::div, RelativeFunc::truediv, RelativeFunc::floordiv,
                                                              RelativeFunc::mod, RelativeFunc::pow},
                                                     .fill_value = -1.0}),
                                 M({"gauss_offset", "cauchy", "nan_mix", "heavy", "hour"})));
    items.push_back(numeric_item("spline_transformer", SplineTransformer<>(), M({"gauss_offset", "heavy", "tiny", "bigint"})));
    items.push_back(numeric_item("spline_transformer.quantile_linear",
                                 SplineTransformer<>({.n_knots = 7, .degree = 2, .knots = SplineKnots::quantile,
                                                      .extrapolation = SplineExtrapolation::linear, .include_bias = false}),
                                 M({"gauss_offset", "cauchy", "lognormal", "hour"})));
    items.push_back(numeric_item("spline_transformer.periodic",
                                 SplineTransformer<>({.n_knots = 6, .degree = 3, .extrapolation = SplineExtrapolation::periodic}),
                                 M({"hour", "gauss_offset", "heavy"})));
    items.push_back(numeric_item("spline_transformer.continue",
                                 SplineTransformer<>({.n_knots = 4, .degree = 4, .knots = SplineKnots::quantile,
                                                      .extrapolation = SplineExtrapolation::continue_}),
                                 M({"heavy", "cauchy", "tiny"})));
    // discretise/
    items.push_back(numeric_item("k_bins_discretizer.quantile", KBinsDiscretizer<>(), M({"gauss_offset", "heavy", "lognormal"})));
    items.push_back(numeric_item("k_bins_discretizer.uniform",
                                 KBinsDiscretizer<>({.n_bins = 7, .encode = KBinsEncode::ordinal, .strategy = KBinsStrategy::uniform}),
                                 M({"gauss_offset", "heavy", "lognormal"})));
    items.push_back(numeric_item("k_bins_discretizer.kmeans",
                                 KBinsDiscretizer<>({.n_bins = 4, .encode = KBinsEncode::ordinal, .strategy = KBinsStrategy::kmeans}),
                                 M({"gauss_offset", "heavy", "lognormal"})));
    items.push_back(numeric_item("arbitrary_discretiser",
                                 ArbitraryDiscretiser<>({.columns = {"heavy", "lognormal"},
                                                         .binning_dict = {{"heavy", {-1e300, -1.0, 0.0, 0.5, 1e300}},
                                                                          {"lognormal", {0.0, 0.5, 1.0, 2.0, 1e300}}}}),
                                 M({"heavy", "lognormal"})));
    // outliers/
    items.push_back(numeric_item("winsorizer.gaussian", Winsorizer<>({.tail = Tail::both}), M({"heavy", "cauchy", "gauss_offset"})));
    items.push_back(numeric_item("winsorizer.iqr", Winsorizer<>({.capping_method = CappingMethod::iqr, .tail = Tail::both}),
                                 M({"heavy", "cauchy", "gauss_offset"})));
    items.push_back(numeric_item("winsorizer.quantiles",
                                 Winsorizer<>({.capping_method = CappingMethod::quantiles, .tail = Tail::both, .fold = 0.05}),
                                 M({"heavy", "cauchy", "gauss_offset"})));
    items.push_back(numeric_item("arbitrary_outlier_capper",
                                 ArbitraryOutlierCapper<>({.columns = {"heavy", "cauchy"},
                                                           .max_capping_dict = {{"heavy", 3.0}, {"cauchy", 10.0}},
                                                           .min_capping_dict = {{"cauchy", -10.0}}}),
                                 M({"heavy", "cauchy"})));
    // encode/ and the categorical imputer, on the categorical columns
    const Table ct = s.select(cats);
    items.push_back(table_item("one_hot_encoder",
                               OneHotEncoder({.handle_unknown = HandleUnknown::infrequent_if_exist, .min_frequency = 0.01}), ct));
    items.push_back(table_item("one_hot_encoder.max_categories",
                               OneHotEncoder({.drop = OneHotDrop::first, .handle_unknown = HandleUnknown::ignore,
                                              .max_categories = std::size_t{12}}),
                               ct));
    items.push_back(table_item("ordinal_encoder.lexical", OrdinalEncoder(), ct));
    items.push_back(table_item("ordinal_encoder.frequency", OrdinalEncoder({.order = CategoryOrder::frequency}), ct));
    items.push_back(table_item("count_frequency_encoder.count",
                               CountFrequencyEncoder({.missing_values = MissingValues::ignore}), ct));
    items.push_back(table_item("count_frequency_encoder.frequency",
                               CountFrequencyEncoder({.encoding_method = EncodingMethod::frequency,
                                                      .missing_values = MissingValues::ignore}),
                               ct));
    items.push_back(table_item("rare_label_encoder",
                               RareLabelEncoder({.tol = 0.004, .n_categories = 5, .missing_values = MissingValues::ignore}), ct));
    items.push_back(table_item("hashing_encoder", HashingEncoder({.n_components = 16, .alternate_sign = true}), ct));
    items.push_back(table_item("categorical_imputer.missing", CategoricalImputer(), ct));
    items.push_back(table_item("categorical_imputer.frequent",
                               CategoricalImputer({.imputation_method = ImputationMethod::frequent}), ct));
    items.push_back(table_item("target_encoder.continuous", TargetEncoder({.target_type = TargetType::continuous}), ct, &d.y_cont));
    items.push_back(table_item("target_encoder.binary", TargetEncoder({.smooth = 10.0}), ct, &d.y_bin));
    // Cross-fitting: the out-of-fold encoding is defined by the seeded fold split, so
    // it depends on row positions by design; it is printed, not row-order checked.
    items.push_back(fixed_item("target_encoder.fit_transform", [ct, &d] {
        TargetEncoder e({.target_type = TargetType::continuous, .seed = 7});
        const Table out = e.fit_transform(ct, std::span<const double>(d.y_cont));
        return line_of(fingerprint(e), hash_table(out));
    }));
    items.push_back(table_item("target_encoder.multiclass", TargetEncoder({.target_type = TargetType::multiclass}), ct, &d.y_class));
    items.push_back(fixed_item("target_encoder.multiclass_fit_transform", [ct, &d] {
        TargetEncoder e({.target_type = TargetType::multiclass, .smooth = 5.0, .seed = 7});
        const Table out = e.fit_transform(ct, std::span<const double>(d.y_class));
        return line_of(fingerprint(e), hash_table(out));
    }));
    // row_hash folds: a keyed hash of each row's canonical little-endian bytes, so this
    // line is the same on a big-endian host (s390x) or it is a bug.
    items.push_back(fixed_item("target_encoder.row_hash_fit_transform", [ct, &d] {
        TargetEncoder e({.target_type = TargetType::continuous, .seed = 7, .fold_assignment = FoldAssignment::row_hash});
        const Table out = e.fit_transform(ct, std::span<const double>(d.y_cont));
        return line_of(fingerprint(e), hash_table(out));
    }));
    items.push_back(table_item("woe_encoder", WoEEncoder({.columns = {"cat_small", "cat_utf8"},
                                                          .missing_values = MissingValues::ignore}),
                               s.select({"cat_small", "cat_utf8"}), &d.y_bin));
    const Table rt = s.select({"nan_mix", "heavy", "cat_small", "cat_zipf", "hour"});
    items.push_back(table_item("random_sample_imputer.general",
                               RandomSampleImputer({.columns = {"nan_mix", "cat_small", "cat_zipf"}, .seed = 5}), rt));
    items.push_back(table_item("random_sample_imputer.observation",
                               RandomSampleImputer({.columns = {"nan_mix", "cat_small", "cat_zipf"},
                                                    .variables_seed = {"hour", "heavy"},
                                                    .seeding_method = SeedingMethod::observation,
                                                    .seed = 5}),
                               rt));
    // select/: exact counts, exact equality and exact correlation sums, over numeric and
    // categorical columns; 'tiny' holds -0.0, +0.0 and subnormals.
    items.push_back(table_item("drop_constant_features.include",
                               DropConstantFeatures({.tol = 0.35, .missing_values = MissingValues::include}),
                               s.select({"cat_small", "cat_utf8", "hour", "tiny", "nan_mix"})));
    items.push_back(table_item("drop_constant_features.ignore",
                               DropConstantFeatures({.tol = 0.1, .missing_values = MissingValues::ignore}),
                               s.select({"cat_zipf", "tiny", "nan_mix", "hour"})));
    {
        // Copies under other names; 'tiny_pos' is 'tiny' with -0.0 as +0.0, equal by ==.
        Table dt = s.select({"heavy", "cat_small", "nan_mix", "tiny"});
        const auto nm = s.numeric("nan_mix");
        const auto tn = s.numeric("tiny");
        std::vector<double> tiny_pos(tn.begin(), tn.end());
        for (double& v : tiny_pos) v = v == 0.0 ? 0.0 : v;
        dt.add_numeric("nan_mix_copy", std::vector<double>(nm.begin(), nm.end()))
            .add_categorical("cat_small_copy", s.categorical("cat_small"))
            .add_numeric("tiny_pos", std::move(tiny_pos));
        items.push_back(table_item("drop_duplicate_features", DropDuplicateFeatures(), dt));
    }
    {
        // 'heavy_lin' is an affine image of 'heavy' (|r| = 1 up to rounding).
        Table ct2 = s.select({"gauss_offset", "heavy", "nan_mix", "tiny", "bigint", "cat_small"});
        const auto hv = s.numeric("heavy");
        std::vector<double> lin(hv.begin(), hv.end());
        for (double& v : lin) v = 1.0 - 2.0 * v;
        ct2.add_numeric("heavy_lin", std::move(lin));
        items.push_back(table_item("drop_correlated_features", DropCorrelatedFeatures({.threshold = 0.8}), ct2));
        // PSI (dmath::log, exact sums): split by 'heavy', which 'heavy_lin' mirrors, at its 0.4
        // quantile (an interpolated cut-off); and by the distinct values of 'gauss_offset',
        // switched, with equal-width bins. NaN of 'nan_mix' left out.
        items.push_back(table_item("drop_high_psi_features",
                                   DropHighPSIFeatures({.split_col = "heavy", .split_frac = 0.4,
                                                        .missing_values = MissingValues::ignore}),
                                   ct2));
        items.push_back(table_item("drop_high_psi_features.width_switch",
                                   DropHighPSIFeatures({.split_col = "gauss_offset", .split_distinct = true,
                                                        .switch_sets = true, .threshold = 0.1, .bins = 7,
                                                        .strategy = PsiStrategy::equal_width,
                                                        .missing_values = MissingValues::ignore}),
                                   ct2));
        // The selectors between older steps: one artifact, the single-row plan against the batch.
        Table pt = ct2.select({"nan_mix", "heavy", "heavy_lin", "cat_small"});
        const auto hr = s.numeric("hour");
        pt.add_numeric("hour", std::vector<double>(hr.begin(), hr.end()));
        pt.add_categorical("cat_small_copy", s.categorical("cat_small"));
        items.push_back(pipeline_item(
            "pipeline.select",
            [] {
                return Pipeline{}
                    .add("dup", DropDuplicateFeatures())
                    .add("impute", SimpleImputer<>({.columns = {"nan_mix"}, .strategy = ImputeStrategy::median}))
                    .add("corr", DropCorrelatedFeatures())
                    .add("onehot", OneHotEncoder({.columns = {"cat_small"}}))
                    .add("constant", DropConstantFeatures({.tol = 0.96}));
            },
            std::move(pt)));
    }

    // datetime/: integer calendar arithmetic, and one IEEE division per difference.
    {
        const Table dt = datetime_data(1000);
        items.push_back(datetime_item("datetime_features.all",
                                      DatetimeFeatures({.features_to_extract = {"all"}, .drop_original = false,
                                                        .missing_values = MissingValues::ignore}),
                                      dt));
        items.push_back(datetime_item("datetime_subtraction.h",
                                      DatetimeSubtraction({.columns = {"wide", "near"}, .reference = {"near"}, .output_unit = "h"}),
                                      dt));
        items.push_back(pipeline_item(
            "pipeline.datetime",
            [] {
                return Pipeline{}
                    .add("age", DatetimeSubtraction({.columns = {"wide"}, .reference = {"near"}, .output_unit = "D"}))
                    .add("dates", DatetimeFeatures({.features_to_extract = {"year", "week", "day_of_year", "second"},
                                                    .missing_values = MissingValues::ignore}))
                    .add("impute", SimpleImputer<>({.strategy = ImputeStrategy::median}))
                    .add("scale", StandardScaler<>());
            },
            dt));
    }

    // compose/: the penguins pipeline of the README and a synthetic mixed one.
    items.push_back(pipeline_item(
        "pipeline.penguins",
        [] {
            const std::vector<std::string> num = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};
            return Pipeline{}
                .add("impute", SimpleImputer<>({.columns = num, .strategy = ImputeStrategy::median}))
                .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
                .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
                .add("scale", StandardScaler<>({.columns = num}));
        },
        d.penguins));
    items.push_back(pipeline_item(
        "pipeline.synthetic",
        [] {
            return Pipeline{}
                .add("impute", SimpleImputer<>({.columns = {"nan_mix"}, .strategy = ImputeStrategy::median}))
                .add("cap", Winsorizer<>({.columns = {"heavy"}, .capping_method = CappingMethod::iqr, .tail = Tail::both}))
                .add("log", LogTransformer<>({.columns = {"lognormal"}}))
                .add("quantile", QuantileTransformer<>({.columns = {"cauchy"}, .output_distribution = QuantileOutput::normal}))
                .add("power", PowerTransformer<>({.columns = {"heavy"}}))
                .add("cyclical", CyclicalFeatures<>({.columns = {"hour"}}))
                .add("rare", RareLabelEncoder({.columns = {"cat_zipf"}, .tol = 0.01, .missing_values = MissingValues::ignore}))
                .add("fill", CategoricalImputer({.columns = {"cat_zipf", "cat_small"}}))
                .add("onehot", OneHotEncoder({.columns = {"cat_zipf", "cat_small"}, .handle_unknown = HandleUnknown::ignore}))
                .add("count", CountFrequencyEncoder({.columns = {"cat_utf8"}, .encoding_method = EncodingMethod::frequency}))
                .add("scale", StandardScaler<>({.columns = {"gauss_offset", "nan_mix", "bigint", "tiny"}}));
        },
        s));

    // core/: dmath on 10^5 arguments per function.
    items.push_back(dmath_item("dmath.exp", dmath_args(101, -746.0, 710.0, false, 1024.0), dmath::exp));
    items.push_back(dmath_item("dmath.expm1", dmath_args(102, -40.0, 710.0, false, 1024.0), dmath::expm1));
    items.push_back(dmath_item("dmath.log", dmath_args(103, 0.5, 2.0, true, kAnyFinite), dmath::log));
    items.push_back(dmath_item("dmath.log1p", dmath_args(104, -0.999, 4.0, true, kAnyFinite), dmath::log1p));
    items.push_back(dmath_item("dmath.sin", dmath_args(105, -10.0, 10.0, false, kAnyFinite), dmath::sin));
    items.push_back(dmath_item("dmath.cos", dmath_args(106, -10.0, 10.0, false, kAnyFinite), dmath::cos));
    items.push_back(dmath_item("dmath.erf", dmath_args(107, -6.0, 6.0, false, kAnyFinite), dmath::erf));
    items.push_back(dmath_item("dmath.erfc", dmath_args(108, -6.0, 28.0, false, kAnyFinite), dmath::erfc));
    items.push_back(dmath_item("dmath.norm_cdf", dmath_args(109, -40.0, 40.0, false, kAnyFinite), dmath::norm_cdf));
    items.push_back(dmath_item("dmath.norm_ppf", dmath_args(110, 0.0, 1.0, true, 1.0), dmath::norm_ppf));
    {
        // pow: positive bases over wide exponents, and negative bases with integral exponents.
        Rng r(111);
        std::vector<double> x(kArgs), y(kArgs);
        for (std::size_t i = 0; i < kArgs; ++i) {
            switch (i % 3) {
            case 0: x[i] = 10.0 * r.uniform(); y[i] = -60.0 + 120.0 * r.uniform(); break;
            case 1: { const double w = wide(r); x[i] = w < 0 ? -w : w; y[i] = -2.0 + 4.0 * r.uniform(); break; }
            default: x[i] = -8.0 * r.uniform(); y[i] = static_cast<double>(r.uniform_int(61)) - 30.0; break;
            }
        }
        auto xp = std::make_shared<const std::vector<double>>(std::move(x));
        auto yp = std::make_shared<const std::vector<double>>(std::move(y));
        items.push_back(fixed_item("dmath.pow", [xp, yp] {
            std::vector<double> out(kArgs), args(*xp);
            args.insert(args.end(), yp->begin(), yp->end());
            for (std::size_t i = 0; i < kArgs; ++i) out[i] = dmath::pow((*xp)[i], (*yp)[i]);
            return line_of(hash_span<double>(args), hash_span<double>(out));
        }));
    }

    // core/: ExactSum on hard sets; "value-bits hash-of-chunked-values".
    auto sum_item = [&items](std::string name, std::shared_ptr<const std::vector<double>> v, bool squares) {
        items.push_back(fixed_item(std::move(name), [v, squares] {
            auto sum_range = [&](std::size_t b, std::size_t e) {
                ExactSum acc;
                for (std::size_t i = b; i < e; ++i) squares ? acc.add_product((*v)[i], (*v)[i]) : acc.add((*v)[i]);
                return acc;
            };
            const ExactSum whole = sum_range(0, v->size());
            std::vector<double> parts;
            for (std::size_t k : kChunkCounts) {
                std::vector<ExactSum> chunks;
                for (const auto& [b, e] : chunk_ranges(v->size(), k)) chunks.push_back(sum_range(b, e));
                for (bool reverse : {false, true}) {
                    ExactSum total;
                    for (std::size_t i = 0; i < chunks.size(); ++i) total.merge(chunks[reverse ? chunks.size() - 1 - i : i]);
                    parts.push_back(total.value());
                }
            }
            const auto exp = whole.expansion();
            parts.insert(parts.end(), exp.begin(), exp.end());
            return line_of(bits_hex(whole.value()), hash_span<double>(parts));
        }));
    };
    auto col = [&s](const char* c) {
        const auto v = s.numeric(c);
        return std::make_shared<const std::vector<double>>(v.begin(), v.end());
    };
    sum_item("exact_sum.gauss_offset", col("gauss_offset"), false);
    sum_item("exact_sum.gauss_offset.squares", col("gauss_offset"), true);
    sum_item("exact_sum.heavy", col("heavy"), false);
    sum_item("exact_sum.cauchy.squares", col("cauchy"), true);
    sum_item("exact_sum.tiny", col("tiny"), false);
    sum_item("exact_sum.bigint", col("bigint"), false);
    {
        // Catastrophic cancellation: huge terms that cancel exactly, leaving tiny ones.
        Rng r(112);
        std::vector<double> v;
        for (std::size_t i = 0; i < 20000; ++i) {
            const double big = wide(r);
            v.push_back(big);
            v.push_back(r.normal() * 0x1p-1070);
            v.push_back(-big);
            v.push_back(r.uniform());
        }
        r.shuffle(v.begin(), v.end());
        sum_item("exact_sum.cancellation", std::make_shared<const std::vector<double>>(std::move(v)), false);
    }

    // core/: exact quantiles (numpy 'linear' and two other methods) on hard columns.
    for (const char* c : {"gauss_offset", "cauchy", "tiny", "bigint"}) {
        auto v = col(c);
        items.push_back(fixed_item(std::string("quantile.") + c, [v] {
            std::vector<double> qs;
            for (int i = 0; i <= 100; ++i) qs.push_back(i / 100.0);
            std::vector<double> out = quantiles(*v, qs);
            for (auto m : {QuantileMethod::lower, QuantileMethod::midpoint, QuantileMethod::averaged_inverted_cdf}) {
                const auto more = quantiles(*v, qs, m);
                out.insert(out.end(), more.begin(), more.end());
            }
            return line_of(bits_hex(quantile(*v, 0.5)), hash_span<double>(out));
        }));
    }

    // core/: golden Rng streams; "first-value hash-of-10^5".
    auto rng_item = [&items](std::string name, std::function<std::uint64_t(Rng&)> draw, std::uint64_t seed) {
        items.push_back(fixed_item(std::move(name), [draw, seed] {
            Rng r(seed);
            std::vector<std::uint64_t> v(kArgs);
            for (auto& x : v) x = draw(r);
            return line_of(hex64(v[0]), hash_span<std::uint64_t>(v));
        }));
    };
    rng_item("rng.next_u64", [](Rng& r) { return r.next_u64(); }, 0);
    rng_item("rng.next_u64.seed42", [](Rng& r) { return r.next_u64(); }, 42);
    rng_item("rng.uniform_int.1000", [](Rng& r) { return r.uniform_int(1000); }, 7);
    rng_item("rng.uniform_int.huge", [](Rng& r) { return r.uniform_int(0xC000000000000001ULL); }, 7);
    rng_item("rng.uniform", [](Rng& r) { return std::bit_cast<std::uint64_t>(r.uniform()); }, 8);
    rng_item("rng.normal", [](Rng& r) { return std::bit_cast<std::uint64_t>(r.normal()); }, 9);
    items.push_back(fixed_item("rng.keyed", [] {
        std::vector<std::uint64_t> v;
        for (int i = 0; i < 1000; ++i) {
            Rng r = Rng::keyed(99, "row-" + std::to_string(i));
            v.push_back(r.next_u64());
        }
        return line_of(hex64(v[0]), hash_span<std::uint64_t>(v));
    }));
    items.push_back(fixed_item("rng.shuffle_and_sample", [] {
        Rng r(10);
        std::vector<std::uint64_t> v(10000);
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = i;
        r.shuffle(v.begin(), v.end());
        for (std::size_t k : {std::size_t{10}, std::size_t{5000}})
            for (std::size_t x : r.sample_without_replacement(100000, k)) v.push_back(x);
        return line_of(hex64(v[0]), hash_span<std::uint64_t>(v));
    }));

    // model_selection/: seeded splits.
    items.push_back(fixed_item("model_selection.splits", [&d] {
        std::vector<std::uint64_t> v;
        auto put = [&v](const std::vector<std::size_t>& idx) {
            v.push_back(idx.size());
            v.insert(v.end(), idx.begin(), idx.end());
        };
        for (const auto& sp : KFold({.n_splits = 5, .shuffle = true, .seed = 3}).split(1000)) {
            put(sp.train);
            put(sp.test);
        }
        const auto tts = train_test_split_indices(d.penguins, {.test_size = 0.3, .stratify = "species", .seed = 4});
        put(tts.train);
        put(tts.test);
        return line_of(hex64(v.size()), hash_span<std::uint64_t>(v));
    }));

    // The golden artifacts, last: their lines are fixed for as long as the files are.
    add_golden_artifacts(items, golden_dir, d.penguins);
    return items;
}

// Runs every item on `threads` std::threads at once (items handed out by an atomic
// counter), returning the lines in suite order.
std::vector<std::string> run_on_threads(const std::vector<Item>& items, int threads) {
    std::vector<std::string> lines(items.size());
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (std::size_t i; (i = next.fetch_add(1)) < items.size();) {
                try {
                    lines[i] = items[i].run();
                } catch (...) {
                    std::lock_guard lock(error_mutex);
                    if (!error) error = std::current_exception();
                    lines[i] = "ERROR";
                }
            }
        });
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
    return lines;
}
}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path data_dir = REPREP_TEST_DATA_DIR;
    std::filesystem::path golden_dir = REPREP_GOLDEN_DIR;
    bool checks = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--data-dir" && i + 1 < argc) data_dir = argv[++i];
        else if (a == "--golden-dir" && i + 1 < argc) golden_dir = argv[++i];
        else if (a == "--no-checks") checks = false;
        else {
            std::cerr << "usage: repro_probe [--data-dir DIR] [--golden-dir DIR] [--no-checks]\n";
            return kExitError;
        }
    }
    // The guard first: a build that would not give the golden bits must say so, not
    // print different numbers.
    try {
        check_fp_environment();
    } catch (const EnvironmentError& e) {
        std::cout << "fp_environment refused EnvironmentError: " << e.what() << "\n";
        return kExitRefused;
    }
    try {
        const Data d = make_data(data_dir);
        const std::vector<Item> items = build_suite(d, golden_dir);
        detail::for_each_type<builtin_kinds>([]<class C>() {
            if (!kinds_with_items.count(std::string(C::kind_name())))
                failure(std::string(C::kind_name()), "a built-in kind with no item in the probe: add one to build_suite");
        });
        // 1 thread first: its lines are the reference.
        const std::vector<std::string> lines = run_on_threads(items, kThreadCounts[0]);
        for (std::size_t i = 0; i < items.size(); ++i) std::cout << items[i].name << " " << lines[i] << "\n";
        std::cout.flush();
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].cheap) items[i].check(lines[i]);
        if (checks) {
            for (std::size_t i = 0; i < items.size(); ++i)
                if (!items[i].cheap) items[i].check(lines[i]);
            for (int threads : kThreadCounts) {
                if (threads == 1) continue;
                const auto again = run_on_threads(items, threads);
                for (std::size_t i = 0; i < items.size(); ++i)
                    if (again[i] != lines[i]) mismatch(items[i].name, std::to_string(threads) + " threads", again[i], lines[i]);
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "repro_probe: unexpected exception: " << e.what() << "\n";
        return kExitError;
    }
    for (const auto& f : failures) std::cerr << "repro_probe: MISMATCH " << f << "\n";
    if (!failures.empty()) return kExitMismatch;
    return 0;
}
