// PowerTransformer's kernels: the transforms and their inverses, scikit-learn's
// objective, scipy's bracket search and Brent's method, and the pieces of the fit that
// reads a chunk source in passes (transform/power_transformer.hpp has the formulas).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../core/archive.hpp"
#include "../../core/dmath.hpp"
#include "../../core/error.hpp"
#include "../../core/exact_sum.hpp"
#include "../../core/matrix.hpp"
#include "../../core/moments.hpp"

namespace reprep {

// Declared here, beside the kernels that take it; PowerTransformer::Params names it.
enum class PowerMethod : std::uint8_t { yeo_johnson, box_cox };

namespace detail {
// scikit-learn's negative log-likelihood of lambda (see power_transformer.hpp), with exact
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
}  // namespace detail

namespace detail {

inline constexpr double power_eps = 2.220446049250313e-16;  // np.spacing(1.0)

inline double yeo_johnson(double x, double lambda);
inline double box_cox(double x, double lambda);

// The pieces of the objective, shared by the fit in memory (PowerObjective) and the fit
// in passes (PowerTransformer::fit_passes), so that both compute the same bits:
// the term S sums per value (Yeo-Johnson: np.sign(x) * np.log1p(np.abs(x)); Box-Cox:
// log(x)), the value whose variance the objective takes at lambda (Box-Cox: scipy's
// boxcox_llf drops the constant -1/l, which does not change the variance), n/2 with
// the sign of each formula, and the objective from the exact variance and sum.
inline double power_log_term(PowerMethod method, double v) {
    if (method == PowerMethod::box_cox) return dmath::log(v);
    const double a = dmath::log1p(std::abs(v));
    return v > 0 ? a : v < 0 ? -a : 0.0;
}
inline double power_llf_value(PowerMethod method, double x, double l) {
    if (method == PowerMethod::yeo_johnson) return yeo_johnson(x, l);
    return l == 0 ? dmath::log(x) : dmath::pow(x, l) / l;
}
inline double power_half_n(PowerMethod method, std::uint64_t n) {
    // scikit-learn's -n_samples / 2 for Yeo-Johnson, scipy's N/2 for Box-Cox.
    return method == PowerMethod::yeo_johnson ? -static_cast<double>(n) / 2 : static_cast<double>(n) / 2;
}
inline double power_objective(PowerMethod method, double l, double var, double half_n, double sum) {
    if (method == PowerMethod::yeo_johnson) {
        if (var < std::numeric_limits<double>::min()) return std::numeric_limits<double>::infinity();
        double loglike = half_n * dmath::log(var);
        loglike += (l - 1) * sum;
        return -loglike;
    }
    return -((l - 1) * sum - half_n * dmath::log(var));
}

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
        for (double v : x_) s.add(power_log_term(method_, v));
        half_n_ = power_half_n(method_, x_.size());
    } else {
        logx_.resize(x_.size());
        for (std::size_t i = 0; i < x_.size(); ++i) {
            logx_[i] = power_log_term(method_, x_[i]);
            s.add(logx_[i]);
        }
        half_n_ = power_half_n(method_, x_.size());
    }
    sum_ = s.value();
    y_.resize(x_.size());
}

