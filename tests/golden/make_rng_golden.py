#!/usr/bin/python3
"""Writes tests/golden/rng/streams.txt: reference streams of reprep::Rng.

    /usr/bin/python3 tests/golden/make_rng_golden.py

An independent implementation, in pure Python integer arithmetic, of the published
definitions that reprep::Rng follows (see docs/numerics_quantile_rng.md):
  * SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference splitmix64.c) expands a
    64-bit seed into the four words of xoshiro256** state;
  * xoshiro256** 1.0 (Blackman & Vigna 2018, xoshiro256starstar.c);
  * Lemire's nearly-divisionless bounded integers (ACM TOMACS 2019, Algorithm 5);
  * uniform doubles (x >> 11) * 2^-53;
  * Fisher-Yates (Durstenfeld) shuffles and partial Fisher-Yates sampling;
  * reprep's keyed-stream derivation from (seed, a 128-bit key hash).
  * normal(): Marsaglia's polar method with a correctly rounded log (mpmath, Debian's
    python3-mpmath, at 300 bits, rounded to nearest). reprep uses dmath::log, which
    is correctly rounded on every value written here; the C++ test checks it bit for
    bit. (glibc's log is not: it is off by one ulp on 3 of these 1000 values.)

Line format (one stream per line, integers in decimal, doubles as 16 hex digits):
  <source> <seed> <kind> <p1> <p2> <values...>
source is "seed" (Rng(seed)) or "keyed:<key.high hex>:<key.low hex>" (Rng::keyed).
"""
import math
import os
import struct

import mpmath
from mpmath.libmp import to_float

M64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rng")


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


def correctly_rounded_log(x):
    with mpmath.workprec(300):
        return to_float(mpmath.log(mpmath.mpf(x))._mpf_, rnd="n")


class Rng:
    def __init__(self, seed, key=None):
        x = seed & M64
        s = []
        for _ in range(4):
            x = (x + GAMMA) & M64
            s.append(mix(x))
        if key is not None:
            high, low = key
            s = [mix(s[0] ^ low), mix(s[1] ^ high), mix(s[2] ^ low), mix(s[3] ^ high)]
            if not any(s):
                s[0] = GAMMA
        self.s = s

    def next_u64(self):
        s = self.s
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform_int(self, n):
        assert n > 0
        m = self.next_u64() * n
        lo = m & M64
        if lo < n:
            threshold = ((1 << 64) - n) % n
            while lo < threshold:
                m = self.next_u64() * n
                lo = m & M64
        return m >> 64

    def uniform_bits(self):
        # k * 2^-53 with k < 2^53 is exact in binary64, so Python's float gives the bits.
        k = self.next_u64() >> 11
        return struct.unpack("<Q", struct.pack("<d", k * 2.0 ** -53))[0]

    def normal_bits(self):
        while True:
            u = 2.0 * ((self.next_u64() >> 11) * 2.0 ** -53) - 1.0
            v = 2.0 * ((self.next_u64() >> 11) * 2.0 ** -53) - 1.0
            s = u * u + v * v
            if 0.0 < s < 1.0:
                z = u * math.sqrt((-2.0 * correctly_rounded_log(s)) / s)
                return struct.unpack("<Q", struct.pack("<d", z))[0]

    def shuffle(self, a):
        for i in range(len(a), 1, -1):
            j = self.uniform_int(i)
            a[i - 1], a[j] = a[j], a[i - 1]
        return a

    def sample(self, n, k):
        a = list(range(n))
        out = []
        for i in range(k):
            j = i + self.uniform_int(n - i)
            a[i], a[j] = a[j], a[i]
            out.append(a[i])
        return out


def streams():
    seeds = [0, 1, 42, 0x0123456789ABCDEF, M64]
    int_ns = [1, 2, 3, 6, 7, 10, 1000, (1 << 32) + 1, (1 << 62) + 3, (1 << 63) - 1, 1 << 63, (1 << 63) + 1,
              3 << 62, M64 - 1, M64]
    keys = [(0, 0), (0, 1), (1, 0), (0xDEADBEEFCAFEBABE, 0x0123456789ABCDEF), (M64, M64)]
    lines = []
    for seed in seeds:
        r = Rng(seed)
        lines.append(("seed", seed, "u64", 0, 0, [r.next_u64() for _ in range(40)]))
        for n in int_ns:
            r = Rng(seed)
            lines.append(("seed", seed, "int", n, 0, [r.uniform_int(n) for _ in range(40)]))
        r = Rng(seed)
        lines.append(("seed", seed, "uniform", 0, 0, ["%016x" % r.uniform_bits() for _ in range(40)]))
        r = Rng(seed)
        lines.append(("seed", seed, "normal", 0, 0, ["%016x" % r.normal_bits() for _ in range(200)]))
        r = Rng(seed)
        lines.append(("seed", seed, "shuffle", 10, 0, Rng(seed).shuffle(list(range(10)))))
        r = Rng(seed)
        lines.append(("seed", seed, "shuffle", 1000, 0, r.shuffle(list(range(1000)))))
        for n, k in [(10, 10), (10, 3), (1000, 20), (1000, 1000), (100000, 5), (1, 1), (5, 0)]:
            lines.append(("seed", seed, "sample", n, k, Rng(seed).sample(n, k)))
        # A mixed sequence: the state after each call must match, not only each kind alone.
        r = Rng(seed)
        mixed = []
        for i in range(30):
            mixed.append(r.uniform_int(i + 1))
            mixed.append(r.next_u64())
        lines.append(("seed", seed, "mixed", 0, 0, mixed))
    for seed in (0, 42):
        for high, low in keys:
            src = "keyed:%016x:%016x" % (high, low)
            r = Rng(seed, (high, low))
            lines.append((src, seed, "u64", 0, 0, [r.next_u64() for _ in range(20)]))
            r = Rng(seed, (high, low))
            lines.append((src, seed, "int", 7, 0, [r.uniform_int(7) for _ in range(20)]))
    return lines


def main():
    os.makedirs(OUT, exist_ok=True)
    lines = streams()
    with open(os.path.join(OUT, "streams.txt"), "w") as f:
        f.write("# reprep Rng golden streams: written by tests/golden/make_rng_golden.py (pure Python)\n")
        f.write("# <source> <seed> <kind> <p1> <p2> <values...>\n")
        for src, seed, kind, p1, p2, vals in lines:
            f.write("%s %d %s %d %d %s\n" % (src, seed, kind, p1, p2, " ".join(str(v) for v in vals)))
    print("wrote %d streams to %s" % (len(lines), OUT))


if __name__ == "__main__":
    main()
