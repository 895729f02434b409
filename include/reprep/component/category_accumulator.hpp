// The exact per-category tallies every component over categorical columns fits from:
//
//   - byte-wise ordering and lookup of strings (memcmp order: unsigned bytes, then
//     length), never through a locale or a hash map's iteration order;
//   - ColumnTally: a column's distinct values sorted by bytes, their exact uint64
//     counts, the missing count and, for supervised components, exact Σy and Σy² per
//     category (ExactSum), and for a multiclass target the exact row count of every
//     class label per category; tally_column / merge_tally build and merge them, so a
//     tally depends only on the multiset of rows, never on their order or chunking;
//   - CategoryAccumulator: one tally per fitted column, mergeable and serialisable
//     (CategoricalComponent's Accumulator; RandomSampleImputer reuses the tallies).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/exact_sum.hpp"
#include "../core/fp_env.hpp"
#include "../core/table.hpp"
#include "accumulator_errors.hpp"

namespace reprep::detail {

// ---------------------------------------------------------------------------
// Byte-wise ordering and lookup
// ---------------------------------------------------------------------------

// memcmp compares as unsigned char, so this is the byte order of Table's bytes_less.
inline int bytes_compare(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = std::min(a.size(), b.size());
    const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
    if (c != 0) return c;
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// Index of v in `keys` (distinct, sorted by bytes), or -1. No allocation, so the
// single-row path can use it.
inline std::int32_t find_sorted(const std::vector<std::string>& keys, std::string_view v) noexcept {
    std::size_t lo = 0, hi = keys.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        const int c = bytes_compare(keys[mid], v);
        if (c == 0) return static_cast<std::int32_t>(mid);
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

inline bool strictly_sorted(const std::vector<std::string>& v) {
    for (std::size_t i = 1; i < v.size(); ++i)
        if (bytes_compare(v[i - 1], v[i]) >= 0) return false;
    return true;
}

// ---------------------------------------------------------------------------
// Exact per-category statistics
// ---------------------------------------------------------------------------

// Σy and Σy² of the rows of one category, exactly, so target means and variances
// do not depend on the order the rows came in.
struct TargetSums {
    ExactSum sum;
    ExactSum sum_sq;

    void add(double y) {
        sum.add(y);
        sum_sq.add_product(y, y);
    }
    void merge(const TargetSums& o) {
        sum.merge(o.sum);
        sum_sq.merge(o.sum_sq);
    }
    void save(ArchiveWriter& w) const {
        sum.save(w);
        sum_sq.save(w);
    }
    static TargetSums load(ArchiveReader& r) {
        TargetSums t;
        t.sum = ExactSum::load(r);
        t.sum_sq = ExactSum::load(r);
        return t;
    }
    friend bool operator==(const TargetSums& a, const TargetSums& b) { return a.sum == b.sum && a.sum_sq == b.sum_sq; }
};

// Rows per class label within one category: (label, rows) pairs, labels ascending and
// distinct, every count > 0. Labels are integers in [-2^53, 2^53] (check_class_labels),
// -0 stored as +0.
using ClassCounts = std::vector<std::pair<double, std::uint64_t>>;

// Adds `from` into `into` (both ascending by label): exact integer additions.
inline void merge_class_counts(ClassCounts& into, const ClassCounts& from) {
    ClassCounts out;
    out.reserve(into.size() + from.size());
    std::size_t a = 0, b = 0;
    while (a < into.size() || b < from.size()) {
        if (b == from.size() || (a < into.size() && into[a].first < from[b].first)) out.push_back(into[a++]);
        else if (a == into.size() || from[b].first < into[a].first) out.push_back(from[b++]);
        else {
            out.emplace_back(into[a].first, into[a].second + from[b].second);
            ++a, ++b;
        }
    }
    into = std::move(out);
}

// The largest magnitude of a class label: every integer up to it is a double, so labels
// compare, sort and print (as integers) exactly.
inline constexpr double max_class_label = 9007199254740992.0;  // 2^53

// Class labels (target_type = multiclass): finite integers in [-2^53, 2^53], checked
// row by row so the error names the first bad row. (Finite is check_target's rule.)
inline void check_class_labels(const std::string& component, std::span<const double> y) {
    for (std::size_t i = 0; i < y.size(); ++i)
        if (!(std::abs(y[i]) <= max_class_label) || std::trunc(y[i]) != y[i]) {
            std::string v = std::isfinite(y[i]) ? std::to_string(y[i]) : (std::isnan(y[i]) ? "NaN" : "an infinite value");
            fail<InvalidInput>({.component = component,
                                .problem = "target_type = multiclass needs integer class labels (at most 2^53 in "
                                           "magnitude), found " + v,
                                .fix = "re-code the classes as integers (e.g. 0, 1, 2 ...)",
                                .column = "y",
                                .row = i});
        }
}

// Everything fit needs to know about one column.
struct ColumnTally {
    std::string name;
    std::vector<std::string> values;    // distinct non-missing values, sorted by bytes
    std::vector<std::uint64_t> counts;  // counts[i]: rows holding values[i]
    std::uint64_t missing = 0;          // rows where the value is missing
    std::vector<TargetSums> targets;    // per value; empty unless the accumulator has targets
    TargetSums missing_targets;
    std::vector<ClassCounts> classes;   // per value; empty unless the accumulator counts classes
    ClassCounts missing_classes;

    std::uint64_t non_missing() const {
        std::uint64_t n = 0;
        for (auto c : counts) n += c;
        return n;
    }
    friend bool operator==(const ColumnTally&, const ColumnTally&) = default;
};

// The tally of one chunk's column: counted by dictionary code (no string work per
// row), then the used dictionary entries sorted by bytes. y (one value per row, or
// null) adds the target sums; by_class (y checked by check_class_labels) adds the rows
// per class label.
inline ColumnTally tally_column(const std::string& name, const CategoricalColumn& col, const double* y,
                                bool by_class = false) {
    const std::size_t d = col.dictionary.size();
    std::vector<std::uint64_t> count(d + 1, 0);  // slot 0 = missing
    std::vector<TargetSums> sums(y ? d + 1 : 0);
    // Class counts: the chunk's labels sorted, each row's label by index, then a dense
    // (slot x label) count table turned into the sparse ascending pairs.
    std::vector<double> labels;
    std::vector<std::uint64_t> by_label;
    if (y && by_class) {
        labels.assign(y, y + col.codes.size());
        for (double& v : labels) v += 0.0;  // -0 -> +0: one class
        std::sort(labels.begin(), labels.end());
        labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
        by_label.assign((d + 1) * labels.size(), 0);
    }
    for (std::size_t i = 0; i < col.codes.size(); ++i) {
        const auto k = static_cast<std::size_t>(col.codes[i] + 1);
        ++count[k];
        if (y) sums[k].add(y[i]);
        if (!labels.empty()) {
            const auto c = static_cast<std::size_t>(std::lower_bound(labels.begin(), labels.end(), y[i] + 0.0) - labels.begin());
            ++by_label[k * labels.size() + c];
        }
    }
    auto class_counts = [&](std::size_t k) {
        ClassCounts cc;
        for (std::size_t c = 0; c < labels.size(); ++c)
            if (by_label[k * labels.size() + c] > 0) cc.emplace_back(labels[c], by_label[k * labels.size() + c]);
        return cc;
    };
    std::vector<std::size_t> used;
    for (std::size_t e = 0; e < d; ++e)
        if (count[e + 1] > 0) used.push_back(e);
    std::sort(used.begin(), used.end(),
              [&](std::size_t a, std::size_t b) { return bytes_compare(col.dictionary[a], col.dictionary[b]) < 0; });
    ColumnTally t;
    t.name = name;
    t.missing = count[0];
    if (y) t.missing_targets = std::move(sums[0]);
    if (y && by_class) t.missing_classes = class_counts(0);
    t.values.reserve(used.size());
    t.counts.reserve(used.size());
    for (std::size_t e : used) {
        t.values.push_back(col.dictionary[e]);
        t.counts.push_back(count[e + 1]);
        if (y) t.targets.push_back(std::move(sums[e + 1]));
        if (y && by_class) t.classes.push_back(class_counts(e + 1));
    }
    return t;
}

// Merges `from` into `into` (byte-sorted tallies of the same column): exact integer
// and ExactSum additions, so the result does not depend on which side came first.
inline void merge_tally(ColumnTally& into, const ColumnTally& from, bool with_target, bool by_class = false) {
    ColumnTally out;
    out.name = std::move(into.name);
    out.missing = into.missing + from.missing;
    if (with_target) {
        out.missing_targets = std::move(into.missing_targets);
        out.missing_targets.merge(from.missing_targets);
    }
    if (by_class) {
        out.missing_classes = std::move(into.missing_classes);
        merge_class_counts(out.missing_classes, from.missing_classes);
    }
    std::size_t a = 0, b = 0;
    while (a < into.values.size() || b < from.values.size()) {
        const int c = a == into.values.size()   ? 1
                      : b == from.values.size() ? -1
                                                : bytes_compare(into.values[a], from.values[b]);
        if (c <= 0) {
            out.values.push_back(std::move(into.values[a]));
            out.counts.push_back(into.counts[a] + (c == 0 ? from.counts[b] : 0));
            if (with_target) {
                out.targets.push_back(std::move(into.targets[a]));
                if (c == 0) out.targets.back().merge(from.targets[b]);
            }
            if (by_class) {
                out.classes.push_back(std::move(into.classes[a]));
                if (c == 0) merge_class_counts(out.classes.back(), from.classes[b]);
            }
            ++a;
            if (c == 0) ++b;
        } else {
            out.values.push_back(from.values[b]);
            out.counts.push_back(from.counts[b]);
            if (with_target) out.targets.push_back(from.targets[b]);
            if (by_class) out.classes.push_back(from.classes[b]);
            ++b;
        }
    }
    into = std::move(out);
}

// A tally's values, counts and missing count, as every categorical accumulator saves them.
inline void save_counts(ArchiveWriter& w, const ColumnTally& t) {
    w.strs(t.values);
    w.u64s(t.counts);
    w.u64(t.missing);
}

// Reads what save_counts wrote into t, checked (distinct values sorted by bytes, one
// non-zero count each, no overflow), and returns the rows it counts, missing included.
inline std::uint64_t load_counts(ArchiveReader& r, ColumnTally& t) {
    t.values = r.strs();
    t.counts = r.u64s();
    t.missing = r.u64();
    if (t.values.size() != t.counts.size() || !strictly_sorted(t.values))
        r.fail("category values are not distinct and sorted by bytes, or do not match their counts");
    std::uint64_t total = t.missing;
    for (auto k : t.counts) {
        if (k == 0 || total + k < total) r.fail("a category count is zero or overflows");
        total += k;
    }
    return total;
}

// Frequency order used by vocabularies: count descending, then bytes ascending.
// Returns indices into tally.values.
inline std::vector<std::size_t> by_frequency(const ColumnTally& t) {
    std::vector<std::size_t> idx(t.values.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    // values are byte-sorted already, so a stable sort by count keeps bytes ascending within ties.
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return t.counts[a] > t.counts[b]; });
    return idx;
}

// ---------------------------------------------------------------------------
// The accumulator
// ---------------------------------------------------------------------------

// Mergeable exact category counts (and target sums) per column.
//
//   auto acc = encoder.accumulator();     // knows the columns and whether y is needed
//   acc.update(chunk1); other.update(chunk2); acc.merge(other);
//   encoder.fit(acc);                      // == encoder.fit(whole table), bit for bit
//
// With no explicit columns, the first chunk fixes them (every categorical column, in
// table order); later chunks must hold the same columns. by_class (a multiclass
// TargetEncoder's) also counts the rows of every class label per category; y must then
// hold class labels (check_class_labels).
class CategoryAccumulator {
public:
    CategoryAccumulator() = default;
    CategoryAccumulator(std::string component, std::vector<std::string> columns, bool with_target, bool by_class = false)
        : component_(std::move(component)), requested_(std::move(columns)), with_target_(with_target || by_class),
          by_class_(by_class) {}

    void update(const Table& chunk) {
        if (with_target_)
            fail<InvalidInput>({.component = component_,
                                .problem = "this fit needs the target y",
                                .fix = "call update(chunk, y) with one target value per row"});
        update_impl(chunk, nullptr);
    }
    // y: one finite value per row of the chunk (ignored when the component needs no target).
    void update(const Table& chunk, std::span<const double> y) {
        check_target(component_, chunk.num_rows(), y);
        if (by_class_) check_class_labels(component_, y);
        update_impl(chunk, with_target_ ? y.data() : nullptr);
    }

    void merge(const CategoryAccumulator& other) {
        if (other.with_target_ != with_target_)
            accumulator_settings_differ(component_, "kind of fit (one holds target sums, the other does not)");
        if (other.by_class_ != by_class_)
            accumulator_settings_differ(component_, "target type (one counts class labels, the other does not)");
        if (!other.started_) return;
        if (!started_) {
            const std::string keep = component_;
            *this = other;
            if (!keep.empty()) component_ = keep;
            return;
        }
        bool same = other.columns_.size() == columns_.size();
        for (std::size_t j = 0; same && j < columns_.size(); ++j) same = other.columns_[j].name == columns_[j].name;
        if (!same) accumulator_columns_differ(component_, "the accumulators saw different columns");
        for (std::size_t j = 0; j < columns_.size(); ++j) merge_tally(columns_[j], other.columns_[j], with_target_, by_class_);
        rows_ += other.rows_;
    }

    std::uint64_t rows() const { return rows_; }
    bool has_target() const { return with_target_; }
    bool by_class() const { return by_class_; }
    bool started() const { return started_; }
    const std::vector<ColumnTally>& columns() const { return columns_; }
    const std::vector<std::string>& requested_columns() const { return requested_; }

    void save(ArchiveWriter& w) const {
        w.str(component_);
        w.strs(requested_);
        // 0 no target, 1 target sums, 2 target sums and class counts (a byte that was a
        // boolean before class counts existed: older readers refuse the 2).
        w.u8(by_class_ ? 2 : (with_target_ ? 1 : 0));
        w.boolean(started_);
        w.u64(rows_);
        w.size(columns_.size());
        for (const auto& c : columns_) {
            w.str(c.name);
            save_counts(w, c);
            if (with_target_) {
                for (const auto& t : c.targets) t.save(w);
                c.missing_targets.save(w);
            }
            if (by_class_) {
                for (const auto& cc : c.classes) save_class_counts(w, cc);
                save_class_counts(w, c.missing_classes);
            }
        }
    }
    static CategoryAccumulator load(ArchiveReader& r) {
        CategoryAccumulator a;
        a.component_ = r.str();
        a.requested_ = r.strs();
        const std::uint8_t target = r.u8();
        if (target > 2) r.fail("the accumulator's target kind is " + std::to_string(target) + " (expected 0, 1 or 2)");
        a.with_target_ = target >= 1;
        a.by_class_ = target == 2;
        a.started_ = r.boolean();
        a.rows_ = r.u64();
        const std::size_t n = r.size(8);
        for (std::size_t j = 0; j < n; ++j) {
            ColumnTally c;
            c.name = r.str();
            if (load_counts(r, c) != a.rows_) r.fail("category counts do not add up to the row count");
            if (a.with_target_) {
                c.targets.reserve(c.values.size());
                for (std::size_t i = 0; i < c.values.size(); ++i) c.targets.push_back(TargetSums::load(r));
                c.missing_targets = TargetSums::load(r);
            }
            if (a.by_class_) {
                c.classes.reserve(c.values.size());
                for (std::size_t i = 0; i < c.values.size(); ++i) c.classes.push_back(load_class_counts(r, c.counts[i]));
                c.missing_classes = load_class_counts(r, c.missing);
            }
            a.columns_.push_back(std::move(c));
        }
        return a;
    }
    friend bool operator==(const CategoryAccumulator& a, const CategoryAccumulator& b) {
        return a.with_target_ == b.with_target_ && a.by_class_ == b.by_class_ && a.started_ == b.started_ &&
               a.rows_ == b.rows_ && a.columns_ == b.columns_;
    }

    // Validates a target vector: one finite value per row.
    static void check_target(const std::string& component, std::size_t rows, std::span<const double> y) {
        if (y.size() != rows)
            fail<InvalidInput>({.component = component,
                                .problem = "the target has " + std::to_string(y.size()) + " values for " +
                                           std::to_string(rows) + " rows",
                                .fix = "pass one target value per row",
                                .column = "y"});
        for (std::size_t i = 0; i < y.size(); ++i)
            if (!std::isfinite(y[i]))
                fail<InvalidInput>({.component = component,
                                    .problem = std::string(std::isnan(y[i]) ? "NaN" : "an infinite value") +
                                               " in the target",
                                    .fix = "drop or impute rows with a missing target before fitting",
                                    .column = "y",
                                    .row = i});
    }

private:
    static void save_class_counts(ArchiveWriter& w, const ClassCounts& cc) {
        std::vector<double> labels;
        std::vector<std::uint64_t> counts;
        for (const auto& [label, k] : cc) {
            labels.push_back(label);
            counts.push_back(k);
        }
        w.f64s(labels);
        w.u64s(counts);
    }
    // Checked: labels distinct, ascending, class labels; counts > 0 adding up to `rows`.
    static ClassCounts load_class_counts(ArchiveReader& r, std::uint64_t rows) {
        const std::vector<double> labels = r.f64s();
        const std::vector<std::uint64_t> counts = r.u64s();
        if (labels.size() != counts.size()) r.fail("class labels do not match their counts");
        ClassCounts cc;
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < labels.size(); ++i) {
            const double v = labels[i];
            if (!(std::abs(v) <= max_class_label) || std::trunc(v) != v || (std::signbit(v) && v == 0.0) ||
                (i > 0 && !(labels[i - 1] < v)))
                r.fail("class labels are not distinct integers in ascending order");
            if (counts[i] == 0 || total + counts[i] < total) r.fail("a class count is zero or overflows");
            total += counts[i];
            cc.emplace_back(v, counts[i]);
        }
        if (total != rows) r.fail("class counts do not add up to the category's count");
        return cc;
    }

    void update_impl(const Table& chunk, const double* y) {
        check_fp_environment();
        std::vector<std::string> names;
        if (started_) {
            for (const auto& c : columns_) names.push_back(c.name);
        } else if (!requested_.empty()) {
            names = requested_;
        } else {
            for (const auto& n : chunk.column_names())
                if (chunk.type(n) == ColumnType::categorical) names.push_back(n);
            if (names.empty())
                fail<SchemaError>({.component = component_,
                                   .problem = "the table has no categorical column to fit",
                                   .fix = "pass a table with categorical columns, or name them in the columns parameter"});
        }
        // Resolve every column first (SchemaError names a missing or mistyped one), so a
        // failed update leaves the accumulator untouched.
        std::vector<const CategoricalColumn*> cols;
        for (const auto& n : names)
            cols.push_back(&with_component(component_, [&]() -> const CategoricalColumn& { return chunk.categorical(n); }));
        std::vector<ColumnTally> fresh;
        for (std::size_t j = 0; j < names.size(); ++j) fresh.push_back(tally_column(names[j], *cols[j], y, by_class_));
        if (!started_) {
            columns_ = std::move(fresh);
            started_ = true;
        } else {
            for (std::size_t j = 0; j < columns_.size(); ++j) merge_tally(columns_[j], fresh[j], with_target_, by_class_);
        }
        rows_ += chunk.num_rows();
    }

    std::string component_;
    std::vector<std::string> requested_;
    bool with_target_ = false;
    bool by_class_ = false;
    bool started_ = false;
    std::uint64_t rows_ = 0;
    std::vector<ColumnTally> columns_;
};

}  // namespace reprep::detail
