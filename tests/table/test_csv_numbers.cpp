// read_csv's one-pass number path (detail::scan_decimal_field): on generated
// spellings it gives strtod's bits and the field's exact end, it takes every plain decimal
// it is meant to take and nothing else, and read_csv gives the same values through it as
// through parse_double (including a missing-value token that looks like a number).
#include <doctest/doctest.h>

#include <reprep/core/csv.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../support/splitmix.hpp"

namespace {

std::uint64_t splitmix(std::uint64_t& s) {
    return reprep_test::splitmix64_next(s);
}

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// What the path must take: [+-]? d{1,8} ( '.' d{1,16} )?, written independently of the
// SWAR code.
bool meant_for_fast_path(const std::string& t) {
    std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
    std::size_t int_digits = 0, frac_digits = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, ++int_digits;
    if (i < t.size() && t[i] == '.') {
        ++i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i, ++frac_digits;
        if (frac_digits == 0) return false;
    }
    return i == t.size() && int_digits >= 1 && int_digits <= 8 && frac_digits <= 16;
}

// Runs the scan on t followed by `after` and `pad` more bytes, and checks it against
// strtod; returns whether it took the field.
bool check_scan(const std::string& t, const std::string& after, std::size_t pad) {
    std::string buf = t + after + std::string(pad, '7');  // digits past the end must not be read as the field's
    CAPTURE(t);
    CAPTURE(after);
    CAPTURE(pad);
    double v = 12345.0;
    const char* q = reprep::detail::scan_decimal_field(buf.data(), buf.data() + buf.size(), ',', v);
    const bool ends = after.empty() ? pad == 0 : (after[0] == ',' || after[0] == '\n' || after[0] == '\r');
    CHECK((q != nullptr) == (ends && meant_for_fast_path(t)));
    if (!q) return false;
    CHECK(q == buf.data() + t.size());
    const double ref = std::strtod(t.c_str(), nullptr);
    CHECK(same_bits(v, ref));
    double w = 0;
    REQUIRE(reprep::detail::parse_double(t, w) == reprep::detail::NumberParse::ok);
    CHECK(same_bits(v, w));
    return true;
}

std::string digits(std::uint64_t& s, std::size_t n) {
    std::string d;
    // Runs of zeros and nines now and then: leading zeros, carries, values near powers of ten.
    const int style = static_cast<int>(splitmix(s) % 8);
    for (std::size_t k = 0; k < n; ++k) {
        d += style == 0 ? '0' : style == 1 ? '9' : static_cast<char>('0' + splitmix(s) % 10);
    }
    return d;
}

}  // namespace

TEST_CASE("the one-pass number scan gives strtod's bits and the field's end") {
    std::uint64_t s = 20261208;
    std::size_t taken = 0;
    // What follows the spelling (not a digit: that would lengthen it).
    // '/' and ':' border the digits; bytes >= 0x80 test the classification's top bit.
    const char* afters[] = {",", "\n", "\r\n", "", "x", "\"", "e5", "E", ";", " ", "/", ":", "\xC3\xA9", "\x7F", "\xFF"};
    for (int i = 0; i < 300000; ++i) {
        std::string t;
        const auto sign = splitmix(s) % 4;
        if (sign == 1) t += '-';
        if (sign == 2) t += '+';
        const bool point = splitmix(s) % 4 != 0;
        t += digits(s, splitmix(s) % 11);  // 0 to 10 integer digits
        if (point) t += '.' + digits(s, splitmix(s) % 19);  // 0 to 18 fraction digits
        if (splitmix(s) % 20 == 0) t += (splitmix(s) % 2 ? "e" : "E") + std::to_string(static_cast<int>(splitmix(s) % 41) - 20);
        const std::string after = afters[splitmix(s) % (sizeof afters / sizeof afters[0])];
        // Mostly far from the end of the input (direct loads), sometimes at it (padded copy).
        const std::size_t pad = after.empty() ? 0 : (splitmix(s) % 3 == 0 ? 0 : 40);
        taken += check_scan(t, after, pad);
    }
    CHECK(taken > 40000);

    // Edge cases, each at the end of the input and before a separator with more input after.
    for (const char* t : {"0", "-0", "+0", "-0.0", "0.00000000", "00000000", "00000000.00000001", "7", "-7.5",
                          "12345678", "123456789", "12345678.12345678", "1.123456789", "99999999.99999999",
                          "90071992.54740992", "90071992.54740993", "9007199.254740992", "9007199254740992",
                          "9007199254740993", "9223372036854775807", "9223372036854775808", "18446744073709551616",
                          "5.", ".5", "-.5", "+-1", "-+1", "-", "+", "", ".", "1e5", "1E-5", "1.5e3", "inf", "-inf",
                          "nan", "NaN", "0x10", "-0.6289064788866018", "1.2345678901234567", "0.12345678901234567",
                          "9.007199254740993", "0.9007199254740993", "12345678.1234567890123456", "1.2345678901234567e-05", "0.1", "0.2", "0.3", "2.2250738585072014", "4.9406564584124654"}) {
        check_scan(t, "", 0);
        check_scan(t, ",", 40);
        check_scan(t, "\n", 0);
    }
    double v = 0;
    const std::string neg_zero = "-0,1";
    REQUIRE(reprep::detail::scan_decimal_field(neg_zero.data(), neg_zero.data() + neg_zero.size(), ',', v));
    CHECK(std::signbit(v));
    CHECK(v == 0.0);
}

