// reprep::ArbitraryDiscretiser — feature-engine's ArbitraryDiscretiser: user-given bin edges.
//
//   binning_dict[name] = {e0, e1, ..., em} (m >= 1 bins, strictly increasing, no NaN).
//   The outer edges act as -Inf and +Inf: they are stored as such, so a serving value
//   below e0 falls in bin 0 and one above em in bin m-1 (feature-engine, through pd.cut,
//   would return NaN there).
//   transform:  bins are right-closed (a, b] as pd.cut(right=True):
//               b = number of inner edges e1..e(m-1) strictly below x
//               (np.searchsorted(inner, x, side='left')), written as T; NaN stays NaN.
//   Columns without an entry pass through unchanged.
// Keys are the fitted names: a Table's column names, or for a matrix Params::columns when
// given (one name per matrix column), else x0, x1, ...
// No Accumulator (there is no statistic); from_state takes the edges per column.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/numpy_ports.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

template <class T = double>
class ArbitraryDiscretiser : public detail::NumericComponent<ArbitraryDiscretiser<T>, T> {
    using Base = detail::NumericComponent<ArbitraryDiscretiser<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};                         // names (Table / matrix columns)
        std::map<std::string, std::vector<double>> binning_dict = {};  // column -> edges
    };

    static constexpr const char* component_name = "ArbitraryDiscretiser";
    static constexpr std::string_view kind_name() { return "arbitrary_discretiser"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = true;
    // fit learns nothing from the values: a chunk source is read once, not gathered
    // (compose/step.hpp, FitIgnoresValues).
    static constexpr bool fit_learns_from_values = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = true;

    ArbitraryDiscretiser() = default;
    // A template, so that ArbitraryDiscretiser({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit ArbitraryDiscretiser(P p) : params_(std::move(p)) {
        if (params_.binning_dict.empty())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "binning_dict is empty",
                                            .fix = "give edges for at least one column", .column = "binning_dict"});
        for (const auto& [name, e] : params_.binning_dict)
            if (!valid_edges(e))
                detail::fail<InvalidParameter>({.component = component_name,
                                                .problem = "edges for \"" + name + "\" must be >= 2 strictly increasing non-NaN values",
                                                .fix = "give the column at least 2 strictly increasing, non-NaN edges, e.g. [0, 10, 20]",
                                                .column = "binning_dict"});
    }

    const Params& params() const { return params_; }

    // Edges per column ({} for a pass-through column); the outer edges become -Inf/+Inf.
    static ArbitraryDiscretiser from_state(std::vector<std::vector<double>> edges, std::vector<std::string> feature_names = {}) {
        if (edges.empty())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "edges must be non-empty",
                                            .fix = "pass edges for at least one column",
                                            .column = "from_state"});
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(edges.size()));
        if (feature_names.size() != edges.size())
            detail::fail<InvalidParameter>({.component = component_name, .problem = "one feature name per column",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        Params p;
        p.columns = feature_names;
        for (std::size_t j = 0; j < edges.size(); ++j)
            if (!edges[j].empty()) p.binning_dict[feature_names[j]] = edges[j];
        ArbitraryDiscretiser d(std::move(p));
        d.edges_ = std::move(edges);
        for (auto& e : d.edges_) outer_to_inf(e);
        d.set_fitted(std::move(feature_names));
        return d;
    }

    // The edges used for column j (outer edges -Inf/+Inf; empty = passed through).
    const std::vector<double>& binner_dict(std::size_t column) const { this->require_fitted(); return edges_.at(column); }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(edges_.size()); }
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
        w.u64(params_.binning_dict.size());
        for (const auto& [name, e] : params_.binning_dict) {
            w.str(name);
            w.f64s(e);
        }
        w.u64(edges_.size());
        for (const auto& e : edges_) w.f64s(e);
    }
    static ArbitraryDiscretiser load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        ArbitraryDiscretiser d;
        d.load_base(r);
        d.params_.columns = r.strs();
        const std::size_t n = r.size(16);
        for (std::size_t i = 0; i < n; ++i) {
            std::string name = r.str();
            auto e = r.f64s();
            if (!valid_edges(e)) r.fail("ArbitraryDiscretiser edges are malformed");
            d.params_.binning_dict[std::move(name)] = std::move(e);
        }
        const std::size_t m = r.size(8);
        for (std::size_t j = 0; j < m; ++j) {
            d.edges_.push_back(r.f64s());
            if (!d.edges_.back().empty() && !valid_edges(d.edges_.back())) r.fail("ArbitraryDiscretiser edges are malformed");
        }
        if (d.is_fitted() ? m != d.feature_names_in().size() : m != 0)
            r.fail("ArbitraryDiscretiser state does not match its feature names");
        return d;
    }

private:
    static bool valid_edges(const std::vector<double>& e) {
        if (e.size() < 2) return false;
        for (std::size_t i = 0; i < e.size(); ++i) {
            if (std::isnan(e[i])) return false;
            if (i > 0 && !(e[i] > e[i - 1])) return false;
        }
        return true;
    }
    static void outer_to_inf(std::vector<double>& e) {
        if (e.empty()) return;
        e.front() = -std::numeric_limits<double>::infinity();
        e.back() = std::numeric_limits<double>::infinity();
    }

    void fit_matrix(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) {
        edges_.assign(static_cast<std::size_t>(X.cols()), {});
        for (const auto& [name, e] : params_.binning_dict) {
            const auto it = std::find(names.begin(), names.end(), name);
            if (it == names.end())
                detail::fail<SchemaError>({.component = component_name,
                                           .problem = "binning_dict names a column that is not being fitted",
                                           .fix = "fit on data that has this column (see the columns parameter)",
                                           .column = name});
            auto& mine = edges_[static_cast<std::size_t>(it - names.begin())];
            mine = e;
            outer_to_inf(mine);
        }
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const auto& e = edges_[static_cast<std::size_t>(j)];
            if (e.empty()) {
                out.col(j) = X.col(j);
                continue;
            }
            const double* inner = e.data() + 1;
            const double* inner_end = e.data() + e.size() - 1;
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                const double x = static_cast<double>(X(i, j));
                // Branch-free, the same index as std::lower_bound.
                out(i, j) = std::isnan(x) ? X(i, j)
                                          : static_cast<T>(detail::searchsorted_left(
                                                inner, static_cast<std::size_t>(inner_end - inner), x));
            }
        }
    }

    Params params_;
    std::vector<std::vector<double>> edges_;
};

}  // namespace reprep
