// CSV -> reprep::Table: CsvOptions and read_csv (the rules are in <reprep/core/csv.hpp>,
// which includes this header and adds write_csv; docs/table_csv.md has every rule).
// Split from csv.hpp along the read/write seam; users include <reprep/core/csv.hpp>.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <concepts>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_tokenizer.hpp"
#include "detail/csv_text.hpp"
#include "datetime.hpp"
#include "detail/os_reason.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "table.hpp"

namespace reprep {

struct CsvOptions {
    char separator = ',';
    bool header = true;                                // false: names x0, x1, ...
    std::vector<std::string> na_values = {"", "NA", "NaN", "null"};
    std::map<std::string, ColumnType> column_types = {};  // per-column override; others inferred
};

Table read_csv(const std::filesystem::path& path, const CsvOptions& options = {});
Table read_csv(std::istream& in, const CsvOptions& options = {});
Table read_csv_string(std::string_view text, const CsvOptions& options = {});
// Reads with the types of a schema, e.g. a fitted pipeline's input_schema(): each schema
// column has its fitted type whatever its fields look like (an empty field in a one-row
// request is a missing category, not a number), other columns are inferred. A file that
// lacks required schema columns is refused with one SchemaError naming every one of them;
// a column that is not required (a pipeline whose serving policy fills absent columns)
// may be absent, and the pipeline's transform fills it.
// (options.column_types may add columns outside the schema; the schema wins on its own.)
// Templates only so that read_csv(path, {.separator = ';'}) stays unambiguous: a braced
// list never deduces S, so it always means CsvOptions.
template <std::same_as<std::vector<SchemaColumn>> S>
Table read_csv(const std::filesystem::path& path, const S& schema, CsvOptions options = {});
template <std::same_as<std::vector<SchemaColumn>> S>
Table read_csv_string(std::string_view text, const S& schema, CsvOptions options = {});
// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

namespace detail {

inline void check_csv_options(const CsvOptions& o) {
    const char s = o.separator;
    // Characters that can occur in a written number would make numeric fields ambiguous.
    const bool bad = s == '"' || s == '\n' || s == '\r' || s == '\0' || (s >= '0' && s <= '9') ||
                     std::string_view("+-.eEiInNfFaAtTyY").find(s) != std::string_view::npos;
    if (bad) {
        fail<InvalidParameter>({.component = "read_csv",
                                .problem = std::string("separator '") + s + "' is not allowed",
                                .fix = "use a separator that cannot occur in numbers or line breaks, e.g. ',', ';' "
                                       "or '\\t'",
                                .column = "separator"});
    }
}

inline std::string quote_for_message(std::string_view v) {
    constexpr std::size_t kMax = 40;
    std::string s = "'";
    s.append(v.substr(0, kMax));
    if (v.size() > kMax) s += "...";
    return s + "'";
}

// One output column while the input streams past. An inferred column starts out
// numeric; the first field that is not a number turns it datetime if it is an ISO 8601
// date and no number came before it, categorical otherwise; a datetime column turns
// categorical at its first field that is not shaped like a date. The rows already read
// are then re-tokenized once to recover their strings.
struct CsvColumnState {
    bool forced = false;
    bool has_number = false;  // a non-missing number was read (a date can no longer start a datetime column)
    ColumnType type = ColumnType::numeric;
    std::vector<double> values;
    std::vector<std::int64_t> nanos;
    CategoricalColumn categorical;
    DictionaryBuilder dict;
};

// `if_present`: column types that apply only to columns the file has (a schema's columns
// that are not required).
inline Table read_csv_text(std::string_view text, const CsvOptions& options, std::string_view source,
                           const std::map<std::string, ColumnType>* if_present = nullptr) {
    check_csv_options(options);
    if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) text.remove_prefix(3);
    if (text.empty()) {
        if (!options.column_types.empty()) {
            fail<SchemaError>({.component = "read_csv",
                               .problem = "column_types names a column the CSV does not have (the input is empty)",
                               .fix = "pass a CSV with a header line, or leave the column out of column_types",
                               .column = options.column_types.begin()->first});
        }
        return Table{};
    }
    const Utf8Error bad = find_invalid_utf8(text);
    CsvTokenizer tok(text, options.separator, source, bad);
    const NaMatcher is_na(options.na_values);

