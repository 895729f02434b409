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
