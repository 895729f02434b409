// reprep::RareLabelEncoder — feature-engine's RareLabelEncoder over categorical
// Table columns; the output stays categorical.
//
//   fit, per column: if the column has more than n_categories distinct (non-missing)
//        values, its frequent categories are those with count / n >= tol (n = rows
//        with a value; one correctly rounded division), in frequency order (count
//        desc, bytes asc), cut to the first max_n_categories when that is set;
//        otherwise every value seen is frequent.
//   transform: a frequent category passes through; any other value, unseen ones
//        included, becomes replace_with ("Rare").
//   missing_values = raise: a missing value in fit or transform raises InvalidInput;
//        ignore: missing is left out of the frequencies and stays missing.
// Difference from feature-engine: ties in frequency are broken by bytes (pandas'
// value_counts order is not specified), and a missing value is never replaced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../component/categorical_component.hpp"

namespace reprep {

class RareLabelEncoder : public detail::CategoricalComponent<RareLabelEncoder> {
    using Base = detail::CategoricalComponent<RareLabelEncoder>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // feature-engine's `variables`; empty = every categorical column
        double tol = 0.05;                       // in [0, 1]
        std::size_t n_categories = 10;
        std::optional<std::size_t> max_n_categories = {};  // >= 1 when set
        std::string replace_with = "Rare";
        MissingValues missing_values = MissingValues::raise;
    };

    static constexpr const char* component_name = "RareLabelEncoder";
    static constexpr std::string_view kind_name() { return "rare_label_encoder"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool numeric_output = false;

    RareLabelEncoder() = default;
    // A template, so that RareLabelEncoder({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit RareLabelEncoder(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    // feature-engine's encoder_dict_: the frequent categories of a column, in frequency order.
    const std::vector<std::string>& frequent_categories(std::string_view column) const {
        return columns_[column_index(column)].frequent;
    }

    void save_state(ArchiveWriter& w) const {
        save_base(w);
        w.strs(params_.columns);
        w.f64(params_.tol);
        w.u64(params_.n_categories);
        w.boolean(params_.max_n_categories.has_value());
        w.u64(params_.max_n_categories.value_or(0));
        w.str(params_.replace_with);
        w.u8(static_cast<std::uint8_t>(params_.missing_values));
        w.size(columns_.size());
        for (const auto& c : columns_) w.strs(c.frequent);
    }
    static RareLabelEncoder load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        RareLabelEncoder e;
        e.load_base(r);
        Params& p = e.params_;
        p.columns = r.strs();
        p.tol = r.f64();
        p.n_categories = r.u64();
        if (r.boolean()) p.max_n_categories = r.u64(); else (void)r.u64();
        p.replace_with = r.str();
        const auto mv = r.u8();
        if (mv > 1) r.fail("unknown missing_values " + std::to_string(mv));
        p.missing_values = static_cast<MissingValues>(mv);
        const std::size_t n = e.load_column_count(r, 8);
        for (std::size_t j = 0; j < n; ++j) {
            Column c;
            c.frequent = r.strs();
            if (!index(c)) r.fail("frequent categories repeat");
            e.columns_.push_back(std::move(c));
        }
        return e;
    }

    // Whether the value of fitted column j (feature_names_in() order) is one this encoder
    // learnt; false for a category it replaces: unseen in fit, or too rare to keep (only the kept ones are stored). The drift monitor counts the false ones per step.
    bool knows_category(std::size_t j, std::string_view v) const {
        return j < columns_.size() && detail::find_sorted(columns_[j].keys, v) >= 0;
    }

private:
    struct Column {
        std::vector<std::string> frequent;  // frequency order
        std::vector<std::string> keys;      // derived: sorted by bytes, for lookup
    };
    // >= 0: index into keys (kept); -1: replaced; -2: missing kept; -3: missing refused.
    using Slot = std::int32_t;

    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        if (!(p.tol >= 0.0 && p.tol <= 1.0)) detail::invalid_parameter(component_name, "tol", "must be in [0, 1]",
                                                                       "use tol from 0 to 1, a share of the rows (the default is 0.05)");
        // An out-of-range missing_values (a cast integer) would otherwise act as ignore.
        if (static_cast<unsigned>(p.missing_values) > static_cast<unsigned>(MissingValues::ignore))
            detail::invalid_parameter(component_name, "missing_values", "holds an unknown value", "use raise or ignore");
        if (p.max_n_categories && *p.max_n_categories < 1)
            detail::invalid_parameter(component_name, "max_n_categories", "must be >= 1 when set",
                                      "use max_n_categories >= 1, or leave it unset (None in Python)");
    }

    static bool index(Column& c) {
        c.keys = c.frequent;
        std::sort(c.keys.begin(), c.keys.end(),
                  [](const std::string& a, const std::string& b) { return detail::bytes_compare(a, b) < 0; });
        return detail::strictly_sorted(c.keys);
    }

    void fit_tallies(const detail::CategoryAccumulator& acc) {
        columns_.clear();
        for (const auto& t : acc.columns()) {
            if (t.missing > 0 && params_.missing_values == MissingValues::raise)
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = std::to_string(t.missing) + " missing values in fit",
                                            .fix = "impute them first, or set missing_values = ignore",
                                            .column = t.name});
            Column c;
            const auto order = detail::by_frequency(t);
            if (t.values.size() > params_.n_categories) {
                const double n = static_cast<double>(t.non_missing());
                for (std::size_t i : order) {
                    if (params_.max_n_categories && c.frequent.size() >= *params_.max_n_categories) break;
                    if (static_cast<double>(t.counts[i]) / n >= params_.tol) c.frequent.push_back(t.values[i]);
                }
            } else {
                for (std::size_t i : order) c.frequent.push_back(t.values[i]);
            }
            index(c);
            columns_.push_back(std::move(c));
        }
    }

    Slot slot_of(std::size_t j, std::string_view v) const { return detail::find_sorted(columns_[j].keys, v); }
    Slot slot_of_missing(std::size_t) const { return params_.missing_values == MissingValues::raise ? -3 : -2; }
    bool rejects(Slot s) const { return s == -3; }
    [[noreturn]] void reject(std::size_t j, std::optional<std::string_view>, std::size_t row) const {
        detail::missing_not_allowed(component_name, feature_names_in()[j], row,
                                    "impute it first, or set missing_values = ignore");
    }
    std::optional<std::string_view> category_out(std::size_t j, Slot s, std::optional<std::string_view>) const {
        if (s >= 0) return std::string_view(columns_[j].keys[static_cast<std::size_t>(s)]);
        if (s == -1) return std::string_view(params_.replace_with);
        return std::nullopt;
    }

    Params params_;
    std::vector<Column> columns_;
};

}  // namespace reprep
