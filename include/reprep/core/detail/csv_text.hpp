// Text-level helpers for read_csv/write_csv: UTF-8 validation, the strict number grammar
// and read_csv's one-pass scan of plain decimals. Internal; users include <reprep/core/csv.hpp>.
#pragma once

#include <bit>
#include <charconv>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#if !defined(__cpp_lib_to_chars)
// libc++ before 17 has no floating-point std::from_chars; glibc's strtod_l in the
// "C" locale is also correctly rounded, and the grammar check below makes both
// paths accept exactly the same spellings.
#include <cstdlib>
#include <locale.h>
#if __has_include(<xlocale.h>)
#include <xlocale.h>
#endif
#endif

namespace reprep::detail {

struct Utf8Error {
    std::size_t offset = std::string_view::npos;  // first byte of the bad sequence; npos = valid
    const char* reason = "";
};

// Validates UTF-8 per RFC 3629: rejects stray continuation bytes, overlong forms,
// UTF-16 surrogates (U+D800..U+DFFF), code points above U+10FFFF and sequences
// cut short. ASCII runs are skipped eight bytes at a time.
inline Utf8Error find_invalid_utf8(std::string_view text) noexcept {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    auto cont = [&](std::size_t k) { return k < n && (s[k] & 0xC0u) == 0x80u; };
    while (i < n) {
        while (i + 8 <= n) {
            std::uint64_t w;
            std::memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        const unsigned c = s[i];
        if (c < 0x80u) {
            ++i;
            continue;
        }
        if (c < 0xC0u) return {i, "a continuation byte without a lead byte"};
        if (c < 0xC2u) return {i, "an overlong encoding"};
        if (c < 0xE0u) {
            if (!cont(i + 1)) return {i, "a truncated multi-byte sequence"};
            i += 2;
            continue;
        }
        if (c < 0xF0u) {
            if (!cont(i + 1) || !cont(i + 2)) return {i, "a truncated multi-byte sequence"};
            const unsigned c1 = s[i + 1];
            if (c == 0xE0u && c1 < 0xA0u) return {i, "an overlong encoding"};
            if (c == 0xEDu && c1 >= 0xA0u) return {i, "a UTF-16 surrogate (U+D800..U+DFFF)"};
            i += 3;
            continue;
        }
        if (c < 0xF5u) {
            if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return {i, "a truncated multi-byte sequence"};
            const unsigned c1 = s[i + 1];
            if (c == 0xF0u && c1 < 0x90u) return {i, "an overlong encoding"};
            if (c == 0xF4u && c1 >= 0x90u) return {i, "a code point above U+10FFFF"};
            i += 4;
            continue;
        }
        return {i, c < 0xF8u ? "a code point above U+10FFFF" : "a byte that never occurs in UTF-8"};
    }
    return {};
}

enum class NumberParse : std::uint8_t { ok, not_a_number, out_of_range };

// True if `s` matches the accepted number grammar (ASCII, case-insensitive words):
//   [+-]? ( digits [. digits*]? | . digits ) ( [eE] [+-]? digits )?
//   [+-]? ( inf | infinity | nan )
// No surrounding spaces, no hex, no digit separators, no "nan(...)" payloads.
inline bool matches_number_grammar(std::string_view s) noexcept {
    std::size_t i = 0;
    const std::size_t n = s.size();
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i == n) return false;
    auto lower = [](char ch) { return static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch); };
    auto word_is = [&](std::string_view w) {
        if (n - i != w.size()) return false;
        for (std::size_t k = 0; k < w.size(); ++k) {
            if (lower(s[i + k]) != w[k]) return false;
        }
        return true;
    };
    if (s[i] == 'i' || s[i] == 'I' || s[i] == 'n' || s[i] == 'N') {
        return word_is("inf") || word_is("infinity") || word_is("nan");
    }
    auto digit = [&](std::size_t k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
    std::size_t int_digits = 0, frac_digits = 0;
    while (digit(i)) ++i, ++int_digits;
    if (i < n && s[i] == '.') {
        ++i;
        while (digit(i)) ++i, ++frac_digits;
    }
    if (int_digits + frac_digits == 0) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digit(i)) return false;
        while (digit(i)) ++i;
    }
    return i == n;
}

#if !defined(__cpp_lib_to_chars)
inline locale_t c_locale() {
    static const locale_t loc = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
    return loc;
}
#endif

