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
// No Accumulator: every objective evaluation needs every value. fit(ChunkSource) reads
// the source once per evaluation instead, every column's search advancing in the same
// pass, with the same bits as fit(Table) (fit_passes below; docs/distributed.md).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/dmath.hpp"
#include "../core/detail/dmath_block.hpp"
#include "../core/exact_sum.hpp"
#include "../core/moments.hpp"
#include "../component/numeric_component.hpp"
#include "detail/power_kernels.hpp"

namespace reprep {

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

    // fit(ChunkSource[, ShardCombiner]) (component/numeric_component.hpp calls it): the fit
    // of fit_matrix in passes over the source, each pass's state merged exactly between
    // processes, so that the objective takes the same values at the same lambdas and
    // every fitted bit is fit(Table)'s:
    //   pass 1      checks every value (Box-Cox: > 0), counts each column, sums S, and
    //               evaluates the objective at -2 and 2, where every search starts;
    //   then        one pass per further evaluation: every column whose search still
    //               runs evaluates its next lambda (detail::PowerSearch) in that pass;
    //   last pass   Box-Cox only: the transform at the fitted lambda, for the overflow
    //               check and the standardisation's moments. Yeo-Johnson's transform is
    //               the objective's, so its search has evaluated both at the fitted
    //               lambda already (the pass is taken only to name an overflow's row).
    // Memory besides one chunk: per column a few exact sums and the objective's values
    // so far (a few dozen evaluations), none of it growing with the rows.
    void fit_passes(typename Base::SourcePasses& passes) {
        const PowerMethod method = params_.method;
        const bool bc = method == PowerMethod::box_cox;
        const std::vector<std::string>& names = passes.names();  // fixed by the first pass
        std::vector<std::vector<double>> at;  // per column, the lambdas this pass evaluates
        std::vector<double> x, y;
        std::vector<std::uint64_t> rows;
        detail::PowerPassState local;
        // One pass: the moments of the objective's values at at[j] for every column j (of
        // psi's when `transform`), and on the first pass the counts and S. check(j, row,
        // value, y) sees each non-NaN value beside its transform at at[j][0], and done()
        // raises what the checks found, once the pass is read.
        auto pass = [&](bool first, bool transform, auto&& check, auto&& done) {
            auto counts = [&] {
                std::vector<std::size_t> k(at.size());
                for (std::size_t j = 0; j < at.size(); ++j) k[j] = at[j].size();
                return k;
            };
            local = detail::PowerPassState(at.size(), first, counts());
            const std::string merged = passes.pass(
                [&](const detail::MatrixRef<T>& X, std::uint64_t offset) {
                    const auto cols = static_cast<std::size_t>(X.cols());
                    if (first && at.size() != cols) {  // the first chunk fixes the columns
                        at.assign(cols, {detail::PowerSearch::start_a, detail::PowerSearch::start_b});
                        local = detail::PowerPassState(cols, true, counts());
                    }
                    for (std::size_t j = 0; j < cols; ++j) {
                        if (at[j].empty() && !first) continue;
                        x.clear();
                        rows.clear();
                        const auto col = X.col(static_cast<Eigen::Index>(j));
                        for (Eigen::Index i = 0; i < X.rows(); ++i) {
                            const double v = static_cast<double>(col[i]);
                            if (std::isnan(v)) continue;
                            x.push_back(v);
                            rows.push_back(offset + static_cast<std::uint64_t>(i));
                        }
                        const auto n = static_cast<Eigen::Index>(x.size());
                        if (first) {
                            local.x[j].update(Eigen::Map<const Matrix<double>>(x.data(), n, 1));
                            for (const double v : x) local.log_sum[j].add(detail::power_log_term(method, v));
                        }
                        y.resize(x.size());
                        for (std::size_t k = 0; k < at[j].size(); ++k) {
                            const double l = at[j][k];
                            for (std::size_t i = 0; i < x.size(); ++i)
                                y[i] = transform ? psi(x[i], l) : detail::power_llf_value(method, x[i], l);
                            if (k == 0)
                                for (std::size_t i = 0; i < x.size(); ++i) check(j, rows[i], x[i], y[i]);
                            local.y[j][k].update(Eigen::Map<const Matrix<double>>(y.data(), n, 1));
                        }
                    }
                },
                [&] {
                    done();
                    return local.bytes();
                },
                [](std::string_view a, std::string_view b) { return detail::PowerPassState::merge_bytes(a, b); });
            ArchiveReader r(merged, "PowerTransformer pass");
            detail::PowerPassState state = detail::PowerPassState::load(r);
            r.expect_end();
            if (state.y.size() != names.size() || (first && state.x.size() != names.size()))
                r.fail("a pass has another width than the columns");
            return state;
        };

        // Pass 1. A value <= 0 under Box-Cox is raised when the pass is read: the lowest
        // column's first, as fit_matrix finds it.
        std::vector<std::uint64_t> bad_row;
        std::vector<double> bad_value;
        const detail::PowerPassState opening = pass(
            true, false,
            [&](std::size_t j, std::uint64_t row, double v, double) {
                if (!bc || v > 0) return;
                if (bad_row.size() <= j) {
                    bad_row.resize(j + 1, no_row);
                    bad_value.resize(j + 1, 0.0);
                }
                if (bad_row[j] == no_row) {
                    bad_row[j] = row;
                    bad_value[j] = v;
                }
            },
            [&] {
                for (std::size_t j = 0; j < bad_row.size(); ++j)
                    if (bad_row[j] != no_row) refuse_non_positive(names[j], bad_row[j], bad_value[j]);
            });
        const std::size_t cols = names.size();
        // A process that read no chunk learnt the columns from the merged pass only.
        at.assign(cols, {detail::PowerSearch::start_a, detail::PowerSearch::start_b});
        std::vector<std::uint64_t> n(cols);
        for (std::size_t j = 0; j < cols; ++j) {
            n[j] = opening.x[j].count(0);
            refuse_column(names[j], n[j] == 0, n[j] > 0 && opening.x[j].min(0) == opening.x[j].max(0));
        }

        // The searches, every column's evaluations sharing passes.
        std::vector<detail::PowerSearch> search(cols);
        std::vector<double> half_n(cols), sum(cols);
        std::vector<std::exception_ptr> failed(cols);
        // Each pass transforms every non-NaN value: other counts mean another source.
        auto same_values = [&](std::size_t j, const ColumnMoments<double>& m) {
            const std::uint64_t seen = m.count(0) + m.nan_count(0);
            if (seen != n[j])
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "pass " + std::to_string(passes.count()) + " read " +
                                                       std::to_string(seen) + " values of the column, the first " +
                                                       std::to_string(n[j]),
                                            .fix = "make the chunk source yield the same rows on every read (do not "
                                                   "change the file while fitting)",
                                            .column = names[j]});
        };
        auto record = [&](std::size_t j, double l, const ColumnMoments<double>& m) {
            same_values(j, m);
            detail::PowerSearch::Point p;
            // power_exact_variance's rule: NaN as soon as one value is not finite.
            p.finite = m.nan_count(0) == 0 && std::isfinite(m.min(0)) && std::isfinite(m.max(0));
            p.weight = m.weight_sum(0);
            p.mean = m.mean(0);
            p.var = p.finite ? m.variance(0) : std::numeric_limits<double>::quiet_NaN();
            p.f = detail::power_objective(method, l, p.var, half_n[j], sum[j]);
            search[j].add(l, p);
        };
        // Asks column j's search for its next lambda; none when it has finished, or
        // failed (the lowest failed column's error is raised after every search, as
        // fit_matrix raises it).
        auto advance = [&](std::size_t j) {
            at[j].clear();
            try {
                if (!search[j].run(component_name, names[j])) at[j].push_back(search[j].next());
            } catch (const Error&) {
                failed[j] = std::current_exception();
            }
        };
        for (std::size_t j = 0; j < cols; ++j) {
            half_n[j] = detail::power_half_n(method, n[j]);
            sum[j] = opening.log_sum[j].value();
            for (std::size_t k = 0; k < at[j].size(); ++k) record(j, at[j][k], opening.y[j][k]);
            advance(j);
        }
        auto open = [&] { return std::any_of(at.begin(), at.end(), [](const std::vector<double>& a) { return !a.empty(); }); };
        auto nothing = [](std::size_t, std::uint64_t, double, double) {};
        while (open()) {
            const std::vector<std::vector<double>> asked = at;
            const detail::PowerPassState st = pass(false, false, nothing, [] {});
            for (std::size_t j = 0; j < cols; ++j)
                if (!asked[j].empty()) {
                    record(j, asked[j][0], st.y[j][0]);
                    advance(j);
                }
        }
        for (std::size_t j = 0; j < cols; ++j)
            if (failed[j]) std::rethrow_exception(failed[j]);

        // The last pass: psi at the fitted lambda, for Box-Cox and for a Yeo-Johnson
        // column whose transform overflowed (to raise it with its first row).
        std::vector<double> lambdas(cols);
        for (std::size_t j = 0; j < cols; ++j) {
            lambdas[j] = search[j].lambda();
            if (bc || !search[j].at(lambdas[j]).finite) at[j] = {lambdas[j]};
        }
        std::vector<std::uint64_t> over_row(cols, no_row);
        std::vector<double> over_value(cols, 0.0);
        detail::PowerPassState last;
        if (open())
            last = pass(
                false, true,
                [&](std::size_t j, std::uint64_t row, double v, double t) {
                    if (!std::isfinite(t) && over_row[j] == no_row) {
                        over_row[j] = row;
                        over_value[j] = v;
                    }
                },
                [&] {
                    for (std::size_t j = 0; j < cols; ++j)
                        if (over_row[j] != no_row) refuse_overflow(names[j], over_row[j], over_value[j]);
                });
        std::vector<double> mean, scale;
        for (std::size_t j = 0; j < cols; ++j) {
            // Yeo-Johnson: the search's point at the fitted lambda; Box-Cox: the last pass.
            detail::PowerSearch::Point p = search[j].at(lambdas[j]);
            if (!at[j].empty()) {
                const ColumnMoments<double>& t = last.y[j][0];
                same_values(j, t);
                p.finite = t.nan_count(0) == 0 && std::isfinite(t.min(0)) && std::isfinite(t.max(0));
                p.weight = t.weight_sum(0);
                p.mean = t.mean(0);
                p.var = p.finite ? t.variance(0) : 0.0;
            }
            // Every process checked the last pass and found no overflow, yet a value is not
            // finite: the source yielded other values than on the passes before.
            if (!p.finite)
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "the last pass read other values than the passes before it",
                                            .fix = "make the chunk source yield the same rows on every read (do not "
                                                   "change the file while fitting)",
                                            .column = names[j]});
            if (params_.standardize) {
                const Standardisation s = standardisation(p.weight, p.mean, p.var);
                mean.push_back(s.mean);
                scale.push_back(s.scale);
            }
        }
        lambdas_ = std::move(lambdas);
        mean_ = std::move(mean);
        scale_ = std::move(scale);
    }

