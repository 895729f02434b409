// reprep::EndTailImputer — feature-engine's EndTailImputer: replaces NaN by a value at the
// end of the distribution.
//
//   fit (per column, NaN ignored):
//     gaussian, right:  v = mean + fold * std         std = sample standard deviation (ddof = 1,
//     gaussian, left:   v = mean - fold * std               pandas' default, as feature-engine)
//     iqr, right:       v = q75 + iqr * fold          q25, q75: numpy/pandas 'linear' quantiles,
//     iqr, left:        v = q25 - iqr * fold               iqr = q75 - q25
//     max:              v = max * fold                (tail is ignored, as in feature-engine)
//   transform:  y = isnan(x) ? T(v) : x
// mean and the variance come from exact sums (the mean is correctly rounded; the sample
// variance is the correctly rounded population variance times n/(n-1), two more roundings).
// A column with fewer than two values has a NaN gaussian value (pandas' std of one value
// is NaN); an all-NaN column has a NaN value for every method, so its NaN stay NaN.
// ±Inf raises InvalidInput in fit; in transform it passes through unchanged.
// Accumulator: exact moments (gaussian, max) plus every value (iqr).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/moments.hpp"
#include "../component/accumulator_errors.hpp"
#include "../component/column_values.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

enum class EndTailMethod : std::uint8_t { gaussian, iqr, max };
enum class EndTailSide : std::uint8_t { right, left };

template <class T = double>
class EndTailImputer : public detail::NumericComponent<EndTailImputer<T>, T> {
    using Base = detail::NumericComponent<EndTailImputer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // feature-engine's `variables` (empty = all numeric)
        EndTailMethod imputation_method = EndTailMethod::gaussian;
        EndTailSide tail = EndTailSide::right;
        double fold = 3.0;
    };

    using Accumulator = detail::MomentsValuesAccumulator<T, EndTailImputer>;

    static constexpr const char* component_name = "EndTailImputer";
    static constexpr std::string_view kind_name() { return "end_tail_imputer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = true;

    EndTailImputer() = default;
    // A template, so that EndTailImputer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit EndTailImputer(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    using Base::fit;
    Accumulator accumulator() const { return Accumulator(keeps()); }

    // A fitted imputer from values computed elsewhere (feature-engine's imputer_dict_, in column order).
    static EndTailImputer from_state(std::vector<double> imputer_values, Params p = {},
                                     std::vector<std::string> feature_names = {}) {
        EndTailImputer s(std::move(p));
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(imputer_values.size()));
        if (imputer_values.empty() || feature_names.size() != imputer_values.size())
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "imputer_values must be non-empty, with one feature name each",
                                            .fix = "pass one imputer value per column, and one feature name each (or none for the default names)",
                                            .column = "from_state"});
        s.values_ = std::move(imputer_values);
        s.set_fitted(std::move(feature_names));
        return s;
    }

    // feature-engine's imputer_dict_, in column order.
    const std::vector<double>& imputer_values() const { this->require_fitted(); return values_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(values_.size()); }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.imputation_method));
        w.u8(static_cast<std::uint8_t>(params_.tail));
        w.f64(params_.fold);
        w.f64s(values_);
    }
    static EndTailImputer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        EndTailImputer s;
        s.load_base(r);
        s.params_.columns = r.strs();
        const auto m = r.u8(), t = r.u8();
        if (m > static_cast<std::uint8_t>(EndTailMethod::max) || t > static_cast<std::uint8_t>(EndTailSide::left))
            r.fail("EndTailImputer imputation_method or tail is unknown");
        s.params_.imputation_method = static_cast<EndTailMethod>(m);
        s.params_.tail = static_cast<EndTailSide>(t);
        s.params_.fold = r.f64();
        if (!(s.params_.fold > 0.0) || !std::isfinite(s.params_.fold)) r.fail("EndTailImputer fold is invalid");
        s.values_ = r.f64s();
        if (s.values_.size() != (s.is_fitted() ? s.feature_names_in().size() : 0))
            r.fail("EndTailImputer values do not match its feature names");
        return s;
    }

