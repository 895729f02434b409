// reprep::TargetEncoder — scikit-learn 1.3's TargetEncoder for binary and continuous
// targets, and scikit-learn 1.4's multiclass targets, over categorical Table columns.
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
// Folds (fold_ids(X, y), or fold_ids(y) for these position folds): target_type = binary
// uses stratified folds, continuous uses plain k-fold, as scikit-learn does
// (StratifiedKFold / KFold):
//   k-fold      positions 0..n-1 (shuffled by Rng(seed).shuffle if shuffle) are cut into
//               cv contiguous blocks, the first n % cv of size n/cv + 1; the rows at the
//               positions of block f form fold f.
//   stratified  scikit-learn's allocation: with the labels sorted, fold f receives as
//               many rows of class c as the sorted labels at positions f, f+cv, f+2cv...
//               hold; then, class 0 first, the list of fold numbers of that class
//               (ascending, each repeated by its allocation) is shuffled by the same
//               Rng(seed) stream if shuffle, and handed to the class's rows in row order.
// The folds depend on the row order and on y (stratified), like scikit-learn's; the
// fitted state does not. That is fold_assignment = position, the default.
//
// fold_assignment = row_hash (not scikit-learn's) gives each row the fold
//   xxh3_64(row bytes, seed) mod cv, the row bytes being a fixed tag, then per input
//   column (Params::columns, or every categorical column in table order) 0x00 for a
//   missing value or 0x02, the value's length as 8 little-endian bytes and its bytes,
//   then the target's canonical bits (-0 as 0) as 8 little-endian bytes: canonical
//   bytes, never the host's layout (detail::row_hash_fold_ids). A row's fold is then a
//   function of its content and the seed alone, so
//     - identical rows (same categories, same target) land in the same fold: a
//       duplicated row never trains the encoding of its own copy (with position folds
//       its copies are split over folds, and each copy's encoding sees the other's target);
//     - any row order, any chunking and any split of the rows over processes gives the
//       same folds, so the out-of-fold encodings of a row are the same bits wherever it
//       is (reprep::mpi::fit_transform, reprep.dask.fit_transform need this).
//   The price: the folds are not stratified and not exactly equal in size (each holds
//   about n / cv rows, binomially), shuffle is not used, and a fold may be empty (it
//   then encodes no row). If one fold holds every row (e.g. every row is the same), its
//   rows have no training rows: fit_transform refuses that with InvalidInput.
//
// target_type = automatic picks binary when every y is 0 or 1, continuous otherwise. It never picks multiclass: scikit-learn 1.3 calls integer
// targets with more than two values multiclass and refuses them, 1.4 encodes them per
// class; here an integer target (counts, ratings) under automatic stays continuous, as
// it was before multiclass existed, and multiclass is asked for by name. Labels other
// than 0/1 are not re-coded for binary. target_type = binary refuses a y outside {0, 1}
// with InvalidInput naming the row. fit(accumulator) cannot see single rows, so it does
// not re-check binary labels; the binary/continuous fitted state does not depend on
// target_type.
//
// Multiclass (target_type = multiclass, scikit-learn 1.4's, LabelBinarizer's one-vs-rest):
//   - class labels are integers in [-2^53, 2^53] (y is double; -0 is 0); any other value,
//     NaN and Inf are refused with InvalidInput naming the row (scikit-learn refuses a
//     non-integer float target as "continuous"). classes() are the distinct labels,
//     ascending (LabelBinarizer's classes_); fit needs at least two.
//   - class c is encoded as the binary target y == c with the formula above: the same
//     code path, so class c's encodings are bit for bit those of a binary encoder fitted
//     on the indicator of c. The accumulator counts rows per (category, label) exactly.
//     target_means()[c] = n_c / n (scikit-learn's target_mean_, one per class).
//   - output: n_features x n_classes columns, feature-major, named `<column>_<label>`
//     (island_0, island_1, island_2, sex_0 ...): scikit-learn 1.4's encodings_, transform
//     and get_feature_names_out order, which agree (its PR #26674 first grouped by class,
//     then by feature before the merge). Inputs removed, outputs appended (as OneHotEncoder).
//     A label prints as an integer (island_2), as scikit-learn prints an integer y's.
//   - folds: stratified over the classes exactly as scikit-learn's StratifiedKFold
//     allocates them, classes numbered by first appearance in y (detail/target_encoding.hpp,
//     multiclass_fold_ids). A fold encoder keeps every class of the full data: a class
//     missing from its training folds gets mean 0 and encodings 0, as in scikit-learn.
//   - state: classes, per class target mean, per category and class the encoding. Saved
//     under the same schema version 1: a binary/continuous payload keeps its bytes, and a
//     multiclass one is marked by target_type 3, which older readers refuse.
//
// Output (binary, continuous): one numeric column per input column, same name, in place.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../component/categorical_component.hpp"
#include "detail/target_encoding.hpp"

