// reprep::QuantileTransformer — scikit-learn's QuantileTransformer on exact quantiles.
//
//   fit:  n_quantiles_ = max(1, min(n_quantiles, n_rows))   (n_rows counts NaN rows, as sklearn)
//         references_ = np.linspace(0, 1, n_quantiles_)      (numpy's arithmetic: i * step, last = 1)
//         quantiles_[:, j] = np.nanpercentile(column j, references_ * 100) on ALL the values
//         (no subsampling; each q is (r * 100) / 100 as numpy evaluates it, then numpy's
//         'linear' quantile, bit for bit), then a running maximum down each column
//         (np.maximum.accumulate) so the quantiles are non-decreasing.
//   transform (x not NaN; q = quantiles_[:, j], r = references_):
//         v = 0.5 * (interp(x, q, r) - interp(-x, -q[::-1], -r[::-1]))   numpy's np.interp
//         uniform: v = 1 where x == q[-1]; then v = 0 where x == q[0]
//         normal:  v = 1 where x + 1e-7 > q[-1]; then v = 0 where x - 1e-7 < q[0];
//                  y = clip(norm_ppf(v), norm_ppf(1e-7 - 2^-52), norm_ppf(1 - (1e-7 - 2^-52)))
//         NaN stays NaN. Computed in double, rounded once to T.
//   inverse: normal: x = norm_cdf(x) first; v = interp(x, r, q); v = q[-1] at the upper
//         bound and q[0] at the lower bound (x == 1 / x == 0 for uniform,
//         x + 1e-7 > 1 / x - 1e-7 < 0 for normal), as scikit-learn.
// np.interp is reproduced exactly: the bracket is the last j with q[j] <= x (numpy's
// binary_search_with_guess), x == q[j] returns r[j], otherwise
// slope * (x - q[j]) + r[j] with slope = (r[j+1] - r[j]) / (q[j+1] - q[j]), and numpy's
// NaN fallbacks. transform makes one search per value on tables derived at fit/load time
// (transform/detail/quantile_grid.hpp says why that gives both interpolations' bits).
// Given the same quantiles, the uniform output is scikit-learn's bits;
// the normal output differs only where dmath::norm_ppf and scipy's ndtri differ.
// An all-NaN column gets NaN quantiles and maps every value to NaN.
// Accumulator: one exact ValueAccumulator per column (8 bytes per value).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/dmath.hpp"
#include "../core/multi_pass_selection.hpp"
#include "../core/numpy_ports.hpp"
#include "../core/quantile.hpp"
#include "../component/column_values.hpp"
#include "../component/numeric_component.hpp"
#include "detail/quantile_grid.hpp"

namespace reprep {

enum class QuantileOutput : std::uint8_t { uniform, normal };

template <class T = double>
class QuantileTransformer : public detail::NumericComponent<QuantileTransformer<T>, T> {
    using Base = detail::NumericComponent<QuantileTransformer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to transform (empty = all numeric)
        std::int64_t n_quantiles = 1000;
        QuantileOutput output_distribution = QuantileOutput::uniform;
    };

