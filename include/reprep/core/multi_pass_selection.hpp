// Exact order statistics in bounded memory: a multi-pass radix selection over the
// order keys of core/quantile.hpp (docs/design.md, "Exact quantiles in bounded memory").
//
//   MultiPassSelection        the plan and the answers for one column
//   MultiPassSelection::Pass  what one read of the data contributes: exact integer
//                             histograms (and a few collected keys); mergeable and
//                             serialisable in canonical bytes
//   quantile_ranks / quantile_at   numpy's quantile (core/quantile.hpp) from the ranks
//                             it reads, so a selection can serve it
//
// Protocol, for data that can be read several times (a chunk source, MPI ranks):
//   MultiPassSelection s;
//   pass 1: auto p = s.begin_pass(); p.update(chunk) for every chunk; s.end_pass(p);
//           s.count() is now the number of non-NaN values: s.request(ranks)
//   while (!s.done()) { the same read again }
//   s.at(rank) is the value of that rank, bit for bit the one a full sort puts there.
//
// Each pass histograms one digit of the key, only inside the buckets that still hold a
// requested rank, so every requested rank is served by the same passes. A rank is pinned
// when its bucket holds one distinct key (its minimum equals its maximum), when it is the
// first or last of its bucket (the bucket's minimum or maximum, tracked in every pass),
// when the digits reach the key's 64 bits, or when its bucket is small enough that the
// pass collects its keys outright. With the default budget a pass holds 16-bit digits,
// so 4 passes settle any rank of 64-bit keys; fewer when the ranks sit in sparse buckets.
// Memory per pass is bounded by Options::budget_words per column, whatever the row count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "archive.hpp"
#include "detail/radix_sort.hpp"
#include "error.hpp"
#include "quantile.hpp"

namespace reprep {

namespace detail {
// The keys of one bucket share their top `shift` bits with `lo`; a pass histograms the
// next `bits` bits of each key in it, or collects its keys when bits == 0.
struct SelectBucket {
    std::uint64_t lo = 0;        // smallest key of the bucket (its low 64 - shift bits are 0)
    std::uint64_t expected = 0;  // keys the previous pass counted in it (0 in the first pass)
    std::uint8_t shift = 0;
    std::uint8_t bits = 0;
    std::uint64_t hi() const { return shift == 0 ? ~std::uint64_t{0} : lo | (~std::uint64_t{0} >> shift); }
    friend bool operator==(const SelectBucket&, const SelectBucket&) = default;
};
}  // namespace detail

class MultiPassSelection {
public:
    struct Options {
        // 8-byte words one pass may hold for one column (histogram counters plus collected
        // keys): 2^20 words = 8 MiB. 16-bit digits fit while at most 16 buckets are open.
        std::size_t budget_words = std::size_t{1} << 20;
    };

    class Pass {
    public:
        void update(std::span<const double> values) { add(values.data(), values.size()); }
        void update(std::span<const float> values) { add(values.data(), values.size()); }  // widened exactly
        // Exact: counts add, keys join; both passes must come from the same plan.
        void merge(const Pass& other);
        std::uint64_t nan_count() const { return nan_; }
        std::size_t words() const;  // the memory this pass holds, in 8-byte words
        // Canonical bytes: the plan, then per bucket its count, minimum and maximum, the
        // non-zero histogram cells in digit order and the collected keys sorted.
        void save(ArchiveWriter& w) const;
        static Pass load(ArchiveReader& r);
        friend bool operator==(const Pass& a, const Pass& b);

    private:
        friend class MultiPassSelection;
        template <class V>
        void add(const V* p, std::size_t n);
        void add_key(std::size_t b, std::uint64_t k);
        void allocate();
        std::vector<std::uint64_t> sorted_keys(std::size_t b) const;

        std::uint32_t pass_no_ = 0;
        std::vector<detail::SelectBucket> plan_;
        std::vector<std::size_t> offset_;  // per bucket: first counter, or index into keys_
        // With several buckets (all below the first digit): the buckets of each 16-bit key
        // prefix are [index_[p], index_[p + 1]), so a key outside every bucket costs one load.
        std::vector<std::uint32_t> index_;
        std::vector<std::uint64_t> los_;  // plan_[b].lo, contiguous for the search
        std::vector<std::uint64_t> counts_;
        std::vector<std::vector<std::uint64_t>> keys_;
        std::vector<std::uint64_t> seen_, min_, max_;  // per bucket
        std::uint64_t nan_ = 0;
    };

