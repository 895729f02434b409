// reprep::TargetEncoder — scikit-learn 1.3's TargetEncoder for binary and continuous
// targets, over categorical Table columns.
//
// Each category i of a column is encoded by a shrunk mean of the target over its rows:
//
//   n = training rows, y_mean = Σy / n, y_var = population variance of y (ddof = 0),
//   n_i = rows of category i, mean_i = Σ_i y / n_i, var_i = population variance of y in i.
//
//   smooth = m (a number >= 0), the m-estimate:
//       enc_i = (Σ_i y + m * y_mean) / (m + n_i)
//   smooth = auto (empty optional), scikit-learn's empirical Bayes shrinkage with
//   m_i = var_i / y_var, written as scikit-learn computes it:
//       lambda_i = (y_var * n_i) / (y_var * n_i + var_i)
//       enc_i    = lambda_i * mean_i + (1 - lambda_i) * y_mean
//       (lambda_i is NaN when y_var = var_i = 0; the encoding is then y_mean)
//
// Every sum is exact (ExactSum through the base's TargetSums) and rounded once: Σ_i y
// and Σ_i y + m * y_mean are correctly rounded exact sums; a variance is the exactly
// computed n·Σy² − (Σy)², rounded once, then divided by n twice. So the encodings are a
// function of the training multiset only (row order, chunks and merges do not matter).
// scikit-learn accumulates in plain double arithmetic, so its last bits may differ.
//
// Missing values are a category of their own, as in scikit-learn: if fit saw missing
// values in a column they get their own encoding, otherwise (like any category fit did
// not see) they get y_mean. Unseen categories always get y_mean (target_mean()).
//
// fit(X, y) then transform(X) encodes with the full-data encodings. fit_transform(X, y)
// returns cross-fitted encodings instead: the rows are split into `cv` folds and the
// rows of each fold are encoded by encodings fitted on the other folds only (their own
// y_mean and y_var included). A row's own target therefore never enters its own
// encoding; with fit(X, y).transform(X) it does, and a downstream model would learn
// from a feature that leaks the target (most visibly for rare categories, whose
// encoding is nearly their rows' own target). After fit_transform the encoder holds the
// full-data encodings, identical to fit(X, y), for use on new data.
//
// Folds (fold_ids): target_type = binary uses stratified folds, continuous uses plain
// k-fold, as scikit-learn does (StratifiedKFold / KFold):
//   k-fold      positions 0..n-1 (shuffled by Rng(seed).shuffle if shuffle) are cut into
//               cv contiguous blocks, the first n % cv of size n/cv + 1; the rows at the
//               positions of block f form fold f.
//   stratified  scikit-learn's allocation: with the labels sorted, fold f receives as
//               many rows of class c as the sorted labels at positions f, f+cv, f+2cv...
//               hold; then, class 0 first, the list of fold numbers of that class
//               (ascending, each repeated by its allocation) is shuffled by the same
//               Rng(seed) stream if shuffle, and handed to the class's rows in row order.
// The folds depend on the row order and on y (stratified), like scikit-learn's; the
// fitted state does not. target_type = automatic picks binary when every y is 0 or 1,
// continuous otherwise (scikit-learn 1.3 would call integer targets with more than two
// values multiclass and refuse them; labels other than 0/1 are not re-coded here).
// target_type = binary refuses a y outside {0, 1} with InvalidInput naming the row.
// fit(accumulator) cannot see single rows, so it does not re-check binary labels; the
// fitted state does not depend on target_type.
//
// Output: one numeric column per input column, same name, in place.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../core/rng.hpp"
#include "../component/categorical_component.hpp"