    // Line feeds bound the number of records, so each column is allocated once. So
    // does the width: every record but the last holds width - 1 separators and a line
    // end, so there are at most size / width + 1 records. Reserving the smaller bound
    // keeps the reservation linear in the input: max_records alone, for every column,
    // is quadratic (8 KB of separators and line feeds reserved 131 MB, issue 14).
    std::size_t max_records = 1;
    for (const char* q = text.data(), *e = text.data() + text.size();
         (q = static_cast<const char*>(std::memchr(q, '\n', static_cast<std::size_t>(e - q)))); ++q) {
        ++max_records;
    }

    std::vector<std::string> names;
    std::vector<CsvColumnState> cols;
    auto set_up_columns = [&] {
        // Every absent column at once (in byte order, as the map holds them), so that a
        // request missing three columns is fixed in one round.
        std::vector<std::string> absent;
        for (const auto& [name, type] : options.column_types)
            if (std::find(names.begin(), names.end(), name) == names.end()) absent.push_back(name);
        if (!absent.empty()) {
            std::string list;
            for (const auto& a : absent) list += (list.empty() ? "'" : ", '") + a + "'";
            fail<SchemaError>({.component = "read_csv",
                               .problem = absent.size() == 1 ? "column_types names a column the CSV does not have"
                                                             : "the CSV lacks " + std::to_string(absent.size()) +
                                                                   " columns named in column_types: " + list,
                               .fix = "check the spelling against the header, and send every column the schema needs",
                               .column = absent.front()});
        }
        cols.resize(names.size());
        max_records = std::min(max_records, text.size() / std::max<std::size_t>(names.size(), 1) + 1);
        for (std::size_t j = 0; j < names.size(); ++j) {
            auto it = options.column_types.find(names[j]);
            cols[j].forced = it != options.column_types.end();
            if (!cols[j].forced && if_present) {
                it = if_present->find(names[j]);
                cols[j].forced = it != if_present->end();
            }
            cols[j].type = cols[j].forced ? it->second : ColumnType::numeric;
            if (cols[j].type == ColumnType::numeric) cols[j].values.reserve(max_records);
            else if (cols[j].type == ColumnType::datetime) cols[j].nanos.reserve(max_records);
            else cols[j].categorical.codes.reserve(max_records);
        }
    };

