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
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_tokenizer.hpp"
#include "csv_pieces.hpp"
#include "csv_records.hpp"
#include "detail/csv_text.hpp"
#include "detail/huge_pages.hpp"
#include "datetime.hpp"
#include "detail/os_reason.hpp"
#include "error.hpp"
#include "hash.hpp"
#include "parallel.hpp"
#include "table.hpp"

namespace reprep {

struct CsvOptions {
    char separator = ',';
    bool header = true;                                // false: names x0, x1, ...
    std::vector<std::string> na_values = {"", "NA", "NaN", "null"};
    std::map<std::string, ColumnType> column_types = {};  // per-column override; others inferred
    // Threads for read_csv: 1 (the default), k > 1, or -1 (every hardware thread). The
    // Table is the same for any value; inputs under about 256 KB per thread use fewer.
    int n_jobs = 1;
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

// `if_present`: column types that apply only to columns the file has (a schema's columns
// that are not required).
// `min_piece_bytes`: the smallest piece worth a thread when options.n_jobs > 1 (tests
// pass 1 to split small inputs).
inline constexpr std::size_t kCsvMinPieceBytes = std::size_t{1} << 18;
inline Table read_csv_text(std::string_view text, const CsvOptions& options, std::string_view source,
                           const std::map<std::string, ColumnType>* if_present = nullptr,
                           std::size_t min_piece_bytes = kCsvMinPieceBytes) {
    check_csv_options(options);
    const std::size_t jobs = thread_count(options.n_jobs, "read_csv");
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

    std::vector<std::string> names;
    const char* data_begin = text.data();
    // Call with tok at the first data record.
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
        data_begin = tok.position();
    };

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
    } else {
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
    const std::string_view records(data_begin, static_cast<std::size_t>(text.data() + text.size() - data_begin));
    const CsvReadContext ctx{names, options.separator, options.header, is_na, source};
    if (jobs > 1 && bad.offset == std::string_view::npos) {
        // Pieces on threads; nullopt when the input did not split or a piece failed,
        // and the one-thread read below then gives the result or the error.
        std::optional<Table> t = read_csv_pieces(records, jobs, min_piece_bytes, ctx, options.column_types, if_present);
        if (t) return std::move(*t);
    }
    const std::size_t max_records = csv_max_records(records, names.size());
    std::vector<CsvColumnState> cols = csv_columns(names, options.column_types, if_present, max_records);
    read_csv_records(tok, records, cols, ctx, max_records);

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
    // One read of the expected size, then chunks for anything the file gained meanwhile:
    // an istreambuf_iterator copy went byte by byte (perf: 10-15% of reading a 100 MB file).
    std::string buffer;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > 0) {
        // Allocated (untouched) first, so that the hint applies before the first write.
        buffer.reserve(static_cast<std::size_t>(size));
        detail::advise_huge_pages(buffer.data(), buffer.capacity());
        buffer.resize(static_cast<std::size_t>(size));
        f.read(buffer.data(), static_cast<std::streamsize>(size));
        buffer.resize(static_cast<std::size_t>(f.gcount()));
    }
    if (f.good()) {
        char chunk[1 << 16];
        while (f.read(chunk, sizeof chunk) || f.gcount() > 0) buffer.append(chunk, static_cast<std::size_t>(f.gcount()));
    }
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
