// Exact quantiles (docs/design.md, "Exact quantiles"), bit-identical to numpy.
//
//   quantile(values, q, method)      one order statistic (or a blend of two) by selection
//   quantiles(values, qs, method)    many q at once, one multi-selection over one copy
//   quantile_sorted(sorted, q, m)    the same on data already sorted (no copy, O(1))
//   order_key / from_order_key       an order-preserving bijection double <-> uint64
//   ValueAccumulator                 exact, mergeable store of every non-NaN value
//
// Definitions (docs/numerics_quantile_rng.md has the full text):
// - NaN values are ignored; with no non-NaN value left the result is NaN.
// - Values are ordered by the IEEE total order restricted to non-NaN values, so
//   -0.0 sorts before +0.0. numpy treats the two zeros as equal and its (unstable)
//   partition then returns either sign depending on the input order; with the total
//   order the result is a function of the multiset of values alone.
// - Given that order, every method computes exactly what numpy 1.24's np.quantile
//   computes: the same virtual index in the same double arithmetic, the same index
//   clamping, the same gamma corrections and the same two-sided lerp (a + (b-a)*t for
//   t < 0.5, b - (b-a)*(1-t) otherwise). numpy's arithmetic is kept even where it
//   yields NaN from infinities (e.g. the 'linear' blend of 1 and +Inf with t >= 0.5),
//   so that results match numpy bit for bit.
// - A NaN result is always the canonical quiet NaN 0x7ff8000000000000 (hardware
//   differs in the NaN it makes from Inf - Inf; numpy on x86 returns the negative one).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "archive.hpp"
#include "detail/radix_select.hpp"
#include "detail/radix_sort.hpp"
#include "error.hpp"

namespace reprep {

// numpy's method names (np.quantile(..., method=...)) that scikit-learn uses.
enum class QuantileMethod { linear, lower, higher, midpoint, nearest, inverted_cdf, averaged_inverted_cdf };

// Order-preserving keys: for non-NaN a, b (with -0.0 < +0.0), a < b <=> order_key(a) < order_key(b).
// Every NaN maps to one key above +Inf: order_key(canonical quiet NaN).
std::uint64_t order_key(double x);
// The inverse on the image of order_key (so NaN comes back as the canonical quiet NaN).
double from_order_key(std::uint64_t k);

// q in [0, 1] (InvalidParameter otherwise, NaN included). NaN values are ignored.
double quantile(std::span<const double> values, double q, QuantileMethod method = QuantileMethod::linear);
std::vector<double> quantiles(std::span<const double> values, std::span<const double> qs,
                              QuantileMethod method = QuantileMethod::linear);
// On data sorted ascending by order_key with NaNs removed (the precondition is not
// checked; violating it gives a wrong value but never undefined behaviour).
double quantile_sorted(std::span<const double> sorted, double q, QuantileMethod method = QuantileMethod::linear);

// Every non-NaN value seen, held as sorted runs that are merged exactly; the result
// of any sequence of updates and merges depends only on the multiset of values.
// Memory is 8 bytes per value: this is the price of exact quantiles.
//
// Const accessors may consolidate pending runs; they lock an internal mutex to do
// so, so concurrent const use from several threads is safe.
class ValueAccumulator {
public:
    ValueAccumulator() = default;
    ValueAccumulator(const ValueAccumulator& other);
    ValueAccumulator(ValueAccumulator&& other) noexcept;
    ValueAccumulator& operator=(const ValueAccumulator& other);
    ValueAccumulator& operator=(ValueAccumulator&& other) noexcept;
    ~ValueAccumulator() = default;

    void update(std::span<const double> values);
    void update(std::span<const float> values);  // widened exactly
    void merge(const ValueAccumulator& other);

    std::uint64_t count() const { return static_cast<std::uint64_t>(values_.size()); }  // non-NaN values
    std::uint64_t nan_count() const { return nan_count_; }
    // All non-NaN values sorted by order_key (-0.0 before +0.0). The span stays
    // valid until the next update/merge/assignment.
    std::span<const double> sorted() const;
    double quantile(double q, QuantileMethod m = QuantileMethod::linear) const;
    std::vector<double> quantiles(std::span<const double> qs, QuantileMethod m = QuantileMethod::linear) const;

