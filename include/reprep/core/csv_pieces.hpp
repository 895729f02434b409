// read_csv with n_jobs > 1: the records are cut into pieces at line ends outside quotes,
// each piece is read on its own thread by the same record loop as one thread uses, and
// the pieces are merged into the Table one thread gives, bit for bit:
//
//   * Cuts. A line feed ends a record when an even number of quotes precedes it (in valid
//     CSV every quote opens or closes a quoted field or is one of a doubled pair). Each
//     piece is read with a tokenizer that ends at its cut, so a cut inside a quoted field
//     (possible only in invalid input) leaves an unterminated quote in that piece: every
//     piece that reads without error starts and ends where one thread's records do.
//   * Errors. Any piece that throws sends the whole input back to the one-thread read,
//     which reports the first bad row exactly as it always does (line numbers count from
//     the start of the file, and the first error wins). A piece never misses an error one
//     thread would raise: a piece starts its columns with no history, the state in which
//     inference refuses the most (see merge_type).
//   * Types. An inferred column's type over the whole input follows from each piece's
//     final type and whether it read a number (merge_type). A column that one thread ends
//     categorical holds each field's string, whatever the inference did on the way, so a
//     piece that read it as numbers or dates is re-read for its strings.
//   * Categories. Codes follow first appearance over the whole input: the pieces'
//     dictionaries are merged in piece order and each piece's codes remapped.
// Internal; users include <reprep/core/csv.hpp>.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "table.hpp"
#include "csv_records.hpp"

namespace reprep::detail {

// Parity of the quotes in [p, e).
inline bool csv_odd_quotes(const char* p, const char* e) noexcept {
    bool odd = false;
    while ((p = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(e - p))))) {
        odd = !odd;
        ++p;
    }
    return odd;
}

// Offsets into `records` where pieces start, then records.size(): at most `pieces`
// pieces of about equal size, none under min_bytes (but the last), each cut just past a
// line feed preceded by an even number of quotes.
inline std::vector<std::size_t> csv_cuts(std::string_view records, std::size_t pieces, std::size_t min_bytes) {
    std::vector<std::size_t> cuts{0};
    const char* const b = records.data();
    const char* const e = b + records.size();
    const char* scanned = b;  // quotes counted in [b, scanned)
    bool odd = false;
    min_bytes = std::max<std::size_t>(min_bytes, 1);
    for (std::size_t i = 1; i < pieces; ++i) {
        const std::size_t target = std::max(records.size() / pieces * i, cuts.back() + min_bytes);
        if (target >= records.size()) break;
        if (b + target > scanned) {
            odd ^= csv_odd_quotes(scanned, b + target);
            scanned = b + target;
        }
        const char* cut = nullptr;
        while (const char* nl = static_cast<const char*>(std::memchr(scanned, '\n', static_cast<std::size_t>(e - scanned)))) {
            odd ^= csv_odd_quotes(scanned, nl);
            scanned = nl + 1;  // a line feed is no quote: the parity holds past it
            if (!odd) {
                cut = scanned;
                break;
            }
        }
        if (!cut || cut == e) break;
        cuts.push_back(static_cast<std::size_t>(cut - b));
    }
    cuts.push_back(records.size());
    return cuts;
}

// Runs fn(i) for i in [0, n): i > 0 on new threads, 0 on the calling one. fn must not
// throw. A thread that cannot be started runs its piece on the calling thread.
template <class Fn>
void csv_run_pieces(std::size_t n, Fn&& fn) {
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (std::size_t i = 1; i < n; ++i) {
        try {
            threads.emplace_back([&fn, i] { fn(i); });
        } catch (...) {
            fn(i);
        }
    }
    fn(0);
    for (auto& t : threads) t.join();
}

// The type one thread gives an inferred column, from each piece's final type and whether
// it read a number, folded in piece order. One thread's state over a column is numeric
// (with or without a number read), datetime or categorical; a piece starts from numeric
// without a number, where inference refuses the most, so one thread raises no error
// that the piece missed:
//   numeric + numeric piece             -> numeric (a number read if either read one)
//   numeric, no number + datetime piece -> datetime (its leading fields were missing)
//   numeric, a number + datetime piece  -> categorical (one thread: a date after a number)
//   datetime + numeric piece            -> datetime if the piece read no number (only
//                                          missing values), else categorical
//   datetime + datetime piece           -> datetime
//   anything + categorical piece, categorical + anything -> categorical
struct CsvMergedType {
    ColumnType type = ColumnType::numeric;
    bool has_number = false;
};
inline CsvMergedType merge_type(CsvMergedType acc, const CsvColumnState& piece) {
    if (acc.type == ColumnType::categorical || piece.type == ColumnType::categorical) return {ColumnType::categorical, false};
    if (acc.type == ColumnType::numeric) {
        if (piece.type == ColumnType::numeric) return {ColumnType::numeric, acc.has_number || piece.has_number};
        return {acc.has_number ? ColumnType::categorical : ColumnType::datetime, false};
    }
    // acc is datetime
    if (piece.type == ColumnType::datetime || !piece.has_number) return {ColumnType::datetime, false};
    return {ColumnType::categorical, false};
}

struct CsvPiece {
    std::string_view text;
    std::vector<CsvColumnState> cols;
    std::size_t rows = 0;
};

