// Parity with scikit-learn 1.2 for SimpleImputer and MissingIndicator, and with
// feature-engine's EndTailImputer formulas (evaluated by the golden script with numpy),
// on the golden files of tests/golden/golden_scalers.py.
#include <doctest/doctest.h>

#include <reprep/impute/end_tail_imputer.hpp>
#include <reprep/impute/missing_indicator.hpp>
#include <reprep/impute/simple_imputer.hpp>

#include "golden_cases.hpp"

using namespace reprep;
using golden::Case;

namespace {
constexpr double kRel = 1e-12;

void report_state(const Case& c, const char* attr, const std::vector<double>& ours, double rel = kRel) {
    const auto r = golden::compare_state(ours, c.st(attr), rel);
    std::printf("  %-40s %-14s %zu/%zu bit-identical, worst rel %.2e\n", c.name.c_str(), attr, r.exact, r.n, r.worst);
    CHECK_MESSAGE(r.close == r.n, c.name << " " << std::string(attr) << ": " << r.n - r.close << " values off by more than " << rel);
}

template <class T>
void check_out(const Case& c, const Matrix<T>& ours, const char* what) {
    const std::size_t d = golden::count_diff(ours, c.matrix("out"));
    CHECK_MESSAGE(d == 0, c.name << " (" << what << "): " << d << " cells differ from the golden bits");
}

ImputeStrategy strategy_of(const std::string& s) {
    if (s == "median") return ImputeStrategy::median;
    if (s == "most_frequent") return ImputeStrategy::most_frequent;
    if (s == "constant") return ImputeStrategy::constant;
    return ImputeStrategy::mean;
}

template <class T>
void simple(const Case& c) {
    const Matrix<T> X = golden::train(c).cast<T>(), Xt = golden::test(c).cast<T>();
    typename SimpleImputer<T>::Params p{.strategy = strategy_of(c.param("strategy", "mean")),
                                        .fill_value = c.param_d("fill_value", 0.0),
                                        .add_indicator = c.param_b("add_indicator", false),
                                        .keep_empty_features = c.param_b("keep_empty_features", false)};
    SimpleImputer<T> ours(p);
    ours.fit(X);
    // scikit-learn's np.ma.mean accumulates float32 input in float32 (relative error
    // ~1e-6); ours is the correctly rounded mean in double, checked bit for bit below.
    const bool f32_mean = p.strategy == ImputeStrategy::mean && c.dtype == "float32";
    report_state(c, "statistics_", ours.statistics(), f32_mean ? 1e-5 : kRel);
    if (p.strategy == ImputeStrategy::mean) {
        std::vector<double> expected = c.st("exact_mean");
        for (auto& e : expected)
            if (std::isnan(e) && p.keep_empty_features) e = 0.0;  // empty columns impute 0
        const auto r = golden::compare_state(ours.statistics(), expected, 0.0);
        CHECK_MESSAGE(r.exact == r.n, c.name << ": " << r.n - r.exact << " means are not correctly rounded");
    }
    if (p.add_indicator) CHECK(ours.indicator_features() == c.ints.at("indicator_features"));
    const std::vector<std::uint64_t> features = p.add_indicator ? c.ints.at("indicator_features") : std::vector<std::uint64_t>{};
    check_out(c, SimpleImputer<T>::from_state(c.st("statistics_"), features, p).transform(Xt), "from_state");
    // median, most_frequent and constant statistics are exact; the mean is correctly
    // rounded here and not always in numpy, so only those outputs must match bit for bit.
    if (p.strategy != ImputeStrategy::mean) check_out(c, ours.transform(Xt), "own fit");
}

template <class T>
void indicator(const Case& c) {
    const Matrix<T> X = golden::train(c).cast<T>(), Xt = golden::test(c).cast<T>();
    MissingIndicator<T> ours({.features = c.param("features") == "all" ? MissingFeatures::all : MissingFeatures::missing_only,
                              .error_on_new = c.param_b("error_on_new", true)});
    ours.fit(X);
    CHECK(ours.features() == c.ints.at("features_"));
    check_out(c, ours.transform(Xt), "fit");
}

template <class T>
void end_tail(const Case& c) {
    const Matrix<T> X = golden::train(c).cast<T>(), Xt = golden::test(c).cast<T>();
    const std::string m = c.param("imputation_method");
    EndTailImputer<T> ours({.imputation_method = m == "iqr" ? EndTailMethod::iqr : m == "max" ? EndTailMethod::max
                                                                                             : EndTailMethod::gaussian,
                            .tail = c.param("tail") == "left" ? EndTailSide::left : EndTailSide::right,
                            .fold = c.param_d("fold", 3.0)});
    ours.fit(X);
    report_state(c, "imputer_dict_", ours.imputer_values());
    check_out(c, EndTailImputer<T>::from_state(c.st("imputer_dict_"), ours.params()).transform(Xt), "from_state");
    if (m != "gaussian") check_out(c, ours.transform(Xt), "own fit");
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

TEST_CASE("parity: SimpleImputer") { run<simple<double>, simple<float>>("SimpleImputer"); }
TEST_CASE("parity: MissingIndicator") { run<indicator<double>, indicator<float>>("MissingIndicator"); }
TEST_CASE("parity: EndTailImputer (feature-engine's formulas)") { run<end_tail<double>, end_tail<float>>("EndTailImputer"); }