private:
    static constexpr std::uint64_t no_row = std::numeric_limits<std::uint64_t>::max();

    // The refusals of both fits, worded once.
    static void refuse_non_positive(const std::string& column, std::uint64_t row, double v) {
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = "Box-Cox needs strictly positive data, got " + std::to_string(v),
                                    .fix = "use method = yeo_johnson, or shift the column to be positive",
                                    .column = column,
                                    .row = static_cast<std::size_t>(row)});
    }
    static void refuse_column(const std::string& column, bool all_nan, bool constant_box_cox) {
        if (all_nan)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "the column holds only NaN, so no lambda can be fitted",
                                        .fix = "impute or drop the column first",
                                        .column = column});
        if (constant_box_cox)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "Box-Cox cannot fit a constant column (scipy refuses it too)",
                                        .fix = "drop the constant column or use method = yeo_johnson",
                                        .column = column});
    }
    // Values so extreme that the transform overflows (e.g. |x| near 1e300) make the
    // objective NaN at every lambda the search tries: lambda is then arbitrary and the
    // state (mean, scale) NaN, so every output was a NaN whose sign bit differs between
    // platforms. Refused, naming the first row whose value overflows.
    static void refuse_overflow(const std::string& column, std::uint64_t row, double v) {
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = "the power transform overflows on the training value " +
                                               std::to_string(v) + ", so no lambda can be fitted",
                                    .fix = "rescale the column (e.g. StandardScaler or a log) first",
                                    .column = column,
                                    .row = static_cast<std::size_t>(row)});
    }

    // The refusals come in the order fit_passes finds them: a value <= 0 under Box-Cox
    // (the lowest column's first row), then per column no value or a constant one; the
    // searches' errors after every search, and an overflow after every lambda.
    void fit_matrix(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) {
        const auto cols = static_cast<std::size_t>(X.cols());
        const bool bc = params_.method == PowerMethod::box_cox;
        if (bc)
            for (std::size_t j = 0; j < cols; ++j)
                for (Eigen::Index i = 0; i < X.rows(); ++i) {
                    const double v = static_cast<double>(X(i, static_cast<Eigen::Index>(j)));
                    if (!std::isnan(v) && !(v > 0)) refuse_non_positive(names[j], static_cast<std::uint64_t>(i), v);
                }
        std::vector<std::vector<double>> xs(cols);
        for (std::size_t j = 0; j < cols; ++j) {
            std::vector<double>& x = xs[j];
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                const double v = static_cast<double>(X(i, static_cast<Eigen::Index>(j)));
                if (!std::isnan(v)) x.push_back(v);
            }
            refuse_column(names[j], x.empty(),
                          bc && !x.empty() && std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; }));
            // Sorting fixes the order of every evaluation; the exact sums would not need
            // it, but it costs little and makes the evaluation order a function of the values.
            std::sort(x.begin(), x.end());
        }
        std::vector<double> lambdas(cols);
        for (std::size_t j = 0; j < cols; ++j) {
            detail::PowerObjective f(params_.method, xs[j]);
            lambdas[j] = detail::scipy_brent(f, detail::PowerSearch::start_a, detail::PowerSearch::start_b,
                                             component_name, names[j]);
        }
        std::vector<double> mean, scale, y;
        for (std::size_t j = 0; j < cols; ++j) {
            const std::vector<double>& x = xs[j];
            y.resize(x.size());
            bool finite = true;
            for (std::size_t i = 0; i < x.size(); ++i) {
                y[i] = psi(x[i], lambdas[j]);
                finite = finite && std::isfinite(y[i]);
            }
            if (!finite)  // name the first row, in the caller's order
                for (Eigen::Index i = 0; i < X.rows(); ++i) {
                    const double v = static_cast<double>(X(i, static_cast<Eigen::Index>(j)));
                    if (!std::isnan(v) && !std::isfinite(psi(v, lambdas[j])))
                        refuse_overflow(names[j], static_cast<std::uint64_t>(i), v);
                }
            if (params_.standardize) {
                ColumnMoments<double> m(1);
                m.update(Eigen::Map<const Matrix<double>>(y.data(), static_cast<Eigen::Index>(y.size()), 1));
                const Standardisation s = standardisation(m.weight_sum(0), m.mean(0), m.variance(0));
                mean.push_back(s.mean);
                scale.push_back(s.scale);
            }
        }
        lambdas_ = std::move(lambdas);
        mean_ = std::move(mean);
        scale_ = std::move(scale);
    }

    double psi(double x, double l) const {
        return params_.method == PowerMethod::box_cox ? detail::box_cox(x, l) : detail::yeo_johnson(x, l);
    }

    struct Standardisation { double mean, var, scale; };
    // StandardScaler's constant-feature rule on the transformed column's exact weight,
    // mean and variance.
    static Standardisation standardisation(double w, double mean, double var) {
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
        // A missing value (NaN) passes through with its own bits. Sent through the
        // arithmetic, its sign would be the compiler's choice: the negative branch of
        // Yeo-Johnson negates twice, and GCC folds one negation into the divisor where
        // clang -O0 does not, so the two builds wrote NaNs of opposite signs.
        //
        // detail::box_cox and detail::yeo_johnson with their log and pow taken by dmath's
        // block functions (the bits of dmath::log and dmath::pow, value by value), a
        // buffer of cells at a time (across columns, so a single record is one block);
        // every other operation is written as in the scalar formulas, in the same order,
        // and a value the block does not take (NaN, a lambda at a log1p branch) goes
        // through the scalar formula.
        constexpr std::size_t kB = dmath::detail::kBlockValues;
        double base[kB], expo[kB];
        if (params_.method == PowerMethod::box_cox) {
            dmath::detail::for_cell_blocks(
                X.rows(), X.cols(),
                [&](std::size_t k, Eigen::Index i, Eigen::Index j) {
                    const T v = X(i, j);
                    base[k] = v != v ? 1.0 : static_cast<double>(v);
                },
                [&](std::size_t m) { dmath::detail::log_block(base, base, m); },
                [&](std::size_t k, Eigen::Index i, Eigen::Index j) {
                    const T v = X(i, j);
                    const auto jj = static_cast<std::size_t>(j);
                    const double l = lambdas_[jj];
                    // detail::box_cox: |l| < 1e-19 ? log(x) : expm1(l * log(x)) / l
                    const double psi = std::abs(l) < 1e-19 ? base[k] : dmath::expm1(l * base[k]) / l;
                    out(i, j) = v != v ? v : static_cast<T>(finish(psi, jj));
                });
            return;
        }
        // detail::yeo_johnson's branches: x >= 0 takes log1p when |l| < eps, x < 0 when
        // |l - 2| <= eps; otherwise pow(x + 1, l) and pow(-x + 1, 2 - l).
        auto log1p_pos = [&](Eigen::Index j) { return std::abs(lambdas_[static_cast<std::size_t>(j)]) < detail::power_eps; };
        auto log1p_neg = [&](Eigen::Index j) {
            return !(std::abs(lambdas_[static_cast<std::size_t>(j)] - 2) > detail::power_eps);
        };
        dmath::detail::for_cell_blocks(
            X.rows(), X.cols(),
            [&](std::size_t k, Eigen::Index i, Eigen::Index j) {
                const double v = static_cast<double>(X(i, j));
                const double l = lambdas_[static_cast<std::size_t>(j)];
                base[k] = 1.0;  // pow(1, 1): a placeholder for the values done in emit
                expo[k] = 1.0;
                if (v >= 0) {
                    if (!log1p_pos(j)) {
                        base[k] = v + 1;
                        expo[k] = l;
                    }
                } else if (v == v && !log1p_neg(j)) {
                    base[k] = -v + 1;
                    expo[k] = 2 - l;
                }
            },
            [&](std::size_t m) { dmath::detail::pow_block(base, expo, base, m); },
            [&](std::size_t k, Eigen::Index i, Eigen::Index j) {
                const T v = X(i, j);
                const double d = static_cast<double>(v);
                const auto jj = static_cast<std::size_t>(j);
                const double l = lambdas_[jj];
                double psi;
                if (d >= 0)
                    psi = log1p_pos(j) ? dmath::log1p(d) : (base[k] - 1) / l;
                else
                    psi = log1p_neg(j) ? -dmath::log1p(-d) : -(base[k] - 1) / (2 - l);
                out(i, j) = v != v ? v : static_cast<T>(finish(psi, jj));
            });
    }

    double finish(double y, std::size_t j) const {
        return params_.standardize ? (y - mean_[j]) / scale_[j] : y;
    }

    Params params_;
    std::vector<double> lambdas_, mean_, scale_;
};

}  // namespace reprep
