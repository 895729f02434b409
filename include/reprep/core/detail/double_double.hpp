// Error-free transformations and double-double arithmetic, shared by ExactSum's
// finalisation, the moments and dmath. Everything here uses only IEEE basic
// operations and std::fma, so results are the same bits on every platform, and every
// product is rounded explicitly (no_fuse below), so that holds even in a translation
// unit compiled with -ffp-contract=fast.
#pragma once

#include <cmath>

namespace reprep::detail {

// ---- Contraction barrier -------------------------------------------------------------
// A compiler allowed to contract (-ffp-contract=fast, which is GCC's default outside ISO
// mode; clang's default -ffp-contract=on within one expression; both only when the target
// has FMA, e.g. -march=native, -mfma, aarch64, s390x) may turn a*b + c into one fused
// multiply-add, which rounds once where the formula rounds twice: other bits. GCC has no
// per-function control over contraction, clang's -ffp-contract=fast ignores its pragma,
// and the reprep target's -ffp-contract=off reaches only units that link it. So every
// product in the dmath kernels and here goes through no_fuse: an empty asm statement that
// claims to change the value in its register. No compiler can see through it, so none
// can fuse the product into an addition, whatever the flags; it emits no instruction, so
// an uncontracted build runs exactly the code it ran before. (tests/dmath/
// test_contraction*.cpp check the bits; docs/dmath.md says what is guaranteed.)
[[gnu::always_inline]] inline double no_fuse(double x) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && defined(__SSE2_MATH__)
    __asm__("" : "+x"(x));  // GCC and Clang: an SSE register
#elif defined(__GNUC__) && defined(__aarch64__)
    __asm__("" : "+w"(x));  // a SIMD/FP register
#elif defined(__GNUC__) && defined(__s390x__)
    __asm__("" : "+f"(x));  // a floating-point register
#elif defined(__GNUC__)
    __asm__("" : "+m"(x));  // other targets: through memory (a store and a load)
#else
    volatile double v = x;  // other compilers (outside the tested matrix)
    x = v;
#endif
    return x;
}

// a * b rounded to double, never fused into a following addition.
[[gnu::always_inline]] inline double mul_rn(double a, double b) { return no_fuse(a * b); }

// s + e == a + b exactly (Knuth's TwoSum; no precondition on magnitudes).
struct DD {
    double hi = 0.0;
    double lo = 0.0;
};

inline DD two_sum(double a, double b) {
    const double s = a + b;
    const double bb = s - a;
    const double e = (a - (s - bb)) + (b - bb);
    return {s, e};
}

// s + e == a + b exactly, given |a| >= |b| or a == 0 (Dekker's FastTwoSum).
inline DD fast_two_sum(double a, double b) {
    const double s = a + b;
    const double e = b - (s - a);
    return {s, e};
}

// p + e == a * b exactly (barring overflow/underflow), through one fma.
inline DD two_prod(double a, double b) {
    const double p = mul_rn(a, b);
    const double e = std::fma(a, b, -p);
    return {p, e};
}

inline DD dd_add(DD a, DD b) {
    DD s = two_sum(a.hi, b.hi);
    DD t = two_sum(a.lo, b.lo);
    s.lo += t.hi;
    s = fast_two_sum(s.hi, s.lo);
    s.lo += t.lo;
    return fast_two_sum(s.hi, s.lo);
}

inline DD dd_mul(DD a, DD b) {
    DD p = two_prod(a.hi, b.hi);
    p.lo += mul_rn(a.hi, b.lo) + mul_rn(a.lo, b.hi);
    return fast_two_sum(p.hi, p.lo);
}

inline DD dd_mul_d(DD a, double b) {
    DD p = two_prod(a.hi, b);
    p.lo += mul_rn(a.lo, b);
    return fast_two_sum(p.hi, p.lo);
}

inline DD dd_div(DD a, DD b) {
    const double q1 = a.hi / b.hi;
    DD r = dd_add(a, dd_mul_d(b, -q1));
    const double q2 = r.hi / b.hi;
    r = dd_add(r, dd_mul_d(b, -q2));
    const double q3 = r.hi / b.hi;
    DD q = fast_two_sum(q1, q2);
    return dd_add(q, DD{q3, 0.0});
}

}  // namespace reprep::detail
