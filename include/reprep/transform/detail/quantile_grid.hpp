// QuantileTransformer's interpolation, scikit-learn's
//     v = 0.5 * (np.interp(x, q, r) - np.interp(-x, -q[::-1], -r[::-1]))
// from ONE search per value, on tables derived from a column's quantiles q and the
// references r when the transformer is fitted or loaded (never saved).
//
// Why one upper bound is enough. Let up be the first index with x < q[up] (up = 0 when
// x < q[0], up = m when x > q[m-1]), and k = up - 1, the last index with q[k] <= x:
//   x < q[0]          forward r[0], backward -r[0]            -> below = 0.5 * (r[0] - -r[0])
//   x > q[m-1]        forward r[m-1], backward -r[m-1]        -> above = 0.5 * (r[m-1] - -r[m-1])
//   x == q[k]         forward r[k] (k ends the run of quantiles equal to x), backward
//                     -r[s] (s starts that run)              -> tie[k] = 0.5 * (r[k] - -r[s]),
//                     a table: the run's start is known at fit time, no second search
//   q[k] < x < q[k+1] both brackets are k (the backward one mirrored); the backward
//                     slope ((-r[k]) - (-r[k+1])) / ((-q[k]) - (-q[k+1])) is the forward
//                     one bit for bit (a - b and (-b) - (-a) round alike), so it is a
//                     table too, and the two interpolations are
//                     f = s * (x - q[k]) + r[k],  b = s * (q[k+1] - x) - r[k+1]
//                     (the backward (-x) - (-q[k+1]) is q[k+1] - x exactly), with
//                     numpy's NaN fallbacks kept as they are, in a branch never taken
//                     by finite data.
// tests/numerics/test_quantile_search.cpp holds the two-np.interp formula as the
// oracle and compares bits on heavy ties, tiny grids, boundaries, +-0, NaN and Inf.
//
// The search itself starts from a bucket index. The range [q[0], q[m-1]] is cut into
// B equal buckets (B the power of two >= 2m), and bucket(x) = floor((x - q[0]) * B /
// width), clamped to [0, B-1], NaN to B-1. bucket() is non-decreasing in x, so every
// quantile in a lower bucket than x's is <= x, and every one in a higher bucket is > x:
// up lies between start[b] (the quantiles in buckets below b) and start[b] + the
// quantiles in b. A halving search over a window of M (the fullest bucket's count)
// quantiles from start[b], padded with +Inf past the end and clamped to m, finds the
// same up as the search over all m: the same index, so the same bits. For data spread
// like the quantiles, M is 2-4 where m is 100-1000: a few dependent loads instead of
// log2(m). A clumped grid (M close to m) only makes the window as long as the array.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "../../core/detail/block_search.hpp"

namespace reprep::detail {

class QuantileGrid {
public:
    QuantileGrid() = default;
    // q: m >= 1 non-decreasing finite quantiles; r: m references (linspace(0, 1, m)).
    QuantileGrid(const std::vector<double>& q, const std::vector<double>& r) : m_(q.size()) {
        // One padding element past the end, so the interior formula may read q[k+1]
        // and r[k+1] for every k the search yields (its result is then not selected).
        q_.assign(q.begin(), q.end());
        q_.push_back(q.back());
        r_.assign(r.begin(), r.end());
        r_.push_back(r.back());
        slope_.assign(m_, 0.0);
        for (std::size_t k = 0; k + 1 < m_; ++k) slope_[k] = (r_[k + 1] - r_[k]) / (q_[k + 1] - q_[k]);
        tie_.assign(m_, 0.0);
        std::size_t start = 0;
        for (std::size_t k = 0; k < m_; ++k) {
            if (q_[k] != q_[start]) start = k;
            tie_[k] = 0.5 * (r_[k] - -r_[start]);
        }
        below_ = 0.5 * (r_[0] - -r_[0]);
        above_ = 0.5 * (r_[m_ - 1] - -r_[m_ - 1]);
        build_index();
    }

    std::size_t size() const { return m_; }

