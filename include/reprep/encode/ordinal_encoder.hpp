// reprep::OrdinalEncoder — scikit-learn 1.2's OrdinalEncoder, with feature-engine's
// frequency and target-mean ('ordered') category orders, over categorical Table
// columns.
//
//   order = lexical    codes 0..K-1 follow the categories sorted by bytes
//                      (scikit-learn's categories='auto').
//   order = frequency  count descending, then bytes ascending.
//   order = given      Params::categories[j] lists column j's categories in code order;
//                      a training value outside the list raises UnknownCategory in fit
//                      under handle_unknown = error (as scikit-learn does).
//   order = ordered    target mean ascending, then bytes ascending (feature-engine's
//                      'ordered'); needs fit(X, y). mean_c = Σy / n_c with Σy exact
//                      (ExactSum, correctly rounded) then one division.
//   transform          a known category -> its code (as double); missing ->
//                      encoded_missing_value (default NaN) if fit saw missing values,
//                      otherwise missing is an unseen category; an unseen category ->
//                      UnknownCategory (handle_unknown = error) or unknown_value
//                      (handle_unknown = use_encoded_value).
// As in scikit-learn, fit refuses an unknown_value or encoded_missing_value that
// equals the code of a known category (counting the missing category, which
// scikit-learn lists last). The output replaces each column in place, same names.
// inverse_transform maps codes back to categories.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../component/categorical_component.hpp"

namespace reprep {

enum class CategoryOrder : std::uint8_t { lexical, frequency, given, ordered };

class OrdinalEncoder : public detail::CategoricalComponent<OrdinalEncoder> {
    using Base = detail::CategoricalComponent<OrdinalEncoder>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};              // empty = every categorical column
        CategoryOrder order = CategoryOrder::lexical;
        std::vector<std::vector<std::string>> categories = {};  // order = given: one list per entry of `columns`
        HandleUnknown handle_unknown = HandleUnknown::error;     // error or use_encoded_value
        std::optional<double> unknown_value = {};                // integral or NaN; required by use_encoded_value
        double encoded_missing_value = std::numeric_limits<double>::quiet_NaN();  // integral or NaN
    };

    static constexpr const char* component_name = "OrdinalEncoder";
    static constexpr std::string_view kind_name() { return "ordinal_encoder"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool numeric_output = true;

    OrdinalEncoder() = default;
    // A template, so that OrdinalEncoder({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit OrdinalEncoder(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    // Column j's categories in code order (code i = categories(column)[i]); missing excluded.
    const std::vector<std::string>& categories(std::string_view column) const { return col(column).categories; }
    bool has_missing_category(std::string_view column) const { return col(column).has_missing; }

    std::size_t n_features_out() const { return n_features_in(); }

    // Codes back to categories: NaN, encoded_missing_value -> missing; a code that is not
    // a category's (unknown_value included) -> missing, as scikit-learn returns None.
    Table inverse_transform(const Table& t) const {
        require_fitted();
        Table out = t;
        const auto& names = feature_names_in();
        for (std::size_t j = 0; j < names.size(); ++j) {
            const auto x = t.numeric(names[j]);
            const Column& c = columns_[j];
            CategoricalColumn cc;
            cc.dictionary = c.categories;
            cc.codes.resize(x.size());
            for (std::size_t i = 0; i < x.size(); ++i) {
                const double v = x[i];
                const bool code = v >= 0 && v < static_cast<double>(c.categories.size()) && std::floor(v) == v;
                cc.codes[i] = code ? static_cast<std::int32_t>(v) : -1;
            }
            out.set_categorical(names[j], std::move(cc));
        }
        return out;
    }

    void save_state(ArchiveWriter& w) const {
        save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.order));
        w.size(params_.categories.size());
        for (const auto& c : params_.categories) w.strs(c);
        w.u8(static_cast<std::uint8_t>(params_.handle_unknown));
        w.boolean(params_.unknown_value.has_value());
        w.f64(params_.unknown_value.value_or(0.0));
        w.f64(params_.encoded_missing_value);
        w.size(columns_.size());
        for (const auto& c : columns_) {
            w.strs(c.categories);
            w.boolean(c.has_missing);
        }
    }
    static OrdinalEncoder load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        OrdinalEncoder e;
        e.load_base(r);
        Params& p = e.params_;
        p.columns = r.strs();
        const auto order = r.u8();
        if (order > 3) r.fail("unknown category order " + std::to_string(order));
        p.order = static_cast<CategoryOrder>(order);
        const std::size_t nc = r.size(8);
        for (std::size_t i = 0; i < nc; ++i) p.categories.push_back(r.strs());
        const auto hu = r.u8();
        if (hu > 3) r.fail("unknown handle_unknown " + std::to_string(hu));
        p.handle_unknown = static_cast<HandleUnknown>(hu);
        if (r.boolean()) p.unknown_value = r.f64(); else (void)r.f64();
        p.encoded_missing_value = r.f64();
        const std::size_t n = e.load_column_count(r, 9);
        for (std::size_t j = 0; j < n; ++j) {
            Column c;
            c.categories = r.strs();
            c.has_missing = r.boolean();
            if (!e.index(c)) r.fail("categories are not distinct");
            e.columns_.push_back(std::move(c));
        }
        return e;
    }

    // Whether the value of fitted column j (feature_names_in() order) is one this encoder
    // learnt; false for a category outside its fitted categories. The drift monitor counts the false ones per step.
    bool knows_category(std::size_t j, std::string_view v) const {
        return j < columns_.size() && detail::find_sorted(columns_[j].keys, v) >= 0;
    }