namespace reprep {

enum class TargetType : std::uint8_t { automatic, continuous, binary };

namespace detail {

// Population variance from exact sums: n·Σy² − (Σy)² is formed exactly (it is >= 0 by
// Cauchy-Schwarz), rounded once, then divided by n twice. Values below about 2^-537
// leave squares that are not sums of doubles; those fall back to the double-double
// values of the sums (still a function of the exact sums alone).
inline double population_variance(const TargetSums& s, std::uint64_t count) {
    const double n = static_cast<double>(count);
    ExactSum num;
    try {
        const std::vector<double> sq = s.sum_sq.expansion();
        const std::vector<double> sm = s.sum.expansion();
        for (double q : sq) num.add_product(q, n);
        for (double a : sm)
            for (double b : sm) num.add_product(-a, b);
    } catch (const InvalidInput&) {
        num = ExactSum{};
        const DD q = s.sum_sq.value_dd(), a = s.sum.value_dd();
        num.add_product(q.hi, n);
        num.add_product(q.lo, n);
        num.add_product(-a.hi, a.hi);
        num.add_product(-a.hi, a.lo);
        num.add_product(-a.hi, a.lo);
        num.add_product(-a.lo, a.lo);
    }
    const double v = num.value();
    return v > 0.0 ? v / n / n : 0.0;
}

// k-fold assignment (see target_encoder.hpp's header for the definition).
inline std::vector<std::uint32_t> kfold_ids(std::size_t n, std::size_t k, bool shuffle, std::uint64_t seed) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    if (shuffle) {
        Rng rng(seed);
        rng.shuffle(order.begin(), order.end());
    }
    std::vector<std::uint32_t> fold(n);
    std::size_t pos = 0;
    for (std::size_t f = 0; f < k; ++f) {
        const std::size_t size = n / k + (f < n % k ? 1 : 0);
        for (std::size_t e = pos + size; pos < e; ++pos) fold[order[pos]] = static_cast<std::uint32_t>(f);
    }
    return fold;
}

// Stratified assignment for 0/1 labels (see target_encoder.hpp's header).
inline std::vector<std::uint32_t> stratified_fold_ids(std::span<const double> y, std::size_t k, bool shuffle,
                                                      std::uint64_t seed) {
    const std::size_t n = y.size();
    std::size_t n0 = 0;
    for (double v : y) n0 += v == 0.0 ? 1 : 0;
    // alloc[f][c]: labels of class c among sorted positions f, f + k, f + 2k, ...
    std::vector<std::size_t> alloc0(k, 0), alloc1(k, 0);
    for (std::size_t p = 0; p < n; ++p) (p < n0 ? alloc0 : alloc1)[p % k] += 1;
    Rng rng(seed);
    std::vector<std::uint32_t> fold(n);
    for (int c = 0; c < 2; ++c) {
        const auto& alloc = c == 0 ? alloc0 : alloc1;
        std::vector<std::uint32_t> folds_of_class;
        for (std::size_t f = 0; f < k; ++f) folds_of_class.insert(folds_of_class.end(), alloc[f], static_cast<std::uint32_t>(f));
        if (folds_of_class.empty()) continue;
        if (shuffle) rng.shuffle(folds_of_class.begin(), folds_of_class.end());
        std::size_t next = 0;
        const double label = c == 0 ? 0.0 : 1.0;
        for (std::size_t i = 0; i < n; ++i)
            if (y[i] == label) fold[i] = folds_of_class[next++];
    }
    return fold;
}

}  // namespace detail

class TargetEncoder : public detail::CategoricalComponent<TargetEncoder> {
    using Base = detail::CategoricalComponent<TargetEncoder>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // empty = every categorical column
        TargetType target_type = TargetType::automatic;
        std::optional<double> smooth = {};  // empty = 'auto' (empirical Bayes); else m >= 0
        std::size_t cv = 5;                 // folds of fit_transform's cross-fitting, >= 2
        bool shuffle = true;
        std::uint64_t seed = 0;  // scikit-learn's random_state
    };

    static constexpr const char* component_name = "TargetEncoder";
    static constexpr std::string_view kind_name() { return "target_encoder"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool numeric_output = true;

    TargetEncoder() = default;
    // A template, so that TargetEncoder({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit TargetEncoder(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }
    bool needs_target() const { return true; }

    using Base::fit;
    // Supervised fit on the full data (checks y, and binary labels when target_type = binary).
    TargetEncoder& fit(const Table& t, std::span<const double> y) {
        detail::CategoryAccumulator::check_target(component_name, t.num_rows(), y);
        (void)resolve_binary(y);
        return Base::fit(t, y);
    }

    // Cross-fitted (out-of-fold) encodings of t; afterwards the encoder holds the
    // full-data fit, the same as fit(t, y).
    Table fit_transform(const Table& t, std::span<const double> y);

    // The fold (0..cv-1) of each row in fit_transform's cross-fitting (see the header).
    std::vector<std::uint32_t> fold_ids(std::span<const double> y) const {
        detail::CategoryAccumulator::check_target(component_name, y.size(), y);
        check_rows(y.size());
        return resolve_binary(y) ? detail::stratified_fold_ids(y, params_.cv, params_.shuffle, params_.seed)
                                 : detail::kfold_ids(y.size(), params_.cv, params_.shuffle, params_.seed);
    }

    // scikit-learn's target_mean_: the encoding of unseen categories.
    double target_mean() const { require_fitted(); return target_mean_; }
    // Column's categories (sorted by bytes) and their encodings (scikit-learn's encodings_).
    const std::vector<std::string>& categories(std::string_view column) const { return col(column).keys; }
    const std::vector<double>& encodings(std::string_view column) const { return col(column).values; }
    // The encoding of a missing value, if fit saw missing values in the column.
    std::optional<double> missing_encoding(std::string_view column) const {
        const Column& c = col(column);
        return c.has_missing ? std::optional<double>(c.missing_value) : std::nullopt;
    }

    std::size_t n_features_out() const { return n_features_in(); }

    void save_state(ArchiveWriter& w) const {
        save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.target_type));
        w.boolean(params_.smooth.has_value());
        w.f64(params_.smooth.value_or(0.0));
        w.u64(params_.cv);
        w.boolean(params_.shuffle);
        w.u64(params_.seed);
        w.f64(target_mean_);
        w.size(columns_.size());
        for (const auto& c : columns_) {
            w.strs(c.keys);
            w.f64s(c.values);
            w.boolean(c.has_missing);
            w.f64(c.missing_value);
        }
    }
    static TargetEncoder load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        TargetEncoder e;
        e.load_base(r);
        Params& p = e.params_;
        p.columns = r.strs();
        const auto tt = r.u8();
        if (tt > 2) r.fail("unknown target_type " + std::to_string(tt));
        p.target_type = static_cast<TargetType>(tt);
        const bool has_smooth = r.boolean();
        const double smooth = r.f64();
        if (has_smooth) p.smooth = smooth;
        const std::uint64_t cv = r.u64();
        if (cv > max_folds) r.fail("cv is out of range");
        p.cv = static_cast<std::size_t>(cv);
        p.shuffle = r.boolean();
        p.seed = r.u64();
        e.target_mean_ = r.f64();
        const std::size_t n = e.load_column_count(r, 25);
        for (std::size_t j = 0; j < n; ++j) {
            Column c;
            c.keys = r.strs();
            c.values = r.f64s();
            c.has_missing = r.boolean();
            c.missing_value = r.f64();
            if (c.keys.size() != c.values.size() || !detail::strictly_sorted(c.keys))
                r.fail("categories are not sorted, or do not match their encodings");
            e.columns_.push_back(std::move(c));
        }
        return e;
    }

    // Whether the value of fitted column j (feature_names_in() order) is one this encoder
    // learnt; false for a category outside its fitted categories (encoded as the target mean). The drift monitor counts the false ones per step.
    bool knows_category(std::size_t j, std::string_view v) const {
        return j < columns_.size() && detail::find_sorted(columns_[j].keys, v) >= 0;
    }

