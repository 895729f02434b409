// The contract suite over the discretisers, plus their own behaviour: edges on known
// data, one-hot layout, inverse, tiny-bin removal, out-of-range serving values.
#include "contract.hpp"

#include <reprep/discretise/arbitrary_discretiser.hpp>
#include <reprep/discretise/k_bins_discretizer.hpp>

using namespace reprep;

namespace {
template <class T>
Matrix<T> cast(const Matrix<double>& X) { return X.template cast<T>(); }

template <class T, KBinsStrategy S, KBinsEncode E, int N>
struct KBinsCase {
    using Component = KBinsDiscretizer<T>;
    static Component make() { return Component({.n_bins = N, .encode = E, .strategy = S}); }
    static Matrix<T> train() { return cast<T>(contract::gaussian(187, 3, 61, 0.0)); }
    static Matrix<T> test() {
        Matrix<double> X = contract::gaussian(43, 3, 62, 0.0);
        X(0, 0) = -1e9;  // outside the fitted range: first / last bin
        X(1, 0) = 1e9;
        return cast<T>(X);
    }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.n_bins = 1}), InvalidParameter);
        CHECK_THROWS_AS(Component({.strategy = static_cast<KBinsStrategy>(5)}), InvalidParameter);
        CHECK_THROWS_AS(Component({.encode = static_cast<KBinsEncode>(5)}), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};

template <class T>
struct ArbitraryCase {
    using Component = ArbitraryDiscretiser<T>;
    static Component make() {
        return Component({.columns = {"f0", "f1", "f2"},
                          .binning_dict = {{"f0", {-10.0, -7.0, -5.0, 0.0}}, {"f2", {0.0, 10.0, 13.0, 20.0, 30.0}}}});
    }
    static Matrix<T> train() { return cast<T>(contract::gaussian(60, 3, 71, 0.05)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(30, 3, 72, 0.1)); }
    static void bad_params() {
        CHECK_THROWS_AS(Component(typename Component::Params{}), InvalidParameter);
        CHECK_THROWS_AS(Component({.binning_dict = {{"a", {1.0}}}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.binning_dict = {{"a", {1.0, 1.0}}}}), InvalidParameter);
    }
    static constexpr bool has_accumulator = false;
};
}  // namespace

TEST_CASE_TEMPLATE("numeric contract: discretisers", C, KBinsCase<double, KBinsStrategy::quantile, KBinsEncode::ordinal, 5>,
                   KBinsCase<double, KBinsStrategy::uniform, KBinsEncode::onehot_dense, 4>,
                   KBinsCase<double, KBinsStrategy::kmeans, KBinsEncode::ordinal, 6>,
                   KBinsCase<float, KBinsStrategy::quantile, KBinsEncode::onehot_dense, 3>, ArbitraryCase<double>,
                   ArbitraryCase<float>) {
    contract::run_all<C>();
}

TEST_CASE("KBinsDiscretizer: edges, one-hot layout, inverse, constant column") {
    Matrix<double> X(6, 2);
    X << 0.0, 5.0, 1.0, 5.0, 2.0, 5.0, 3.0, 5.0, 4.0, 5.0, 6.0, 5.0;
    KBinsDiscretizer<> u({.n_bins = 3, .encode = KBinsEncode::onehot_dense, .strategy = KBinsStrategy::uniform});
    u.fit(X);
    CHECK(u.bin_edges(0) == std::vector<double>{0.0, 2.0, 4.0, 6.0});
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(u.bin_edges(1) == std::vector<double>{-inf, inf});  // constant: one bin
    CHECK(u.feature_names_out() == std::vector<std::string>{"x0_0", "x0_1", "x0_2", "x1_0"});
    const Matrix<double> Y = u.transform(X);
    REQUIRE(Y.cols() == 4);
    CHECK(Y.row(2) == (RowVector<double>(4) << 0, 1, 0, 1).finished());  // 2.0 opens bin 1 (side = right)
    CHECK(Y.row(5) == (RowVector<double>(4) << 0, 0, 1, 1).finished());
    const Matrix<double> back = u.inverse_transform(Y);
    CHECK(back(0, 0) == 1.0);
    CHECK(std::isnan(back(0, 1)));  // centre of [-Inf, Inf], as scikit-learn
    KBinsDiscretizer<> o({.n_bins = 3, .encode = KBinsEncode::ordinal, .strategy = KBinsStrategy::uniform});
    o.fit(X);
    Matrix<double> codes(1, 2);
    codes << 2.5, 0.0;
    CHECK_THROWS_AS(o.inverse_transform(codes), InvalidInput);
    Matrix<double> with_nan = X;
    with_nan(1, 0) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(o.fit(with_nan), doctest::Contains("row 1"), InvalidInput);
    // Quantile bins narrower than 1e-8 are dropped, as scikit-learn does.
    Matrix<double> ties(8, 1);
    ties << 1, 1, 1, 1, 1, 1, 2, 3;
    KBinsDiscretizer<> q({.n_bins = 4, .encode = KBinsEncode::ordinal, .strategy = KBinsStrategy::quantile});
    q.fit(ties);
    CHECK(q.bin_edges(0) == std::vector<double>{1.0, 1.25, 3.0});
    CHECK(q.n_bins_fitted() == std::vector<int>{2});
}

