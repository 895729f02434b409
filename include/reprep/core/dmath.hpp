// reprep::dmath: deterministic elementary functions (docs/design.md, "Deterministic elementary functions").
//
// Written with IEEE basic operations (+ - * / sqrt) and std::fma where the algorithm
// is designed around it, so every compiler, flag set and CPU gives the same bits.
// Accuracy is checked against MPFR (tests/dmath). Use these, never std::log/std::exp,
// wherever a value enters a fitted state or a transform output.
#pragma once

#include "detail/dmath_explog.hpp"  // exp, expm1, log, log1p, pow
#include "detail/dmath_trig.hpp"    // sin, cos
#include "detail/dmath_erf.hpp"     // erf, erfc, norm_ppf (inverse normal CDF)
