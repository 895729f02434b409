// The input checks every numeric component runs (NumericComponent, its accumulators):
// the matrix reference types, the default feature names x0, x1, ..., and the NaN/Inf
// rule with its vectorised pre-pass and an error that names column and row. Part of
// numeric_component.hpp, which includes it; a separate file only so that each header
// stays short enough to read.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../core/error.hpp"
#include "../core/matrix.hpp"
#include "../core/detail/exact_sum_kernel.hpp"  // the generic vector types (v2d)

namespace reprep::detail {

template <class T>
using MatrixRef = Eigen::Ref<const Matrix<T>>;
template <class T>
using OutRef = Eigen::Ref<Matrix<T>>;

// Default feature names for matrix input, as scikit-learn's get_feature_names_out: x0, x1, ...
inline std::vector<std::string> default_names(Eigen::Index n) {
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(n));
    for (Eigen::Index j = 0; j < n; ++j) {
        // Built by append: "x" + std::to_string(j) trips GCC 12's false -Wrestrict when inlined.
        std::string name = "x";
        name += std::to_string(j);
        names.push_back(std::move(name));
    }
    return names;
}

#ifdef REPREP_HAVE_VECTOR_EXT
// The vector part of any_forbidden for doubles, W lanes and two chains; returns how many
// values it looked at (a multiple of 2W) and sets `bad` if one of them is forbidden. Only
// comparisons: no arithmetic whose bits could depend on the width.
template <int W>
[[gnu::always_inline]] inline std::size_t forbidden_lanes(const double* p, std::size_t n, bool allow_nan,
                                                          bool allow_inf, bool& bad) {
    using V = typename Lanes<W>::V;
    using I = typename Lanes<W>::I;
    const I mask = I{} + 0x7FFFFFFFFFFFFFFF;
    const V vinf = std::numeric_limits<double>::infinity() - V{}, vmax = std::numeric_limits<double>::max() - V{};
    I f0 = {}, f1 = {};
    std::size_t i = 0;
    const std::size_t nv = n - n % (2 * W);
    for (; i < nv; i += 2 * W) {
        V a, b;
        std::memcpy(&a, p + i, sizeof a);
        std::memcpy(&b, p + i + W, sizeof b);
        const V ua = reinterpret_cast<V>(reinterpret_cast<I>(a) & mask), ub = reinterpret_cast<V>(reinterpret_cast<I>(b) & mask);
        if (allow_nan) {  // only ±Inf is forbidden
            f0 |= ua == vinf;
            f1 |= ub == vinf;
        } else if (allow_inf) {  // only NaN
            f0 |= a != a;
            f1 |= b != b;
        } else {  // NaN and ±Inf both fail |x| <= max
            f0 |= ~(ua <= vmax);
            f1 |= ~(ub <= vmax);
        }
    }
    f0 |= f1;
    for (int j = 0; j < W; ++j) bad |= f0[j] != 0;
    return i;
}
#endif

#ifdef REPREP_ISA_DISPATCH
REPREP_TARGET_AVX2 inline std::size_t forbidden_avx2(const double* p, std::size_t n, bool allow_nan, bool allow_inf,
                                                     bool& bad) {
    return forbidden_lanes<4>(p, n, allow_nan, allow_inf, bad);
}
REPREP_TARGET_AVX512 inline std::size_t forbidden_avx512(const double* p, std::size_t n, bool allow_nan,
                                                         bool allow_inf, bool& bad) {
    return forbidden_lanes<8>(p, n, allow_nan, allow_inf, bad);
}
#endif

