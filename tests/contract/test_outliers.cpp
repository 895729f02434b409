// The contract suite over the outlier cappers, plus their caps on known data.
#include "contract.hpp"

#include <reprep/outliers/arbitrary_outlier_capper.hpp>
#include <reprep/outliers/winsorizer.hpp>

using namespace reprep;

namespace {
template <class T>
Matrix<T> cast(const Matrix<double>& X) { return X.template cast<T>(); }

template <class T, CappingMethod M, Tail L>
struct WinsorizerCase {
    using Component = Winsorizer<T>;
    static Component make() { return Component({.capping_method = M, .tail = L}); }
    static Matrix<T> train() { return cast<T>(contract::gaussian(199, 3, 81, 0.05)); }
    static Matrix<T> test() {
        Matrix<double> X = contract::gaussian(47, 3, 82, 0.1);
        X(0, 0) = 1e6;
        X(1, 0) = -std::numeric_limits<double>::infinity();
        return cast<T>(X);
    }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.fold = 0.0}), InvalidParameter);
        CHECK_THROWS_AS(Component({.capping_method = CappingMethod::quantiles, .fold = 0.3}), InvalidParameter);
        CHECK_THROWS_AS(Component({.tail = static_cast<Tail>(4)}), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};

template <class T>
struct CapperCase {
    using Component = ArbitraryOutlierCapper<T>;
    static Component make() {
        return Component({.columns = {"f0", "f1", "f2"},
                          .max_capping_dict = {{"f0", -6.0}, {"f2", 20.0}},
                          .min_capping_dict = {{"f0", -9.0}, {"f1", 2.0}}});
    }
    static Matrix<T> train() { return cast<T>(contract::gaussian(50, 3, 91, 0.05)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(30, 3, 92, 0.1)); }
    static void bad_params() {
        CHECK_THROWS_AS(Component(typename Component::Params{}), InvalidParameter);
        CHECK_THROWS_AS(Component({.max_capping_dict = {{"a", 1.0}}, .min_capping_dict = {{"a", 2.0}}}), InvalidParameter);
    }
    static constexpr bool has_accumulator = false;
};
}  // namespace

TEST_CASE_TEMPLATE("numeric contract: outliers", C, WinsorizerCase<double, CappingMethod::gaussian, Tail::right>,
                   WinsorizerCase<double, CappingMethod::iqr, Tail::both>,
                   WinsorizerCase<double, CappingMethod::quantiles, Tail::left>,
                   WinsorizerCase<float, CappingMethod::gaussian, Tail::both>, CapperCase<double>, CapperCase<float>) {
    contract::run_all<C>();
}

TEST_CASE("Winsorizer: caps on known data") {
    Matrix<double> X(5, 1);
    X << 1.0, 2.0, 3.0, 4.0, 100.0;
    Winsorizer<> iqr({.capping_method = CappingMethod::iqr, .tail = Tail::both});
    iqr.fit(X);
    // q25 = 2, q75 = 4, iqr = 2, fold 1.5 ('auto').
    CHECK(iqr.right_tail_caps()[0] == 7.0);
    CHECK(iqr.left_tail_caps()[0] == -1.0);
    const Matrix<double> Y = iqr.transform(X);
    CHECK(Y(4, 0) == 7.0);
    CHECK(Y(0, 0) == 1.0);
    Winsorizer<> g({.capping_method = CappingMethod::gaussian, .fold = 1.0});
    g.fit(X);
    // mean 22, sample std sqrt(1902.5) (pandas ddof = 1).
    // Exact mean and correctly rounded variance, so the cap is one rounding of 22 + sqrt(1902.5).
    CHECK(g.right_tail_caps()[0] == 22.0 + std::sqrt(1902.5));
    CHECK(g.left_tail_caps()[0] == -std::numeric_limits<double>::infinity());
    Winsorizer<> q({.capping_method = CappingMethod::quantiles, .tail = Tail::both, .fold = 0.2});
    q.fit(X);
    // The docs promise numpy's 'linear' quantiles exactly, so the bits are asserted: numpy
    // 1.24's np.quantile([1, 2, 3, 4, 100], 0.8) is 23.200000000000017 (its lerp from 100
    // down), not the double nearest 23.2; np.quantile(..., 0.2) is the double nearest 1.8.
    CHECK(q.right_tail_caps()[0] == 0x1.7333333333338p+4);
    CHECK(q.left_tail_caps()[0] == 0x1.ccccccccccccdp+0);
}

TEST_CASE("ArbitraryOutlierCapper: caps, NaN and unknown columns") {
    Matrix<double> X(3, 2);
    X << -5.0, 1.0, 0.5, std::numeric_limits<double>::quiet_NaN(), 9.0, 3.0;
    ArbitraryOutlierCapper<> c({.max_capping_dict = {{"x0", 1.0}}, .min_capping_dict = {{"x0", 0.0}, {"x1", 2.0}}});
    c.fit(X);
    const Matrix<double> Y = c.transform(X);
    CHECK(Y(0, 0) == 0.0);
    CHECK(Y(1, 0) == 0.5);
    CHECK(Y(2, 0) == 1.0);
    CHECK(Y(0, 1) == 2.0);
    CHECK(std::isnan(Y(1, 1)));
    ArbitraryOutlierCapper<> wrong({.max_capping_dict = {{"zz", 1.0}}});
    CHECK_THROWS_WITH_AS(wrong.fit(X), doctest::Contains("zz"), SchemaError);
}

TEST_CASE("ArbitraryOutlierCapper::from_state: the caps of a fitted capper, infinite caps as no cap") {
    Matrix<double> X(3, 2);
    X << -5.0, 1.0, 0.5, std::numeric_limits<double>::quiet_NaN(), 9.0, 3.0;
    ArbitraryOutlierCapper<> fitted({.max_capping_dict = {{"x0", 1.0}}, .min_capping_dict = {{"x0", 0.0}, {"x1", 2.0}}});
    fitted.fit(X);
    const double inf = std::numeric_limits<double>::infinity();
    const auto c = ArbitraryOutlierCapper<>::from_state({1.0, inf}, {0.0, 2.0});
    CHECK(c.is_fitted());
    CHECK(c.params().max_capping_dict.size() == 1);  // +Inf is no max cap, as in the fitted one
    CHECK(c.params().min_capping_dict.size() == 2);
    CHECK(contract::same_bits(c.transform(X), fitted.transform(X)));
    CHECK(ArbitraryOutlierCapper<>::from_state({inf}, {-inf}, {"a"}).feature_names_in() == std::vector<std::string>{"a"});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS((void)ArbitraryOutlierCapper<>::from_state({}, {}), doctest::Contains("non-empty"), InvalidParameter);
    CHECK_THROWS_WITH_AS((void)ArbitraryOutlierCapper<>::from_state({1.0}, {0.0}, {"a", "b"}), doctest::Contains("one feature name"),
                         InvalidParameter);
    CHECK_THROWS_WITH_AS((void)ArbitraryOutlierCapper<>::from_state({nan}, {0.0}), doctest::Contains("NaN"), InvalidParameter);
}
