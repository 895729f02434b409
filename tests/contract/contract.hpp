// The shared contract suite (docs/design.md, "The promise"), run over every numeric component.
//
// A family's test file lists its cases and instantiates the suite:
//
//   struct StandardScalerCase {
//       using Component = reprep::StandardScaler<double>;
//       static Component make();                    // valid, non-default params where possible
//       static reprep::Matrix<double> train();      // training data that suits the component
//       static reprep::Matrix<double> test();       // data to transform (may hold NaN etc.)
//       static void bad_params();                   // CHECKs that invalid Params throw InvalidParameter
//       static constexpr bool has_accumulator = true;
//   };
//   TEST_CASE_TEMPLATE("numeric contract", C, StandardScalerCase, ...) { contract::run_all<C>(); }
//
// Each check is a promise of docs/design.md, "The promise", and of the numeric-components issue.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>
#include <numeric>
#include <reprep/core/archive.hpp>
#include <reprep/core/chunk_source.hpp>
#include <reprep/core/rng.hpp>
#include <reprep/core/shard_combiner.hpp>
#include <reprep/core/table.hpp>
#include <string>
#include <vector>

namespace contract {

using reprep::Matrix;

// Bitwise equality, NaN payloads included: "identical bits" is the promise.
template <class T>
bool same_bits(const Matrix<T>& a, const Matrix<T>& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(T) * static_cast<std::size_t>(a.size())) == 0;
}

template <class T>
Matrix<T> rows_in_order(const Matrix<T>& X, const std::vector<std::size_t>& order) {
    Matrix<T> Y(static_cast<Eigen::Index>(order.size()), X.cols());
    for (std::size_t i = 0; i < order.size(); ++i) Y.row(static_cast<Eigen::Index>(i)) = X.row(static_cast<Eigen::Index>(order[i]));
    return Y;
}

inline std::vector<std::size_t> permutation(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> p(n);
    std::iota(p.begin(), p.end(), std::size_t{0});
    reprep::Rng rng(seed);
    rng.shuffle(p.begin(), p.end());
    return p;
}

// Random data generators for cases, all seeded through reprep's Rng.
// Gaussian-ish columns with different offsets and scales, and `nan_rate` NaNs.
inline Matrix<double> gaussian(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed, double nan_rate = 0.0) {
    reprep::Rng rng(seed);
    Matrix<double> X(rows, cols);
    for (Eigen::Index j = 0; j < cols; ++j) {
        const double offset = 10.0 * static_cast<double>(j) - 7.0, scale = 1.0 + static_cast<double>(j);
        for (Eigen::Index i = 0; i < rows; ++i) {
            const bool missing = nan_rate > 0 && rng.uniform() < nan_rate;
            X(i, j) = missing ? std::numeric_limits<double>::quiet_NaN() : offset + scale * rng.normal();
        }
    }
    return X;
}

// The bounds of k chunks of rows [0, rows), cut at k - 1 distinct random places
// (seeded by k): cuts[i] .. cuts[i + 1] is chunk i, none empty.
inline std::vector<std::size_t> random_cuts(std::size_t rows, std::size_t k) {
    reprep::Rng rng(100 + k);
    std::vector<std::size_t> cuts = {0, rows};
    while (cuts.size() < k + 1) {
        const std::size_t cut = 1 + static_cast<std::size_t>(rng.uniform_int(rows - 1));
        if (std::find(cuts.begin(), cuts.end(), cut) == cuts.end()) cuts.push_back(cut);
    }
    std::sort(cuts.begin(), cuts.end());
    return cuts;
}

// A re-readable source that builds each chunk afresh for its visit and destroys it after:
// a fit that kept a chunk past its call would read a destroyed Table (ASan in the dev
// tree); it counts its reads.
class FreshChunks final : public reprep::ChunkSource {
public:
    FreshChunks(reprep::Table all, std::vector<std::size_t> sizes) : all_(std::move(all)), sizes_(std::move(sizes)) {}
    void for_each(const std::function<void(const reprep::Table&)>& visit) const override {
        ++reads;
        std::size_t at = 0;
        for (const std::size_t size : sizes_) {
            std::vector<std::size_t> idx(size);
            std::iota(idx.begin(), idx.end(), at);
            at += size;
            visit(all_.rows(idx));  // a temporary: gone when visit returns
        }
    }
    mutable std::size_t reads = 0;

private:
    reprep::Table all_;
    std::vector<std::size_t> sizes_;
};