namespace reprep {

enum class TargetType : std::uint8_t { automatic, continuous, binary, multiclass };
// How fit_transform assigns rows to cross-fitting folds (see the header).
enum class FoldAssignment : std::uint8_t { position, row_hash };


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
        // position: scikit-learn's (Stratified)KFold over row positions; row_hash: a
        // keyed hash of the row's values and target, independent of order and shard.
        FoldAssignment fold_assignment = FoldAssignment::position;
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
    bool counts_classes() const { return multiclass(); }

    using Base::fit;
    // Supervised fit on the full data (checks y, and the labels when target_type is binary
    // or multiclass).
    TargetEncoder& fit(const Table& t, std::span<const double> y) {
        check_target(t.num_rows(), y);
        return Base::fit(t, y);
    }
    // fit(t, y)'s rule for y (finite; the labels under binary or multiclass), for a chunk
    // fed to accumulator() (fit(accumulator) cannot see single rows; Python's
    // partial_fit checks each chunk).
    void check_target(std::size_t rows, std::span<const double> y) const {
        detail::CategoryAccumulator::check_target(component_name, rows, y);
        (void)resolve_stratified(y);
    }

    // Cross-fitted (out-of-fold) encodings of t; afterwards the encoder holds the
    // full-data fit, the same as fit(t, y).
    Table fit_transform(const Table& t, std::span<const double> y);

    // fit_transform in two halves, for rows spread over processes (reprep::mpi::fit_transform;
    // fit_transform itself is fit_folds(t, fold_split(t, y), its accumulators)):
    //   fold_split(t, y): t's rows per fold and one accumulator per fold of those rows;
    //   fit_folds(t, split, merged): `merged` holds, per fold, the accumulator of that
    //   fold's rows over every process (merged exactly, fold by fold); returns the
    //   out-of-fold encodings of t's rows and leaves *this fitted on all the rows. A t
    //   with no column (a process with no row) returns an empty Table.
    struct FoldSplit {
        std::vector<std::vector<std::size_t>> rows;  // per fold, indices of t's rows
        std::vector<Accumulator> accumulators;       // per fold
    };
    FoldSplit fold_split(const Table& t, std::span<const double> y) const;
    Table fit_folds(const Table& t, const FoldSplit& split, const std::vector<Accumulator>& merged);

    // The fold (0..cv-1) of each row of t in fit_transform's cross-fitting (see the header).
    std::vector<std::uint32_t> fold_ids(const Table& t, std::span<const double> y) const {
        if (params_.fold_assignment == FoldAssignment::position) {
            detail::CategoryAccumulator::check_target(component_name, t.num_rows(), y);
            return fold_ids(y);
        }
        check_target(t.num_rows(), y);
        return detail::row_hash_fold_ids(component_name, t, fold_columns(t), y, params_.cv, params_.seed);
    }
    // fold_assignment = position only: the folds of n = y.size() rows need only y.
    std::vector<std::uint32_t> fold_ids(std::span<const double> y) const {
        if (params_.fold_assignment != FoldAssignment::position)
            detail::invalid_parameter(component_name, "fold_assignment",
                                      "fold_assignment = row_hash assigns folds from the rows' values, which fold_ids(y) does not see",
                                      "call fold_ids(X, y)");
        detail::CategoryAccumulator::check_target(component_name, y.size(), y);
        check_rows(y.size());
        if (!resolve_stratified(y)) return detail::kfold_ids(y.size(), params_.cv, params_.shuffle, params_.seed);
        if (multiclass()) return detail::multiclass_fold_ids(y, params_.cv, params_.shuffle, params_.seed);
        return detail::stratified_fold_ids(y, params_.cv, params_.shuffle, params_.seed);
    }

