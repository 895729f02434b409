// reprep::PowerTransformer — scikit-learn's PowerTransformer (Yeo-Johnson, Box-Cox)
// with a deterministic maximum-likelihood fit.
//
//   fit (per column, NaN ignored; n = number of non-NaN values):
//     lambda_j = argmin f(lambda) by Brent's method, run exactly as scipy 1.10's
//     optimize.brent(f, brack=(-2, 2)) (downhill bracket search, then Brent with
//     tol = 1.48e-8, maxiter = 500), where f is scikit-learn 1.2's objective:
//       Yeo-Johnson:  f(l) = -( (-n/2) * log(var(yj(x, l))) + (l - 1) * S ),
//                     S = Σ sign(x) * log1p(|x|);  f = +Inf when var < DBL_MIN
//       Box-Cox:      f(l) = -( (l - 1) * Σ log(x) - n/2 * log(v) ),
//                     v = var(log(x)) if l == 0, else var(x^l / l)   (scipy's boxcox_llf)
//     Every sum is an exact sum (ExactSum), every var an exact population variance
//     (ColumnMoments), every log/pow/exp/log1p/expm1 comes from dmath: f is a pure
//     function of the multiset of values, so lambda is too.
//     standardize: mean_j, scale_j of the transformed column, with StandardScaler's
//     rules (exact moments; scale 1 for a constant column).
//   transform:  y = psi(x, lambda_j), then (y - mean_j) / scale_j if standardize, with
//     Yeo-Johnson  psi = x >= 0: |l| < eps ? log1p(x) : (pow(x + 1, l) - 1) / l
//                        x <  0: |l - 2| > eps ? -(pow(1 - x, 2 - l) - 1) / (2 - l) : -log1p(-x)
//     Box-Cox      psi = |l| < 1e-19 ? log(x) : expm1(l * log(x)) / l     (scipy.special.boxcox)
//     (eps = 2^-52, scikit-learn's np.spacing(1.0)), evaluated in double, rounded once to T.
//   inverse:    x = psi^-1(y * scale_j + mean_j, lambda_j), scikit-learn's formulas:
//     Yeo-Johnson  y >= 0: |l| < eps ? exp(y) - 1 : pow(y * l + 1, 1 / l) - 1
//                  y <  0: |l - 2| > eps ? 1 - pow(-(2 - l) * y + 1, 1 / (2 - l)) : 1 - exp(-y)
//     Box-Cox      l == 0 ? exp(y) : pow(y * l + 1, 1 / l)
//
// Input rules (scikit-learn's): NaN is ignored in fit and kept in transform; ±Inf is
// refused (InvalidInput); Box-Cox refuses values <= 0 in fit and transform, and a
// constant column in fit (scipy does). An all-NaN column is refused in fit, and so is a
// column whose transform overflows at the fitted lambda (scikit-learn warns and returns NaN).
// No Accumulator: every objective evaluation needs every value.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/dmath.hpp"
#include "../core/exact_sum.hpp"
#include "../core/moments.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

enum class PowerMethod : std::uint8_t { yeo_johnson, box_cox };

namespace detail {
// scikit-learn's negative log-likelihood of lambda (see the header comment), with exact
// sums and variances; the values must be finite, non-NaN (and > 0 for Box-Cox).
class PowerObjective {
public:
    PowerObjective(PowerMethod method, std::vector<double> x);
    double operator()(double lambda);

private:
    PowerMethod method_;
    std::vector<double> x_, logx_, y_;
    double sum_ = 0, half_n_ = 0;
};
inline double yeo_johnson(double x, double lambda);
inline double yeo_johnson_inverse(double y, double lambda);
inline double box_cox(double x, double lambda);
inline double box_cox_inverse(double y, double lambda);
// scipy.optimize.brent(f, brack=(a, b)) step for step; InvalidInput if bracketing fails.
template <class F>
double scipy_brent(F&& f, double xa, double xb, const char* component, const std::string& column);
}  // namespace detail

