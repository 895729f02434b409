// The contract suite over the transforms, plus their own behaviour: formulas on known
// values, edge cases (constant / all-NaN columns, non-positive values), inverses; and at
// the end the datetime family (DatetimeFeatures, DatetimeSubtraction) on Tables.
#include "contract.hpp"

#include <reprep/transform/cyclical_features.hpp>
#include <reprep/transform/log_transformer.hpp>
#include <reprep/transform/power_transformer.hpp>
#include <reprep/transform/quantile_transformer.hpp>
#include <set>
#include <reprep/reprep.hpp>  // the datetime cases below use pipelines and components of every family

using namespace reprep;

namespace {
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

template <class T>
Matrix<T> cast(const Matrix<double>& X) { return X.template cast<T>(); }

// Positive, skewed columns (exp of gaussians), NaN kept.
Matrix<double> positive(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed, double nan_rate) {
    Matrix<double> X = contract::gaussian(rows, cols, seed, nan_rate);
    for (Eigen::Index j = 0; j < cols; ++j)
        for (Eigen::Index i = 0; i < rows; ++i)
            if (!std::isnan(X(i, j))) X(i, j) = dmath::exp((X(i, j) - (10.0 * static_cast<double>(j) - 7.0)) / (1.0 + static_cast<double>(j)) * 0.7);
    return X;
}

template <class T, LogBase B, bool Auto>
struct LogCase {
    using Component = LogTransformer<T>;
    static Component make() { return Component({.base = B, .C = Auto ? LogOffset::automatic() : LogOffset(0.5)}); }
    static Matrix<T> train() { return cast<T>(Auto ? contract::gaussian(151, 3, 21, 0.05) : positive(151, 3, 21, 0.05)); }
    static Matrix<T> test() {
        // Auto C puts the training minimum at 1; test values stay above the training minimum.
        Matrix<double> X = positive(29, 3, 22, 0.1);
        if (Auto) X.array() += 12.0;
        return cast<T>(X);
    }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.C = std::numeric_limits<double>::infinity()}), InvalidParameter);
        CHECK_THROWS_AS(Component({.base = static_cast<LogBase>(7)}), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};

template <class T, PowerMethod M, bool Standardize>
struct PowerCase {
    using Component = PowerTransformer<T>;
    static Component make() { return Component({.method = M, .standardize = Standardize}); }
    static Matrix<T> train() {
        return cast<T>(M == PowerMethod::box_cox ? positive(173, 3, 31, 0.05) : contract::gaussian(173, 3, 31, 0.05));
    }
    static Matrix<T> test() {
        return cast<T>(M == PowerMethod::box_cox ? positive(41, 3, 32, 0.1) : contract::gaussian(41, 3, 32, 0.1));
    }
    static void bad_params() { CHECK_THROWS_AS(Component({.method = static_cast<PowerMethod>(9)}), InvalidParameter); }
    static constexpr bool has_accumulator = false;
};

template <class T, QuantileOutput O, std::int64_t NQ>
struct QuantileCase {
    using Component = QuantileTransformer<T>;
    static Component make() { return Component({.n_quantiles = NQ, .output_distribution = O}); }
    static Matrix<T> train() { return cast<T>(contract::gaussian(211, 4, 41, 0.05)); }
    static Matrix<T> test() {
        Matrix<double> X = contract::gaussian(53, 4, 42, 0.1);
        X(0, 0) = -1e6;  // beyond the fitted range on both sides
        X(1, 0) = 1e6;
        return cast<T>(X);
    }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.n_quantiles = 0}), InvalidParameter);
        CHECK_THROWS_AS(Component({.output_distribution = static_cast<QuantileOutput>(3)}), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};

template <class T, bool Drop>
struct CyclicalCase {
    using Component = CyclicalFeatures<T>;
    static Component make() { return Component({.drop_original = Drop}); }
    static Matrix<T> train() {
        Matrix<double> X = contract::gaussian(97, 3, 51, 0.05);
        return cast<T>(X.array().abs() + 1.0);
    }
    static Matrix<T> test() { return cast<T>(contract::gaussian(31, 3, 52, 0.1)); }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.max_values = {{"x0", 0.0}}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.max_values = {{"x0", nan_v}}}), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};
}  // namespace

