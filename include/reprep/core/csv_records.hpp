// read_csv's record loop: the fields of each record into typed columns, with the
// per-column type inference (numeric, then datetime or categorical at the first field
// that says so). Moved out of read_csv_text so that one loop serves the whole input on
// one thread and each piece of it when n_jobs > 1 (csv_pieces.hpp). Internal;
// users include <reprep/core/csv.hpp>.
#pragma once

#include <algorithm>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_tokenizer.hpp"
#include "datetime.hpp"
#include "error.hpp"
#include "table.hpp"
#include "detail/csv_text.hpp"
#include "detail/huge_pages.hpp"

namespace reprep::detail {

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

// What the record loop reads besides the text: the column names (for messages and the
// width), the separator, whether a header gave the names, the missing-value matcher and
// the source name for messages.
struct CsvReadContext {
    const std::vector<std::string>& names;
    char separator;
    bool header;
    const NaMatcher& is_na;
    std::string_view source;
};

// The columns' starting states: forced types from column_types (or `if_present`), the
// rest inferred from numeric; each column reserves max_records values once.
inline std::vector<CsvColumnState> csv_columns(const std::vector<std::string>& names,
                                               const std::map<std::string, ColumnType>& column_types,
                                               const std::map<std::string, ColumnType>* if_present,
                                               std::size_t max_records) {
    std::vector<CsvColumnState> cols(names.size());
    for (std::size_t j = 0; j < names.size(); ++j) {
        auto it = column_types.find(names[j]);
        cols[j].forced = it != column_types.end();
        if (!cols[j].forced && if_present) {
            it = if_present->find(names[j]);
            cols[j].forced = it != if_present->end();
        }
        cols[j].type = cols[j].forced ? it->second : ColumnType::numeric;
        // Reserved untouched, then hinted (detail/huge_pages.hpp): the stores fault the pages in.
        if (cols[j].type == ColumnType::numeric) {
            cols[j].values.reserve(max_records);
            advise_huge_pages(cols[j].values.data(), cols[j].values.capacity() * sizeof(double));
        } else if (cols[j].type == ColumnType::datetime) {
            cols[j].nanos.reserve(max_records);
            advise_huge_pages(cols[j].nanos.data(), cols[j].nanos.capacity() * sizeof(std::int64_t));
        } else {
            cols[j].categorical.codes.reserve(max_records);
            advise_huge_pages(cols[j].categorical.codes.data(), cols[j].categorical.codes.capacity() * sizeof(std::int32_t));
        }
    }
    return cols;
}

// A bound on the records in `records` that stays linear in its size: line feeds bound
// them, and so does the width (every record but the last holds width - 1 separators and
// a line end); reserving max_records alone for every column is quadratic (8 KB of
// separators and line feeds reserved 131 MB, issue 14).
inline std::size_t csv_max_records(std::string_view records, std::size_t width) {
    std::size_t n = 1;
    for (const char* q = records.data(), *e = records.data() + records.size();
         (q = static_cast<const char*>(std::memchr(q, '\n', static_cast<std::size_t>(e - q)))); ++q) {
        ++n;
    }
    return std::min(n, records.size() / std::max<std::size_t>(width, 1) + 1);
}

// Reads every record left in `tok` into `cols` and returns how many it read. `records`
// is the text from the first of them to the end of tok's input: a column that turns
// categorical re-reads that prefix to recover the strings of its earlier rows.
inline std::size_t read_csv_records(CsvTokenizer& tok, std::string_view records, std::vector<CsvColumnState>& cols,
                                    const CsvReadContext& ctx, std::size_t max_records) {
    const std::vector<std::string>& names = ctx.names;
    const NaMatcher& is_na = ctx.is_na;
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
            CsvTokenizer again(records, ctx.separator, ctx.source, {});
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

    // A numeric column's plain short decimal, read in the tokenizer's one pass: the value
    // the lambda below would store (parse_double gives the same bits; a field whose first
    // character may start a missing-value token is left to it).
    const std::size_t width = names.size();
    const auto fast_number = [&](std::size_t j, const char* p, const char* e) -> const char* {
        if (j >= width || cols[j].type != ColumnType::numeric || is_na.may_start(*p)) return nullptr;
        double v;
        const char* q = scan_decimal_field(p, e, ctx.separator, v);
        if (q) {
            cols[j].values.push_back(v);
            cols[j].has_number = true;
        }
        return q;
    };
    std::size_t row = 0;
    while (!tok.done()) {
        const std::size_t line = tok.line();
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
        }, fast_number);
        if (n != width) {
            tok.error(line, std::min(n, width), names,
                      "the record has " + std::to_string(n) + " fields but the " +
                          (ctx.header ? "header has " : "first record has ") + std::to_string(width) +
                          (n < width ? " (a ragged row: fields missing from here on)"
                                     : " (a ragged row: extra fields from here on)"));
        }
        if (!switched.empty()) backfill(row);
        ++row;
    }

    return row;
}

}  // namespace reprep::detail
