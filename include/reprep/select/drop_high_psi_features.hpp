// reprep::DropHighPSIFeatures — feature-engine's DropHighPSIFeatures: fit splits the
// training rows into a basis and a test set by the value of one column, computes each
// examined column's Population Stability Index between the two, and drops the columns
// whose PSI is above a threshold; transform drops them.
//
// Split (split_col is required: feature-engine's default, the DataFrame index, is the
// row position, and reprep's fitted state must not depend on row order):
//   cut_off a number       basis = rows with split value <= cut_off (numeric split_col);
//   cut_off a list         basis = rows whose split value is in the list (numbers for a
//                          numeric split_col, categories for a categorical one);
//   no cut_off             numeric split_col only: cut_off = np.quantile(split values,
//                          split_frac) ('linear', core/quantile.hpp), over the distinct
//                          values when split_distinct; then as a number. cut_off() has it.
//   switch_sets            feature-engine's `switch`: basis and test swap after the split.
// A missing split value is an InvalidInput (column, row), as in feature-engine. Fewer
// basis or test rows than bins is an InvalidInput (feature-engine's check).
//
// Per examined numeric column (missing values left out of each side under ignore):
//   edges   from the basis values: equal_frequency = np.quantile(basis, np.linspace(0, 1,
//           bins + 1)) (pd.qcut), equal_width = np.linspace(min, max, bins + 1) (pd.cut,
//           which widens a constant range by 0.1%); repeated edges dropped, the outer two
//           replaced by -inf and +inf (feature-engine's discretisers). Bins are (a, b].
//   shares  count / values on that side, one IEEE division (pandas' normalised
//           value_counts); a side with no value has share 0 in every bin.
//   PSI     detail::psi (core/psi.hpp, the monitor's definition): sum of
//           (test' - basis') * ln(test' / basis'), x' = max(x, min_pct_empty_bins), terms
//           summed exactly. feature-engine puts min_pct_empty_bins only into EMPTY bins;
//           the max also lifts a non-empty share below it (only possible with more than
//           1/min_pct_empty_bins values on a side). A column with no basis value has PSI
//           NaN and is kept (feature-engine fails there).
//   drop    PSI > threshold, strictly (feature-engine's code; its docstring says >=).
// Infinite feature values are refused (InvalidInput, column and row): equal-width edges
// are undefined with them, and feature-engine refuses them under raise.
// A categorical column is examined when Params::columns names it (feature-engine >= 1.6
// with it in `variables`): its bins are its categories (the union of both sides; a
// category missing on one side has share 0 there, floored), shares and PSI as above.
//
// The binning and both PSI kernels are in core/psi.hpp.
//
// Not here: `variables = "all"` (name the categorical columns instead), threshold = "auto"
// (a chi-square quantile; dmath has no chi-square inverse), a datetime split_col, and
// split_frac over a categorical split_col. feature-engine treats cut_off = 0 as "no
// cut_off" (a falsy value); here 0 is a cut-off like any other.
//
// The Accumulator keeps the sorted split keys of every row and, per examined column, the
// sorted (split key, value key) pairs of its non-missing rows ((split key, category) for
// a categorical one): exact, so any order or chunking gives the same multiset.
// Transform, columns, single row: column_selector.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "../component/column_selector.hpp"
#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/fp_env.hpp"
#include "../core/numpy_ports.hpp"
#include "../core/psi.hpp"
#include "../core/quantile.hpp"
#include "../core/table.hpp"

namespace reprep {

// feature-engine's cut_off: none (split_frac decides), a number, or a list of values.
using PsiCutOff = std::variant<std::monostate, double, std::vector<double>, std::vector<std::string>>;

namespace detail {
inline constexpr const char* drop_high_psi_features_name = "DropHighPSIFeatures";
inline constexpr const char* psi_missing_number_problem = "a missing value (NaN) is not allowed here";

class PsiAccumulator {
public:
    using Pairs = std::vector<std::pair<std::uint64_t, std::uint64_t>>;  // (split key, order_key of the value)
    using TextPairs = std::vector<std::pair<std::uint64_t, std::string>>;  // (split key, category)

