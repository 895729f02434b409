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
//
// Two samples binned by the basis (DropHighPSIFeatures, feature-engine's rule):
//   psi_between(basis, test, bins, strategy, floor)   numbers: edges from the finite basis
//       values, equal_frequency = np.quantile(basis, np.linspace(0, 1, bins + 1)) (pd.qcut),
//       equal_width = np.linspace(min, max, bins + 1) (pd.cut, a constant range widened by
//       0.1% each way); repeated edges dropped, the outer two made -inf and +inf; bins (a, b].
//   psi_between_categories(basis, test, floor)        categories: one bin per category seen.
// Shares are count / values on that side (one IEEE division; 0 on a side with no value).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dmath.hpp"
#include "exact_sum.hpp"
#include "numpy_ports.hpp"
#include "quantile.hpp"

namespace reprep {
// How DropHighPSIFeatures bins a numeric column: feature-engine's two discretisers.
enum class PsiStrategy : std::uint8_t { equal_frequency, equal_width };
}  // namespace reprep

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

inline double psi_between(std::vector<double> basis, std::span<const double> test, std::size_t bins,
                          PsiStrategy strategy, double floor) {
    sort_by_order_key(basis);
    std::vector<double> edges;
    if (strategy == PsiStrategy::equal_frequency) {
        const auto qs = np_linspace(0.0, 1.0, bins + 1);
        for (double q : qs) edges.push_back(quantile_sorted(basis, q));
    } else {
        // pd.cut(x, bins): np.linspace(min, max, bins + 1), a constant range widened by 0.1%
        // each way first (the widening of the lowest edge otherwise is replaced by -inf below).
        double mn = basis.front() + 0.0, mx = basis.back() + 0.0;
        if (mn == mx) {
            mn -= mn != 0.0 ? 0.001 * std::fabs(mn) : 0.001;
            mx += mx != 0.0 ? 0.001 * std::fabs(mx) : 0.001;
        }
        edges = np_linspace(mn, mx, bins + 1);
    }
    // np.unique (pd.cut's duplicates = "drop"); the edges are ascending already.
    edges.erase(std::unique(edges.begin(), edges.end(), [](double a, double b) { return a == b; }), edges.end());
    // The outer edges become -inf and +inf: what remains are the inner ones.
    const std::vector<double> inner(edges.size() > 2 ? edges.begin() + 1 : edges.end(),
                                    edges.size() > 2 ? edges.end() - 1 : edges.end());
    const std::size_t nb = inner.size() + 1;
    auto shares = [&](std::span<const double> x) {
        std::vector<std::uint64_t> count(nb, 0);
        // Bins are (a, b]: the bin of x is how many inner edges lie below it.
        for (double v : x) ++count[searchsorted_left(inner.data(), inner.size(), v)];
        std::vector<double> s(nb, 0.0);
        if (!x.empty())
            for (std::size_t b = 0; b < nb; ++b) s[b] = static_cast<double>(count[b]) / static_cast<double>(x.size());
        return s;
    };
    const auto p = shares(basis), q = shares(test);
    return psi(p, q, floor);
}

inline double psi_between_categories(std::vector<std::string_view> basis, std::vector<std::string_view> test,
                                     double floor) {
    std::sort(basis.begin(), basis.end());
    std::sort(test.begin(), test.end());
    std::vector<double> p, q;
    // Walk both sorted lists by category: one bin per category seen on either side.
    std::size_t a = 0, b = 0;
    while (a < basis.size() || b < test.size()) {
        const bool from_basis = a < basis.size() && (b == test.size() || basis[a] <= test[b]);
        const std::string_view cat = from_basis ? basis[a] : test[b];
        std::size_t na = 0, nb = 0;
        while (a < basis.size() && basis[a] == cat) ++a, ++na;
        while (b < test.size() && test[b] == cat) ++b, ++nb;
        p.push_back(basis.empty() ? 0.0 : static_cast<double>(na) / static_cast<double>(basis.size()));
        q.push_back(test.empty() ? 0.0 : static_cast<double>(nb) / static_cast<double>(test.size()));
    }
    return psi(p, q, floor);
}


}  // namespace reprep::detail