private:
    static void validate(const Params& p) {
        if (static_cast<std::uint8_t>(p.imputation_method) > static_cast<std::uint8_t>(EndTailMethod::max))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "imputation_method must be gaussian, iqr or max",
                                            .fix = "use imputation_method = gaussian, iqr or max",
                                            .column = "imputation_method"});
        if (static_cast<std::uint8_t>(p.tail) > static_cast<std::uint8_t>(EndTailSide::left))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "tail must be right or left",
                                            .fix = "use tail = right or left",
                                            .column = "tail"});
        if (!(p.fold > 0.0) || !std::isfinite(p.fold))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "fold must be a finite positive number",
                                            .fix = "pass e.g. 3.0 (gaussian) or 1.5 (iqr)",
                                            .column = "fold"});
    }

    // iqr keeps every value, for its quartiles; gaussian and max need the moments only.
    detail::KeepValues keeps() const {
        return params_.imputation_method == EndTailMethod::iqr ? detail::KeepValues::values : detail::KeepValues::none;
    }

    void check_accumulator(const Accumulator& acc) const {
        if (acc.keeps() != keeps())
            detail::accumulator_settings_differ(component_name, "imputation_method");
    }

    void fit_accumulator(const Accumulator& acc) {
        const auto& m = acc.moments();
        const auto n = static_cast<std::size_t>(m.cols());
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double fold = params_.fold;
        const bool right = params_.tail == EndTailSide::right;
        values_.assign(n, nan);
        for (std::size_t j = 0; j < n; ++j) {
            const auto jj = static_cast<Eigen::Index>(j);
            const std::uint64_t count = m.count(jj);
            if (count == 0) continue;
            switch (params_.imputation_method) {
                case EndTailMethod::gaussian: {
                    if (count < 2) break;
                    const double c = static_cast<double>(count);
                    const double std = std::sqrt(m.variance(jj) * c / (c - 1.0));
                    values_[j] = right ? m.mean(jj) + fold * std : m.mean(jj) - fold * std;
                    break;
                }
                case EndTailMethod::iqr: {
                    const auto sorted = acc.values().col(j).sorted();
                    values_[j] = iqr_value(sorted.size(), [&](std::size_t r) { return sorted[r]; });
                    break;
                }
                case EndTailMethod::max: values_[j] = m.max(jj) * fold; break;
            }
        }
    }

    // The iqr value from n sorted non-NaN values (at(r): rank r).
    template <class At>
    double iqr_value(std::size_t n, At&& at) const {
        const double q25 = detail::numpy_percentile_at<T>(n, 0.25, at);
        const double q75 = detail::numpy_percentile_at<T>(n, 0.75, at);
        const double iqr = q75 - q25;
        return params_.tail == EndTailSide::right ? q75 + iqr * params_.fold : q25 - iqr * params_.fold;
    }

    // fit(ChunkSource): iqr reads four ranks per column, found by multi-pass selection
    // (numeric_component.hpp); gaussian and max take one pass of exact moments.
    bool ranks_suffice() const { return params_.imputation_method == EndTailMethod::iqr; }
    void source_ranks(std::uint64_t /*rows*/, std::size_t n, std::vector<std::size_t>& ranks) const {
        detail::percentile_ranks(n, 0.25, ranks);
        detail::percentile_ranks(n, 0.75, ranks);
    }
    void fit_ranked(const detail::RankedColumns& c) {
        values_.assign(c.cols(), std::numeric_limits<double>::quiet_NaN());
        for (std::size_t j = 0; j < c.cols(); ++j)
            if (c.count(j) > 0) values_[j] = iqr_value(c.count(j), [&](std::size_t r) { return c.at(j, r); });
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const T v = static_cast<T>(values_[static_cast<std::size_t>(j)]);
            const T* x = X.col(j).data();
            T* y = out.col(j).data();
            const Eigen::Index xs = X.innerStride(), ys = out.innerStride();
            for (Eigen::Index i = 0; i < X.rows(); ++i) y[i * ys] = std::isnan(x[i * xs]) ? v : x[i * xs];
        }
    }

    Params params_;
    std::vector<double> values_;
};

}  // namespace reprep
