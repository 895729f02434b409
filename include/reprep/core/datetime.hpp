// Datetimes as reprep stores them: int64 nanoseconds since 1970-01-01T00:00:00 UTC,
// missing as kNaT (INT64_MIN), as pandas' datetime64[ns] does. The representable range is
// pandas': 1677-09-21T00:12:43.145224193 to 2262-04-11T23:47:16.854775807.
//
// Everything here is integer arithmetic on the proleptic Gregorian calendar: no libc time
// function (mktime, gmtime, timegm depend on the C library and the TZ variable) and no
// locale, so a date gives the same fields on every platform. Only UTC and fixed offsets
// exist: named time zones (Europe/Paris, DST rules) are out of scope.
//
//   civil (y, m, d)  <->  days since 1970-01-01         days_from_civil / civil_from_days
//   ISO 8601 text    <->  nanoseconds                   parse_datetime / format_datetime
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace reprep {

inline constexpr std::int64_t kNaT = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr std::int64_t kNanosPerDay = 86'400 * kNanosPerSecond;

struct CivilDate {
    std::int64_t year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..days_in_month
    friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

constexpr bool is_leap_year(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(std::int64_t y, int m) noexcept {
    if (m == 2) return is_leap_year(y) ? 29 : 28;
    return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

// Floor division and its remainder (C++'s / and % truncate toward zero).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
// From C++'s remainder, not a - floor_div(a, b) * b: within a day of the earliest datetime
// (1677-09-21) floor_div(ns, kNanosPerDay) * kNanosPerDay is below INT64_MIN (signed
// overflow, found by fuzz_artifact under UBSan), while the remainder always fits.
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

// Days since 1970-01-01. The year is counted from March, so that the leap day is the last
// day of its year and the month lengths before it follow a fixed pattern: March..February
// hold 31 30 31 30 31 31 30 31 30 31 31 (28|29), whose running sums are (153 * k + 2) / 5
// for the k-th month from March. A 400-year cycle holds 146097 days, so years are split
// into cycles (floor division: dates before year 0 work too) and a year of its cycle.
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) noexcept {
    const std::int64_t year = m <= 2 ? y - 1 : y;               // the March-based year
    const std::int64_t cycle = floor_div(year, 400);
    const std::int64_t yoc = year - cycle * 400;                // 0..399
    const std::int64_t k = m <= 2 ? m + 9 : m - 3;              // 0 = March .. 11 = February
    const std::int64_t doy = (153 * k + 2) / 5 + (d - 1);       // 0..365 from March 1st
    const std::int64_t doc = yoc * 365 + yoc / 4 - yoc / 100 + doy;  // 0..146096
    // 719468 = days from 0000-03-01 to 1970-01-01.
    return cycle * 146097 + doc - 719468;
}

// The inverse: the date of day `z` since 1970-01-01.
constexpr CivilDate civil_from_days(std::int64_t z) noexcept {
    const std::int64_t days = z + 719468;  // since 0000-03-01
    const std::int64_t cycle = floor_div(days, 146097);
    const std::int64_t doc = days - cycle * 146097;  // 0..146096
    // Years of the cycle: remove the leap days before doc (one per 4 years, less one per
    // century, plus one at the 400th year's end) so that 365 days make one year.
    const std::int64_t yoc = (doc - doc / 1460 + doc / 36524 - doc / 146096) / 365;  // 0..399
    const std::int64_t doy = doc - (365 * yoc + yoc / 4 - yoc / 100);                // 0..365
    const std::int64_t k = (5 * doy + 2) / 153;                                       // 0..11 from March
    const int d = static_cast<int>(doy - (153 * k + 2) / 5 + 1);
    const int m = static_cast<int>(k < 10 ? k + 3 : k - 9);
    const std::int64_t y = yoc + cycle * 400 + (m <= 2 ? 1 : 0);
    return {y, m, d};
}

// pandas' dayofweek: Monday = 0 .. Sunday = 6 (1970-01-01 was a Thursday).
constexpr int day_of_week(std::int64_t days) noexcept { return static_cast<int>(floor_mod(days + 3, 7)); }

// ISO 8601 week number (1..53): weeks start on Monday, and week 1 holds the year's first
// Thursday. A day belongs to the ISO year of the Thursday of its week.
constexpr int iso_week(std::int64_t days) noexcept {
    const std::int64_t thursday = days - day_of_week(days) + 3;
    const std::int64_t jan1 = days_from_civil(civil_from_days(thursday).year, 1, 1);
    return static_cast<int>((thursday - jan1) / 7 + 1);
}

// ---- ISO 8601 text --------------------------------------------------------------------

enum class DatetimeParse : std::uint8_t {
    ok,
    not_a_datetime,  // not shaped like YYYY-MM-DD...: some other kind of value
    invalid,         // shaped like a date but not a valid one (month 13, 30 February, 25:00,
                     // a bad offset, outside pandas' range): refused, never guessed
};

struct DatetimeParseResult {
    DatetimeParse status = DatetimeParse::not_a_datetime;
    std::int64_t nanos = kNaT;
    const char* why = "";  // for `invalid`: what is wrong, for an error message
};

// Accepts YYYY-MM-DD, optionally followed by 'T' or ' ' and hh:mm, hh:mm:ss or
// hh:mm:ss.f (1 to 9 fraction digits), optionally followed by 'Z' or an offset ±hh:mm
// (±hhmm and ±hh too), which is subtracted to give UTC. Nothing else: no week dates, no
// ordinal dates, no named zones, no leap second (ss = 60).
inline DatetimeParseResult parse_datetime(std::string_view s) noexcept {
    DatetimeParseResult r;
    std::size_t i = 0;
    const auto digits = [&](std::size_t n, std::int64_t& v) {
        if (i + n > s.size()) return false;
        v = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const char c = s[i + k];
            if (c < '0' || c > '9') return false;
            v = v * 10 + (c - '0');
        }
        i += n;
        return true;
    };
    const auto at = [&](char c) { return i < s.size() && s[i] == c; };
    std::int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, frac = 0;
    if (!digits(4, y) || !at('-')) return r;
    ++i;
    if (!digits(2, mo) || !at('-')) return r;
    ++i;
    if (!digits(2, d)) return r;
    // From here the value is shaped like a date: whatever is wrong is `invalid`.
    r.status = DatetimeParse::invalid;
    if (mo < 1 || mo > 12) return r.why = "the month is not in 1..12", r;
    if (d < 1 || d > days_in_month(y, static_cast<int>(mo))) return r.why = "the day does not exist in that month", r;
    std::int64_t offset_minutes = 0;
    if (i < s.size()) {
        if (!at('T') && !at(' ')) return r.why = "a date must be followed by 'T' or ' ' and a time", r;
        ++i;
        if (!digits(2, h) || !at(':')) return r.why = "the time is not hh:mm[:ss[.fffffffff]]", r;
        ++i;
        if (!digits(2, mi)) return r.why = "the time is not hh:mm[:ss[.fffffffff]]", r;
        if (at(':')) {
            ++i;
            if (!digits(2, sec)) return r.why = "the seconds are not two digits", r;
            if (at('.')) {
                ++i;
                std::size_t n = 0;
                while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
                    if (++n > 9) return r.why = "more than 9 fraction digits (nanoseconds are the finest unit)", r;
                    frac = frac * 10 + (s[i++] - '0');
                }
                if (n == 0) return r.why = "a '.' with no fraction digits", r;
                for (; n < 9; ++n) frac *= 10;
            }
        }
        if (h > 23 || mi > 59 || sec > 59) return r.why = "the time of day is out of range", r;
        if (at('Z')) {
            ++i;
        } else if (at('+') || at('-')) {
            const bool minus = at('-');
            ++i;
            std::int64_t oh = 0, om = 0;
            if (!digits(2, oh)) return r.why = "the offset is not +hh:mm or -hh:mm", r;
            if (at(':')) ++i;
            if (i < s.size() && !digits(2, om)) return r.why = "the offset is not +hh:mm or -hh:mm", r;
            if (oh > 23 || om > 59) return r.why = "the offset is out of range", r;
            offset_minutes = (minus ? -1 : 1) * (oh * 60 + om);
        }
        if (i != s.size()) return r.why = "unexpected text after the time (named time zones are not supported)", r;
    }
    // Seconds since the epoch fit easily in int64 for 4-digit years; the nanoseconds are
    // checked against the int64 range (kNaT, which is no date, included). Below the epoch
    // the fraction is carried as (secs + 1) s + (frac - 1 s), so that the earliest
    // datetimes do not overflow on the way.
    const std::int64_t secs =
        days_from_civil(y, static_cast<int>(mo), static_cast<int>(d)) * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
    const bool carry = secs < 0 && frac > 0;
    std::int64_t scaled = 0;
    if (__builtin_mul_overflow(carry ? secs + 1 : secs, kNanosPerSecond, &scaled) ||
        __builtin_add_overflow(scaled, carry ? frac - kNanosPerSecond : frac, &r.nanos) || r.nanos == kNaT) {
        r.nanos = kNaT;
        return r.why = "outside the range of datetimes (1677-09-21T00:12:43.145224193 to 2262-04-11T23:47:16.854775807 UTC)", r;
    }
    r.status = DatetimeParse::ok;
    r.why = "";
    return r;
}

// The shortest ISO 8601 text that parse_datetime reads back to the same nanoseconds:
// YYYY-MM-DD at midnight, else YYYY-MM-DDThh:mm:ss with the fraction's trailing zeros
// dropped. UTC, without a 'Z'. kNaT gives the empty string (callers write their missing
// token instead). Writes at most 29 characters to `out` and returns how many.
inline std::size_t format_datetime(std::int64_t ns, char* out) noexcept {
    if (ns == kNaT) return 0;
    const std::int64_t days = floor_div(ns, kNanosPerDay);
    std::int64_t rest = floor_mod(ns, kNanosPerDay);
    const CivilDate c = civil_from_days(days);
    std::size_t n = 0;
    const auto put = [&](std::int64_t v, int width) {
        for (int k = width - 1; k >= 0; --k) {
            out[n + static_cast<std::size_t>(k)] = static_cast<char>('0' + v % 10);
            v /= 10;
        }
        n += static_cast<std::size_t>(width);
    };
    put(c.year, 4);
    out[n++] = '-';
    put(c.month, 2);
    out[n++] = '-';
    put(c.day, 2);
    if (rest == 0) return n;
    const std::int64_t frac = rest % kNanosPerSecond;
    rest /= kNanosPerSecond;
    out[n++] = 'T';
    put(rest / 3600, 2);
    out[n++] = ':';
    put(rest / 60 % 60, 2);
    out[n++] = ':';
    put(rest % 60, 2);
    if (frac != 0) {
        out[n++] = '.';
        std::int64_t f = frac;
        int width = 9;
        while (f % 10 == 0) {
            f /= 10;
            --width;
        }
        put(f, width);
    }
    return n;
}

// A datetime where a statistic over numbers is wanted (the training profile and the
// drift monitor bin datetimes as numbers): the nanoseconds as the nearest double, kNaT as
// NaN. Integer to double conversion is correctly rounded, so the same on every platform.
inline double datetime_as_number(std::int64_t ns) noexcept {
    return ns == kNaT ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(ns);
}

inline std::string format_datetime(std::int64_t ns) {
    char buf[32];
    return std::string(buf, format_datetime(ns, buf));
}

}  // namespace reprep