// One process: records how many states the fit combined and the largest.
class RecordingCombiner final : public reprep::ShardCombiner {
public:
    std::string combine(const Local& local, const Merge& /*merge*/) const override {
        std::string s = local();
        ++calls;
        largest = std::max(largest, s.size());
        return s;
    }
    mutable std::size_t calls = 0, largest = 0;
};

// Chunks of `size` rows (the last shorter), with empty chunks at the start, after the
// second chunk and at the end.
inline std::vector<std::size_t> chunk_sizes(std::size_t rows, std::size_t size) {
    std::vector<std::size_t> s = {0};
    for (std::size_t at = 0; at < rows; at += size) {
        s.push_back(std::min(size, rows - at));
        if (s.size() == 3) s.push_back(0);
    }
    s.push_back(0);
    return s;
}

// 1. Shuffled training rows give a byte-identical fingerprint.
template <class C>
void order_independence() {
    const auto X = C::train();
    auto a = C::make();
    a.fit(X);
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        auto b = C::make();
        b.fit(rows_in_order(X, permutation(static_cast<std::size_t>(X.rows()), seed)));
        CHECK_MESSAGE(reprep::fingerprint(b) == reprep::fingerprint(a), "shuffle seed " << seed);
    }
}

// 2. Fitting through the Accumulator on k random chunks, merged in random order,
//    gives the fingerprint of fit(X), for k in {1, 2, 7}; so does fit(ChunkSource) on
//    those chunks, with the same saved bytes. A component without an Accumulator that
//    fits a source in passes of its own (PowerTransformer) is held to the second part.
template <class C>
void chunk_independence() {
    if constexpr (!C::has_accumulator &&
                  requires(typename C::Component& c, const reprep::TableChunks& s) { c.fit(s); }) {
        const auto X = C::train();
        auto whole = C::make();
        whole.fit(X);
        const auto rows = static_cast<std::size_t>(X.rows());
        for (std::size_t k : {1u, 2u, 7u}) {
            const auto cuts = random_cuts(rows, k);
            std::vector<reprep::Table> tables;
            for (std::size_t i : permutation(k, 200 + k)) {
                const auto c = static_cast<Eigen::Index>(cuts[i]), len = static_cast<Eigen::Index>(cuts[i + 1] - cuts[i]);
                tables.push_back(reprep::Table::from_matrix(X.middleRows(c, len), whole.feature_names_in()));
            }
            auto sourced = C::make();
            sourced.fit(reprep::TableChunks(std::move(tables)));
            CHECK_MESSAGE(reprep::save_bytes(sourced) == reprep::save_bytes(whole), "source of k = " << k);
        }
    }
    if constexpr (C::has_accumulator) {
        const auto X = C::train();
        auto whole = C::make();
        whole.fit(X);
        const auto rows = static_cast<std::size_t>(X.rows());
        for (std::size_t k : {1u, 2u, 7u}) {
            const auto cuts = random_cuts(rows, k);
            auto base = C::make();
            std::vector<typename C::Component::Accumulator> parts;
            for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
                auto acc = base.accumulator();
                acc.update(X.middleRows(static_cast<Eigen::Index>(cuts[c]), static_cast<Eigen::Index>(cuts[c + 1] - cuts[c])));
                parts.push_back(std::move(acc));
            }
            const auto order = permutation(parts.size(), 200 + k);
            auto merged = parts[order[0]];
            for (std::size_t i = 1; i < order.size(); ++i) merged.merge(parts[order[i]]);
            auto fitted = C::make();
            fitted.fit(merged);
            CHECK_MESSAGE(reprep::fingerprint(fitted) == reprep::fingerprint(whole), "k = " << k);
            // The same chunks as a re-readable source of Tables, in the merge order: a
            // value-keeping component selects its ranks in several passes instead.
            std::vector<reprep::Table> tables;
            for (std::size_t i : order) {
                const auto c = static_cast<Eigen::Index>(cuts[i]), len = static_cast<Eigen::Index>(cuts[i + 1] - cuts[i]);
                tables.push_back(reprep::Table::from_matrix(X.middleRows(c, len), whole.feature_names_in()));
            }
            auto sourced = C::make();
            sourced.fit(reprep::TableChunks(std::move(tables)));
            CHECK_MESSAGE(reprep::save_bytes(sourced) == reprep::save_bytes(whole), "source of k = " << k);
            // fit(acc, names): the fit of a Table of those rows under those names, the same
            // bytes (where the case names no columns in its Params, any names do).
            if (base.params().columns.empty()) {
                std::vector<std::string> names;
                for (Eigen::Index j = 0; j < X.cols(); ++j) names.push_back("col_" + std::to_string(j));
                auto by_names = C::make();
                by_names.fit(merged, names);
                auto by_table = C::make();
                by_table.fit(reprep::Table::from_matrix(X, names));
                CHECK_MESSAGE(reprep::save_bytes(by_names) == reprep::save_bytes(by_table), "names, k = " << k);
            }
        }
    }
}

