// reprep::SplineTransformer — scikit-learn 1.2's SplineTransformer (dense input, no
// sample_weight), the B-spline basis of every selected column.
//
//   fit (per column j, m = n_knots, d = degree; NaN and ±Inf refused, at least 2 rows):
//     base knots b: uniform  np.linspace(min, max, m), in T (numpy keeps float32 there)
//                   quantile np.percentile(column, 100 * np.linspace(0, 1, m)), numpy's
//                            'linear' (the difference in T, the blend in double)
//     knots t (m + 2d): non-periodic: linspace(b0 - d*dist_min, b0 - dist_min, d), b,
//                       linspace(b_last + dist_max, b_last + d*dist_max, d), with
//                       dist_min = b1 - b0, dist_max = b_last - b_(m-2);
//                       periodic: b[m-d-1 .. m-2] - period, b, b[1 .. d] + period,
//                       period = b_last - b0.
//     scikit-learn calls np.linspace once for all columns, and numpy then takes its
//     (i / div) * delta path for every column when any column's step is zero: the same
//     here (np_linspace_columns), so a constant column changes its neighbours' knots
//     exactly as in scikit-learn.
//   transform: n_splines = m + d - 1 (periodic: m - 1) columns per input, named
//     "<col>_sp_<i>"; include_bias = false drops the last one of each column. The basis
//     values are scipy 1.10's BSpline with an identity coefficient matrix: the interval
//     is the last l in [d, n) with t[l] <= x (n = len(t) - d - 1), the d + 1 non-zero
//     values come from scipy's de Boor recursion, operation for operation
//         w = h[i-1] / (t[l+i] - t[l+i-j]);  h[i-1] += w * (t[l+i] - x);  h[i] = w * (x - t[l+i-j])
//     and each output is 0.0 + the values whose coefficient is 1, in scipy's order (a
//     periodic column can receive two). Extrapolation outside [t[d], t[n]] (xmin, xmax):
//       error     InvalidInput naming column and row
//       continue  the outer polynomial pieces (scipy's extrapolate=True)
//       periodic  x = xmin + np.remainder(x - xmin, period) first (in T, as numpy does)
//       constant  below xmin the first d columns hold the basis at xmin, above xmax the
//                 last d columns the basis at xmax; the others 0
//       linear    the first (last) max(d, 1 + (d <= 1)) columns continue as
//                 f(xmin) + (x - xmin) * f'(xmin), in T with the constants rounded to T
//     For T = float the basis is computed in double from double(x) and rounded, as
//     scipy returns float64 that scikit-learn stores in a float32 array.
// Accumulator: ValueAccumulator per column (exact min, max and quantiles, mergeable).
// Where scikit-learn gives no answer, reprep gives one and docs/components.md says so:
// degree 0 with constant extrapolation above xmax (scikit-learn raises a numpy
// broadcast error; here the row is 0, as below xmin), a periodic fit of a constant
// column (scikit-learn outputs NaN; here InvalidInput), and the slope at xmax under
// linear extrapolation when the two largest base knots coincide (scipy 1.10 reads a
// work cell it never wrote; here that cell is 0). Linear extrapolation with degree <= 1
// treats every column as scikit-learn treats the first: scikit-learn 1.2 raises its
// loop's `degree` on the first column and keeps it, moving later columns' boundaries.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/numpy_ports.hpp"
#include "../core/quantile.hpp"
#include "../component/column_values.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

enum class SplineKnots : std::uint8_t { uniform, quantile };
// `continue` is a C++ keyword, hence the trailing underscore.
enum class SplineExtrapolation : std::uint8_t { error, constant, linear, continue_, periodic };

inline const char* spline_extrapolation_name(SplineExtrapolation e) {
    constexpr const char* names[] = {"error", "constant", "linear", "continue", "periodic"};
    return names[static_cast<std::uint8_t>(e)];
}