    // scikit-learn's target_mean_: the encoding of unseen categories (binary, continuous).
    double target_mean() const {
        require_fitted();
        if (multiclass()) per_class_accessor("target_mean()", "target_means()");
        return target_mean_;
    }
    // Column's categories (sorted by bytes) and their encodings (scikit-learn's encodings_;
    // binary, continuous).
    const std::vector<std::string>& categories(std::string_view column) const { return col(column).keys; }
    const std::vector<double>& encodings(std::string_view column) const {
        const Column& c = col(column);
        if (multiclass()) per_class_accessor("encodings(column)", "encodings(column, class_index)");
        return c.values;
    }
    // The encoding of a missing value, if fit saw missing values in the column.
    std::optional<double> missing_encoding(std::string_view column) const {
        const Column& c = col(column);
        if (multiclass()) per_class_accessor("missing_encoding(column)", "missing_encoding(column, class_index)");
        return c.has_missing ? std::optional<double>(c.missing[0]) : std::nullopt;
    }

    // Multiclass: the class labels (ascending; scikit-learn's classes_), empty otherwise.
    const std::vector<double>& classes() const { require_fitted(); return classes_; }
    // Per output column of a feature: the class means (multiclass), or {target_mean()}.
    std::vector<double> target_means() const {
        require_fitted();
        return multiclass() ? class_means_ : std::vector<double>{target_mean_};
    }
    // The encodings of class classes()[class_index] (0 for binary, continuous) in
    // categories(column) order, and its encoding of a missing value if fit saw one.
    std::vector<double> encodings(std::string_view column, std::size_t class_index) const {
        const Column& c = col(column);
        const std::size_t K = check_class_index(class_index);
        std::vector<double> out;
        for (std::size_t i = 0; i < c.keys.size(); ++i) out.push_back(c.values[i * K + class_index]);
        return out;
    }
    std::optional<double> missing_encoding(std::string_view column, std::size_t class_index) const {
        const Column& c = col(column);
        (void)check_class_index(class_index);
        return c.has_missing ? std::optional<double>(c.missing[class_index]) : std::nullopt;
    }

    std::size_t n_features_out() const { return n_features_in() * per_feature(); }

    void save_state(ArchiveWriter& w) const;
    static TargetEncoder load_state(ArchiveReader& r, std::uint32_t schema_version);

    // Whether the value of fitted column j (feature_names_in() order) is one this encoder
    // learnt; false for a category outside its fitted categories (encoded as the target mean). The drift monitor counts the false ones per step.
    bool knows_category(std::size_t j, std::string_view v) const {
        return j < columns_.size() && detail::find_sorted(columns_[j].keys, v) >= 0;
    }

private:
    static constexpr std::size_t max_folds = std::size_t{1} << 30;

