// reprep::DropCorrelatedFeatures — feature-engine's DropCorrelatedFeatures: fit finds
// groups of numeric columns whose Pearson correlation exceeds a threshold, keeps the
// first column of each group and drops the others.
//
// Correlation, per pair of examined columns (x, y), over the rows where both are present
// (pandas' pairwise-complete DataFrame.corr; with missing_values = raise there are no
// others), from exact sums n, Σx, Σy, Σx², Σy², Σxy (ExactSum):
//   N = nΣxy − ΣxΣy,  A = nΣx² − (Σx)²,  B = nΣy² − (Σy)²,  r = N / √(A·B).
// The pair counts as correlated when |r| > threshold (strictly, as feature-engine), and
// that is decided exactly: N² > t²·A·B with every product formed exactly, so a pair whose
// exact correlation is the threshold is kept together for any row order, chunking or
// platform, where a floating-point r would fall on either side of it. A pair with A = 0
// or B = 0 (a column constant on the shared rows, or fewer than two shared rows) has no
// correlation (pandas: NaN) and is never correlated.
//
// Grouping, feature-engine's rule: walk the examined columns in order; a column not yet
// in a group starts one, and every later column not yet in a group whose |r| with it
// exceeds the threshold joins it and is dropped. The first column of each group is kept.
// Correlation is not transitive, so a dropped column may correlate with no kept column
// but its group's first. correlated_with(column) names that first column.
//
// Columns: numeric only (empty Params::columns = every numeric column of the fit table;
// categorical ones pass through, as feature-engine ignores them). An infinite value in
// fit is refused (InvalidInput naming column and row). Values whose magnitudes span
// more than about 2^2000 within one column can exceed ExactSum's range: InvalidInput.
//
// Params follow feature-engine's signature order: `variables` -> columns, method (pearson;
// feature-engine also offers spearman, kendall and callables: not here), threshold
// (default 0.8, in [0, 1]), missing_values (default ignore; or raise).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../component/column_selector.hpp"
#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/exact_sum.hpp"
#include "../core/fp_env.hpp"
#include "../core/moments.hpp"
#include "../core/table.hpp"

namespace reprep {

enum class CorrelationMethod : std::uint8_t { pearson };

namespace detail {
inline constexpr const char* drop_correlated_features_name = "DropCorrelatedFeatures";

// Exact pairwise sums over the rows where both columns are present.
struct PairSums {
    std::uint64_t n = 0;
    ExactSum sx, sy, sxx, syy, sxy;
    void save(ArchiveWriter& w) const {
        w.u64(n);
        for (const ExactSum* s : {&sx, &sy, &sxx, &syy, &sxy}) s->save(w);
    }
    static PairSums load(ArchiveReader& r) {
        PairSums p;
        p.n = r.u64();
        for (ExactSum* s : {&p.sx, &p.sy, &p.sxx, &p.syy, &p.sxy}) {
            *s = ExactSum::load(r);
            if (s->saw_nan() || s->saw_pos_inf() || s->saw_neg_inf()) r.fail("a pairwise sum holds a non-finite value");
        }
        return p;
    }
    void merge(const PairSums& o) {
        n += o.n;
        sx.merge(o.sx);
        sy.merge(o.sy);
        sxx.merge(o.sxx);
        syy.merge(o.syy);
        sxy.merge(o.sxy);
    }
    friend bool operator==(const PairSums&, const PairSums&) = default;
};

// sign(|r| - t) for the pair, exactly (t in [0, 1]); -1 also when r is undefined.
int compare_correlation(const PairSums& p, double t);

class CorrelationAccumulator {
public:
    CorrelationAccumulator() = default;
    CorrelationAccumulator(std::vector<std::string> columns, MissingValues missing)
        : requested_(std::move(columns)), missing_values_(missing) {}

    void update(const Table& chunk);
    void merge(const CorrelationAccumulator& other);

    std::uint64_t rows() const { return cols_.rows; }
    const SelectedColumns& columns() const { return cols_; }
    MissingValues missing_values() const { return missing_values_; }
    const PairSums& pair(std::size_t a, std::size_t b) const { return pairs_[index(a, b)]; }