    // Canonical bytes: u64 nan_count, then the sorted values as f64s (u64 length +
    // bit patterns). load() refuses NaN values and unsorted data with FormatError.
    void save(ArchiveWriter& w) const;
    static ValueAccumulator load(ArchiveReader& r);

    friend bool operator==(const ValueAccumulator& a, const ValueAccumulator& b);

private:
    void push_run(std::vector<double>&& run);  // appends a sorted run, keeps runs geometric
    void consolidate() const;                   // merges every run into one (under the lock)

    // values_ is a concatenation of sorted runs; run_ends_ holds the end offset of
    // each run, sizes strictly decreasing, so there are at most log2(n) runs and each
    // value takes part in O(log n) merges overall.
    mutable std::vector<double> values_;
    mutable std::vector<std::size_t> run_ends_;
    std::uint64_t nan_count_ = 0;
    mutable std::unique_ptr<std::mutex> lock_ = std::make_unique<std::mutex>();
};

// ===========================================================================
// Implementation
// ===========================================================================

inline std::uint64_t order_key(double x) {
    constexpr std::uint64_t sign = 0x8000000000000000ULL;
    if (x != x) return 0x7ff8000000000000ULL | sign;
    const auto b = std::bit_cast<std::uint64_t>(x);
    // Negative values: flipping every bit reverses their order and puts them below
    // every positive key; positive values: setting the sign bit lifts them above.
    return (b & sign) ? ~b : (b | sign);
}

inline double from_order_key(std::uint64_t k) {
    constexpr std::uint64_t sign = 0x8000000000000000ULL;
    return std::bit_cast<double>((k & sign) ? (k ^ sign) : ~k);
}

namespace detail {

inline constexpr std::uint64_t canonical_nan_bits = 0x7ff8000000000000ULL;
inline double canonical_nan() { return std::bit_cast<double>(canonical_nan_bits); }

inline const char* quantile_method_name(QuantileMethod m) {
    switch (m) {
        case QuantileMethod::linear: return "linear";
        case QuantileMethod::lower: return "lower";
        case QuantileMethod::higher: return "higher";
        case QuantileMethod::midpoint: return "midpoint";
        case QuantileMethod::nearest: return "nearest";
        case QuantileMethod::inverted_cdf: return "inverted_cdf";
        case QuantileMethod::averaged_inverted_cdf: return "averaged_inverted_cdf";
    }
    return "unknown";
}

inline void check_q(double q) {
    if (!(q >= 0.0 && q <= 1.0))
        fail<InvalidParameter>({.component = "quantile",
                                .problem = "q = " + std::to_string(q) + " is outside [0, 1]",
                                .fix = "pass a probability in [0, 1] (a percentile p is q = p / 100)",
                                .column = "q"});
}

inline void check_method(QuantileMethod m) {
    if (static_cast<unsigned>(m) > static_cast<unsigned>(QuantileMethod::averaged_inverted_cdf))
        fail<InvalidParameter>({.component = "quantile",
                                .problem = "unknown QuantileMethod value " + std::to_string(static_cast<int>(m)),
                                .fix = "use one of the QuantileMethod enumerators",
                                .column = "method"});
}

// What numpy does for one q on n >= 1 sorted values: either take sorted[lo], or
// blend sorted[lo] and sorted[hi] with weight t by numpy's lerp.
struct QuantilePlan {
    std::size_t lo = 0;
    std::size_t hi = 0;
    double t = 0.0;
    bool blend = false;
};

// numpy's np.around: round half to even (written out so that it does not depend
// on the rounding mode; the argument is a non-negative index below 2^53).
inline double round_half_even(double x) {
    const double f = std::floor(x);
    const double d = x - f;  // exact: x and f share the exponent range, d in [0, 1)
    if (d > 0.5) return f + 1.0;
    if (d < 0.5) return f;
    return (std::fmod(f, 2.0) == 0.0) ? f : f + 1.0;
}

// Index from a non-negative integral double below n (numpy's .astype(np.intp)).
inline std::size_t to_index(double v, std::size_t n) {
    if (!(v >= 0.0)) return 0;
    const auto i = static_cast<std::size_t>(v);
    return i < n ? i : n - 1;  // never out of range, even for hostile q rounding
}

inline QuantilePlan plan_quantile(std::size_t n, double q, QuantileMethod method) {
    const double nd = static_cast<double>(n);
    const double nm1 = static_cast<double>(n - 1);
    QuantilePlan p;
    double v = 0.0;  // numpy's virtual index for the blending methods
    switch (method) {
        case QuantileMethod::lower:
            p.lo = p.hi = to_index(std::floor(nm1 * q), n);
            return p;
        case QuantileMethod::higher:
            p.lo = p.hi = to_index(std::ceil(nm1 * q), n);
            return p;
        case QuantileMethod::nearest:
            p.lo = p.hi = to_index(round_half_even(nm1 * q), n);
            return p;
        case QuantileMethod::inverted_cdf: {
            // numpy's _inverted_cdf: index = n*q - 1; floor if integral, else next; clip at 0.
            const double idx = nd * q - 1.0;
            const double prev = std::floor(idx);
            const double pick = (idx - prev == 0.0) ? prev : prev + 1.0;
            p.lo = p.hi = to_index(pick, n);
            return p;
        }
        case QuantileMethod::linear: v = nm1 * q; break;
        case QuantileMethod::midpoint: v = 0.5 * (std::floor(nm1 * q) + std::ceil(nm1 * q)); break;
        case QuantileMethod::averaged_inverted_cdf: v = nd * q - 1.0; break;
    }
    // numpy's _get_indexes: neighbours floor(v) and floor(v)+1, both replaced by the
    // last index (-1) when v >= n-1 and by 0 when v < 0. gamma is then v minus the
    // *replaced* previous index, which is why it can exceed 1 at the top end.
    // numpy subtracts the *integer* index, so floor(-0.0) counts as +0.0 here (this
    // keeps the sign of gamma = -0.0 - 0 for q = -0.0, which the lerp can expose).
    double prev = std::floor(v) + 0.0;
    if (v >= nm1) {
        p.lo = p.hi = n - 1;
        prev = -1.0;
    } else if (v < 0.0) {
        p.lo = p.hi = 0;
        prev = 0.0;
    } else {
        p.lo = to_index(prev, n);
        p.hi = p.lo + 1 < n ? p.lo + 1 : n - 1;
    }
    double gamma = v - prev;
    if (method == QuantileMethod::midpoint) gamma = (std::floor(v) == v) ? 0.0 : 0.5;
    if (method == QuantileMethod::averaged_inverted_cdf) gamma = (gamma == 0.0) ? 0.5 : 1.0;
    p.t = gamma;
    p.blend = true;
    return p;
}

// numpy's _lerp, in its exact order of operations.
inline double numpy_lerp(double a, double b, double t) {
    const double diff = b - a;
    if (t >= 0.5) return b - diff * (1.0 - t);
    return a + diff * t;
}

inline double canonical_result(double x) { return x != x ? canonical_nan() : x; }

template <class Get>
double apply_plan(const QuantilePlan& p, Get&& get) {
    if (!p.blend) return canonical_result(get(p.lo));
    return canonical_result(numpy_lerp(get(p.lo), get(p.hi), p.t));
}

// Non-NaN values of `values` as order keys.
inline std::vector<std::uint64_t> keys_of(std::span<const double> values) {
    std::vector<std::uint64_t> k;
    k.reserve(values.size());
    for (double x : values)
        if (x == x) k.push_back(order_key(x));
    return k;
}

// Order statistics of one column read once, by selection (select_keys, a radix select:
// linear) instead of the O(n log n) sort the accumulator's sorted runs cost: the fit(X)
// of every rank-based component (NumericComponent::selected_ranks), from a median's two
// ranks to QuantileTransformer's thousand-odd. After select(ranks), at(r) is the value
// of rank r among the non-NaN values in order_key order, for every r in ranks; equal
// keys are identical doubles, so at(r) is exactly ValueAccumulator's sorted()[r] for
// the same values, whatever the partitions did.
class RankSelection {
public:
    template <class T>
    void assign(const T* p, std::size_t n) {
        keys_.resize(n);
        std::size_t m = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double x = static_cast<double>(p[i]);  // exact for float
            keys_[m] = order_key(x);
            m += x == x ? 1 : 0;  // a NaN's key is overwritten by the next value
        }
        keys_.resize(m);
    }
    std::size_t size() const { return keys_.size(); }
    // ranks: each < size(), in any order, repeats allowed.
    void select(std::vector<std::size_t> ranks) {
        std::sort(ranks.begin(), ranks.end());
        ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
        // Even QuantileTransformer's thousand-odd ranks select faster than a sort
        // (bench_transforms' BM_quantile_fit: 16 ms selecting, 21 ms sorting).
        select_in_place(keys_, ranks);
    }
    double at(std::size_t r) const { return from_order_key(keys_[r]); }

private:
    std::vector<std::uint64_t> keys_;
};

}  // namespace detail

