// reprep::SimpleImputer — scikit-learn's SimpleImputer for numeric columns (missing = NaN).
//
//   fit:        statistics_j = mean:          exact mean of the non-NaN values (correctly rounded double)
//                              median:        numpy's median of the non-NaN values (middle value, or
//                                             (a + b) / 2 of the two middle ones, in T)
//                              most_frequent: the most frequent non-NaN value; ties -> the smallest
//                              constant:      fill_value rounded to T
//               A column with no non-NaN value ("empty") has statistics_j = NaN and is dropped
//               from the output, unless strategy is constant (kept, filled with fill_value) or
//               keep_empty_features is true (kept, statistics_j = 0).
//   transform:  y = isnan(x) ? T(statistics_j) : x     for every kept column, in input order,
//               then (add_indicator) one column per feature that had NaN in fit:
//               y = isnan(x) ? 1 : 0   named "missingindicator_<name>"
//   inverse:    (add_indicator only) x = NaN where the indicator is 1, else y; dropped columns are NaN
// ±Inf raises InvalidInput in fit and transform (scikit-learn's rule). Only NaN marks a
// missing value (scikit-learn's missing_values=np.nan). An Accumulator exists for every
// strategy: moments for mean/constant, every value for median, and for most_frequent the
// count of each distinct value (memory of the distinct values, not of the rows).
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

enum class ImputeStrategy : std::uint8_t { mean, median, most_frequent, constant };

