// The built-in component kinds, registered for load_pipeline. Pipelines work on
// Tables, whose numeric columns are double, so numeric components register as <double>.
#pragma once

#include <mutex>

#include "step.hpp"

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
#include "../transform/cyclical_features.hpp"
#include "../transform/log_transformer.hpp"
#include "../transform/power_transformer.hpp"
#include "../transform/quantile_transformer.hpp"

namespace reprep::detail {

inline void register_builtin_components() {
    static std::once_flag once;
    std::call_once(once, [] {
        register_component<StandardScaler<double>>();
        register_component<MinMaxScaler<double>>();
        register_component<MaxAbsScaler<double>>();
        register_component<RobustScaler<double>>();
        register_component<Normalizer<double>>();
        register_component<Binarizer<double>>();
        register_component<SimpleImputer<double>>();
        register_component<MissingIndicator<double>>();
        register_component<EndTailImputer<double>>();
        register_component<LogTransformer<double>>();
        register_component<PowerTransformer<double>>();
        register_component<QuantileTransformer<double>>();
        register_component<CyclicalFeatures<double>>();
        register_component<KBinsDiscretizer<double>>();
        register_component<ArbitraryDiscretiser<double>>();
        register_component<Winsorizer<double>>();
        register_component<ArbitraryOutlierCapper<double>>();
        register_component<OneHotEncoder>();
        register_component<OrdinalEncoder>();
        register_component<CountFrequencyEncoder>();
        register_component<RareLabelEncoder>();
        register_component<HashingEncoder>();
        register_component<CategoricalImputer>();
        register_component<RandomSampleImputer>();
        register_component<TargetEncoder>();
        register_component<WoEEncoder>();
    });
}

}  // namespace reprep::detail
