// numpy's arithmetic, ported operation for operation so that reprep's fitted numbers
// are numpy's bits: np.linspace, np.interp, np.floor_divide / np.remainder, and
// np.median / np.percentile('linear') of sorted values in a given dtype. One home, so that
// components of different families (transform/, discretise/, scale/, impute/, create/)
// share them without including each other.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "quantile.hpp"

namespace reprep::detail {

// np.linspace(start, stop, num) with endpoint, in numpy 1.24's arithmetic.
inline std::vector<double> np_linspace(double start, double stop, std::size_t num) {
    std::vector<double> y(num);
    if (num == 0) return y;
    const double div = static_cast<double>(num - 1);
    const double delta = stop - start;
    if (num > 1) {
        const double step = delta / div;
        for (std::size_t i = 0; i < num; ++i) {
            const double a = static_cast<double>(i);
            y[i] = (step == 0 ? (a / div) * delta : a * step) + start;
        }
        y[num - 1] = stop;
    } else {
        y[0] = 0.0 * delta + start;
    }
    return y;
}

// np.searchsorted on sorted a[0..n) without data-dependent branches (the halving
// step is a conditional move, so a search costs no mispredictions however the values
// fall): side='right' is std::upper_bound, the first i with x < a[i]; side='left' is
// std::lower_bound, the first i with !(a[i] < x). Each returns exactly the partition
// point std:: returns, for any x (a NaN x: n for right, 0 for left, as std::).
inline std::size_t searchsorted_right(const double* a, std::size_t n, double x) {
    if (n == 0) return 0;
    const double* base = a;
    while (n > 1) {
        const std::size_t half = n / 2;
        base = (x < base[half]) ? base : base + half;
        n -= half;
    }
    return static_cast<std::size_t>(base - a) + ((x < *base) ? 0 : 1);
}
inline std::size_t searchsorted_left(const double* a, std::size_t n, double x) {
    if (n == 0) return 0;
    const double* base = a;
    while (n > 1) {
        const std::size_t half = n / 2;
        base = (base[half] < x) ? base + half : base;
        n -= half;
    }
    return static_cast<std::size_t>(base - a) + ((*base < x) ? 1 : 0);
}

// np.interp(x, xp, fp) for sorted xp without NaN, x not NaN (numpy 1.24's compiled
// kernel), given j: the last index with xp[j] <= x, which is what numpy's guessed binary
// search returns (only read when xp[0] <= x <= xp[n-1]). A caller that already knows j
// (QuantileTransformer finds both of its brackets with one search) skips the search.
inline double np_interp_bracket(double x, const double* xp, const double* fp, std::size_t n, std::size_t j) {
    if (n == 1) return fp[0];
    if (x > xp[n - 1]) return fp[n - 1];
    if (x < xp[0]) return fp[0];
    if (j == n - 1 || xp[j] == x) return fp[j];
    const double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    double r = slope * (x - xp[j]) + fp[j];
    if (std::isnan(r)) {
        r = slope * (x - xp[j + 1]) + fp[j + 1];
        if (std::isnan(r) && fp[j] == fp[j + 1]) r = fp[j];
    }
    return r;
}

// np.interp(x, xp, fp) for sorted xp without NaN, x not NaN.
inline double np_interp(double x, const double* xp, const double* fp, std::size_t n) {
    if (n == 1 || x > xp[n - 1] || x < xp[0]) return np_interp_bracket(x, xp, fp, n, 0);
    const std::size_t j = static_cast<std::size_t>(std::upper_bound(xp, xp + n, x) - xp) - 1;
    return np_interp_bracket(x, xp, fp, n, j);
}

// numpy's median of n sorted non-NaN values in dtype T, where at(r) is the value of
// rank r: the middle one, or the mean of the two middle ones computed as (a + b) / 2
// in T (np.mean of two values). Reads only the ranks median_ranks() names, so at()
// may come from a selection instead of a sort.
template <class T, class At>
double numpy_median_at(std::size_t n, At&& at) {
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    if (n % 2 == 1) return at(n / 2);
    return static_cast<T>(static_cast<T>(at(n / 2 - 1)) + static_cast<T>(at(n / 2))) / T(2);
}
inline void median_ranks(std::size_t n, std::vector<std::size_t>& ranks) {
    if (n == 0) return;
    if (n % 2 == 0) ranks.push_back(n / 2 - 1);
    ranks.push_back(n / 2);
}

// numpy's np.percentile('linear') of n sorted non-NaN values of dtype T (at(r) as
// above): numpy's lerp subtracts in the input dtype, then blends in double. Reads only
// the ranks percentile_ranks() names.
template <class T, class At>
double numpy_percentile_at(std::size_t n, double q, At&& at) {
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    const QuantilePlan p = plan_quantile(n, q, QuantileMethod::linear);
    if (!p.blend) return at(p.lo);
    const double a = at(p.lo), b = at(p.hi);
    const double diff = static_cast<double>(static_cast<T>(b) - static_cast<T>(a));
    if (p.t >= 0.5) return b - diff * (1.0 - p.t);
    return a + diff * p.t;
}
inline void percentile_ranks(std::size_t n, double q, std::vector<std::size_t>& ranks) {
    if (n == 0) return;
    const QuantilePlan p = plan_quantile(n, q, QuantileMethod::linear);
    ranks.push_back(p.lo);
    if (p.blend) ranks.push_back(p.hi);
}

// The same two on values already sorted.
template <class T>
double numpy_median_sorted(std::span<const double> s) {
    return numpy_median_at<T>(s.size(), [&](std::size_t r) { return s[r]; });
}
template <class T>
double numpy_percentile_sorted(std::span<const double> s, double q) {
    return numpy_percentile_at<T>(s.size(), q, [&](std::size_t r) { return s[r]; });
}

// numpy 1.24's npy_divmod for a nonzero finite divisor b: the floor quotient and the
// remainder with b's sign. fmod and floor are exact, so every step is exact or one
// correctly rounded IEEE operation.
template <class T>
T numpy_floordiv(T a, T b) {
    T mod = std::fmod(a, b);
    T div = (a - mod) / b;
    if (mod != T(0)) {
        if ((b < T(0)) != (mod < T(0))) div = div - T(1);
    }
    if (div != T(0)) {
        T f = std::floor(div);
        if (div - f > T(0.5)) f = f + T(1);
        return f;
    }
    return std::copysign(T(0), a / b);
}
template <class T>
T numpy_mod(T a, T b) {
    T mod = std::fmod(a, b);
    if (mod != T(0)) {
        if ((b < T(0)) != (mod < T(0))) mod = mod + b;
        return mod;
    }
    return std::copysign(T(0), b);
}

// np.linspace(start, stop, num) over several columns at once, as scikit-learn calls it
// with arrays of starts and stops, computed in T (numpy's dtype for start and stop
// arrays of T: float32 ones stay float32 until the result is cast) and returned widened
// to double. numpy takes the path (i / div) * delta for EVERY column when the step of
// ANY column is zero, and i * step otherwise. One double column alone is np_linspace.
template <class T = double>
std::vector<std::vector<double>> np_linspace_columns(const std::vector<double>& start, const std::vector<double>& stop,
                                                     std::size_t num) {
    const std::size_t cols = start.size();
    std::vector<std::vector<double>> y(cols, std::vector<double>(num));
    if (num == 0) return y;
    const T div = static_cast<T>(num - 1);
    bool any_step_zero = false;
    if (num > 1)
        for (std::size_t c = 0; c < cols; ++c)
            any_step_zero |= static_cast<T>(static_cast<T>(stop[c]) - static_cast<T>(start[c])) / div == T(0);
    for (std::size_t c = 0; c < cols; ++c) {
        const T s = static_cast<T>(start[c]);
        const T delta = static_cast<T>(stop[c]) - s;
        if (num > 1) {
            const T step = delta / div;
            for (std::size_t i = 0; i < num; ++i) {
                const T a = static_cast<T>(i);
                y[c][i] = static_cast<T>((any_step_zero ? (a / div) * delta : a * step) + s);
            }
            y[c][num - 1] = static_cast<T>(stop[c]);
        } else {
            y[c][0] = static_cast<T>(T(0) * delta + s);
        }
    }
    return y;
}

}  // namespace reprep::detail