TEST_CASE_TEMPLATE("numeric contract: transforms", C, LogCase<double, LogBase::e, false>, LogCase<double, LogBase::ten, true>,
                   LogCase<float, LogBase::e, true>, PowerCase<double, PowerMethod::yeo_johnson, true>,
                   PowerCase<double, PowerMethod::box_cox, true>, PowerCase<double, PowerMethod::yeo_johnson, false>,
                   PowerCase<float, PowerMethod::yeo_johnson, true>, QuantileCase<double, QuantileOutput::uniform, 1000>,
                   QuantileCase<double, QuantileOutput::normal, 50>, QuantileCase<float, QuantileOutput::uniform, 10>,
                   CyclicalCase<double, false>, CyclicalCase<double, true>, CyclicalCase<float, false>) {
    contract::run_all<C>();
}

TEST_CASE("LogTransformer: formula, auto offset, inverse and non-positive values") {
    Matrix<double> X(4, 2);
    X << 1.0, -3.0, 2.0, 0.0, 10.0, 5.0, nan_v, 1.0;
    LogTransformer<> lt({.C = LogOffset::automatic()});
    lt.fit(X);
    CHECK(lt.C()[0] == 0.0);  // positive column: nothing added (feature-engine >= 1.6)
    CHECK(lt.C()[1] == 4.0);  // 1 - min
    const Matrix<double> Y = lt.transform(X);
    CHECK(Y(1, 0) == dmath::log(2.0));
    CHECK(Y(0, 1) == 0.0);  // log(-3 + 4)
    CHECK(std::isnan(Y(3, 0)));
    const Matrix<double> back = lt.inverse_transform(Y);
    CHECK(back(2, 0) == doctest::Approx(10.0).epsilon(1e-15));
    CHECK(back(1, 1) == doctest::Approx(0.0));
    // Serving a value at or below -C names its column and row.
    Matrix<double> bad(2, 2);
    bad << 1.0, 0.0, 1.0, -4.0;
    CHECK_THROWS_WITH_AS(lt.transform(bad), doctest::Contains("x1"), InvalidInput);
    // Plain log refuses non-positive training data, naming the row.
    LogTransformer<> plain;
    CHECK_THROWS_WITH_AS(plain.fit(X), doctest::Contains("row 0"), InvalidInput);
    LogTransformer<> ten({.base = LogBase::ten});
    Matrix<double> P(2, 1);
    P << 1000.0, 0.01;
    const Matrix<double> L = ten.fit(P).transform(P);
    CHECK(L(0, 0) == doctest::Approx(3.0).epsilon(1e-15));
    CHECK(L(1, 0) == doctest::Approx(-2.0).epsilon(1e-15));
}

TEST_CASE("PowerTransformer: Yeo-Johnson pieces, Box-Cox refusals, inverse round trip") {
    // The four branches of Yeo-Johnson against their closed forms.
    CHECK(detail::yeo_johnson(3.0, 0.0) == dmath::log1p(3.0));
    CHECK(detail::yeo_johnson(3.0, 2.0) == (dmath::pow(4.0, 2.0) - 1) / 2.0);
    CHECK(detail::yeo_johnson(-3.0, 2.0) == -dmath::log1p(3.0));
    CHECK(detail::yeo_johnson(-3.0, 0.5) == -(dmath::pow(4.0, 1.5) - 1) / 1.5);
    CHECK(std::isnan(detail::yeo_johnson(nan_v, 0.5)));

    const Matrix<double> X = contract::gaussian(300, 3, 77, 0.05);
    PowerTransformer<> pt;
    pt.fit(X);
    const Matrix<double> Y = pt.transform(X);
    const Matrix<double> back = pt.inverse_transform(Y);
    for (Eigen::Index j = 0; j < X.cols(); ++j)
        for (Eigen::Index i = 0; i < X.rows(); ++i) {
            if (std::isnan(X(i, j))) {
                CHECK(std::isnan(Y(i, j)));
                continue;
            }
            CHECK(back(i, j) == doctest::Approx(X(i, j)).epsilon(1e-9));
        }
    // Standardised output has mean ~0 and std ~1 per column.
    for (Eigen::Index j = 0; j < Y.cols(); ++j) {
        double s = 0, s2 = 0, n = 0;
        for (Eigen::Index i = 0; i < Y.rows(); ++i)
            if (!std::isnan(Y(i, j))) { s += Y(i, j); s2 += Y(i, j) * Y(i, j); n += 1; }
        CHECK(s / n == doctest::Approx(0.0).epsilon(1e-9));
        CHECK(s2 / n == doctest::Approx(1.0).epsilon(1e-9));
    }

    PowerTransformer<> bc({.method = PowerMethod::box_cox});
    Matrix<double> Z = positive(50, 2, 5, 0.0);
    Z(7, 1) = 0.0;
    CHECK_THROWS_WITH_AS(bc.fit(Z), doctest::Contains("row 7"), InvalidInput);
    Matrix<double> constant = Matrix<double>::Constant(20, 1, 3.0);
    CHECK_THROWS_AS(bc.fit(constant), InvalidInput);
    Matrix<double> all_nan = Matrix<double>::Constant(20, 1, nan_v);
    CHECK_THROWS_AS(pt.fit(all_nan), InvalidInput);
    bc.fit(positive(50, 2, 5, 0.0));
    Matrix<double> neg(1, 2);
    neg << 1.0, -1.0;
    CHECK_THROWS_WITH_AS(bc.transform(neg), doctest::Contains("x1"), InvalidInput);
    // A constant column under Yeo-Johnson: the exact variance is 0 for every lambda, so the
    // objective is +Inf everywhere and Brent's search walks to a fixed, data-independent
    // lambda (scikit-learn's np.var leaves rounding noise instead, so its lambda is noise).
    PowerTransformer<> yj;
    yj.fit(constant);
    PowerTransformer<> yj2;
    yj2.fit(Matrix<double>::Constant(9, 1, -123.5));
    CHECK(std::isfinite(yj.lambdas()[0]));
    CHECK(yj.lambdas()[0] == yj2.lambdas()[0]);
    CHECK(yj.scale()[0] == 1.0);
    CHECK(yj.transform(constant).isZero(0.0));
}