    // v[k] for x[k], k < count <= search_block; x not NaN (a NaN x yields some value
    // the caller discards).
    void interp_block(const double* x, std::size_t count, double* v) const {
        std::size_t up[search_block];
        if (start_.empty()) {
            upper_bound_block(q_.data(), m_, x, count, up);
        } else {
            std::size_t base[search_block];
            for (std::size_t i = 0; i < count; ++i) base[i] = start_[bucket_of(x[i])];
            upper_bound_window(window_q_.data(), window_, base, x, count, up);
            for (std::size_t i = 0; i < count; ++i) up[i] = std::min(up[i], m_);
        }
        for (std::size_t i = 0; i < count; ++i) v[i] = interp_at(x[i], up[i]);
    }

    // The quantiles searched (m values), for a search across grids (upper_bound_lanes).
    const double* quantiles() const { return q_.data(); }
    // v for x, given up: the first index with x < q[up] (m when none).
    double interp_at(double xi, std::size_t up) const {
        const std::size_t last = m_ - 1;
        const std::size_t k = up - (up > 0);                   // last index with q[k] <= x (0 below)
        const std::size_t j = std::min(k, last - (last > 0));  // interior bracket, in range
        const double s = slope_[j];
        double f = s * (xi - q_[j]) + r_[j];
        double b = s * (q_[j + 1] - xi) - r_[j + 1];
        if (std::isnan(f) || std::isnan(b)) [[unlikely]]
            fallback(xi, j, f, b);
        double out = 0.5 * (f - b);
        out = q_[k] == xi ? tie_[k] : out;
        out = up == 0 ? below_ : out;
        out = xi > q_[last] ? above_ : out;
        return out;
    }

private:
    // The bucket of x (header comment): non-decreasing in x, NaN in the last bucket.
    std::uint32_t bucket_of(double x) const {
        double t = (x - lo_) * scale_;
        t = !(t < last_bucket_) ? last_bucket_ : t;
        t = t > 0.0 ? t : 0.0;
        return static_cast<std::uint32_t>(t);
    }

    // Below 16 quantiles the full search is as short; a zero or overflowing width
    // (one distinct quantile, or quantiles spanning more than the doubles' range) has no
    // usable buckets: with an infinite width the scale is 0, and -Inf * 0 would be a NaN
    // that lands in the last bucket, not the first. Both keep the search over all m.
    void build_index() {
        const double width = q_[m_ - 1] - q_[0];
        std::size_t nb = 1;
        while (nb < 2 * m_) nb <<= 1;
        const double scale = static_cast<double>(nb) / width;
        if (m_ < 16 || !(width > 0.0) || !std::isfinite(width) || !(scale > 0.0) || !std::isfinite(scale)) return;
        lo_ = q_[0];
        scale_ = scale;
        last_bucket_ = static_cast<double>(nb - 1);
        std::vector<std::uint32_t> count(nb, 0);
        for (std::size_t i = 0; i < m_; ++i) ++count[bucket_of(q_[i])];
        start_.resize(nb);
        std::uint32_t below = 0;
        for (std::size_t b = 0; b < nb; ++b) {
            start_[b] = below;
            below += count[b];
            window_ = std::max<std::size_t>(window_, count[b]);
        }
        window_q_.assign(q_.begin(), q_.begin() + static_cast<std::ptrdiff_t>(m_));
        window_q_.resize(m_ + window_, std::numeric_limits<double>::infinity());
    }

    // np.interp's second try when slope * (x - q[j]) + r[j] is NaN, for each direction.
    void fallback(double x, std::size_t j, double& f, double& b) const {
        const double s = slope_[j];
        if (std::isnan(f)) {
            f = s * (x - q_[j + 1]) + r_[j + 1];
            if (std::isnan(f) && r_[j] == r_[j + 1]) f = r_[j];
        }
        if (std::isnan(b)) {
            b = s * (q_[j] - x) - r_[j];
            if (std::isnan(b) && -r_[j + 1] == -r_[j]) b = -r_[j + 1];
        }
    }

    std::size_t m_ = 0;
    std::vector<double> q_, r_, slope_, tie_;
    double below_ = 0, above_ = 0;
    // The bucket index (empty start_: none); window_q_ is q followed by window_ +Inf.
    double lo_ = 0, scale_ = 0, last_bucket_ = 0;
    std::vector<std::uint32_t> start_;
    std::vector<double> window_q_;
    std::size_t window_ = 0;
};

}  // namespace reprep::detail
