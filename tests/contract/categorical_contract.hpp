// The contract suite (docs/design.md, "The promise") for components over categorical Table columns.
//
// A family's test file lists its cases and instantiates the suite:
//
//   struct OneHotCase {
//       using Component = reprep::OneHotEncoder;
//       static Component make();                 // valid, non-default params where possible
//       static reprep::Table train();            // categorical columns it fits (+ others that pass through)
//       static reprep::Table test();             // data it transforms without error under make()
//       static std::optional<reprep::Table> unknown();  // a table whose value make() refuses with
//                                                 // UnknownCategory (row 3 of column "color"), if any
//       static void bad_params();                 // CHECKs that invalid Params throw InvalidParameter
//       static constexpr bool supervised = false; // fit(X, y) with contract::target(X)
//   };
//   TEST_CASE_TEMPLATE("categorical contract", C, OneHotCase, ...) { contract::run_all_categorical<C>(); }
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <optional>
#include <reprep/core/archive.hpp>
#include <reprep/core/parallel.hpp>
#include <reprep/core/rng.hpp>
#include <reprep/core/table.hpp>
#include <string>
#include <vector>

namespace contract {

using OptStr = std::optional<std::string>;

inline std::vector<std::size_t> cat_permutation(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> p(n);
    std::iota(p.begin(), p.end(), std::size_t{0});
    reprep::Rng rng(seed);
    rng.shuffle(p.begin(), p.end());
    return p;
}

// A skewed categorical column: value v_k drawn with weight ~ 1/(k+1), `missing_rate` missing.
inline std::vector<OptStr> skewed_column(std::size_t rows, std::size_t distinct, const std::string& prefix,
                                         std::uint64_t seed, double missing_rate) {
    reprep::Rng rng(seed);
    std::vector<double> cdf(distinct);
    double total = 0;
    for (std::size_t k = 0; k < distinct; ++k) cdf[k] = total += 1.0 / static_cast<double>(k + 1);
    std::vector<OptStr> out(rows);
    for (auto& v : out) {
        if (rng.uniform() < missing_rate) continue;
        const double u = rng.uniform() * total;
        const std::size_t k = static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
        v = prefix + std::to_string(std::min(k, distinct - 1));
    }
    return out;
}

// The standard contract data: "color" (8 skewed values, 5% missing), "city" (30 values,
// 10% missing), "flag" (2 values), a numeric "x" and, when `with_other`, nothing else.
inline reprep::Table categorical_data(std::size_t rows, std::uint64_t seed, double missing = 1.0) {
    reprep::Table t;
    t.add_categorical("color", skewed_column(rows, 8, "c", seed, 0.05 * missing));
    std::vector<double> x(rows);
    reprep::Rng rng(seed + 7);
    for (auto& v : x) v = rng.normal();
    t.add_numeric("x", std::move(x));
    t.add_categorical("city", skewed_column(rows, 30, "town_", seed + 1, 0.10 * missing));
    t.add_categorical("flag", skewed_column(rows, 2, "f", seed + 2, 0.0));
    return t;
}

// A deterministic target computed from each row's own values (its category and its
// "x"), never from its position, so shuffled or chunked rows keep their targets.
inline std::vector<double> target(const reprep::Table& t) {
    std::vector<double> y(t.num_rows());
    for (std::size_t i = 0; i < y.size(); ++i) {
        const auto c = t.category("color", i);
        double v = t.has_column("x") ? 0.25 * std::floor(4.0 * t.numeric("x")[i]) : 0.0;
        if (c) v += static_cast<double>((*c)[1] - '0') * 1.5;
        y[i] = v;
    }
    return y;
}

// A case may bring its own target (e.g. a binary one): static std::vector<double> target(const Table&).
template <class C>
std::vector<double> case_target(const reprep::Table& t) {
    if constexpr (requires { C::target(t); }) return C::target(t);
    else return target(t);
}

template <class C>
void fit_case(typename C::Component& c, const reprep::Table& t) {
    if constexpr (C::supervised) {
        const auto y = case_target<C>(t);
        c.fit(t, std::span<const double>(y));
    } else {
        c.fit(t);
    }
}

// Same bits: numeric outputs by memcmp of the dense matrix, categorical outputs by value.
template <class Comp>
bool same_output(const Comp& a, const Comp& b, const reprep::Table& t) {
    if constexpr (Comp::numeric_output) {
        const auto x = a.transform_matrix(t), y = b.transform_matrix(t);
        return x.rows() == y.rows() && x.cols() == y.cols() &&
               std::memcmp(x.data(), y.data(), sizeof(double) * static_cast<std::size_t>(x.size())) == 0;
    } else {
        return a.transform(t) == b.transform(t);
    }
}

// The same rows with every dictionary rebuilt in reverse order plus unused entries.
inline reprep::Table shuffled_dictionaries(const reprep::Table& t) {
    reprep::Table out;
    for (const auto& name : t.column_names()) {
        if (t.type(name) == reprep::ColumnType::numeric) {
            const auto v = t.numeric(name);
            out.add_numeric(name, std::vector<double>(v.begin(), v.end()));
            continue;
        }
        const auto& c = t.categorical(name);
        reprep::CategoricalColumn r;
        r.dictionary.push_back("zz_unused_entry");
        for (auto it = c.dictionary.rbegin(); it != c.dictionary.rend(); ++it) r.dictionary.push_back(*it);
        r.dictionary.push_back("another unused entry");
        const auto d = static_cast<std::int32_t>(c.dictionary.size());
        for (auto code : c.codes) r.codes.push_back(code < 0 ? -1 : d - code);
        out.add_categorical(name, std::move(r));
    }
    return out;
}

// 1. Shuffled training rows give a byte-identical fingerprint.
template <class C>
void cat_order_independence() {
    const auto t = C::train();
    auto a = C::make();
    fit_case<C>(a, t);
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        const auto p = cat_permutation(t.num_rows(), seed);
        auto b = C::make();
        fit_case<C>(b, t.rows(p));
        CHECK_MESSAGE(reprep::fingerprint(b) == reprep::fingerprint(a), "shuffle seed " << seed);
    }
}