    struct Column {
        std::vector<std::string> keys;  // sorted by bytes
        std::vector<double> values;     // per key, per_feature() each (key-major)
        bool has_missing = false;
        std::vector<double> missing = std::vector<double>(1, 0.0);  // per_feature() values
    };
    // The per_feature() encodings of one value, in the state (or the target means).
    using Slot = const double*;

    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        if (p.target_type != TargetType::automatic && p.target_type != TargetType::continuous &&
            p.target_type != TargetType::binary && p.target_type != TargetType::multiclass)
            detail::invalid_parameter(component_name, "target_type", "holds an unknown value",
                                      "use target_type = automatic, continuous, binary or multiclass ('auto' for automatic in Python)");
        if (p.smooth && !(std::isfinite(*p.smooth) && *p.smooth >= 0.0))
            detail::invalid_parameter(component_name, "smooth", "must be a finite number >= 0, or empty for 'auto'",
                                      "use a finite smooth >= 0, or smooth = 'auto' (an empty optional in C++)");
        if (p.fold_assignment != FoldAssignment::position && p.fold_assignment != FoldAssignment::row_hash)
            detail::invalid_parameter(component_name, "fold_assignment", "holds an unknown value",
                                      "use fold_assignment = position (scikit-learn's folds) or row_hash");
        if (p.cv < 2 || p.cv > max_folds)
            detail::invalid_parameter(component_name, "cv", "must be at least 2 (and at most 2^30)",
                                      "use cv from 2 to 2^30 (the default is 5)");
    }

    bool multiclass() const { return params_.target_type == TargetType::multiclass; }
    std::size_t per_feature() const { return multiclass() ? classes_.size() : 1; }

    [[noreturn]] static void per_class_accessor(const char* asked, const char* instead) {
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = std::string(asked) + " has no single value for a multiclass fit",
                                    .fix = std::string("ask ") + instead + " (one value per class)"});
    }
    std::size_t check_class_index(std::size_t class_index) const {
        require_fitted();
        const std::size_t K = per_feature();
        if (class_index >= K)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "class index " + std::to_string(class_index) + " is out of range (" +
                                                   std::to_string(K) + (multiclass() ? " classes)" : " output per column)"),
                                        .fix = "pass an index below classes().size() (0 unless multiclass)"});
        return K;
    }

    // True when the folds are stratified; throws for bad labels under binary or multiclass.
    bool resolve_stratified(std::span<const double> y) const {
        if (params_.target_type == TargetType::continuous) return false;
        if (multiclass()) {
            detail::check_class_labels(component_name, y);
            return true;
        }
        for (std::size_t i = 0; i < y.size(); ++i)
            if (y[i] != 0.0 && y[i] != 1.0) {
                if (params_.target_type == TargetType::automatic) return false;
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "target_type = binary needs every target value to be 0 or 1, found " +
                                                       std::to_string(y[i]),
                                            .fix = "re-code the labels as 0/1, or use target_type = continuous or multiclass",
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

    // The columns a fit on t reads (the accumulator's rule): Params::columns, or every
    // categorical column in table order.
    std::vector<std::string> fold_columns(const Table& t) const {
        if (!params_.columns.empty()) return params_.columns;
        std::vector<std::string> names;
        for (const auto& n : t.column_names())
            if (t.type(n) == ColumnType::categorical) names.push_back(n);
        if (names.empty())
            detail::fail<SchemaError>({.component = component_name,
                                       .problem = "the table has no categorical column to fit",
                                       .fix = "pass a table with categorical columns, or name them in the columns parameter"});
        return names;
    }

    double encode(const detail::TargetSums& s, std::uint64_t count, double y_mean, double y_var) const;
    void fit_tallies(const detail::CategoryAccumulator& acc);
    void fit_classes(const detail::CategoryAccumulator& acc);

    std::vector<std::string> names_out() const {
        if (!multiclass()) return feature_names_in();
        std::vector<std::string> names;
        for (const auto& f : feature_names_in())
            for (double label : classes_) names.push_back(f + "_" + detail::class_label_name(label));
        return names;
    }
    Slot slot_of(std::size_t j, std::string_view v) const {
        const Column& c = columns_[j];
        const std::int32_t i = detail::find_sorted(c.keys, v);
        return i >= 0 ? c.values.data() + static_cast<std::size_t>(i) * per_feature() : unseen();
    }
    Slot slot_of_missing(std::size_t j) const {
        const Column& c = columns_[j];
        return c.has_missing ? c.missing.data() : unseen();
    }
    Slot unseen() const { return multiclass() ? class_means_.data() : &target_mean_; }
    void emit(std::size_t j, const Slot& s, double* out, std::size_t stride) const {
        const std::size_t K = per_feature();
        for (std::size_t c = 0; c < K; ++c) out[(j * K + c) * stride] = s[c];
    }

    Params params_;
    double target_mean_ = 0.0;
    std::vector<double> classes_;      // multiclass only
    std::vector<double> class_means_;  // multiclass only, per class
    std::vector<Column> columns_;
    // fit_transform's fold encoders: the classes of the full data, so that every fold
    // has the same outputs (a class absent from the training folds gets mean 0).
    std::vector<double> fold_classes_;
};

// ===========================================================================
// Implementation
// ===========================================================================

// The payload: base, params, then (binary, continuous) target_mean and per column its
// keys, encodings, has_missing and missing encoding; (multiclass, target_type 3) the
// classes, their means, and per column its keys, key-major encodings (n_classes each),
// has_missing and the n_classes missing encodings; last, only when fold_assignment is
// not position, its value as one byte (1 = row_hash).
inline void TargetEncoder::save_state(ArchiveWriter& w) const {
    save_base(w);
    w.strs(params_.columns);
    w.u8(static_cast<std::uint8_t>(params_.target_type));
    w.boolean(params_.smooth.has_value());
    w.f64(params_.smooth.value_or(0.0));
    w.u64(params_.cv);
    w.boolean(params_.shuffle);
    w.u64(params_.seed);
    if (multiclass()) {
        w.f64s(classes_);
        w.f64s(class_means_);
    } else {
        w.f64(target_mean_);
    }
    w.size(columns_.size());
    for (const auto& c : columns_) {
        w.strs(c.keys);
        w.f64s(c.values);
        w.boolean(c.has_missing);
        if (multiclass()) w.f64s(c.missing);
        else w.f64(c.missing[0]);
    }
    // Written only when not the default, so that every artifact saved before the option
    // existed (and every default one since) keeps its bytes; a reader without the option
    // refuses the extra byte as trailing bytes rather than cross-fit differently.
    if (params_.fold_assignment != FoldAssignment::position) w.u8(static_cast<std::uint8_t>(params_.fold_assignment));
}

inline TargetEncoder TargetEncoder::load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
    TargetEncoder e;
    e.load_base(r);
    Params& p = e.params_;
    p.columns = r.strs();
    const auto tt = r.u8();
    if (tt > 3) r.fail("unknown target_type " + std::to_string(tt));
    p.target_type = static_cast<TargetType>(tt);
    const bool has_smooth = r.boolean();
    const double smooth = r.f64();
    if (has_smooth) p.smooth = smooth;
    const std::uint64_t cv = r.u64();
    if (cv > max_folds) r.fail("cv is out of range");
    p.cv = static_cast<std::size_t>(cv);
    p.shuffle = r.boolean();
    p.seed = r.u64();
    if (e.multiclass()) {
        e.classes_ = r.f64s();
        e.class_means_ = r.f64s();
        bool labels_ok = e.classes_.size() == e.class_means_.size() && (e.is_fitted() ? e.classes_.size() >= 2 : e.classes_.empty());
        for (std::size_t c = 0; labels_ok && c < e.classes_.size(); ++c) {
            const double v = e.classes_[c];
            labels_ok = std::abs(v) <= detail::max_class_label && std::trunc(v) == v && !(v == 0.0 && std::signbit(v)) &&
                        (c == 0 || e.classes_[c - 1] < v);
        }
        if (!labels_ok) r.fail("the classes are not distinct integers in ascending order (at least two), one mean each");
    } else {
        e.target_mean_ = r.f64();
    }
    const std::size_t K = e.per_feature();
    const std::size_t n = e.load_column_count(r, 25);
    for (std::size_t j = 0; j < n; ++j) {
        Column c;
        c.keys = r.strs();
        c.values = r.f64s();
        c.has_missing = r.boolean();
        if (e.multiclass()) c.missing = r.f64s();
        else c.missing[0] = r.f64();
        if (c.values.size() / K != c.keys.size() || c.values.size() % K != 0 || c.missing.size() != K ||
            !detail::strictly_sorted(c.keys))
            r.fail("categories are not sorted, or do not match their encodings");
        e.columns_.push_back(std::move(c));
    }
    if (r.remaining() > 0) {
        // Only a non-default value is written (save_state).
        if (r.u8() != static_cast<std::uint8_t>(FoldAssignment::row_hash)) r.fail("unknown fold_assignment");
        p.fold_assignment = FoldAssignment::row_hash;
    }
    return e;
}

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
    if (acc.by_class() != multiclass())
        detail::accumulator_settings_differ(component_name, "target type (multiclass counts class labels, the others do not)");
    if (multiclass()) return fit_classes(acc);
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
        c.missing[0] = c.has_missing ? encode(t.missing_targets, t.missing, y_mean, y_var) : 0.0;
        cols.push_back(std::move(c));
    }
    target_mean_ = y_mean;
    columns_ = std::move(cols);
}

