// reprep._reprep: the feature selectors (include/reprep/select/): fit decides which of
// the examined columns to drop, transform drops them. See binding.hpp for Kind<C>.
#include <reprep/select/drop_constant_features.hpp>
#include <reprep/select/drop_correlated_features.hpp>
#include <reprep/select/drop_duplicate_features.hpp>
#include <reprep/select/drop_high_psi_features.hpp>

#include "binding.hpp"

namespace reprep_py {
namespace {

// feature-engine's strings; each selector's C++ constructor refuses the ones it does not
// take (DropDuplicateFeatures and DropCorrelatedFeatures have no 'include'), with its
// own message.
constexpr Options<MissingValues> missing_values = {
    {"raise", MissingValues::raise}, {"ignore", MissingValues::ignore}, {"include", MissingValues::include}};

// feature-engine's *_feature_sets_ are lists of sets; a set per group of columns.
py::list sets_of(const std::vector<std::vector<std::string>>& groups) {
    py::list out;
    for (const auto& g : groups) out.append(py::set(py::cast(g)));
    return out;
}

}  // namespace

template <>
struct Kind<DropConstantFeatures> {
    using C = DropConstantFeatures;
    using P = C::Params;
    static constexpr const char* name = "DropConstantFeatures";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("tol", &P::tol),
                          choice("missing_values", &P::missing_values, missing_values)};
    }
    static py::dict state(const C& s) { return py::dict("features_to_drop_"_a = s.features_to_drop()); }
};

template <>
struct Kind<DropDuplicateFeatures> {
    using C = DropDuplicateFeatures;
    using P = C::Params;
    static constexpr const char* name = "DropDuplicateFeatures";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("missing_values", &P::missing_values, missing_values)};
    }
    // duplicated_feature_sets_: each kept column with the dropped columns equal to it,
    // gathered from C++ duplicate_of() (no C++ accessor returns the groups).
    static py::dict state(const C& s) {
        const auto dropped = s.features_to_drop();
        std::vector<std::vector<std::string>> groups;
        for (const auto& kept : s.feature_names_out()) {
            std::vector<std::string> g = {kept};
            for (const auto& d : dropped)
                if (s.duplicate_of(d) == kept) g.push_back(d);
            if (g.size() > 1) groups.push_back(std::move(g));
        }
        return py::dict("features_to_drop_"_a = dropped, "duplicated_feature_sets_"_a = sets_of(groups));
    }
};

template <>
struct Kind<DropCorrelatedFeatures> {
    using C = DropCorrelatedFeatures;
    using P = C::Params;
    static constexpr const char* name = "DropCorrelatedFeatures";
    static constexpr Options<CorrelationMethod> methods = {{"pearson", CorrelationMethod::pearson}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("method", &P::method, methods),
                          field("threshold", &P::threshold),
                          choice("missing_values", &P::missing_values, missing_values)};
    }
    static py::dict state(const C& s) {
        return py::dict("features_to_drop_"_a = s.features_to_drop(),
                        "correlated_feature_sets_"_a = sets_of(s.correlated_feature_sets()));
    }
};

template <>
struct Kind<DropHighPSIFeatures> {
    using C = DropHighPSIFeatures;
    using P = C::Params;
    static constexpr const char* name = "DropHighPSIFeatures";
    static constexpr Options<PsiStrategy> strategies = {{"equal_frequency", PsiStrategy::equal_frequency},
                                                        {"equal_width", PsiStrategy::equal_width}};
    // feature-engine's keywords; `switch` is C++'s switch_sets. cut_off: None, a number,
    // or a list of numbers or of categories (pybind11's variant caster picks the kind).
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("split_col", &P::split_col),
                          field("split_frac", &P::split_frac), field("split_distinct", &P::split_distinct),
                          field("cut_off", &P::cut_off), field("switch", &P::switch_sets),
                          field("threshold", &P::threshold), field("bins", &P::bins),
                          choice("strategy", &P::strategy, strategies),
                          field("min_pct_empty_bins", &P::min_pct_empty_bins),
                          choice("missing_values", &P::missing_values, missing_values)};
    }
    // feature-engine's features_to_drop_, psi_values_ ({column: PSI}) and cut_off_ (NaN
    // when the split was by a list of values).
    static py::dict state(const C& s) {
        return py::dict("features_to_drop_"_a = s.features_to_drop(),
                        "psi_values_"_a = per_column(s.feature_names_in(), [&](std::size_t j) { return s.psi_values()[j]; }),
                        "cut_off_"_a = s.cut_off());
    }
};

void bind_select(py::module_& m) {
    bind_component<DropConstantFeatures>(m);
    bind_component<DropDuplicateFeatures>(m);
    bind_component<DropCorrelatedFeatures>(m);
    bind_component<DropHighPSIFeatures>(m);
}

}  // namespace reprep_py