    PsiAccumulator() = default;
    // basis_categories: the list cut_off of a categorical split_col (basis rows get split
    // key 0, the others 1); a numeric split_col's key is order_key of its value.
    PsiAccumulator(std::vector<std::string> columns, MissingValues missing, std::string split_col = {},
                   std::vector<std::string> basis_categories = {})
        : requested_(std::move(columns)),
          missing_values_(missing),
          split_col_(std::move(split_col)),
          basis_categories_(std::move(basis_categories)) {}

    void update(const Table& chunk);
    void merge(const PsiAccumulator& other);

    std::uint64_t rows() const { return cols_.rows; }
    const SelectedColumns& columns() const { return cols_; }
    MissingValues missing_values() const { return missing_values_; }
    const std::string& split_col() const { return split_col_; }
    const std::vector<std::string>& basis_categories() const { return basis_categories_; }
    ColumnType split_type() const { return split_type_; }
    const std::vector<std::uint64_t>& split_keys() const { return split_keys_; }
    const Pairs& pairs(std::size_t j) const { return pairs_[j]; }            // numeric column j
    const TextPairs& text_pairs(std::size_t j) const { return texts_[j]; }  // categorical column j

    void save(ArchiveWriter& w) const;
    static PsiAccumulator load(ArchiveReader& r);
    friend bool operator==(const PsiAccumulator&, const PsiAccumulator&) = default;

private:
    std::vector<std::string> requested_;
    MissingValues missing_values_ = MissingValues::raise;
    std::string split_col_;
    std::vector<std::string> basis_categories_;
    SelectedColumns cols_;
    ColumnType split_type_ = ColumnType::numeric;
    std::vector<std::uint64_t> split_keys_;  // sorted, one per row
    std::vector<Pairs> pairs_;               // per examined column, sorted (empty if categorical)
    std::vector<TextPairs> texts_;           // per examined column, sorted (empty if numeric)
};

}  // namespace detail

class DropHighPSIFeatures : public detail::ColumnSelector<DropHighPSIFeatures> {
    using Base = detail::ColumnSelector<DropHighPSIFeatures>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // feature-engine's `variables` (numeric or categorical); empty = every numeric column but split_col
        std::string split_col = {};             // required (see the top of this file)
        double split_frac = 0.5;                // basis share when there is no cut_off, in (0, 1)
        bool split_distinct = false;            // split_frac over the distinct split values
        PsiCutOff cut_off = {};
        bool switch_sets = false;               // feature-engine's `switch` (a C++ keyword)
        double threshold = 0.25;                // dropped when PSI > threshold
        int bins = 10;                          // at least 2
        PsiStrategy strategy = PsiStrategy::equal_frequency;
        double min_pct_empty_bins = detail::default_psi_floor;  // the PSI floor (core/psi.hpp)
        MissingValues missing_values = MissingValues::raise;    // raise or ignore
    };

    static constexpr const char* component_name = detail::drop_high_psi_features_name;
    static constexpr std::string_view kind_name() { return "drop_high_psi_features"; }
    static constexpr std::uint32_t schema_version = 1;
    using Accumulator = detail::PsiAccumulator;