// The common short decimal (digits, optionally '.' digits, optionally an exponent) read
// without from_chars when Clinger's exact case applies: a significand below 2^53 and a
// power of ten up to 10^22 are both exact doubles, so the one multiplication or division
// rounds once, correctly: the same bits as from_chars or strtod. Anything else (more
// digits, "1.", ".5", inf, nan, a larger exponent) returns false and takes the general
// path. from_chars took 30% of reading a numeric CSV (perf).
inline bool parse_short_decimal(std::string_view s, double& out) noexcept {
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char* p = s.data();
    const char* const e = p + s.size();
    bool neg = false;
    if (p < e && (*p == '-' || *p == '+')) neg = *p++ == '-';
    std::uint64_t m = 0;
    int digits = 0;
    const char* const int_start = p;
    while (p < e && static_cast<unsigned>(*p - '0') < 10u) m = m * 10 + static_cast<unsigned>(*p++ - '0'), ++digits;
    if (p == int_start || digits > 18) return false;
    int exp10 = 0;
    if (p < e && *p == '.') {
        const char* const frac_start = ++p;
        while (p < e && static_cast<unsigned>(*p - '0') < 10u) m = m * 10 + static_cast<unsigned>(*p++ - '0'), ++digits;
        if (p == frac_start || digits > 18) return false;
        exp10 = -static_cast<int>(p - frac_start);
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        ++p;
        bool eneg = false;
        if (p < e && (*p == '-' || *p == '+')) eneg = *p++ == '-';
        const char* const exp_start = p;
        int x = 0;
        while (p < e && static_cast<unsigned>(*p - '0') < 10u && p - exp_start < 4) x = x * 10 + (*p++ - '0');
        if (p == exp_start) return false;
        exp10 += eneg ? -x : x;
    }
    if (p != e || m > (std::uint64_t{1} << 53) || exp10 < -22 || exp10 > 22) return false;
    double v = static_cast<double>(m);
    v = exp10 < 0 ? v / kPow10[-exp10] : v * kPow10[exp10];
    out = neg ? -v : v;
    return true;
#else
    (void)s;
    (void)out;
    return false;
#endif
}

// The fused path of read_csv for numeric columns: a plain decimal read straight from the
// input, which also finds the field's end, so the field's bytes are scanned once instead of
// once by the tokenizer and again by parse_double (perf: parse_double alone was 30% of
// reading a numeric CSV, most of it a byte at a time). Eight digits are classified and
// converted at once (SWAR) in a 64-bit word whose lowest byte is the first character.
namespace swar {
inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;

inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}

// A word of text minus '0' in every byte: a digit's byte becomes its value. A byte below
// '0' borrows from the next one, which only disturbs bytes after a non-digit.
inline std::uint64_t minus_zeros(std::uint64_t w) noexcept {
    return w - kOnes * '0';
}

// How many of the first bytes of a = minus_zeros(w) are digits (0 to 8): a byte is one iff
// it is below 10, that is iff neither it nor it + 0x76 has the top bit set. A carry out of
// the addition (from a byte >= 0x8A, no digit) again only disturbs later bytes.
inline int leading_digits(std::uint64_t a) noexcept {
    return std::countr_zero((a | (a + kOnes * 0x76)) & (kOnes * 0x80)) >> 3;
}

// The value of the first k (1 to 8) bytes of a = minus_zeros(w), all digits. They are
// shifted to the top so that the bytes below are zeros (leading zeros of the number), then
// pairs, quads and octets are combined: 10 * first + second, and so on.
inline std::uint64_t digits_value(std::uint64_t a, int k) noexcept {
    std::uint64_t v = a << (8 * (8 - k));
    v = (v * 10 + (v >> 8)) & 0x00FF00FF00FF00FFULL;
    v = (v * 100 + (v >> 16)) & 0x0000FFFF0000FFFFULL;
    return (v * 10000 + (v >> 32)) & 0xFFFFFFFFULL;
}

// Scans [+-]? d{1,8} ( '.' d{1,16} )? at p, which must be followed by `sep`, '\n', '\r' or
// e; reads at most 27 bytes from p. Returns nullptr if the field is anything else. Otherwise
// returns the field's end, and `exact` says whether parse_short_decimal's exact case holds
// (at most 18 digits, a significand of at most 2^53), in which case `out` is the value.
inline const char* decimal_field(const char* p, const char* e, char sep, double& out, bool& exact) noexcept {
    static constexpr std::uint64_t kPow10i[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7, 1e8,
                                        1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16};
    const bool neg = *p == '-';
    p += (*p == '-') | (*p == '+');  // no branch: signs are random in real data
    std::uint64_t w = minus_zeros(load8(p));
    const int ki = leading_digits(w);
    if (ki == 0) return nullptr;
    std::uint64_t m = digits_value(w, ki);  // wraps past 19 digits, but is then unused
    p += ki;
    int kf = 0;
    if (p != e && *p == '.') {
        w = minus_zeros(load8(p + 1));
        kf = leading_digits(w);
        if (kf == 0) return nullptr;
        m = m * kPow10i[kf] + digits_value(w, kf);
        p += 1 + kf;
        if (kf == 8) {  // full-precision doubles are written with up to 17 digits
            w = minus_zeros(load8(p));
            const int k2 = leading_digits(w);
            if (k2 > 0) {
                m = m * kPow10i[k2] + digits_value(w, k2);
                p += k2;
                kf += k2;
            }
        }
    }
    // Anything else after the digits (more digits, an exponent, a quote, a letter): the
    // general path.
    if (p != e && *p != sep && *p != '\n' && *p != '\r') return nullptr;
    exact = ki + kf <= 18 && m <= (std::uint64_t{1} << 53);
    if (exact) {
        // parse_short_decimal's arithmetic: one correctly rounded division (none for an integer).
        double v = static_cast<double>(m);
        if (kf > 0) v /= kPow10[kf];
        // v >= 0, so setting the sign bit is -v (also for 0: "-0" is -0.0).
        out = std::bit_cast<double>(std::bit_cast<std::uint64_t>(v) | (std::uint64_t{neg} << 63));
    }
    return p;
}
}  // namespace swar