namespace {
using contract::chunk_sizes;
using contract::FreshChunks;
using contract::RecordingCombiner;

// The distinct lambdas scipy's search evaluates in memory on a column's non-NaN values:
// a fit in passes evaluates -2 and 2 in its first pass and each other one in a pass of its own.
std::size_t evaluations(PowerMethod method, std::span<const double> column) {
    std::vector<double> x;
    for (const double v : column)
        if (!std::isnan(v)) x.push_back(v);
    std::sort(x.begin(), x.end());
    detail::PowerObjective f(method, x);
    std::set<std::uint64_t> seen;
    (void)detail::scipy_brent([&](double l) { seen.insert(std::bit_cast<std::uint64_t>(l)); return f(l); }, -2.0, 2.0,
                              "test", "x");
    return seen.size();
}

template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "no InvalidInput";
}
}  // namespace

TEST_CASE("PowerTransformer: fit(ChunkSource) in passes gives fit(Table)'s bytes, in bounded memory") {
    const std::size_t n = 203;
    for (const auto method : {PowerMethod::yeo_johnson, PowerMethod::box_cox}) {
        // NaN in every column; Box-Cox on positive skewed columns.
        const Matrix<double> X = method == PowerMethod::box_cox ? positive(203, 3, 61, 0.08) : contract::gaussian(203, 3, 61, 0.08);
        const Table t = Table::from_matrix(X, {"a", "b", "c"});
        std::size_t passes = 0;
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const auto col = t.numeric(t.column_names()[static_cast<std::size_t>(j)]);
            passes = std::max(passes, evaluations(method, col) - 2);
        }
        passes += 1 + (method == PowerMethod::box_cox ? 1 : 0);  // pass 1; Box-Cox's last pass
        for (const bool standardize : {true, false}) {
            PowerTransformer<> whole({.method = method, .standardize = standardize});
            whole.fit(t);
            for (const std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{17}, n}) {
                CAPTURE(static_cast<int>(method));
                CAPTURE(standardize);
                CAPTURE(size);
                const FreshChunks source(t, chunk_sizes(n, size));
                PowerTransformer<> sourced({.method = method, .standardize = standardize});
                RecordingCombiner combiner;
                sourced.fit(source, combiner);
                CHECK(save_bytes(sourced) == save_bytes(whole));
                // Pass 1, one pass per further evaluation, and Box-Cox's last pass: no more.
                CHECK(source.reads == passes);
                CHECK(combiner.calls == passes);
                CHECK(passes < 60);
            }
        }
    }
}