template <class T = double>
class PowerTransformer : public detail::NumericComponent<PowerTransformer<T>, T> {
    using Base = detail::NumericComponent<PowerTransformer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to transform (empty = all numeric)
        PowerMethod method = PowerMethod::yeo_johnson;
        bool standardize = true;
    };

    static constexpr const char* component_name = "PowerTransformer";
    static constexpr std::string_view kind_name() { return "power_transformer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = false;

    PowerTransformer() = default;
    // A template, so that PowerTransformer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit PowerTransformer(P p) : params_(std::move(p)) {
        if (params_.method != PowerMethod::yeo_johnson && params_.method != PowerMethod::box_cox)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "method is not yeo_johnson or box_cox",
                                            .fix = "use method = yeo_johnson or box_cox ('yeo-johnson' or 'box-cox' in Python)",
                                            .column = "method"});
    }

    const Params& params() const { return params_; }

    // A fitted transformer from parameters fitted elsewhere (scikit-learn's lambdas_ and,
    // when standardize, _scaler.mean_ and _scaler.scale_; pass empty vectors otherwise).
    static PowerTransformer from_state(std::vector<double> lambdas, std::vector<double> mean, std::vector<double> scale,
                                       Params p = {}, std::vector<std::string> feature_names = {}) {
        PowerTransformer t(std::move(p));
        const std::size_t n = lambdas.size();
        if (n == 0 || (t.params_.standardize && (mean.size() != n || scale.size() != n)) ||
            (!t.params_.standardize && (!mean.empty() || !scale.empty())))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "lambdas must be non-empty; mean and scale must match it when "
                                                       "standardize, and be empty otherwise",
                                            .fix = "pass a fitted PowerTransformer's lambdas_ (one per column) and, when standardize is on, the mean_ and scale_ of its _scaler, of the same length",
                                            .column = "from_state"});
        for (double l : lambdas)
            if (!std::isfinite(l))
                detail::fail<InvalidParameter>({.component = component_name, .problem = "a lambda is not finite",
                                                .fix = "pass finite lambdas, as a fitted PowerTransformer's lambdas_ are",
                                                .column = "from_state"});
        t.lambdas_ = std::move(lambdas);
        t.mean_ = std::move(mean);
        t.scale_ = std::move(scale);
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(n));
        if (feature_names.size() != n)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "feature_names must have one name per lambda",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        t.set_fitted(std::move(feature_names));
        return t;
    }

    const std::vector<double>& lambdas() const { this->require_fitted(); return lambdas_; }
    // The standardisation applied after the power transform (empty when !standardize).
    const std::vector<double>& mean() const { this->require_fitted(); return mean_; }
    const std::vector<double>& scale() const { this->require_fitted(); return scale_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(lambdas_.size()); }

    Matrix<T> inverse_transform(const detail::MatrixRef<T>& Y) const {
        this->check_transform_input(Y);
        Matrix<T> X(Y.rows(), Y.cols());
        for (Eigen::Index j = 0; j < Y.cols(); ++j) {
            const auto jj = static_cast<std::size_t>(j);
            const double l = lambdas_[jj];
            for (Eigen::Index i = 0; i < Y.rows(); ++i) {
                if (Y(i, j) != Y(i, j)) {  // NaN passes through with its bits (transform_kernel)
                    X(i, j) = Y(i, j);
                    continue;
                }
                double y = static_cast<double>(Y(i, j));
                if (params_.standardize) y = y * scale_[jj] + mean_[jj];
                X(i, j) = static_cast<T>(params_.method == PowerMethod::box_cox ? detail::box_cox_inverse(y, l)
                                                                                 : detail::yeo_johnson_inverse(y, l));
            }
        }
        return X;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.method));
        w.boolean(params_.standardize);
        w.f64s(lambdas_);
        w.f64s(mean_);
        w.f64s(scale_);
    }
    static PowerTransformer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        PowerTransformer t;
        t.load_base(r);
        t.params_.columns = r.strs();
        const auto m = r.u8();
        if (m > 1) r.fail("PowerTransformer method code " + std::to_string(m) + " is unknown");
        t.params_.method = static_cast<PowerMethod>(m);
        t.params_.standardize = r.boolean();
        t.lambdas_ = r.f64s();
        t.mean_ = r.f64s();
        t.scale_ = r.f64s();
        const std::size_t n = t.lambdas_.size();
        const std::size_t ns = t.params_.standardize ? n : 0;
        if (t.mean_.size() != ns || t.scale_.size() != ns) r.fail("PowerTransformer state arrays have wrong lengths");
        if (t.is_fitted() ? n != t.feature_names_in().size() : n != 0)
            r.fail("PowerTransformer state does not match its feature names");
        return t;
    }