// 2. Accumulators over k chunks, merged in random order (one shard passed through
//    save/load), give the fingerprint of fit(X), for k in {1, 2, 7}.
template <class C>
void cat_chunk_independence() {
    const auto t = C::train();
    auto whole = C::make();
    fit_case<C>(whole, t);
    const std::size_t rows = t.num_rows();
    for (std::size_t k : {1u, 2u, 7u}) {
        reprep::Rng rng(100 + k);
        std::vector<std::size_t> cuts = {0, rows};
        while (cuts.size() < k + 1) {
            const std::size_t cut = 1 + static_cast<std::size_t>(rng.uniform_int(rows - 1));
            if (std::find(cuts.begin(), cuts.end(), cut) == cuts.end()) cuts.push_back(cut);
        }
        std::sort(cuts.begin(), cuts.end());
        const auto base = C::make();
        std::vector<typename C::Component::Accumulator> parts;
        for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
            std::vector<std::size_t> idx(cuts[c + 1] - cuts[c]);
            std::iota(idx.begin(), idx.end(), cuts[c]);
            const auto chunk = t.rows(idx);
            auto acc = base.accumulator();
            if constexpr (C::supervised) {
                const auto y = case_target<C>(chunk);
                acc.update(chunk, std::span<const double>(y));
            } else {
                acc.update(chunk);
            }
            parts.push_back(std::move(acc));
        }
        // Shards travel between processes: one of them goes through bytes.
        {
            reprep::ArchiveWriter w;
            parts.back().save(w);
            reprep::ArchiveReader r(w.bytes());
            auto back = C::Component::Accumulator::load(r);
            CHECK(back == parts.back());
            parts.back() = std::move(back);
        }
        const auto order = cat_permutation(parts.size(), 200 + k);
        auto merged = parts[order[0]];
        for (std::size_t i = 1; i < order.size(); ++i) merged.merge(parts[order[i]]);
        auto fitted = C::make();
        fitted.fit(merged);
        CHECK_MESSAGE(reprep::fingerprint(fitted) == reprep::fingerprint(whole), "k = " << k);
    }
}