    DropHighPSIFeatures() = default;
    // A template, so that DropHighPSIFeatures({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit DropHighPSIFeatures(P p) : params_(std::move(p)) {
        validate(params_);
        require_split_col(params_);
    }

    const Params& params() const { return params_; }
    Accumulator accumulator() const {
        require_split_col(params_);
        const auto* cats = std::get_if<std::vector<std::string>>(&params_.cut_off);
        return Accumulator(params_.columns, params_.missing_values, params_.split_col,
                           cats ? *cats : std::vector<std::string>{});
    }
    using Base::fit;

    // feature-engine's psi_values_: one PSI per examined column, feature_names_in() order.
    const std::vector<double>& psi_values() const { require_fitted(); return psi_; }
    double psi_value(std::string_view column) const {
        const auto& names = feature_names_in();
        for (std::size_t k = 0; k < names.size(); ++k)
            if (names[k] == column) return psi_[k];
        detail::fail<SchemaError>({.component = component_name,
                                   .problem = "is not an examined column",
                                   .fix = "ask for one of feature_names_in()",
                                   .column = std::string(column)});
    }
    // feature-engine's cut_off_: the numeric cut-off used (given, or from split_frac); NaN
    // when the split was by a list.
    double cut_off() const { require_fitted(); return cut_off_; }

    void save_state(ArchiveWriter& w) const {
        const Params& p = params_;
        w.strs(p.columns);
        w.str(p.split_col);
        w.f64(p.split_frac);
        w.boolean(p.split_distinct);
        w.u8(static_cast<std::uint8_t>(p.cut_off.index()));
        if (const auto* d = std::get_if<double>(&p.cut_off)) w.f64(*d);
        if (const auto* v = std::get_if<std::vector<double>>(&p.cut_off)) w.f64s(*v);
        if (const auto* s = std::get_if<std::vector<std::string>>(&p.cut_off)) w.strs(*s);
        w.boolean(p.switch_sets);
        w.f64(p.threshold);
        w.u64(static_cast<std::uint64_t>(p.bins));
        w.u8(static_cast<std::uint8_t>(p.strategy));
        w.f64(p.min_pct_empty_bins);
        w.u8(static_cast<std::uint8_t>(p.missing_values));
        save_base(w);
        if (!is_fitted()) return;
        w.f64s(psi_);
        w.f64(cut_off_);
    }
    static DropHighPSIFeatures load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        DropHighPSIFeatures c;
        Params& p = c.params_;
        p.columns = r.strs();
        p.split_col = r.str();
        p.split_frac = r.f64();
        p.split_distinct = r.boolean();
        switch (r.u8()) {
            case 0: break;
            case 1: p.cut_off = r.f64(); break;
            case 2: p.cut_off = r.f64s(); break;
            case 3: p.cut_off = r.strs(); break;
            default: r.fail("unknown cut_off kind");
        }
        p.switch_sets = r.boolean();
        p.threshold = r.f64();
        const auto bins = r.u64();
        if (bins > 1000000) r.fail("bins out of range");
        p.bins = static_cast<int>(bins);
        const auto st = r.u8();
        if (st > 1) r.fail("unknown strategy " + std::to_string(st));
        p.strategy = static_cast<PsiStrategy>(st);
        p.min_pct_empty_bins = r.f64();
        const auto mv = r.u8();
        if (mv > 1) r.fail("unknown missing_values " + std::to_string(mv));
        p.missing_values = static_cast<MissingValues>(mv);
        detail::revalidate(r, [&] { validate(p); });
        c.load_base(r);
        if (!c.is_fitted()) return c;
        c.psi_ = r.f64s();
        if (c.psi_.size() != c.column_types().size()) r.fail("one PSI value per column expected");
        for (std::size_t k = 0; k < c.psi_.size(); ++k) {
            const bool kept = std::binary_search(c.kept_index().begin(), c.kept_index().end(), k);
            if (kept == (c.psi_[k] > p.threshold))
                r.fail("the PSI values do not match the dropped columns");
        }
        c.cut_off_ = r.f64();
        return c;
    }