inline double PowerObjective::operator()(double l) {
    double var;
    if (method_ == PowerMethod::box_cox && l == 0) {
        var = power_exact_variance(logx_);  // power_llf_value(box_cox, x, 0) is log(x)
    } else {
        for (std::size_t i = 0; i < x_.size(); ++i) y_[i] = power_llf_value(method_, x_[i], l);
        var = power_exact_variance(y_);
    }
    return power_objective(method_, l, var, half_n_, sum_);
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

// ---------------------------------------------------------------------------
// The fit in passes (PowerTransformer::fit_passes)
// ---------------------------------------------------------------------------

// One column's search for lambda when each evaluation of the objective is a pass over
// the data. scipy_brent is a sequence of evaluations, each chosen from the values before
// it; run() replays it from its start on the values already known, so it asks for the
// same lambdas in the same order as over the values in memory, and the first lambda it
// has no value for is the one the next pass evaluates. A replay costs one lookup per
// evaluation before it and reads no data.
class PowerSearch {
public:
    // What a pass found at one lambda: the objective, whether every transformed value was
    // finite, and the exact weight, mean and variance of those values (at the fitted
    // lambda, Yeo-Johnson's standardisation reads them: its transform is the objective's).
    struct Point {
        double f = 0;
        bool finite = true;
        double weight = 0, mean = 0, var = 0;
    };
    // The lambdas scipy's bracket search starts from: every search evaluates them first.
    static constexpr double start_a = -2.0, start_b = 2.0;

    void add(double lambda, const Point& p) { known_.insert_or_assign(std::bit_cast<std::uint64_t>(lambda), p); }
    // True when the search has finished (lambda() is its result); otherwise next() is the
    // lambda it needs. Throws the InvalidInput the search in memory throws (a bracket not found).
    bool run(const char* component, const std::string& column) {
        struct Unknown {
            double lambda;
        };
        auto f = [&](double l) {
            const auto it = known_.find(std::bit_cast<std::uint64_t>(l));
            if (it == known_.end()) throw Unknown{l};
            return it->second.f;
        };
        try {
            lambda_ = scipy_brent(f, start_a, start_b, component, column);
            return true;
        } catch (const Unknown& u) {
            next_ = u.lambda;
            return false;
        }
    }
    double next() const { return next_; }
    double lambda() const { return lambda_; }
    // The point of an evaluated lambda (the fitted one is always evaluated).
    const Point& at(double lambda) const { return known_.at(std::bit_cast<std::uint64_t>(lambda)); }
    std::size_t evaluations() const { return known_.size(); }

private:
    std::map<std::uint64_t, Point> known_;  // by the lambda's bits
    double next_ = 0, lambda_ = 0;
};

// One pass's state on one process, as canonical bytes between processes: per column the
// moments of the transformed values at each lambda the pass evaluates and, on the first
// pass, the moments of the values themselves (count, bounds) and the exact sum of their
// log terms (S). Every part is an exact sum or count, so merges in any order give the
// same bytes.
struct PowerPassState {
    std::vector<ColumnMoments<double>> x;
    std::vector<ExactSum> log_sum;
    std::vector<std::vector<ColumnMoments<double>>> y;

    // The state of `cols` columns before any value: the first pass keeps x and log_sum.
    PowerPassState(std::size_t cols, bool first, const std::vector<std::size_t>& lambdas_per_column) {
        if (first) {
            x.assign(cols, ColumnMoments<double>(1));
            log_sum.assign(cols, ExactSum{});
        }
        y.resize(cols);
        for (std::size_t j = 0; j < cols; ++j) y[j].assign(lambdas_per_column[j], ColumnMoments<double>(1));
    }
    PowerPassState() = default;

    void save(ArchiveWriter& w) const {
        w.size(x.size());
        for (std::size_t j = 0; j < x.size(); ++j) {
            x[j].save(w);
            log_sum[j].save(w);
        }
        w.size(y.size());
        for (const auto& col : y) {
            w.size(col.size());
            for (const auto& m : col) m.save(w);
        }
    }
    static PowerPassState load(ArchiveReader& r) {
        PowerPassState s;
        const std::size_t nx = r.size(90);  // moments and a sum take at least 90 bytes
        for (std::size_t j = 0; j < nx; ++j) {
            s.x.push_back(ColumnMoments<double>::load(r));
            s.log_sum.push_back(ExactSum::load(r));
        }
        const std::size_t ny = r.size(8);
        s.y.resize(ny);
        for (auto& col : s.y) {
            const std::size_t k = r.size(74);
            for (std::size_t i = 0; i < k; ++i) col.push_back(ColumnMoments<double>::load(r));
        }
        return s;
    }
    // Exact: as if the other process's values had been read here. Both processes plan the
    // pass from the same merged state, so the shapes agree unless the bytes are foreign.
    void merge(const PowerPassState& o, ArchiveReader& r) {
        if (o.x.size() != x.size() || o.y.size() != y.size()) r.fail("two processes sent passes of other widths");
        for (std::size_t j = 0; j < x.size(); ++j) {
            x[j].merge(o.x[j]);
            log_sum[j].merge(o.log_sum[j]);
        }
        for (std::size_t j = 0; j < y.size(); ++j) {
            if (o.y[j].size() != y[j].size()) r.fail("two processes evaluated other lambdas");
            for (std::size_t i = 0; i < y[j].size(); ++i) y[j][i].merge(o.y[j][i]);
        }
    }
    std::string bytes() const {
        ArchiveWriter w;
        save(w);
        return std::move(w).bytes();
    }
    static std::string merge_bytes(std::string_view a, std::string_view b) {
        ArchiveReader ra(a, "PowerTransformer pass"), rb(b, "PowerTransformer pass");
        PowerPassState sa = load(ra);
        ra.expect_end();
        const PowerPassState sb = load(rb);
        rb.expect_end();
        sa.merge(sb, ra);
        return sa.bytes();
    }
};

}  // namespace detail
}  // namespace reprep