private:
    struct Column {
        std::vector<std::string> categories;  // code order
        bool has_missing = false;
        std::vector<std::string> keys;        // derived: categories sorted by bytes
        std::vector<double> key_code;         // derived: code of keys[i]
    };
    struct Slot {
        double value = 0.0;
        std::uint8_t reject = 0;  // 1 unseen, 2 missing never seen (both under handle_unknown = error)
    };

    bool needs_target() const { return params_.order == CategoryOrder::ordered; }

    static bool integral_or_nan(double v) { return std::isnan(v) || (std::isfinite(v) && std::floor(v) == v); }

    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        // An out-of-range order (a cast integer) would otherwise fit no categories at all.
        if (static_cast<unsigned>(p.order) > static_cast<unsigned>(CategoryOrder::ordered))
            detail::invalid_parameter(component_name, "order", "holds an unknown value",
                                      "use lexical, frequency, given or ordered");
        if (p.handle_unknown != HandleUnknown::error && p.handle_unknown != HandleUnknown::use_encoded_value)
            detail::invalid_parameter(component_name, "handle_unknown", "must be error or use_encoded_value",
                                      "use handle_unknown = error or use_encoded_value");
        if (p.handle_unknown == HandleUnknown::use_encoded_value) {
            if (!p.unknown_value || !integral_or_nan(*p.unknown_value))
                detail::invalid_parameter(component_name, "unknown_value",
                                          "use_encoded_value needs an integral unknown_value or NaN",
                                          "set unknown_value to a whole number (e.g. -1) or NaN");
        } else if (p.unknown_value) {
            detail::invalid_parameter(component_name, "unknown_value",
                                      "is only used with handle_unknown = use_encoded_value",
                                      "leave unknown_value unset (None in Python), or set handle_unknown = use_encoded_value");
        }
        if (!integral_or_nan(p.encoded_missing_value))
            detail::invalid_parameter(component_name, "encoded_missing_value", "must be integral or NaN",
                                      "set encoded_missing_value to a whole number (e.g. -1) or NaN");
        if (p.order == CategoryOrder::given) {
            if (p.columns.empty() || p.categories.size() != p.columns.size())
                detail::invalid_parameter(component_name, "categories",
                                          "order = given needs Params::columns and one category list per column",
                                          "list the columns in the columns parameter, and give categories one list per column, in the same order");
            for (const auto& list : p.categories) {
                std::vector<std::string> s = list;
                std::sort(s.begin(), s.end(), [](const std::string& a, const std::string& b) {
                    return detail::bytes_compare(a, b) < 0;
                });
                if (std::adjacent_find(s.begin(), s.end()) != s.end())
                    detail::invalid_parameter(component_name, "categories", "a category list names a value twice",
                                              "list each category once");
            }
        } else if (!p.categories.empty()) {
            detail::invalid_parameter(component_name, "categories", "is only used with order = given",
                                      "set order = given, or leave categories empty");
        }
    }

    // Builds the byte-sorted lookup of a column; false if categories repeat.
    static bool index(Column& c) {
        std::vector<std::size_t> idx(c.categories.size());
        for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
            return detail::bytes_compare(c.categories[a], c.categories[b]) < 0;
        });
        c.keys.clear();
        c.key_code.clear();
        for (std::size_t i : idx) {
            c.keys.push_back(c.categories[i]);
            c.key_code.push_back(static_cast<double>(i));
        }
        return detail::strictly_sorted(c.keys);
    }

    const Column& col(std::string_view column) const { return columns_[column_index(column)]; }

    void fit_tallies(const detail::CategoryAccumulator& acc) {
        columns_.clear();
        for (std::size_t j = 0; j < acc.columns().size(); ++j) {
            const auto& t = acc.columns()[j];
            Column c;
            c.has_missing = t.missing > 0;
            switch (params_.order) {
                case CategoryOrder::lexical: c.categories = t.values; break;
                case CategoryOrder::frequency:
                    for (std::size_t i : detail::by_frequency(t)) c.categories.push_back(t.values[i]);
                    break;
                case CategoryOrder::given:
                    c.categories = params_.categories[j];
                    if (params_.handle_unknown == HandleUnknown::error)
                        for (const auto& v : t.values)
                            if (std::find(c.categories.begin(), c.categories.end(), v) == c.categories.end())
                                detail::fail<UnknownCategory>({.component = component_name,
                                                               .problem = "category '" + v + "' found in fit is not in the given categories",
                                                               .fix = "add it to the categories parameter, or set handle_unknown = use_encoded_value",
                                                               .column = t.name});
                    break;
                case CategoryOrder::ordered: {
                    std::vector<double> mean(t.values.size());
                    for (std::size_t i = 0; i < mean.size(); ++i)
                        mean[i] = t.targets[i].sum.value() / static_cast<double>(t.counts[i]);
                    std::vector<std::size_t> idx(mean.size());
                    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
                    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return mean[a] < mean[b]; });
                    for (std::size_t i : idx) c.categories.push_back(t.values[i]);
                    break;
                }
            }
            index(c);
            // scikit-learn's checks: a code reserved for unknown or missing must not be a category's.
            const double n_codes = static_cast<double>(c.categories.size() + (c.has_missing ? 1 : 0));
            if (params_.handle_unknown == HandleUnknown::use_encoded_value && *params_.unknown_value >= 0 &&
                *params_.unknown_value < n_codes)
                detail::invalid_parameter(component_name, "unknown_value",
                                          "is the code of a known category in column '" + t.name + "'",
                                          "use a negative value or NaN");
            if (c.has_missing && params_.encoded_missing_value >= 0 && params_.encoded_missing_value < n_codes)
                detail::invalid_parameter(component_name, "encoded_missing_value",
                                          "is the code of a known category in column '" + t.name + "'",
                                          "use a negative value or NaN");
            columns_.push_back(std::move(c));
        }
    }

    std::vector<std::string> names_out() const { return feature_names_in(); }

    Slot unknown_slot() const {
        if (params_.handle_unknown == HandleUnknown::use_encoded_value) return {*params_.unknown_value, 0};
        return {0.0, 1};
    }
    Slot slot_of(std::size_t j, std::string_view v) const {
        const Column& c = columns_[j];
        const std::int32_t i = detail::find_sorted(c.keys, v);
        return i >= 0 ? Slot{c.key_code[static_cast<std::size_t>(i)], 0} : unknown_slot();
    }
    Slot slot_of_missing(std::size_t j) const {
        if (columns_[j].has_missing) return {params_.encoded_missing_value, 0};
        Slot s = unknown_slot();
        if (s.reject) s.reject = 2;
        return s;
    }
    bool rejects(const Slot& s) const { return s.reject != 0; }
    [[noreturn]] void reject(std::size_t j, std::optional<std::string_view> v, std::size_t row) const {
        const std::string& name = feature_names_in()[j];
        if (v) detail::unknown_category(component_name, name, *v, row);
        detail::fail<UnknownCategory>({.component = component_name,
                                       .problem = "a missing value, which fit never saw in this column",
                                       .fix = "fit on data with missing values, or set handle_unknown = use_encoded_value",
                                       .column = name,
                                       .row = row});
    }
    void emit(std::size_t j, const Slot& s, double* out, std::size_t stride) const { out[j * stride] = s.value; }

    Params params_;
    std::vector<Column> columns_;
};

}  // namespace reprep