private:
    // Checked by the Params constructor and before a fit, not by the loader: a default-
    // constructed (unfitted) selector has none, and its artifact loads.
    static void require_split_col(const Params& p) {
        if (p.split_col.empty())
            detail::invalid_parameter(component_name, "split_col", "is required",
                                      "name the column that splits basis from test rows (feature-engine's default, the "
                                      "row index, would make the fit depend on row order)");
    }
    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        if (std::find(p.columns.begin(), p.columns.end(), p.split_col) != p.columns.end())
            detail::invalid_parameter(component_name, "columns", "names split_col '" + p.split_col + "'",
                                      "leave the split column out of the columns parameter");
        if (std::holds_alternative<std::monostate>(p.cut_off) && !(p.split_frac > 0.0 && p.split_frac < 1.0))
            detail::invalid_parameter(component_name, "split_frac", "must be a number in (0, 1)", "e.g. 0.5, or give a cut_off");
        if (const auto* d = std::get_if<double>(&p.cut_off); d && std::isnan(*d))
            detail::invalid_parameter(component_name, "cut_off", "is NaN", "give a number, a list, or no cut_off");
        if (const auto* v = std::get_if<std::vector<double>>(&p.cut_off); v && v->empty())
            detail::invalid_parameter(component_name, "cut_off", "is an empty list", "list the basis values");
        if (const auto* s = std::get_if<std::vector<std::string>>(&p.cut_off); s && s->empty())
            detail::invalid_parameter(component_name, "cut_off", "is an empty list", "list the basis categories");
        if (!(p.threshold >= 0.0))
            detail::invalid_parameter(component_name, "threshold", "must be a number >= 0", "e.g. 0.25 or 0.1");
        if (p.bins < 2 || p.bins > 1000000)
            detail::invalid_parameter(component_name, "bins", "must be an integer in [2, 1000000]", "e.g. 10");
        if (p.strategy != PsiStrategy::equal_frequency && p.strategy != PsiStrategy::equal_width)
            detail::invalid_parameter(component_name, "strategy", "holds an unknown value", "use equal_frequency or equal_width");
        if (!(p.min_pct_empty_bins >= 0.0 && p.min_pct_empty_bins < 1.0))
            detail::invalid_parameter(component_name, "min_pct_empty_bins", "must be a number in [0, 1)", "e.g. 0.0001");
        if (p.missing_values != MissingValues::raise && p.missing_values != MissingValues::ignore)
            detail::invalid_parameter(component_name, "missing_values", "must be raise or ignore", "use raise or ignore");
    }

    std::vector<bool> decide(const Accumulator& acc);

    Params params_;
    std::vector<double> psi_;  // per examined column
    double cut_off_ = std::numeric_limits<double>::quiet_NaN();
};

// ===========================================================================
// Implementation
// ===========================================================================

