// The transforms that take dmath's block functions (LogTransformer, PowerTransformer with
// both methods and at the log1p lambdas, CyclicalFeatures) give, on every vector path
// this CPU has, the bits of their scalar formulas applied value by value: columns of
// 1000+ rows (not a multiple of the 256-value buffer nor of any vector step) with NaN,
// zeros, negatives, huge and tiny values, in double and float.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <reprep/core/detail/dmath_block.hpp>
#include <reprep/transform/cyclical_features.hpp>
#include <reprep/transform/log_transformer.hpp>
#include <reprep/transform/power_transformer.hpp>

#include "../support/splitmix.hpp"

using namespace reprep;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Gen {
    std::uint64_t s;
    double u() { return static_cast<double>(reprep_test::splitmix64_next(s) >> 11) * 0x1p-53; }
};

// Rows x cols of values in a spread of magnitudes, sign chosen by `positive`, 3% NaN.
Matrix<double> data(Eigen::Index rows, Eigen::Index cols, bool positive, std::uint64_t seed) {
    Gen g{seed};
    Matrix<double> X(rows, cols);
    for (Eigen::Index j = 0; j < cols; ++j)
        for (Eigen::Index i = 0; i < rows; ++i) {
            double v = std::ldexp(0.5 + g.u(), static_cast<int>(g.u() * 40) - 20);
            if (!positive && g.u() < 0.5) v = -v;
            if (g.u() < 0.03) v = kNaN;
            if (!positive && i % 101 == 7) v = (i % 2) ? 0.0 : -0.0;
            X(i, j) = v;
        }
    return X;
}

std::vector<KernelIsa> paths_of_this_cpu() {
    std::vector<KernelIsa> p{KernelIsa::baseline};
    for (auto i : {KernelIsa::avx2, KernelIsa::avx512})
        if (static_cast<int>(detail::host_kernel_isa()) >= static_cast<int>(i)) p.push_back(i);
    return p;
}

struct CapGuard {
    int saved = detail::kernel_isa_cap().load();
    ~CapGuard() { detail::kernel_isa_cap().store(saved); }
};

template <class T>
std::uint64_t bits(T x) {
    if constexpr (sizeof(T) == 8) return std::bit_cast<std::uint64_t>(x);
    else return std::bit_cast<std::uint32_t>(x);
}

// Counts the cells of `got` whose bits differ from ref(i, j).
template <class T, class Ref>
std::size_t differing(const Matrix<T>& got, Ref ref) {
    std::size_t bad = 0;
    for (Eigen::Index j = 0; j < got.cols(); ++j)
        for (Eigen::Index i = 0; i < got.rows(); ++i) bad += bits(got(i, j)) != bits(static_cast<T>(ref(i, j)));
    return bad;
}

template <class T>
void check_log() {
    const Matrix<double> Xd = data(1031, 3, true, 5);
    const Matrix<T> X = Xd.cast<T>();
    for (auto base : {LogBase::e, LogBase::ten}) {
        LogTransformer<T> t({.base = base, .C = 0.25});
        t.fit(X);
        CapGuard guard;
        for (auto isa : paths_of_this_cpu()) {
            set_max_kernel_isa(isa);
            CAPTURE(to_string(isa));
            const Matrix<T> Y = t.transform(X);
            CHECK(differing(Y, [&](Eigen::Index i, Eigen::Index j) {
                      const double y = dmath::log(static_cast<double>(X(i, j)) + 0.25);
                      return base == LogBase::e ? y : y / 2.302585092994046;
                  }) == 0);
        }
    }
}

template <class T>
void check_power(PowerMethod method, const std::vector<double>& lambdas, bool standardize) {
    const Matrix<double> Xd = data(1031, static_cast<Eigen::Index>(lambdas.size()), method == PowerMethod::box_cox, 11);
    const Matrix<T> X = Xd.cast<T>();
    std::vector<double> mean(lambdas.size()), scale(lambdas.size());
    for (std::size_t j = 0; j < lambdas.size(); ++j) mean[j] = 0.125 * static_cast<double>(j), scale[j] = 1.5 + static_cast<double>(j);
    const auto t = PowerTransformer<T>::from_state(lambdas, standardize ? mean : std::vector<double>{},
                                                   standardize ? scale : std::vector<double>{},
                                                   {.method = method, .standardize = standardize});
    CapGuard guard;
    for (auto isa : paths_of_this_cpu()) {
        set_max_kernel_isa(isa);
        CAPTURE(to_string(isa));
        const Matrix<T> Y = t.transform(X);
        CHECK(differing(Y, [&](Eigen::Index i, Eigen::Index j) {
                  const T v = X(i, j);
                  if (v != v) return static_cast<double>(v);
                  const double l = lambdas[static_cast<std::size_t>(j)];
                  const double y = method == PowerMethod::box_cox ? detail::box_cox(static_cast<double>(v), l)
                                                                  : detail::yeo_johnson(static_cast<double>(v), l);
                  return standardize ? (y - mean[static_cast<std::size_t>(j)]) / scale[static_cast<std::size_t>(j)] : y;
              }) == 0);
        // NaN keeps its own bits.
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            if (X(i, 0) != X(i, 0)) CHECK(bits(Y(i, 0)) == bits(X(i, 0)));
    }
}

template <class T>
void check_cyclical() {
    const Matrix<double> Xd = data(1031, 2, false, 23) * 1000.0;  // up to ~1e9: both trig reductions
    const Matrix<T> X = Xd.cast<T>();
    CyclicalFeatures<T> t({.max_values = {{"x0", 24.0}, {"x1", 1e-3}}});
    t.fit(X);
    CapGuard guard;
    for (auto isa : paths_of_this_cpu()) {
        set_max_kernel_isa(isa);
        CAPTURE(to_string(isa));
        const Matrix<T> Y = t.transform(X);
        const double period[2] = {24.0, 1e-3};
        CHECK(differing(Y, [&](Eigen::Index i, Eigen::Index j) {
                  if (j < 2) return static_cast<double>(X(i, j));
                  const Eigen::Index c = (j - 2) / 2;
                  const double a = static_cast<double>(X(i, c)) * (2.0 * 3.141592653589793 / period[c]);
                  return (j - 2) % 2 == 0 ? dmath::sin(a) : dmath::cos(a);
              }) == 0);
    }
}

}  // namespace

TEST_CASE("LogTransformer: the scalar formula's bits on every vector path") {
    check_log<double>();
    check_log<float>();
}

TEST_CASE("PowerTransformer: the scalar formulas' bits on every vector path") {
    // 0 and 2 take Yeo-Johnson's log1p branches, 1e-20 Box-Cox's log branch.
    const std::vector<double> yj = {0.0, 2.0, 0.7, -1.3, 2.5, 1e-17, 2.0 + 1e-15};
    const std::vector<double> bc = {0.0, 1e-20, 0.5, -1.0, 3.0};
    for (bool standardize : {false, true}) {
        CAPTURE(standardize);
        check_power<double>(PowerMethod::yeo_johnson, yj, standardize);
        check_power<double>(PowerMethod::box_cox, bc, standardize);
        check_power<float>(PowerMethod::yeo_johnson, yj, standardize);
        check_power<float>(PowerMethod::box_cox, bc, standardize);
    }
}

TEST_CASE("CyclicalFeatures: the scalar formula's bits on every vector path") {
    check_cyclical<double>();
    check_cyclical<float>();
}