inline double quantile_sorted(std::span<const double> sorted, double q, QuantileMethod method) {
    detail::check_q(q);
    detail::check_method(method);
    if (sorted.empty()) return detail::canonical_nan();
    const auto plan = detail::plan_quantile(sorted.size(), q, method);
    return detail::apply_plan(plan, [&](std::size_t i) { return sorted[i]; });
}

inline std::vector<double> quantiles(std::span<const double> values, std::span<const double> qs,
                                     QuantileMethod method) {
    for (double q : qs) detail::check_q(q);
    detail::check_method(method);
    std::vector<double> out(qs.size(), detail::canonical_nan());
    if (qs.empty()) return out;
    std::vector<std::uint64_t> keys = detail::keys_of(values);
    const std::size_t n = keys.size();
    if (n == 0) return out;

    std::vector<detail::QuantilePlan> plans;
    plans.reserve(qs.size());
    std::vector<std::size_t> wanted;
    wanted.reserve(2 * qs.size());
    for (double q : qs) {
        plans.push_back(detail::plan_quantile(n, q, method));
        wanted.push_back(plans.back().lo);
        if (plans.back().blend) wanted.push_back(plans.back().hi);
    }
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    detail::select_in_place(keys, wanted);

    for (std::size_t i = 0; i < qs.size(); ++i)
        out[i] = detail::apply_plan(plans[i], [&](std::size_t r) { return from_order_key(keys[r]); });
    return out;
}

