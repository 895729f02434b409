// reprep::OneHotEncoder — scikit-learn 1.2's OneHotEncoder (plus feature-engine's
// top_categories) over categorical Table columns.
//
//   categories:  per column, the distinct training values sorted by bytes; a missing
//                value is a category of its own, sorted last and named "nan"
//                (handle_missing = category, scikit-learn 1.2's behaviour), or an
//                InvalidInput error in fit and transform (handle_missing = error).
//   infrequent:  min_frequency m: a category is infrequent if count < m (m integral
//                >= 1) or count < m * n_rows (0 < m < 1, one double product, as numpy).
//                max_categories k: if more than k outputs remain, the smallest counts
//                become infrequent until k - 1 frequent ones remain; ties at the
//                boundary keep the category that sorts later (scikit-learn's stable
//                argsort of the counts). Infrequent categories share one output,
//                placed last and named `<column>_infrequent_sklearn`.
//   top_categories n (feature-engine): only the n most frequent categories get an
//                output, in frequency order (count desc, bytes asc); every other
//                seen category encodes as all zeros.
//   drop:        first drops the first output of every column; if_binary drops it
//                when the column has exactly two outputs (after grouping infrequent
//                categories), as scikit-learn does.
//   transform:   a category sets its output to 1.0 and the others of its column to
//                0.0. An unseen category raises UnknownCategory (handle_unknown =
//                error), encodes as all zeros (ignore), or as the infrequent output
//                where one exists (infrequent_if_exist; else all zeros). A missing
//                value not seen in fit is an unseen category.
// Output names `<column>_<category>`. Fit uses exact integer counts (mergeable
// Accumulator), so the vocabulary never depends on row order or hashing.
//
// Differences from scikit-learn 1.2: max_categories = 1 is refused (1.2 silently
// ignores it); drop takes no explicit per-column list; the output is a Table, a
// dense matrix (transform_matrix) or a CsrMatrix (transform_sparse, scikit-learn's
// default sparse layout).
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../component/categorical_component.hpp"

namespace reprep {

enum class OneHotDrop : std::uint8_t { none, first, if_binary };
enum class HandleMissing : std::uint8_t { category, error };

class OneHotEncoder : public detail::CategoricalComponent<OneHotEncoder> {
    using Base = detail::CategoricalComponent<OneHotEncoder>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // empty = every categorical column
        OneHotDrop drop = OneHotDrop::none;
        HandleUnknown handle_unknown = HandleUnknown::error;  // error, ignore, infrequent_if_exist
        std::optional<double> min_frequency = {};             // integral >= 1 (count) or in (0, 1) (fraction of rows)
        std::optional<std::size_t> max_categories = {};       // >= 2, outputs per column including the infrequent one
        std::optional<std::size_t> top_categories = {};       // feature-engine; >= 1
        HandleMissing handle_missing = HandleMissing::category;
    };

