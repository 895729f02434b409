// The one list of reprep's built-in component kinds.
//
// Everything that must cover every kind is driven by these type lists instead of a
// list of its own: the registry that load_pipeline uses (compose/registry.hpp), the
// component zoo of the tests (tests/fuzz/zoo.hpp: fuzz corpora, golden artifacts,
// bad-input sweeps) and the reproducibility probe (tests/repro/probe.cpp). A new kind
// is added here once; tests/compose/test_builtin_kinds.cpp then fails until the zoo has
// a fitted instance of it, tests/golden/artifacts/ an artifact and the probe an item.
#pragma once

#include <tuple>
#include <type_traits>

#include "../create/math_features.hpp"
#include "../create/polynomial_features.hpp"
#include "../create/relative_features.hpp"
#include "../create/spline_transformer.hpp"
#include "../datetime/datetime_features.hpp"
#include "../datetime/datetime_subtraction.hpp"
#include "../discretise/arbitrary_discretiser.hpp"
#include "../discretise/k_bins_discretizer.hpp"
#include "../encode/count_frequency_encoder.hpp"
#include "../encode/hashing_encoder.hpp"
#include "../encode/one_hot_encoder.hpp"
#include "../encode/ordinal_encoder.hpp"
#include "../encode/rare_label_encoder.hpp"
#include "../encode/target_encoder.hpp"
#include "../encode/woe_encoder.hpp"
#include "../impute/categorical_imputer.hpp"
#include "../impute/end_tail_imputer.hpp"
#include "../impute/missing_indicator.hpp"
#include "../impute/random_sample_imputer.hpp"
#include "../impute/simple_imputer.hpp"
#include "../outliers/arbitrary_outlier_capper.hpp"
#include "../outliers/winsorizer.hpp"
#include "../scale/binarizer.hpp"
#include "../scale/max_abs_scaler.hpp"
#include "../scale/min_max_scaler.hpp"
#include "../scale/normalizer.hpp"
#include "../scale/robust_scaler.hpp"
#include "../scale/standard_scaler.hpp"
#include "../select/drop_constant_features.hpp"
#include "../select/drop_correlated_features.hpp"
#include "../select/drop_duplicate_features.hpp"
#include "../select/drop_high_psi_features.hpp"
#include "../transform/cyclical_features.hpp"
#include "../transform/log_transformer.hpp"
#include "../transform/power_transformer.hpp"
#include "../transform/quantile_transformer.hpp"

namespace reprep {

// The numeric kinds, for a scalar type: their artifacts record it, so float and double
// instances are distinct artifacts of one kind name.
template <class S>
using builtin_numeric_kinds =
    std::tuple<StandardScaler<S>, MinMaxScaler<S>, MaxAbsScaler<S>, RobustScaler<S>, Normalizer<S>, Binarizer<S>,
               SimpleImputer<S>, MissingIndicator<S>, EndTailImputer<S>, LogTransformer<S>, PowerTransformer<S>,
               QuantileTransformer<S>, CyclicalFeatures<S>, KBinsDiscretizer<S>, ArbitraryDiscretiser<S>, Winsorizer<S>,
               ArbitraryOutlierCapper<S>,
               PolynomialFeatures<S>, MathFeatures<S>, RelativeFeatures<S>, SplineTransformer<S>>;

// The kinds over categorical (or mixed) columns, which have no scalar parameter; the
// feature selectors (select/) are here too: they forward Table columns of either type.
using builtin_categorical_kinds = std::tuple<OneHotEncoder, OrdinalEncoder, CountFrequencyEncoder, RareLabelEncoder,
                                             HashingEncoder, CategoricalImputer, TargetEncoder, WoEEncoder,
                                             RandomSampleImputer, DropConstantFeatures, DropDuplicateFeatures,
                                             DropCorrelatedFeatures, DropHighPSIFeatures>;

// The kinds over datetime columns (datetime/).
using builtin_datetime_kinds = std::tuple<DatetimeFeatures, DatetimeSubtraction>;

namespace detail {
template <class A, class B>
struct tuple_concat;
template <class... A, class... B>
struct tuple_concat<std::tuple<A...>, std::tuple<B...>> {
    using type = std::tuple<A..., B...>;
};

// Calls f.template operator()<C>() for each type C of the std::tuple List, in order;
// no object of any C is made.
template <class List, class F>
void for_each_type(F&& f) {
    [&]<class... C>(std::type_identity<std::tuple<C...>>) { (f.template operator()<C>(), ...); }(std::type_identity<List>{});
}
}  // namespace detail

// Every kind a Pipeline can hold, as load_pipeline rebuilds it: the numeric ones over
// double (a Table's numeric columns are double). One type per kind name.
using builtin_kinds = detail::tuple_concat<detail::tuple_concat<builtin_numeric_kinds<double>, builtin_categorical_kinds>::type,
                                           builtin_datetime_kinds>::type;

namespace detail {
// The kinds whose own chunk fit Pipeline::fit(ChunkSource) uses (compose/pipeline_source.hpp).
struct BuiltinKindList {
    using type = builtin_kinds;
};
}  // namespace detail

}  // namespace reprep
