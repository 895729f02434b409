// The per-column kernels of the affine scalers (StandardScaler, MinMaxScaler,
// MaxAbsScaler, RobustScaler): y = (x - a) / b, x * a + b, x / a or x - a on one column.
//
// Large transforms are memory-bound, not arithmetic-bound (a division costs no more
// than a multiplication there). A plain store loop reads every destination cache line
// before overwriting it (read-for-ownership), a third more memory traffic than memcpy,
// whose large-copy path uses non-temporal stores. So when the output is larger than
// kStreamBytes, double columns are written with SSE2 non-temporal stores. The
// arithmetic is the same IEEE operation per element either way (_mm_sub_pd/_mm_div_pd
// are the scalar operations done two at a time; nothing can be contracted), so the
// bits do not depend on which path ran — the single-row path never streams.
#pragma once

#include <cstdint>
#include <cstddef>
#include <type_traits>

#include <Eigen/Core>

#if defined(__SSE2__) && (defined(__x86_64__) || defined(_M_X64))
#include <emmintrin.h>
#define REPREP_STREAM_STORES 1
#else
#define REPREP_STREAM_STORES 0
#endif

namespace reprep::detail {

enum class AffineOp { sub_div, mul_add, div, sub };

// Above this many output bytes the result would not stay in cache anyway.
inline constexpr std::size_t kStreamBytes = std::size_t{8} << 20;

inline bool stream_output(Eigen::Index rows, Eigen::Index cols, std::size_t elem) {
    return static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols) * elem >= kStreamBytes;
}

template <AffineOp Op, class T>
inline T affine(T x, T a, T b) {
    if constexpr (Op == AffineOp::sub_div) return (x - a) / b;
    else if constexpr (Op == AffineOp::mul_add) return x * a + b;
    else if constexpr (Op == AffineOp::div) return x / a;
    else return x - a;
}

// y[i] = op(x[i]) for i < n, in T. `stream` selects non-temporal stores (double only;
// call stream_fence() once after the last column).
template <AffineOp Op, class T>
void affine_column(const T* x, T* y, Eigen::Index n, T a, T b, bool stream) {
    Eigen::Index i = 0;
#if REPREP_STREAM_STORES
    if constexpr (std::is_same_v<T, double>) {
        if (stream) {
            for (; i < n && (reinterpret_cast<std::uintptr_t>(y + i) & 15u) != 0; ++i) y[i] = affine<Op>(x[i], a, b);
            const __m128d va = _mm_set1_pd(a), vb = _mm_set1_pd(b);
            auto op = [&](__m128d v) {
                if constexpr (Op == AffineOp::sub_div) return _mm_div_pd(_mm_sub_pd(v, va), vb);
                else if constexpr (Op == AffineOp::mul_add) return _mm_add_pd(_mm_mul_pd(v, va), vb);
                else if constexpr (Op == AffineOp::div) return _mm_div_pd(v, va);
                else return _mm_sub_pd(v, va);
            };
            for (; i + 8 <= n; i += 8) {
                const __m128d v0 = _mm_loadu_pd(x + i), v1 = _mm_loadu_pd(x + i + 2);
                const __m128d v2 = _mm_loadu_pd(x + i + 4), v3 = _mm_loadu_pd(x + i + 6);
                _mm_stream_pd(y + i, op(v0));
                _mm_stream_pd(y + i + 2, op(v1));
                _mm_stream_pd(y + i + 4, op(v2));
                _mm_stream_pd(y + i + 6, op(v3));
            }
        }
    }
#else
    (void)stream;
#endif
    for (; i < n; ++i) y[i] = affine<Op>(x[i], a, b);
}

// Orders the non-temporal stores before anything the caller does next.
inline void stream_fence(bool stream) {
#if REPREP_STREAM_STORES
    if (stream) _mm_sfence();
#else
    (void)stream;
#endif
}

}  // namespace reprep::detail
