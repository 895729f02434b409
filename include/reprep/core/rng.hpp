// Portable, seeded randomness (docs/design.md, "Portable randomness").
//
// The same seed gives the same stream on every compiler, standard library and CPU,
// because every step is integer arithmetic written out here (no std::*_distribution,
// std::shuffle or std::random_device, whose outputs differ between libraries):
//
//   Rng(seed)                  SplitMix64(seed) -> four words of xoshiro256** state
//   Rng::keyed(seed, key)      a stream that depends only on (seed, XXH3-128(key));
//                              per-row randomness uses the row's canonical bytes as
//                              key, so a row gets the same draw in any batch
//   next_u64                   xoshiro256** (Blackman & Vigna, 2018)
//   uniform_int(n)             Lemire's nearly-divisionless bounded integer, [0, n)
//   uniform()                  top 53 bits * 2^-53, [0, 1)
//   normal()                   Marsaglia's polar method with reprep::dmath::log
//   shuffle, sample_without_replacement   Fisher-Yates on uniform_int
//
// docs/numerics_quantile_rng.md gives the exact definitions; tests/golden/make_rng_golden.py
// re-implements them in pure Python and the tests compare the streams.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "detail/dmath_explog.hpp"  // dmath::log only (normal() needs nothing else from dmath)
#include "error.hpp"
#include "hash.hpp"

namespace reprep {

class Rng {
public:
    explicit Rng(std::uint64_t seed);
    // XXH3-128 (seed 0) of key_bytes, then keyed(seed, Hash128).
    static Rng keyed(std::uint64_t seed, std::string_view key_bytes);
    static Rng keyed(std::uint64_t seed, Hash128 key);

    std::uint64_t next_u64();
    // Uniform on [0, n); n == 0 is an InvalidParameter.
    std::uint64_t uniform_int(std::uint64_t n);
    // Uniform on [0, 1) on the grid k * 2^-53.
    double uniform();
    // Standard normal (Marsaglia's polar method). Each call is independent of earlier
    // normal() calls (no cached spare), so the generator has no state beyond its 256 bits.
    double normal();
    // Fisher-Yates (Durstenfeld): for i = n-1 down to 1, swap element i with element
    // uniform_int(i + 1).
    template <class RandomIt>
    void shuffle(RandomIt first, RandomIt last);
    // k distinct indices from [0, n) (k > n is an InvalidParameter), in the order a
    // partial Fisher-Yates over the identity array 0..n-1 selects them: draw i swaps
    // position i with i + uniform_int(n - i) and emits what lands at i. The result is
    // the same whether the array is held densely or sparsely (chosen by k/n).
    std::vector<std::size_t> sample_without_replacement(std::size_t n, std::size_t k);

    // The 256-bit xoshiro state s[0..3], to save a generator mid-stream and resume
    // it with from_state (the all-zero state is invalid: InvalidParameter).
    std::array<std::uint64_t, 4> state() const { return {s_[0], s_[1], s_[2], s_[3]}; }
    static Rng from_state(const std::array<std::uint64_t, 4>& s);
    friend bool operator==(const Rng& a, const Rng& b) {
        return a.s_[0] == b.s_[0] && a.s_[1] == b.s_[1] && a.s_[2] == b.s_[2] && a.s_[3] == b.s_[3];
    }

private:
    Rng() = default;
    std::uint64_t s_[4] = {0, 0, 0, 0};
};

namespace detail {
// Canonical bytes of a row's cells, the key material of keyed streams. Each cell is
// tagged so that no sequence of cells encodes like another one:
//   double   0x01, then 8 LE bytes of canonical_bits (-0.0 -> +0.0, one NaN)
//   string   0x02, then u64 LE length, then the bytes
//   missing  0x00
// `out` is a std::string, or a detail::Xxh3Stream that hashes the bytes as they come.
template <class Out>
void append_canonical(Out& out, double x);
template <class Out>
void append_canonical(Out& out, std::string_view s);
template <class Out>
void append_missing(Out& out);

inline constexpr std::uint64_t splitmix64_gamma = 0x9E3779B97F4A7C15ULL;

// SplitMix64's output function (Stafford's "Mix13"); a bijection on 64 bits.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
// One SplitMix64 step: advance the state by the golden gamma, return the mixed state.
constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
    state += splitmix64_gamma;
    return splitmix64_mix(state);
}
constexpr std::uint64_t rotl64(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// High and low 64 bits of a * b.
inline void mul_64x64_128(std::uint64_t a, std::uint64_t b, std::uint64_t& hi, std::uint64_t& lo) {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    const u128 m = static_cast<u128>(a) * b;
    hi = static_cast<std::uint64_t>(m >> 64);
    lo = static_cast<std::uint64_t>(m);
#else
    const std::uint64_t a0 = a & 0xFFFFFFFFULL, a1 = a >> 32, b0 = b & 0xFFFFFFFFULL, b1 = b >> 32;
    const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    const std::uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFULL) + (p10 & 0xFFFFFFFFULL);
    lo = (mid << 32) | (p00 & 0xFFFFFFFFULL);
    hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}
}  // namespace detail

// ===========================================================================
// Implementation
// ===========================================================================

inline Rng::Rng(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& w : s_) w = detail::splitmix64_next(x);
    // Four consecutive SplitMix64 outputs are never all zero (the mix is a bijection
    // of distinct states), so xoshiro's forbidden all-zero state cannot arise.
}