    void save(ArchiveWriter& w) const;
    static CorrelationAccumulator load(ArchiveReader& r);
    friend bool operator==(const CorrelationAccumulator&, const CorrelationAccumulator&) = default;

private:
    std::size_t index(std::size_t a, std::size_t b) const {
        const std::size_t n = cols_.names.size();
        return a * n - a * (a + 1) / 2 + (b - a - 1);
    }

    std::vector<std::string> requested_;
    MissingValues missing_values_ = MissingValues::ignore;
    SelectedColumns cols_;
    std::vector<PairSums> pairs_;  // upper triangle, row-major
};
}  // namespace detail

class DropCorrelatedFeatures : public detail::ColumnSelector<DropCorrelatedFeatures> {
    using Base = detail::ColumnSelector<DropCorrelatedFeatures>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // feature-engine's `variables`; empty = every numeric column
        CorrelationMethod method = CorrelationMethod::pearson;
        double threshold = 0.8;                               // correlated when |r| > threshold
        MissingValues missing_values = MissingValues::ignore;  // ignore (pairwise-complete rows) or raise
    };

    static constexpr const char* component_name = detail::drop_correlated_features_name;
    static constexpr std::string_view kind_name() { return "drop_correlated_features"; }
    static constexpr std::uint32_t schema_version = 1;
    using Accumulator = detail::CorrelationAccumulator;

    DropCorrelatedFeatures() = default;
    // A template, so that DropCorrelatedFeatures({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit DropCorrelatedFeatures(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }
    Accumulator accumulator() const { return Accumulator(params_.columns, params_.missing_values); }
    using Base::fit;

    // The kept column whose group dropped column `column` joined.
    const std::string& correlated_with(std::string_view column) const {
        const auto& names = feature_names_in();
        for (std::size_t k = 0; k < names.size(); ++k)
            if (names[k] == column && group_of_[k] != k) return names[group_of_[k]];
        detail::fail<SchemaError>({.component = component_name,
                                   .problem = "is not a dropped column",
                                   .fix = "ask for one of features_to_drop()",
                                   .column = std::string(column)});
    }
    // feature-engine's correlated_feature_sets_: each group of two or more columns, its
    // kept column first, then the dropped ones in feature_names_in() order.
    std::vector<std::vector<std::string>> correlated_feature_sets() const {
        const auto& names = feature_names_in();
        std::vector<std::vector<std::string>> sets;
        for (std::size_t k = 0; k < names.size(); ++k) {
            if (group_of_[k] != k) continue;
            std::vector<std::string> s = {names[k]};
            for (std::size_t j = k + 1; j < names.size(); ++j)
                if (group_of_[j] == k && j != k) s.push_back(names[j]);
            if (s.size() > 1) sets.push_back(std::move(s));
        }
        return sets;
    }

    void save_state(ArchiveWriter& w) const {
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.method));
        w.f64(params_.threshold);
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        save_base(w);
        if (is_fitted()) w.u64s(group_of_);
    }
    static DropCorrelatedFeatures load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        DropCorrelatedFeatures c;
        Params& p = c.params_;
        p.columns = r.strs();
        const auto m = r.u8();
        if (m > 0) r.fail("unknown method " + std::to_string(m));
        p.method = static_cast<CorrelationMethod>(m);
        p.threshold = r.f64();
        const auto mv = r.u8();
        if (mv > 2) r.fail("unknown missing_values " + std::to_string(mv));
        p.missing_values = static_cast<MissingValues>(mv);
        detail::revalidate(r, [&] { validate(p); });
        c.load_base(r);
        if (!c.is_fitted()) return c;
        const auto& kept = c.kept_index();
        const auto& types = c.column_types();
        for (auto g : r.u64s()) {
            const std::size_t k = c.group_of_.size();
            if (k >= types.size()) r.fail("one group link per column expected");
            const bool is_kept = std::binary_search(kept.begin(), kept.end(), k);
            const bool ok = is_kept ? g == k
                                    : g < k && std::binary_search(kept.begin(), kept.end(), static_cast<std::size_t>(g));
            if (!ok || types[k] != ColumnType::numeric) r.fail("group links do not match the kept columns");
            c.group_of_.push_back(static_cast<std::size_t>(g));
        }
        if (c.group_of_.size() != types.size()) r.fail("one group link per column expected");
        return c;
    }