template <class T = double>
class SplineTransformer : public detail::NumericComponent<SplineTransformer<T>, T> {
    using Base = detail::NumericComponent<SplineTransformer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: the columns to expand (empty = all numeric)
        int n_knots = 5;
        int degree = 3;
        SplineKnots knots = SplineKnots::uniform;
        SplineExtrapolation extrapolation = SplineExtrapolation::constant;
        bool include_bias = true;
    };

    static constexpr const char* component_name = "SplineTransformer";
    static constexpr std::string_view kind_name() { return "spline_transformer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = false, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = false, allow_inf_in_transform = false;

    // Bounds that keep a typo, or a hostile artifact, from allocating gigabytes; the
    // degree bound also sizes the per-row work array on the stack (no allocation per row).
    static constexpr int max_degree = 64;
    static constexpr int max_knots = 1 << 16;
    static constexpr std::uint64_t max_outputs = std::uint64_t{1} << 20;

    using Accumulator = detail::ValuesAccumulator<T, SplineTransformer>;

    SplineTransformer() = default;
    // A template, so that SplineTransformer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit SplineTransformer(P p) : params_(std::move(p)) {
        if (const Invalid why = invalid(params_); why.problem)
            detail::fail<InvalidParameter>({.component = component_name, .problem = why.problem, .fix = why.fix,
                                            .parameter = why.parameter});
    }

    const Params& params() const { return params_; }
    Accumulator accumulator() const { return Accumulator{}; }
    using Base::fit;

    // scikit-learn's bsplines_[j].t: the m + 2 * degree knots of column j.
    std::vector<double> knots(std::size_t j) const {
        this->require_fitted();
        if (j >= cols_)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "knots(" + std::to_string(j) + "): the fit saw " + std::to_string(cols_) + " columns",
                                            .fix = "pass a column index below n_features_in",
                                            .parameter = "j"});
        const auto nt = n_t();
        return {knots_.begin() + static_cast<std::ptrdiff_t>(j * nt), knots_.begin() + static_cast<std::ptrdiff_t>((j + 1) * nt)};
    }
    // Basis functions per input column (scikit-learn's bsplines_[0].c.shape[1]).
    std::size_t n_splines() const { return periodic() ? n_knots() - 1 : n_knots() + degree() - 1; }

    Eigen::Index n_features_out() const {
        return static_cast<Eigen::Index>(cols_ * (n_splines() - (params_.include_bias ? 0 : 1)));
    }

    std::vector<std::string> names_out(const std::vector<std::string>& in) const {
        std::vector<std::string> out;
        const std::size_t w = width();
        out.reserve(in.size() * w);
        for (const auto& name : in)
            for (std::size_t i = 0; i < w; ++i) out.push_back(name + "_sp_" + std::to_string(i));
        return out;
    }

    void check_transform_values(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) const {
        if (params_.extrapolation != SplineExtrapolation::error) return;
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const double* t = knots_.data() + static_cast<std::size_t>(j) * n_t();
            const double lo = t[degree()], hi = t[n_t() - degree() - 1];
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                const double x = static_cast<double>(X(i, j));
                if (x < lo || x > hi)
                    detail::fail<InvalidInput>({.component = component_name,
                                                .problem = "the value " + number_text(x) + " is outside the fitted range [" +
                                                           number_text(lo) + ", " + number_text(hi) +
                                                           "] and extrapolation = error",
                                                .fix = "cap the values to the training range, or choose another extrapolation",
                                                .column = names[static_cast<std::size_t>(j)],
                                                .row = static_cast<std::size_t>(i)});
            }
        }
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.i64(params_.n_knots);
        w.i64(params_.degree);
        w.u8(static_cast<std::uint8_t>(params_.knots));
        w.u8(static_cast<std::uint8_t>(params_.extrapolation));
        w.boolean(params_.include_bias);
        w.f64s(base_);  // column after column; the knots and boundary values follow from them
    }
    static SplineTransformer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        SplineTransformer c;
        c.load_base(r);
        c.params_.columns = r.strs();
        const std::int64_t m = r.i64(), d = r.i64();
        if (m < 0 || m > max_knots || d < 0 || d > max_degree) r.fail("SplineTransformer: n_knots or degree out of range");
        c.params_.n_knots = static_cast<int>(m);
        c.params_.degree = static_cast<int>(d);
        const std::uint8_t kn = r.u8(), ex = r.u8();
        if (kn > static_cast<std::uint8_t>(SplineKnots::quantile)) r.fail("SplineTransformer: unknown knots");
        if (ex > static_cast<std::uint8_t>(SplineExtrapolation::periodic)) r.fail("SplineTransformer: unknown extrapolation");
        c.params_.knots = static_cast<SplineKnots>(kn);
        c.params_.extrapolation = static_cast<SplineExtrapolation>(ex);
        c.params_.include_bias = r.boolean();
        if (const Invalid why = invalid(c.params_); why.problem) r.fail(std::string("SplineTransformer: ") + why.problem);
        c.base_ = r.f64s();
        const std::size_t cols = c.is_fitted() ? c.feature_names_in().size() : 0;
        if (c.base_.size() != cols * c.n_knots()) r.fail("SplineTransformer: n_knots base knots per fitted column expected");
        if (cols != 0 && cols * c.width() > max_outputs) r.fail("SplineTransformer: too many output columns");
        for (double b : c.base_)
            if (!std::isfinite(b)) r.fail("SplineTransformer: a base knot is not finite");
        if (cols != 0)
            if (const auto bad = c.derive(cols)) r.fail(std::string("SplineTransformer: column ") + std::to_string(bad->column) + ": " + bad->problem);
        return c;
    }

