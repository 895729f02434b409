// reprep::RowRecord — one request for a RowPlan, filled by column name.
//
//   auto plan = pipe.compile();
//   auto rec = plan.record();                       // allocates here, once per thread
//   const auto length = plan.slot("bill_length_mm");  // optional: a name resolved once
//   rec.clear();                                    // per request: no allocation from here on
//   rec.set("island", "Biscoe").set(length, 39.1).set_missing("sex");
//   plan.run(rec, std::span<double>(out));
//
// A request keyed by name no longer needs the positional loop over input_schema(): the
// plan hashes its input names once, at compile(), and set(name, ...) finds the column
// in that table, with no allocation. A column left unset is absent (a
// column the request does not carry): the pipeline's serving policy fills or refuses it,
// as for Cell::absent_column().
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/table.hpp"
#include "step.hpp"

namespace reprep {

namespace detail {

// The names as one list for an error's fix: 'a', 'b', 'c'.
inline std::string quoted_names(const std::vector<std::string>& names) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "'" : ", '") + n + "'";
    return list;
}

// A plan's input columns (input_schema() order) and an open-addressing hash table of
// their names: built once at compile(), immutable, shared by the plan's copies and its
// records. A lookup hashes the name and compares one or two names: a few nanoseconds,
// no allocation (a binary search over sorted names took about 20 ns per name).
struct InputIndex {
    std::vector<std::string> names;
    std::vector<ColumnType> types;
    std::vector<std::uint32_t> table;  // index + 1 of the name hashed to each bucket; 0 = empty
    std::size_t mask = 0;

    InputIndex(std::vector<std::string> n, std::vector<ColumnType> t) : names(std::move(n)), types(std::move(t)) {
        std::size_t buckets = 4;
        while (buckets < 2 * names.size()) buckets *= 2;  // at most half full
        table.assign(buckets, 0);
        mask = buckets - 1;
        for (std::size_t k = 0; k < names.size(); ++k) {
            std::size_t b = hash(names[k]) & mask;
            while (table[b] != 0) b = (b + 1) & mask;
            table[b] = static_cast<std::uint32_t>(k + 1);
        }
    }
    bool same_as(const InputIndex& o) const { return names == o.names && types == o.types; }

    // The bucket only, never stored or compared across builds: the length and the first
    // and last (up to) 8 bytes, mixed once. A byte-at-a-time hash (FNV) cost more than
    // the rest of set() on names like "flipper_length_mm".
    static std::size_t hash(std::string_view s) {
        std::uint64_t head = 0, tail = 0;
        if (s.size() >= 8) {
            std::memcpy(&head, s.data(), 8);
            std::memcpy(&tail, s.data() + s.size() - 8, 8);
        } else {
            for (const char c : s) head = (head << 8) | static_cast<unsigned char>(c);
        }
        std::uint64_t h = (head ^ (tail * 0x9E3779B97F4A7C15ULL) ^ s.size()) * 0xBF58476D1CE4E5B9ULL;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }

    // The index of `name`, or SchemaError naming every input. Allocates only to throw.
    std::size_t find(std::string_view name, const char* component) const {
        for (std::size_t b = hash(name) & mask; table[b] != 0; b = (b + 1) & mask)
            if (names[table[b] - 1] == name) return table[b] - 1;
        fail<SchemaError>({.component = component,
                           .problem = "the pipeline reads no input column '" + std::string(name) + "'",
                           .fix = "use one of its input columns: " + quoted_names(names),
                           .column = std::string(name)});
    }
};

}  // namespace detail

// An input column resolved once (RowPlan::slot): set(slot, ...) skips the name lookup.
struct RowSlot {
    std::size_t index = 0;
};

// One record for a RowPlan, filled by column name or by slot. Strings are views, as in
// Cell: what set() is given must outlive the run that reads it (a temporary std::string
// is refused at compile time). Copyable; usable with every plan that reads the same
// input columns with the same types (RowPlan::run checks that).
class RowRecord {
public:
    RowRecord() = default;  // an empty record, for containers; assign plan.record() to it

