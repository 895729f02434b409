// reprep::ArbitraryOutlierCapper — feature-engine's ArbitraryOutlierCapper: user-given caps.
//
//   fit:        learns nothing; records the columns and checks that every key of
//               max_capping_dict / min_capping_dict names one of them (SchemaError otherwise).
//               Columns without a cap pass through unchanged.
//   transform:  y = x > max_j ? max_j : x;  then y = y < min_j ? min_j : y
//               (an absent cap is +Inf / -Inf, which never caps; NaN stays NaN).
// Keys are the fitted names: a Table's column names, or for a matrix Params::columns when
// given (one name per matrix column), else x0, x1, ...
// No Accumulator (there is no statistic); from_state takes the caps per column.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../component/numeric_component.hpp"
#include "detail/clip_kernel.hpp"

namespace reprep {

template <class T = double>
class ArbitraryOutlierCapper : public detail::NumericComponent<ArbitraryOutlierCapper<T>, T> {
    using Base = detail::NumericComponent<ArbitraryOutlierCapper<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};               // names (Table columns / matrix columns)
        std::map<std::string, double> max_capping_dict = {};  // column -> upper cap
        std::map<std::string, double> min_capping_dict = {};  // column -> lower cap
    };

    static constexpr const char* component_name = "ArbitraryOutlierCapper";
    static constexpr std::string_view kind_name() { return "arbitrary_outlier_capper"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = true;
    // fit learns nothing from the values: a chunk source is read once, not gathered
    // (compose/step.hpp, FitIgnoresValues).
    static constexpr bool fit_learns_from_values = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = true;

    ArbitraryOutlierCapper() = default;
    // A template, so that ArbitraryOutlierCapper({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit ArbitraryOutlierCapper(P p) : params_(std::move(p)) {
        if (params_.max_capping_dict.empty() && params_.min_capping_dict.empty())
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "max_capping_dict and min_capping_dict are both empty",
                                            .fix = "give at least one cap",
                                            .column = "max_capping_dict"});
        for (const auto& [name, v] : params_.max_capping_dict)
            if (std::isnan(v))
                detail::fail<InvalidParameter>({.component = component_name, .problem = "cap for \"" + name + "\" is NaN",
                                                .fix = "give the column a number as its cap, or leave it out to leave that side uncapped",
                                                .column = "max_capping_dict"});
        for (const auto& [name, v] : params_.min_capping_dict) {
            if (std::isnan(v))
                detail::fail<InvalidParameter>({.component = component_name, .problem = "cap for \"" + name + "\" is NaN",
                                                .fix = "give the column a number as its cap, or leave it out to leave that side uncapped",
                                                .column = "min_capping_dict"});
            const auto it = params_.max_capping_dict.find(name);
            if (it != params_.max_capping_dict.end() && v > it->second)
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "min cap above max cap for \"" + name + "\"",
                                                .fix = "give the column a min cap no greater than its max cap",
                                                .column = "min_capping_dict"});
        }
    }

    const Params& params() const { return params_; }

    static ArbitraryOutlierCapper from_state(std::vector<double> max_caps, std::vector<double> min_caps,
                                             std::vector<std::string> feature_names = {}) {
        if (max_caps.empty() || max_caps.size() != min_caps.size())
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "max and min caps must be non-empty and of equal length",
                                            .fix = "pass one max and one min cap per column (inf / -inf for a side not capped)",
                                            .column = "from_state"});
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(max_caps.size()));
        if (feature_names.size() != max_caps.size())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "one feature name per cap",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        Params p;
        for (std::size_t j = 0; j < max_caps.size(); ++j) {
            if (std::isnan(max_caps[j]) || std::isnan(min_caps[j]))
                detail::fail<InvalidParameter>({.component = component_name, .problem = "caps must not be NaN",
                                                .fix = "use inf / -inf for a side not capped, not NaN",
                                                .column = "from_state"});
            // The constructor refuses min > max; from_state must not let the same caps in.
            if (min_caps[j] > max_caps[j])
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "min cap above max cap for \"" + feature_names[j] + "\"",
                                                .fix = "give the column a min cap no greater than its max cap",
                                                .column = "from_state"});
            if (max_caps[j] != std::numeric_limits<double>::infinity()) p.max_capping_dict[feature_names[j]] = max_caps[j];
            if (min_caps[j] != -std::numeric_limits<double>::infinity()) p.min_capping_dict[feature_names[j]] = min_caps[j];
        }
        p.columns = feature_names;
        ArbitraryOutlierCapper c;  // Params may be all-infinite caps here: a valid identity
        c.params_ = std::move(p);
        c.max_ = std::move(max_caps);
        c.min_ = std::move(min_caps);
        c.set_fitted(std::move(feature_names));
        return c;
    }

    const std::vector<double>& max_caps() const { this->require_fitted(); return max_; }
    const std::vector<double>& min_caps() const { this->require_fitted(); return min_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(max_.size()); }
    std::vector<std::string> matrix_feature_names(Eigen::Index n) const {
        if (params_.columns.empty()) return detail::default_names(n);
        if (static_cast<Eigen::Index>(params_.columns.size()) != n)
            detail::fail<SchemaError>({.component = component_name,
                                       .problem = "Params::columns names " + std::to_string(params_.columns.size()) +
                                                  " columns but the matrix has " + std::to_string(n),
                                       .fix = "for matrix input, give one name per column or none"});
        return params_.columns;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        for (const auto* d : {&params_.max_capping_dict, &params_.min_capping_dict}) {
            w.u64(d->size());
            for (const auto& [name, v] : *d) {
                w.str(name);
                w.f64(v);
            }
        }
        w.f64s(max_);
        w.f64s(min_);
    }
    static ArbitraryOutlierCapper load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        ArbitraryOutlierCapper c;
        c.load_base(r);
        c.params_.columns = r.strs();
        for (auto* d : {&c.params_.max_capping_dict, &c.params_.min_capping_dict}) {
            const std::size_t n = r.size(16);
            for (std::size_t i = 0; i < n; ++i) {
                std::string name = r.str();
                const double v = r.f64();
                if (std::isnan(v)) r.fail("ArbitraryOutlierCapper cap is NaN");
                (*d)[std::move(name)] = v;
            }
        }
        c.max_ = r.f64s();
        c.min_ = r.f64s();
        for (std::size_t j = 0; j < c.max_.size() && j < c.min_.size(); ++j)
            if (std::isnan(c.max_[j]) || std::isnan(c.min_[j])) r.fail("ArbitraryOutlierCapper cap is NaN");
        if (c.max_.size() != c.min_.size() || (c.is_fitted() ? c.max_.size() != c.feature_names_in().size() : !c.max_.empty()))
            r.fail("ArbitraryOutlierCapper state does not match its feature names");
        return c;
    }

private:
    void fit_matrix(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) {
        constexpr double inf = std::numeric_limits<double>::infinity();
        max_.assign(static_cast<std::size_t>(X.cols()), inf);
        min_.assign(static_cast<std::size_t>(X.cols()), -inf);
        auto place = [&](const std::map<std::string, double>& d, std::vector<double>& caps, const char* field) {
            for (const auto& [name, v] : d) {
                const auto it = std::find(names.begin(), names.end(), name);
                if (it == names.end())
                    detail::fail<SchemaError>({.component = component_name,
                                               .problem = std::string(field) + " names a column that is not being fitted",
                                               .fix = "fit on data that has this column (see the columns parameter)",
                                               .column = name});
                caps[static_cast<std::size_t>(it - names.begin())] = v;
            }
        };
        place(params_.max_capping_dict, max_, "max_capping_dict");
        place(params_.min_capping_dict, min_, "min_capping_dict");
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        detail::clip_columns(X, out, min_, max_);
    }

    Params params_;
    std::vector<double> max_, min_;
};

}  // namespace reprep