    static constexpr const char* component_name = "OneHotEncoder";
    static constexpr std::string_view kind_name() { return "one_hot_encoder"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool numeric_output = true;

    OneHotEncoder() = default;
    // A template, so that OneHotEncoder({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit OneHotEncoder(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    // Fitted state, per column (by name): the non-missing categories sorted by bytes
    // (scikit-learn's categories_ without its trailing nan), whether missing is a
    // category, the infrequent categories (missing shown as std::nullopt), and the
    // output names of that column.
    const std::vector<std::string>& categories(std::string_view column) const { return col(column).categories; }
    bool has_missing_category(std::string_view column) const { return col(column).has_missing; }
    std::vector<std::optional<std::string>> infrequent_categories(std::string_view column) const {
        const Column& c = col(column);
        std::vector<std::optional<std::string>> out;
        for (std::size_t i = 0; i < c.infrequent.size(); ++i) {
            if (!c.infrequent[i]) continue;
            if (i < c.categories.size()) out.emplace_back(c.categories[i]);
            else out.emplace_back(std::nullopt);
        }
        return out;
    }

    std::size_t n_features_out() const { require_fitted(); return n_out_; }

    // scikit-learn's default output layout; rows x n_features_out(), data all 1.0.
    CsrMatrix transform_sparse(const Table& t) const {
        const auto cols = input_columns(t);
        const std::size_t n = t.num_rows();
        std::vector<std::vector<std::int32_t>> slots;  // per column: global output index per dictionary entry, -1 none
        slots.reserve(cols.size());
        for (std::size_t j = 0; j < cols.size(); ++j) {
            auto s = slots_for(j, *cols[j]);
            for (auto& v : s)
                if (v >= 0) v += static_cast<std::int32_t>(columns_[j].offset);
            slots.push_back(std::move(s));
        }
        CsrMatrix m;
        m.rows = n;
        m.cols = n_out_;
        m.indptr.resize(n + 1);
        m.indices.resize(n * cols.size());
        std::int32_t* out = m.indices.data();
        std::int64_t k = 0;
        m.indptr[0] = 0;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < cols.size(); ++j) {
                const std::int32_t v = slots[j][static_cast<std::size_t>(cols[j]->codes[i] + 1)];
                out[k] = v;
                k += v >= 0;
            }
            m.indptr[i + 1] = k;
        }
        m.indices.resize(static_cast<std::size_t>(k));
        m.data.assign(static_cast<std::size_t>(k), 1.0);
        return m;
    }

    // Outputs back to categories, as scikit-learn's inverse_transform: the feature_names_out()
    // columns of t (0.0 / 1.0, at most one 1 per input column, else InvalidInput naming the
    // column and row) are replaced by the input columns, appended. A grouped infrequent output
    // gives "infrequent_sklearn"; all zeros give the dropped category where drop removed one,
    // else missing (an unknown or a not-top category); the missing category gives missing.
    Table inverse_transform(const Table& t) const {
        require_fitted();
        const auto& in_names = feature_names_in();
        std::vector<std::span<const double>> cols;
        for (const auto& c : columns_)
            for (const auto& n : c.names) cols.push_back(t.numeric(n));
        Table out = t;
        for (const auto& c : columns_)
            for (const auto& n : c.names) out.remove(n);
        for (std::size_t j = 0; j < columns_.size(); ++j) {
            const Column& c = columns_[j];
            std::vector<std::optional<std::string>> label(c.names.size());
            std::optional<std::string> zero_label;
            for (std::size_t i = 0; i < c.out_of.size(); ++i) {
                std::optional<std::string> lab;
                if (c.infrequent[i]) lab = "infrequent_sklearn";
                else if (i < c.categories.size()) lab = c.categories[i];
                if (c.out_of[i] >= 0) label[static_cast<std::size_t>(c.out_of[i])] = lab;
                else if (params_.drop != OneHotDrop::none) zero_label = lab;
            }
            std::vector<std::optional<std::string>> values(t.num_rows());
            for (std::size_t r = 0; r < values.size(); ++r) {
                std::optional<std::size_t> hot;
                for (std::size_t k = 0; k < c.names.size(); ++k) {
                    const double x = cols[c.offset + k][r];
                    if (x == 0.0) continue;
                    if (x != 1.0 || hot)
                        detail::fail<InvalidInput>({.component = component_name,
                                                    .problem = "is not a one-hot encoding (values other than 0 and 1, or two ones)",
                                                    .fix = "pass the output of transform()",
                                                    .column = c.names[k],
                                                    .row = r});
                    hot = k;
                }
                values[r] = hot ? label[*hot] : zero_label;
            }
            out.add_categorical(in_names[j], values);
        }
        return out;
    }

    void save_state(ArchiveWriter& w) const {
        save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.drop));
        w.u8(static_cast<std::uint8_t>(params_.handle_unknown));
        w.boolean(params_.min_frequency.has_value());
        w.f64(params_.min_frequency.value_or(0.0));
        w.boolean(params_.max_categories.has_value());
        w.u64(params_.max_categories.value_or(0));
        w.boolean(params_.top_categories.has_value());
        w.u64(params_.top_categories.value_or(0));
        w.u8(static_cast<std::uint8_t>(params_.handle_missing));
        w.size(columns_.size());
        for (const auto& c : columns_) {
            w.strs(c.categories);
            w.boolean(c.has_missing);
            w.i32s(c.out_of);
            w.size(c.infrequent.size());
            for (bool b : c.infrequent) w.boolean(b);
            w.i32(c.unknown_out);
            w.strs(c.names);
        }
    }
    static OneHotEncoder load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        OneHotEncoder e;
        e.load_base(r);
        Params& p = e.params_;
        p.columns = r.strs();
        p.drop = static_cast<OneHotDrop>(enum_u8(r, 2, "drop"));
        p.handle_unknown = static_cast<HandleUnknown>(enum_u8(r, 2, "handle_unknown"));
        if (r.boolean()) p.min_frequency = r.f64(); else (void)r.f64();
        if (r.boolean()) p.max_categories = r.u64(); else (void)r.u64();
        if (r.boolean()) p.top_categories = r.u64(); else (void)r.u64();
        p.handle_missing = static_cast<HandleMissing>(enum_u8(r, 1, "handle_missing"));
        const std::size_t n = e.load_column_count(r, 8);
        for (std::size_t j = 0; j < n; ++j) {
            Column c;
            c.categories = r.strs();
            c.has_missing = r.boolean();
            c.out_of = r.i32s();
            const std::size_t ni = r.size(1);
            for (std::size_t i = 0; i < ni; ++i) c.infrequent.push_back(r.boolean());
            c.unknown_out = r.i32();
            c.names = r.strs();
            const std::size_t k = c.categories.size() + (c.has_missing ? 1 : 0);
            if (!detail::strictly_sorted(c.categories)) r.fail("categories are not distinct and sorted by bytes");
            if (c.out_of.size() != k || c.infrequent.size() != k) r.fail("category arrays differ in length");
            const auto w = static_cast<std::int32_t>(c.names.size());
            for (auto v : c.out_of)
                if (v < -1 || v >= w) r.fail("an output index is out of range");
            if (c.unknown_out < -2 || c.unknown_out >= w) r.fail("the unknown output index is out of range");
            e.columns_.push_back(std::move(c));
        }
        e.finish_layout();
        if (detail::repeated_name(e.names_out())) r.fail("two outputs have the same name");
        return e;
    }

    // Whether the value of fitted column j (feature_names_in() order) is one this encoder
    // learnt; false for a category outside its fitted categories (dropped or infrequent ones included: they are known). The drift monitor counts the false ones per step.
    bool knows_category(std::size_t j, std::string_view v) const {
        return j < columns_.size() && detail::find_sorted(columns_[j].categories, v) >= 0;
    }

