// Run-time choice of the vector width of the exact kernels, so that a program built for
// the baseline ISA still uses AVX2 or AVX-512 when the CPU it runs on has them. The
// kernels that dispatch here: ExactSum's grid sums (exact_sum_kernel.hpp), the exact
// moments (exact_sum_moments.hpp), the affine column kernels of the scalers
// (affine_kernel.hpp), Normalizer's row sums and division (row_norm_kernel.hpp, where
// each lane is one row's own scalar sequence) and dmath's block log, pow and sin+cos
// (dmath_block.hpp, used by LogTransformer, PowerTransformer and CyclicalFeatures).
//
// Why it cannot change a bit: every sum these kernels form lies on a grid where any
// order and any lane split is exact (exact_sum_kernel.hpp), the other lane-wise results
// are a maximum or a test for zero, and min/max ties between -0.0 and +0.0 are settled
// by a rescan of the block. So the width changes how fast, never what. The wide
// versions are the same template body as the SSE2 one (`Lanes<W>`), compiled under a
// `target` attribute; tests/core/test_isa_dispatch.cpp runs each path the host has on
// the same inputs, and the repro matrix runs the probe under every forced path.
//
// Contraction. A `target("avx512f")` function may use FMA (AVX-512F implies it), and a
// unit built with -ffp-contract=fast (GCC's default outside ISO mode) would then fuse a
// product into a sum inside the wide kernel, where the baseline code has no FMA to fuse
// with and the unit's contraction probe (fp_env.hpp) sees nothing. GCC takes
// optimize("fp-contract=off") on the wide functions; Clang honours no pragma under
// -ffp-contract=fast, so with Clang a kernel that multiplies (the moments) stops at AVX2,
// whose target has no FMA. ExactSum's grid kernel only adds, so no flag can fuse it.
// dmath's block functions put every product behind an asm barrier (the vector no_fuse),
// which GCC honours at every width; Clang accepts the 256/512-bit barrier only in a unit
// built with AVX/AVX-512, so with Clang they too stop at AVX2 (dmath_block.hpp).
//
// Choosing a path: REPREP_MAX_ISA=baseline|avx2|avx512 in the environment (read once) or
// reprep::set_max_kernel_isa() cap it; reprep::kernel_isa() says which one runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define REPREP_ISA_DISPATCH 1
#if defined(__clang__)
#define REPREP_WIDE_NO_CONTRACT
#define REPREP_WIDE_MULTIPLY_AVX512 0
#else
#define REPREP_WIDE_NO_CONTRACT __attribute__((optimize("fp-contract=off")))
#define REPREP_WIDE_MULTIPLY_AVX512 1
#endif
#define REPREP_TARGET_AVX2 __attribute__((target("avx2"))) REPREP_WIDE_NO_CONTRACT
#define REPREP_TARGET_AVX512 __attribute__((target("avx512f"))) REPREP_WIDE_NO_CONTRACT
#endif

namespace reprep {

// The vector paths of the exact kernels, narrowest first.
enum class KernelIsa : std::uint8_t { baseline = 0, avx2 = 1, avx512 = 2 };

inline const char* to_string(KernelIsa i) {
    switch (i) {
        case KernelIsa::avx2: return "avx2";
        case KernelIsa::avx512: return "avx512";
        default: return "baseline";
    }
}

namespace detail {

#if defined(__GNUC__) || defined(__clang__)
// Lanes of W doubles (and of W 64-bit integers, for masks) as GCC/Clang generic vectors.
// A double x goes to every lane as `x - V{}`: x − (+0) is x for every x, −0.0 included,
// where `V{} + x` would turn −0.0 into +0.0 (a −0.0 divisor then gives the other infinity).
template <int W>
struct Lanes {
    typedef double V __attribute__((vector_size(8 * W)));
    typedef std::int64_t I __attribute__((vector_size(8 * W)));
};
#endif

// What this CPU (and its operating system: the builtins check that the OS saves the
// wide registers) can run.
inline KernelIsa host_kernel_isa() {
#ifdef REPREP_ISA_DISPATCH
    static const KernelIsa host = [] {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) return KernelIsa::avx512;
        if (__builtin_cpu_supports("avx2")) return KernelIsa::avx2;
        return KernelIsa::baseline;
    }();
    return host;
#else
    return KernelIsa::baseline;
#endif
}

// The cap from REPREP_MAX_ISA (an unknown value caps nothing), then set_max_kernel_isa.
inline std::atomic<int>& kernel_isa_cap() {
    static std::atomic<int> cap = [] {
        const char* v = std::getenv("REPREP_MAX_ISA");
        if (v && std::strcmp(v, "baseline") == 0) return 0;
        if (v && std::strcmp(v, "avx2") == 0) return 1;
        return 2;
    }();
    return cap;
}

inline KernelIsa active_kernel_isa() {
    const int host = static_cast<int>(host_kernel_isa());
    const int cap = kernel_isa_cap().load(std::memory_order_relaxed);
    return static_cast<KernelIsa>(host < cap ? host : cap);
}

}  // namespace detail

// The widest path the exact kernels take on this CPU, under the cap.
inline KernelIsa kernel_isa() { return detail::active_kernel_isa(); }

// Caps the exact kernels' path for the whole program (tests, the repro matrix, or a
// user who wants to compare): the results are the same bits on every path.
inline void set_max_kernel_isa(KernelIsa cap) {
    detail::kernel_isa_cap().store(static_cast<int>(cap), std::memory_order_relaxed);
}

}  // namespace reprep