TEST_CASE("PowerTransformer: the states a fit in passes combines do not grow with the rows") {
    // What a process ships per pass is a few exact sums per column: about the same bytes
    // for 100 rows as for 20000 (the sums hold a few more carry bits), where gathering the
    // rows would ship 8 bytes per value.
    auto largest = [](std::size_t rows, PowerMethod method) {
        const Matrix<double> X = positive(static_cast<Eigen::Index>(rows), 2, 71, 0.0);
        RecordingCombiner combiner;
        PowerTransformer<>({.method = method}).fit(TableChunks({Table::from_matrix(X)}), combiner);
        return combiner.largest;
    };
    for (const auto method : {PowerMethod::yeo_johnson, PowerMethod::box_cox}) {
        const std::size_t small = largest(100, method), big = largest(20000, method);
        CAPTURE(small);
        CAPTURE(big);
        CHECK(big < small + 512);
        CHECK(big < 20000 * 8 / 10);
    }
}

TEST_CASE("PowerTransformer: a fit in passes refuses what fit(Table) refuses, with the same column and row") {
    const std::vector<std::size_t> sizes = {0, 11, 1, 0, 23, 25};  // 60 rows
    auto both = [&](PowerTransformer<>::Params p, const Matrix<double>& X) {
        const Table t = Table::from_matrix(X);
        const std::string mem = error_of([&] { PowerTransformer<>(p).fit(t); });
        PowerTransformer<> fitted(p);
        fitted.fit(positive(30, X.cols(), 5, 0.0));
        const std::string before = fingerprint(fitted);
        const std::string src = error_of([&] { fitted.fit(FreshChunks(t, sizes)); });
        CHECK(fingerprint(fitted) == before);  // a failed fit leaves the fitted state
        CHECK(src == mem);
        return src;
    };
    auto expect = [](const std::string& message, const char* part) {
        CHECK_MESSAGE(message.find(part) != std::string::npos, message);
    };
    const PowerTransformer<>::Params bc{.method = PowerMethod::box_cox}, yj{};
    // Box-Cox: values <= 0 in two columns; the lowest column's first row is named.
    Matrix<double> P = positive(60, 3, 81, 0.1);
    P(41, 2) = -1.0;
    P(52, 1) = 0.0;
    P(57, 1) = -3.0;
    expect(both(bc, P), "column 'x1', row 52: Box-Cox needs strictly positive data");
    // An infinity (the NaN/Inf rule of every fit) in the fourth chunk.
    Matrix<double> I = contract::gaussian(60, 2, 82, 0.1);
    I(40, 1) = std::numeric_limits<double>::infinity();
    expect(both(yj, I), "column 'x1', row 40");
    // A column that holds only NaN; a constant column under Box-Cox.
    Matrix<double> A = contract::gaussian(60, 2, 83, 0.0);
    A.col(1).setConstant(nan_v);
    expect(both(yj, A), "column 'x1': the column holds only NaN");
    Matrix<double> K = positive(60, 2, 84, 0.0);
    K.col(0).setConstant(2.5);
    K(7, 0) = nan_v;
    expect(both(bc, K), "column 'x0': Box-Cox cannot fit a constant column");
    // Values whose transform overflows at the fitted lambda: the first such row.
    for (const bool box_cox : {false, true}) {
        Matrix<double> O = positive(60, 2, 85, 0.0);
        O(33, 1) = 1e300;
        O(38, 1) = box_cox ? 1e-300 : -1e300;  // both ends extreme: every lambda overflows one
        expect(both(box_cox ? bc : yj, O), "column 'x1', row 3");
    }
}

TEST_CASE("PowerTransformer: a fit in passes refuses a source that changes between reads, and one without rows") {
    // The third read drops a row: the pass that sees it names the change.
    class Shrinking final : public ChunkSource {
    public:
        explicit Shrinking(Table t) : t_(std::move(t)) {}
        void for_each(const std::function<void(const Table&)>& visit) const override {
            std::vector<std::size_t> idx(t_.num_rows() - (++reads_ >= 3 ? 1 : 0));
            std::iota(idx.begin(), idx.end(), std::size_t{0});
            visit(t_.rows(idx));
        }

    private:
        Table t_;
        mutable int reads_ = 0;
    };
    const Table t = Table::from_matrix(contract::gaussian(50, 2, 91, 0.0));
    PowerTransformer<> pt;
    CHECK_THROWS_WITH_AS(pt.fit(Shrinking(t)), doctest::Contains("the same rows on every read"), InvalidInput);
    CHECK_FALSE(pt.is_fitted());
    CHECK_THROWS_WITH_AS(pt.fit(TableChunks({t.rows(std::vector<std::size_t>{})})), doctest::Contains("0 rows"),
                         InvalidInput);
    CHECK_THROWS_WITH_AS(pt.fit(TableChunks({})), doctest::Contains("0 rows"), InvalidInput);
}