    const char* data_begin = text.data();
    if (options.header) {
        tok.next_record(names, [&](std::size_t, const CsvField& f) { names.emplace_back(f.text); });
        // Duplicate names: found by sorting positions, so the report is deterministic.
        std::vector<std::size_t> order(names.size());
        for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return bytes_less(names[a], names[b]); });
        for (std::size_t k = 1; k < order.size(); ++k) {
            if (names[order[k]] == names[order[k - 1]]) {
                const std::size_t first = std::min(order[k], order[k - 1]);
                const std::size_t second = std::max(order[k], order[k - 1]);
                fail<InvalidInput>({.component = "read_csv",
                                    .problem = tok.where(1, second) + ": the header repeats the column name " +
                                               quote_for_message(names[second]) + " (first at field " +
                                               std::to_string(first + 1) + ")",
                                    .fix = "give every column a distinct name",
                                    .column = names[second]});
            }
        }
        set_up_columns();
        data_begin = tok.position();
    }

    // Columns that met their first non-number in the current record, with that
    // field (copied: its text may live in the tokenizer's scratch buffer). Batching
    // per record makes a footer row of text cost one re-read, not one per column.
    std::vector<std::pair<std::size_t, std::string>> switched;
    // Recovers the strings of rows [0, row) for the switched columns by re-reading
    // that prefix (already validated) once for all of them, then appends the field
    // that caused the switch. A column switches at most once, usually at row 0.
    auto backfill = [&](std::size_t row) {
        std::vector<char> is_switched(cols.size(), 0);
        for (const auto& [j, v] : switched) is_switched[j] = 1;
        if (row > 0) {
            const std::string_view prefix(data_begin,
                                          static_cast<std::size_t>(text.data() + text.size() - data_begin));
            CsvTokenizer again(prefix, options.separator, source, {});
            for (std::size_t r = 0; r < row; ++r) {
                again.next_record(names, [&](std::size_t k, const CsvField& f) {
                    if (!is_switched[k]) return;
                    CsvColumnState& c = cols[k];
                    c.categorical.codes.push_back(is_na(f) ? -1 : c.dict.code(c.categorical.dictionary, f.text));
                });
            }
        }
        for (auto& [j, v] : switched) {
            CsvColumnState& c = cols[j];
            c.categorical.codes.push_back(c.dict.code(c.categorical.dictionary, v));  // never missing: it failed to parse
        }
        switched.clear();
    };

    std::size_t row = 0;
    while (!tok.done()) {
        const std::size_t line = tok.line();
        if (names.empty() && !options.header) {
            // The first record fixes the width; peek at it with a throwaway tokenizer.
            CsvTokenizer peek(text, options.separator, source, bad);
            const std::size_t n = peek.next_record(names, [](std::size_t, const CsvField&) {});
            for (std::size_t j = 0; j < n; ++j) {
                std::string nm = "x";
                nm += std::to_string(j);
                names.push_back(std::move(nm));
            }
            set_up_columns();
        }
        const std::size_t width = names.size();
        // A value shaped like a date that is not one is refused wherever a date may stand
        // (a datetime column, or a column that has read no number yet): never guessed.
        const auto refuse_date = [&](std::size_t j, const CsvField& f, const DatetimeParseResult& d) {
            fail<InvalidInput>({.component = "read_csv",
                                .problem = tok.where(line, j) + ": value " + quote_for_message(f.text) +
                                           " is not a valid ISO 8601 datetime: " + d.why,
                                .fix = "correct the value (YYYY-MM-DD, then optionally Thh:mm:ss.fffffffff and Z or "
                                       "+hh:mm), add it to na_values, or declare the column categorical",
                                .column = names[j]});
        };
        const auto to_categorical = [&](std::size_t j, CsvColumnState& c, const CsvField& f) {
            c.type = ColumnType::categorical;
            c.values = {};
            c.nanos = {};
            c.categorical.codes.reserve(max_records);
            switched.emplace_back(j, std::string(f.text));
        };
        const std::size_t n = tok.next_record(names, [&](std::size_t j, const CsvField& f) {
            if (j >= width) return;  // a ragged row, reported once the record is counted
            CsvColumnState& c = cols[j];
            if (c.type == ColumnType::datetime) {
                if (is_na(f)) {
                    c.nanos.push_back(kNaT);
                    return;
                }
                const DatetimeParseResult d = parse_datetime(f.text);
                if (d.status == DatetimeParse::ok) {
                    c.nanos.push_back(d.nanos);
                    return;
                }
                if (d.status == DatetimeParse::invalid) refuse_date(j, f, d);
                double v = 0;  // "nan", write_csv's missing value when na_values has no token
                if (parse_double(f.text, v) == NumberParse::ok && v != v) {
                    c.nanos.push_back(kNaT);
                    return;
                }
                if (c.forced)
                    fail<InvalidInput>({.component = "read_csv",
                                        .problem = tok.where(line, j) + ": value " + quote_for_message(f.text) +
                                                   " is not an ISO 8601 datetime but the column is declared datetime",
                                        .fix = "correct the value, add it to na_values, or declare the column categorical",
                                        .column = names[j]});
                to_categorical(j, c, f);
                return;
            }
            if (c.type == ColumnType::numeric) {
                if (is_na(f)) {
                    c.values.push_back(std::numeric_limits<double>::quiet_NaN());
                    return;
                }
                double v = 0;
                const NumberParse st = parse_double(f.text, v);
                if (st == NumberParse::ok) {
                    // "nan" spellings are missing values; keep one NaN pattern.
                    c.values.push_back(v == v ? v : std::numeric_limits<double>::quiet_NaN());
                    c.has_number = c.has_number || v == v;
                    return;
                }
                if (!c.forced && !c.has_number) {
                    // Only missing values so far: the column may be a datetime column.
                    const DatetimeParseResult d = parse_datetime(f.text);
                    if (d.status == DatetimeParse::invalid) refuse_date(j, f, d);
                    if (d.status == DatetimeParse::ok) {
                        c.type = ColumnType::datetime;
                        c.nanos.reserve(max_records);
                        c.nanos.assign(c.values.size(), kNaT);
                        c.values = {};
                        c.nanos.push_back(d.nanos);
                        return;
                    }
                }
                if (c.forced) {
                    fail<InvalidInput>(
                        {.component = "read_csv",
                         .problem = tok.where(line, j) + ": value " + quote_for_message(f.text) +
                                    (st == NumberParse::out_of_range ? " is out of the range of a double"
                                                                     : " is not a number") +
                                    " but the column is declared numeric",
                         .fix = "correct the value, add it to na_values, or declare the column categorical",
                         .column = names[j]});
                }
                to_categorical(j, c, f);
                return;
            }
            c.categorical.codes.push_back(is_na(f) ? -1 : c.dict.code(c.categorical.dictionary, f.text));
        });
        if (n != width) {
            tok.error(line, std::min(n, width), names,
                      "the record has " + std::to_string(n) + " fields but the " +
                          (options.header ? "header has " : "first record has ") + std::to_string(width) +
                          (n < width ? " (a ragged row: fields missing from here on)"
                                     : " (a ragged row: extra fields from here on)"));
        }
        if (!switched.empty()) backfill(row);
        ++row;
    }

    Table table;
    for (std::size_t j = 0; j < names.size(); ++j) {
        if (cols[j].type == ColumnType::numeric) table.add_numeric(names[j], std::move(cols[j].values));
        else if (cols[j].type == ColumnType::datetime) table.add_datetime(names[j], std::move(cols[j].nanos));
        else table.add_categorical(names[j], std::move(cols[j].categorical));
    }
    return table;
}

}  // namespace detail

