// RandomSampleImputer's Accumulator: per imputed column, the training values as a
// canonical multiset, mergeable exactly — numbers in a ValueAccumulator (sorted by the
// IEEE total order, NaN counted apart), strings in the ColumnTally every categorical
// component fits from (distinct values sorted by bytes, exact counts). It also records
// the types of the variables_seed columns, so that fit(accumulator) knows the full schema.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../../core/archive.hpp"
#include "../../core/error.hpp"
#include "../../core/fp_env.hpp"
#include "../../core/quantile.hpp"
#include "../../core/table.hpp"
#include "../../component/accumulator_errors.hpp"
#include "../../component/category_accumulator.hpp"

namespace reprep::detail {

inline constexpr const char* random_sample_imputer_name = "RandomSampleImputer";

class RandomSampleAccumulator {
public:
    // One imputed column's training values; its name is tally.name.
    struct Column {
        ColumnType type = ColumnType::numeric;
        ValueAccumulator numbers;  // numeric (missing: numbers.nan_count())
        ColumnTally tally;         // categorical: values, counts, missing
        friend bool operator==(const Column&, const Column&) = default;
    };

    RandomSampleAccumulator() = default;
    RandomSampleAccumulator(std::vector<std::string> columns, std::vector<std::string> seed_columns)
        : requested_(std::move(columns)), seed_names_(std::move(seed_columns)) {}

    void update(const Table& chunk);
    void merge(const RandomSampleAccumulator& other);

    std::uint64_t rows() const { return rows_; }
    const std::vector<Column>& columns() const { return cols_; }
    const std::vector<std::string>& seed_names() const { return seed_names_; }
    const std::vector<ColumnType>& seed_types() const { return seed_types_; }

    void save(ArchiveWriter& w) const;
    static RandomSampleAccumulator load(ArchiveReader& r);
    friend bool operator==(const RandomSampleAccumulator& a, const RandomSampleAccumulator& b) {
        return a.requested_ == b.requested_ && a.seed_names_ == b.seed_names_ && a.started_ == b.started_ &&
               a.rows_ == b.rows_ && a.cols_ == b.cols_ && a.seed_types_ == b.seed_types_;
    }

    // Other columns or column types than the accumulator (or the fit) saw.
    [[noreturn]] static void mismatch() {
        accumulator_columns_differ(random_sample_imputer_name, "the accumulators saw different columns or column types");
    }

private:
    void merge_columns(const std::vector<Column>& from) {
        for (std::size_t j = 0; j < cols_.size(); ++j) {
            cols_[j].numbers.merge(from[j].numbers);
            merge_tally(cols_[j].tally, from[j].tally, false);
        }
    }