private:
    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        if (p.method != CorrelationMethod::pearson)
            detail::invalid_parameter(component_name, "method", "holds an unknown value", "use pearson");
        if (!(p.threshold >= 0.0 && p.threshold <= 1.0))
            detail::invalid_parameter(component_name, "threshold", "must be a number in [0, 1]", "e.g. 0.8");
        if (p.missing_values != MissingValues::raise && p.missing_values != MissingValues::ignore)
            detail::invalid_parameter(component_name, "missing_values", "must be raise or ignore",
                                      "use ignore (pairwise-complete rows) or raise");
    }

    std::vector<bool> decide(const Accumulator& acc) {
        if (acc.missing_values() != params_.missing_values) detail::accumulator_settings_differ(component_name, "missing_values");
        const std::size_t n = acc.columns().names.size();
        std::vector<bool> drop(n, false);
        std::vector<bool> grouped(n, false);
        group_of_.assign(n, 0);
        for (std::size_t k = 0; k < n; ++k) {
            if (grouped[k]) continue;
            grouped[k] = true;
            group_of_[k] = k;
            for (std::size_t j = k + 1; j < n; ++j)
                if (!grouped[j] && detail::compare_correlation(acc.pair(k, j), params_.threshold) > 0) {
                    grouped[j] = true;
                    group_of_[j] = k;
                    drop[j] = true;
                }
        }
        return drop;
    }

    Params params_;
    std::vector<std::size_t> group_of_;  // per examined column: itself if kept, else its group's kept column
};

// ===========================================================================
// Implementation
// ===========================================================================

namespace detail {

// s * 2^-k, exactly.
inline ExactSum scaled_down(const ExactSum& s, int k) {
    ExactSum out;
    for (const auto& d : ExactSumAccess::digits(s)) out.add_scaled(d.d, d.shift - k);
    return out;
}

inline int compare_correlation(const PairSums& p, double t) {
    ExactSum n;
    add_count(n, p.n);
    ExactSum N, A, B;
    add_exact_product(N, n, p.sxy, 1.0);
    add_exact_product(N, p.sx, p.sy, -1.0);
    add_exact_product(A, n, p.sxx, 1.0);
    add_exact_product(A, p.sx, p.sx, -1.0);
    add_exact_product(B, n, p.syy, 1.0);
    add_exact_product(B, p.sy, p.sy, -1.0);
    if (ExactSumAccess::sign(A) <= 0 || ExactSumAccess::sign(B) <= 0) return -1;  // no correlation (NaN)
    if (ExactSumAccess::sign(N) == 0) return t == 0.0 ? 0 : -1;
    if (t == 0.0) return 1;
    // N^2 against t^2·A·B, each factor first scaled to a leading digit near 1, so that
    // the squares stay inside ExactSum's range whatever the data's magnitude.
    const int sN = ExactSumAccess::digits(N)[0].shift, sA = ExactSumAccess::digits(A)[0].shift,
              sB = ExactSumAccess::digits(B)[0].shift;
    const long diff = 2L * sN - sA - sB;  // N^2 / (A·B) = N'^2 / (A'·B') · 2^diff
    if (diff > 4000) return 1;            // cannot happen (|r| <= 1), kept for safety
    // N'^2·2^diff < 2^(64 + diff) and t^2·A'·B' >= t^2: far below any sensible threshold.
    // Deciding it here also keeps the exact products below inside ExactSum's range.
    if (diff < -1200 && t >= 0x1p-500) return -1;
    if (diff < -4000) return -1;  // and t^2 >= 2^-2148 for any t > 0
    const ExactSum Nd = scaled_down(N, sN - static_cast<int>(diff)), N1 = scaled_down(N, sN);
    const ExactSum A1 = scaled_down(A, sA), B1 = scaled_down(B, sB);
    ExactSum T, AB, D;
    T.add_product(t, t);
    add_exact_product(AB, A1, B1, 1.0);
    add_exact_product(D, Nd, N1, 1.0);
    add_exact_product(D, T, AB, -1.0);
    return ExactSumAccess::sign(D);
}

inline void CorrelationAccumulator::update(const Table& chunk) {
    check_fp_environment();
    constexpr const char* name = drop_correlated_features_name;
    SelectedColumns next = cols_;
    next.resolve(chunk, requested_, true, name);
    const std::size_t n = next.names.size(), rows = chunk.num_rows();
    std::vector<std::span<const double>> x(n);
    for (std::size_t j = 0; j < n; ++j) {
        x[j] = chunk.numeric(next.names[j]);
        for (std::size_t i = 0; i < rows; ++i) {
            if (std::isinf(x[j][i]))
                fail<InvalidInput>({.component = name,
                                    .problem = "an infinite value in fit input is not allowed here",
                                    .fix = "remove or cap infinite values first (e.g. ArbitraryOutlierCapper)",
                                    .column = next.names[j],
                                    .row = i});
            if (missing_values_ == MissingValues::raise && std::isnan(x[j][i]))
                missing_not_allowed(name, next.names[j], i, "impute it first, or set missing_values = ignore");
        }
    }
    std::vector<PairSums> fresh(n * (n ? n - 1 : 0) / 2);
    std::vector<double> xs, ys;
    std::size_t p = 0;
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = a + 1; b < n; ++b, ++p) {
            PairSums& s = fresh[p];
            xs.clear();
            ys.clear();
            for (std::size_t i = 0; i < rows; ++i)
                if (!std::isnan(x[a][i]) && !std::isnan(x[b][i])) {
                    xs.push_back(x[a][i]);
                    ys.push_back(x[b][i]);
                }
            s.n = xs.size();
            s.sx.add(xs.data(), xs.size());
            s.sy.add(ys.data(), ys.size());
            for (std::size_t i = 0; i < xs.size(); ++i) {
                s.sxx.add_product(xs[i], xs[i]);
                s.syy.add_product(ys[i], ys[i]);
                s.sxy.add_product(xs[i], ys[i]);
            }
        }
    if (!cols_.started) pairs_ = std::move(fresh);
    else
        for (std::size_t q = 0; q < pairs_.size(); ++q) pairs_[q].merge(fresh[q]);
    cols_ = std::move(next);
    cols_.commit(rows);
}

