// reprep::Winsorizer — feature-engine's Winsorizer: caps values beyond learned limits.
//
//   fit (per column, NaN ignored), fold default ('auto'): 3 gaussian, 1.5 iqr, 0.05 quantiles:
//     gaussian:  right = mean + fold * std,   left = mean - fold * std
//                (std with ddof = 1, pandas' default: sqrt(var_pop * n / (n - 1)) from exact
//                moments; NaN for n = 1, which caps nothing)
//     iqr:       iqr = q75 - q25;  right = q75 + iqr * fold,  left = q25 - iqr * fold
//     quantiles: right = q(1 - fold),  left = q(fold)
//     (q = exact quantile, numpy/pandas 'linear'). Only the tails asked for are learned;
//     the other cap is +Inf (right) or -Inf (left), which never caps.
//   transform:  y = x > right ? right : x;  then y = y < left ? left : y  (feature-engine's
//     order); NaN stays NaN, ±Inf are capped like any value.
// Accumulator: ColumnMoments for gaussian, one exact ValueAccumulator per column otherwise.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/moments.hpp"
#include "../core/multi_pass_selection.hpp"
#include "../core/quantile.hpp"
#include "../component/accumulator_errors.hpp"
#include "../component/column_values.hpp"
#include "../component/numeric_component.hpp"
#include "detail/clip_kernel.hpp"

namespace reprep {

enum class CappingMethod : std::uint8_t { gaussian, iqr, quantiles };
enum class Tail : std::uint8_t { right, left, both };

template <class T = double>
class Winsorizer : public detail::NumericComponent<Winsorizer<T>, T> {
    using Base = detail::NumericComponent<Winsorizer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // feature-engine's variables (empty = all numeric)
        CappingMethod capping_method = CappingMethod::gaussian;
        Tail tail = Tail::right;
        std::optional<double> fold = std::nullopt;  // nullopt = feature-engine's 'auto'
    };