private:
    static constexpr std::size_t max_folds = std::size_t{1} << 30;

    struct Column {
        std::vector<std::string> keys;  // sorted by bytes
        std::vector<double> values;
        bool has_missing = false;
        double missing_value = 0.0;
    };
    using Slot = double;

    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        if (p.target_type != TargetType::automatic && p.target_type != TargetType::continuous &&
            p.target_type != TargetType::binary)
            detail::invalid_parameter(component_name, "target_type", "holds an unknown value");
        if (p.smooth && !(std::isfinite(*p.smooth) && *p.smooth >= 0.0))
            detail::invalid_parameter(component_name, "smooth", "must be a finite number >= 0, or empty for 'auto'");
        if (p.cv < 2 || p.cv > max_folds)
            detail::invalid_parameter(component_name, "cv", "must be at least 2 (and at most 2^30)");
    }

    // True when the folds are stratified; throws for non-0/1 labels under target_type = binary.
    bool resolve_binary(std::span<const double> y) const {
        if (params_.target_type == TargetType::continuous) return false;
        for (std::size_t i = 0; i < y.size(); ++i)
            if (y[i] != 0.0 && y[i] != 1.0) {
                if (params_.target_type == TargetType::automatic) return false;
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "target_type = binary needs every target value to be 0 or 1, found " +
                                                       std::to_string(y[i]),
                                            .fix = "re-code the labels as 0/1, or use target_type = continuous",
                                            .column = "y",
                                            .row = i});
            }
        return true;
    }

    void check_rows(std::size_t n) const {
        if (n < params_.cv)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "cross-fitting with cv = " + std::to_string(params_.cv) +
                                                   " folds needs at least that many rows, got " + std::to_string(n),
                                        .fix = "pass more rows or lower cv"});
    }

    const Column& col(std::string_view column) const { return columns_[column_index(column)]; }

    double encode(const detail::TargetSums& s, std::uint64_t count, double y_mean, double y_var) const;
    void fit_tallies(const detail::CategoryAccumulator& acc);

    std::vector<std::string> names_out() const { return feature_names_in(); }
    Slot slot_of(std::size_t j, std::string_view v) const {
        const Column& c = columns_[j];
        const std::int32_t i = detail::find_sorted(c.keys, v);
        return i >= 0 ? c.values[static_cast<std::size_t>(i)] : target_mean_;
    }
    Slot slot_of_missing(std::size_t j) const {
        const Column& c = columns_[j];
        return c.has_missing ? c.missing_value : target_mean_;
    }
    void emit(std::size_t j, const Slot& s, double* out, std::size_t stride) const { out[j * stride] = s; }

    Params params_;
    double target_mean_ = 0.0;
    std::vector<Column> columns_;
};

