// read_csv with n_jobs > 1 gives the one-thread Table exactly (names, types, value bits,
// dictionaries in the same order, the same codes) and the one-thread error text, on
// generated CSVs with quotes, line breaks and separators inside quotes, CRLF, missing
// values, columns whose type flips late, many categories and errors in either piece.
// Also: the short-decimal fast path of parse_double against strtod.
#include <doctest/doctest.h>

#include <reprep/core/csv.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "../support/splitmix.hpp"

using reprep::ColumnType;
using reprep::CsvOptions;
using reprep::Table;

namespace {

std::uint64_t splitmix(std::uint64_t& s) {
    return reprep_test::splitmix64_next(s);
}

// Stricter than Table's operator== (which ignores dictionary order and NaN payloads).
void check_identical(const Table& a, const Table& b) {
    REQUIRE(a.column_names() == b.column_names());
    REQUIRE(a.num_rows() == b.num_rows());
    for (const auto& n : a.column_names()) {
        CAPTURE(n);
        REQUIRE(a.type(n) == b.type(n));
        if (a.type(n) == ColumnType::numeric) {
            const auto x = a.numeric(n), y = b.numeric(n);
            CHECK(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
        } else if (a.type(n) == ColumnType::datetime) {
            const auto x = a.datetime(n), y = b.datetime(n);
            CHECK(std::equal(x.begin(), x.end(), y.begin(), y.end()));
        } else {
            CHECK(a.categorical(n).dictionary == b.categorical(n).dictionary);
            CHECK(a.categorical(n).codes == b.categorical(n).codes);
        }
    }
}

Table read(const std::string& text, CsvOptions o, int jobs) {
    o.n_jobs = jobs;
    return reprep::detail::read_csv_text(text, o, {}, nullptr, /*min_piece_bytes=*/1);
}

std::string error_of(const std::string& text, const CsvOptions& o, int jobs) {
    try {
        read(text, o, jobs);
    } catch (const reprep::InvalidInput& e) {
        return e.what();
    }
    return "no error";
}

std::string quoted_word(std::uint64_t& s, std::size_t k) {
    switch (splitmix(s) % 6) {
        case 0: return "\"line\nbreak " + std::to_string(k) + "\"";
        case 1: return "\"comma, " + std::to_string(k) + "\"";
        case 2: return "\"say \"\"hi\"\" " + std::to_string(k) + "\"";
        case 3: return "\"NA\"";  // quoted: a value, not missing
        case 4: return "NA";
        default: return "w" + std::to_string(k);
    }
}

// A CSV of `rows` rows whose columns exercise every merge rule; flip_at is where the late
// columns change type.
std::string generate(std::size_t rows, std::uint64_t seed, std::size_t flip_at) {
    std::uint64_t s = seed;
    std::string t = "num,late_text,cat,quoted,dates,late_dates,dates_then_num,num_then_date,all_na,date_late_word\r\n";
    for (std::size_t r = 0; r < rows; ++r) {
        const std::uint64_t u = splitmix(s);
        // num: decimals, integers, long doubles, NA and nan
        if (u % 17 == 0) t += "NA";
        else if (u % 23 == 0) t += "nan";
        else if (u % 3 == 0) t += std::to_string(static_cast<double>(splitmix(s) >> 11) * 0x1.0p-53 * 1e6);
        else t += std::to_string(static_cast<std::int64_t>(splitmix(s) % 200001) - 100000);
        t += ',';
        // late_text: numbers, then one word at flip_at
        t += r == flip_at ? std::string("oops") : std::to_string(splitmix(s) % 1000) + ".25";
        t += ',';
        // cat: many categories, some missing
        t += u % 11 == 0 ? std::string() : "c" + std::to_string(splitmix(s) % 3000);
        t += ',';
        t += quoted_word(s, splitmix(s) % 50);
        t += ',';
        // dates: ISO dates with missing values
        t += u % 7 == 0 ? std::string("NA") : "2024-0" + std::to_string(1 + splitmix(s) % 9) + "-1" + std::to_string(splitmix(s) % 10);
        t += ',';
        // late_dates: missing until flip_at, then dates (numeric without a number, then datetime)
        t += r < flip_at ? std::string() : "2020-02-2" + std::to_string(splitmix(s) % 9);
        t += ',';
        // dates_then_num: dates, then a number late (datetime -> categorical)
        t += r == flip_at ? std::string("17") : std::string("2021-03-04");
        t += ',';
        // num_then_date: numbers, then a date late (categorical: a date after a number)
        t += r >= flip_at ? std::string("2022-05-06T07:08:09Z") : std::to_string(splitmix(s) % 90);
        t += ',';
        t += u % 2 ? "NA" : "";  // all_na
        t += ',';
        t += r + 1 == rows ? std::string("end") : "2019-12-3" + std::to_string(splitmix(s) % 2);
        t += (u % 5 == 0) ? "\r\n" : "\n";
    }
    return t;
}

}  // namespace

TEST_CASE("n_jobs 1, 2, 3 and 8 read the same Table") {
    for (const std::size_t rows : {1u, 2u, 3u, 7u, 40u, 500u, 3000u}) {
        for (const std::size_t flip : {std::size_t{0}, rows / 2, rows - 1}) {
            CAPTURE(rows);
            CAPTURE(flip);
            const std::string text = generate(rows, 1000 + rows, flip);
            const Table one = read(text, {}, 1);
            REQUIRE(one.num_rows() == rows);
            for (const int jobs : {2, 3, 8}) {
                CAPTURE(jobs);
                check_identical(one, read(text, {}, jobs));
            }
        }
    }
    // The merge rules are exercised, not skipped: a late flip gives these types.
    const std::string text = generate(3000, 7, 2900);
    const Table t = read(text, {}, 8);
    CHECK(t.type("num") == ColumnType::numeric);
    CHECK(t.type("late_text") == ColumnType::categorical);
    CHECK(t.type("cat") == ColumnType::categorical);
    CHECK(t.type("dates") == ColumnType::datetime);
    CHECK(t.type("late_dates") == ColumnType::datetime);
    CHECK(t.type("dates_then_num") == ColumnType::categorical);
    CHECK(t.type("num_then_date") == ColumnType::categorical);
    CHECK(t.type("all_na") == ColumnType::numeric);
    CHECK(t.type("date_late_word") == ColumnType::categorical);
    CHECK(t.categorical("cat").dictionary.size() > 1500);
    // And the input does split into 8 pieces at record starts.
    const std::string_view records = std::string_view(text).substr(text.find('\n') + 1);
    CHECK(reprep::detail::csv_cuts(records, 8, 1).size() == 9);
}

TEST_CASE("n_jobs with options: header = false, another separator, declared types") {
    std::string text = generate(800, 3, 400);
    text = text.substr(text.find('\n') + 1);  // no header
    for (char& c : text)
        if (c == ',') c = ';';  // the quoted commas become semicolons inside quotes too
    CsvOptions o{.separator = ';', .header = false, .column_types = {{"x0", ColumnType::categorical},
                                                                    {"x4", ColumnType::categorical},
                                                                    {"x2", ColumnType::categorical}}};
    const Table one = read(text, o, 1);
    CHECK(one.type("x0") == ColumnType::categorical);
    for (const int jobs : {2, 8}) check_identical(one, read(text, o, jobs));
}

TEST_CASE("one column with empty lines: missing values in every piece") {
    std::string text = "x\n";
    std::uint64_t s = 5;
    for (int r = 0; r < 300; ++r) text += splitmix(s) % 4 == 0 ? "\n" : (splitmix(s) % 2 ? "a\n" : "\r\n");
    const Table one = read(text, {}, 1);
    for (const int jobs : {2, 8}) check_identical(one, read(text, {}, jobs));
}

TEST_CASE("inputs with fewer records than threads, or none") {
    for (const std::string text : {"a,b\n", "a,b\n1,2\n", "a,b\n1,x\n2,y", "a,b\n\"1\n\",2\n3,4\r\n"}) {
        CAPTURE(text);
        const Table one = read(text, {}, 1);
        check_identical(one, read(text, {}, 8));
        check_identical(one, read(text, {}, -1));
    }
}

TEST_CASE("an error in any piece gives the one-thread error text, the first bad row's") {
    const std::string good = generate(2000, 11, 1000);
    // Replaces the whole record that starts at the first record start after fraction f of
    // the text with `bad` (record starts: line starts with an even number of quotes before).
    auto with_bad = [](std::string text, double f, const std::string& bad) {
        auto record_start = [&](std::size_t from) {
            for (std::size_t at = text.find('\n', from); at != std::string::npos; at = text.find('\n', at + 1)) {
                if (std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '"') % 2 == 0) return at + 1;
            }
            return text.size();
        };
        const std::size_t at = record_start(static_cast<std::size_t>(f * static_cast<double>(text.size())));
        const std::size_t end = record_start(at) - 1;  // the record's line feed
        REQUIRE(end < text.size());
        text.replace(at, end - at, bad);
        return text;
    };
    const std::vector<std::string> bads = {
        "1,2,3",                                          // ragged: too few fields
        "1,2,c1,w,2024-01-01,,2021-03-04,1,,x,extra",   // ragged: too many
        "1,2,c1,a\"b,2024-01-01,,2021-03-04,1,,x",     // a quote inside an unquoted field
        "1,2,c1,w,2024-13-01,,2021-03-04,1,,x",        // not a valid date in a datetime column
        "1,2,c1,\"open,2024-01-01,,2021-03-04,1,,x",   // an unterminated quote (to the end)
        "1,2,c1,w,2024-01-01,,2021-03-04,1,,x\rz",     // a bare carriage return
    };
    for (const auto& bad : bads) {
        CAPTURE(bad);
        for (const double f : {0.05, 0.6, 0.97}) {
            CAPTURE(f);
            const std::string text = with_bad(good, f, bad);
            const std::string one = error_of(text, {}, 1);
            CHECK(one != "no error");
            for (const int jobs : {2, 3, 8}) CHECK(error_of(text, {}, jobs) == one);
        }
        // Errors in two pieces: the first one wins, as with one thread.
        const std::string two = with_bad(with_bad(good, 0.7, bad), 0.2, "1,2,3");
        const std::string one = error_of(two, {}, 1);
        CHECK(one.find("line") != std::string::npos);
        for (const int jobs : {2, 8}) CHECK(error_of(two, {}, jobs) == one);
    }
    // A declared type refused late, and an invalid date where the column has read no number.
    CsvOptions o{.column_types = {{"late_text", ColumnType::numeric}}};
    const std::string one = error_of(good, o, 1);
    CHECK(one.find("declared numeric") != std::string::npos);
    CHECK(error_of(good, o, 8) == one);
    const std::string undated = with_bad(good, 0.8, "1,2,c1,w,NA,,2021-03-04,1,,x");
    check_identical(read(undated, {}, 1), read(undated, {}, 8));
}