// One-vs-rest: class c's target is the indicator y == c, whose Σ and Σ² over a category
// are both its row count of class c, so encode() sees exact sums of that binary target.
inline void TargetEncoder::fit_classes(const detail::CategoryAccumulator& acc) {
    const auto& first = acc.columns().front();
    detail::ClassCounts total = first.missing_classes;
    for (const auto& cc : first.classes) detail::merge_class_counts(total, cc);
    std::vector<double> classes = fold_classes_;
    if (classes.empty())
        for (const auto& lc : total) classes.push_back(lc.first);
    if (classes.size() < 2)
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = "target_type = multiclass needs at least two classes, the target holds " +
                                               std::to_string(classes.size()),
                                    .fix = "fit on data holding several classes",
                                    .column = "y"});
    const std::size_t K = classes.size();
    // The rows of each class in `cc` (0 for a class it lacks), as exact target sums.
    auto sums_of = [&](const detail::ClassCounts& cc) {
        std::vector<std::pair<detail::TargetSums, std::uint64_t>> out(K);
        std::size_t a = 0;
        for (std::size_t c = 0; c < K; ++c) {
            while (a < cc.size() && cc[a].first < classes[c]) ++a;
            const std::uint64_t k = a < cc.size() && cc[a].first == classes[c] ? cc[a].second : 0;
            out[c].first.add(static_cast<double>(k));  // exact: k <= 2^53; Σ(1²) = Σ1
            out[c].first.sum_sq = out[c].first.sum;
            out[c].second = k;
        }
        return out;
    };
    const std::uint64_t n = acc.rows();
    const auto all = sums_of(total);
    std::vector<double> means(K), vars(K);
    for (std::size_t c = 0; c < K; ++c) {
        means[c] = static_cast<double>(all[c].second) / static_cast<double>(n);
        vars[c] = params_.smooth ? 0.0 : detail::population_variance(all[c].first, n);
    }
    std::vector<Column> cols;
    for (const auto& t : acc.columns()) {
        Column c;
        c.keys = t.values;
        c.values.reserve(t.values.size() * K);
        for (std::size_t i = 0; i < t.values.size(); ++i) {
            const auto s = sums_of(t.classes[i]);
            for (std::size_t k = 0; k < K; ++k) c.values.push_back(encode(s[k].first, t.counts[i], means[k], vars[k]));
        }
        c.has_missing = t.missing > 0;
        c.missing.assign(K, 0.0);
        if (c.has_missing) {
            const auto s = sums_of(t.missing_classes);
            for (std::size_t k = 0; k < K; ++k) c.missing[k] = encode(s[k].first, t.missing, means[k], vars[k]);
        }
        cols.push_back(std::move(c));
    }
    classes_ = std::move(classes);
    class_means_ = std::move(means);
    columns_ = std::move(cols);
}

