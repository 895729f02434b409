// The capping kernel both outlier components run: every value clipped to its column's
// [lower, upper]. One copy, so that Winsorizer and ArbitraryOutlierCapper cannot drift
// in how they treat NaN (kept: both comparisons are false) or a bound itself (kept).
#pragma once

#include <cstddef>
#include <vector>

#include "../../component/numeric_component.hpp"

namespace reprep::detail {

template <class T>
void clip_columns(const MatrixRef<T>& X, OutRef<T> out, const std::vector<double>& lower,
                  const std::vector<double>& upper) {
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        const double hi = upper[static_cast<std::size_t>(j)], lo = lower[static_cast<std::size_t>(j)];
        for (Eigen::Index i = 0; i < X.rows(); ++i) {
            double y = static_cast<double>(X(i, j));
            y = y > hi ? hi : y;
            y = y < lo ? lo : y;
            out(i, j) = static_cast<T>(y);
        }
    }
}

}  // namespace reprep::detail
