// reprep::CategoricalImputer — feature-engine's CategoricalImputer over categorical
// Table columns.
//
//   imputation_method = missing:   a missing value becomes fill_value ("Missing").
//   imputation_method = frequent:  a missing value becomes the column's most frequent
//                                  training value; ties go to the smallest value in
//                                  byte order (scikit-learn's SimpleImputer
//                                  most_frequent rule), so the choice never depends
//                                  on row order.
// Non-missing values pass through unchanged, unseen ones included. The output stays
// categorical. Fit uses exact integer counts (mergeable Accumulator).
// A column with no non-missing value in fit cannot give a most frequent value:
// fit raises InvalidInput naming it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../component/categorical_component.hpp"

namespace reprep {

enum class ImputationMethod : std::uint8_t { missing, frequent };

class CategoricalImputer : public detail::CategoricalComponent<CategoricalImputer> {
    using Base = detail::CategoricalComponent<CategoricalImputer>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // empty = every categorical column
        ImputationMethod imputation_method = ImputationMethod::missing;
        std::string fill_value = "Missing";     // used by imputation_method = missing
    };

    static constexpr const char* component_name = "CategoricalImputer";
    static constexpr std::string_view kind_name() { return "categorical_imputer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool numeric_output = false;

    CategoricalImputer() = default;
    // A template, so that CategoricalImputer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit CategoricalImputer(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    // The value that replaces a missing one, per fitted column (feature-engine's imputer_dict_).
    const std::string& fill_value(std::string_view column) const {
        require_fitted();
        return fill_[column_index(column)];
    }
    const std::vector<std::string>& fill_values() const {
        require_fitted();
        return fill_;
    }

    void save_state(ArchiveWriter& w) const {
        save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.imputation_method));
        w.str(params_.fill_value);
        w.strs(fill_);
    }
    static CategoricalImputer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        CategoricalImputer c;
        c.load_base(r);
        c.params_.columns = r.strs();
        const auto m = r.u8();
        if (m > 1) r.fail("unknown imputation_method " + std::to_string(m));
        c.params_.imputation_method = static_cast<ImputationMethod>(m);
        c.params_.fill_value = r.str();
        c.fill_ = r.strs();
        if (c.fill_.size() != (c.is_fitted() ? c.feature_names_in().size() : 0))
            r.fail("CategoricalImputer fill values do not match its columns");
        return c;
    }

private:
    using Slot = bool;  // true = missing, to be filled

    static void validate(const Params& p) {
        detail::validate_columns(component_name, p.columns);
        // An out-of-range method would otherwise fit silently as `frequent` (fit_tallies
        // only tests for `missing`), and then fail only when the artifact is loaded.
        if (p.imputation_method != ImputationMethod::missing && p.imputation_method != ImputationMethod::frequent)
            detail::invalid_parameter(component_name, "imputation_method", "must be missing or frequent",
                                      "use imputation_method = missing or frequent");
    }

    void fit_tallies(const detail::CategoryAccumulator& acc) {
        fill_.clear();
        for (const auto& t : acc.columns()) {
            if (params_.imputation_method == ImputationMethod::missing) {
                fill_.push_back(params_.fill_value);
                continue;
            }
            if (t.values.empty())
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "every value is missing, so there is no most frequent value",
                                            .fix = "use imputation_method = missing, or drop the column",
                                            .column = t.name});
            fill_.push_back(t.values[detail::by_frequency(t).front()]);
        }
    }

    Slot slot_of(std::size_t, std::string_view) const { return false; }
    Slot slot_of_missing(std::size_t) const { return true; }
    std::optional<std::string_view> category_out(std::size_t j, Slot missing, std::optional<std::string_view> in) const {
        if (missing) return std::string_view(fill_[j]);
        return in;
    }

    Params params_;
    std::vector<std::string> fill_;
};

}  // namespace reprep