TEST_CASE("read_csv_string with n_jobs: the public path, and n_jobs is checked") {
    const std::string text = generate(12000, 99, 11000);  // above 2 x 256 KB: two pieces
    REQUIRE(text.size() > 2 * reprep::detail::kCsvMinPieceBytes);
    const Table one = reprep::read_csv_string(text);
    check_identical(one, reprep::read_csv_string(text, CsvOptions{.n_jobs = 2}));
    check_identical(one, reprep::read_csv_string(text, CsvOptions{.n_jobs = -1}));
    CHECK_THROWS_AS(reprep::read_csv_string(text, CsvOptions{.n_jobs = 0}), reprep::InvalidParameter);
    CHECK_THROWS_AS(reprep::read_csv_string("a\n1\n", CsvOptions{.n_jobs = -2}), reprep::InvalidParameter);
}

TEST_CASE("parse_double's short-decimal path gives strtod's bits") {
    std::uint64_t s = 2026;
    std::size_t fast = 0;
    double v = 0;
    for (int i = 0; i < 200000; ++i) {
        std::string t;
        if (splitmix(s) % 3 == 0) t += splitmix(s) % 2 ? '-' : '+';
        const std::size_t int_digits = 1 + splitmix(s) % 12;
        for (std::size_t k = 0; k < int_digits; ++k) t += static_cast<char>('0' + splitmix(s) % 10);
        if (splitmix(s) % 4 != 0) {
            t += '.';
            const std::size_t frac = 1 + splitmix(s) % 10;
            for (std::size_t k = 0; k < frac; ++k) t += static_cast<char>('0' + splitmix(s) % 10);
        }
        if (splitmix(s) % 4 == 0) {
            t += splitmix(s) % 2 ? 'e' : 'E';
            const int e = static_cast<int>(splitmix(s) % 61) - 30;
            t += (e < 0 ? "-" : (splitmix(s) % 2 ? "+" : "")) + std::to_string(e < 0 ? -e : e);
        }
        CAPTURE(t);
        double w = 0;
        if (!reprep::detail::parse_short_decimal(t, w)) continue;
        ++fast;
        const double ref = std::strtod(t.c_str(), nullptr);
        CHECK(std::memcmp(&w, &ref, sizeof w) == 0);
        REQUIRE(reprep::detail::parse_double(t, v) == reprep::detail::NumberParse::ok);
        CHECK(std::memcmp(&v, &ref, sizeof v) == 0);
    }
    CHECK(fast > 100000);
    // Outside the exact case: left to the general path.
    for (const char* t : {"9007199254740993", "1e23", "0.1e-23", "1234567890123456789", "1.", ".5", "inf", "nan",
                          "1e+", "1e00001", "+-1", "-"}) {
        CAPTURE(t);
        CHECK_FALSE(reprep::detail::parse_short_decimal(t, v));
    }
    CHECK(reprep::detail::parse_short_decimal("-0", v));
    CHECK(std::signbit(v));
}
