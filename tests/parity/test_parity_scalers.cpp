// Parity with scikit-learn 1.2 for the scalers, on the golden files of
// tests/golden/golden_scalers.py.
//   - MinMaxScaler, MaxAbsScaler and RobustScaler (unit_variance included): the fitted
//     state is scikit-learn's bits, as docs/components.md says;
//   - StandardScaler: our mean_ and var_ are the correctly rounded ones (asserted against
//     exact rational arithmetic), so they differ from numpy's in the last bits: within
//     kStandardRel of scikit-learn's, the documented figure;
//   - from_state(scikit-learn's state) transforms test_<set> to scikit-learn's bits;
//   - Normalizer: our norms are the correctly rounded ones, our output is x / that norm,
//     and it equals scikit-learn's on every row where scikit-learn's norm is correctly rounded.
#include <doctest/doctest.h>

#include <reprep/scale/binarizer.hpp>
#include <reprep/scale/max_abs_scaler.hpp>
#include <reprep/scale/min_max_scaler.hpp>
#include <reprep/scale/normalizer.hpp>
#include <reprep/scale/robust_scaler.hpp>
#include <reprep/scale/standard_scaler.hpp>

#include "golden_cases.hpp"

using namespace reprep;
using golden::Case;

namespace {
// StandardScaler against numpy's mean/var: measured worst 5.4e-15 relative (var_ on the
// 800-row set, numpy's pairwise sums); docs/components.md states this bound.
constexpr double kStandardRel = 6e-15;

// rel = 0: the docs promise scikit-learn's bits, so every value must be bit-identical.
void report_state(const Case& c, const char* attr, const std::vector<double>& ours, double rel = 0.0) {
    const auto r = golden::compare_state(ours, c.st(attr), rel);
    std::printf("  %-32s %-12s %zu/%zu bit-identical, worst rel %.2e\n", c.name.c_str(), attr, r.exact, r.n, r.worst);
    if (rel == 0.0)
        CHECK_MESSAGE(r.exact == r.n, c.name << " " << std::string(attr) << ": " << r.n - r.exact << " values differ from scikit-learn's bits");
    else
        CHECK_MESSAGE(r.close == r.n, c.name << " " << std::string(attr) << ": " << r.n - r.close << " values off by more than " << rel);
}

template <class T>
void check_out(const Case& c, const Matrix<T>& ours, const char* what) {
    const std::size_t d = golden::count_diff(ours, c.matrix("out"));
    CHECK_MESSAGE(d == 0, c.name << " (" << what << "): " << d << " cells differ from scikit-learn's bits");
}

template <class T>
void standard(const Case& c) {
    const Matrix<T> X = golden::train(c).cast<T>(), Xt = golden::test(c).cast<T>();
    typename StandardScaler<T>::Params p{.with_mean = c.param_b("with_mean", true), .with_std = c.param_b("with_std", true)};
    StandardScaler<T> ours(p);
    ours.fit(X);
    report_state(c, "mean_", ours.mean(), kStandardRel);
    if (p.with_std) {
        report_state(c, "var_", ours.var(), kStandardRel);
        report_state(c, "scale_", ours.scale(), kStandardRel);
    }
    // Ours are the correctly rounded mean and variance (docs/components.md: "correctly
    // rounded, checked bit for bit against exact rational arithmetic").
    const auto m = golden::compare_state(ours.mean(), c.st("exact_mean"), 0.0);
    CHECK_MESSAGE(m.exact == m.n, c.name << ": " << m.n - m.exact << " means are not correctly rounded");
    const auto v = golden::compare_state(ours.var(), c.st("exact_var"), 0.0);
    CHECK_MESSAGE(v.exact == v.n, c.name << ": " << v.n - v.exact << " variances are not correctly rounded");
    std::printf("  %-32s %-12s %zu/%zu correctly rounded (means %zu/%zu)\n", c.name.c_str(), "var_ exact", v.exact, v.n,
                m.exact, m.n);
    const std::vector<double> scale = p.with_std ? c.st("scale_") : std::vector<double>(ours.mean().size(), 1.0);
    check_out(c, StandardScaler<T>::from_state(c.st("mean_"), scale, p).transform(Xt), "from_state");
}

template <class T>
void min_max(const Case& c) {
    const Matrix<T> X = golden::train(c).cast<T>(), Xt = golden::test(c).cast<T>();
    typename MinMaxScaler<T>::Params p;
    if (c.has_param("feature_range"))
        p.feature_range = {std::stod(c.params.at("feature_range")[0]), std::stod(c.params.at("feature_range")[1])};
    p.clip = c.param_b("clip", false);
    MinMaxScaler<T> ours(p);
    ours.fit(X);
    report_state(c, "data_min_", ours.data_min());
    report_state(c, "data_max_", ours.data_max());
    report_state(c, "data_range_", ours.data_range());
    report_state(c, "scale_", ours.scale());
    report_state(c, "min_", ours.min());
    check_out(c, MinMaxScaler<T>::from_state(c.st("min_"), c.st("scale_"), p).transform(Xt), "from_state");
    check_out(c, ours.transform(Xt), "own fit");  // min/max are exact, so the whole chain is
}

template <class T>
void max_abs(const Case& c) {
    const Matrix<T> X = golden::train(c).cast<T>(), Xt = golden::test(c).cast<T>();
    MaxAbsScaler<T> ours;
    ours.fit(X);
    report_state(c, "max_abs_", ours.max_abs());
    report_state(c, "scale_", ours.scale());
    check_out(c, MaxAbsScaler<T>::from_state(c.st("scale_")).transform(Xt), "from_state");
    check_out(c, ours.transform(Xt), "own fit");
}

template <class T>
void robust(const Case& c) {
    const Matrix<T> X = golden::train(c).cast<T>(), Xt = golden::test(c).cast<T>();
    typename RobustScaler<T>::Params p{.with_centering = c.param_b("with_centering", true),
                                       .with_scaling = c.param_b("with_scaling", true),
                                       .unit_variance = c.param_b("unit_variance", false)};
    if (c.has_param("quantile_range"))
        p.quantile_range = {std::stod(c.params.at("quantile_range")[0]), std::stod(c.params.at("quantile_range")[1])};
    RobustScaler<T> ours(p);
    ours.fit(X);
    if (p.with_centering) report_state(c, "center_", ours.center());
    if (p.with_scaling) report_state(c, "scale_", ours.scale());
    const std::vector<double> center = p.with_centering ? c.st("center_") : std::vector<double>{};
    const std::vector<double> scale = p.with_scaling ? c.st("scale_") : std::vector<double>{};
    check_out(c, RobustScaler<T>::from_state(center, scale, p).transform(Xt), "from_state");
    // Exact quantiles and numpy's arithmetic: the state is scikit-learn's bits (asserted
    // above, unit_variance included, where dmath's Φ⁻¹ must equal scipy's), so the
    // output of our own fit is too.
    check_out(c, ours.transform(Xt), "own fit");
}

template <class T>
void binarizer(const Case& c) {
    const Matrix<T> X = golden::train(c).cast<T>(), Xt = golden::test(c).cast<T>();
    Binarizer<T> ours({.threshold = c.param_d("threshold", 0.0)});
    ours.fit(X);
    check_out(c, ours.transform(Xt), "fit");
}

template <class T>
void normalizer(const Case& c) {
    const Matrix<T> X = golden::train(c).cast<T>(), Xt = golden::test(c).cast<T>();
    const std::string n = c.param("norm");
    Normalizer<T> ours({.norm = n == "l1" ? Norm::l1 : n == "l2" ? Norm::l2 : Norm::max});
    ours.fit(X);
    const Matrix<T> Y = ours.transform(Xt);
    const auto& exact = c.st("norm_exact");
    const auto& theirs = c.st("norm_sklearn");
    const Matrix<double> out = c.matrix("out");
    std::size_t norm_wrong = 0, sk_exact = 0, agree_rows = 0, agree_when_exact = 0;
    std::vector<T> row(static_cast<std::size_t>(Xt.cols()));
    for (Eigen::Index i = 0; i < Xt.rows(); ++i) {
        for (Eigen::Index j = 0; j < Xt.cols(); ++j) row[static_cast<std::size_t>(j)] = Xt(i, j);
        const auto k = static_cast<std::size_t>(i);
        norm_wrong += !golden::same(static_cast<double>(ours.row_norm(row)), exact[k]);
        bool agree = true;
        for (Eigen::Index j = 0; j < Xt.cols(); ++j) agree &= golden::same(static_cast<double>(Y(i, j)), out(i, j));
        agree_rows += agree;
        if (golden::same(theirs[k], exact[k])) {
            ++sk_exact;
            agree_when_exact += agree;
        }
    }
    const auto rows = static_cast<std::size_t>(Xt.rows());
    std::printf("  %-32s norms: scikit-learn correctly rounded on %zu/%zu rows; outputs bit-identical on %zu/%zu rows\n",
                c.name.c_str(), sk_exact, rows, agree_rows, rows);
    CHECK_MESSAGE(norm_wrong == 0, c.name << ": " << norm_wrong << " norms are not the correctly rounded ones");
    const std::size_t d = golden::count_diff(Y, c.matrix("out_exact"));
    CHECK_MESSAGE(d == 0, c.name << ": " << d << " cells differ from x / exact norm");
    CHECK_MESSAGE(agree_when_exact == sk_exact, c.name << ": rows with the same norm must give scikit-learn's bits");
    // max norms and dyadic data have exact sums in numpy too: full bit parity there.
    if (n == "max" || c.data == "dyadic") CHECK(agree_rows == rows);
}

template <void (*D)(const Case&), void (*F)(const Case&)>
void run(const std::string& component) {
    std::printf("%s\n", component.c_str());
    for (const auto& c : golden::cases_of(component)) {
        CAPTURE(c.name);
        if (c.dtype == "float32") F(c);
        else D(c);
    }
}
}  // namespace

TEST_CASE("parity: StandardScaler") { run<standard<double>, standard<float>>("StandardScaler"); }
TEST_CASE("parity: MinMaxScaler") { run<min_max<double>, min_max<float>>("MinMaxScaler"); }
TEST_CASE("parity: MaxAbsScaler") { run<max_abs<double>, max_abs<float>>("MaxAbsScaler"); }
TEST_CASE("parity: RobustScaler") { run<robust<double>, robust<float>>("RobustScaler"); }
TEST_CASE("parity: Binarizer") { run<binarizer<double>, binarizer<float>>("Binarizer"); }
TEST_CASE("parity: Normalizer") { run<normalizer<double>, normalizer<float>>("Normalizer"); }