    static constexpr const char* component_name = "QuantileTransformer";
    static constexpr std::string_view kind_name() { return "quantile_transformer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = false;

    // Every non-NaN value of every column, exactly; merge order does not matter. Saved
    // with the row count first (n_quantiles_ depends on it), as it always was.
    class Accumulator : public detail::ValuesAccumulator<T, QuantileTransformer> {
        using Values = detail::ValuesAccumulator<T, QuantileTransformer>;

    public:
        void save(ArchiveWriter& w) const {
            w.u64(this->rows());
            Values::save(w);
        }
        static Accumulator load(ArchiveReader& r) {
            const std::uint64_t rows = r.u64();
            Accumulator a;
            static_cast<Values&>(a) = Values::load(r);
            if (a.cols() > 0 && a.rows() != rows) r.fail("the row count does not match the columns");
            return a;
        }
    };

    QuantileTransformer() = default;
    // A template, so that QuantileTransformer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit QuantileTransformer(P p) : params_(std::move(p)) {
        if (params_.n_quantiles < 1)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "n_quantiles must be >= 1, got " + std::to_string(params_.n_quantiles),
                                            .fix = "use n_quantiles >= 1 (the default is 1000)",
                                            .column = "n_quantiles"});
        if (params_.output_distribution != QuantileOutput::uniform && params_.output_distribution != QuantileOutput::normal)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "output_distribution is not uniform or normal",
                                            .fix = "use output_distribution = uniform or normal",
                                            .column = "output_distribution"});
    }

    const Params& params() const { return params_; }

    Accumulator accumulator() const { return Accumulator{}; }

    using Base::fit;

    // From scikit-learn's quantiles_ (one vector per column, all of length n_quantiles_);
    // references_ are rebuilt as np.linspace(0, 1, n_quantiles_).
    static QuantileTransformer from_state(std::vector<std::vector<double>> quantiles, Params p = {},
                                          std::vector<std::string> feature_names = {}) {
        QuantileTransformer t(std::move(p));
        if (quantiles.empty() || quantiles[0].empty())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "quantiles must be non-empty",
                                            .fix = "pass a fitted QuantileTransformer's quantiles_: at least one column, of at least one quantile",
                                            .column = "from_state"});
        for (const auto& q : quantiles) {
            if (q.size() != quantiles[0].size())
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "every column needs the same number of quantiles",
                                                .fix = "pass n_quantiles values for every column, as a fitted QuantileTransformer's quantiles_ holds",
                                                .column = "from_state"});
            if (!valid_column(q))
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "quantiles must be non-decreasing and finite (or all NaN)",
                                                .fix = "pass each column's quantiles sorted and finite (or all NaN), as a fitted QuantileTransformer's quantiles_ holds",
                                                .column = "from_state"});
        }
        t.references_ = detail::np_linspace(0.0, 1.0, quantiles[0].size());
        t.quantiles_ = std::move(quantiles);
        t.prepare();
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(t.quantiles_.size()));
        if (feature_names.size() != t.quantiles_.size())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "one feature name per column",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        t.set_fitted(std::move(feature_names));
        return t;
    }

    std::int64_t n_quantiles_fitted() const { this->require_fitted(); return static_cast<std::int64_t>(references_.size()); }
    const std::vector<double>& references() const { this->require_fitted(); return references_; }
    // quantiles(j): the n_quantiles_ quantiles of column j (scikit-learn's quantiles_[:, j]).
    const std::vector<double>& quantiles(std::size_t column) const {
        this->require_fitted();
        return quantiles_.at(column);
    }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(quantiles_.size()); }

    Matrix<T> inverse_transform(const detail::MatrixRef<T>& Y) const {
        this->check_transform_input(Y);
        Matrix<T> X(Y.rows(), Y.cols());
        const bool normal = params_.output_distribution == QuantileOutput::normal;
        for (Eigen::Index j = 0; j < Y.cols(); ++j) {
            const auto& q = quantiles_[static_cast<std::size_t>(j)];
            const std::size_t m = q.size();
            for (Eigen::Index i = 0; i < Y.rows(); ++i) {
                double x = static_cast<double>(Y(i, j));
                if (normal) x = dmath::norm_cdf(x);
                double v;
                if (std::isnan(x) || std::isnan(q[0])) {
                    v = std::isnan(x) ? x : std::numeric_limits<double>::quiet_NaN();
                } else {
                    const bool lower = normal ? x - bounds_threshold < 0 : x == 0;
                    const bool upper = normal ? x + bounds_threshold > 1 : x == 1;
                    v = detail::np_interp(x, references_.data(), q.data(), m);
                    if (upper) v = q[m - 1];
                    if (lower) v = q[0];
                }
                X(i, j) = static_cast<T>(v);
            }
        }
        return X;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.i64(params_.n_quantiles);
        w.u8(static_cast<std::uint8_t>(params_.output_distribution));
        w.f64s(references_);
        w.u64(quantiles_.size());
        for (const auto& q : quantiles_) w.f64s(q);
    }
    static QuantileTransformer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        QuantileTransformer t;
        t.load_base(r);
        t.params_.columns = r.strs();
        t.params_.n_quantiles = r.i64();
        const auto od = r.u8();
        if (t.params_.n_quantiles < 1 || od > 1) r.fail("QuantileTransformer params are invalid");
        t.params_.output_distribution = static_cast<QuantileOutput>(od);
        t.references_ = r.f64s();
        const std::size_t n = r.size(8);
        for (std::size_t j = 0; j < n; ++j) {
            t.quantiles_.push_back(r.f64s());
            if (t.quantiles_.back().size() != t.references_.size() || !valid_column(t.quantiles_.back()))
                r.fail("QuantileTransformer quantiles are malformed");
        }
        if (t.is_fitted() ? (n != t.feature_names_in().size() || t.references_.empty()) : (n != 0 || !t.references_.empty()))
            r.fail("QuantileTransformer state does not match its feature names");
        if (t.is_fitted() && t.references_ != detail::np_linspace(0.0, 1.0, t.references_.size()))
            r.fail("QuantileTransformer references are not linspace(0, 1, n)");
        t.prepare();
        return t;
    }