    static constexpr const char* component_name = "Winsorizer";
    static constexpr std::string_view kind_name() { return "winsorizer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = true;

    // Exact moments (gaussian) or every value (iqr, quantiles) of every column.
    class Accumulator {
    public:
        Accumulator() = default;
        explicit Accumulator(bool keep_values) : keep_values_(keep_values) {}
        void update(const detail::MatrixRef<T>& X) {
            detail::check_fit_chunk<Winsorizer, T>(X);
            if (keep_values_) return values_.update(X, component_name);
            if (moments_.cols() == 0) moments_ = ColumnMoments<T>(X.cols());
            moments_.update(X);
        }
        void merge(const Accumulator& other) {
            if (keep_values_ != other.keep_values_) detail::accumulator_settings_differ(component_name, "capping_method");
            if (keep_values_) return values_.merge(other.values_, component_name);
            if (other.moments_.cols() == 0) return;
            if (moments_.cols() == 0) moments_ = other.moments_;
            else moments_.merge(other.moments_);
        }
        bool keeps_values() const { return keep_values_; }
        std::size_t cols() const { return keep_values_ ? values_.cols() : static_cast<std::size_t>(moments_.cols()); }
        std::uint64_t rows() const { return keep_values_ ? values_.rows() : detail::rows_seen(moments_); }
        const ColumnMoments<T>& moments() const { return moments_; }
        const detail::ColumnValues<T>& values() const { return values_; }
        void save(ArchiveWriter& w) const {
            w.boolean(keep_values_);
            if (!keep_values_) return moments_.save(w);
            values_.save(w);
        }
        static Accumulator load(ArchiveReader& r) {
            Accumulator a(r.boolean());
            if (!a.keep_values_) a.moments_ = ColumnMoments<T>::load(r);
            else a.values_ = detail::ColumnValues<T>::load(r);
            return a;
        }
        friend bool operator==(const Accumulator&, const Accumulator&) = default;

    private:
        bool keep_values_ = false;
        ColumnMoments<T> moments_{0};
        detail::ColumnValues<T> values_;
    };

    Winsorizer() = default;
    // A template, so that Winsorizer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit Winsorizer(P p) : params_(std::move(p)) {
        if (static_cast<unsigned>(params_.capping_method) > 2)
            detail::fail<InvalidParameter>({.component = component_name, .problem = "unknown capping_method",
                                            .fix = "use capping_method = gaussian, iqr or quantiles",
                                            .column = "capping_method"});
        if (static_cast<unsigned>(params_.tail) > 2)
            detail::fail<InvalidParameter>({.component = component_name, .problem = "unknown tail",
                                            .fix = "use tail = right, left or both",
                                            .column = "tail"});
        if (params_.fold) {
            const double f = *params_.fold;
            if (!(f > 0) || !std::isfinite(f))
                detail::fail<InvalidParameter>({.component = component_name, .problem = "fold must be finite and > 0",
                                                .fix = "use a finite fold > 0, or leave it unset (None in Python) for the method's default: 3 (gaussian), 1.5 (iqr), 0.05 (quantiles)",
                                                .column = "fold"});
            if (params_.capping_method == CappingMethod::quantiles && f > 0.2)
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "with capping_method = quantiles, fold must be in (0, 0.2]",
                                                .fix = "use a fold from 0 to 0.2 with capping_method = quantiles, or leave it unset (None in Python) for 0.05",
                                                .column = "fold"});
        }
    }

    const Params& params() const { return params_; }
    Accumulator accumulator() const { return Accumulator(params_.capping_method != CappingMethod::gaussian); }

    // The fold in use ('auto' resolved as feature-engine does).
    double fold() const {
        if (params_.fold) return *params_.fold;
        switch (params_.capping_method) {
            case CappingMethod::gaussian: return 3.0;
            case CappingMethod::iqr: return 1.5;
            case CappingMethod::quantiles: return 0.05;
        }
        return 3.0;
    }

    using Base::fit;

    // Caps fitted elsewhere (feature-engine's right_tail_caps_ / left_tail_caps_); use
    // +Inf / -Inf for a tail that is not capped.
    static Winsorizer from_state(std::vector<double> right_caps, std::vector<double> left_caps, Params p = {},
                                 std::vector<std::string> feature_names = {}) {
        Winsorizer w(std::move(p));
        if (right_caps.empty() || right_caps.size() != left_caps.size())
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "right and left caps must be non-empty and of equal length",
                                            .fix = "pass one right and one left cap per column (inf / -inf for a tail not capped)",
                                            .column = "from_state"});
        // left > right would map every value to left, and no fit produces it. (NaN caps
        // stay allowed: a fit on one row or an all-NaN column gives them, capping nothing.)
        for (std::size_t j = 0; j < right_caps.size(); ++j)
            if (left_caps[j] > right_caps[j])
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "the left cap of column " + std::to_string(j) +
                                                           " is above its right cap",
                                                .fix = "pass a left cap no greater than the right cap of each column",
                                                .column = "from_state"});
        w.right_ = std::move(right_caps);
        w.left_ = std::move(left_caps);
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(w.right_.size()));
        if (feature_names.size() != w.right_.size())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "one feature name per cap",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        w.set_fitted(std::move(feature_names));
        return w;
    }

    const std::vector<double>& right_tail_caps() const { this->require_fitted(); return right_; }
    const std::vector<double>& left_tail_caps() const { this->require_fitted(); return left_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(right_.size()); }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.capping_method));
        w.u8(static_cast<std::uint8_t>(params_.tail));
        w.boolean(params_.fold.has_value());
        w.f64(params_.fold.value_or(0.0));
        w.f64s(right_);
        w.f64s(left_);
    }
    static Winsorizer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        Winsorizer w;
        w.load_base(r);
        w.params_.columns = r.strs();
        const auto m = r.u8(), t = r.u8();
        if (m > 2 || t > 2) r.fail("Winsorizer params are invalid");
        w.params_.capping_method = static_cast<CappingMethod>(m);
        w.params_.tail = static_cast<Tail>(t);
        const bool has_fold = r.boolean();
        const double f = r.f64();
        if (has_fold) w.params_.fold = f;
        w.right_ = r.f64s();
        w.left_ = r.f64s();
        if (w.right_.size() != w.left_.size() ||
            (w.is_fitted() ? w.right_.size() != w.feature_names_in().size() : !w.right_.empty()))
            r.fail("Winsorizer state does not match its feature names");
        return w;
    }

