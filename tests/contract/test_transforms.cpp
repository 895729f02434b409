// The contract suite over the transforms, plus their own behaviour: formulas on known
// values, edge cases (constant / all-NaN columns, non-positive values), inverses.
#include "contract.hpp"

#include <reprep/transform/cyclical_features.hpp>
#include <reprep/transform/log_transformer.hpp>
#include <reprep/transform/power_transformer.hpp>
#include <reprep/transform/quantile_transformer.hpp>

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