inline std::vector<bool> DropHighPSIFeatures::decide(const Accumulator& acc) {
    const auto* cats = std::get_if<std::vector<std::string>>(&params_.cut_off);
    if (acc.missing_values() != params_.missing_values || acc.split_col() != params_.split_col ||
        acc.basis_categories() != (cats ? *cats : std::vector<std::string>{}))
        detail::accumulator_settings_differ(component_name, "missing_values, split_col or cut_off");
    const bool numeric_split = acc.split_type() == ColumnType::numeric;
    if (numeric_split == (cats != nullptr))
        detail::fail<SchemaError>({.component = component_name,
                                   .problem = numeric_split ? "is numeric but cut_off lists categories"
                                                            : "is categorical: it needs cut_off as a list of categories",
                                   .fix = "give cut_off as a number or a list of numbers for a numeric split column, as "
                                          "a list of categories for a categorical one",
                                   .column = params_.split_col});
    // basis(key): is a row with this split key in the basis set (before switch_sets)?
    const auto& keys = acc.split_keys();
    cut_off_ = std::numeric_limits<double>::quiet_NaN();
    if (const auto* d = std::get_if<double>(&params_.cut_off)) cut_off_ = *d;
    if (numeric_split && std::holds_alternative<std::monostate>(params_.cut_off)) {
        std::vector<double> v;
        v.reserve(keys.size());
        for (auto k : keys) {
            const double x = from_order_key(k);
            // pandas' unique() holds -0.0 and +0.0 as one value.
            if (!params_.split_distinct || v.empty() || !(v.back() == x)) v.push_back(x);
        }
        cut_off_ = quantile_sorted(v, params_.split_frac);
    }
    const auto* list = std::get_if<std::vector<double>>(&params_.cut_off);
    auto in_basis = [&](std::uint64_t key) {
        bool b;
        if (!numeric_split) b = key == 0;
        else if (list) b = std::find(list->begin(), list->end(), from_order_key(key)) != list->end();
        else b = from_order_key(key) <= cut_off_;
        return b != params_.switch_sets;
    };
    std::uint64_t n_basis = 0;
    for (auto k : keys) n_basis += in_basis(k) ? 1 : 0;
    const std::uint64_t n_test = keys.size() - n_basis;
    const auto bins = static_cast<std::uint64_t>(params_.bins);
    if (n_basis < bins || n_test < bins)
        detail::fail<InvalidInput>({.component = component_name,
                                    .problem = "the split leaves " + std::to_string(n_basis) + " basis and " +
                                               std::to_string(n_test) + " test rows; each needs at least bins = " +
                                               std::to_string(bins),
                                    .fix = "change cut_off or split_frac, or lower bins",
                                    .column = params_.split_col});
    const auto& cols = acc.columns();
    std::vector<bool> drop(cols.names.size(), false);
    psi_.assign(cols.names.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t j = 0; j < drop.size(); ++j) {
        if (cols.types[j] == ColumnType::categorical) {
            std::vector<std::string_view> basis, test;
            for (const auto& [s, v] : acc.text_pairs(j)) (in_basis(s) ? basis : test).push_back(v);
            if (basis.empty()) continue;  // as below
            psi_[j] = detail::psi_between_categories(std::move(basis), std::move(test), params_.min_pct_empty_bins);
        } else {
            std::vector<double> basis, test;
            for (const auto& [s, v] : acc.pairs(j)) (in_basis(s) ? basis : test).push_back(from_order_key(v));
            if (basis.empty()) continue;  // no basis value: no edges, PSI NaN, kept
            psi_[j] = detail::psi_between(std::move(basis), test, bins, params_.strategy, params_.min_pct_empty_bins);
        }
        drop[j] = psi_[j] > params_.threshold;
    }
    return drop;
}

