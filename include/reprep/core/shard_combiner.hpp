// Combining what several processes fitted from their own rows (docs/distributed.md).
//
//   ShardCombiner   the interface a fit from a chunk source calls once per pass: every
//                   process hands its local state as canonical bytes and gets back the
//                   merge of every process's state, the same bytes on each
//   LocalCombiner   one process: the local state is the whole state
//
// A distributed engine implements ShardCombiner (reprep/distributed/mpi.hpp over MPI).
// Because each pass's plan is computed from the combined state, which is the same on
// every process, every process takes the same passes and calls combine() the same
// number of times: no process can wait for a message another will never send.
//
// Errors: combine() catches an exception from local() and ships it, typed, in place of
// the state; the merge of anything with an error is that error (the lowest process's
// when several fail), and every process raises it. Helpers for this and for shipping
// whole tables (a step that has no mergeable state gathers its rows) live here too.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive.hpp"
#include "error.hpp"
#include "table.hpp"

namespace reprep {

class ShardCombiner {
public:
    virtual ~ShardCombiner() = default;
    using Local = std::function<std::string()>;
    using Merge = std::function<std::string(std::string_view, std::string_view)>;
    // merge() over the local() bytes of every process, equal on every process. merge
    // must be associative and commutative on the states (exact integer merges are).
    virtual std::string combine(const Local& local, const Merge& merge) const = 0;
};

class LocalCombiner final : public ShardCombiner {
public:
    std::string combine(const Local& local, const Merge& /*merge*/) const override { return local(); }
};

namespace detail {

// The message a process ships (docs/format.md, "Shard states"): u8 tag (0 = a state,
// 1 = an error), u32 shard_state_version, then the state's bytes or the error (its
// type code, then the ErrorContext fields). A process refuses another version.
// 2: KBinsDiscretizer's kmeans passes, SimpleImputer most_frequent's value counts, the
//    training profile's passes, TargetEncoder's per-fold accumulators, and the checked
//    chunks of the kinds whose fit learns nothing from the values (compose/step.hpp),
//    which gathered rows before (one bump for this stop's branches).
inline constexpr std::uint32_t shard_state_version = 2;

enum class ErrorCode : std::uint8_t {
    error, not_fitted, schema, unknown_category, invalid_input, format, environment, io, invalid_parameter
};

inline ErrorCode error_code(const Error& e) {
    if (dynamic_cast<const InvalidParameter*>(&e)) return ErrorCode::invalid_parameter;
    if (dynamic_cast<const NotFitted*>(&e)) return ErrorCode::not_fitted;
    if (dynamic_cast<const SchemaError*>(&e)) return ErrorCode::schema;
    if (dynamic_cast<const UnknownCategory*>(&e)) return ErrorCode::unknown_category;
    if (dynamic_cast<const InvalidInput*>(&e)) return ErrorCode::invalid_input;
    if (dynamic_cast<const FormatError*>(&e)) return ErrorCode::format;
    if (dynamic_cast<const EnvironmentError*>(&e)) return ErrorCode::environment;
    if (dynamic_cast<const IoError*>(&e)) return ErrorCode::io;
    return ErrorCode::error;
}

// The current exception (inside a catch block) as shippable bytes. `unit` names what
// `process` counts in the message ("on process 3: ..."; reprep.dask: "on partition 3");
// an empty unit adds no prefix.
inline std::string current_error_bytes(int process, std::string_view unit = "process") {
    ErrorContext ctx;
    ErrorCode code = ErrorCode::error;
    try {
        throw;
    } catch (const Error& e) {
        ctx = e.context();
        code = error_code(e);
    } catch (const std::bad_alloc&) {
        ctx = {.component = "reprep", .problem = "out of memory", .fix = "use smaller chunks or more processes"};
    } catch (const std::exception& e) {
        ctx = {.component = "reprep", .problem = e.what()};
    }
    // Which process failed, so that every process's message says where to look.
    if (!unit.empty()) ctx.problem = "on " + std::string(unit) + " " + std::to_string(process) + ": " + ctx.problem;
    ArchiveWriter w;
    w.u8(1);
    w.u32(shard_state_version);
    w.u8(static_cast<std::uint8_t>(code));
    w.str(ctx.component);
    w.str(ctx.problem);
    w.str(ctx.fix);
    w.str(ctx.column);
    w.boolean(ctx.row.has_value());
    w.u64(ctx.row.value_or(0));
    w.str(ctx.parameter);
    return std::move(w).bytes();
}

// The exact merge of every process's accumulator, each one what fill() returns on its
// process: saved, combined pairwise by Acc::merge, loaded back on every process. For the
// accumulators with no column choice to agree on (a categorical Table accumulator, a
// target encoder's); numeric components carry a SourceHead too (source_state.hpp).
template <class Acc, class Fill>
Acc combine_accumulators(const ShardCombiner& combiner, Fill&& fill) {
    auto bytes = [](const Acc& a) {
        ArchiveWriter w;
        a.save(w);
        return std::move(w).bytes();
    };
    const std::string state = combiner.combine([&] { return bytes(fill()); },
                                               [&](std::string_view x, std::string_view y) {
                                                   ArchiveReader rx(x, "accumulator state"), ry(y, "accumulator state");
                                                   Acc a = Acc::load(rx);
                                                   a.merge(Acc::load(ry));
                                                   return bytes(a);
                                               });
    ArchiveReader r(state, "accumulator state");
    return Acc::load(r);
}

inline std::string state_bytes(std::string_view state) {
    ArchiveWriter w;
    w.u8(0);
    w.u32(shard_state_version);
    std::string b = std::move(w).bytes();
    b.append(state);
    return b;
}
inline void check_shard_version(std::string_view b) {
    ArchiveReader r(b, "shard state");
    (void)r.u8();
    const std::uint32_t v = r.u32();
    if (v != shard_state_version)
        fail<FormatError>({.component = "reprep",
                           .problem = "a process sent a shard state of version " + std::to_string(v) + ", this one reads " +
                                      std::to_string(shard_state_version),
                           .fix = "run the same reprep version on every process"});
}
inline bool is_error_bytes(std::string_view b) { return b.empty() || b[0] != '\0'; }
inline std::string_view state_of(std::string_view b) {
    check_shard_version(b);
    return b.substr(5);
}

// Raises the error the bytes carry, with its type.
[[noreturn]] inline void throw_error_bytes(std::string_view b) {
    ErrorContext ctx{.component = "reprep", .problem = "a process sent an empty message"};
    ErrorCode code = ErrorCode::error;
    if (!b.empty()) {
        check_shard_version(b);
        ArchiveReader r(b.substr(5), "shard error");
        code = static_cast<ErrorCode>(r.u8());
        ctx.component = r.str();
        ctx.problem = r.str();
        ctx.fix = r.str();
        ctx.column = r.str();
        const bool has_row = r.boolean();
        const std::uint64_t row = r.u64();
        if (has_row) ctx.row = static_cast<std::size_t>(row);
        ctx.parameter = r.str();
    }
    switch (code) {
        case ErrorCode::not_fitted: throw NotFitted(ctx);
        case ErrorCode::schema: throw SchemaError(ctx);
        case ErrorCode::unknown_category: throw UnknownCategory(ctx);
        case ErrorCode::invalid_input: throw InvalidInput(ctx);
        case ErrorCode::format: throw FormatError(ctx);
        case ErrorCode::environment: throw EnvironmentError(ctx);
        case ErrorCode::io: throw IoError(ctx);
        case ErrorCode::invalid_parameter: throw InvalidParameter(ctx);
        default: throw Error(ctx);
    }
}

// ---- whole tables, for steps without a mergeable state -------------------------
// A list of tables: u64 count, then per table its columns (name, type, values: f64 for
// numeric, i64 nanoseconds for datetime, a categorical column as its dictionary and
// codes). Merging two lists appends them.
inline void write_table(ArchiveWriter& w, const Table& t) {
    w.size(t.num_rows());
    w.size(t.num_columns());
    for (const auto& name : t.column_names()) {
        w.str(name);
        w.u8(static_cast<std::uint8_t>(t.type(name)));
        if (t.type(name) == ColumnType::numeric) {
            w.f64s(t.numeric(name));
        } else if (t.type(name) == ColumnType::datetime) {
            w.i64s(t.datetime(name));
        } else {
            const CategoricalColumn& c = t.categorical(name);
            w.strs(c.dictionary);
            w.i32s(c.codes);
        }
    }
}

inline Table read_table(ArchiveReader& r) {
    Table t;
    const std::size_t rows = r.size(), cols = r.size(9);
    for (std::size_t j = 0; j < cols; ++j) {
        std::string name = r.str();
        const auto type = r.u8();
        if (type == static_cast<std::uint8_t>(ColumnType::numeric)) {
            t.add_numeric(std::move(name), r.f64s());
        } else if (type == static_cast<std::uint8_t>(ColumnType::datetime)) {
            t.add_datetime(std::move(name), r.i64s());
        } else if (type == static_cast<std::uint8_t>(ColumnType::categorical)) {
            CategoricalColumn c;
            c.dictionary = r.strs();
            c.codes = r.i32s();
            t.add_categorical(std::move(name), std::move(c));
        } else {
            r.fail("a shipped table's column has an unknown type");
        }
        if (t.num_rows() != rows) r.fail("a shipped table's column has another length than its rows");
    }
    return t;
}

// The rows of every table, in order, in one table with the first's columns; a table
// with no column (an empty shard) adds nothing.
inline Table concat_tables(const std::vector<Table>& parts) {
    const Table* first = nullptr;
    for (const auto& p : parts)
        if (p.num_columns() > 0) {
            first = &p;
            break;
        }
    if (!first) return {};
    Table out;
    for (const auto& name : first->column_names()) {
        if (first->type(name) == ColumnType::numeric) {
            std::vector<double> v;
            for (const auto& p : parts)
                if (p.num_columns() > 0) {
                    const auto s = p.numeric(name);
                    v.insert(v.end(), s.begin(), s.end());
                }
            out.add_numeric(name, std::move(v));
        } else if (first->type(name) == ColumnType::datetime) {
            std::vector<std::int64_t> v;
            for (const auto& p : parts)
                if (p.num_columns() > 0) {
                    const auto s = p.datetime(name);
                    v.insert(v.end(), s.begin(), s.end());
                }
            out.add_datetime(name, std::move(v));
        } else {
            CategoricalColumn c;
            std::map<std::string, std::int32_t, std::less<>> code;
            for (const auto& p : parts) {
                if (p.num_columns() == 0) continue;
                const CategoricalColumn& pc = p.categorical(name);
                std::vector<std::int32_t> remap(pc.dictionary.size());
                for (std::size_t d = 0; d < pc.dictionary.size(); ++d) {
                    const auto [it, fresh] =
                        code.try_emplace(pc.dictionary[d], static_cast<std::int32_t>(c.dictionary.size()));
                    if (fresh) c.dictionary.push_back(pc.dictionary[d]);
                    remap[d] = it->second;
                }
                for (const std::int32_t k : pc.codes) c.codes.push_back(k < 0 ? -1 : remap[static_cast<std::size_t>(k)]);
            }
            out.add_categorical(name, std::move(c));
        }
    }
    return out;
}

// Every row a combiner's processes read from their sources, as one table on each.
// Memory is every row: only for steps that have no mergeable state.
template <class ForEach>
Table gather_rows(const ShardCombiner& combiner, ForEach&& for_each) {
    const std::string all = combiner.combine(
        [&] {
            ArchiveWriter w;
            std::vector<Table> parts;
            for_each([&](const Table& t) { parts.push_back(t); });
            w.size(1);
            write_table(w, concat_tables(parts));
            return std::move(w).bytes();
        },
        [](std::string_view a, std::string_view b) {
            ArchiveReader ra(a, "shipped rows"), rb(b, "shipped rows");
            ArchiveWriter w;
            w.size(ra.u64() + rb.u64());
            std::string out = std::move(w).bytes();
            out.append(a.substr(8));
            out.append(b.substr(8));
            return out;
        });
    ArchiveReader r(all, "shipped rows");
    const std::size_t n = r.size(16);
    std::vector<Table> parts;
    for (std::size_t i = 0; i < n; ++i) parts.push_back(read_table(r));
    r.expect_end();
    return concat_tables(parts);
}

}  // namespace detail
}  // namespace reprep