private:
    void check_accumulator(const Accumulator& acc) const {
        if (acc.keeps_values() != (params_.capping_method != CappingMethod::gaussian))
            detail::accumulator_settings_differ(component_name, "capping_method");
    }

    void fit_accumulator(const Accumulator& acc) {
        const std::size_t n = acc.cols();
        constexpr double inf = std::numeric_limits<double>::infinity();
        right_.assign(n, inf);
        left_.assign(n, -inf);
        const double f = fold();
        for (std::size_t j = 0; j < n; ++j) {
            double r, l;
            if (params_.capping_method == CappingMethod::gaussian) {
                const auto jj = static_cast<Eigen::Index>(j);
                const double cnt = static_cast<double>(acc.moments().count(jj));
                const double mean = acc.moments().mean(jj);
                const double sd = std::sqrt(acc.moments().variance(jj) * cnt / (cnt - 1));
                r = mean + f * sd;
                l = mean - f * sd;
            } else {
                const auto sorted = acc.values().col(j).sorted();
                quantile_tails(sorted.size(), [&](std::size_t k) { return sorted[k]; }, r, l);
            }
            if (params_.tail != Tail::left) right_[j] = r;
            if (params_.tail != Tail::right) left_[j] = l;
        }
    }

    // The two quantiles iqr and quantiles read ('linear'), in the order they are read.
    std::array<double, 2> tail_probabilities() const {
        const double f = fold();
        if (params_.capping_method == CappingMethod::iqr) return {0.75, 0.25};
        return {1 - f, f};
    }

    // right and left from the n sorted non-NaN values of a column (at(k): rank k).
    template <class At>
    void quantile_tails(std::size_t n, At&& at, double& r, double& l) const {
        const double f = fold();
        const auto p = tail_probabilities();
        const double hi = quantile_at(n, p[0], QuantileMethod::linear, at);
        const double lo = quantile_at(n, p[1], QuantileMethod::linear, at);
        if (params_.capping_method == CappingMethod::iqr) {
            const double iqr = hi - lo;
            r = hi + iqr * f;
            l = lo - iqr * f;
        } else {
            r = hi;
            l = lo;
        }
    }

    // fit(ChunkSource): iqr and quantiles read two ranks per column, found by multi-pass
    // selection (numeric_component.hpp); gaussian takes one pass of exact moments.
    bool ranks_suffice() const { return params_.capping_method != CappingMethod::gaussian; }
    void source_ranks(std::uint64_t /*rows*/, std::size_t n, std::vector<std::size_t>& ranks) const {
        for (double q : tail_probabilities()) quantile_ranks(n, q, QuantileMethod::linear, ranks);
    }
    void fit_ranked(const detail::RankedColumns& c) {
        constexpr double inf = std::numeric_limits<double>::infinity();
        right_.assign(c.cols(), inf);
        left_.assign(c.cols(), -inf);
        for (std::size_t j = 0; j < c.cols(); ++j) {
            double r, l;
            quantile_tails(c.count(j), [&](std::size_t k) { return c.at(j, k); }, r, l);
            if (params_.tail != Tail::left) right_[j] = r;
            if (params_.tail != Tail::right) left_[j] = l;
        }
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        detail::clip_columns(X, out, left_, right_);
    }

    Params params_;
    std::vector<double> right_, left_;
};

}  // namespace reprep