// ===========================================================================
// Implementation
// ===========================================================================


inline double TargetEncoder::encode(const detail::TargetSums& s, std::uint64_t count, double y_mean,
                                    double y_var) const {
    const double n = static_cast<double>(count);
    if (params_.smooth) {
        const double m = *params_.smooth;
        ExactSum num = s.sum;
        num.add_product(m, y_mean);
        const double den = m + n;
        return den == 0.0 ? y_mean : num.value() / den;
    }
    const double mean = s.sum.value() / n;
    const double var = detail::population_variance(s, count);
    const double lambda = (y_var * n) / (y_var * n + var);
    if (std::isnan(lambda)) return y_mean;
    return lambda * mean + (1.0 - lambda) * y_mean;
}

inline void TargetEncoder::fit_tallies(const detail::CategoryAccumulator& acc) {
    // Every column sees every row, so the first column's sums are the global ones.
    const auto& first = acc.columns().front();
    detail::TargetSums total = first.missing_targets;
    for (const auto& s : first.targets) total.merge(s);
    const std::uint64_t n = acc.rows();
    const double y_mean = total.sum.value() / static_cast<double>(n);
    const double y_var = params_.smooth ? 0.0 : detail::population_variance(total, n);
    // A target whose mean (or, for smooth = auto, variance) overflows would give Inf
    // encodings, or a NaN shrinkage that silently encodes every category as y_mean.
    if (!std::isfinite(y_mean) || !std::isfinite(y_var))
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = std::string("the target's ") + (std::isfinite(y_mean) ? "variance" : "mean") +
                                               " overflows a double",
                                    .fix = "rescale the target (e.g. standardise it) before fitting",
                                    .column = "y"});
    std::vector<Column> cols;
    for (const auto& t : acc.columns()) {
        Column c;
        c.keys = t.values;
        c.values.reserve(t.values.size());
        for (std::size_t i = 0; i < t.values.size(); ++i) c.values.push_back(encode(t.targets[i], t.counts[i], y_mean, y_var));
        c.has_missing = t.missing > 0;
        c.missing_value = c.has_missing ? encode(t.missing_targets, t.missing, y_mean, y_var) : 0.0;
        cols.push_back(std::move(c));
    }
    target_mean_ = y_mean;
    columns_ = std::move(cols);
}

inline Table TargetEncoder::fit_transform(const Table& t, std::span<const double> y) {
    const std::size_t n = t.num_rows();
    detail::CategoryAccumulator::check_target(component_name, n, y);
    check_rows(n);
    const auto fold = fold_ids(y);
    const std::size_t k = params_.cv;

    // One accumulator per fold; a fold's encodings come from the merge of the others.
    std::vector<std::vector<std::size_t>> rows(k);
    for (std::size_t i = 0; i < n; ++i) rows[fold[i]].push_back(i);
    std::vector<Table> parts;
    std::vector<Accumulator> accs;
    for (std::size_t f = 0; f < k; ++f) {
        parts.push_back(t.rows(rows[f]));
        std::vector<double> yf;
        yf.reserve(rows[f].size());
        for (std::size_t i : rows[f]) yf.push_back(y[i]);
        Accumulator a = accumulator();
        a.update(parts.back(), yf);
        accs.push_back(std::move(a));
    }

    std::vector<std::vector<double>> out;
    std::vector<std::string> names;
    for (std::size_t f = 0; f < k; ++f) {
        Accumulator train = accumulator();
        for (std::size_t g = 0; g < k; ++g)
            if (g != f) train.merge(accs[g]);
        TargetEncoder fold_encoder(params_);
        fold_encoder.Base::fit(train);
        const Matrix<double> enc = fold_encoder.transform_matrix(parts[f]);
        if (out.empty()) {
            names = fold_encoder.feature_names_in();
            out.assign(names.size(), std::vector<double>(n, 0.0));
        }
        for (std::size_t j = 0; j < out.size(); ++j)
            for (std::size_t r = 0; r < rows[f].size(); ++r)
                out[j][rows[f][r]] = enc(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j));
    }

    Accumulator all = accumulator();
    for (const auto& a : accs) all.merge(a);
    TargetEncoder full = *this;
    full.Base::fit(all);

    Table result = t;
    for (std::size_t j = 0; j < names.size(); ++j) result.set_numeric(names[j], std::move(out[j]));
    *this = std::move(full);
    return result;
}

}  // namespace reprep