TEST_CASE("QuantileTransformer: bounds, ties, inverse and all-NaN columns") {
    Matrix<double> X(6, 2);
    X << 1.0, nan_v, 2.0, nan_v, 2.0, nan_v, 2.0, nan_v, 3.0, nan_v, 4.0, nan_v;
    QuantileTransformer<> qt({.n_quantiles = 6});
    qt.fit(X);
    CHECK(qt.n_quantiles_fitted() == 6);
    const Matrix<double> Y = qt.transform(X);
    CHECK(Y(0, 0) == 0.0);
    CHECK(Y(5, 0) == 1.0);
    // Ties: the average of the forward and backward interpolation lands mid-plateau.
    // numpy's percentile puts q(0.6) at 2.0000000000000004, so the plateau is [q1, q2] and
    // the average is 0.30000000000000004, scikit-learn's exact output.
    CHECK(Y(1, 0) == 0.30000000000000004);
    CHECK(std::isnan(Y(0, 1)));
    Matrix<double> out_of_range(2, 2);
    out_of_range << -5.0, 1.0, 50.0, 2.0;
    const Matrix<double> O = qt.transform(out_of_range);
    CHECK(O(0, 0) == 0.0);
    CHECK(O(1, 0) == 1.0);
    CHECK(std::isnan(O(0, 1)));
    const Matrix<double> back = qt.inverse_transform(Y);
    CHECK(back(4, 0) == doctest::Approx(3.0));
    CHECK(back(5, 0) == 4.0);

    QuantileTransformer<> normal({.n_quantiles = 6, .output_distribution = QuantileOutput::normal});
    const Matrix<double> N = normal.fit(X).transform(out_of_range);
    CHECK(N(0, 0) == dmath::norm_ppf(1e-7 - 2.220446049250313e-16));
    // scipy's values are -5.199337582605575 and 5.19933758270342 (1 - t rounds).
    CHECK(N(0, 0) == doctest::Approx(-5.199337582605575).epsilon(1e-15));
    CHECK(N(1, 0) == doctest::Approx(5.19933758270342).epsilon(1e-15));
}

TEST_CASE("CyclicalFeatures: given periods, names and zero max") {
    Matrix<double> X(3, 2);
    X << 0.0, 6.0, 6.0, 12.0, 3.0, 24.0;
    CyclicalFeatures<> cf({.columns = {"hour", "month"}, .max_values = {{"hour", 24.0}, {"month", 12.0}}});
    cf.fit(X);
    CHECK(cf.feature_names_out() ==
          std::vector<std::string>{"hour", "month", "hour_sin", "hour_cos", "month_sin", "month_cos"});
    const Matrix<double> Y = cf.transform(X);
    CHECK(Y(1, 2) == dmath::sin(6.0 * (2.0 * 3.141592653589793 / 24.0)));
    CHECK(Y(1, 2) == doctest::Approx(1.0));
    CHECK(Y(1, 5) == doctest::Approx(1.0));
    CHECK(Y(0, 1) == 6.0);
    CyclicalFeatures<> fitted;
    Matrix<double> zero = Matrix<double>::Zero(4, 1);
    CHECK_THROWS_AS(fitted.fit(zero), InvalidInput);
    CyclicalFeatures<> missing({.max_values = {{"x5", 2.0}}});
    CHECK_THROWS_AS(missing.fit(X), SchemaError);
}

// ---- the datetime family (issue 19, item 2): the contract on Tables ----------------------
// DatetimeFeatures and DatetimeSubtraction work on datetime Table columns only, so the
// matrix suite above does not apply; the same promises are checked here on a table with
// two datetime columns (missing values, instants before the epoch, both range ends).

