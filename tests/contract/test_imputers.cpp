// The contract suite over the numeric imputers, then each imputer's own edge cases.
#include "contract.hpp"

#include <reprep/impute/end_tail_imputer.hpp>
#include <reprep/impute/missing_indicator.hpp>
#include <reprep/impute/simple_imputer.hpp>

using namespace reprep;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class T>
Matrix<T> cast(const Matrix<double>& X) { return X.template cast<T>(); }

// Rounded to quarters so most_frequent has real ties and repeats to choose from.
Matrix<double> coarse(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed, double nan_rate) {
    Matrix<double> X = contract::gaussian(rows, cols, seed, nan_rate);
    for (Eigen::Index i = 0; i < X.size(); ++i)
        if (!std::isnan(X.data()[i])) X.data()[i] = std::floor(X.data()[i] * 4.0) / 4.0;
    return X;
}

template <class T, ImputeStrategy S, bool Indicator>
struct SimpleImputerCase {
    using Component = SimpleImputer<T>;
    static Component make() { return Component({.strategy = S, .fill_value = -1.5, .add_indicator = Indicator}); }
    static Matrix<T> train() { return cast<T>(coarse(211, 4, 71, 0.08)); }
    static Matrix<T> test() { return cast<T>(coarse(37, 4, 72, 0.2)); }
    static void bad_params() {
        CHECK_THROWS_WITH_AS(Component({.strategy = static_cast<ImputeStrategy>(11)}), doctest::Contains("strategy"),
                             InvalidParameter);
        CHECK_THROWS_WITH_AS(Component({.strategy = ImputeStrategy::constant, .fill_value = kNaN}),
                             doctest::Contains("fill_value"), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};

template <class T, MissingFeatures F>
struct MissingIndicatorCase {
    using Component = MissingIndicator<T>;
    static Component make() { return Component({.features = F}); }
    static Matrix<T> train() {
        Matrix<double> X = contract::gaussian(120, 4, 81, 0.0);
        for (Eigen::Index i = 0; i < X.rows(); i += 7) X(i, 1) = kNaN;  // only columns 1 and 3 miss values
        X(5, 3) = kNaN;
        return cast<T>(X);
    }
    static Matrix<T> test() {
        Matrix<double> X = contract::gaussian(30, 4, 82, 0.0);
        X(2, 1) = kNaN;
        X(9, 3) = kNaN;
        return cast<T>(X);
    }
    static void bad_params() {
        CHECK_THROWS_WITH_AS(Component({.features = static_cast<MissingFeatures>(3)}), doctest::Contains("features"),
                             InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};

template <class T, EndTailMethod M, EndTailSide S>
struct EndTailImputerCase {
    using Component = EndTailImputer<T>;
    static Component make() { return Component({.imputation_method = M, .tail = S, .fold = 2.5}); }
    static Matrix<T> train() { return cast<T>(contract::gaussian(205, 3, 91, 0.06)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(37, 3, 92, 0.2)); }
    static void bad_params() {
        CHECK_THROWS_WITH_AS(Component({.fold = 0.0}), doctest::Contains("fold"), InvalidParameter);
        CHECK_THROWS_AS(Component({.fold = -1.0}), InvalidParameter);
        CHECK_THROWS_AS(Component({.imputation_method = static_cast<EndTailMethod>(7)}), InvalidParameter);
        CHECK_THROWS_AS(Component({.tail = static_cast<EndTailSide>(7)}), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};
}  // namespace

TEST_CASE_TEMPLATE("numeric contract: imputers", C, SimpleImputerCase<double, ImputeStrategy::mean, false>,
                   SimpleImputerCase<double, ImputeStrategy::median, true>,
                   SimpleImputerCase<double, ImputeStrategy::most_frequent, false>,
                   SimpleImputerCase<double, ImputeStrategy::constant, true>,
                   SimpleImputerCase<float, ImputeStrategy::median, true>,
                   SimpleImputerCase<float, ImputeStrategy::mean, false>,
                   MissingIndicatorCase<double, MissingFeatures::missing_only>,
                   MissingIndicatorCase<double, MissingFeatures::all>,
                   MissingIndicatorCase<float, MissingFeatures::missing_only>,
                   EndTailImputerCase<double, EndTailMethod::gaussian, EndTailSide::right>,
                   EndTailImputerCase<double, EndTailMethod::iqr, EndTailSide::left>,
                   EndTailImputerCase<double, EndTailMethod::max, EndTailSide::right>,
                   EndTailImputerCase<float, EndTailMethod::iqr, EndTailSide::right>) {
    contract::run_all<C>();
}

// ---------------------------------------------------------------------------
// SimpleImputer
// ---------------------------------------------------------------------------

namespace {
// col 0: 1 2 2 NaN 5 ; col 1: all NaN ; col 2: 3 3 1 1 NaN (a tie) ; col 3: no NaN
Matrix<double> small() {
    Matrix<double> X(5, 4);
    X << 1.0, kNaN, 3.0, 0.5,  //
        2.0, kNaN, 3.0, 0.5,   //
        2.0, kNaN, 1.0, 0.5,   //
        kNaN, kNaN, 1.0, 0.5,  //
        5.0, kNaN, kNaN, 0.5;
    return X;
}
}  // namespace

TEST_CASE("SimpleImputer: statistics for each strategy; ties go to the smallest value") {
    const Matrix<double> X = small();
    SimpleImputer<> mean;
    mean.fit(X);
    CHECK(mean.statistics()[0] == 2.5);
    CHECK(std::isnan(mean.statistics()[1]));
    CHECK(mean.statistics()[2] == 2.0);
    SimpleImputer<> median({.strategy = ImputeStrategy::median});
    median.fit(X);
    CHECK(median.statistics()[0] == 2.0);
    CHECK(median.statistics()[2] == 2.0);  // (1 + 3) / 2
    SimpleImputer<> mf({.strategy = ImputeStrategy::most_frequent});
    mf.fit(X);
    CHECK(mf.statistics()[0] == 2.0);
    CHECK(mf.statistics()[2] == 1.0);  // 1 and 3 both twice: the smallest
    SimpleImputer<> c({.strategy = ImputeStrategy::constant, .fill_value = 9.0});
    c.fit(X);
    CHECK(c.statistics() == std::vector<double>{9.0, 9.0, 9.0, 9.0});
}

TEST_CASE("SimpleImputer: empty columns are dropped, or kept as 0 with keep_empty_features; constant keeps them") {
    const Matrix<double> X = small();
    SimpleImputer<> drop;
    const Matrix<double> Y = drop.fit_transform(X);
    REQUIRE(Y.cols() == 3);
    CHECK(drop.feature_names_out() == std::vector<std::string>{"x0", "x2", "x3"});
    CHECK(Y(3, 0) == 2.5);
    CHECK(Y(4, 1) == 2.0);
    CHECK(Y(0, 2) == 0.5);

    SimpleImputer<> keep({.keep_empty_features = true});
    const Matrix<double> K = keep.fit_transform(X);
    REQUIRE(K.cols() == 4);
    CHECK(keep.statistics()[1] == 0.0);
    CHECK(K(2, 1) == 0.0);

    SimpleImputer<> c({.strategy = ImputeStrategy::constant, .fill_value = -1.0});
    const Matrix<double> C = c.fit_transform(X);
    REQUIRE(C.cols() == 4);
    CHECK(C(0, 1) == -1.0);
    CHECK(C(3, 0) == -1.0);
}

TEST_CASE("SimpleImputer: add_indicator appends missingindicator_ columns; inverse_transform restores NaN") {
    const Matrix<double> X = small();
    SimpleImputer<> s({.strategy = ImputeStrategy::median, .add_indicator = true});
    const Matrix<double> Y = s.fit_transform(X);
    CHECK(s.indicator_features() == std::vector<std::uint64_t>{0, 1, 2});
    CHECK(s.feature_names_out() == std::vector<std::string>{"x0", "x2", "x3", "missingindicator_x0", "missingindicator_x1",
                                                            "missingindicator_x2"});
    REQUIRE(Y.cols() == 6);
    CHECK(Y(3, 3) == 1.0);
    CHECK(Y(0, 3) == 0.0);
    CHECK(Y(2, 4) == 1.0);
    const Matrix<double> back = s.inverse_transform(Y);
    REQUIRE(back.cols() == 4);
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            CHECK((std::isnan(X(i, j)) ? std::isnan(back(i, j)) : back(i, j) == X(i, j)));
    SimpleImputer<> plain;
    plain.fit(X);
    CHECK_THROWS_WITH_AS(plain.inverse_transform(plain.transform(X)), doctest::Contains("add_indicator"), InvalidParameter);
    CHECK_THROWS_AS(s.inverse_transform(X), SchemaError);
}

TEST_CASE("SimpleImputer: Inf is refused in fit and transform, naming column and row") {
    Matrix<double> X = small();
    X(2, 3) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(SimpleImputer<>().fit(X), doctest::Contains("column 'x3', row 2"), InvalidInput);
    SimpleImputer<> s;
    s.fit(small());
    CHECK_THROWS_AS(s.transform(X), InvalidInput);
    CHECK_THROWS_AS(SimpleImputer<>().statistics(), NotFitted);
}

TEST_CASE("SimpleImputer: Table columns selection; dropped columns leave the table") {
    Table t;
    t.add_numeric("a", {1.0, kNaN, 3.0});
    t.add_numeric("b", {kNaN, kNaN, kNaN});
    t.add_numeric("c", {kNaN, 7.0, 7.0});
    SimpleImputer<> s({.columns = {"a", "b"}});
    const Table out = s.fit_transform(t);
    CHECK_FALSE(out.has_column("b"));
    CHECK(out.numeric("a")[1] == 2.0);
    CHECK(std::isnan(out.numeric("c")[0]));  // not selected: untouched
}

// ---------------------------------------------------------------------------
// MissingIndicator
// ---------------------------------------------------------------------------

TEST_CASE("MissingIndicator: features, names, error_on_new names column and row") {
    const Matrix<double> X = small();
    MissingIndicator<> m;
    const Matrix<double> Y = m.fit_transform(X);
    CHECK(m.features() == std::vector<std::uint64_t>{0, 1, 2});
    CHECK(m.feature_names_out() == std::vector<std::string>{"missingindicator_x0", "missingindicator_x1", "missingindicator_x2"});
    CHECK(Y(3, 0) == 1.0);
    CHECK(Y(4, 2) == 1.0);
    CHECK(Y(0, 2) == 0.0);
    Matrix<double> Z = X;
    Z(1, 3) = kNaN;
    CHECK_THROWS_WITH_AS(m.transform(Z), doctest::Contains("column 'x3', row 1"), InvalidInput);
    MissingIndicator<> lax({.error_on_new = false});
    lax.fit(X);
    CHECK(lax.transform(Z).cols() == 3);
    MissingIndicator<> all({.features = MissingFeatures::all});
    all.fit(X);
    const Matrix<double> A = all.transform(Z);
    REQUIRE(A.cols() == 4);
    CHECK(A(1, 3) == 1.0);
    // A failed transform_into writes nothing.
    Matrix<double> out = Matrix<double>::Constant(5, 3, 42.0);
    CHECK_THROWS_AS(m.transform_into(Z, out), InvalidInput);
    CHECK((out.array() == 42.0).all());
}

// ---------------------------------------------------------------------------
// EndTailImputer
// ---------------------------------------------------------------------------

TEST_CASE("EndTailImputer: gaussian (ddof = 1), iqr and max values, both tails") {
    Matrix<double> X(6, 1);
    X << 1.0, 2.0, 3.0, 4.0, kNaN, 10.0;  // mean 4, sample var (9+4+1+0+36)/4 = 12.5
    EndTailImputer<> g({.fold = 2.0});
    g.fit(X);
    CHECK(g.imputer_values()[0] == 4.0 + 2.0 * std::sqrt(12.5));
    EndTailImputer<> gl({.tail = EndTailSide::left, .fold = 2.0});
    gl.fit(X);
    CHECK(gl.imputer_values()[0] == 4.0 - 2.0 * std::sqrt(12.5));
    // q25 = 2, q75 = 4 (indices 1 and 3 of 1 2 3 4 10), IQR 2.
    EndTailImputer<> ir({.imputation_method = EndTailMethod::iqr, .fold = 1.5});
    ir.fit(X);
    CHECK(ir.imputer_values()[0] == 4.0 + 2.0 * 1.5);
    EndTailImputer<> il({.imputation_method = EndTailMethod::iqr, .tail = EndTailSide::left, .fold = 1.5});
    il.fit(X);
    CHECK(il.imputer_values()[0] == 2.0 - 2.0 * 1.5);
    EndTailImputer<> mx({.imputation_method = EndTailMethod::max});
    mx.fit(X);
    CHECK(mx.imputer_values()[0] == 30.0);
    const Matrix<double> Y = mx.transform(X);
    CHECK(Y(4, 0) == 30.0);
    CHECK(Y(5, 0) == 10.0);
}

TEST_CASE("EndTailImputer: one value gives NaN gaussian; all-NaN columns stay NaN; Inf passes in transform") {
    Matrix<double> X(3, 2);
    X << 5.0, kNaN,  //
        kNaN, kNaN,  //
        kNaN, kNaN;
    EndTailImputer<> g;
    g.fit(X);
    CHECK(std::isnan(g.imputer_values()[0]));
    CHECK(std::isnan(g.imputer_values()[1]));
    EndTailImputer<> mx({.imputation_method = EndTailMethod::max});
    mx.fit(X);
    CHECK(mx.imputer_values()[0] == 15.0);
    Matrix<double> Z(1, 2);
    Z << std::numeric_limits<double>::infinity(), kNaN;
    const Matrix<double> Y = mx.transform(Z);
    CHECK(std::isinf(Y(0, 0)));
    CHECK(std::isnan(Y(0, 1)));
    Matrix<double> bad = X;
    bad(1, 0) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(EndTailImputer<>().fit(bad), InvalidInput);
}

// ---------------------------------------------------------------------------
// Fits through a chunk source: same bytes as fit(Table), in state that does not grow
// with the rows
// ---------------------------------------------------------------------------

namespace {
using contract::chunk_sizes;
using contract::FreshChunks;
using contract::RecordingCombiner;

// Few distinct values with ties between the most frequent, both zeros, NaN, and a
// column of distinct values.
Table few_distinct(std::size_t rows, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<double> small(rows), zeros(rows), wide(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        const double u = rng.uniform();
        small[i] = u < 0.1 ? kNaN : static_cast<double>(rng.uniform_int(7)) * 0.5 - 1.0;
        zeros[i] = u < 0.3 ? 0.0 : (u < 0.6 ? -0.0 : (u < 0.9 ? 2.5 : kNaN));
        wide[i] = u < 0.05 ? kNaN : rng.normal();
    }
    Table t;
    t.add_numeric("small", small).add_numeric("zeros", zeros).add_numeric("wide", wide);
    return t;
}

Table reversed(const Table& t) {
    std::vector<std::size_t> idx(t.num_rows());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = idx.size() - 1 - i;
    return t.rows(idx);
}

// fit(ChunkSource) against fit(Table), for chunks of 1, 2, 17 and every row (with empty
// chunks between), in the rows' order and reversed; returns the fit of the Table.
template <class C>
C same_through_sources(const typename C::Params& p, const Table& t) {
    C whole(p);
    whole.fit(t);
    for (const bool reverse : {false, true})
        for (const std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{17}, t.num_rows()}) {
            CAPTURE(reverse);
            CAPTURE(size);
            C sourced(p);
            sourced.fit(FreshChunks(reverse ? reversed(t) : t, chunk_sizes(t.num_rows(), size)));
            CHECK(save_bytes(sourced) == save_bytes(whole));
        }
    return whole;
}

// The largest state a fit through a source combines, for `rows` rows of few_distinct's
// "small" and "zeros" columns.
template <class C>
std::size_t largest_state(const typename C::Params& p, std::size_t rows) {
    RecordingCombiner combiner;
    C(p).fit(TableChunks({few_distinct(rows, 4)}), combiner);
    return combiner.largest;
}
}  // namespace

TEST_CASE("SimpleImputer most_frequent: counts per distinct value; fit(ChunkSource) gives fit(Table)'s bytes") {
    const SimpleImputer<>::Params p{.strategy = ImputeStrategy::most_frequent, .add_indicator = true};
    for (const std::size_t rows : {std::size_t{5}, std::size_t{211}}) same_through_sources<SimpleImputer<>>(p, few_distinct(rows, 8));
    SimpleImputer<float> f({.strategy = ImputeStrategy::most_frequent});
    same_through_sources<SimpleImputer<float>>({.strategy = ImputeStrategy::most_frequent}, few_distinct(97, 9));
    // Both zeros count as one value, reported with the sign of the first in order (-0.0);
    // ties go to the smallest value.
    Table z;
    z.add_numeric("a", {0.0, -0.0, 1.0, 1.0, -0.0})
        .add_numeric("b", {0.0, 0.0, 1.0, 1.0, kNaN})
        .add_numeric("c", {3.0, -0.0, 1.0, 1.0, 3.0})
        .add_numeric("d", {kNaN, kNaN, kNaN, kNaN, kNaN});
    const auto mf = same_through_sources<SimpleImputer<>>({.strategy = ImputeStrategy::most_frequent}, z);
    REQUIRE(mf.statistics().size() == 4);
    CHECK(std::bit_cast<std::uint64_t>(mf.statistics()[0]) == std::bit_cast<std::uint64_t>(-0.0));
    CHECK(std::bit_cast<std::uint64_t>(mf.statistics()[1]) == std::bit_cast<std::uint64_t>(0.0));
    CHECK(mf.statistics()[2] == 1.0);
    CHECK(std::isnan(mf.statistics()[3]));
    // The accumulator keeps (value, count) pairs: its bytes do not grow with rows of the
    // same distinct values, where every value would take 8 bytes a row.
    const std::size_t small = largest_state<SimpleImputer<>>({.columns = {"small", "zeros"}, .strategy = ImputeStrategy::most_frequent}, 200),
                      big = largest_state<SimpleImputer<>>({.columns = {"small", "zeros"}, .strategy = ImputeStrategy::most_frequent}, 40000);
    CAPTURE(small);
    CAPTURE(big);
    CHECK(big < small + 512);
}

TEST_CASE("SimpleImputer most_frequent: the accumulator merges exactly and round-trips; a mismatched one is refused") {
    const Table t = few_distinct(300, 12);
    const Matrix<double> X = t.to_matrix<double>({"small", "zeros", "wide"});
    SimpleImputer<> mf({.strategy = ImputeStrategy::most_frequent});
    auto a = mf.accumulator(), b = mf.accumulator(), all = mf.accumulator();
    a.update(X.topRows(100));
    b.update(X.bottomRows(200));
    all.update(X);
    auto ab = a, ba = b;
    ab.merge(b);
    ba.merge(a);
    CHECK(ab == all);
    CHECK(ba == all);
    auto bytes = [](const auto& acc) {
        ArchiveWriter w;
        acc.save(w);
        return std::move(w).bytes();
    };
    CHECK(bytes(ab) == bytes(all));
    CHECK(bytes(ba) == bytes(all));
    const std::string all_bytes = bytes(all);  // the reader views it: it must outlive the reader
    ArchiveReader r(all_bytes, "test");
    const auto loaded = SimpleImputer<>::Accumulator::load(r);
    CHECK(loaded == all);
    // What each strategy keeps, in the first byte: 0 and 1 are the bytes the boolean
    // keep_values had, so the mean and median accumulators keep their bytes.
    CHECK(bytes(all)[0] == 2);
    CHECK(bytes(SimpleImputer<>({.strategy = ImputeStrategy::median}).accumulator())[0] == 1);
    CHECK(bytes(SimpleImputer<>({.strategy = ImputeStrategy::mean}).accumulator())[0] == 0);
    auto median = SimpleImputer<>({.strategy = ImputeStrategy::median}).accumulator();
    median.update(X);
    CHECK_THROWS_AS(ab.merge(median), InvalidInput);
    CHECK_THROWS_AS(SimpleImputer<>({.strategy = ImputeStrategy::median}).fit(all), InvalidInput);
    CHECK_THROWS_AS(EndTailImputer<>({.imputation_method = EndTailMethod::iqr}).fit(
                        [&] { ArchiveReader rr(all_bytes, "test"); return EndTailImputer<>::Accumulator::load(rr); }()),
                    InvalidInput);
    std::string bad = bytes(all);
    bad[0] = 3;
    ArchiveReader rb(bad, "test");
    CHECK_THROWS_AS(SimpleImputer<>::Accumulator::load(rb), FormatError);
}

TEST_CASE("EndTailImputer: iqr and max fit through a chunk source without keeping the values") {
    // iqr: its quartiles by multi-pass selection, whose passes stay within the selection's
    // budget (2^20 words per column, whatever the rows: numerics/test_quantile.cpp checks
    // that bound); max and gaussian: one pass of moments, a few hundred bytes a column.
    constexpr std::size_t budget_bytes = 8 * (std::size_t{1} << 20) + 4096;
    for (const auto method : {EndTailMethod::iqr, EndTailMethod::max, EndTailMethod::gaussian}) {
        CAPTURE(static_cast<int>(method));
        EndTailImputer<>::Params p{.imputation_method = method, .tail = EndTailSide::left, .fold = 1.5};
        same_through_sources<EndTailImputer<>>(p, few_distinct(211, 14));
        const FreshChunks source(few_distinct(40000, 4), chunk_sizes(40000, 4096));
        RecordingCombiner combiner;
        EndTailImputer<>(p).fit(source, combiner);
        CAPTURE(combiner.largest);
        CHECK(source.reads == combiner.calls);
        if (method == EndTailMethod::iqr) {
            CHECK(source.reads <= 4u);
            CHECK(combiner.largest <= 3 * budget_bytes);
            CHECK(combiner.largest < 40000 * 3 * 8 / 2);  // well under the values' bytes
        } else {
            CHECK(source.reads == 1u);
            const std::size_t small = largest_state<EndTailImputer<>>(p, 200), big = largest_state<EndTailImputer<>>(p, 40000);
            CAPTURE(small);
            CAPTURE(big);
            CHECK(big < small + 512);
        }
    }
}