TEST_CASE("read_csv's one-pass numbers: the values of parse_double, missing-value tokens first") {
    std::uint64_t s = 7;
    std::string text = "a;b;c\n";
    std::vector<std::string> fields;
    for (int r = 0; r < 5000; ++r) {
        for (int j = 0; j < 3; ++j) {
            std::string t;
            if (splitmix(s) % 2) t += '-';
            t += digits(s, 1 + splitmix(s) % 9);
            if (splitmix(s) % 3) t += '.' + digits(s, 1 + splitmix(s) % 9);
            if (splitmix(s) % 50 == 0) t = "-999";  // a missing value below
            fields.push_back(t);
            text += t + (j < 2 ? ";" : (r % 2 ? "\r\n" : "\n"));
        }
    }
    const reprep::Table tab =
        reprep::read_csv_string(text, reprep::CsvOptions{.separator = ';', .na_values = {"", "-999"}});
    REQUIRE(tab.num_rows() == 5000);
    std::size_t missing = 0;
    for (std::size_t r = 0; r < 5000; ++r) {
        for (std::size_t j = 0; j < 3; ++j) {
            const std::string& t = fields[r * 3 + j];
            CAPTURE(t);
            const double got = tab.numeric(std::string(1, static_cast<char>('a' + j)))[r];
            if (t == "-999") {
                CHECK(std::isnan(got));
                ++missing;
                continue;
            }
            double want = 0;
            REQUIRE(reprep::detail::parse_double(t, want) == reprep::detail::NumberParse::ok);
            CHECK(same_bits(got, want));
        }
    }
    CHECK(missing > 100);
    // Numbers that end the input (no line feed: the scan's padded copy), short and long,
    // after a CR LF, and beside fields the scan leaves to the general path.
    const reprep::Table end = reprep::read_csv_string("a,b,c\r\n1.5,x,7\r\n-0.25,y,12345678.1234567890123456");
    REQUIRE(end.num_rows() == 2);
    double want = 0;
    REQUIRE(reprep::detail::parse_double("12345678.1234567890123456", want) == reprep::detail::NumberParse::ok);
    CHECK(same_bits(end.numeric("c")[1], want));
    CHECK(same_bits(end.numeric("a")[1], -0.25));
    CHECK(end.type("b") == reprep::ColumnType::categorical);
    const reprep::Table last = reprep::read_csv_string("a\n1\n-0.6289064788866018");
    REQUIRE(reprep::detail::parse_double("-0.6289064788866018", want) == reprep::detail::NumberParse::ok);
    CHECK(same_bits(last.numeric("a")[1], want));
    // Without the token, "-999" is a number.
    const reprep::Table plain = reprep::read_csv_string("a\n-999\n1.5");
    CHECK(plain.numeric("a")[0] == -999.0);
}