template <class T = double>
class SimpleImputer : public detail::NumericComponent<SimpleImputer<T>, T> {
    using Base = detail::NumericComponent<SimpleImputer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to impute (empty = all numeric)
        ImputeStrategy strategy = ImputeStrategy::mean;
        double fill_value = 0.0;  // strategy constant
        bool add_indicator = false;
        bool keep_empty_features = false;
    };

    // Mergeable: exact moments and NaN counts always, every value when the strategy is
    // median, each distinct value's count when it is most_frequent.
    using Accumulator = detail::MomentsValuesAccumulator<T, SimpleImputer>;

    static constexpr const char* component_name = "SimpleImputer";
    static constexpr std::string_view kind_name() { return "simple_imputer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = false;

    SimpleImputer() = default;
    // A template, so that SimpleImputer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit SimpleImputer(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    using Base::fit;
    Accumulator accumulator() const { return Accumulator(keeps()); }

    // A fitted imputer from scikit-learn's statistics_ and, for add_indicator, the
    // indicator's features_ (column indices that had NaN in fit, ascending).
    static SimpleImputer from_state(std::vector<double> statistics, std::vector<std::uint64_t> indicator_features = {},
                                    Params p = {}, std::vector<std::string> feature_names = {}) {
        SimpleImputer s(std::move(p));
        const std::size_t n = statistics.size();
        bool ok = n > 0;
        for (std::size_t i = 0; i < indicator_features.size(); ++i)
            ok &= indicator_features[i] < n && (i == 0 || indicator_features[i - 1] < indicator_features[i]);
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(n));
        ok &= feature_names.size() == n;
        if (!ok)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "statistics must be non-empty, indicator_features ascending "
                                                       "column indices, feature_names one per column",
                                            .fix = "pass a fitted SimpleImputer's statistics_ (one per column) and, with add_indicator, its indicator_.features_ (ascending column indices)",
                                            .column = "from_state"});
        s.statistics_ = std::move(statistics);
        s.missing_features_ = std::move(indicator_features);
        s.derive();
        s.set_fitted(std::move(feature_names));
        return s;
    }

    const std::vector<double>& statistics() const { this->require_fitted(); return statistics_; }
    // Columns (indices) that had NaN in fit: the indicator's features (scikit-learn's indicator_.features_).
    const std::vector<std::uint64_t>& indicator_features() const { this->require_fitted(); return missing_features_; }

    Eigen::Index n_features_out() const {
        return static_cast<Eigen::Index>(kept_.size() + (params_.add_indicator ? missing_features_.size() : 0));
    }

    Matrix<T> inverse_transform(const detail::MatrixRef<T>& Y) const {
        this->require_fitted();
        if (!params_.add_indicator)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "inverse_transform needs the missing indicator",
                                            .fix = "construct the imputer with add_indicator = true",
                                            .column = "add_indicator"});
        if (Y.cols() != n_features_out())
            detail::fail<SchemaError>({.component = component_name,
                                       .problem = "inverse_transform got " + std::to_string(Y.cols()) +
                                                  " columns, transform makes " + std::to_string(n_features_out()),
                                       .fix = "pass the output of transform"});
        const auto n = static_cast<Eigen::Index>(statistics_.size());
        Matrix<T> X = Matrix<T>::Constant(Y.rows(), n, std::numeric_limits<T>::quiet_NaN());
        for (std::size_t k = 0; k < kept_.size(); ++k) X.col(static_cast<Eigen::Index>(kept_[k])) = Y.col(static_cast<Eigen::Index>(k));
        for (std::size_t f = 0; f < missing_features_.size(); ++f) {
            const auto ind = Y.col(static_cast<Eigen::Index>(kept_.size() + f));
            auto col = X.col(static_cast<Eigen::Index>(missing_features_[f]));
            for (Eigen::Index i = 0; i < Y.rows(); ++i)
                if (ind[i] != T(0)) col[i] = std::numeric_limits<T>::quiet_NaN();
        }
        return X;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.strategy));
        w.f64(params_.fill_value);
        w.boolean(params_.add_indicator);
        w.boolean(params_.keep_empty_features);
        w.f64s(statistics_);
        w.u64s(missing_features_);
    }
    static SimpleImputer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        SimpleImputer s;
        s.load_base(r);
        s.params_.columns = r.strs();
        const auto strategy = r.u8();
        if (strategy > static_cast<std::uint8_t>(ImputeStrategy::constant)) r.fail("SimpleImputer strategy is unknown");
        s.params_.strategy = static_cast<ImputeStrategy>(strategy);
        s.params_.fill_value = r.f64();
        s.params_.add_indicator = r.boolean();
        s.params_.keep_empty_features = r.boolean();
        s.statistics_ = r.f64s();
        s.missing_features_ = r.u64s();
        const std::size_t n = s.is_fitted() ? s.feature_names_in().size() : 0;
        if (s.statistics_.size() != n) r.fail("SimpleImputer statistics do not match its feature names");
        for (std::size_t i = 0; i < s.missing_features_.size(); ++i)
            if (s.missing_features_[i] >= n || (i > 0 && s.missing_features_[i - 1] >= s.missing_features_[i]))
                r.fail("SimpleImputer indicator features are not ascending column indices");
        s.derive();
        return s;
    }