inline void CorrelationAccumulator::merge(const CorrelationAccumulator& other) {
    constexpr const char* name = drop_correlated_features_name;
    if (other.missing_values_ != missing_values_ || other.requested_ != requested_)
        accumulator_settings_differ(name, "missing_values or columns");
    if (!cols_.check_merge(other.cols_, name)) return;
    if (!cols_.started) {
        *this = other;
        return;
    }
    for (std::size_t q = 0; q < pairs_.size(); ++q) pairs_[q].merge(other.pairs_[q]);
    cols_.rows += other.cols_.rows;
}

inline void CorrelationAccumulator::save(ArchiveWriter& w) const {
    w.strs(requested_);
    w.u8(static_cast<std::uint8_t>(missing_values_));
    cols_.save(w);
    w.size(pairs_.size());
    for (const auto& p : pairs_) p.save(w);
}

inline CorrelationAccumulator CorrelationAccumulator::load(ArchiveReader& r) {
    CorrelationAccumulator a;
    a.requested_ = r.strs();
    const auto mv = r.u8();
    if (mv > 1) r.fail("unknown missing_values");
    a.missing_values_ = static_cast<MissingValues>(mv);
    a.cols_ = SelectedColumns::load(r);
    for (auto t : a.cols_.types)
        if (t != ColumnType::numeric) r.fail("a correlation accumulator holds a categorical column");
    const std::size_t n = a.cols_.names.size();
    const std::size_t np = r.size(16);
    if (np != n * (n ? n - 1 : 0) / 2) r.fail("one set of sums per pair of columns expected");
    for (std::size_t q = 0; q < np; ++q) {
        a.pairs_.push_back(PairSums::load(r));
        if (a.pairs_.back().n > a.cols_.rows) r.fail("a pair counts more rows than the accumulator saw");
    }
    return a;
}

}  // namespace detail

}  // namespace reprep