private:
    void fit_matrix(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) {
        const auto cols = static_cast<std::size_t>(X.cols());
        lambdas_.assign(cols, 0.0);
        mean_.clear();
        scale_.clear();
        if (params_.standardize) {
            mean_.assign(cols, 0.0);
            scale_.assign(cols, 1.0);
        }
        std::vector<double> x, y;
        for (std::size_t j = 0; j < cols; ++j) {
            const auto jj = static_cast<Eigen::Index>(j);
            x.clear();
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                const double v = static_cast<double>(X(i, jj));
                if (std::isnan(v)) continue;
                if (params_.method == PowerMethod::box_cox && !(v > 0))
                    detail::fail<InvalidInput>({.component = component_name,
                                                .problem = "Box-Cox needs strictly positive data, got " + std::to_string(v),
                                                .fix = "use method = yeo_johnson, or shift the column to be positive",
                                                .column = names[j],
                                                .row = static_cast<std::size_t>(i)});
                x.push_back(v);
            }
            if (x.empty())
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "the column holds only NaN, so no lambda can be fitted",
                                            .fix = "impute or drop the column first",
                                            .column = names[j]});
            if (params_.method == PowerMethod::box_cox &&
                std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; }))
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "Box-Cox cannot fit a constant column (scipy refuses it too)",
                                            .fix = "drop the constant column or use method = yeo_johnson",
                                            .column = names[j]});
            // Sorting fixes the order of every pass below; the exact sums would not need
            // it, but it costs little and makes the evaluation order a function of the values.
            std::sort(x.begin(), x.end());
            detail::PowerObjective f(params_.method, x);  // copies x: y below reuses it
            lambdas_[j] = detail::scipy_brent(f, -2.0, 2.0, component_name, names[j]);
            y.resize(x.size());
            for (std::size_t i = 0; i < x.size(); ++i) y[i] = psi(x[i], lambdas_[j]);
            // Values so extreme that the transform overflows (e.g. |x| near 1e300) make the
            // objective NaN at every lambda the search tries: lambda is then arbitrary and
            // the state (mean, scale) NaN, so every output was a NaN whose sign bit differs
            // between platforms. Refuse it here, naming the column.
            for (std::size_t i = 0; i < y.size(); ++i)
                if (!std::isfinite(y[i]))
                    detail::fail<InvalidInput>({.component = component_name,
                                                .problem = "the power transform overflows on the training value " +
                                                           std::to_string(x[i]) + ", so no lambda can be fitted",
                                                .fix = "rescale the column (e.g. StandardScaler or a log) first",
                                                .column = names[j]});
            if (params_.standardize) {
                const auto [m, v, s] = standardisation(y);
                (void)v;
                mean_[j] = m;
                scale_[j] = s;
            }
        }
    }

    double psi(double x, double l) const {
        return params_.method == PowerMethod::box_cox ? detail::box_cox(x, l) : detail::yeo_johnson(x, l);
    }

    struct Standardisation { double mean, var, scale; };
    // StandardScaler's statistics and constant-feature rule on the transformed column.
    static Standardisation standardisation(const std::vector<double>& y) {
        ColumnMoments<double> m(1);
        m.update(Eigen::Map<const Matrix<double>>(y.data(), static_cast<Eigen::Index>(y.size()), 1));
        const double w = m.weight_sum(0), mean = m.mean(0), var = m.variance(0);
        constexpr double eps = std::numeric_limits<double>::epsilon();
        const double nm = w * mean * eps;
        const bool constant = var <= w * eps * var + nm * nm;
        return {mean, var, constant ? 1.0 : std::sqrt(var)};
    }

    // y = psi(x, lambda), then (y - mean) / scale: scikit-learn's order of operations.
    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const auto jj = static_cast<std::size_t>(j);
            if (params_.method == PowerMethod::box_cox)
                for (Eigen::Index i = 0; i < X.rows(); ++i) {
                    const double x = static_cast<double>(X(i, j));
                    if (x <= 0)
                        detail::fail<InvalidInput>({.component = component_name,
                                                    .problem = "Box-Cox needs strictly positive data, got " + std::to_string(x),
                                                    .fix = "shift or filter the values; they must be > 0",
                                                    .column = this->feature_names_in()[jj],
                                                    .row = static_cast<std::size_t>(i)});
                }
        }
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const auto jj = static_cast<std::size_t>(j);
            const double l = lambdas_[jj];
            const T* x = X.col(j).data();
            T* y = out.col(j).data();
            const Eigen::Index xs = X.innerStride(), ys = out.innerStride();
            // A missing value (NaN) passes through with its own bits. Sent through the
            // arithmetic, its sign would be the compiler's choice: the negative branch of
            // Yeo-Johnson negates twice, and GCC folds one negation into the divisor where
            // clang -O0 does not, so the two builds wrote NaNs of opposite signs.
            if (params_.method == PowerMethod::box_cox) {
                for (Eigen::Index i = 0; i < X.rows(); ++i) {
                    const T v = x[i * xs];
                    y[i * ys] = v != v ? v : static_cast<T>(finish(detail::box_cox(static_cast<double>(v), l), jj));
                }
            } else {
                for (Eigen::Index i = 0; i < X.rows(); ++i) {
                    const T v = x[i * xs];
                    y[i * ys] = v != v ? v : static_cast<T>(finish(detail::yeo_johnson(static_cast<double>(v), l), jj));
                }
            }
        }
    }

    double finish(double y, std::size_t j) const {
        return params_.standardize ? (y - mean_[j]) / scale_[j] : y;
    }

    Params params_;
    std::vector<double> lambdas_, mean_, scale_;
};

