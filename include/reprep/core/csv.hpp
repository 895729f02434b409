// read_csv / write_csv: CSV <-> reprep::Table (docs/table_csv.md has every rule).
//
//   * RFC 4180 quoting: quoted fields may hold separators, doubled quotes and line
//     breaks; records end in LF or CRLF; the first record is the header (unless
//     header = false, then columns are x0, x1, ...). A UTF-8 byte order mark at the
//     very start is skipped.
//   * A quoted field is always a value: na_values apply to unquoted fields only, so
//     write_csv can store the strings "" and "NA" and read them back as such.
//   * Type inference per column: numeric if every non-missing field is a number in
//     the strict grammar of detail::matches_number_grammar (a leading '+', inf,
//     infinity and nan are numbers; nan is missing), else categorical. Quoting does
//     not affect inference. CsvOptions::column_types overrides it per column.
//   * Bad input throws InvalidInput (component "read_csv") naming the line (1-based,
//     physical) and the field (1-based) and, when known, the column.
//   * Empty input (no bytes, or only a BOM) gives an empty Table.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "csv_read.hpp"  // CsvOptions, read_csv, and the field rules write_csv mirrors
#include "error.hpp"
#include "table.hpp"

namespace reprep {

// Doubles in the shortest form that reads back to the same bits (std::to_chars),
// missing values as the first NA token that reads back unquoted ("" by default; a
// numeric NaN falls back on "nan"), LF line ends, fields quoted only when needed.
void write_csv(const Table& t, std::ostream& out, const CsvOptions& options = {});

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

namespace detail {

inline bool csv_needs_quotes(std::string_view s, char sep) noexcept {
    if (s.size() >= 3 && std::memcmp(s.data(), "\xEF\xBB\xBF", 3) == 0) return true;
    for (const char c : s) {
        if (c == sep || c == '"' || c == '\n' || c == '\r') return true;
    }
    return false;
}

inline void csv_append_field(std::string& out, std::string_view s, bool quote) {
    if (!quote) {
        out.append(s);
        return;
    }
    out.push_back('"');
    for (const char c : s) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

}  // namespace detail

inline void write_csv(const Table& t, std::ostream& out, const CsvOptions& options) {
    detail::check_csv_options(options);
    const char sep = options.separator;
    const auto& names = t.column_names();
    if (names.empty()) return;
    std::string buf;
    constexpr std::size_t kFlush = 1 << 20;
    auto flush = [&] {
        out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
        buf.clear();
    };
    if (options.header) {
        for (std::size_t j = 0; j < names.size(); ++j) {
            if (j) buf.push_back(sep);
            detail::csv_append_field(buf, names[j], detail::csv_needs_quotes(names[j], sep));
        }
        buf.push_back('\n');
    }
    // Per column: the numeric span, or the dictionary with each entry's quoting decided once.
    struct Col {
        std::span<const double> num;
        std::span<const std::int64_t> dt;
        bool is_dt = false;
        const CategoricalColumn* cat = nullptr;
        std::vector<char> quote;
    };
    std::vector<Col> cols(names.size());
    const detail::NaMatcher is_na(options.na_values);
    // A missing value must read back as missing: an empty field when "" is an NA token,
    // else the first token that needs no quotes. A numeric column can always fall back
    // on "nan" (a number that reads as missing); a categorical one has no such spelling,
    // so it is refused before any byte is written.
    const bool empty_is_na = is_na(detail::CsvField{"", false});
    const auto token = std::find_if(options.na_values.begin(), options.na_values.end(), [&](const std::string& s) {
        return !s.empty() && !detail::csv_needs_quotes(s, sep);
    });
    const bool has_missing_token = empty_is_na || token != options.na_values.end();
    const std::string_view missing = empty_is_na || !has_missing_token ? std::string_view() : std::string_view(*token);
    const std::string_view numeric_missing = has_missing_token ? missing : std::string_view("nan");
    for (std::size_t j = 0; j < names.size() && !has_missing_token; ++j) {
        if (t.type(names[j]) != ColumnType::categorical) continue;
        const auto& codes = t.categorical(names[j]).codes;
        const auto it = std::find(codes.begin(), codes.end(), -1);
        if (it == codes.end()) continue;
        detail::fail<InvalidInput>(
            {.component = "write_csv",
             .problem = "a missing value cannot be written: options.na_values has no token that reads back as "
                        "missing without quotes",
             .fix = "add \"\" (or a token such as \"NA\") to na_values, or fill the missing values first",
             .column = names[j],
             .row = static_cast<std::size_t>(it - codes.begin())});
    }
    for (std::size_t j = 0; j < names.size(); ++j) {
        if (t.type(names[j]) == ColumnType::numeric) {
            cols[j].num = t.numeric(names[j]);
            continue;
        }
        if (t.type(names[j]) == ColumnType::datetime) {
            cols[j].dt = t.datetime(names[j]);
            cols[j].is_dt = true;
            continue;
        }
        cols[j].cat = &t.categorical(names[j]);
        const auto& dict = cols[j].cat->dictionary;
        cols[j].quote.resize(dict.size());
        for (std::size_t d = 0; d < dict.size(); ++d) {
            // A value that reads back as missing when unquoted must be quoted.
            cols[j].quote[d] = detail::csv_needs_quotes(dict[d], sep) || is_na(detail::CsvField{dict[d], false});
        }
    }
    char num[64];
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
        for (std::size_t j = 0; j < cols.size(); ++j) {
            if (j) buf.push_back(sep);
            const Col& c = cols[j];
            if (c.is_dt) {
                // A missing datetime is written as a numeric NaN is: "nan" reads back as missing
                // in a datetime column too (it is a number that means missing).
                if (c.dt[r] == kNaT) buf.append(numeric_missing);
                else buf.append(num, format_datetime(c.dt[r], num));
                continue;
            }
            if (!c.cat) {
                const double x = c.num[r];
                if (x != x) {
                    buf.append(numeric_missing);
                    continue;
                }
                const auto res = std::to_chars(num, num + sizeof num, x);
                buf.append(num, static_cast<std::size_t>(res.ptr - num));
                continue;
            }
            const std::int32_t code = c.cat->codes[r];
            if (code < 0) {
                buf.append(missing);
                continue;
            }
            const auto d = static_cast<std::size_t>(code);
            detail::csv_append_field(buf, c.cat->dictionary[d], c.quote[d] != 0);
        }
        buf.push_back('\n');
        if (buf.size() >= kFlush) flush();
    }
    flush();
    if (!out) {
        detail::fail<InvalidInput>({.component = "write_csv", .problem = "the output stream failed while writing",
                                    .fix = "check that the destination can be written (free space, permissions) and write again"});
    }
}

}  // namespace reprep