// parse_double without the short-decimal attempt (read_csv's one-pass scan has found the
// field not to be in its exact case); the same value, since both paths round correctly.
inline NumberParse parse_double_general(std::string_view s, double& out) {
#if defined(__cpp_lib_to_chars)
    // from_chars(general) accepts exactly the grammar above, minus a leading '+'
    // and plus "nan(chars)"; adjusting for those two saves a second pass.
    if (s.empty()) return NumberParse::not_a_number;
    if (s.front() == '+') {
        s.remove_prefix(1);
        if (s.empty() || s.front() == '-' || s.front() == '+') return NumberParse::not_a_number;
    }
    if (s.back() == ')') return NumberParse::not_a_number;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out, std::chars_format::general);
    if (r.ptr != s.data() + s.size()) return NumberParse::not_a_number;
    if (r.ec == std::errc::result_out_of_range) return NumberParse::out_of_range;
    if (r.ec != std::errc{}) return NumberParse::not_a_number;
    return NumberParse::ok;
#else
    if (!matches_number_grammar(s)) return NumberParse::not_a_number;
    if (s.front() == '+') s.remove_prefix(1);
    char small[128];
    std::string big;
    const char* z;
    if (s.size() < sizeof small) {
        std::memcpy(small, s.data(), s.size());
        small[s.size()] = '\0';
        z = small;
    } else {
        big.assign(s);
        z = big.c_str();
    }
    char* endp = nullptr;
    errno = 0;
    const double v = strtod_l(z, &endp, c_locale());
    if (endp != z + s.size()) return NumberParse::not_a_number;
    if (errno == ERANGE && (v == 0.0 || std::isinf(v))) return NumberParse::out_of_range;
    out = v;
    return NumberParse::ok;
#endif
}

// If the field at p (p < e, e the end of the input) is [+-]? d{1,8} ( '.' d{1,16} )? followed
// by `sep`, '\n', '\r' or e, stores its value and returns the field's end; otherwise returns
// nullptr and the caller reads the field the general way (tokenizer, parse_double). The
// value is parse_double's for the same text, bit for bit: in parse_short_decimal's exact case
// the same significand, power of ten and single rounding; otherwise the same general
// conversion, given the field's end.
inline const char* scan_decimal_field(const char* p, const char* e, char sep, double& out) {
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    if constexpr (std::endian::native == std::endian::little) {
        bool exact = false;
        const char* end;
        if (e - p >= 32) {
            end = swar::decimal_field(p, e, sep, out, exact);
        } else {
            // Near the end of the input: a zero-padded copy (zero is no digit).
            char buf[48] = {};
            std::memcpy(buf, p, static_cast<std::size_t>(e - p));
            const char* r = swar::decimal_field(buf, buf + (e - p), sep, out, exact);
            end = r ? p + (r - buf) : nullptr;
        }
        if (!end || exact) return end;
        // Plain digits (no nan, inf or exponent): ok, unless the library refuses them.
        return parse_double_general(std::string_view(p, static_cast<std::size_t>(end - p)), out) == NumberParse::ok
                   ? end
                   : nullptr;
    }
#endif
    (void)p, (void)e, (void)sep, (void)out;
    return nullptr;
}

// Parses a whole field as a double, correctly rounded, independent of the locale.
// A nonzero value whose magnitude overflows to infinity or underflows to zero is
// out_of_range (such a value is almost surely a data error; gradual underflow to a
// subnormal is fine).
inline NumberParse parse_double(std::string_view s, double& out) {
    if (parse_short_decimal(s, out)) return NumberParse::ok;
    return parse_double_general(s, out);
}

}  // namespace reprep::detail