private:
    // %.17g: the value as it reads back.
    static std::string number_text(double x) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", x);
        return buf;
    }

    struct Invalid {
        const char* problem = nullptr;
        const char* parameter = nullptr;
        const char* fix = "";  // what to pass instead
    };
    // scikit-learn's rules (n_knots >= 2, degree >= 0, periodic: degree < n_knots), the
    // bounds above, and at least one output column per input.
    static Invalid invalid(const Params& p) {
        if (p.n_knots < 2 || p.n_knots > max_knots) return {"n_knots must be in [2, 65536]", "n_knots", "use n_knots from 2 to 65536 (the default is 5)"};
        if (p.degree < 0 || p.degree > max_degree) return {"degree must be in [0, 64]", "degree", "use degree from 0 to 64 (the default is 3)"};
        if (static_cast<std::uint8_t>(p.knots) > static_cast<std::uint8_t>(SplineKnots::quantile))
            return {"unknown knots", "knots", "use knots = uniform or quantile"};
        if (static_cast<std::uint8_t>(p.extrapolation) > static_cast<std::uint8_t>(SplineExtrapolation::periodic))
            return {"unknown extrapolation", "extrapolation", "use extrapolation = error, constant, linear, continue or periodic"};
        const bool periodic = p.extrapolation == SplineExtrapolation::periodic;
        if (periodic && p.degree >= p.n_knots) return {"periodic splines require degree < n_knots", "degree", "use a smaller degree or more knots"};
        const int splines = periodic ? p.n_knots - 1 : p.n_knots + p.degree - 1;
        if (splines == 1 && !p.include_bias)
            return {"a single basis function with include_bias = false would give no output column", "include_bias",
                    "set include_bias = true, or use more knots or a higher degree"};
        return {};
    }

    struct Bad {
        std::size_t column;
        std::string problem;
    };

    std::size_t n_knots() const { return static_cast<std::size_t>(params_.n_knots); }
    int degree() const { return params_.degree; }
    bool periodic() const { return params_.extrapolation == SplineExtrapolation::periodic; }
    std::size_t n_t() const { return n_knots() + 2 * static_cast<std::size_t>(degree()); }
    std::size_t width() const { return n_splines() - (params_.include_bias ? 0 : 1); }

    // ---- fit --------------------------------------------------------------------------

    void fit_accumulator(const Accumulator& acc, const std::vector<std::string>& names) {
        const auto& v = acc.values();
        begin_fit(v.cols(), names);
        for (std::size_t j = 0; j < v.cols(); ++j) {
            const auto sorted = v.col(j).sorted();
            fit_column(j, sorted.size(), [&](std::size_t r) { return sorted[r]; }, names);
        }
        finish_fit(names);
    }
    // The two ends, and the percentiles for quantile knots: fit(X) selects them in
    // memory, fit(ChunkSource) by multi-pass selection (numeric_component.hpp).
    void source_ranks(std::uint64_t /*rows*/, std::size_t n, std::vector<std::size_t>& ranks) const {
        if (n == 0) return;
        ranks.push_back(0);
        ranks.push_back(n - 1);
        if (params_.knots == SplineKnots::quantile)
            for (double q : quantile_levels()) detail::percentile_ranks(n, q, ranks);
    }
    void fit_ranked(const detail::RankedColumns& c, const std::vector<std::string>& names) {
        begin_fit(c.cols(), names);
        for (std::size_t j = 0; j < c.cols(); ++j)
            fit_column(j, c.count(j), [&](std::size_t r) { return c.at(j, r); }, names);
        finish_fit(names);
    }

    // The levels np.percentile(X, 100 * np.linspace(0, 1, m)) uses: it divides q by 100.
    std::vector<double> quantile_levels() const {
        std::vector<double> q = detail::np_linspace(0.0, 1.0, n_knots());
        for (double& v : q) v = (100.0 * v) / 100.0;
        return q;
    }

    void begin_fit(std::size_t cols, const std::vector<std::string>& names) {
        if (cols * width() > max_outputs)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = std::to_string(cols) + " columns of " + std::to_string(width()) +
                                                   " splines would create more than " + std::to_string(max_outputs) +
                                                   " output columns",
                                        .fix = "lower n_knots or degree, or select fewer columns",
                                        .column = names.empty() ? std::string() : names[0]});
        base_.assign(cols * n_knots(), 0.0);
    }

    template <class At>
    void fit_column(std::size_t j, std::size_t count, At&& at, const std::vector<std::string>& names) {
        if (count < 2)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "fit needs at least 2 rows (scikit-learn's ensure_min_samples), got " +
                                                   std::to_string(count),
                                        .fix = "fit on more rows",
                                        .column = names[j]});
        double* b = base_.data() + j * n_knots();
        if (params_.knots == SplineKnots::uniform) {
            // Filled in finish_fit: np.linspace over all columns at once. Min and max here.
            b[0] = at(0);
            b[n_knots() - 1] = at(count - 1);
        } else {
            const auto q = quantile_levels();
            for (std::size_t i = 0; i < n_knots(); ++i) b[i] = detail::numpy_percentile_at<T>(count, q[i], at);
        }
    }

    void finish_fit(const std::vector<std::string>& names) {
        const std::size_t cols = base_.size() / n_knots();
        if (params_.knots == SplineKnots::uniform) {
            std::vector<double> lo(cols), hi(cols);
            for (std::size_t j = 0; j < cols; ++j) {
                lo[j] = base_[j * n_knots()];
                hi[j] = base_[(j + 1) * n_knots() - 1];
            }
            const auto b = detail::np_linspace_columns<T>(lo, hi, n_knots());  // numpy: in T, the input dtype
            for (std::size_t j = 0; j < cols; ++j) std::copy(b[j].begin(), b[j].end(), base_.begin() + static_cast<std::ptrdiff_t>(j * n_knots()));
        }
        if (const auto bad = derive(cols))
            detail::fail<InvalidInput>({.component = component_name, .problem = bad->problem,
                                        .fix = periodic() ? "drop the constant column, or choose another extrapolation"
                                                          : "scale the column down first",
                                        .column = names[bad->column]});
    }

    // The knots and the boundary values from base_: the same at fit and at load, so an
    // artifact holds the base knots only. Returns the first column it cannot take.
    std::optional<Bad> derive(std::size_t cols) {
        cols_ = cols;
        const std::size_t m = n_knots(), nt = n_t();
        const auto d = static_cast<std::size_t>(degree());
        knots_.assign(cols * nt, 0.0);
        if (periodic()) {
            for (std::size_t j = 0; j < cols; ++j) {
                const double* b = base_.data() + j * m;
                double* t = knots_.data() + j * nt;
                const double period = b[m - 1] - b[0];
                if (period == 0)
                    return Bad{j, "periodic extrapolation needs a column whose maximum exceeds its minimum; the column is constant"};
                for (std::size_t i = 0; i < d; ++i) t[i] = b[m - d - 1 + i] - period;
                std::copy(b, b + m, t + d);
                for (std::size_t i = 0; i < d; ++i) t[d + m + i] = b[1 + i] + period;
            }
        } else {
            std::vector<double> l0(cols), l1(cols), r0(cols), r1(cols);
            for (std::size_t j = 0; j < cols; ++j) {
                const double* b = base_.data() + j * m;
                const double dist_min = b[1] - b[0], dist_max = b[m - 1] - b[m - 2], dd = static_cast<double>(d);
                l0[j] = b[0] - dd * dist_min;
                l1[j] = b[0] - dist_min;
                r0[j] = b[m - 1] + dist_max;
                r1[j] = b[m - 1] + dd * dist_max;
            }
            const auto left = detail::np_linspace_columns(l0, l1, d), right = detail::np_linspace_columns(r0, r1, d);
            for (std::size_t j = 0; j < cols; ++j) {
                double* t = knots_.data() + j * nt;
                std::copy(left[j].begin(), left[j].end(), t);
                std::copy(base_.begin() + static_cast<std::ptrdiff_t>(j * m), base_.begin() + static_cast<std::ptrdiff_t>((j + 1) * m), t + d);
                std::copy(right[j].begin(), right[j].end(), t + d + m);
            }
        }
        for (std::size_t j = 0; j < cols; ++j)
            for (std::size_t i = 0; i < nt; ++i)
                if (!std::isfinite(knots_[j * nt + i]))
                    return Bad{j, "the knots beyond the column's range overflow a double; the column's range is too wide"};
        // Constant and linear extrapolation read the basis (and its slope) at both ends.
        const std::size_t ns = n_splines();
        const bool ends = params_.extrapolation == SplineExtrapolation::constant || params_.extrapolation == SplineExtrapolation::linear;
        ends_.assign(ends ? cols * 4 * ns : 0, 0.0);
        if (ends) {
            std::array<double, 2 * max_degree + 2> work{};
            for (std::size_t j = 0; j < cols; ++j) {
                const double* t = knots_.data() + j * nt;
                double* e = ends_.data() + j * 4 * ns;
                const double lo = t[d], hi = t[nt - d - 1];
                basis_row(t, lo, 0, work.data(), e);
                basis_row(t, hi, 0, work.data(), e + ns);
                basis_row(t, lo, 1, work.data(), e + 2 * ns);
                basis_row(t, hi, 1, work.data(), e + 3 * ns);
            }
        }
        return std::nullopt;
    }

    // ---- the basis: scipy 1.10's evaluate_spline with an identity coefficient matrix --

    // The interval l with t[l] <= x < t[l+1] (the last one includes its right end),
    // scipy's find_interval started from the first interval: the same l for sorted knots.
    // extrapolate = false and x outside [t[k], t[n]]: -1 (scipy's NaN row).
    std::ptrdiff_t interval(const double* t, double x, bool extrapolate) const {
        const auto k = static_cast<std::size_t>(degree());
        const std::size_t n = n_t() - k - 1;
        if (x != x) return -1;
        if (!extrapolate && (x < t[k] || x > t[n])) return -1;
        std::size_t l = k + 1;
        while (x >= t[l] && l != n) ++l;
        return static_cast<std::ptrdiff_t>(l - 1);
    }

    // scipy's _deBoor_D: the k + 1 non-zero values of the nu-th derivative at x into
    // work[0..k] (work holds 2k + 2). The work array starts at zero: in the derivative
    // step scipy zeroes h[nu] instead of h[i] for coincident knots, and when that is the
    // last i it keeps whatever the cell held before (an earlier call's value); here 0.
    void de_boor(const double* t, double x, std::size_t l, int nu, double* work) const {
        const int k = degree();
        std::fill(work, work + 2 * k + 2, 0.0);
        double* h = work;
        double* hh = work + k + 1;
        h[0] = 1.0;
        for (int j = 1; j <= k - nu; ++j) {
            std::copy(h, h + j, hh);
            h[0] = 0.0;
            for (int i = 1; i <= j; ++i) {
                const double xb = t[l + static_cast<std::size_t>(i)], xa = t[l + static_cast<std::size_t>(i) - static_cast<std::size_t>(j)];
                if (xb == xa) {
                    h[i] = 0.0;
                    continue;
                }
                const double w = hh[i - 1] / (xb - xa);
                h[i - 1] += w * (xb - x);
                h[i] = w * (x - xa);
            }
        }
        for (int j = k - nu + 1; j <= k; ++j) {
            std::copy(h, h + j, hh);
            h[0] = 0.0;
            for (int i = 1; i <= j; ++i) {
                const double xb = t[l + static_cast<std::size_t>(i)], xa = t[l + static_cast<std::size_t>(i) - static_cast<std::size_t>(j)];
                if (xb == xa) {
                    h[nu] = 0.0;  // scipy 1.10's index, kept for its bits
                    continue;
                }
                const double w = static_cast<double>(j) * hh[i - 1] / (xb - xa);
                h[i - 1] -= w;
                h[i] = w;
            }
        }
    }

    // All n_splines basis values (or derivatives) of one column at x, in double; x
    // within [t[k], t[n]] (only used for the boundary values).
    void basis_row(const double* t, double x, int nu, double* work, double* out) const {
        const std::size_t ns = n_splines();
        std::fill(out, out + ns, 0.0);
        const std::ptrdiff_t l = interval(t, x, false);
        if (l < 0) {
            std::fill(out, out + ns, std::numeric_limits<double>::quiet_NaN());
            return;
        }
        de_boor(t, x, static_cast<std::size_t>(l), nu, work);
        combine(static_cast<std::size_t>(l), work, [&](std::size_t col, double v) { out[col] = v; });
    }

    // scipy's out[jp] = sum over a of c[l + a - k, jp] * work[a], from 0.0, in a's order,
    // with c the identity (periodic: the identity and its first k rows again). With
    // finite work values the zero products change no bit, so each output is 0.0 plus its
    // own values; a non-finite value takes the literal sum, whose 0 * Inf is NaN, and
    // every NaN is the positive quiet NaN. put(col, value) receives each of the n_splines.
    template <class Put>
    void combine(std::size_t l, const double* w, Put&& put) const {
        const auto k = static_cast<std::size_t>(degree());
        const std::size_t ns = n_splines();
        bool finite = true;
        for (std::size_t a = 0; a <= k; ++a) finite &= std::isfinite(w[a]);
        const std::size_t first = l - k;  // the coefficient row of a = 0
        if (finite) {
            for (std::size_t col = 0; col < ns; ++col) put(col, 0.0);
            // Columns receive a, a + ns, a + 2 ns ... (more than one only when periodic).
            for (std::size_t a = 0; a <= k && a < ns; ++a) {
                double s = 0.0;
                for (std::size_t b = a; b <= k; b += ns) s = s + w[b];
                put((first + a) % ns, s);
            }
            return;
        }
        for (std::size_t col = 0; col < ns; ++col) {
            double s = 0.0;
            for (std::size_t a = 0; a <= k; ++a) s = s + ((first + a) % ns == col ? 1.0 : 0.0) * w[a];
            put(col, s != s ? std::numeric_limits<double>::quiet_NaN() : s);
        }
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        const std::size_t ns = n_splines(), wd = width(), nt = n_t();
        const auto d = static_cast<std::size_t>(degree());
        const auto mode = params_.extrapolation;
        std::array<double, 2 * max_degree + 2> work{};
        constexpr T nan = std::numeric_limits<T>::quiet_NaN();
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const auto ju = static_cast<std::size_t>(j);
            const double* t = knots_.data() + ju * nt;
            const auto off = static_cast<Eigen::Index>(ju * wd);
            // The boundaries in T, as numpy compares a float32 array with a float64 scalar.
            const T lo = static_cast<T>(t[d]), hi = static_cast<T>(t[nt - d - 1]);
            const T period = static_cast<T>(t[nt - d - 1] - t[d]);
            const double* e = ends_.empty() ? nullptr : ends_.data() + ju * 4 * ns;
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                auto row = out.row(i).segment(off, static_cast<Eigen::Index>(wd));
                auto put = [&](std::size_t col, double v) {
                    if (col < wd) row(static_cast<Eigen::Index>(col)) = static_cast<T>(v);
                };
                T x = X(i, j);
                const bool outside = x < lo || x > hi;
                if (outside && (mode == SplineExtrapolation::constant || mode == SplineExtrapolation::linear)) {
                    row.setZero();
                    const bool below = x < lo;
                    if (mode == SplineExtrapolation::constant) {
                        // scikit-learn: the first d columns below, the last d above.
                        for (std::size_t a = 0; a < d; ++a) {
                            const std::size_t col = below ? a : ns - d + a;
                            put(col, (below ? e : e + ns)[col]);
                        }
                    } else {
                        const std::size_t reach = d <= 1 ? d + 1 : d;
                        for (std::size_t a = 0; a < reach; ++a) {
                            const std::size_t col = below ? a : ns - 1 - a;
                            const T f = static_cast<T>((below ? e : e + ns)[col]);
                            const T fp = static_cast<T>((below ? e + 2 * ns : e + 3 * ns)[col]);
                            const T v = f + (x - (below ? lo : hi)) * fp;
                            if (col < wd) row(static_cast<Eigen::Index>(col)) = v != v ? nan : v;
                        }
                    }
                    continue;
                }
                if (mode == SplineExtrapolation::periodic) x = lo + detail::numpy_mod(static_cast<T>(x - lo), period);
                const double xd = static_cast<double>(x);
                const std::ptrdiff_t l = interval(t, xd, mode == SplineExtrapolation::continue_ || mode == SplineExtrapolation::periodic);
                if (l < 0) {
                    row.setConstant(nan);  // scipy's NaN (periodic rounding onto the end; a foreign artifact)
                    continue;
                }
                de_boor(t, xd, static_cast<std::size_t>(l), 0, work.data());
                combine(static_cast<std::size_t>(l), work.data(), put);
            }
        }
    }

    Params params_;
    std::size_t cols_ = 0;
    std::vector<double> base_;   // n_knots base knots per column, column after column (saved)
    std::vector<double> knots_;  // n_knots + 2 * degree knots per column (derived)
    std::vector<double> ends_;   // per column: basis at xmin, at xmax, slopes at xmin, at xmax (derived)
};

}  // namespace reprep