private:
    static void validate(const Params& p) {
        if (static_cast<std::uint8_t>(p.strategy) > static_cast<std::uint8_t>(ImputeStrategy::constant))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "strategy must be mean, median, most_frequent or constant",
                                            .fix = "use strategy = mean, median, most_frequent or constant",
                                            .column = "strategy"});
        if (p.strategy == ImputeStrategy::constant && std::isnan(p.fill_value))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "fill_value is NaN, so nothing would be imputed",
                                            .fix = "pass a number",
                                            .column = "fill_value"});
    }

    // What the accumulator keeps besides the moments.
    detail::KeepValues keeps() const {
        if (params_.strategy == ImputeStrategy::median) return detail::KeepValues::values;
        if (params_.strategy == ImputeStrategy::most_frequent) return detail::KeepValues::counts;
        return detail::KeepValues::none;
    }

    void check_accumulator(const Accumulator& acc) const {
        if (acc.keeps() != keeps())
            detail::accumulator_settings_differ(component_name, "strategy");
    }

    void fit_accumulator(const Accumulator& acc) {
        const auto& m = acc.moments();
        fit_statistics(static_cast<std::size_t>(m.cols()), [&](std::size_t j) {
            const auto jj = static_cast<Eigen::Index>(j);
            const bool empty = m.count(jj) == 0;
            switch (params_.strategy) {
                case ImputeStrategy::mean: return Column{m.nan_count(jj), empty, empty ? 0.0 : m.mean(jj)};
                case ImputeStrategy::median:
                    return Column{m.nan_count(jj), empty, detail::numpy_median_sorted<T>(acc.values().col(j).sorted())};
                case ImputeStrategy::most_frequent:
                    return Column{m.nan_count(jj), empty, acc.counts().col(j).most_frequent()};
                case ImputeStrategy::constant: break;
            }
            return Column{m.nan_count(jj), empty, static_cast<double>(static_cast<T>(params_.fill_value))};
        });
    }

    // The median reads one or two ranks per column: fit(X) selects them in memory,
    // fit(ChunkSource) by multi-pass selection (numeric_component.hpp). The other
    // strategies fit their accumulator (on threads with FitOptions).
    bool ranks_suffice() const { return params_.strategy == ImputeStrategy::median; }
    void source_ranks(std::uint64_t /*rows*/, std::size_t n, std::vector<std::size_t>& ranks) const {
        detail::median_ranks(n, ranks);
    }
    void fit_ranked(const detail::RankedColumns& c) {
        fit_statistics(c.cols(), [&](std::size_t j) {
            const double median = detail::numpy_median_at<T>(c.count(j), [&](std::size_t r) { return c.at(j, r); });
            return Column{c.nan_count(j), c.count(j) == 0, median};
        });
    }

    struct Column {
        std::uint64_t nan_count;
        bool empty;  // no non-NaN value
        double statistic;
    };
    // The state from each column's NaN count, emptiness and statistic (column_of(j)).
    template <class ColumnOf>
    void fit_statistics(std::size_t n, ColumnOf&& column_of) {
        statistics_.assign(n, 0.0);
        missing_features_.clear();
        for (std::size_t j = 0; j < n; ++j) {
            const Column c = column_of(j);
            if (c.nan_count > 0) missing_features_.push_back(j);
            double s = c.statistic;
            if (c.empty && params_.strategy != ImputeStrategy::constant)
                s = params_.keep_empty_features ? 0.0 : std::numeric_limits<double>::quiet_NaN();
            statistics_[j] = s;
        }
        derive();
    }

    // Output columns, from the statistics (scikit-learn drops NaN statistics in transform).
    void derive() {
        kept_.clear();
        const bool keep_all = params_.strategy == ImputeStrategy::constant || params_.keep_empty_features;
        for (std::size_t j = 0; j < statistics_.size(); ++j)
            if (keep_all || !std::isnan(statistics_[j])) kept_.push_back(j);
    }

    std::vector<std::string> names_out(const std::vector<std::string>& in) const {
        std::vector<std::string> out;
        for (std::size_t j : kept_) out.push_back(in[j]);
        if (params_.add_indicator)
            for (std::uint64_t j : missing_features_) out.push_back("missingindicator_" + in[static_cast<std::size_t>(j)]);
        return out;
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        const Eigen::Index rows = X.rows();
        for (std::size_t k = 0; k < kept_.size(); ++k) {
            const T s = static_cast<T>(statistics_[kept_[k]]);
            const T* x = X.col(static_cast<Eigen::Index>(kept_[k])).data();
            T* y = out.col(static_cast<Eigen::Index>(k)).data();
            const Eigen::Index xs = X.innerStride(), ys = out.innerStride();
            for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = std::isnan(x[i * xs]) ? s : x[i * xs];
        }
        if (!params_.add_indicator) return;
        for (std::size_t f = 0; f < missing_features_.size(); ++f) {
            const T* x = X.col(static_cast<Eigen::Index>(missing_features_[f])).data();
            T* y = out.col(static_cast<Eigen::Index>(kept_.size() + f)).data();
            const Eigen::Index xs = X.innerStride(), ys = out.innerStride();
            for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = std::isnan(x[i * xs]) ? T(1) : T(0);
        }
    }

    Params params_;
    std::vector<double> statistics_;
    std::vector<std::uint64_t> missing_features_;
    std::vector<std::size_t> kept_;  // derived from statistics_ and params_
};

}  // namespace reprep
