// KBinsDiscretizer's 1-D k-means (strategy kmeans) as a sequence of passes over a
// column's values. Every step of Lloyd's iteration is a function of what one pass
// gathers: the exact sum and the count of the values nearest each centre, how many
// values changed cluster, and (only when a cluster is left empty) the values farthest
// from their centres. Those merge exactly, so the fit in memory (one loop over the
// sorted values per pass, kmeans_1d below) and the fit from a chunk source (one read of
// the source per pass, KBinsDiscretizer::fit_passes) give the same centres, bit for bit.
//
// The algorithm, scikit-learn's KMeans on one feature as docs/components.md describes it:
// centres start at the midpoints of the uniform edges of [min, max]; each iteration
// assigns every value to the nearest centre ((x - c)^2, ties to the lower index), sets
// each centre to the exact mean of its values (ExactSum, one rounding, then / count),
// relocates empty clusters to the values farthest from their centres (farthest first,
// ties to the smaller value), and stops when no label changed, when the squared centre
// shift is <= 1e-4 * var(column) (exact variance), or after 300 iterations.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../../core/archive.hpp"
#include "../../core/exact_sum.hpp"
#include "../../core/moments.hpp"
#include "../../core/numpy_ports.hpp"
#include "../../core/quantile.hpp"

namespace reprep::detail {

// What one pass over a column's values gathers. A sums pass: per cluster the exact sum
// and the count of its values, and how many values changed cluster since the previous
// iteration. A farthest pass: the `want` values farthest from their centres, with their
// squared distances, farthest first (ties: the smaller value by order_key first).
// Merging is exact (integer and ExactSum additions; the farthest are the first `want`
// of a total order in which equal entries are the same value), so any chunking and any
// tree of merges gives the same bytes.
struct KMeansPass {
    std::vector<ExactSum> sums;
    std::vector<std::uint64_t> counts;
    std::uint64_t changed = 0;
    std::uint64_t want = 0;
    std::vector<double> far_d, far_x;  // farthest pass; unordered and maybe longer than want until finish()

    static bool before(double da, double xa, double db, double xb) {
        return da > db || (da == db && order_key(xa) < order_key(xb));
    }
    void offer(double d, double x) {
        far_d.push_back(d);
        far_x.push_back(x);
        // Keep the buffer within a constant of `want`: trim it to the best `want` at times.
        if (far_x.size() >= 2 * want + 64) finish();
    }
    // Orders the farthest values and keeps the first `want`.
    void finish() {
        std::vector<std::size_t> idx(far_x.size());
        for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::sort(idx.begin(), idx.end(),
                  [&](std::size_t a, std::size_t b) { return before(far_d[a], far_x[a], far_d[b], far_x[b]); });
        idx.resize(std::min<std::size_t>(idx.size(), static_cast<std::size_t>(want)));
        std::vector<double> d, x;
        for (const std::size_t i : idx) {
            d.push_back(far_d[i]);
            x.push_back(far_x[i]);
        }
        far_d = std::move(d);
        far_x = std::move(x);
    }
    void merge(const KMeansPass& o, ArchiveReader& r) {
        if (o.sums.size() != sums.size() || o.counts.size() != counts.size() || o.want != want)
            r.fail("two processes sent k-means passes of other shapes");
        for (std::size_t j = 0; j < sums.size(); ++j) {
            sums[j].merge(o.sums[j]);
            counts[j] += o.counts[j];
        }
        changed += o.changed;
        far_d.insert(far_d.end(), o.far_d.begin(), o.far_d.end());
        far_x.insert(far_x.end(), o.far_x.begin(), o.far_x.end());
        finish();
    }
    // Canonical bytes: u64 changed, len clusters and each sum's bytes, the counts, u64
    // want, the farthest distances and values (finished: ordered, at most want).
    void save(ArchiveWriter& w) {
        finish();
        w.u64(changed);
        w.size(sums.size());
        for (const auto& s : sums) s.save(w);
        w.u64s(counts);
        w.u64(want);
        w.f64s(far_d);
        w.f64s(far_x);
    }
    static KMeansPass load(ArchiveReader& r) {
        KMeansPass p;
        p.changed = r.u64();
        const std::size_t k = r.size(8);
        for (std::size_t j = 0; j < k; ++j) p.sums.push_back(ExactSum::load(r));
        p.counts = r.u64s();
        p.want = r.u64();
        p.far_d = r.f64s();
        p.far_x = r.f64s();
        if (p.counts.size() != k || p.far_d.size() != p.far_x.size() || p.far_x.size() > p.want)
            r.fail("a k-means pass is malformed");
        return p;
    }
};

// One column's k-means, driven pass by pass: begin() gives the pass to fill, see() each
// value into it (or label() and add() where the caller keeps the labels), end() the
// pass merged over every value; until done(). centres() then holds them, sorted.
class KMeans1D {
public:
    static constexpr int max_iter = 300;

    KMeans1D(std::size_t k, double min, double max, double variance) : k_(k), tol_(variance * 1e-4) {
        const auto u = np_linspace(min, max, k + 1);
        c_.resize(k);
        for (std::size_t i = 0; i < k; ++i) c_[i] = (u[i + 1] + u[i]) * 0.5;
    }