// 4. The single-row path gives the bits of the batch path.
template <class C>
void single_row_equals_batch() {
    auto c = C::make();
    c.fit(C::train());
    const auto X = C::test();
    using T = typename C::Component::Scalar;
    const Matrix<T> batch = c.transform(X);
    std::vector<T> in(static_cast<std::size_t>(X.cols())), out(static_cast<std::size_t>(batch.cols()));
    bool all_equal = true;
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        for (Eigen::Index j = 0; j < X.cols(); ++j) in[static_cast<std::size_t>(j)] = X(i, j);
        c.transform_row(in, out);
        for (Eigen::Index j = 0; j < batch.cols(); ++j)
            all_equal &= std::memcmp(&out[static_cast<std::size_t>(j)], &batch(i, j), sizeof(T)) == 0;
    }
    CHECK(all_equal);
}

// 5. load(save(c)) has the same fingerprint and gives identical outputs.
template <class C>
void save_load() {
    using Comp = typename C::Component;
    auto c = C::make();
    c.fit(C::train());
    const std::string bytes = reprep::save_bytes(c);
    const Comp d = reprep::load_bytes<Comp>(bytes);
    CHECK(reprep::fingerprint(d) == reprep::fingerprint(c));
    CHECK(same_bits(d.transform(C::test()), c.transform(C::test())));
    // An unfitted component round-trips too, and stays unfitted.
    const Comp u = reprep::load_bytes<Comp>(reprep::save_bytes(C::make()));
    CHECK_FALSE(u.is_fitted());
}

// 6. Wrong width -> SchemaError, before fit -> NotFitted, bad params -> InvalidParameter.
template <class C>
void errors() {
    auto c = C::make();
    const auto X = C::test();
    CHECK_THROWS_AS(c.transform(X), reprep::NotFitted);
    c.fit(C::train());
    using T = typename C::Component::Scalar;
    Matrix<T> wider(X.rows(), X.cols() + 1);
    wider << X, X.col(0);
    CHECK_THROWS_AS(c.transform(wider), reprep::SchemaError);
    if (X.cols() > 1) CHECK_THROWS_AS(c.transform(X.leftCols(X.cols() - 1)), reprep::SchemaError);
    C::bad_params();
}

// 7. transform leaves the input and the fitted state unchanged; a failed fit leaves
//    the previous state unchanged.
template <class C>
void no_side_effects() {
    auto c = C::make();
    c.fit(C::train());
    const std::string before = reprep::fingerprint(c);
    const auto X = C::test();
    const auto copy = X;
    (void)c.transform(X);
    CHECK(same_bits(X, copy));
    CHECK(reprep::fingerprint(c) == before);
    using T = typename C::Component::Scalar;
    const Matrix<T> empty(0, X.cols());
    CHECK_THROWS_AS(c.fit(empty), reprep::InvalidInput);
    CHECK(reprep::fingerprint(c) == before);
    // So does fit(acc) on an accumulator that has seen no chunk.
    if constexpr (C::has_accumulator) {
        const auto fresh = C::make().accumulator();
        CHECK_THROWS_AS(c.fit(fresh), reprep::InvalidInput);
        CHECK(reprep::fingerprint(c) == before);
    }
}