namespace {
Table datetime_table(std::size_t n, std::uint64_t seed, bool with_missing) {
    Rng rng(seed);
    std::vector<std::int64_t> a(n), b(n);
    std::vector<double> x(n);
    std::vector<std::optional<std::string>> c(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Within +-200 years of 1970 so that every difference fits int64 nanoseconds.
        // In unsigned arithmetic first: a draw above INT64_MAX minus 6e18 overflowed int64.
        a[i] = static_cast<std::int64_t>(rng.uniform_int(12'000'000'000'000'000'000ULL) - 6'000'000'000'000'000'000ULL);
        // u * kNanosPerDay / 7 without the product (it overflows int64 above 106,751 days,
        // which UBSan reported): u = 7q + r gives q days plus r sevenths of a day.
        const auto u = static_cast<std::int64_t>(rng.uniform_int(400'000));
        b[i] = (u / 7) * kNanosPerDay + (u % 7) * kNanosPerDay / 7 - 20'000 * kNanosPerDay;
        x[i] = static_cast<double>(i % 7) - 3.0;
        c[i] = i % 3 == 0 ? "p" : "q";
    }
    if (with_missing && n > 5) a[3] = b[5] = kNaT;
    Table t;
    t.add_datetime("a", a).add_numeric("x", x).add_datetime("b", b).add_categorical("c", c);
    return t;
}

std::vector<std::uint64_t> bits_of(const Table& t) {
    std::vector<std::uint64_t> v;
    for (const auto& n : t.column_names()) {
        if (t.type(n) == ColumnType::numeric)
            for (double x : t.numeric(n)) v.push_back(std::bit_cast<std::uint64_t>(x));
        else if (t.type(n) == ColumnType::datetime)
            for (std::int64_t x : t.datetime(n)) v.push_back(static_cast<std::uint64_t>(x));
    }
    return v;
}

template <class C>
void datetime_contract(const C& proto) {
    const Table train = datetime_table(64, 11, proto.params().missing_values == MissingValues::ignore);
    const Table test = datetime_table(40, 12, proto.params().missing_values == MissingValues::ignore);
    C fitted = proto;
    fitted.fit(train);
    const std::string fp = fingerprint(fitted);
    // Fit: any row order, any chunk, the same state (nothing but the columns is learnt).
    std::vector<std::size_t> order = contract::permutation(train.num_rows(), 5);
    CHECK(fingerprint(C(proto).fit(train.rows(order))) == fp);
    order.resize(7);
    CHECK(fingerprint(C(proto).fit(train.rows(order))) == fp);
    // Transform: each row alone, in a batch and through transform_row, the same bits.
    const Table out = fitted.transform(test);
    CHECK(out.column_names().size() == test.num_columns() - fitted.feature_names_in().size() +
                                           fitted.feature_names_out().size());
    const auto names_out = fitted.feature_names_out();
    const std::size_t kept = names_out.size() - fitted.n_new_features();
    std::vector<std::int64_t> in(fitted.feature_names_in().size());
    std::vector<double> row_out(fitted.n_new_features());
    for (std::size_t i = 0; i < test.num_rows(); ++i) {
        const std::size_t one[] = {i};
        const Table single = fitted.transform(test.rows(one));
        for (std::size_t k = 0; k < in.size(); ++k) in[k] = test.datetime(fitted.feature_names_in()[k])[i];
        fitted.transform_row(in, row_out);
        for (std::size_t o = kept; o < names_out.size(); ++o) {
            const double batch = out.numeric(names_out[o])[i];
            CHECK(std::bit_cast<std::uint64_t>(single.numeric(names_out[o])[0]) == std::bit_cast<std::uint64_t>(batch));
            CHECK(std::bit_cast<std::uint64_t>(row_out[o - kept]) == std::bit_cast<std::uint64_t>(batch));
        }
    }
    // Save and load: the same fingerprint and output; a truncated artifact is refused.
    const std::string bytes = save_bytes(fitted);
    const C loaded = load_bytes<C>(bytes);
    CHECK(fingerprint(loaded) == fp);
    CHECK(bits_of(loaded.transform(test)) == bits_of(out));
    for (std::size_t cut : {std::size_t{1}, bytes.size() / 2, bytes.size() - 1})
        CHECK_THROWS_AS((void)load_bytes<C>(std::string_view(bytes).substr(0, cut)), FormatError);
    // Errors leave the caller's table and the fitted state untouched.
    CHECK_THROWS_AS((void)C(proto).transform(test), NotFitted);
    Table no_b = test;
    no_b.remove("b");
    CHECK_THROWS_AS((void)fitted.transform(no_b), SchemaError);
    Table b_numeric = test;
    b_numeric.set_numeric("b", std::vector<double>(test.num_rows(), 1.0));
    try {
        (void)fitted.transform(b_numeric);
        FAIL("a numeric column was taken for a datetime");
    } catch (const SchemaError& e) {
        CHECK(e.component() == C::component_name);
        CHECK(e.column() == "b");
    }
    const Table before = test;
    Table no_dates = b_numeric;
    no_dates.set_numeric("a", std::vector<double>(test.num_rows(), 1.0));
    C refit = fitted;
    CHECK_THROWS_AS(refit.fit(no_dates), SchemaError);
    CHECK(fingerprint(refit) == fp);
    CHECK(test == before);
}
}  // namespace

TEST_CASE("datetime contract: DatetimeFeatures and DatetimeSubtraction") {
    SUBCASE("DatetimeFeatures, every feature, originals kept, missing ignored") {
        datetime_contract(DatetimeFeatures({.columns = {"a", "b"}, .features_to_extract = {"all"}, .drop_original = false,
                                            .missing_values = MissingValues::ignore}));
    }
    SUBCASE("DatetimeFeatures, defaults (every datetime column, seven features)") {
        datetime_contract(DatetimeFeatures());
        DatetimeFeatures d;
        d.fit(datetime_table(4, 1, false));
        CHECK(d.feature_names_out() == std::vector<std::string>{"a_month", "a_year", "a_day_of_week", "a_day_of_month", "a_hour",
                                                                "a_minute", "a_second", "b_month", "b_year", "b_day_of_week",
                                                                "b_day_of_month", "b_hour", "b_minute", "b_second"});
    }
    SUBCASE("DatetimeSubtraction, hours, originals dropped, missing ignored") {
        datetime_contract(DatetimeSubtraction({.columns = {"a", "b"}, .reference = {"b", "a"}, .output_unit = "h",
                                               .drop_original = true}));
        DatetimeSubtraction s({.columns = {"a", "b"}, .reference = {"b", "a"}});
        s.fit(datetime_table(4, 1, false));
        CHECK(s.feature_names_out() == std::vector<std::string>{"a", "b", "a_sub_b", "b_sub_b", "a_sub_a", "b_sub_a"});
    }
    SUBCASE("DatetimeSubtraction, raise on missing, named outputs") {
        datetime_contract(DatetimeSubtraction({.columns = {"a"}, .reference = {"b"}, .new_variables_names = {"age"},
                                               .output_unit = "s", .missing_values = MissingValues::raise}));
    }
}

TEST_CASE("datetime bad input: params, missing values under raise, overflowing differences") {
    const auto param_of = [](auto&& make) {
        try {
            make();
        } catch (const InvalidParameter& e) {
            return e.parameter();
        }
        return std::string("no InvalidParameter");
    };
    CHECK(param_of([] { DatetimeFeatures({.features_to_extract = {"month", "fortnight"}}); }) == "features_to_extract");
    CHECK(param_of([] { DatetimeFeatures({.features_to_extract = {"month", "month"}}); }) == "features_to_extract");
    CHECK(param_of([] { DatetimeFeatures({.missing_values = MissingValues::include}); }) == "missing_values");
    CHECK(param_of([] { DatetimeSubtraction({.columns = {"a"}, .reference = {"b"}, .output_unit = "M"}); }) == "output_unit");
    CHECK(param_of([] { DatetimeSubtraction({.columns = {"a"}, .reference = {"b"}, .output_unit = "ps"}); }) == "output_unit");
    const Table dates = datetime_table(8, 3, false);
    CHECK(param_of([&] { DatetimeSubtraction({.columns = {}, .reference = {"b"}}).fit(dates); }) == "columns");
    CHECK(param_of([&] { DatetimeSubtraction({.columns = {"a"}, .reference = {}}).fit(dates); }) == "reference");
    CHECK(param_of([] { DatetimeSubtraction({.columns = {"a", "a"}, .reference = {"b"}}); }) == "columns");
    CHECK(param_of([] { DatetimeSubtraction({.columns = {"a"}, .reference = {"b"}, .new_variables_names = {"p", "q"}}); }) ==
          "new_variables_names");
    // A new name that repeats a kept input is refused at fit.
    const Table t = datetime_table(8, 3, true);
    CHECK_THROWS_AS(DatetimeSubtraction({.columns = {"a"}, .reference = {"b"}, .new_variables_names = {"b"}}).fit(t),
                    InvalidParameter);
    // missing_values = raise: InvalidInput naming the column and the row, in fit and transform.
    try {
        DatetimeFeatures({.columns = {"a"}}).fit(t);
        FAIL("a missing datetime was accepted");
    } catch (const InvalidInput& e) {
        CHECK(e.column() == "a");
        CHECK(e.row() == std::optional<std::size_t>(3));
    }
    DatetimeFeatures f({.columns = {"b"}});
    f.fit(datetime_table(8, 3, false));
    const std::string fp = fingerprint(f);
    try {
        (void)f.transform(t);
        FAIL("a missing datetime was accepted");
    } catch (const InvalidInput& e) {
        CHECK(e.column() == "b");
        CHECK(e.row() == std::optional<std::size_t>(5));
    }
    CHECK(fingerprint(f) == fp);
    // A difference beyond int64 nanoseconds, as pandas refuses it.
    Table far;
    far.add_datetime("a", {kNaT + 1}).add_datetime("b", {std::numeric_limits<std::int64_t>::max()});
    CHECK_THROWS_AS((void)DatetimeSubtraction({.columns = {"a"}, .reference = {"b"}}).fit_transform(far), InvalidInput);
    // No datetime column at all.
    Table none;
    none.add_numeric("x", {1.0});
    CHECK_THROWS_AS(DatetimeFeatures().fit(none), SchemaError);
}

TEST_CASE("a pipeline mixing datetime steps with older ones: one artifact, and a single row equals the batch") {
    const Table t = datetime_table(50, 21, true);
    Pipeline pipe = Pipeline{}
                        .add("dates", DatetimeFeatures({.columns = {"a"}, .features_to_extract = {"year", "week", "weekend", "hour"},
                                                        .missing_values = MissingValues::ignore}))
                        .add("age", DatetimeSubtraction({.columns = {"b"}, .reference = {"b"}, .output_unit = "W"}))
                        .add("impute", SimpleImputer<>({.columns = {"a_year", "a_week", "a_hour"}}))
                        .add("scale", StandardScaler<>({.columns = {"a_year", "x"}}))
                        .add("onehot", OneHotEncoder({.columns = {"c"}}));
    pipe.fit(t);
    const Pipeline served = load_pipeline_bytes(save_bytes(pipe));
    CHECK(fingerprint(served) == fingerprint(pipe));
    const Table batch = served.transform(t);
    CHECK(bits_of(batch) == bits_of(pipe.transform(t)));
    RowPlan plan = served.compile();
    const auto& schema = served.input_schema();
    std::vector<Cell> record(schema.size()), out(plan.n_outputs());
    for (std::size_t i = 0; i < t.num_rows(); ++i) {
        for (std::size_t k = 0; k < schema.size(); ++k) {
            const auto& n = schema[k].name;
            record[k] = schema[k].type == ColumnType::datetime ? Cell::dt(t.datetime(n)[i])
                        : schema[k].type == ColumnType::numeric ? Cell::num(t.numeric(n)[i])
                                                                : Cell::cat(*t.category(n, i));
        }
        plan.run(record, std::span<Cell>(out));
        for (std::size_t o = 0; o < out.size(); ++o) {
            const auto& n = plan.output_names()[o];
            if (out[o].type == ColumnType::datetime) CHECK(out[o].nanos() == batch.datetime(n)[i]);
            else CHECK(std::bit_cast<std::uint64_t>(out[o].number) == std::bit_cast<std::uint64_t>(batch.numeric(n)[i]));
        }
    }
    // A number where the datetime belongs is refused, naming the column.
    record[0] = Cell::num(1.0);
    CHECK_THROWS_AS(plan.run(record, std::span<Cell>(out)), SchemaError);
}

TEST_CASE("components over every column of their type leave datetime columns alone, and refuse one named to them") {
    const Table t = datetime_table(30, 5, true);
    const auto check_skips = [&](auto c, const char* what) {
        INFO(what);
        c.fit(t);
        const auto in = c.feature_names_in();
        CHECK(std::find(in.begin(), in.end(), "a") == in.end());
        CHECK(std::find(in.begin(), in.end(), "b") == in.end());
        const Table out = c.transform(t);
        CHECK(out.datetime("a")[3] == kNaT);
        CHECK(out.datetime("b")[0] == t.datetime("b")[0]);
    };
    check_skips(StandardScaler<>(), "StandardScaler");
    check_skips(OneHotEncoder(), "OneHotEncoder");
    check_skips(DropConstantFeatures({.missing_values = MissingValues::ignore}), "DropConstantFeatures");
    check_skips(DropDuplicateFeatures(), "DropDuplicateFeatures");
    check_skips(RandomSampleImputer(), "RandomSampleImputer");
    CHECK_THROWS_AS(DropConstantFeatures({.columns = {"a"}}).fit(t), SchemaError);
    CHECK_THROWS_AS(RandomSampleImputer({.columns = {"a"}}).fit(t), SchemaError);
    CHECK_THROWS_AS(StandardScaler<>({.columns = {"a"}}).fit(t), SchemaError);
}