namespace detail {

inline void PsiAccumulator::update(const Table& chunk) {
    check_fp_environment();
    constexpr const char* name = drop_high_psi_features_name;
    if (!chunk.has_column(split_col_))
        fail<SchemaError>({.component = name, .problem = "is not in the table",
                           .fix = "pass the split column (the split_col parameter) in fit", .column = split_col_});
    const ColumnType st = chunk.type(split_col_);
    if (st == ColumnType::datetime || (cols_.started && st != split_type_))
        fail<SchemaError>({.component = name,
                           .problem = std::string("is ") + std::string(to_string(st)) +
                                      (st == ColumnType::datetime ? "; the split column must be numeric or categorical"
                                                                  : ", unlike in earlier chunks"),
                           .fix = "split by a numeric or categorical column", .column = split_col_});
    // Resolve into a copy first, so a failed update leaves the accumulator as it was.
    std::vector<std::string> req = requested_;
    if (req.empty() && !cols_.started) {
        for (const auto& c : chunk.column_names())
            if (c != split_col_ && chunk.type(c) == ColumnType::numeric) req.push_back(c);
        if (req.empty())
            fail<SchemaError>({.component = name, .problem = "the table has no numeric column to examine besides split_col",
                               .fix = "pass a table with such columns, or name them in the columns parameter"});
    }
    SelectedColumns next = cols_;
    next.resolve(chunk, req, false, name);  // named columns may be categorical; datetime ones are refused
    const std::size_t n = chunk.num_rows();
    std::vector<std::uint64_t> keys(n);
    if (st == ColumnType::numeric) {
        const auto s = chunk.numeric(split_col_);
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isnan(s[i]))
                missing_not_allowed(name, split_col_, i, "the split column may not hold missing values", psi_missing_number_problem);
            keys[i] = order_key(s[i]);
        }
    } else {
        const auto& col = chunk.categorical(split_col_);
        std::vector<std::uint64_t> code_key(col.dictionary.size(), 1);
        for (std::size_t d = 0; d < col.dictionary.size(); ++d)
            if (std::find(basis_categories_.begin(), basis_categories_.end(), col.dictionary[d]) != basis_categories_.end())
                code_key[d] = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (col.codes[i] < 0) missing_not_allowed(name, split_col_, i, "the split column may not hold missing values");
            keys[i] = code_key[static_cast<std::size_t>(col.codes[i])];
        }
    }
    std::vector<Pairs> fresh(next.names.size());
    std::vector<TextPairs> fresh_texts(next.names.size());
    for (std::size_t j = 0; j < next.names.size(); ++j) {
        if (next.types[j] == ColumnType::categorical) {
            const auto& col = chunk.categorical(next.names[j]);
            for (std::size_t i = 0; i < n; ++i) {
                if (col.codes[i] < 0) {
                    if (missing_values_ == MissingValues::raise)
                        missing_not_allowed(name, next.names[j], i, "impute it first, or set missing_values = ignore");
                    continue;
                }
                fresh_texts[j].emplace_back(keys[i], col.dictionary[static_cast<std::size_t>(col.codes[i])]);
            }
            std::sort(fresh_texts[j].begin(), fresh_texts[j].end());
            continue;
        }
        const auto x = chunk.numeric(next.names[j]);
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isnan(x[i])) {
                if (missing_values_ == MissingValues::raise)
                    missing_not_allowed(name, next.names[j], i, "impute it first, or set missing_values = ignore",
                                        psi_missing_number_problem);
                continue;
            }
            if (std::isinf(x[i]))
                fail<InvalidInput>({.component = name, .problem = "an infinite value cannot be binned",
                                    .fix = "cap or remove infinite values first", .column = next.names[j], .row = i});
            fresh[j].emplace_back(keys[i], order_key(x[i]));
        }
        std::sort(fresh[j].begin(), fresh[j].end());
    }
    std::sort(keys.begin(), keys.end());
    auto merge_into = [](auto& into, auto& from) {
        const auto mid = static_cast<std::ptrdiff_t>(into.size());
        into.insert(into.end(), from.begin(), from.end());
        std::inplace_merge(into.begin(), into.begin() + mid, into.end());
    };
    merge_into(split_keys_, keys);
    if (!cols_.started) {
        pairs_ = std::move(fresh);
        texts_ = std::move(fresh_texts);
    } else {
        for (std::size_t j = 0; j < pairs_.size(); ++j) {
            merge_into(pairs_[j], fresh[j]);
            merge_into(texts_[j], fresh_texts[j]);
        }
    }
    split_type_ = st;
    cols_ = std::move(next);
    cols_.commit(n);
}

inline void PsiAccumulator::merge(const PsiAccumulator& other) {
    constexpr const char* name = drop_high_psi_features_name;
    if (other.missing_values_ != missing_values_ || other.requested_ != requested_ || other.split_col_ != split_col_ ||
        other.basis_categories_ != basis_categories_)
        accumulator_settings_differ(name, "missing_values, columns, split_col or cut_off");
    if (!cols_.check_merge(other.cols_, name)) return;
    if (!cols_.started) {
        *this = other;
        return;
    }
    if (other.split_type_ != split_type_) accumulator_columns_differ(name, "the split column's type differs");
    auto merge_into = [](auto& into, const auto& from) {
        const auto mid = static_cast<std::ptrdiff_t>(into.size());
        into.insert(into.end(), from.begin(), from.end());
        std::inplace_merge(into.begin(), into.begin() + mid, into.end());
    };
    merge_into(split_keys_, other.split_keys_);
    for (std::size_t j = 0; j < pairs_.size(); ++j) {
        merge_into(pairs_[j], other.pairs_[j]);
        merge_into(texts_[j], other.texts_[j]);
    }
    cols_.rows += other.cols_.rows;
}

