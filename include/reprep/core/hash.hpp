// Hashing and fingerprints: XXH3 (from Debian's libxxhash-dev, used header-only)
// over canonical bytes. XXH3's output is specified independently of the CPU and of
// the SIMD path it takes, so a fingerprint is the same on every platform.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL  // header-only use: nothing to link, no symbol clashes with a system libxxhash
#endif
// GCC 12 at -Og cannot honour xxhash's always_inline hints (README, "GCC -Og"): such
// builds define XXH_NO_INLINE_HINTS=1. It is not the default because it slows short
// keys at -O3.
//
// xxhash's code is third-party and is inlined into every user's translation unit, so
// its warnings must not reach a user's -Werror. GCC 12.2 with AVX-512 enabled
// (-march=native on such a CPU, -march=x86-64-v4) reports -W(maybe-)uninitialized
// inside avx512fintrin.h's _mm512_undefined_* (fixed in GCC 12.3), inlined from
// XXH3_accumulate_512_avx512. The system-header exemption does not cover warnings that
// the optimiser raises after inlining, so the include is fenced here; the middle end
// checks the pragma state at xxhash's own locations.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#endif
#include <xxhash.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace reprep {

// A 128-bit hash, printed as 32 lowercase hex characters (high word first).
struct Hash128 {
    std::uint64_t high = 0;
    std::uint64_t low = 0;

    std::string hex() const {
        static constexpr char digits[] = "0123456789abcdef";
        std::string s(32, '0');
        for (int i = 0; i < 16; ++i) {
            s[15 - i] = digits[(high >> (4 * i)) & 0xF];
            s[31 - i] = digits[(low >> (4 * i)) & 0xF];
        }
        return s;
    }
    friend bool operator==(const Hash128&, const Hash128&) = default;
};

inline Hash128 xxh3_128(const void* data, std::size_t n, std::uint64_t seed = 0) {
    const XXH128_hash_t h = XXH3_128bits_withSeed(data, n, seed);
    return {h.high64, h.low64};
}
inline Hash128 xxh3_128(std::string_view s, std::uint64_t seed = 0) { return xxh3_128(s.data(), s.size(), seed); }

inline std::uint64_t xxh3_64(const void* data, std::size_t n, std::uint64_t seed = 0) {
    return XXH3_64bits_withSeed(data, n, seed);
}
inline std::uint64_t xxh3_64(std::string_view s, std::uint64_t seed = 0) { return xxh3_64(s.data(), s.size(), seed); }

namespace detail {
// The canonical bit pattern of a double for hashing and keys: -0.0 becomes +0.0 and
// every NaN becomes the one quiet NaN 0x7ff8000000000000, so values that compare as
// "the same observation" hash the same.
inline std::uint64_t canonical_bits(double x) {
    if (x != x) return 0x7ff8000000000000ULL;
    if (x == 0.0) return 0;
    return std::bit_cast<std::uint64_t>(x);
}

// Appends v to `out` as 8 little-endian bytes, whatever the host byte order. `out` is a
// std::string, or a sink with append(const char*, n) such as Xxh3Stream (below).
template <class Out>
void append_le64(Out& out, std::uint64_t v) {
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    out.append(b, 8);
}

// XXH3-128 (seed 0) of bytes given in pieces, through the append/push_back interface a
// std::string offers: digest() equals xxh3_128 of the pieces concatenated (xxhash's
// streaming and one-shot forms agree), with no buffer that grows with the input. The
// single-row path hashes its keys this way, so that no row allocates.
class Xxh3Stream {
public:
    Xxh3Stream() {
        XXH3_INITSTATE(&state_);
        XXH3_128bits_reset(&state_);
    }
    Xxh3Stream(const Xxh3Stream&) = delete;
    Xxh3Stream& operator=(const Xxh3Stream&) = delete;

    void append(const char* p, std::size_t n) { XXH3_128bits_update(&state_, p, n); }
    void push_back(char c) { append(&c, 1); }
    Hash128 digest() const {
        const XXH128_hash_t h = XXH3_128bits_digest(&state_);
        return {h.high64, h.low64};
    }

private:
    XXH3_state_t state_;
};

// Streams bytes into XXH3-128 through a buffer, so many small appends stay cheap
// and a large table is never copied whole.
class Hasher128 {
public:
    Hasher128() : state_(XXH3_createState()) {
        if (!state_) throw std::bad_alloc();
        XXH3_128bits_reset(state_.get());
        buf_.reserve(kFlush + 64);
    }
    void bytes(const void* p, std::size_t n) {
        if (n >= kFlush) {
            flush();
            XXH3_128bits_update(state_.get(), p, n);
            return;
        }
        buf_.append(static_cast<const char*>(p), n);
        if (buf_.size() >= kFlush) flush();
    }
    void u8(std::uint8_t v) { bytes(&v, 1); }
    void u64(std::uint64_t v) {
        char b[8];
        for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
        bytes(b, 8);
    }
    void str(std::string_view s) {
        u64(s.size());
        bytes(s.data(), s.size());
    }
    Hash128 digest() {
        flush();
        const XXH128_hash_t h = XXH3_128bits_digest(state_.get());
        return {h.high64, h.low64};
    }

private:
    static constexpr std::size_t kFlush = 1 << 16;
    void flush() {
        if (!buf_.empty()) XXH3_128bits_update(state_.get(), buf_.data(), buf_.size());
        buf_.clear();
    }
    struct Free {
        void operator()(XXH3_state_t* s) const noexcept { XXH3_freeState(s); }
    };
    std::unique_ptr<XXH3_state_t, Free> state_;
    std::string buf_;
};
}  // namespace detail
}  // namespace reprep
