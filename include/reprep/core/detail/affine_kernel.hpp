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
// In cache (no streaming), double columns also run 4 or 8 lanes wide on a CPU with AVX2 or
// AVX-512 (isa.hpp): the same IEEE operation per element, so the same bits; x * a + b is
// kept out of a fused multiply-add there as everywhere (isa.hpp, "Contraction").
#pragma once

#include <cstdint>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include <Eigen/Core>

#include "isa.hpp"

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

#if defined(__GNUC__) || defined(__clang__)
// y[i] = op(x[i]) for the first multiple of 4W elements, W lanes at a time, four vectors
// in flight (the divider's throughput, not its latency); returns how many it did.
template <AffineOp Op, int W>
[[gnu::always_inline]] inline Eigen::Index affine_lanes(const double* x, double* y, Eigen::Index n, double a,
                                                        double b) {
    using V = typename Lanes<W>::V;
    const V va = a - V{}, vb = b - V{};
    Eigen::Index i = 0;
    for (; i + 4 * W <= n; i += 4 * W) {
        V v[4];
        std::memcpy(v, x + i, sizeof v);
        for (auto& e : v) {
            if constexpr (Op == AffineOp::sub_div) e = (e - va) / vb;
            else if constexpr (Op == AffineOp::mul_add) e = e * va + vb;
            else if constexpr (Op == AffineOp::div) e = e / va;
            else e = e - va;
        }
        std::memcpy(y + i, v, sizeof v);
    }
    return i;
}
#endif

#ifdef REPREP_ISA_DISPATCH
template <AffineOp Op>
REPREP_TARGET_AVX2 inline Eigen::Index affine_avx2(const double* x, double* y, Eigen::Index n, double a, double b) {
    return affine_lanes<Op, 4>(x, y, n, a, b);
}
template <AffineOp Op>
REPREP_TARGET_AVX512 inline Eigen::Index affine_avx512(const double* x, double* y, Eigen::Index n, double a,
                                                       double b) {
    return affine_lanes<Op, 8>(x, y, n, a, b);
}

// The wide part of an in-cache double column on this CPU (0 on the baseline path).
template <AffineOp Op>
inline Eigen::Index affine_wide(const double* x, double* y, Eigen::Index n, double a, double b) {
    switch (active_kernel_isa()) {
        case KernelIsa::avx512:
            // Clang: AVX-512 implies FMA, which -ffp-contract=fast could use for x * a + b.
            if constexpr (Op != AffineOp::mul_add || REPREP_WIDE_MULTIPLY_AVX512)
                return affine_avx512<Op>(x, y, n, a, b);
            [[fallthrough]];
        case KernelIsa::avx2: return affine_avx2<Op>(x, y, n, a, b);
        default: return 0;
    }
}
#endif

// y[i] = op(x[i]) for i < n, in T. `stream` selects non-temporal stores (double only;
// call stream_fence() once after the last column). Double columns go two lanes at a time
// either way: a scalar loop of divisions runs at the divider's latency (about 2.7 ns a
// value in cache, measured), four independent SSE2 pairs at its throughput.
template <AffineOp Op, class T>
void affine_column(const T* x, T* y, Eigen::Index n, T a, T b, bool stream) {
    // A record's column on the single-row path is one value: the scalar operation, the
    // same bits as any lane, without reading the CPU's path (a third of these columns'
    // time in a ten-step record, measured).
    if (n < 8) {
        for (Eigen::Index i = 0; i < n; ++i) y[i] = affine<Op>(x[i], a, b);
        return;
    }
    Eigen::Index i = 0;
#ifdef REPREP_ISA_DISPATCH
    if constexpr (std::is_same_v<T, double>)
        if (!stream) i = affine_wide<Op>(x, y, n, a, b);
#endif
#if REPREP_STREAM_STORES
    if constexpr (std::is_same_v<T, double>) {
        if (stream)
            for (; i < n && (reinterpret_cast<std::uintptr_t>(y + i) & 15u) != 0; ++i) y[i] = affine<Op>(x[i], a, b);
        const __m128d va = _mm_set1_pd(a), vb = _mm_set1_pd(b);
        auto op = [&](__m128d v) {
            if constexpr (Op == AffineOp::sub_div) return _mm_div_pd(_mm_sub_pd(v, va), vb);
            else if constexpr (Op == AffineOp::mul_add) return _mm_add_pd(_mm_mul_pd(v, va), vb);
            else if constexpr (Op == AffineOp::div) return _mm_div_pd(v, va);
            else return _mm_sub_pd(v, va);
        };
        auto run = [&](auto store) {
            for (; i + 8 <= n; i += 8) {
                const __m128d v0 = _mm_loadu_pd(x + i), v1 = _mm_loadu_pd(x + i + 2);
                const __m128d v2 = _mm_loadu_pd(x + i + 4), v3 = _mm_loadu_pd(x + i + 6);
                store(y + i, op(v0));
                store(y + i + 2, op(v1));
                store(y + i + 4, op(v2));
                store(y + i + 6, op(v3));
            }
        };
        if (stream) run([](double* p, __m128d v) { _mm_stream_pd(p, v); });
        else run([](double* p, __m128d v) { _mm_storeu_pd(p, v); });
    }
#else
    (void)stream;
#endif
    for (; i < n; ++i) y[i] = affine<Op>(x[i], a, b);
}

// The same map on row-major (C-order) data: y[i][j] = op(x[i][j]) with column j's
// constants a[j], b[j], for rows x cols values. Two columns per SSE2 operation, each
// lane the scalar IEEE operation, so every value has the bits affine_column gives it;
// a row-major caller needs no transposed copy. `stream` as above (used only when every
// pair of a row is 16-byte aligned).
template <AffineOp Op>
void affine_rows(const double* x, double* y, Eigen::Index rows, Eigen::Index cols, const double* a, const double* b,
                 bool stream) {
#if REPREP_STREAM_STORES
    stream = stream && cols % 2 == 0 && (reinterpret_cast<std::uintptr_t>(y) & 15u) == 0;
    auto op = [](__m128d v, __m128d va, __m128d vb) {
        if constexpr (Op == AffineOp::sub_div) return _mm_div_pd(_mm_sub_pd(v, va), vb);
        else if constexpr (Op == AffineOp::mul_add) return _mm_add_pd(_mm_mul_pd(v, va), vb);
        else if constexpr (Op == AffineOp::div) return _mm_div_pd(v, va);
        else return _mm_sub_pd(v, va);
    };
    auto run = [&](auto store) {
        for (Eigen::Index i = 0; i < rows; ++i) {
            const double* xr = x + i * cols;
            double* yr = y + i * cols;
            Eigen::Index j = 0;
            for (; j + 2 <= cols; j += 2)
                store(yr + j, op(_mm_loadu_pd(xr + j), _mm_loadu_pd(a + j), _mm_loadu_pd(b + j)));
            for (; j < cols; ++j) yr[j] = affine<Op>(xr[j], a[j], b[j]);
        }
    };
    if (stream) run([](double* p, __m128d v) { _mm_stream_pd(p, v); });
    else run([](double* p, __m128d v) { _mm_storeu_pd(p, v); });
#else
    (void)stream;
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j) y[i * cols + j] = affine<Op>(x[i * cols + j], a[j], b[j]);
#endif
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