inline Table read_csv_string(std::string_view text, const CsvOptions& options) {
    return detail::read_csv_text(text, options, {});
}

namespace detail {
// The schema's required columns join options.column_types (absent ones are refused);
// the others go to `if_present`, typed when the file has them.
inline CsvOptions with_schema(const std::vector<SchemaColumn>& schema, CsvOptions options,
                              std::map<std::string, ColumnType>& if_present) {
    for (const auto& c : schema) {
        if (c.required) options.column_types[c.name] = c.type;
        else if (!options.column_types.count(c.name)) if_present[c.name] = c.type;
    }
    return options;
}
// read_csv(path)'s file reading, shared with the schema form.
inline std::string read_csv_file(const std::filesystem::path& path);
}  // namespace detail

template <std::same_as<std::vector<SchemaColumn>> S>
Table read_csv_string(std::string_view text, const S& schema, CsvOptions options) {
    std::map<std::string, ColumnType> if_present;
    const CsvOptions o = detail::with_schema(schema, std::move(options), if_present);
    return detail::read_csv_text(text, o, {}, &if_present);
}

inline Table read_csv(std::istream& in, const CsvOptions& options) {
    std::string buffer;
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        buffer.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        detail::fail<InvalidInput>({.component = "read_csv", .problem = "the input stream failed while reading",
                                    .fix = "check that the source can be read, and read again"});
    }
    return detail::read_csv_text(buffer, options, {});
}

inline std::string detail::read_csv_file(const std::filesystem::path& path) {
    // IoError with the OS's reason, as save and load raise (a missing file is not bad
    // input: nothing was read).
    errno = 0;
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        const int err = errno;
        detail::fail<IoError>({.component = "read_csv",
                               .problem = "cannot open '" + path.string() + "': " + detail::os_reason(err, path),
                               .fix = "check the path (relative paths start at the working directory) and its permissions"});
    }
    std::string buffer;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec) buffer.reserve(static_cast<std::size_t>(size));
    buffer.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    if (f.bad()) {
        detail::fail<IoError>({.component = "read_csv",
                               .problem = "reading '" + path.string() + "' failed: " + detail::os_reason(errno, path),
                               .fix = "check that the file is readable and not being replaced while it is read"});
    }
    return buffer;
}

inline Table read_csv(const std::filesystem::path& path, const CsvOptions& options) {
    return detail::read_csv_text(detail::read_csv_file(path), options, path.filename().string());
}

template <std::same_as<std::vector<SchemaColumn>> S>
Table read_csv(const std::filesystem::path& path, const S& schema, CsvOptions options) {
    std::map<std::string, ColumnType> if_present;
    const CsvOptions o = detail::with_schema(schema, std::move(options), if_present);
    return detail::read_csv_text(detail::read_csv_file(path), o, path.filename().string(), &if_present);
}

}  // namespace reprep