private:
    struct Column {
        std::vector<std::string> categories;  // non-missing, sorted by bytes
        bool has_missing = false;             // missing is category index categories.size()
        std::vector<std::int32_t> out_of;     // per category: output index within the column, -1 = none
        std::vector<bool> infrequent;         // per category
        std::int32_t unknown_out = -2;        // output for unseen values: -2 error, -1 none, >= 0 an output
        std::vector<std::string> names;       // output names
        std::size_t offset = 0;               // first output of this column (derived)
    };

    // >= 0: output index within the column; -1: all zeros; -2: unseen (error); -3: missing (error).
    using Slot = std::int32_t;
    static constexpr Slot kUnknown = -2, kMissing = -3;

    static std::uint8_t enum_u8(ArchiveReader& r, std::uint8_t max, const char* what) {
        const auto v = r.u8();
        if (v > max) r.fail(std::string("unknown ") + what + " value " + std::to_string(v));
        return v;
    }

    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        // An out-of-range enum (a cast integer) would otherwise act as none / ignore / category.
        if (static_cast<unsigned>(p.drop) > static_cast<unsigned>(OneHotDrop::if_binary))
            detail::invalid_parameter(component_name, "drop", "holds an unknown value", "use none, first or if_binary");
        if (static_cast<unsigned>(p.handle_unknown) > static_cast<unsigned>(HandleUnknown::use_encoded_value))
            detail::invalid_parameter(component_name, "handle_unknown", "holds an unknown value",
                                      "use error, ignore or infrequent_if_exist");
        if (static_cast<unsigned>(p.handle_missing) > static_cast<unsigned>(HandleMissing::error))
            detail::invalid_parameter(component_name, "handle_missing", "holds an unknown value", "use category or error");
        if (p.handle_unknown == HandleUnknown::use_encoded_value)
            detail::invalid_parameter(component_name, "handle_unknown",
                                      "use_encoded_value belongs to OrdinalEncoder",
                                      "use error, ignore or infrequent_if_exist");
        if (p.min_frequency) {
            const double m = *p.min_frequency;
            const bool fraction = m > 0.0 && m < 1.0;
            const bool count = m >= 1.0 && std::isfinite(m) && std::floor(m) == m;
            if (!fraction && !count)
                detail::invalid_parameter(component_name, "min_frequency",
                                          "must be an integer >= 1 (a count) or in (0, 1) (a fraction of the rows)",
                                          "pass a count such as 5 or a fraction such as 0.01, or leave min_frequency unset (None in Python)");
        }
        if (p.max_categories && *p.max_categories < 2)
            detail::invalid_parameter(component_name, "max_categories",
                                      "must be >= 2 (one frequent output plus the infrequent one)",
                                      "use max_categories >= 2, or leave it unset (None in Python)");
        if (p.top_categories) {
            if (*p.top_categories < 1) detail::invalid_parameter(component_name, "top_categories", "must be >= 1",
                                                                 "use top_categories >= 1, or leave it unset (None in Python)");
            if (p.min_frequency || p.max_categories)
                detail::invalid_parameter(component_name, "top_categories",
                                          "cannot be combined with min_frequency or max_categories",
                                          "choose either feature-engine's top_categories or scikit-learn's infrequent grouping");
            if (p.drop != OneHotDrop::none)
                detail::invalid_parameter(component_name, "drop", "cannot be combined with top_categories",
                                          "use drop = none (None in Python) with top_categories, or leave top_categories unset");
            if (p.handle_unknown == HandleUnknown::infrequent_if_exist)
                detail::invalid_parameter(component_name, "handle_unknown",
                                          "infrequent_if_exist needs min_frequency or max_categories, not top_categories",
                                          "use handle_unknown = error or ignore with top_categories, or min_frequency / max_categories instead");
        }
    }

    const Column& col(std::string_view column) const { return columns_[column_index(column)]; }

    void fit_tallies(const detail::CategoryAccumulator& acc) {
        columns_.clear();
        for (const auto& t : acc.columns()) columns_.push_back(fit_column(t, acc.rows()));
        finish_layout();
        // `<column>_<category>` is not one-to-one: a category "nan" beside missing values,
        // or columns "a" (category "b_c") and "a_b" (category "c"), name two outputs alike,
        // and a Table cannot hold both.
        if (const auto dup = detail::repeated_name(names_out()))
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "two outputs would both be named '" + *dup + "'",
                                        .fix = "rename the category or column that gives this name twice "
                                               "(a category 'nan' clashes with the missing category)",
                                        .column = *dup});
    }

    Column fit_column(const detail::ColumnTally& t, std::uint64_t n_rows) const {
        if (t.missing > 0 && params_.handle_missing == HandleMissing::error)
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = std::to_string(t.missing) + " missing values in fit",
                                        .fix = "impute them first, or set handle_missing = category",
                                        .column = t.name});
        Column c;
        c.categories = t.values;
        c.has_missing = t.missing > 0;
        std::vector<std::uint64_t> counts = t.counts;
        if (c.has_missing) counts.push_back(t.missing);
        const std::size_t K = counts.size();
        auto label = [&](std::size_t i) { return i < c.categories.size() ? c.categories[i] : std::string("nan"); };
        c.infrequent.assign(K, false);
        c.out_of.assign(K, -1);

        if (params_.top_categories) {
            // Frequency order; missing (index K-1 when present) sorts after equal counts.
            std::vector<std::size_t> idx(K);
            for (std::size_t i = 0; i < K; ++i) idx[i] = i;
            std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
            const std::size_t keep = std::min(K, *params_.top_categories);
            for (std::size_t r = 0; r < keep; ++r) {
                c.out_of[idx[r]] = static_cast<std::int32_t>(r);
                c.names.push_back(t.name + "_" + label(idx[r]));
            }
            c.unknown_out = params_.handle_unknown == HandleUnknown::error ? -2 : -1;
            return c;
        }

        // scikit-learn's _identify_infrequent.
        std::size_t n_infrequent = 0;
        if (params_.min_frequency) {
            const double m = *params_.min_frequency;
            const double threshold = m < 1.0 ? static_cast<double>(n_rows) * m : m;
            for (std::size_t i = 0; i < K; ++i) c.infrequent[i] = static_cast<double>(counts[i]) < threshold;
        }
        for (bool b : c.infrequent) n_infrequent += b;
        if (params_.max_categories && *params_.max_categories < K - n_infrequent + 1) {
            std::vector<std::size_t> idx(K);
            for (std::size_t i = 0; i < K; ++i) idx[i] = i;
            std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return counts[a] < counts[b]; });
            for (std::size_t r = 0; r + *params_.max_categories - 1 < K; ++r) c.infrequent[idx[r]] = true;
        }
        n_infrequent = 0;
        for (bool b : c.infrequent) n_infrequent += b;

        // Grouped outputs: frequent categories in category order, then the infrequent group.
        std::vector<std::string> names;
        std::int32_t next = 0;
        for (std::size_t i = 0; i < K; ++i)
            if (!c.infrequent[i]) {
                c.out_of[i] = next++;
                names.push_back(t.name + "_" + label(i));
            }
        std::int32_t infrequent_out = -1;
        if (n_infrequent > 0) {
            infrequent_out = next++;
            for (std::size_t i = 0; i < K; ++i)
                if (c.infrequent[i]) c.out_of[i] = infrequent_out;
            names.push_back(t.name + "_infrequent_sklearn");
        }
        std::int32_t unknown = params_.handle_unknown == HandleUnknown::error ? -2 : -1;
        if (params_.handle_unknown == HandleUnknown::infrequent_if_exist && infrequent_out >= 0) unknown = infrequent_out;

        const bool drop = params_.drop == OneHotDrop::first ||
                          (params_.drop == OneHotDrop::if_binary && names.size() == 2);
        if (drop) {
            auto shift = [](std::int32_t v) { return v == 0 ? -1 : (v > 0 ? v - 1 : v); };
            for (auto& v : c.out_of) v = shift(v);
            unknown = shift(unknown);
            names.erase(names.begin());
        }
        c.unknown_out = unknown;
        c.names = std::move(names);
        return c;
    }

    void finish_layout() {
        n_out_ = 0;
        for (auto& c : columns_) {
            c.offset = n_out_;
            n_out_ += c.names.size();
        }
    }

    std::vector<std::string> names_out() const {
        std::vector<std::string> out;
        for (const auto& c : columns_) out.insert(out.end(), c.names.begin(), c.names.end());
        return out;
    }

    Slot slot_of(std::size_t j, std::string_view v) const {
        const Column& c = columns_[j];
        const std::int32_t i = detail::find_sorted(c.categories, v);
        return i >= 0 ? c.out_of[static_cast<std::size_t>(i)] : c.unknown_out;
    }
    Slot slot_of_missing(std::size_t j) const {
        const Column& c = columns_[j];
        if (params_.handle_missing == HandleMissing::error) return kMissing;
        return c.has_missing ? c.out_of.back() : c.unknown_out;
    }
    bool rejects(Slot s) const { return s <= kUnknown; }
    [[noreturn]] void reject(std::size_t j, std::optional<std::string_view> v, std::size_t row) const {
        const std::string& name = feature_names_in()[j];
        if (v) detail::unknown_category(component_name, name, *v, row);
        if (params_.handle_missing == HandleMissing::error)
            detail::missing_not_allowed(component_name, name, row, "impute it first, or set handle_missing = category");
        detail::fail<UnknownCategory>({.component = component_name,
                                       .problem = "a missing value, which fit never saw in this column",
                                       .fix = "fit on data with missing values, or set handle_unknown = ignore",
                                       .column = name,
                                       .row = row});
    }
    void emit(std::size_t j, Slot s, double* out, std::size_t stride) const {
        if (s >= 0) out[(columns_[j].offset + static_cast<std::size_t>(s)) * stride] = 1.0;
    }

    Params params_;
    std::vector<Column> columns_;
    std::size_t n_out_ = 0;
};

}  // namespace reprep