// Re-reads a piece for the strings of the columns marked in `want` (their codes in a
// fresh dictionary, as one thread's backfill builds them). The piece read once without
// error, so this read cannot fail.
inline void csv_reread_strings(CsvPiece& p, const std::vector<char>& want, const CsvReadContext& ctx) {
    for (std::size_t j = 0; j < want.size(); ++j) {
        if (!want[j]) continue;
        CsvColumnState& c = p.cols[j];
        c.type = ColumnType::categorical;
        c.values = {};
        c.nanos = {};
        c.categorical = {};
        c.dict = DictionaryBuilder{};
        c.categorical.codes.reserve(p.rows);
    }
    CsvTokenizer tok(p.text, ctx.separator, ctx.source, {});
    while (!tok.done()) {
        tok.next_record(ctx.names, [&](std::size_t j, const CsvField& f) {
            if (j >= want.size() || !want[j]) return;
            CsvColumnState& c = p.cols[j];
            c.categorical.codes.push_back(ctx.is_na(f) ? -1 : c.dict.code(c.categorical.dictionary, f.text));
        });
    }
}

// The Table of reading `records` with n_jobs = jobs, or nullopt to read on one thread
// (the input did not split, or a piece failed: the one-thread read gives the error).
inline std::optional<Table> read_csv_pieces(std::string_view records, std::size_t jobs, std::size_t min_piece_bytes,
                                            const CsvReadContext& ctx,
                                            const std::map<std::string, ColumnType>& column_types,
                                            const std::map<std::string, ColumnType>* if_present) {
    const std::vector<std::size_t> cuts = csv_cuts(records, jobs, min_piece_bytes);
    const std::size_t n = cuts.size() - 1;
    if (n < 2) return std::nullopt;
    const std::size_t width = ctx.names.size();
    std::vector<CsvPiece> pieces(n);
    std::vector<char> failed(n, 0);
    csv_run_pieces(n, [&](std::size_t i) {
        try {
            CsvPiece& p = pieces[i];
            p.text = records.substr(cuts[i], cuts[i + 1] - cuts[i]);
            const std::size_t max_records = csv_max_records(p.text, width);
            p.cols = csv_columns(ctx.names, column_types, if_present, max_records);
            CsvTokenizer tok(p.text, ctx.separator, ctx.source, {});
            p.rows = read_csv_records(tok, p.text, p.cols, ctx, max_records);
        } catch (...) {
            failed[i] = 1;
        }
    });
    for (const char f : failed)
        if (f) return std::nullopt;

    // Each column's type over the whole input (a forced column keeps its type in every
    // piece), and the pieces that must be re-read for a categorical column's strings.
    std::vector<ColumnType> types(width);
    std::vector<std::vector<char>> reread(n, std::vector<char>(width, 0));
    bool any_reread = false;
    for (std::size_t j = 0; j < width; ++j) {
        CsvMergedType acc;
        for (const CsvPiece& p : pieces) acc = merge_type(acc, p.cols[j]);
        types[j] = pieces[0].cols[j].forced ? pieces[0].cols[j].type : acc.type;
        if (types[j] != ColumnType::categorical) continue;
        for (std::size_t i = 0; i < n; ++i) {
            if (pieces[i].cols[j].type != ColumnType::categorical) {
                reread[i][j] = 1;
                any_reread = true;
            }
        }
    }
    if (any_reread) {
        csv_run_pieces(n, [&](std::size_t i) {
            try {
                csv_reread_strings(pieces[i], reread[i], ctx);
            } catch (...) {
                failed[i] = 1;
            }
        });
        for (const char f : failed)
            if (f) return std::nullopt;
    }

    std::size_t rows = 0;
    for (const CsvPiece& p : pieces) rows += p.rows;
    Table table;
    for (std::size_t j = 0; j < width; ++j) {
        if (types[j] == ColumnType::numeric) {
            std::vector<double> v = std::move(pieces[0].cols[j].values);
            v.reserve(rows);
            for (std::size_t i = 1; i < n; ++i) v.insert(v.end(), pieces[i].cols[j].values.begin(), pieces[i].cols[j].values.end());
            table.add_numeric(ctx.names[j], std::move(v));
        } else if (types[j] == ColumnType::datetime) {
            std::vector<std::int64_t> v;
            v.reserve(rows);
            for (CsvPiece& p : pieces) {
                const CsvColumnState& c = p.cols[j];
                // A piece left numeric read only missing values (merge_type).
                if (c.type == ColumnType::datetime) v.insert(v.end(), c.nanos.begin(), c.nanos.end());
                else v.insert(v.end(), p.rows, kNaT);
            }
            table.add_datetime(ctx.names[j], std::move(v));
        } else {
            // The first piece's dictionary is the start of the merged one, in the same order.
            CategoricalColumn out = std::move(pieces[0].cols[j].categorical);
            DictionaryBuilder dict;
            {
                std::vector<std::string> rebuilt;
                rebuilt.reserve(out.dictionary.size());
                for (const std::string& s : out.dictionary) dict.code(rebuilt, s);
            }
            out.codes.reserve(rows);
            std::vector<std::int32_t> remap;
            for (std::size_t i = 1; i < n; ++i) {
                const CategoricalColumn& c = pieces[i].cols[j].categorical;
                remap.resize(c.dictionary.size());
                for (std::size_t k = 0; k < c.dictionary.size(); ++k) remap[k] = dict.code(out.dictionary, c.dictionary[k]);
                for (const std::int32_t code : c.codes) out.codes.push_back(code < 0 ? code : remap[static_cast<std::size_t>(code)]);
            }
            table.add_categorical(ctx.names[j], std::move(out));
        }
    }
    return table;
}

}  // namespace reprep::detail