// Whether p[0..n) holds a value that the rule forbids: ±Inf when only NaN is allowed,
// NaN when only ±Inf is, either when neither is. check_finite's pre-pass over every
// fit and transform input, so it runs in generic vectors (GCC does not vectorise these
// boolean reductions by itself); a hit only sends the column to the exact scan.
// Doubles take the widest vectors the CPU has (isa.hpp).
template <class T>
bool any_forbidden(const T* p, std::size_t n, bool allow_nan, bool allow_inf) {
    constexpr T inf = std::numeric_limits<T>::infinity();
    std::size_t i = 0;
    bool bad = false;
#ifdef REPREP_HAVE_VECTOR_EXT
    if constexpr (std::is_same_v<T, double>) {
#ifdef REPREP_ISA_DISPATCH
        // A row's few values (the single-row path checks every step's input) stay inline:
        // a call into a wide clone costs more than it saves below a few vectors.
        if (n < 64) i = forbidden_lanes<2>(p, n, allow_nan, allow_inf, bad);
        else switch (active_kernel_isa()) {
            case KernelIsa::avx512: i = forbidden_avx512(p, n, allow_nan, allow_inf, bad); break;
            case KernelIsa::avx2: i = forbidden_avx2(p, n, allow_nan, allow_inf, bad); break;
            default: i = forbidden_lanes<2>(p, n, allow_nan, allow_inf, bad); break;
        }
#else
        i = forbidden_lanes<2>(p, n, allow_nan, allow_inf, bad);
#endif
    }
#endif
    if (allow_nan)
        for (; i < n; ++i) bad |= std::abs(p[i]) == inf;
    else if (allow_inf)
        for (; i < n; ++i) bad |= p[i] != p[i];
    else
        for (; i < n; ++i) bad |= !std::isfinite(p[i]);
    return bad;
}

// Finds the first value of X that breaks the component's NaN/Inf rule, in column-major
// order (column first, then row), so the error names the same cell on every platform.
template <class T>
// `component` is a view: the single-row path calls this once per step per row, and a
// std::string parameter would allocate for names longer than the small-string buffer.
void check_finite(const MatrixRef<T>& X, bool allow_nan, bool allow_inf, std::string_view component,
                  const std::vector<std::string>& names, const char* phase) {
    if (allow_nan && allow_inf) return;
    // Contiguous values (a record on the single-row path, a whole column-major matrix)
    // are passed once: a record's columns one call each cost more than the look itself.
    // Only a clean pass returns here; a hit goes on to the loop, which names the cell.
    if (X.outerStride() == X.rows() &&
        !any_forbidden(X.data(), static_cast<std::size_t>(X.rows() * X.cols()), allow_nan, allow_inf))
        return;
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        const T* col = X.col(j).data();
        // One vectorised pass looks only for what is forbidden, so that allowed NaNs
        // (an imputer's input) do not send the column down the slow path below.
        if (!any_forbidden(col, static_cast<std::size_t>(X.rows()), allow_nan, allow_inf)) continue;
        for (Eigen::Index i = 0; i < X.rows(); ++i) {
            const T x = col[i];
            const bool is_nan = std::isnan(x);
            if ((is_nan && !allow_nan) || (!is_nan && std::isinf(x) && !allow_inf))
                fail<InvalidInput>({.component = std::string(component),
                                    .problem = std::string(is_nan ? "NaN" : "an infinite value") + " in " + phase +
                                               " input is not allowed here",
                                    .fix = is_nan ? "impute missing values first (e.g. SimpleImputer)"
                                                  : "remove or cap infinite values first (e.g. ArbitraryOutlierCapper)",
                                    .column = j < static_cast<Eigen::Index>(names.size()) ? names[static_cast<std::size_t>(j)]
                                                                                          : std::to_string(j),
                                    .row = static_cast<std::size_t>(i)});
        }
    }
}

// An accumulator's update(chunk) checks the chunk with the rule fit(X) applies to X, so
// that an infinity (say) is refused the same way on both paths; the row is the chunk's.
template <class Owner, class T>
void check_fit_chunk(const MatrixRef<T>& X) {
    check_finite<T>(X, Owner::allow_nan_in_fit, Owner::allow_inf_in_fit, Owner::component_name,
                    default_names(X.cols()), "fit");
}

}  // namespace reprep::detail