// Table path: Params::columns selects the columns; the others pass through unchanged.
template <class C>
void table_passthrough() {
    using Comp = typename C::Component;
    using T = typename Comp::Scalar;
    const Matrix<T> X = C::train();
    reprep::Table t;
    std::vector<std::string> names;
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        names.push_back("f" + std::to_string(j));
        std::vector<double> col(static_cast<std::size_t>(X.rows()));
        for (Eigen::Index i = 0; i < X.rows(); ++i) col[static_cast<std::size_t>(i)] = static_cast<double>(X(i, j));
        t.add_numeric(names.back(), std::move(col));
    }
    std::vector<double> other(static_cast<std::size_t>(X.rows()), 42.5);
    t.add_numeric("untouched", other);
    std::vector<std::optional<std::string>> cat(static_cast<std::size_t>(X.rows()), std::string("a"));
    t.add_categorical("label", cat);

    auto params = C::make().params();
    params.columns = names;
    Comp c(params);
    c.fit(t);
    const reprep::Table out = c.transform(t);
    CHECK(out.num_rows() == t.num_rows());
    REQUIRE(out.has_column("untouched"));
    CHECK(std::equal(out.numeric("untouched").begin(), out.numeric("untouched").end(), other.begin()));
    CHECK(out.categorical("label").codes == t.categorical("label").codes);
    // The table path computes what the matrix path computes.
    auto m = C::make();
    m.fit(X);
    const Matrix<T> expected = m.transform(X);
    const auto out_names = c.feature_names_out();
    REQUIRE(static_cast<Eigen::Index>(out_names.size()) == expected.cols());
    bool equal = true;
    for (Eigen::Index j = 0; j < expected.cols(); ++j) {
        const auto col = out.numeric(out_names[static_cast<std::size_t>(j)]);
        for (Eigen::Index i = 0; i < expected.rows(); ++i) {
            const double e = static_cast<double>(expected(i, j));
            equal &= std::memcmp(&col[static_cast<std::size_t>(i)], &e, sizeof(double)) == 0;
        }
    }
    CHECK(equal);
    // A table missing a fitted column is a SchemaError naming it.
    reprep::Table missing = t;
    missing.remove(names[0]);
    CHECK_THROWS_WITH_AS(c.transform(missing), doctest::Contains(names[0].c_str()), reprep::SchemaError);
}

// 8. Threads: a batch transform in row blocks on k threads gives the bits of one thread,
//    on the matrix path and on the table path, for thread counts that do and do not
//    divide the rows; a table fed back through (a block written by a numeric step, read
//    without a copy) gives the same bits as a fresh table.
template <class C>
void threads_same_bits() {
    using Comp = typename C::Component;
    using T = typename Comp::Scalar;
    auto c = C::make();
    c.fit(C::train());
    const auto X = C::test();
    const Matrix<T> one = c.transform(X);
    for (int k : {2, 3, 7, -1}) CHECK_MESSAGE(same_bits(c.transform(X, {.n_jobs = k}), one), "n_jobs = " << k);
    CHECK_THROWS_AS(c.transform(X, {.n_jobs = 0}), reprep::InvalidParameter);
    CHECK_THROWS_AS(c.transform(X, {.n_jobs = -2}), reprep::InvalidParameter);

    // Named as table_passthrough names them: some cases' params key settings by column.
    std::vector<std::string> names;
    for (Eigen::Index j = 0; j < X.cols(); ++j) names.push_back("f" + std::to_string(j));
    const reprep::Table t = reprep::Table::from_matrix(X, names);
    auto params = C::make().params();
    params.columns = names;
    Comp d(params);
    d.fit(reprep::Table::from_matrix(C::train(), names));
    const reprep::Table base = d.transform(t);
    for (int k : {2, 5}) CHECK_MESSAGE(d.transform(t, {.n_jobs = k}) == base, "table, n_jobs = " << k);
    // Width-preserving components can take their own output again; the second pass reads
    // the first one's block as a view and must compute what a fresh copy computes.
    if (c.n_features_out() == X.cols()) {
        reprep::Table fresh;
        for (const auto& n : base.column_names()) fresh.add_numeric(n, std::vector<double>(base.numeric(n).begin(), base.numeric(n).end()));
        // Output outside the input domain (e.g. a log of a negative) is refused; then both
        // paths must refuse it.
        auto run = [&](const reprep::Table& in) -> std::optional<reprep::Table> {
            try {
                return d.transform(in);
            } catch (const reprep::Error&) {
                return std::nullopt;
            }
        };
        const auto again = run(base), copied = run(fresh);
        CHECK(again.has_value() == copied.has_value());
        if (again && copied) CHECK(*again == *copied);
    }
}