// 3. The single-row path gives the bits of the batch path.
template <class C>
void cat_single_row_equals_batch() {
    using Comp = typename C::Component;
    auto c = C::make();
    fit_case<C>(c, C::train());
    const auto t = C::test();
    const auto& names = c.feature_names_in();
    std::vector<std::optional<std::string_view>> record(names.size());
    auto fill = [&](std::size_t i) {
        for (std::size_t j = 0; j < names.size(); ++j) record[j] = t.category(names[j], i);
    };
    bool all_equal = true;
    if constexpr (Comp::numeric_output) {
        const auto batch = c.transform_matrix(t);
        std::vector<double> out(c.n_features_out());
        for (std::size_t i = 0; i < t.num_rows(); ++i) {
            fill(i);
            c.transform_row(record, out);
            for (std::size_t k = 0; k < out.size(); ++k)
                all_equal &= std::memcmp(&out[k], &batch(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)),
                                         sizeof(double)) == 0;
        }
    } else {
        const auto batch = c.transform(t);
        std::vector<std::optional<std::string_view>> out(names.size());
        for (std::size_t i = 0; i < t.num_rows(); ++i) {
            fill(i);
            c.transform_row(record, out);
            for (std::size_t j = 0; j < names.size(); ++j) all_equal &= out[j] == batch.category(names[j], i);
        }
    }
    CHECK(all_equal);
}

// 4. load(save(c)) has the same fingerprint and gives identical outputs.
template <class C>
void cat_save_load() {
    using Comp = typename C::Component;
    auto c = C::make();
    fit_case<C>(c, C::train());
    const Comp d = reprep::load_bytes<Comp>(reprep::save_bytes(c));
    CHECK(reprep::fingerprint(d) == reprep::fingerprint(c));
    CHECK(same_output(c, d, C::test()));
    CHECK(d.transform(C::test()) == c.transform(C::test()));
    const Comp u = reprep::load_bytes<Comp>(reprep::save_bytes(C::make()));
    CHECK_FALSE(u.is_fitted());
    CHECK(reprep::fingerprint(u) == reprep::fingerprint(C::make()));
}

// 5. NotFitted, SchemaError (missing and mistyped column), InvalidParameter, UnknownCategory.
template <class C>
void cat_errors() {
    auto c = C::make();
    const auto t = C::test();
    CHECK_THROWS_AS((void)c.transform(t), reprep::NotFitted);
    CHECK_THROWS_AS((void)c.feature_names_out(), reprep::NotFitted);
    fit_case<C>(c, C::train());
    const std::string fitted_col = c.feature_names_in().front();
    reprep::Table missing = t;
    missing.remove(fitted_col);
    CHECK_THROWS_WITH_AS((void)c.transform(missing), doctest::Contains(fitted_col.c_str()), reprep::SchemaError);
    reprep::Table mistyped = missing;
    mistyped.add_numeric(fitted_col, std::vector<double>(t.num_rows(), 1.0));
    CHECK_THROWS_WITH_AS((void)c.transform(mistyped), doctest::Contains(fitted_col.c_str()), reprep::SchemaError);
    // A record of the wrong width.
    std::vector<std::optional<std::string_view>> short_record(c.feature_names_in().size() + 1);
    if constexpr (C::Component::numeric_output) {
        std::vector<double> out(c.n_features_out());
        CHECK_THROWS_AS(c.transform_row(short_record, out), reprep::SchemaError);
    } else {
        std::vector<std::optional<std::string_view>> out(short_record.size());
        CHECK_THROWS_AS(c.transform_row(short_record, out), reprep::SchemaError);
    }
    C::bad_params();
    if (const auto u = C::unknown()) {
        const auto value = u->category("color", 3);
        REQUIRE(value.has_value());
        try {
            (void)c.transform(*u);
            FAIL("expected UnknownCategory");
        } catch (const reprep::UnknownCategory& e) {
            CHECK(e.column() == "color");
            CHECK(e.row() == std::optional<std::size_t>(3));
            CHECK(std::string(e.what()).find(std::string(*value)) != std::string::npos);
        }
    }
}