    std::size_t size() const { return cells_.size(); }
    std::span<const Cell> cells() const { return cells_; }

    // Every column absent again, ready for the next request.
    RowRecord& clear() {
        std::fill(cells_.begin(), cells_.end(), Cell::absent_column());
        return *this;
    }

    RowRecord& set(RowSlot s, double x) {
        cell(s.index, ColumnType::numeric) = Cell::num(x);
        return *this;
    }
    RowRecord& set(RowSlot s, std::string_view category) {
        cell(s.index, ColumnType::categorical) = Cell::cat(category);
        return *this;
    }
    RowRecord& set(RowSlot s, const char* category) { return set(s, std::string_view(category)); }
    RowRecord& set(RowSlot, std::string&&) = delete;  // the view would dangle
    RowRecord& set_datetime(RowSlot s, std::int64_t nanos) {
        cell(s.index, ColumnType::datetime) = Cell::dt(nanos);
        return *this;
    }
    // A missing value of the column's own type: NaN, the missing category or NaT.
    RowRecord& set_missing(RowSlot s) {
        const std::size_t k = checked(s.index);
        const ColumnType t = inputs_->types[k];
        cells_[k] = t == ColumnType::numeric ? Cell::num(NAN) : t == ColumnType::datetime ? Cell::dt(kNaT) : Cell::missing_cat();
        return *this;
    }
    // The request does not carry the column (what an unset column is after clear()).
    RowRecord& set_absent(RowSlot s) {
        cells_[checked(s.index)] = Cell::absent_column();
        return *this;
    }

    RowRecord& set(std::string_view column, double x) { return set(slot(column), x); }
    RowRecord& set(std::string_view column, std::string_view category) { return set(slot(column), category); }
    RowRecord& set(std::string_view column, const char* category) { return set(slot(column), std::string_view(category)); }
    RowRecord& set(std::string_view, std::string&&) = delete;  // the view would dangle
    RowRecord& set_datetime(std::string_view column, std::int64_t nanos) { return set_datetime(slot(column), nanos); }
    RowRecord& set_missing(std::string_view column) { return set_missing(slot(column)); }
    RowRecord& set_absent(std::string_view column) { return set_absent(slot(column)); }

    const Cell& operator[](RowSlot s) const { return cells_[checked(s.index)]; }

private:
    friend class RowPlan;
    explicit RowRecord(std::shared_ptr<const detail::InputIndex> inputs)
        : inputs_(std::move(inputs)), cells_(inputs_->names.size(), Cell::absent_column()) {}

    RowSlot slot(std::string_view column) const {
        if (!inputs_) empty_record();
        return {inputs_->find(column, "RowPlan::Record")};
    }
    std::size_t checked(std::size_t k) const {
        if (!inputs_) empty_record();
        if (k >= cells_.size())
            detail::fail<SchemaError>({.component = "RowPlan::Record",
                                       .problem = "slot " + std::to_string(k) + " is past the record's " +
                                                  std::to_string(cells_.size()) + " input columns",
                                       .fix = "take slots from the plan the record was made by (plan.slot(name))"});
        return k;
    }
    // The cell of column k, for a value of type t. A value of the wrong type is refused
    // here, where the caller can see which set() it was. (The cell is written in place:
    // a Cell passed by value to an out-of-line call was a store-forwarding stall.)
    Cell& cell(std::size_t k, ColumnType t) {
        checked(k);
        if (inputs_->types[k] != t)
            detail::fail<SchemaError>({.component = "RowPlan::Record",
                                       .problem = std::string(detail::value_word(t)) + " was given where " +
                                                  detail::value_word(inputs_->types[k]) + " belongs",
                                       .fix = "set each column with the type it had in fit (input_schema())",
                                       .column = inputs_->names[k]});
        return cells_[k];
    }
    [[noreturn]] static void empty_record() {
        detail::fail<SchemaError>({.component = "RowPlan::Record",
                                   .problem = "the record belongs to no plan",
                                   .fix = "make records with plan.record()"});
    }

    std::shared_ptr<const detail::InputIndex> inputs_;
    std::vector<Cell> cells_;
};

}  // namespace reprep