inline Table TargetEncoder::fit_transform(const Table& t, std::span<const double> y) {
    const FoldSplit split = fold_split(t, y);
    return fit_folds(t, split, split.accumulators);
}

inline TargetEncoder::FoldSplit TargetEncoder::fold_split(const Table& t, std::span<const double> y) const {
    const std::size_t n = t.num_rows();
    const auto fold = fold_ids(t, y);
    const std::size_t k = params_.cv;
    FoldSplit split;
    split.rows.resize(k);
    for (std::size_t i = 0; i < n; ++i) split.rows[fold[i]].push_back(i);
    for (std::size_t f = 0; f < k; ++f) {
        std::vector<double> yf;
        yf.reserve(split.rows[f].size());
        for (std::size_t i : split.rows[f]) yf.push_back(y[i]);
        Accumulator a = accumulator();
        a.update(t.rows(split.rows[f]), yf);
        split.accumulators.push_back(std::move(a));
    }
    return split;
}

inline Table TargetEncoder::fit_folds(const Table& t, const FoldSplit& split, const std::vector<Accumulator>& merged) {
    const std::size_t k = params_.cv;
    if (merged.size() != k || split.rows.size() != k)
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = "fit_folds needs one accumulator and one row list per fold (cv = " +
                                               std::to_string(k) + "), got " + std::to_string(merged.size()) + " and " +
                                               std::to_string(split.rows.size()),
                                    .fix = "pass fold_split's result, and its accumulators merged fold by fold"});
    std::uint64_t total = 0;
    for (const auto& a : merged) total += a.rows();
    check_rows(static_cast<std::size_t>(total));
    // Every fold's training rows are the other folds'; under row_hash one fold may hold
    // them all (identical rows), which leaves its rows nothing to be encoded from.
    for (std::size_t f = 0; f < k; ++f)
        if (merged[f].rows() == total)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "every one of the " + std::to_string(total) + " rows falls in fold " +
                                                   std::to_string(f) + ", so its rows have no training rows",
                                        .fix = "pass rows that differ (in the encoded columns or the target), change the seed, "
                                               "or use fold_assignment = position"});

    // One accumulator per fold; a fold's encodings come from the merge of the others.
    Accumulator all = accumulator();
    for (const auto& a : merged) all.merge(a);
    TargetEncoder full = *this;
    full.Base::fit(all);
    const auto names_in = full.feature_names_in();
    const auto names = full.feature_names_out();
    if (t.num_columns() > 0) detail::check_output_names(component_name, t, names_in, names);
    // Every fold with rows anywhere gets its encoder on every process, so that an error
    // is raised alike wherever the fold's rows are.
    std::vector<TargetEncoder> fold_encoders;
    for (std::size_t f = 0; f < k; ++f) {
        TargetEncoder fold_encoder(params_);
        if (merged[f].rows() > 0) {
            Accumulator train = accumulator();
            for (std::size_t g = 0; g < k; ++g)
                if (g != f) train.merge(merged[g]);
            fold_encoder.fold_classes_ = full.classes_;
            fold_encoder.Base::fit(train);
        }
        fold_encoders.push_back(std::move(fold_encoder));
    }
    if (t.num_columns() == 0) {
        *this = std::move(full);
        return Table{};
    }

    const std::size_t n = t.num_rows();
    std::vector<std::vector<double>> out(names.size(), std::vector<double>(n, 0.0));
    for (std::size_t f = 0; f < k; ++f) {
        const auto& rows = split.rows[f];
        if (rows.empty()) continue;
        const Matrix<double> enc = fold_encoders[f].transform_matrix(t.rows(rows));
        for (std::size_t j = 0; j < out.size(); ++j)
            for (std::size_t r = 0; r < rows.size(); ++r)
                out[j][rows[r]] = enc(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j));
    }

    // As transform: in place when the names are the inputs', else inputs out, outputs appended.
    Table result = t;
    if (names != names_in)
        for (const auto& name : names_in) result.remove(name);
    for (std::size_t j = 0; j < names.size(); ++j) result.set_numeric(names[j], std::move(out[j]));
    *this = std::move(full);
    return result;
}

}  // namespace reprep