// 6. transform leaves the input and the state unchanged; a failed fit leaves the state.
template <class C>
void cat_no_side_effects() {
    auto c = C::make();
    fit_case<C>(c, C::train());
    const std::string before = reprep::fingerprint(c);
    const auto t = C::test();
    const auto copy = t;
    (void)c.transform(t);
    CHECK(t == copy);
    CHECK(t.fingerprint() == copy.fingerprint());
    CHECK(reprep::fingerprint(c) == before);
    const reprep::Table empty = C::train().rows(std::vector<std::size_t>{});
    CHECK_THROWS_AS(fit_case<C>(c, empty), reprep::InvalidInput);
    CHECK(reprep::fingerprint(c) == before);
}

// 7. The dictionary order (and unused entries) of the input table does not matter,
//    in fit or in transform; columns not fitted pass through unchanged.
template <class C>
void cat_dictionary_order_and_passthrough() {
    using Comp = typename C::Component;
    auto a = C::make();
    fit_case<C>(a, C::train());
    auto b = C::make();
    fit_case<C>(b, shuffled_dictionaries(C::train()));
    CHECK(reprep::fingerprint(a) == reprep::fingerprint(b));
    const auto t = C::test();
    const auto s = shuffled_dictionaries(t);
    CHECK(a.transform(t) == a.transform(s));
    if constexpr (Comp::numeric_output) {
        const auto x = a.transform_matrix(t), y = a.transform_matrix(s);
        CHECK(std::memcmp(x.data(), y.data(), sizeof(double) * static_cast<std::size_t>(x.size())) == 0);
    }
    const auto out = a.transform(t);
    REQUIRE(out.has_column("x"));
    CHECK(std::equal(out.numeric("x").begin(), out.numeric("x").end(), t.numeric("x").begin()));
    for (const auto& name : t.column_names()) {
        const auto& fitted = a.feature_names_in();
        if (t.type(name) != reprep::ColumnType::categorical) continue;
        if (std::find(fitted.begin(), fitted.end(), name) != fitted.end()) continue;
        REQUIRE(out.has_column(name));
        CHECK(out.categorical(name).codes == t.categorical(name).codes);
    }
    for (const auto& name : a.feature_names_out()) CHECK(out.has_column(name));
}

// 8. Threads: a batch transform in row blocks gives the bits of one thread; a bad
//    n_jobs is an InvalidParameter. (Kinds without row blocks have no such overload.)
template <class C>
void cat_threads_same_bits() {
    auto c = C::make();
    fit_case<C>(c, C::train());
    const auto t = C::test();
    if constexpr (requires { c.transform(t, reprep::TransformOptions{}); }) {
        const auto one = c.transform(t);
        for (int k : {2, 3, 7, -1}) CHECK_MESSAGE(c.transform(t, {.n_jobs = k}) == one, "n_jobs = " << k);
        CHECK_THROWS_AS(c.transform(t, {.n_jobs = 0}), reprep::InvalidParameter);
    }
}

template <class C>
void run_all_categorical() {
    SUBCASE("order independence") { cat_order_independence<C>(); }
    SUBCASE("chunk and merge independence") { cat_chunk_independence<C>(); }
    SUBCASE("single row equals batch") { cat_single_row_equals_batch<C>(); }
    SUBCASE("save and load") { cat_save_load<C>(); }
    SUBCASE("errors") { cat_errors<C>(); }
    SUBCASE("no side effects") { cat_no_side_effects<C>(); }
    SUBCASE("dictionary order and passthrough") { cat_dictionary_order_and_passthrough<C>(); }
    SUBCASE("threads give the same bits") { cat_threads_same_bits<C>(); }
}

}  // namespace contract