// 9. Threaded fit: fit(X, {.n_jobs = k}) saves the bytes of fit(X) for thread counts
//    that do and do not divide the rows (and more threads than rows), on the matrix and
//    the table paths; a bad value in a late block raises fit(X)'s error, word for word,
//    and leaves a fitted component as it was.
template <class C>
void fit_threads_same_bits() {
    using Comp = typename C::Component;
    using T = typename Comp::Scalar;
    const auto X = C::train();
    auto one = C::make();
    one.fit(X);
    const std::string bytes = reprep::save_bytes(one);
    for (int k : {2, 3, 7, -1}) {
        auto c = C::make();
        c.fit(X, reprep::FitOptions{.n_jobs = k});
        CHECK_MESSAGE(reprep::save_bytes(c) == bytes, "fit n_jobs = " << k);
    }
    // More threads than rows: the same bytes, or the same refusal where 3 rows are too few.
    auto outcome = [&](auto&& fit) -> std::string {
        auto c = C::make();
        try {
            fit(c);
            return reprep::save_bytes(c);
        } catch (const reprep::Error& e) {
            return std::string("error: ") + e.what();
        }
    };
    CHECK(outcome([&](Comp& c) { c.fit(X.topRows(3), reprep::FitOptions{.n_jobs = 8}); }) ==
          outcome([&](Comp& c) { c.fit(X.topRows(3)); }));
    CHECK_THROWS_AS(C::make().fit(X, reprep::FitOptions{.n_jobs = 0}), reprep::InvalidParameter);

    std::vector<std::string> names;
    for (Eigen::Index j = 0; j < X.cols(); ++j) names.push_back("f" + std::to_string(j));
    auto params = C::make().params();
    params.columns = names;
    const reprep::Table t = reprep::Table::from_matrix(X, names);
    Comp d1(params), d2(params);
    d1.fit(t);
    d2.fit(t, reprep::FitOptions{.n_jobs = 2});
    CHECK(reprep::save_bytes(d2) == reprep::save_bytes(d1));

    // A value fit refuses, in the last block: +inf where infinities are refused, else NaN
    // where NaN is.
    if constexpr (!Comp::allow_inf_in_fit || !Comp::allow_nan_in_fit) {
        Matrix<T> bad = X;
        bad(bad.rows() - 2, bad.cols() - 1) = Comp::allow_inf_in_fit ? std::numeric_limits<T>::quiet_NaN()
                                                                      : std::numeric_limits<T>::infinity();
        std::string serial, threaded;
        try {
            C::make().fit(bad);
        } catch (const reprep::Error& e) {
            serial = e.what();
        }
        auto kept = C::make();
        kept.fit(X);
        try {
            kept.fit(bad, reprep::FitOptions{.n_jobs = 3});
        } catch (const reprep::Error& e) {
            threaded = e.what();
        }
        CHECK(!serial.empty());
        CHECK(threaded == serial);
        CHECK(reprep::save_bytes(kept) == bytes);
    }
}

template <class C>
void run_all() {
    SUBCASE("order independence") { order_independence<C>(); }
    SUBCASE("chunk and merge independence") { chunk_independence<C>(); }
    SUBCASE("single row equals batch") { single_row_equals_batch<C>(); }
    SUBCASE("save and load") { save_load<C>(); }
    SUBCASE("errors") { errors<C>(); }
    SUBCASE("no side effects") { no_side_effects<C>(); }
    SUBCASE("table passthrough") { table_passthrough<C>(); }
    SUBCASE("threads give the same bits") { threads_same_bits<C>(); }
    SUBCASE("threaded fit gives the same bits") { fit_threads_same_bits<C>(); }
}

}  // namespace contract
