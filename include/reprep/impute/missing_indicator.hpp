// reprep::MissingIndicator — scikit-learn's MissingIndicator (missing = NaN).
//
//   fit:        features_ = the columns with at least one NaN (features = missing_only),
//               or every column (features = all)
//   transform:  y_f = isnan(x_f) ? 1 : 0   for f in features_, named "missingindicator_<name>"
//               (scikit-learn returns bool; here 0/1 in T)
//   error_on_new (missing_only): a NaN in transform in a column that had none in fit raises
//               InvalidInput naming the column and row, before anything is written.
// ±Inf raises InvalidInput in fit and transform (scikit-learn's rule). The Accumulator
// holds NaN counts per column.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../component/accumulator_errors.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

enum class MissingFeatures : std::uint8_t { missing_only, all };

template <class T = double>
class MissingIndicator : public detail::NumericComponent<MissingIndicator<T>, T> {
    using Base = detail::NumericComponent<MissingIndicator<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to watch (empty = all numeric)
        MissingFeatures features = MissingFeatures::missing_only;
        bool error_on_new = true;
    };

    // Mergeable NaN counts (integers, so any order gives the same state).
    class Accumulator {
    public:
        Accumulator() = default;
        void update(const detail::MatrixRef<T>& X) {
            detail::check_fit_chunk<MissingIndicator, T>(X);
            if (nan_counts_.empty()) nan_counts_.assign(static_cast<std::size_t>(X.cols()), 0);
            detail::check_chunk_width(component_name, static_cast<std::size_t>(X.cols()), nan_counts_.size());
            for (Eigen::Index j = 0; j < X.cols(); ++j) {
                std::uint64_t c = 0;
                const T* x = X.col(j).data();
                for (Eigen::Index i = 0; i < X.rows(); ++i) c += std::isnan(x[i]) ? 1u : 0u;
                nan_counts_[static_cast<std::size_t>(j)] += c;
            }
            rows_ += static_cast<std::uint64_t>(X.rows());
        }
        void merge(const Accumulator& other) {
            if (other.nan_counts_.empty()) return;
            if (nan_counts_.empty()) nan_counts_.assign(other.nan_counts_.size(), 0);
            detail::check_chunk_width(component_name, other.nan_counts_.size(), nan_counts_.size());
            for (std::size_t j = 0; j < nan_counts_.size(); ++j) nan_counts_[j] += other.nan_counts_[j];
            rows_ += other.rows_;
        }
        const std::vector<std::uint64_t>& nan_counts() const { return nan_counts_; }
        std::uint64_t rows() const { return rows_; }
        std::size_t cols() const { return nan_counts_.size(); }
        void save(ArchiveWriter& w) const {
            w.u64(rows_);
            w.u64s(nan_counts_);
        }
        static Accumulator load(ArchiveReader& r) {
            Accumulator a;
            a.rows_ = r.u64();
            a.nan_counts_ = r.u64s();
            return a;
        }
        friend bool operator==(const Accumulator&, const Accumulator&) = default;

    private:
        std::vector<std::uint64_t> nan_counts_;
        std::uint64_t rows_ = 0;
    };

    static constexpr const char* component_name = "MissingIndicator";
    static constexpr std::string_view kind_name() { return "missing_indicator"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = false;

    MissingIndicator() = default;
    // A template, so that MissingIndicator({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit MissingIndicator(P p) : params_(std::move(p)) {
        if (static_cast<std::uint8_t>(params_.features) > static_cast<std::uint8_t>(MissingFeatures::all))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "features must be missing_only or all",
                                            .fix = "use features = missing_only or all ('missing-only' or 'all' in Python)",
                                            .column = "features"});
    }

    const Params& params() const { return params_; }

    using Base::fit;
    Accumulator accumulator() const { return Accumulator{}; }

    // The indicated columns (scikit-learn's features_), ascending.
    const std::vector<std::uint64_t>& features() const { this->require_fitted(); return features_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(features_.size()); }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.features));
        w.boolean(params_.error_on_new);
        w.u64s(features_);
    }
    static MissingIndicator load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        MissingIndicator s;
        s.load_base(r);
        s.params_.columns = r.strs();
        const auto f = r.u8();
        if (f > static_cast<std::uint8_t>(MissingFeatures::all)) r.fail("MissingIndicator features is unknown");
        s.params_.features = static_cast<MissingFeatures>(f);
        s.params_.error_on_new = r.boolean();
        s.features_ = r.u64s();
        const std::size_t n = s.is_fitted() ? s.feature_names_in().size() : 0;
        for (std::size_t i = 0; i < s.features_.size(); ++i)
            if (s.features_[i] >= n || (i > 0 && s.features_[i - 1] >= s.features_[i]))
                r.fail("MissingIndicator features are not ascending column indices");
        return s;
    }

private:
    void fit_accumulator(const Accumulator& acc) {
        const auto& nan_counts = acc.nan_counts();
        features_.clear();
        for (std::size_t j = 0; j < nan_counts.size(); ++j)
            if (params_.features == MissingFeatures::all || nan_counts[j] > 0) features_.push_back(j);
    }

    std::vector<std::string> names_out(const std::vector<std::string>& in) const {
        std::vector<std::string> out;
        for (std::uint64_t j : features_) out.push_back("missingindicator_" + in[static_cast<std::size_t>(j)]);
        return out;
    }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        if (params_.error_on_new && params_.features == MissingFeatures::missing_only) check_no_new(X);
        const Eigen::Index rows = X.rows();
        for (std::size_t f = 0; f < features_.size(); ++f) {
            const T* x = X.col(static_cast<Eigen::Index>(features_[f])).data();
            T* y = out.col(static_cast<Eigen::Index>(f)).data();
            const Eigen::Index xs = X.innerStride(), ys = out.innerStride();
            for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = std::isnan(x[i * xs]) ? T(1) : T(0);
        }
    }

    // Columns are scanned in order, then rows, so the error names the same cell everywhere.
    void check_no_new(const detail::MatrixRef<T>& X) const {
        std::size_t next = 0;
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            if (next < features_.size() && features_[next] == static_cast<std::uint64_t>(j)) {
                ++next;
                continue;
            }
            for (Eigen::Index i = 0; i < X.rows(); ++i)
                if (std::isnan(X(i, j)))
                    detail::fail<InvalidInput>({.component = component_name,
                                                .problem = "a missing value in transform in a column that had none in fit",
                                                .fix = "fit on data with missing values in this column, or set "
                                                       "error_on_new = false (or features = all)",
                                                .column = this->feature_names_in()[static_cast<std::size_t>(j)],
                                                .row = static_cast<std::size_t>(i)});
        }
    }

    Params params_;
    std::vector<std::uint64_t> features_;
};

}  // namespace reprep