inline double quantile(std::span<const double> values, double q, QuantileMethod method) {
    const double qs[1] = {q};
    return quantiles(values, qs, method)[0];
}

// ---------------------------------------------------------------------------
// ValueAccumulator
// ---------------------------------------------------------------------------

namespace detail {
struct OrderKeyLess {
    bool operator()(double a, double b) const { return order_key(a) < order_key(b); }
};

// Sorts non-NaN doubles by order key (sorting the keys themselves is faster than
// sorting doubles with a key-computing comparator).
inline void sort_by_order_key(std::vector<double>& v) {
    std::vector<std::uint64_t> k(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) k[i] = order_key(v[i]);
    sort_keys(k);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = from_order_key(k[i]);
}
}  // namespace detail

inline ValueAccumulator::ValueAccumulator(const ValueAccumulator& other) : nan_count_(other.nan_count_) {
    std::lock_guard g(*other.lock_);
    values_ = other.values_;
    run_ends_ = other.run_ends_;
}

inline ValueAccumulator::ValueAccumulator(ValueAccumulator&& other) noexcept
    : values_(std::move(other.values_)),
      run_ends_(std::move(other.run_ends_)),
      nan_count_(other.nan_count_),
      lock_(std::make_unique<std::mutex>()) {
    other.values_.clear();
    other.run_ends_.clear();
    other.nan_count_ = 0;
}

inline ValueAccumulator& ValueAccumulator::operator=(const ValueAccumulator& other) {
    if (this != &other) {
        ValueAccumulator copy(other);
        *this = std::move(copy);
    }
    return *this;
}

inline ValueAccumulator& ValueAccumulator::operator=(ValueAccumulator&& other) noexcept {
    if (this != &other) {
        values_ = std::move(other.values_);
        run_ends_ = std::move(other.run_ends_);
        nan_count_ = other.nan_count_;
        other.values_.clear();
        other.run_ends_.clear();
        other.nan_count_ = 0;
        if (!lock_) lock_ = std::make_unique<std::mutex>();
    }
    return *this;
}

inline void ValueAccumulator::push_run(std::vector<double>&& run) {
    if (run.empty()) return;
    values_.insert(values_.end(), run.begin(), run.end());
    run_ends_.push_back(values_.size());
    // Merge while the newest run is at least as long as the one before it, so run
    // sizes stay strictly decreasing (a binary-counter discipline).
    while (run_ends_.size() >= 2) {
        const std::size_t k = run_ends_.size();
        const std::size_t begin_prev = k >= 3 ? run_ends_[k - 3] : 0;
        const std::size_t mid = run_ends_[k - 2];
        const std::size_t end = run_ends_[k - 1];
        if (end - mid < mid - begin_prev) break;
        std::inplace_merge(values_.begin() + static_cast<std::ptrdiff_t>(begin_prev),
                           values_.begin() + static_cast<std::ptrdiff_t>(mid),
                           values_.begin() + static_cast<std::ptrdiff_t>(end), detail::OrderKeyLess{});
        run_ends_.erase(run_ends_.end() - 2);
    }
}

