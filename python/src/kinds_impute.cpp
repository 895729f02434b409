// reprep._reprep: the imputers (include/reprep/impute/), see binding.hpp for Kind<C>.
#include <reprep/impute/categorical_imputer.hpp>
#include <reprep/impute/end_tail_imputer.hpp>
#include <reprep/impute/missing_indicator.hpp>
#include <reprep/impute/random_sample_imputer.hpp>
#include <reprep/impute/simple_imputer.hpp>

#include "binding.hpp"

namespace reprep_py {

template <>
struct Kind<SimpleImputer<>> {
    using C = SimpleImputer<>;
    using P = C::Params;
    static constexpr const char* name = "SimpleImputer";
    static constexpr Options<ImputeStrategy> strategies = {
        {"mean", ImputeStrategy::mean}, {"median", ImputeStrategy::median},
        {"most_frequent", ImputeStrategy::most_frequent}, {"constant", ImputeStrategy::constant}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("strategy", &P::strategy, strategies),
                          field("fill_value", &P::fill_value), field("add_indicator", &P::add_indicator),
                          field("keep_empty_features", &P::keep_empty_features)};
    }
    static py::dict state(const C& s) { return py::dict("statistics_"_a = to_array(s.statistics())); }
    static void extra(py::class_<C>& cls) { def_from_state<C, std::vector<double>, std::vector<std::uint64_t>>(cls); }
};

template <>
struct Kind<MissingIndicator<>> {
    using C = MissingIndicator<>;
    using P = C::Params;
    static constexpr const char* name = "MissingIndicator";
    static constexpr Options<MissingFeatures> features = {{"missing-only", MissingFeatures::missing_only},
                                                          {"all", MissingFeatures::all}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("features", &P::features, features),
                          field("error_on_new", &P::error_on_new)};
    }
    static py::dict state(const C& s) {
        // Column indices as scikit-learn's intp array.
        const auto& f = s.features();
        const std::vector<std::int64_t> indices(f.begin(), f.end());
        return py::dict("features_"_a = py::array_t<std::int64_t>(py::cast(indices)));
    }
};

template <>
struct Kind<EndTailImputer<>> {
    using C = EndTailImputer<>;
    using P = C::Params;
    static constexpr const char* name = "EndTailImputer";
    static constexpr Options<EndTailMethod> methods = {
        {"gaussian", EndTailMethod::gaussian}, {"iqr", EndTailMethod::iqr}, {"max", EndTailMethod::max}};
    static constexpr Options<EndTailSide> tails = {{"right", EndTailSide::right}, {"left", EndTailSide::left}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("imputation_method", &P::imputation_method, methods),
                          choice("tail", &P::tail, tails), field("fold", &P::fold)};
    }
    // feature-engine's imputer_dict_: column -> the value NaN becomes.
    static py::dict state(const C& s) {
        return py::dict("imputer_dict_"_a = per_column(s.feature_names_in(), [&](std::size_t j) { return s.imputer_values()[j]; }));
    }
};

template <>
struct Kind<CategoricalImputer> {
    using P = CategoricalImputer::Params;
    static constexpr const char* name = "CategoricalImputer";
    static constexpr Options<ImputationMethod> methods = {{"missing", ImputationMethod::missing},
                                                          {"frequent", ImputationMethod::frequent}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("imputation_method", &P::imputation_method, methods),
                          field("fill_value", &P::fill_value)};
    }
    static py::dict state(const CategoricalImputer& s) {
        const auto& names = s.feature_names_in();
        py::dict d;
        d["imputer_dict_"] = per_column(names, [&](std::size_t j) { return s.fill_value(names[j]); });
        return d;
    }
};

// feature-engine's RandomSampleImputer keeps the training frame (X_); reprep keeps the
// canonical value pools, which are not exposed as attributes (the artifact holds them).
template <>
struct Kind<RandomSampleImputer> {
    using P = RandomSampleImputer::Params;
    static constexpr const char* name = "RandomSampleImputer";
    static constexpr Options<SeedingMethod> seedings = {{"general", SeedingMethod::general},
                                                        {"observation", SeedingMethod::observation}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("variables_seed", &P::variables_seed),
                          choice("seeding_method", &P::seeding_method, seedings), field("seed", &P::seed)};
    }
    static py::dict state(const RandomSampleImputer& s) {
        return py::dict("variables_"_a = py::cast(s.imputed_columns()));
    }
};

void bind_impute(py::module_& m) {
    bind_component<SimpleImputer<>>(m);
    bind_component<MissingIndicator<>>(m);
    bind_component<EndTailImputer<>>(m);
    bind_component<CategoricalImputer>(m);
    bind_component<RandomSampleImputer>(m);
}

}  // namespace reprep_py