TEST_CASE("ArbitraryDiscretiser: right-closed bins, outer edges at infinity, pass-through") {
    Matrix<double> X(5, 2);
    X << -100.0, 1.0, 0.0, 2.0, 0.5, 3.0, 1.0, 4.0, 100.0, std::numeric_limits<double>::quiet_NaN();
    ArbitraryDiscretiser<> d({.binning_dict = {{"x0", {0.0, 0.5, 1.0}}}});
    d.fit(X);
    const Matrix<double> Y = d.transform(X);
    CHECK(Y(0, 0) == 0.0);  // below the first edge: first bin (feature-engine gives NaN)
    CHECK(Y(1, 0) == 0.0);  // (-Inf, 0.5]
    CHECK(Y(2, 0) == 0.0);  // 0.5 closes bin 0
    CHECK(Y(3, 0) == 1.0);
    CHECK(Y(4, 0) == 1.0);  // above the last edge: last bin
    CHECK(Y.col(1).head(4) == X.col(1).head(4));  // no entry: passed through
    CHECK(std::isnan(Y(4, 1)));
    ArbitraryDiscretiser<> wrong({.binning_dict = {{"nope", {0.0, 1.0}}}});
    CHECK_THROWS_WITH_AS(wrong.fit(X), doctest::Contains("nope"), SchemaError);
}

namespace {
using contract::chunk_sizes;
using contract::FreshChunks;
using contract::RecordingCombiner;

// Columns that stress k-means: normal values, heavy ties, three distinct values (clusters
// left empty, so values are relocated), zeros of both signs beside one far value, a
// heavy tail, and a constant column (one bin, no k-means).
Table kmeans_data(std::size_t rows, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<double> normal(rows), ties(rows), three(rows), zeros(rows), tail(rows), constant(rows, 4.25);
    for (std::size_t i = 0; i < rows; ++i) {
        const double g = rng.normal();
        normal[i] = 3.0 + 2.0 * g;
        ties[i] = std::floor(3.0 * rng.normal());
        three[i] = static_cast<double>(rng.uniform_int(3));
        const double u = rng.uniform();
        zeros[i] = u < 0.45 ? 0.0 : (u < 0.9 ? -0.0 : (u < 0.95 ? 100.0 : 1.0));
        tail[i] = std::exp(3.0 * g);
    }
    Table t;
    t.add_numeric("normal", normal).add_numeric("ties", ties).add_numeric("three", three).add_numeric("zeros", zeros);
    t.add_numeric("tail", tail).add_numeric("constant", constant);
    return t;
}

Table reversed(const Table& t) {
    std::vector<std::size_t> idx(t.num_rows());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = idx.size() - 1 - i;
    return t.rows(idx);
}

template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}
}  // namespace