inline void ValueAccumulator::consolidate() const {
    std::lock_guard g(*lock_);
    while (run_ends_.size() >= 2) {
        const std::size_t k = run_ends_.size();
        const std::size_t begin_prev = k >= 3 ? run_ends_[k - 3] : 0;
        const std::size_t mid = run_ends_[k - 2];
        const std::size_t end = run_ends_[k - 1];
        std::inplace_merge(values_.begin() + static_cast<std::ptrdiff_t>(begin_prev),
                           values_.begin() + static_cast<std::ptrdiff_t>(mid),
                           values_.begin() + static_cast<std::ptrdiff_t>(end), detail::OrderKeyLess{});
        run_ends_.erase(run_ends_.end() - 2);
    }
}

inline void ValueAccumulator::update(std::span<const double> values) {
    std::vector<double> run;
    run.reserve(values.size());
    std::uint64_t nans = 0;
    for (double x : values) {
        if (x != x) ++nans;
        else run.push_back(x);
    }
    detail::sort_by_order_key(run);
    std::lock_guard g(*lock_);
    nan_count_ += nans;
    push_run(std::move(run));
}

inline void ValueAccumulator::update(std::span<const float> values) {
    std::vector<double> run;
    run.reserve(values.size());
    std::uint64_t nans = 0;
    for (float x : values) {
        if (x != x) ++nans;
        else run.push_back(static_cast<double>(x));
    }
    detail::sort_by_order_key(run);
    std::lock_guard g(*lock_);
    nan_count_ += nans;
    push_run(std::move(run));
}

inline void ValueAccumulator::merge(const ValueAccumulator& other) {
    if (&other == this) {
        const ValueAccumulator copy(other);
        merge(copy);
        return;
    }
    other.consolidate();
    std::vector<double> run;
    std::uint64_t nans = 0;
    {
        std::lock_guard g(*other.lock_);
        run = other.values_;
        nans = other.nan_count_;
    }
    std::lock_guard g(*lock_);
    nan_count_ += nans;
    push_run(std::move(run));
}

inline std::span<const double> ValueAccumulator::sorted() const {
    consolidate();
    return {values_.data(), values_.size()};
}

inline double ValueAccumulator::quantile(double q, QuantileMethod m) const { return quantile_sorted(sorted(), q, m); }

inline std::vector<double> ValueAccumulator::quantiles(std::span<const double> qs, QuantileMethod m) const {
    const auto s = sorted();
    std::vector<double> out;
    out.reserve(qs.size());
    for (double q : qs) out.push_back(quantile_sorted(s, q, m));
    return out;
}

inline void ValueAccumulator::save(ArchiveWriter& w) const {
    const auto s = sorted();
    w.u64(nan_count_);
    w.f64s(s);
}

inline ValueAccumulator ValueAccumulator::load(ArchiveReader& r) {
    ValueAccumulator a;
    a.nan_count_ = r.u64();
    std::vector<double> v = r.f64s();
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] != v[i]) r.fail("a ValueAccumulator holds a NaN value (NaNs are only counted)");
        if (i > 0 && order_key(v[i]) < order_key(v[i - 1]))
            r.fail("a ValueAccumulator's values are not sorted (value " + std::to_string(i) + ")");
    }
    if (!v.empty()) {
        a.values_ = std::move(v);
        a.run_ends_.push_back(a.values_.size());
    }
    return a;
}

inline bool operator==(const ValueAccumulator& a, const ValueAccumulator& b) {
    if (&a == &b) return true;
    if (a.nan_count_ != b.nan_count_ || a.values_.size() != b.values_.size()) return false;
    const auto sa = a.sorted();
    const auto sb = b.sorted();
    for (std::size_t i = 0; i < sa.size(); ++i)
        if (std::bit_cast<std::uint64_t>(sa[i]) != std::bit_cast<std::uint64_t>(sb[i])) return false;
    return true;
}

}  // namespace reprep
