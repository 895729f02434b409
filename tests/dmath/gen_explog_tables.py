#!/usr/bin/python3
"""Generates the lookup tables of include/reprep/core/detail/dmath_explog.hpp.

Run: /usr/bin/python3 tests/dmath/gen_explog_tables.py > /tmp/tables.inc
and paste the output between the "generated tables" markers of the header.
Uses only the standard library: decimal (60 significant digits) for the
transcendental values, fractions for exact checks of the table's preconditions.
"""
from decimal import Decimal, getcontext
from fractions import Fraction
import struct

getcontext().prec = 60

def dbl(fr):
    """Fraction or Decimal -> nearest double (Python's float() rounds correctly)."""
    if isinstance(fr, Decimal):
        fr = Fraction(fr)
    return fr.numerator / fr.denominator if fr else 0.0

def split2(value):
    """An exact-enough value (Decimal) -> (hi, lo) doubles, hi = RN(v), lo = RN(v - hi)."""
    hi = float(value)
    lo = float(value - Decimal(hi))
    return hi, lo

def bits(d):
    return struct.unpack('<Q', struct.pack('<d', d))[0]

def from_bits(b):
    return struct.unpack('<d', struct.pack('<Q', b))[0]

def round_sig(fr, nbits):
    """Fraction -> nearest value with nbits significant bits (as double, exact)."""
    m, e = __import__('math').frexp(float(fr))
    scale = Fraction(2) ** (nbits - e)
    return float(Fraction(round(fr * scale)) / scale)

LN2 = Decimal(2).ln()
out = []

# ---- exp: 2^(j/128) as hi + lo -------------------------------------------------
N_EXP = 128
out.append("// 2^(j/128) = exp2_hi[j] + exp2_lo[j] (hi correctly rounded, lo the rounded remainder).")
out.append("inline constexpr double kExp2Hi[128] = {")
his, los = [], []
for j in range(N_EXP):
    v = (LN2 * j / N_EXP).exp()
    hi, lo = split2(v)
    his.append(hi); los.append(lo)
for j in range(0, N_EXP, 4):
    out.append("    " + ", ".join(h.hex() for h in his[j:j+4]) + ",")
out.append("};")
out.append("inline constexpr double kExp2Lo[128] = {")
for j in range(0, N_EXP, 4):
    out.append("    " + ", ".join(l.hex() for l in los[j:j+4]) + ",")
out.append("};")

# ln2/128 split so that k * hi is exact for |k| < 2^18.
ln2n = LN2 / N_EXP
hi = float(ln2n)
m, e = __import__('math').frexp(hi)
q = Fraction(2) ** (35 - e)
ln2n_hi = float(Fraction(int(Fraction(ln2n) * q), 1) / q)  # truncated to 35 bits
ln2n_lo = float(ln2n - Decimal(ln2n_hi))
out.append(f"inline constexpr double kLn2By128Hi = {ln2n_hi.hex()};  // 35 significant bits")
out.append(f"inline constexpr double kLn2By128Lo = {ln2n_lo.hex()};")
out.append(f"inline constexpr double k128ByLn2 = {float(N_EXP / LN2).hex()};")

# ln2 split so that k * hi is exact for |k| < 2^11 (log's exponent).
m, e = __import__('math').frexp(float(LN2))
q = Fraction(2) ** (42 - e)
ln2_hi = float(Fraction(int(Fraction(LN2) * q), 1) / q)
ln2_lo = float(LN2 - Decimal(ln2_hi))
out.append(f"inline constexpr double kLn2Hi = {ln2_hi.hex()};  // 42 significant bits")
out.append(f"inline constexpr double kLn2Lo = {ln2_lo.hex()};")

# ---- log: 128 intervals of z in [OFF, 2*OFF) ------------------------------------
# Interval i holds the z whose bit pattern is in [OFF + i*2^45, OFF + (i+1)*2^45).
# OFF puts 1.0 in the middle of its interval, so that interval can use c = 1 exactly
# (log near 1 then has no cancellation against a table value).
ONE = 0x3ff0000000000000
OFF = ONE - (1 << 44) - 74 * (1 << 45)
assert from_bits(OFF) > 0.70 and from_bits(OFF) < 0.72
out.append(f"inline constexpr std::uint64_t kLogOff = 0x{OFF:016x}ULL;  // bits of {from_bits(OFF)!r}")
invcs, lh, ll = [], [], []
max_r = Fraction(0)
for i in range(128):
    lo_b = OFF + i * (1 << 45)
    hi_b = lo_b + (1 << 45) - 1
    zlo, zhi = Fraction(from_bits(lo_b)), Fraction(from_bits(hi_b))
    if lo_b <= ONE <= hi_b:
        invc = 1.0
    else:
        c = (zlo + zhi) / 2
        invc = round_sig(1 / c, 26)  # 26 bits: z*invc splits into two exact products
    # r = z*invc - 1 must stay small over the whole interval.
    for z in (zlo, zhi):
        max_r = max(max_r, abs(z * Fraction(invc) - 1))
    invcs.append(invc)
    logc = -(Decimal(invc).ln()) if invc != 1.0 else Decimal(0)
    # hi is a multiple of 2^-42 like k * kLn2Hi, so k * kLn2Hi + hi is exact (|sum| < 2^11).
    h = float(Fraction(round(Fraction(logc) * 2**42), 2**42))
    l = float(logc - Decimal(h))
    lh.append(h); ll.append(l)
assert max_r <= Fraction(1, 256) * Fraction(1001, 1000), float(max_r)
out.append(f"// max |r| over all intervals: {float(max_r)!r}")
out.append("// 1/c for each interval, 26 significant bits (so z * invc is two exact products).")
out.append("inline constexpr double kLogInvC[128] = {")
for j in range(0, 128, 4):
    out.append("    " + ", ".join(v.hex() for v in invcs[j:j+4]) + ",")
out.append("};")
out.append("// -log(kLogInvC[i]) = kLogCHi[i] + kLogCLo[i], hi on the 2^-42 grid of kLn2Hi.")
out.append("inline constexpr double kLogCHi[128] = {")
for j in range(0, 128, 4):
    out.append("    " + ", ".join(v.hex() for v in lh[j:j+4]) + ",")
out.append("};")
out.append("inline constexpr double kLogCLo[128] = {")
for j in range(0, 128, 4):
    out.append("    " + ", ".join(v.hex() for v in ll[j:j+4]) + ",")
out.append("};")

# Taylor coefficients, correctly rounded.
out.append("// log1p(r) = r - r^2/2 + r^3 * (c3 + c4 r + ... + c9 r^6) + O(r^10)")
out.append("inline constexpr double kLogPoly[7] = {" + ", ".join(
    float(Fraction((-1) ** (n + 1), n)).hex() for n in range(3, 10)) + "};")
out.append("// exp(r) - 1 - r = r^2 * (1/2 + r/6 + r^2/24 + r^3/120 + r^4/720) + O(r^7)")
import math
out.append("inline constexpr double kExpPoly[5] = {" + ", ".join(
    float(Fraction(1, math.factorial(n))).hex() for n in range(2, 7)) + "};")
print("\n".join(out))