    std::vector<std::string> requested_;
    std::vector<std::string> seed_names_;
    bool started_ = false;
    std::uint64_t rows_ = 0;
    std::vector<Column> cols_;
    std::vector<ColumnType> seed_types_;
};

inline void RandomSampleAccumulator::update(const Table& chunk) {
    check_fp_environment();
    std::vector<std::string> names;
    if (started_) {
        for (const auto& c : cols_) names.push_back(c.tally.name);
    } else if (!requested_.empty()) {
        names = requested_;
    } else {
        for (const auto& n : chunk.column_names())
            if (chunk.type(n) != ColumnType::datetime) names.push_back(n);  // numeric and categorical columns
        if (names.empty())
            fail<SchemaError>({.component = random_sample_imputer_name,
                               .problem = "the table has no column to fit",
                               .fix = "pass a table with the columns to impute"});
    }
    // Resolve every column first, so a failed update leaves the accumulator untouched.
    std::vector<Column> fresh;
    for (const auto& n : names) {
        Column c;
        c.tally.name = n;
        // A missing column: Table's SchemaError, raised again under this component's name.
        c.type = with_component(random_sample_imputer_name, [&] { return chunk.type(n); });
        if (c.type == ColumnType::datetime)
            fail<SchemaError>({.component = random_sample_imputer_name,
                               .problem = "is datetime; RandomSampleImputer imputes numeric and categorical columns",
                               .fix = "leave the column out of the columns parameter",
                               .column = n});
        if (started_ && c.type != cols_[fresh.size()].type)
            fail<SchemaError>({.component = random_sample_imputer_name,
                               .problem = std::string("is ") + std::string(to_string(c.type)) + " here but was " +
                                          std::string(to_string(cols_[fresh.size()].type)),
                               .fix = "keep each column's type across chunks",
                               .column = n});
        fresh.push_back(std::move(c));
    }
    std::vector<ColumnType> seed_types;
    for (const auto& n : seed_names_)
        seed_types.push_back(with_component(random_sample_imputer_name, [&] { return chunk.type(n); }));
    if (started_ && seed_types != seed_types_) mismatch();
    for (auto& c : fresh) {
        if (c.type == ColumnType::numeric) c.numbers.update(chunk.numeric(c.tally.name));
        else c.tally = tally_column(c.tally.name, chunk.categorical(c.tally.name), nullptr);
    }
    if (!started_) {
        cols_ = std::move(fresh);
        seed_types_ = std::move(seed_types);
        started_ = true;
    } else {
        merge_columns(fresh);
    }
    rows_ += chunk.num_rows();
}

inline void RandomSampleAccumulator::merge(const RandomSampleAccumulator& other) {
    if (!other.started_) return;
    if (!started_) {
        *this = other;
        return;
    }
    bool same = other.cols_.size() == cols_.size() && other.seed_types_ == seed_types_ && other.seed_names_ == seed_names_;
    for (std::size_t j = 0; same && j < cols_.size(); ++j)
        same = other.cols_[j].tally.name == cols_[j].tally.name && other.cols_[j].type == cols_[j].type;
    if (!same) mismatch();
    merge_columns(other.cols_);
    rows_ += other.rows_;
}

inline void RandomSampleAccumulator::save(ArchiveWriter& w) const {
    w.strs(requested_);
    w.strs(seed_names_);
    w.boolean(started_);
    w.u64(rows_);
    w.size(seed_types_.size());
    for (auto t : seed_types_) w.u8(static_cast<std::uint8_t>(t));
    w.size(cols_.size());
    for (const auto& c : cols_) {
        w.str(c.tally.name);
        w.u8(static_cast<std::uint8_t>(c.type));
        if (c.type == ColumnType::numeric) c.numbers.save(w);
        else save_counts(w, c.tally);
    }
}

inline RandomSampleAccumulator RandomSampleAccumulator::load(ArchiveReader& r) {
    RandomSampleAccumulator a;
    a.requested_ = r.strs();
    a.seed_names_ = r.strs();
    a.started_ = r.boolean();
    a.rows_ = r.u64();
    const auto type = [&r] {
        const auto t = r.u8();
        if (t > 1) r.fail("unknown column type");
        return static_cast<ColumnType>(t);
    };
    const std::size_t ns = r.size(1);
    if (ns != (a.started_ ? a.seed_names_.size() : 0)) r.fail("seed column types do not match the seed columns");
    for (std::size_t s = 0; s < ns; ++s) a.seed_types_.push_back(type());
    const std::size_t n = r.size(10);
    if (!a.started_ && (n != 0 || a.rows_ != 0)) r.fail("an empty accumulator holds columns");
    for (std::size_t j = 0; j < n; ++j) {
        Column c;
        c.tally.name = r.str();
        c.type = type();
        std::uint64_t total = 0;
        if (c.type == ColumnType::numeric) {
            c.numbers = ValueAccumulator::load(r);
            total = c.numbers.count() + c.numbers.nan_count();
        } else {
            total = load_counts(r, c.tally);
        }
        if (total != a.rows_) r.fail("column counts do not add up to the row count");
        a.cols_.push_back(std::move(c));
    }
    return a;
}

}  // namespace reprep::detail