inline void PsiAccumulator::save(ArchiveWriter& w) const {
    w.strs(requested_);
    w.u8(static_cast<std::uint8_t>(missing_values_));
    w.str(split_col_);
    w.strs(basis_categories_);
    cols_.save(w);
    w.u8(static_cast<std::uint8_t>(split_type_));
    w.u64s(split_keys_);
    for (std::size_t j = 0; j < pairs_.size(); ++j) {
        std::vector<std::uint64_t> s;
        std::vector<std::uint64_t> v;
        std::vector<std::string> text;
        for (const auto& [a, b] : pairs_[j]) {
            s.push_back(a);
            v.push_back(b);
        }
        for (const auto& [a, b] : texts_[j]) {
            s.push_back(a);
            text.push_back(b);
        }
        w.u64s(s);
        if (cols_.types[j] == ColumnType::numeric) w.u64s(v);
        else w.strs(text);
    }
}

inline PsiAccumulator PsiAccumulator::load(ArchiveReader& r) {
    PsiAccumulator a;
    a.requested_ = r.strs();
    const auto mv = r.u8();
    if (mv > 1) r.fail("unknown missing_values");
    a.missing_values_ = static_cast<MissingValues>(mv);
    a.split_col_ = r.str();
    a.basis_categories_ = r.strs();
    a.cols_ = SelectedColumns::load(r);
    const auto st = r.u8();
    if (st > 1) r.fail("unknown split column type");
    a.split_type_ = static_cast<ColumnType>(st);
    a.split_keys_ = r.u64s();
    if (a.split_keys_.size() != a.cols_.rows || !std::is_sorted(a.split_keys_.begin(), a.split_keys_.end()))
        r.fail("split keys are not sorted or do not match the row count");
    const std::uint64_t nan_key = order_key(std::numeric_limits<double>::quiet_NaN());
    for (auto k : a.split_keys_)
        if ((a.split_type_ == ColumnType::numeric && k >= nan_key) || (a.split_type_ != ColumnType::numeric && k > 1))
            r.fail("a split key is out of range");
    for (std::size_t j = 0; j < a.cols_.names.size(); ++j) {
        const auto s = r.u64s();
        if (s.size() > a.cols_.rows) r.fail("more values than rows");
        for (auto k : s)
            if (!std::binary_search(a.split_keys_.begin(), a.split_keys_.end(), k)) r.fail("a value's split key is unknown");
        Pairs p;
        TextPairs t;
        if (a.cols_.types[j] == ColumnType::numeric) {
            const auto v = r.u64s();
            if (s.size() != v.size()) r.fail("value pairs do not match");
            for (std::size_t i = 0; i < s.size(); ++i) {
                if (!std::isfinite(from_order_key(v[i]))) r.fail("a stored value is not finite");
                p.emplace_back(s[i], v[i]);
            }
        } else {
            auto v = r.strs();
            if (s.size() != v.size()) r.fail("category pairs do not match");
            for (std::size_t i = 0; i < s.size(); ++i) t.emplace_back(s[i], std::move(v[i]));
        }
        if (!std::is_sorted(p.begin(), p.end()) || !std::is_sorted(t.begin(), t.end())) r.fail("value pairs are not sorted");
        a.pairs_.push_back(std::move(p));
        a.texts_.push_back(std::move(t));
    }
    return a;
}

}  // namespace detail

}  // namespace reprep