    MultiPassSelection() : MultiPassSelection(Options{}) {}
    explicit MultiPassSelection(Options options);

    Pass begin_pass() const;
    void end_pass(const Pass& pass);
    std::size_t passes() const { return passes_; }
    bool counted() const { return counted_; }
    std::uint64_t count() const { return count_; }      // non-NaN values (after the first pass)
    std::uint64_t nan_count() const { return nan_; }
    // The ranks wanted (each < count(), any order, repeats allowed); once, after the first pass.
    void request(std::span<const std::size_t> ranks);
    bool done() const;
    std::size_t peak_words() const { return peak_words_; }  // the largest pass, in 8-byte words
    double at(std::size_t rank) const { return from_order_key(key_at(rank)); }
    std::uint64_t key_at(std::size_t rank) const;

private:
    struct Target {
        std::uint64_t rank = 0, offset = 0, key = 0;
        std::size_t bucket = 0;
        bool pinned = false;
    };
    void resolve(const Pass& pass);
    void plan_next(std::vector<detail::SelectBucket> next);

    Options options_;
    std::size_t passes_ = 0;
    bool counted_ = false, requested_ = false;
    std::uint64_t count_ = 0, nan_ = 0;
    std::vector<detail::SelectBucket> plan_;
    std::optional<Pass> first_;  // the first pass, kept until request() says what it must serve
    std::vector<Target> targets_;  // sorted by rank
    std::size_t peak_words_ = 0;
};

// numpy's quantile of n sorted non-NaN values (core/quantile.hpp) where at(r) is the
// value of rank r; quantile_ranks appends the ranks it reads.
void quantile_ranks(std::size_t n, double q, QuantileMethod m, std::vector<std::size_t>& ranks);
template <class At>
double quantile_at(std::size_t n, double q, QuantileMethod m, At&& at);

// ===========================================================================
// Implementation
// ===========================================================================

namespace detail {
inline constexpr std::uint8_t select_digit_bits = 16;

[[noreturn]] inline void selection_fail_input(std::string problem, std::string fix) {
    fail<InvalidInput>({.component = "MultiPassSelection", .problem = std::move(problem), .fix = std::move(fix)});
}
[[noreturn]] inline void selection_fail_use(std::string problem, std::string fix, std::string parameter) {
    fail<InvalidParameter>({.component = "MultiPassSelection",
                            .problem = std::move(problem),
                            .fix = std::move(fix),
                            .column = std::move(parameter)});
}
}  // namespace detail

inline void quantile_ranks(std::size_t n, double q, QuantileMethod m, std::vector<std::size_t>& ranks) {
    detail::check_q(q);
    detail::check_method(m);
    if (n == 0) return;
    const auto p = detail::plan_quantile(n, q, m);
    ranks.push_back(p.lo);
    if (p.blend) ranks.push_back(p.hi);
}

template <class At>
double quantile_at(std::size_t n, double q, QuantileMethod m, At&& at) {
    detail::check_q(q);
    detail::check_method(m);
    if (n == 0) return detail::canonical_nan();
    return detail::apply_plan(detail::plan_quantile(n, q, m), at);
}

// ---- Pass -------------------------------------------------------------------

inline void MultiPassSelection::Pass::allocate() {
    offset_.assign(plan_.size(), 0);
    std::size_t counters = 0, collected = 0;
    for (std::size_t b = 0; b < plan_.size(); ++b) {
        offset_[b] = plan_[b].bits ? counters : collected;
        if (plan_[b].bits) counters += std::size_t{1} << plan_[b].bits;
        else ++collected;
    }
    counts_.assign(counters, 0);
    keys_.assign(collected, {});
    index_.clear();
    los_.clear();
    if (plan_.size() > 1) {
        for (const auto& b : plan_) los_.push_back(b.lo);
        constexpr std::size_t prefixes = std::size_t{1} << detail::select_digit_bits;
        index_.assign(prefixes + 1, 0);
        for (const auto& b : plan_) ++index_[(b.lo >> (64 - detail::select_digit_bits)) + 1];
        for (std::size_t i = 0; i < prefixes; ++i) index_[i + 1] += index_[i];
    }
    seen_.assign(plan_.size(), 0);
    min_.assign(plan_.size(), ~std::uint64_t{0});
    max_.assign(plan_.size(), 0);
}

inline void MultiPassSelection::Pass::add_key(std::size_t b, std::uint64_t k) {
    const detail::SelectBucket& bk = plan_[b];
    ++seen_[b];
    min_[b] = k < min_[b] ? k : min_[b];
    max_[b] = k > max_[b] ? k : max_[b];
    if (bk.bits) {
        ++counts_[offset_[b] + ((k - bk.lo) >> (64 - bk.shift - bk.bits))];
    } else {
        auto& keys = keys_[offset_[b]];
        // A source that yields more rows than it did before must not grow this without
        // bound; end_pass reports the mismatch from seen_.
        if (keys.size() < bk.expected) keys.push_back(k);
    }
}

template <class V>
void MultiPassSelection::Pass::add(const V* p, std::size_t n) {
    if (plan_.size() == 1) {  // the first pass, and every pass of a single open bucket
        const std::uint64_t lo = plan_[0].lo, hi = plan_[0].hi();
        for (std::size_t i = 0; i < n; ++i) {
            const double x = static_cast<double>(p[i]);
            if (x != x) {
                ++nan_;
                continue;
            }
            const std::uint64_t k = order_key(x);
            if (k >= lo && k <= hi) add_key(0, k);
        }
        return;
    }
    // Several buckets only come after the first pass, so each lies inside one 16-bit
    // prefix; they are disjoint and sorted by lo.
    for (std::size_t i = 0; i < n; ++i) {
        const double x = static_cast<double>(p[i]);
        if (x != x) {
            ++nan_;
            continue;
        }
        const std::uint64_t k = order_key(x);
        const std::size_t prefix = static_cast<std::size_t>(k >> (64 - detail::select_digit_bits));
        std::size_t first = index_[prefix];
        const std::size_t last = index_[prefix + 1];
        if (first == last) continue;
        // The last bucket starting at or below k, by a search without data-dependent
        // branches (the keys arrive in random order, so branches would mispredict).
        for (std::size_t len = last - first; len > 1;) {
            const std::size_t half = len / 2;
            first = los_[first + half] <= k ? first + half : first;
            len -= half;
        }
        if (k >= plan_[first].lo && k <= plan_[first].hi()) add_key(first, k);
    }
}

inline void MultiPassSelection::Pass::merge(const Pass& o) {
    if (o.pass_no_ != pass_no_ || o.plan_ != plan_)
        detail::selection_fail_input("two passes of different plans cannot merge (pass " + std::to_string(pass_no_) +
                                         " and pass " + std::to_string(o.pass_no_) + ")",
                                     "merge only the passes begun from the same selection state");
    if (&o == this) {
        const Pass copy(o);
        merge(copy);
        return;
    }
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
    for (std::size_t b = 0; b < plan_.size(); ++b) {
        seen_[b] += o.seen_[b];
        min_[b] = std::min(min_[b], o.min_[b]);
        max_[b] = std::max(max_[b], o.max_[b]);
        if (!plan_[b].bits) {
            auto& mine = keys_[offset_[b]];
            const auto& theirs = o.keys_[o.offset_[b]];
            const std::size_t room = plan_[b].expected > mine.size() ? plan_[b].expected - mine.size() : 0;
            mine.insert(mine.end(), theirs.begin(), theirs.begin() + static_cast<std::ptrdiff_t>(std::min(room, theirs.size())));
        }
    }
    nan_ += o.nan_;
}

inline std::size_t MultiPassSelection::Pass::words() const {
    std::size_t w = counts_.size() + 5 * plan_.size() + los_.size() + index_.size() / 2;
    for (const auto& k : keys_) w += k.capacity();
    return w;
}

inline std::vector<std::uint64_t> MultiPassSelection::Pass::sorted_keys(std::size_t b) const {
    std::vector<std::uint64_t> k = keys_[offset_[b]];
    detail::sort_keys(k);
    return k;
}

inline void MultiPassSelection::Pass::save(ArchiveWriter& w) const {
    w.u32(pass_no_);
    w.u64(nan_);
    w.size(plan_.size());
    for (std::size_t b = 0; b < plan_.size(); ++b) {
        const auto& bk = plan_[b];
        w.u64(bk.lo);
        w.u64(bk.expected);
        w.u8(bk.shift);
        w.u8(bk.bits);
        w.u64(seen_[b]);
        w.u64(seen_[b] ? min_[b] : 0);  // an empty bucket's extremes are not data
        w.u64(seen_[b] ? max_[b] : 0);
        if (bk.bits) {
            const std::size_t cells = std::size_t{1} << bk.bits;
            std::size_t nonzero = 0;
            for (std::size_t d = 0; d < cells; ++d) nonzero += counts_[offset_[b] + d] != 0;
            w.size(nonzero);
            for (std::size_t d = 0; d < cells; ++d) {
                const std::uint64_t c = counts_[offset_[b] + d];
                if (c == 0) continue;
                w.u32(static_cast<std::uint32_t>(d));
                w.u64(c);
            }
        } else {
            w.u64s(sorted_keys(b));
        }
    }
}

inline MultiPassSelection::Pass MultiPassSelection::Pass::load(ArchiveReader& r) {
    Pass p;
    p.pass_no_ = r.u32();
    p.nan_ = r.u64();
    const std::size_t n = r.size(42);  // a bucket takes at least 42 bytes
    p.plan_.resize(n);
    struct Extremes { std::uint64_t seen, mn, mx; };
    std::vector<Extremes> ex(n);
    std::vector<std::vector<std::pair<std::uint32_t, std::uint64_t>>> cells(n);
    std::vector<std::vector<std::uint64_t>> keys(n);
    for (std::size_t b = 0; b < n; ++b) {
        auto& bk = p.plan_[b];
        bk.lo = r.u64();
        bk.expected = r.u64();
        bk.shift = r.u8();
        bk.bits = r.u8();
        if (bk.shift > 64 || bk.bits > detail::select_digit_bits || bk.shift + bk.bits > 64 ||
            (bk.shift < 64 && (bk.lo & (~std::uint64_t{0} >> bk.shift)) != 0) || (bk.shift == 64 && bk.bits != 0) ||
            (b > 0 && bk.lo <= p.plan_[b - 1].hi()) || (n > 1 && bk.shift < detail::select_digit_bits))
            r.fail("a selection pass holds an invalid or overlapping bucket (" + std::to_string(b) + ")");
        ex[b] = {r.u64(), r.u64(), r.u64()};
        if (ex[b].seen && (ex[b].mn > ex[b].mx || ex[b].mn < bk.lo || ex[b].mx > bk.hi()))
            r.fail("a selection pass holds extremes outside their bucket");
        std::uint64_t total = 0;
        if (bk.bits) {
            const std::size_t nz = r.size(12);
            cells[b].reserve(nz);
            for (std::size_t i = 0; i < nz; ++i) {
                const std::uint32_t d = r.u32();
                const std::uint64_t c = r.u64();
                if (d >= (std::uint64_t{1} << bk.bits) || c == 0 || (i > 0 && d <= cells[b].back().first) ||
                    c > ex[b].seen - total)
                    r.fail("a selection pass holds an invalid histogram cell");
                total += c;
                cells[b].emplace_back(d, c);
            }
        } else {
            keys[b] = r.u64s();
            for (std::size_t i = 0; i < keys[b].size(); ++i)
                if (keys[b][i] < bk.lo || keys[b][i] > bk.hi() || (i > 0 && keys[b][i] < keys[b][i - 1]))
                    r.fail("a selection pass holds a collected key outside its bucket or out of order");
            total = keys[b].size();
            if (total != std::min(ex[b].seen, bk.expected)) r.fail("a selection pass's collected keys do not match its count");
        }
        if (bk.bits && total != ex[b].seen) r.fail("a selection pass's histogram does not sum to its count");
    }
    // Histogram cells are allocated in full: cap them so that a hostile length cannot
    // ask for more than 128 MiB (a pass made under the default budget holds 8 MiB).
    std::size_t cells_total = 0;
    for (const auto& bk : p.plan_) cells_total += bk.bits ? std::size_t{1} << bk.bits : 0;
    if (cells_total > (std::size_t{1} << 24)) r.fail("a selection pass holds more than 2^24 histogram cells");
    p.allocate();
    for (std::size_t b = 0; b < n; ++b) {
        p.seen_[b] = ex[b].seen;
        if (ex[b].seen) {
            p.min_[b] = ex[b].mn;
            p.max_[b] = ex[b].mx;
        }
        for (const auto& [d, c] : cells[b]) p.counts_[p.offset_[b] + d] = c;
        if (!p.plan_[b].bits) p.keys_[p.offset_[b]] = std::move(keys[b]);
    }
    return p;
}

inline bool operator==(const MultiPassSelection::Pass& a, const MultiPassSelection::Pass& b) {
    if (a.pass_no_ != b.pass_no_ || a.plan_ != b.plan_ || a.nan_ != b.nan_ || a.seen_ != b.seen_ ||
        a.counts_ != b.counts_)
        return false;
    for (std::size_t i = 0; i < a.plan_.size(); ++i) {
        if (a.seen_[i] && (a.min_[i] != b.min_[i] || a.max_[i] != b.max_[i])) return false;
        if (!a.plan_[i].bits && a.sorted_keys(i) != b.sorted_keys(i)) return false;
    }
    return true;
}

// ---- MultiPassSelection -------------------------------------------------------

inline MultiPassSelection::MultiPassSelection(Options options) : options_(options) {
    if (options_.budget_words < (std::size_t{1} << detail::select_digit_bits))
        detail::selection_fail_use("budget_words = " + std::to_string(options_.budget_words) +
                                       " cannot hold the first pass's histogram",
                                   "pass at least 65536 (512 KiB)", "budget_words");
    plan_.push_back({.lo = 0, .expected = 0, .shift = 0, .bits = detail::select_digit_bits});
}

inline MultiPassSelection::Pass MultiPassSelection::begin_pass() const {
    if (counted_ && !requested_)
        detail::selection_fail_use("the ranks are not known yet", "call request(ranks) after the first pass", "request");
    if (done()) detail::selection_fail_use("every requested rank is settled; no pass is left", "read at(rank)", "begin_pass");
    Pass p;
    p.pass_no_ = static_cast<std::uint32_t>(passes_);
    p.plan_ = plan_;
    p.allocate();
    // Collected keys get their exact room up front, so a pass holds what the budget
    // allowed and no growth slack (load() does not reserve: its counts are not trusted).
    for (std::size_t b = 0; b < plan_.size(); ++b)
        if (!plan_[b].bits) p.keys_[p.offset_[b]].reserve(static_cast<std::size_t>(plan_[b].expected));
    return p;
}

inline void MultiPassSelection::end_pass(const Pass& pass) {
    if (pass.pass_no_ != passes_ || pass.plan_ != plan_)
        detail::selection_fail_input("pass " + std::to_string(pass.pass_no_) + " does not belong to this selection, "
                                     "which expects pass " + std::to_string(passes_),
                                     "end each pass with the Pass that begin_pass() returned (merged with its shards)");
    if (!counted_) {
        count_ = pass.seen_[0];
        nan_ = pass.nan_;
        counted_ = true;
        peak_words_ = pass.words();
        first_ = pass;
        ++passes_;
        return;
    }
    // A source must give the same rows on every read: each bucket must hold what the
    // previous pass counted in it, and the NaNs must not change.
    for (std::size_t b = 0; b < plan_.size(); ++b)
        if (pass.seen_[b] != plan_[b].expected || pass.nan_ != nan_)
            detail::selection_fail_input("pass " + std::to_string(passes_ + 1) + " read other data than the passes "
                                         "before it (a bucket counted " + std::to_string(pass.seen_[b]) + " values, " +
                                         std::to_string(plan_[b].expected) + " expected; NaNs " +
                                         std::to_string(pass.nan_) + ", " + std::to_string(nan_) + " expected)",
                                         "make the chunk source yield the same rows on every read (do not change "
                                         "the file while fitting)");
    peak_words_ = std::max(peak_words_, pass.words());
    ++passes_;
    resolve(pass);
}

inline void MultiPassSelection::request(std::span<const std::size_t> ranks) {
    if (!counted_ || requested_)
        detail::selection_fail_use(counted_ ? "request() was already called" : "request() needs the first pass's count",
                                   "call request(ranks) once, after the first end_pass()", "request");
    std::vector<std::size_t> r(ranks.begin(), ranks.end());
    std::sort(r.begin(), r.end());
    r.erase(std::unique(r.begin(), r.end()), r.end());
    if (!r.empty() && r.back() >= count_)
        detail::selection_fail_use("rank " + std::to_string(r.back()) + " is out of range: there are " +
                                       std::to_string(count_) + " non-NaN values",
                                   "request ranks below count()", "ranks");
    for (std::size_t x : r) targets_.push_back({.rank = x, .offset = x});
    requested_ = true;
    resolve(*first_);
    first_.reset();
}

inline bool MultiPassSelection::done() const {
    return requested_ && std::all_of(targets_.begin(), targets_.end(), [](const Target& t) { return t.pinned; });
}

inline std::uint64_t MultiPassSelection::key_at(std::size_t rank) const {
    auto it = std::lower_bound(targets_.begin(), targets_.end(), rank,
                               [](const Target& t, std::size_t r) { return t.rank < r; });
    if (it == targets_.end() || it->rank != rank || !it->pinned)
        detail::selection_fail_use("rank " + std::to_string(rank) + (it == targets_.end() || it->rank != rank
                                                                        ? " was not requested" : " is not settled yet"),
                                   "request it, then run passes until done()", "rank");
    return it->key;
}

inline void MultiPassSelection::resolve(const Pass& pass) {
    std::vector<detail::SelectBucket> next;
    // Targets are sorted by rank and buckets by key, so the targets of one bucket are
    // contiguous and their offsets increase: one walk of its histogram serves them all.
    for (std::size_t i = 0; i < targets_.size();) {
        if (targets_[i].pinned) {
            ++i;
            continue;
        }
        const std::size_t b = targets_[i].bucket;
        std::size_t end = i;
        while (end < targets_.size() && !targets_[end].pinned && targets_[end].bucket == b) ++end;
        const detail::SelectBucket& bk = pass.plan_[b];
        const std::uint64_t c = pass.seen_[b], mn = pass.min_[b], mx = pass.max_[b];
        std::vector<std::uint64_t> keys;
        if (!bk.bits) keys = pass.sorted_keys(b);
        std::size_t d = 0;
        std::uint64_t below = 0;  // keys in the digits before d
        for (std::size_t t = i; t < end; ++t) {
            Target& tg = targets_[t];
            auto pin = [&](std::uint64_t k) {
                tg.key = k;
                tg.pinned = true;
            };
            if (mn == mx || tg.offset == 0) { pin(mn); continue; }
            if (tg.offset == c - 1) { pin(mx); continue; }
            if (!bk.bits) { pin(keys[tg.offset]); continue; }
            const std::uint64_t* h = pass.counts_.data() + pass.offset_[b];
            while (below + h[d] <= tg.offset) below += h[d++];
            const std::uint8_t shift = static_cast<std::uint8_t>(bk.shift + bk.bits);
            const std::uint64_t lo = bk.lo + (static_cast<std::uint64_t>(d) << (64 - shift));
            tg.offset -= below;
            if (shift == 64) { pin(lo); continue; }  // every bit of the key is known
            if (next.empty() || next.back().lo != lo) next.push_back({.lo = lo, .expected = h[d], .shift = shift});
            tg.bucket = next.size() - 1;
        }
        i = end;
    }
    plan_next(std::move(next));
}

// The widest digit (at most 16 bits) whose pass fits the budget. A bucket small enough
// is collected instead (its keys cost no more than its histogram would), which settles
// every rank in it at the end of that pass.
inline void MultiPassSelection::plan_next(std::vector<detail::SelectBucket> next) {
    std::uint8_t bits = detail::select_digit_bits;
    for (; bits > 1; --bits) {
        std::size_t cost = 0;
        for (const auto& b : next) {
            const std::uint64_t cells = std::uint64_t{1} << std::min<int>(bits, 64 - b.shift);
            cost += static_cast<std::size_t>(std::min(b.expected, cells));
        }
        if (cost <= options_.budget_words) break;
    }
    for (auto& b : next) {
        const std::uint8_t w = static_cast<std::uint8_t>(std::min<int>(bits, 64 - b.shift));
        b.bits = b.expected <= (std::uint64_t{1} << w) ? 0 : w;
    }
    plan_ = std::move(next);
}

}  // namespace reprep
