// Re-readable sources of Table chunks, for fits that read the data more than once
// (exact quantiles in bounded memory take up to 4 passes; docs/distributed.md,
// "Out-of-core fitting").
//
//   ChunkSource   the interface: for_each(visit) reads every chunk from the first, and
//                 may be called again (each pass of a fit calls it once)
//   TableChunks   over a vector of Tables held in memory
//   CsvChunks     over a CSV file read in blocks of a fixed number of records: memory is
//                 one block plus a 1 MiB read buffer, whatever the file size
//
// A source must yield the same rows on every read; fits check it and raise InvalidInput
// when a later pass counts other data than the first.
#pragma once

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "csv_read.hpp"
#include "error.hpp"
#include "table.hpp"

namespace reprep {

class ChunkSource {
public:
    virtual ~ChunkSource() = default;
    // Calls visit(chunk) for every chunk in order. A chunk is valid during its call only.
    virtual void for_each(const std::function<void(const Table&)>& visit) const = 0;
};

class TableChunks final : public ChunkSource {
public:
    explicit TableChunks(std::vector<Table> chunks) : chunks_(std::move(chunks)) {}
    void for_each(const std::function<void(const Table&)>& visit) const override {
        for (const auto& t : chunks_) visit(t);
    }
    const std::vector<Table>& chunks() const { return chunks_; }

private:
    std::vector<Table> chunks_;
};

// The file is parsed by read_csv's own rules, block by block: each block is the header
// plus up to rows_per_chunk records. A column's type is inferred from the first block
// (or taken from options.column_types) and then held for every later block, so a
// numeric column stays numeric; a later field that is not a number is an InvalidInput
// naming the column and the record, with the fix (declare the type in column_types).
class CsvChunks final : public ChunkSource {
public:
    CsvChunks(std::filesystem::path path, std::size_t rows_per_chunk, CsvOptions options = {});
    void for_each(const std::function<void(const Table&)>& visit) const override;
    std::size_t rows_per_chunk() const { return rows_per_chunk_; }

private:
    std::filesystem::path path_;
    std::size_t rows_per_chunk_;
    CsvOptions options_;
};

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

inline CsvChunks::CsvChunks(std::filesystem::path path, std::size_t rows_per_chunk, CsvOptions options)
    : path_(std::move(path)), rows_per_chunk_(rows_per_chunk), options_(std::move(options)) {
    if (rows_per_chunk_ == 0)
        detail::fail<InvalidParameter>({.component = "CsvChunks",
                                        .problem = "rows_per_chunk must be at least 1",
                                        .fix = "pass the number of records to read per chunk, e.g. 65536",
                                        .column = "rows_per_chunk"});
    detail::check_csv_options(options_);
}

namespace detail {
// Finds record ends in CSV bytes arriving piece by piece: a line feed ends a record
// unless it is inside quotes (a doubled quote toggles twice, so it needs no case).
class CsvRecordScanner {
public:
    // Returns the position just past the next record end at or after `from`, or npos.
    std::size_t next_end(std::string_view text, std::size_t from) {
        for (std::size_t i = from; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '"') quoted_ = !quoted_;
            else if (c == '\n' && !quoted_) return i + 1;
        }
        return std::string_view::npos;
    }

private:
    bool quoted_ = false;
};
}  // namespace detail

inline void CsvChunks::for_each(const std::function<void(const Table&)>& visit) const {
    errno = 0;
    std::ifstream f(path_, std::ios::binary);
    if (!f) {
        const int err = errno;
        detail::fail<IoError>({.component = "CsvChunks",
                               .problem = "cannot open '" + path_.string() + "': " + detail::os_reason(err, path_),
                               .fix = "check the path (relative paths start at the working directory) and its permissions"});
    }
    std::string text;      // unparsed bytes: [0, done) are whole records of the current block
    std::string header;    // the header record, with its line end
    std::size_t done = 0, scanned = 0, records = 0;
    std::size_t first_record = 0;  // 0-based data record at which the current block starts
    bool header_read = !options_.header, eof = false;
    detail::CsvRecordScanner scanner;
    CsvOptions block_options = options_;
    bool types_fixed = false;
    std::vector<char> buffer(std::size_t{1} << 20);

    auto emit = [&](std::size_t end) {
        if (end == 0) return;
        const std::string block = header + text.substr(0, end);
        Table t;
        try {
            t = detail::read_csv_text(block, block_options, path_.filename().string());
        } catch (const Error& e) {
            // read_csv counts lines from the block's header: say where the block starts.
            ErrorContext ctx = e.context();
            ctx.component = "CsvChunks";
            ctx.problem = "in the block of records " + std::to_string(first_record + 1) + ".." +
                          std::to_string(first_record + records) + " of '" + path_.filename().string() +
                          "' (lines count from the block's first line): " + ctx.problem;
            if (ctx.row) ctx.row = *ctx.row + first_record;
            if (!types_fixed) e.rethrow_with(std::move(ctx));
            if (ctx.fix.empty() || ctx.fix.find("declare") != std::string::npos)
                ctx.fix = "types are inferred from the first block; declare the column's type in "
                          "CsvOptions::column_types";
            e.rethrow_with(std::move(ctx));
        }
        if (!types_fixed) {
            // Later blocks keep the first block's types, so the chunks form one schema.
            for (const auto& name : t.column_names()) block_options.column_types.emplace(name, t.type(name));
            types_fixed = true;
        }
        first_record += records;
        records = 0;
        text.erase(0, end);
        scanned -= end;
        done = 0;
        visit(t);
    };

    while (true) {
        if (!eof) {
            f.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            const auto got = static_cast<std::size_t>(f.gcount());
            if (got == 0) {
                if (f.bad())
                    detail::fail<IoError>({.component = "CsvChunks",
                                           .problem = "reading '" + path_.string() + "' failed: " +
                                                      detail::os_reason(errno, path_),
                                           .fix = "check that the file is readable and not being replaced"});
                eof = true;
            } else {
                text.append(buffer.data(), got);
            }
        }
        while (true) {
            const std::size_t end = scanner.next_end(text, scanned);
            if (end == std::string_view::npos) {
                scanned = text.size();
                break;
            }
            scanned = end;
            if (!header_read) {
                header = text.substr(0, end);
                text.erase(0, end);
                scanned = 0;
                header_read = true;
                continue;
            }
            done = end;
            if (++records == rows_per_chunk_) emit(done);
        }
        if (eof) break;
    }
    // The last record may lack its line end.
    if (!header_read) {
        header = text;
        text.clear();
    }
    if (done < text.size()) {
        ++records;
        done = text.size();
    }
    emit(done);
}

}  // namespace reprep
