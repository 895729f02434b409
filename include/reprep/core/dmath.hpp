// reprep::dmath: deterministic elementary functions (docs/design.md, "Deterministic elementary functions").
//
// Written with IEEE basic operations (+ - * / sqrt) and std::fma where the algorithm
// is designed around it, with every product rounded explicitly (detail::no_fuse), so no
// compiler may fuse one into an addition whatever -ffp-contract says: the same bits on
// every compiler, optimisation level, -ffp-contract/-march setting and CPU (docs/dmath.md
// says exactly what is guaranteed).
// Accuracy is checked against MPFR (tests/dmath). Use these, never std::log/std::exp,
// wherever a value enters a fitted state or a transform output.
#pragma once

// The compile-time refusals (-ffast-math, -ffinite-math-only, excess precision) apply
// to code that includes dmath alone too.
#include "fp_env.hpp"

#include "detail/dmath_explog.hpp"  // exp, expm1, log, log1p, pow
#include "detail/dmath_trig.hpp"    // sin, cos
#include "detail/dmath_erf.hpp"     // erf, erfc, norm_ppf (inverse normal CDF)