// ===========================================================================
// Kernels
// ===========================================================================
namespace detail {

inline constexpr double power_eps = 2.220446049250313e-16;  // np.spacing(1.0)

// Exact population variance; NaN if any value is not finite (numpy's var gives NaN then).
inline double power_exact_variance(const std::vector<double>& y) {
    for (double v : y)
        if (!std::isfinite(v)) return std::numeric_limits<double>::quiet_NaN();
    ColumnMoments<double> m(1);
    m.update(Eigen::Map<const Matrix<double>>(y.data(), static_cast<Eigen::Index>(y.size()), 1));
    return m.variance(0);
}

inline PowerObjective::PowerObjective(PowerMethod method, std::vector<double> x) : method_(method), x_(std::move(x)) {
    ExactSum s;
    if (method_ == PowerMethod::yeo_johnson) {
        for (double v : x_) {
            const double a = dmath::log1p(std::abs(v));
            s.add(v > 0 ? a : v < 0 ? -a : 0.0);  // np.sign(x) * np.log1p(np.abs(x))
        }
        half_n_ = -static_cast<double>(x_.size()) / 2;  // scikit-learn's -n_samples / 2
    } else {
        logx_.resize(x_.size());
        for (std::size_t i = 0; i < x_.size(); ++i) {
            logx_[i] = dmath::log(x_[i]);
            s.add(logx_[i]);
        }
        half_n_ = static_cast<double>(x_.size()) / 2;  // scipy's N/2
    }
    sum_ = s.value();
    y_.resize(x_.size());
}

inline double PowerObjective::operator()(double l) {
    if (method_ == PowerMethod::yeo_johnson) {
        for (std::size_t i = 0; i < x_.size(); ++i) y_[i] = yeo_johnson(x_[i], l);
        const double var = power_exact_variance(y_);
        if (var < std::numeric_limits<double>::min()) return std::numeric_limits<double>::infinity();
        double loglike = half_n_ * dmath::log(var);
        loglike += (l - 1) * sum_;
        return -loglike;
    }
    double var;
    if (l == 0) {
        var = power_exact_variance(logx_);
    } else {
        // scipy's boxcox_llf drops the constant -1/l: it does not change the variance.
        for (std::size_t i = 0; i < x_.size(); ++i) y_[i] = dmath::pow(x_[i], l) / l;
        var = power_exact_variance(y_);
    }
    return -((l - 1) * sum_ - half_n_ * dmath::log(var));
}

inline double yeo_johnson(double x, double l) {
    if (x >= 0) {
        if (std::abs(l) < power_eps) return dmath::log1p(x);
        return (dmath::pow(x + 1, l) - 1) / l;
    }
    // NaN lands here, as in scikit-learn's mask, and stays NaN.
    if (std::abs(l - 2) > power_eps) return -(dmath::pow(-x + 1, 2 - l) - 1) / (2 - l);
    return -dmath::log1p(-x);
}

inline double yeo_johnson_inverse(double y, double l) {
    if (y >= 0) {
        if (std::abs(l) < power_eps) return dmath::exp(y) - 1;
        return dmath::pow(y * l + 1, 1 / l) - 1;
    }
    if (std::abs(l - 2) > power_eps) return 1 - dmath::pow(-(2 - l) * y + 1, 1 / (2 - l));
    return 1 - dmath::exp(-y);
}

inline double box_cox(double x, double l) {
    if (std::abs(l) < 1e-19) return dmath::log(x);
    return dmath::expm1(l * dmath::log(x)) / l;
}

inline double box_cox_inverse(double y, double l) {
    if (l == 0) return dmath::exp(y);
    return dmath::pow(y * l + 1, 1 / l);
}

// scipy 1.10's optimize.bracket(f, xa, xb): golden-ratio downhill search with parabolic
// extrapolation, grow_limit 110, at most 1000 iterations.
struct Bracket { double xa, xb, xc, fa, fb, fc; };

template <class F>
Bracket scipy_bracket(F& f, double xa, double xb, const char* component, const std::string& column) {
    constexpr double gold = 1.618034, very_small = 1e-21, grow_limit = 110.0;
    constexpr int maxiter = 1000;
    double fa = f(xa), fb = f(xb);
    if (fa < fb) {
        std::swap(xa, xb);
        std::swap(fa, fb);
    }
    double xc = xb + gold * (xb - xa);
    double fc = f(xc);
    int iter = 0;
    while (fc < fb) {
        const double tmp1 = (xb - xa) * (fb - fc);
        const double tmp2 = (xb - xc) * (fb - fa);
        const double val = tmp2 - tmp1;
        const double denom = std::abs(val) < very_small ? 2.0 * very_small : 2.0 * val;
        double w = xb - ((xb - xc) * tmp2 - (xb - xa) * tmp1) / denom;
        const double wlim = xb + grow_limit * (xc - xb);
        if (iter > maxiter)
            fail<InvalidInput>({.component = component,
                                .problem = "the likelihood has no minimum the bracket search can find (too many iterations)",
                                .fix = "check the column for extreme values",
                                .column = column});
        ++iter;
        double fw;
        if ((w - xc) * (xb - w) > 0.0) {
            fw = f(w);
            if (fw < fc) {
                xa = xb; xb = w; fa = fb; fb = fw;
                return {xa, xb, xc, fa, fb, fc};
            } else if (fw > fb) {
                xc = w; fc = fw;
                return {xa, xb, xc, fa, fb, fc};
            }
            w = xc + gold * (xc - xb);
            fw = f(w);
        } else if ((w - wlim) * (wlim - xc) >= 0.0) {
            w = wlim;
            fw = f(w);
        } else if ((w - wlim) * (xc - w) > 0.0) {
            fw = f(w);
            if (fw < fc) {
                xb = xc; xc = w;
                w = xc + gold * (xc - xb);
                fb = fc; fc = fw;
                fw = f(w);
            }
        } else {
            w = xc + gold * (xc - xb);
            fw = f(w);
        }
        xa = xb; xb = xc; xc = w;
        fa = fb; fb = fc; fc = fw;
    }
    return {xa, xb, xc, fa, fb, fc};
}

// scipy 1.10's Brent.optimize(): the same comparisons in the same order, so a NaN or
// Inf objective takes the same path as in scipy.
template <class F>
double scipy_brent(F&& f, double xa0, double xb0, const char* component, const std::string& column) {
    const Bracket br = scipy_bracket(f, xa0, xb0, component, column);
    constexpr double tol = 1.48e-8, mintol = 1.0e-11, cg = 0.3819660;
    constexpr int maxiter = 500;
    double x = br.xb, w = br.xb, v = br.xb;
    double fx = br.fb, fw = br.fb, fv = br.fb;
    double a, b;
    if (br.xa < br.xc) { a = br.xa; b = br.xc; }
    else { a = br.xc; b = br.xa; }
    double deltax = 0.0, rat = 0.0;
    for (int iter = 0; iter < maxiter; ++iter) {
        const double tol1 = tol * std::abs(x) + mintol;
        const double tol2 = 2.0 * tol1;
        const double xmid = 0.5 * (a + b);
        if (std::abs(x - xmid) < (tol2 - 0.5 * (b - a))) break;
        if (std::abs(deltax) <= tol1) {
            deltax = x >= xmid ? a - x : b - x;  // golden section step
            rat = cg * deltax;
        } else {  // parabolic step
            const double tmp1 = (x - w) * (fx - fv);
            double tmp2 = (x - v) * (fx - fw);
            double p = (x - v) * tmp2 - (x - w) * tmp1;
            tmp2 = 2.0 * (tmp2 - tmp1);
            if (tmp2 > 0.0) p = -p;
            tmp2 = std::abs(tmp2);
            const double dx_temp = deltax;
            deltax = rat;
            if ((p > tmp2 * (a - x)) && (p < tmp2 * (b - x)) && (std::abs(p) < std::abs(0.5 * tmp2 * dx_temp))) {
                rat = p * 1.0 / tmp2;
                const double u = x + rat;
                if ((u - a) < tol2 || (b - u) < tol2) rat = xmid - x >= 0 ? tol1 : -tol1;
            } else {
                deltax = x >= xmid ? a - x : b - x;
                rat = cg * deltax;
            }
        }
        const double u = std::abs(rat) < tol1 ? (rat >= 0 ? x + tol1 : x - tol1) : x + rat;
        const double fu = f(u);
        if (fu > fx) {
            if (u < x) a = u;
            else b = u;
            if ((fu <= fw) || (w == x)) {
                v = w; w = u; fv = fw; fw = fu;
            } else if ((fu <= fv) || (v == x) || (v == w)) {
                v = u; fv = fu;
            }
        } else {
            if (u >= x) a = x;
            else b = x;
            v = w; w = x; x = u;
            fv = fw; fw = fx; fx = fu;
        }
    }
    return x;
}

}  // namespace detail
}  // namespace reprep
