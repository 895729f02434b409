// The count of each distinct value of a column, exact and mergeable: what a most
// frequent value needs (SimpleImputer's most_frequent), in memory of the distinct values
// rather than of the rows. Part of column_values.hpp, which includes it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "../core/archive.hpp"
#include "../core/detail/radix_sort.hpp"
#include "../core/matrix.hpp"
#include "../core/quantile.hpp"
#include "accumulator_errors.hpp"
#include "numeric_checks.hpp"

namespace reprep::detail {

// Per distinct non-NaN value (by its bits: -0.0 and +0.0 apart, as order_key orders
// them) its count, and the NaN count. Chunks are kept as sorted runs of (key, count)
// whose sizes halve from one run to the next, so each entry takes part in O(log n)
// merges and a chunk's update costs its own size, not the distinct values seen so far.
class ValueCounts {
public:
    template <class T>
    void update(std::span<const T> values) {
        std::vector<std::uint64_t> keys;
        keys.reserve(values.size());
        for (const T v : values) {
            if (v != v) ++nan_;
            else keys.push_back(order_key(static_cast<double>(v)));  // float widens exactly
        }
        sort_keys(keys);
        Run run;
        for (std::size_t i = 0; i < keys.size();) {
            std::size_t k = i + 1;
            while (k < keys.size() && keys[k] == keys[i]) ++k;
            run.keys.push_back(keys[i]);
            run.counts.push_back(k - i);
            i = k;
        }
        push(std::move(run));
    }
    void merge(const ValueCounts& o) {
        nan_ += o.nan_;
        push(o.merged());
    }

    std::uint64_t nan_count() const { return nan_; }

    // The most frequent value; ties go to the smallest (as scipy.stats.mode). -0.0 and
    // +0.0 count as one value (they compare equal, as in numpy), reported with the sign
    // of the first in order (-0.0 when both occur). NaN when there is no value.
    double most_frequent() const {
        const Run all = merged();
        double best = std::numeric_limits<double>::quiet_NaN();
        std::uint64_t best_count = 0;
        for (std::size_t i = 0; i < all.keys.size();) {
            const double v = from_order_key(all.keys[i]);
            std::uint64_t c = 0;
            std::size_t k = i;
            for (; k < all.keys.size() && from_order_key(all.keys[k]) == v; ++k) c += all.counts[k];
            if (c > best_count) {
                best_count = c;
                best = v;
            }
            i = k;
        }
        return best;
    }

    // Canonical bytes: u64 NaN count, the distinct values in order (f64s), their counts (u64s).
    void save(ArchiveWriter& w) const {
        const Run all = merged();
        w.u64(nan_);
        std::vector<double> values(all.keys.size());
        for (std::size_t i = 0; i < values.size(); ++i) values[i] = from_order_key(all.keys[i]);
        w.f64s(values);
        w.u64s(all.counts);
    }
    static ValueCounts load(ArchiveReader& r) {
        ValueCounts c;
        c.nan_ = r.u64();
        const std::vector<double> values = r.f64s();
        Run run;
        run.counts = r.u64s();
        if (run.counts.size() != values.size()) r.fail("value counts: one count per value expected");
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (values[i] != values[i]) r.fail("value counts hold a NaN value");
            run.keys.push_back(order_key(values[i]));
            if (i > 0 && run.keys[i] <= run.keys[i - 1]) r.fail("value counts are not strictly increasing");
            if (run.counts[i] == 0) r.fail("value counts hold a zero count");
        }
        c.push(std::move(run));
        return c;
    }
    friend bool operator==(const ValueCounts& a, const ValueCounts& b) {
        return a.nan_ == b.nan_ && a.merged() == b.merged();
    }

private:
    struct Run {
        std::vector<std::uint64_t> keys;    // order keys, strictly increasing
        std::vector<std::uint64_t> counts;  // > 0
        friend bool operator==(const Run&, const Run&) = default;
    };

    static Run merge_runs(const Run& a, const Run& b) {
        Run m;
        m.keys.reserve(a.keys.size() + b.keys.size());
        m.counts.reserve(a.keys.size() + b.keys.size());
        std::size_t i = 0, k = 0;
        while (i < a.keys.size() || k < b.keys.size()) {
            if (k == b.keys.size() || (i < a.keys.size() && a.keys[i] < b.keys[k])) {
                m.keys.push_back(a.keys[i]);
                m.counts.push_back(a.counts[i++]);
            } else if (i == a.keys.size() || b.keys[k] < a.keys[i]) {
                m.keys.push_back(b.keys[k]);
                m.counts.push_back(b.counts[k++]);
            } else {
                m.keys.push_back(a.keys[i]);
                m.counts.push_back(a.counts[i++] + b.counts[k++]);
            }
        }
        return m;
    }
    // Appends a run, merging while the last run is not larger than twice the next, so
    // that run sizes halve along the list.
    void push(Run run) {
        if (run.keys.empty()) return;
        runs_.push_back(std::move(run));
        while (runs_.size() > 1 && runs_[runs_.size() - 2].keys.size() <= 2 * runs_.back().keys.size()) {
            Run m = merge_runs(runs_[runs_.size() - 2], runs_.back());
            runs_.pop_back();
            runs_.back() = std::move(m);
        }
    }
    Run merged() const {
        Run all;
        for (const Run& r : runs_) all = merge_runs(all, r);
        return all;
    }

    std::vector<Run> runs_;
    std::uint64_t nan_ = 0;
};

// One exact, mergeable statistic per column of a matrix (ValueCounts here, ValueAccumulator
// for ColumnValues in column_values.hpp), with the width check on every chunk and every
// merge. MinSavedBytes is the least one saved Stat takes, which bounds the column count
// a load accepts before it allocates.
template <class T, class Stat, std::size_t MinSavedBytes>
class PerColumn {
public:
    void update(const MatrixRef<T>& X, const char* component) {
        if (cols_.empty()) cols_.resize(static_cast<std::size_t>(X.cols()));
        check_chunk_width(component, static_cast<std::size_t>(X.cols()), cols_.size());
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            cols_[static_cast<std::size_t>(j)].update(std::span<const T>(X.col(j).data(), static_cast<std::size_t>(X.rows())));
    }
    void merge(const PerColumn& o, const char* component) {
        if (o.cols_.empty()) return;
        if (cols_.empty()) cols_.resize(o.cols_.size());
        check_chunk_width(component, o.cols_.size(), cols_.size());
        for (std::size_t j = 0; j < cols_.size(); ++j) cols_[j].merge(o.cols_[j]);
    }
    std::size_t cols() const { return cols_.size(); }
    // Every row is in each column, as a value or a NaN, so column 0 counts them.
    std::uint64_t rows() const { return cols_.empty() ? 0 : cols_[0].count() + cols_[0].nan_count(); }
    const Stat& col(std::size_t j) const { return cols_[j]; }
    void save(ArchiveWriter& w) const {
        w.size(cols_.size());
        for (const auto& c : cols_) c.save(w);
    }
    static PerColumn load(ArchiveReader& r) {
        PerColumn v;
        const std::size_t n = r.size(MinSavedBytes);
        v.cols_.reserve(n);
        for (std::size_t j = 0; j < n; ++j) v.cols_.push_back(Stat::load(r));
        return v;
    }
    friend bool operator==(const PerColumn&, const PerColumn&) = default;

private:
    std::vector<Stat> cols_;
};

template <class T>
using ColumnCounts = PerColumn<T, ValueCounts, 24>;  // a saved ValueCounts takes at least 24 bytes

}  // namespace reprep::detail