TEST_CASE_TEMPLATE("KBinsDiscretizer kmeans: fit(ChunkSource) in passes gives fit(Table)'s bytes", T, double, float) {
    for (const std::size_t rows : {std::size_t{6}, std::size_t{157}}) {
        for (const int bins : {2, 5, 8}) {
            const Table t = kmeans_data(rows, 40 + rows);
            if (rows < static_cast<std::size_t>(bins)) continue;
            const typename KBinsDiscretizer<T>::Params p{.n_bins = bins, .encode = KBinsEncode::ordinal,
                                                         .strategy = KBinsStrategy::kmeans};
            KBinsDiscretizer<T> whole(p);
            whole.fit(t);
            for (const bool reverse : {false, true}) {
                for (const std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{17}, rows}) {
                    CAPTURE(rows);
                    CAPTURE(bins);
                    CAPTURE(reverse);
                    CAPTURE(size);
                    const FreshChunks source(reverse ? reversed(t) : t, chunk_sizes(rows, size));
                    KBinsDiscretizer<T> sourced(p);
                    RecordingCombiner combiner;
                    sourced.fit(source, combiner);
                    CHECK(save_bytes(sourced) == save_bytes(whole));
                    CHECK(source.reads == combiner.calls);  // one combined state per read
                    CHECK(source.reads >= 2);
                }
            }
        }
    }
}

TEST_CASE("KBinsDiscretizer kmeans: the states of a fit in passes do not grow with the rows") {
    // Per column and pass: k exact sums and counts, and at most k - 1 values to relocate.
    // Gathering the values would ship 8 bytes per row and column.
    auto largest = [](std::size_t rows) {
        RecordingCombiner combiner;
        KBinsDiscretizer<>({.n_bins = 6, .strategy = KBinsStrategy::kmeans}).fit(TableChunks({kmeans_data(rows, 9)}), combiner);
        return combiner.largest;
    };
    const std::size_t small = largest(200), big = largest(40000);
    CAPTURE(small);
    CAPTURE(big);
    CHECK(big < small + 1024);
    CHECK(big < 40000 * 8 / 10);
}

TEST_CASE("KBinsDiscretizer kmeans: a fit in passes refuses what fit(Table) refuses, with the same column and row") {
    const KBinsDiscretizer<>::Params p{.n_bins = 5, .strategy = KBinsStrategy::kmeans};
    Table few;  // "b" has 4 distinct values but is not constant: too few for 5 bins
    few.add_numeric("a", {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}).add_numeric("b", {1.0, 1.0, 2.0, 2.0, 1.0, 2.0});
    Table three;
    three.add_numeric("a", {1.0, 2.0, 3.0}).add_numeric("b", {7.0, 7.0, 7.0});  // "b" constant: one bin
    Table nan = kmeans_data(40, 3);
    nan.set_numeric("tail", [&] {
        auto v = std::vector<double>(nan.numeric("tail").begin(), nan.numeric("tail").end());
        v[23] = std::numeric_limits<double>::quiet_NaN();
        return v;
    }());
    for (const Table* t : {&three, &nan}) {
        const std::string mem = error_of([&] { KBinsDiscretizer<>(p).fit(*t); });
        KBinsDiscretizer<> fitted(p);
        fitted.fit(kmeans_data(30, 5));
        const std::string before = fingerprint(fitted);
        const std::string src = error_of([&] { fitted.fit(FreshChunks(*t, chunk_sizes(t->num_rows(), 7))); });
        CHECK(src == mem);
        CHECK(src != "no error");
        CHECK(fingerprint(fitted) == before);  // a failed fit leaves the fitted state
    }
    CHECK_THROWS_WITH_AS(KBinsDiscretizer<>(p).fit(FreshChunks(three, {1, 2})), doctest::Contains("column 'a'"),
                         InvalidInput);
    CHECK_THROWS_WITH_AS(KBinsDiscretizer<>(p).fit(FreshChunks(nan, {10, 30})), doctest::Contains("row 23"),
                         InvalidInput);
    // Few distinct values are fine when there are enough values: k-means relocates.
    KBinsDiscretizer<> ok(p), ok_src(p);
    ok.fit(few);
    ok_src.fit(FreshChunks(few, {2, 0, 4}));
    CHECK(save_bytes(ok_src) == save_bytes(ok));
}
