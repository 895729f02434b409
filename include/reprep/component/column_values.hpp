// Per-column exact value stores and numpy's median/percentile arithmetic, shared by the
// quantile-based numeric components (RobustScaler, SimpleImputer, EndTailImputer).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/numpy_ports.hpp"
#include "../core/quantile.hpp"
#include "numeric_component.hpp"

namespace reprep {

namespace detail {
// The most frequent of sorted non-NaN values; ties go to the smallest value (as
// scipy.stats.mode). -0.0 and +0.0 count as one value (they compare equal, as in
// numpy), reported with the sign of the first in sorted order. NaN when empty.
inline double most_frequent_sorted(std::span<const double> s) {
    double best = std::numeric_limits<double>::quiet_NaN();
    std::size_t best_count = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t k = i + 1;
        while (k < s.size() && s[k] == s[i]) ++k;
        if (k - i > best_count) {
            best_count = k - i;
            best = s[i];
        }
        i = k;
    }
    return best;
}

// One ValueAccumulator per column, with a width check on every chunk.
template <class T>
class ColumnValues {
public:
    void update(const MatrixRef<T>& X, const char* component) {
        if (cols_.empty()) cols_.resize(static_cast<std::size_t>(X.cols()));
        check_width(static_cast<std::size_t>(X.cols()), component);
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            cols_[static_cast<std::size_t>(j)].update(std::span<const T>(X.col(j).data(), static_cast<std::size_t>(X.rows())));
    }
    void merge(const ColumnValues& o, const char* component) {
        if (o.cols_.empty()) return;
        if (cols_.empty()) cols_.resize(o.cols_.size());
        check_width(o.cols_.size(), component);
        for (std::size_t j = 0; j < cols_.size(); ++j) cols_[j].merge(o.cols_[j]);
    }
    std::size_t cols() const { return cols_.size(); }
    const ValueAccumulator& col(std::size_t j) const { return cols_[j]; }
    void save(ArchiveWriter& w) const {
        w.size(cols_.size());
        for (const auto& c : cols_) c.save(w);
    }
    static ColumnValues load(ArchiveReader& r) {
        ColumnValues v;
        const std::size_t n = r.size(8);
        v.cols_.reserve(n);
        for (std::size_t j = 0; j < n; ++j) v.cols_.push_back(ValueAccumulator::load(r));
        return v;
    }
    friend bool operator==(const ColumnValues&, const ColumnValues&) = default;

private:
    void check_width(std::size_t n, const char* component) const {
        if (n != cols_.size())
            fail<SchemaError>({.component = component,
                               .problem = "a chunk has " + std::to_string(n) + " columns, earlier chunks had " +
                                          std::to_string(cols_.size()),
                               .fix = "give every chunk the same columns"});
    }
    std::vector<ValueAccumulator> cols_;
};
}  // namespace detail

}  // namespace reprep
