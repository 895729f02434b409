// reprep::detail::psi — the Population Stability Index of two share vectors, one
// definition for the live-data monitor (compose/monitor.hpp, docs/monitoring.md) and the
// feature selector DropHighPSIFeatures (select/drop_high_psi_features.hpp). It lives in
// core because select/ may not include compose/.
//
//   PSI = sum over bins b of (q'_b - p'_b) * ln(q'_b / p'_b),   x' = max(x, floor)
//
// p are the reference (training, basis) shares, q the compared (live, test) ones, bins
// in the same order. Each term is rounded as written, ln is dmath::log (the same bits on
// every platform), and the terms are summed exactly (ExactSum), so the value does not
// depend on the order of the bins. A bin empty on both sides contributes exactly 0.
//
// The floor replaces every share below it, empty bins (0) included; feature-engine's
// min_pct_empty_bins replaces only empty bins (docs/components.md, DropHighPSIFeatures).
// With floor = 0 an empty bin on one side gives an infinite term, and on both sides NaN
// (0 * ln(0/0)), as IEEE arithmetic says.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>

#include "dmath.hpp"
#include "exact_sum.hpp"

namespace reprep::detail {

// The monitor's floor (docs/monitoring.md) and feature-engine's min_pct_empty_bins default.
inline constexpr double default_psi_floor = 1e-4;

// p and q must have one entry per bin each (the shorter length is used).
inline double psi(std::span<const double> p, std::span<const double> q, double floor = default_psi_floor) {
    ExactSum sum;
    const std::size_t n = std::min(p.size(), q.size());
    for (std::size_t b = 0; b < n; ++b) {
        const double pb = std::max(p[b], floor), qb = std::max(q[b], floor);
        sum.add((qb - pb) * dmath::log(qb / pb));
    }
    return sum.value();
}

}  // namespace reprep::detail
