// Error-free transformations and double-double arithmetic, shared by ExactSum's
// finalisation, the moments and dmath. Everything here uses only IEEE basic
// operations and std::fma, so results are the same bits on every platform
// (given the -ffp-contract=off that the reprep target sets).
#pragma once

#include <cmath>

namespace reprep::detail {

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
    const double p = a * b;
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
    p.lo += a.hi * b.lo + a.lo * b.hi;
    return fast_two_sum(p.hi, p.lo);
}

inline DD dd_mul_d(DD a, double b) {
    DD p = two_prod(a.hi, b);
    p.lo += a.lo * b;
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