    bool done() const { return step_ == Step::done; }
    bool farthest_pass() const { return step_ == Step::farthest; }
    const std::vector<double>& centres() const { return c_; }

    KMeansPass begin() const {
        KMeansPass p;
        if (step_ == Step::sums) {
            p.sums.assign(k_, ExactSum{});
            p.counts.assign(k_, 0);
        } else if (step_ == Step::farthest) {
            p.want = empty_.size();
        }
        return p;
    }

    // The nearest centre of this iteration (ties to the lower index), and of the previous one.
    std::size_t label(double x) const { return nearest(x, c_); }
    std::size_t previous_label(double x) const { return nearest(x, prev_); }

    // A value of a sums pass, with its label, and whether that differs from its label in
    // the previous iteration (ignored in the first).
    static void add(KMeansPass& p, double x, std::size_t label, bool changed) {
        p.sums[label].add(x);
        ++p.counts[label];
        p.changed += changed ? 1 : 0;
    }
    // A value, when the caller keeps no labels.
    void see(KMeansPass& p, double x) const {
        if (step_ == Step::sums) {
            const std::size_t l = label(x);
            add(p, x, l, iter_ > 0 && previous_label(x) != l);
        } else {
            offer(p, x);
        }
    }
    // A value of a farthest pass.
    void offer(KMeansPass& p, double x) const {
        const double d = x - c_[label(x)];
        p.offer(d * d, x);
    }

    void end(KMeansPass p) {
        if (step_ == Step::sums) {
            sums_ = std::move(p.sums);
            counts_ = std::move(p.counts);
            changed_ = p.changed;
            empty_.clear();
            for (std::size_t j = 0; j < k_; ++j)
                if (counts_[j] == 0) empty_.push_back(j);
            if (!empty_.empty()) {
                step_ = Step::farthest;
                return;
            }
        } else {
            // Each empty cluster takes the next farthest value from its cluster.
            p.finish();
            for (std::size_t e = 0; e < empty_.size() && e < p.far_x.size(); ++e) {
                const double x = p.far_x[e];
                const std::size_t from = label(x);
                sums_[from].add(-x);
                --counts_[from];
                sums_[empty_[e]] = ExactSum{};
                sums_[empty_[e]].add(x);
                counts_[empty_[e]] = 1;
            }
        }
        update();
    }

private:
    enum class Step { sums, farthest, done };

    std::size_t nearest(double x, const std::vector<double>& centres) const {
        std::size_t best = 0;
        double bd = (x - centres[0]) * (x - centres[0]);
        for (std::size_t j = 1; j < k_; ++j) {
            const double d = (x - centres[j]) * (x - centres[j]);
            if (d < bd) {
                bd = d;
                best = j;
            }
        }
        return best;
    }

    // The centres from this iteration's sums; then stop or go on.
    void update() {
        std::vector<double> next(k_);
        ExactSum shift2;
        for (std::size_t j = 0; j < k_; ++j) {
            next[j] = counts_[j] > 0 ? sums_[j].value() / static_cast<double>(counts_[j]) : c_[j];
            shift2.add_product(next[j] - c_[j], next[j] - c_[j]);
        }
        const double shift = shift2.value();
        prev_ = std::move(c_);
        c_ = std::move(next);
        const bool unchanged = iter_ > 0 && changed_ == 0;
        ++iter_;
        // No label changed, the shift is within tolerance, or the iterations are spent.
        // (The final E-step scikit-learn reruns changes labels only, not centres.)
        if (unchanged || shift <= tol_ || iter_ == max_iter) {
            std::sort(c_.begin(), c_.end());
            step_ = Step::done;
        } else {
            step_ = Step::sums;
        }
    }

    std::size_t k_;
    double tol_;
    std::vector<double> c_, prev_;  // this iteration's centres; the previous iteration's
    int iter_ = 0;
    Step step_ = Step::sums;
    std::vector<ExactSum> sums_;  // this iteration's, kept while a farthest pass runs
    std::vector<std::uint64_t> counts_;
    std::uint64_t changed_ = 0;
    std::vector<std::size_t> empty_;
};

// The k-means above on the sorted finite values of one column, in memory; returns the
// sorted centres. Keeps each value's label from one sums pass to the next, so that a
// pass assigns each value once.
inline std::vector<double> kmeans_1d(std::span<const double> x, std::size_t k, double min, double max) {
    const std::size_t n = x.size();
    ColumnMoments<double> m(1);
    m.update(Eigen::Map<const Matrix<double>>(x.data(), static_cast<Eigen::Index>(n), 1));
    KMeans1D km(k, min, max, m.variance(0));
    std::vector<std::size_t> labels(n, std::numeric_limits<std::size_t>::max());
    while (!km.done()) {
        KMeansPass p = km.begin();
        if (km.farthest_pass()) {
            for (std::size_t i = 0; i < n; ++i) km.offer(p, x[i]);
        } else {
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t l = km.label(x[i]);
                KMeans1D::add(p, x[i], l, l != labels[i]);
                labels[i] = l;
            }
        }
        km.end(std::move(p));
    }
    return km.centres();
}

}  // namespace reprep::detail