private:
    static constexpr double bounds_threshold = 1e-7;  // scikit-learn's BOUNDS_THRESHOLD

    static bool valid_column(const std::vector<double>& q) {
        if (std::all_of(q.begin(), q.end(), [](double v) { return std::isnan(v); })) return true;
        for (std::size_t i = 0; i < q.size(); ++i) {
            if (!std::isfinite(q[i])) return false;
            if (i > 0 && q[i] < q[i - 1]) return false;
        }
        return true;
    }

    void fit_accumulator(const Accumulator& acc) {
        fit_columns(acc.rows(), acc.cols(), [&](std::size_t j) {
            const auto sorted = acc.values().col(j).sorted();
            return [sorted](std::size_t r) { return sorted[r]; };
        }, [&](std::size_t j) { return acc.values().col(j).count(); });
    }

    // fit(ChunkSource): the ranks every q reads, then the same state from their values,
    // found by multi-pass selection (numeric_component.hpp) instead of a sort.
    void source_ranks(std::uint64_t rows, std::size_t n, std::vector<std::size_t>& ranks) const {
        for (double q : probabilities(rows)) quantile_ranks(n, q, QuantileMethod::linear, ranks);
    }
    void fit_ranked(const detail::RankedColumns& c) {
        fit_columns(c.rows(), c.cols(), [&](std::size_t j) { return [&c, j](std::size_t r) { return c.at(j, r); }; },
                    [&](std::size_t j) { return c.count(j); });
    }

    std::size_t n_quantiles_for(std::uint64_t rows) const {
        return static_cast<std::size_t>(
            std::max<std::int64_t>(1, std::min(params_.n_quantiles, static_cast<std::int64_t>(rows))));
    }
    // np.nanpercentile(col, references_ * 100) divides by 100 again: keep that rounding.
    std::vector<double> probabilities(std::uint64_t rows) const {
        const auto refs = detail::np_linspace(0.0, 1.0, n_quantiles_for(rows));
        std::vector<double> qs(refs.size());
        for (std::size_t i = 0; i < refs.size(); ++i) qs[i] = (refs[i] * 100.0) / 100.0;
        return qs;
    }

    // The state from each column's count of non-NaN values and its ranks (at_of(j)(r)).
    template <class AtOf, class CountOf>
    void fit_columns(std::uint64_t rows, std::size_t cols, AtOf&& at_of, CountOf&& count_of) {
        references_ = detail::np_linspace(0.0, 1.0, n_quantiles_for(rows));
        const std::vector<double> qs = probabilities(rows);
        const std::size_t nq = qs.size();
        quantiles_.assign(cols, {});
        for (std::size_t j = 0; j < cols; ++j) {
            const auto n = static_cast<std::size_t>(count_of(j));
            const auto at = at_of(j);
            auto& q = quantiles_[j];
            q.resize(nq);
            for (std::size_t i = 0; i < nq; ++i) q[i] = quantile_at(n, qs[i], QuantileMethod::linear, at);
            for (std::size_t i = 1; i < nq; ++i) q[i] = std::max(q[i - 1], q[i]);  // NaN-free unless all NaN
            if (n == 0) std::fill(q.begin(), q.end(), std::numeric_limits<double>::quiet_NaN());
        }
        prepare();
    }

    // The search tables (transform/detail/quantile_grid.hpp), derived, never saved.
    void prepare() {
        grids_.assign(quantiles_.size(), {});
        for (std::size_t j = 0; j < quantiles_.size(); ++j)
            if (!quantiles_[j].empty() && !std::isnan(quantiles_[j][0])) grids_[j] = detail::QuantileGrid(quantiles_[j], references_);
        clip_min_ = dmath::norm_ppf(bounds_threshold - 2.220446049250313e-16);
        clip_max_ = dmath::norm_ppf(1 - (bounds_threshold - 2.220446049250313e-16));
    }

    // v from the grid (one search), then scikit-learn's bound overrides and the output map.
    double finish_value(double x, double v, const std::vector<double>& q, bool normal) const {
        const std::size_t m = q.size();
        if (std::isnan(x)) return x;
        const bool lower = normal ? x - bounds_threshold < q[0] : x == q[0];
        const bool upper = normal ? x + bounds_threshold > q[m - 1] : x == q[m - 1];
        if (upper) v = 1;
        if (lower) v = 0;
        // Quantiles a few subnormal ulps apart make the interpolation slope overflow and
        // v = inf - inf. A NaN made by arithmetic has a sign bit that differs between
        // x86 and aarch64, so it is replaced by the one canonical quiet NaN.
        if (std::isnan(v)) return std::numeric_limits<double>::quiet_NaN();
        if (!normal) return v;
        // norm.ppf(0) = -Inf and norm.ppf(1) = +Inf, which the clip maps to the bounds.
        if (v <= 0) return clip_min_;
        if (v >= 1) return clip_max_;
        return std::clamp(dmath::norm_ppf(v), clip_min_, clip_max_);
    }

    // Blocks of detail::search_block values of one column are searched together (their
    // loads overlap). A single row searches its columns' grids together instead, for the
    // same reason; each value still takes its own grid's halving steps, so the index, and
    // every bit after it, is the column path's.
    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        const bool normal = params_.output_distribution == QuantileOutput::normal;
        const auto rows = static_cast<std::size_t>(X.rows());
        if (rows == 1 && transform_row_across(X, out, normal)) return;
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const auto jj = static_cast<std::size_t>(j);
            const auto& q = quantiles_[jj];
            const detail::QuantileGrid& g = grids_[jj];
            if (std::isnan(q[0])) {  // an all-NaN column: every value maps to NaN
                for (Eigen::Index i = 0; i < X.rows(); ++i)
                    out(i, j) = static_cast<T>(std::isnan(static_cast<double>(X(i, j))) ? static_cast<double>(X(i, j))
                                                                                       : std::numeric_limits<double>::quiet_NaN());
                continue;
            }
            double copy[detail::search_block], vs[detail::search_block];
            for (std::size_t i0 = 0; i0 < rows; i0 += detail::search_block) {
                const std::size_t count = std::min(detail::search_block, rows - i0);
                // A double column is searched in place: the compiler turned the copy of
                // 16 values into `rep movsq`, whose start-up cost was a sixth of the kernel.
                const double* xs = copy;
                if constexpr (std::is_same_v<T, double>) xs = X.col(j).data() + i0;
                else
                    for (std::size_t k = 0; k < count; ++k) copy[k] = static_cast<double>(X(static_cast<Eigen::Index>(i0 + k), j));
                g.interp_block(xs, count, vs);
                for (std::size_t k = 0; k < count; ++k)
                    out(static_cast<Eigen::Index>(i0 + k), j) = static_cast<T>(finish_value(xs[k], vs[k], q, normal));
            }
        }
    }

    // The single-row path: false (nothing written) when a column is all-NaN in fit or the
    // row is wider than one block, which the column path handles.
    bool transform_row_across(const detail::MatrixRef<T>& X, detail::OutRef<T> out, bool normal) const {
        const auto cols = static_cast<std::size_t>(X.cols());
        if (cols > detail::search_block) return false;
        // Zeroed although every read slot is written first: GCC 12 at -O2 cannot see that
        // through the column count and warns (-Wmaybe-uninitialized), which a user's
        // -Werror build would turn into an error.
        const double* grids[detail::search_block] = {};
        double xs[detail::search_block] = {};
        std::size_t up[detail::search_block];
        for (std::size_t j = 0; j < cols; ++j) {
            if (std::isnan(quantiles_[j][0])) return false;
            grids[j] = grids_[j].quantiles();
            xs[j] = static_cast<double>(X(0, static_cast<Eigen::Index>(j)));
        }
        detail::upper_bound_lanes(grids, references_.size(), xs, cols, up);
        for (std::size_t j = 0; j < cols; ++j) {
            const double v = grids_[j].interp_at(xs[j], up[j]);
            out(0, static_cast<Eigen::Index>(j)) = static_cast<T>(finish_value(xs[j], v, quantiles_[j], normal));
        }
        return true;
    }

    Params params_;
    std::vector<double> references_;
    std::vector<std::vector<double>> quantiles_;
    // Derived from the above (not serialised):
    std::vector<detail::QuantileGrid> grids_;
    double clip_min_ = 0, clip_max_ = 0;
};

}  // namespace reprep