inline Rng Rng::from_state(const std::array<std::uint64_t, 4>& s) {
    if ((s[0] | s[1] | s[2] | s[3]) == 0)
        detail::fail<InvalidParameter>({.component = "Rng",
                                        .problem = "the all-zero state is a fixed point of xoshiro256**",
                                        .fix = "restore a state obtained from Rng::state()",
                                        .column = "state"});
    Rng r;
    for (int i = 0; i < 4; ++i) r.s_[i] = s[static_cast<std::size_t>(i)];
    return r;
}

inline Rng Rng::keyed(std::uint64_t seed, Hash128 key) {
    // The seed's own state, each word xor-ed with 64 bits of the key and re-mixed:
    // the map from key to state is injective in all 128 key bits, so distinct keys
    // never share a stream, and the mix spreads the key over every state bit.
    const Rng base(seed);
    Rng r;
    r.s_[0] = detail::splitmix64_mix(base.s_[0] ^ key.low);
    r.s_[1] = detail::splitmix64_mix(base.s_[1] ^ key.high);
    r.s_[2] = detail::splitmix64_mix(base.s_[2] ^ key.low);
    r.s_[3] = detail::splitmix64_mix(base.s_[3] ^ key.high);
    if ((r.s_[0] | r.s_[1] | r.s_[2] | r.s_[3]) == 0) r.s_[0] = detail::splitmix64_gamma;  // probability 2^-256
    return r;
}

inline Rng Rng::keyed(std::uint64_t seed, std::string_view key_bytes) { return keyed(seed, xxh3_128(key_bytes)); }

inline std::uint64_t Rng::next_u64() {
    const std::uint64_t result = detail::rotl64(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = detail::rotl64(s_[3], 45);
    return result;
}

inline std::uint64_t Rng::uniform_int(std::uint64_t n) {
    if (n == 0)
        detail::fail<InvalidParameter>({.component = "Rng",
                                        .problem = "uniform_int(0): the range [0, 0) is empty",
                                        .fix = "pass n >= 1",
                                        .column = "n"});
    // Lemire (2019): the high word of x * n is uniform on [0, n) once the low word
    // is outside the biased zone [0, 2^64 mod n); the division runs only when the
    // low word falls below n.
    std::uint64_t hi, lo;
    detail::mul_64x64_128(next_u64(), n, hi, lo);
    if (lo < n) {
        const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
        while (lo < threshold) detail::mul_64x64_128(next_u64(), n, hi, lo);
    }
    return hi;
}

inline double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1p-53; }

inline double Rng::normal() {
    // 2u - 1 is exact on the 2^-53 grid and sqrt is correctly rounded, so the value
    // depends only on dmath::log. The rejection (s >= 1 or s == 0) keeps log finite.
    for (;;) {
        const double u = 2.0 * uniform() - 1.0;
        const double v = 2.0 * uniform() - 1.0;
        const double s = u * u + v * v;
        if (s < 1.0 && s > 0.0) return u * std::sqrt((-2.0 * dmath::log(s)) / s);
    }
}

template <class RandomIt>
void Rng::shuffle(RandomIt first, RandomIt last) {
    using std::swap;
    const auto n = static_cast<std::uint64_t>(last - first);
    for (std::uint64_t i = n; i > 1; --i) {
        const std::uint64_t j = uniform_int(i);
        if (j != i - 1) swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
    }
}

inline std::vector<std::size_t> Rng::sample_without_replacement(std::size_t n, std::size_t k) {
    if (k > n)
        detail::fail<InvalidParameter>({.component = "Rng",
                                        .problem = "sample_without_replacement asks for k = " + std::to_string(k) +
                                                   " distinct indices from only n = " + std::to_string(n),
                                        .fix = "pass k <= n",
                                        .column = "k"});
    std::vector<std::size_t> out;
    out.reserve(k);
    if (k == 0) return out;
    if (k >= n / 16) {
        // Dense: the identity array itself.
        std::vector<std::size_t> a(n);
        for (std::size_t i = 0; i < n; ++i) a[i] = i;
        for (std::size_t i = 0; i < k; ++i) {
            const std::size_t j = i + static_cast<std::size_t>(uniform_int(n - i));
            std::swap(a[i], a[j]);
            out.push_back(a[i]);
        }
        return out;
    }
    // Sparse: only displaced positions are stored (absent key p means a[p] == p).
    // The map is only looked up, never iterated, so its order cannot leak out.
    std::unordered_map<std::size_t, std::size_t> moved;
    moved.reserve(2 * k);
    auto at = [&](std::size_t p) {
        const auto it = moved.find(p);
        return it == moved.end() ? p : it->second;
    };
    for (std::size_t i = 0; i < k; ++i) {
        const std::size_t j = i + static_cast<std::size_t>(uniform_int(n - i));
        const std::size_t ai = at(i), aj = at(j);
        moved[j] = ai;
        out.push_back(aj);  // position i is never read again, so it need not be stored
    }
    return out;
}

namespace detail {
template <class Out>
void append_canonical(Out& out, double x) {
    out.push_back('\x01');
    append_le64(out, canonical_bits(x));
}
template <class Out>
void append_canonical(Out& out, std::string_view s) {
    out.push_back('\x02');
    append_le64(out, static_cast<std::uint64_t>(s.size()));
    out.append(s.data(), s.size());
}
template <class Out>
void append_missing(Out& out) {
    out.push_back('\x00');
}
}  // namespace detail

}  // namespace reprep
