// The component zoo: one fitted instance of every artifact kind, built from the
// penguins data with fixed parameters. Shared by the fuzz corpus generator, the
// golden-artifact generator, the golden loader test, the bad-input catalogue and the
// repro probe, so every one of them covers the same kinds. Which kinds exist is not
// decided here but by reprep's list (compose/builtin_kinds.hpp); this file gives each
// one a recipe, and tests/compose/test_builtin_kinds.cpp fails for a kind without one.
#pragma once

#include <cmath>
#include <concepts>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <reprep/reprep.hpp>
#include <reprep/compose/builtin_kinds.hpp>
#include <reprep/encode/target_encoder.hpp>
#include <reprep/encode/woe_encoder.hpp>
#include <reprep/impute/random_sample_imputer.hpp>

namespace zoo {

using namespace reprep;

inline const std::vector<std::string> numeric_cols = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};
inline const std::vector<std::string> categorical_cols = {"species", "island", "sex"};

// penguins.csv as read by read_csv: rows with missing values included.
inline Table penguins(const std::filesystem::path& data_dir) { return read_csv(data_dir / "penguins.csv"); }

// The rows without any missing value: components that refuse NaN fit on these.
inline Table complete_rows(const Table& t) {
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < t.num_rows(); ++i) {
        bool ok = true;
        for (const auto& c : numeric_cols) ok = ok && !std::isnan(t.numeric(c)[i]);
        for (const auto& c : categorical_cols) ok = ok && t.category(c, i).has_value();
        if (ok) keep.push_back(i);
    }
    return t.rows(keep);
}

// Binary target: 1 for Adelie, else 0 (WoE needs a binary target).
inline std::vector<double> target(const Table& t) {
    std::vector<double> y(t.num_rows());
    for (std::size_t i = 0; i < t.num_rows(); ++i) y[i] = t.category("species", i) == std::optional<std::string_view>("Adelie");
    return y;
}

// Multiclass target: the species as class labels 0 (Adelie), 1 (Chinstrap), 2 (Gentoo).
inline std::vector<double> species_class(const Table& t) {
    std::vector<double> y(t.num_rows());
    for (std::size_t i = 0; i < t.num_rows(); ++i) {
        const auto s = t.category("species", i);
        y[i] = s == std::optional<std::string_view>("Adelie") ? 0.0 : s == std::optional<std::string_view>("Chinstrap") ? 1.0 : 2.0;
    }
    return y;
}

// Every component type with an artifact kind: reprep's built-in kinds, numeric ones as
// double (what pipelines use) and float (the matrix-level scalar), since their
// artifacts differ by the scalar tag.
using ArtifactKinds = reprep::detail::tuple_concat<
    reprep::detail::tuple_concat<
        reprep::detail::tuple_concat<builtin_numeric_kinds<double>, builtin_numeric_kinds<float>>::type,
        builtin_categorical_kinds>::type,
    builtin_datetime_kinds>::type;

// penguins has no datetime column; the datetime kinds read two made from each row:
// 'observed', a day of the penguin's year at a time of day, and 'recorded', up to a month
// and a few hours later. Some of each are missing (kNaT).
inline Table with_dates(const Table& t) {
    const auto year = t.numeric("year");
    std::vector<std::int64_t> observed(t.num_rows()), recorded(t.num_rows());
    for (std::size_t i = 0; i < t.num_rows(); ++i) {
        const auto day = days_from_civil(static_cast<std::int64_t>(year[i]), 1, 1) + static_cast<std::int64_t>(i * 37 % 365);
        observed[i] = day * kNanosPerDay + static_cast<std::int64_t>(i * 7919 % 86400) * kNanosPerSecond;
        recorded[i] = observed[i] + static_cast<std::int64_t>(i * 13 % 30) * kNanosPerDay +
                      static_cast<std::int64_t>(i % 5) * 3600 * kNanosPerSecond;
        if (i % 17 == 5) observed[i] = kNaT;
        if (i % 23 == 7) recorded[i] = kNaT;
    }
    Table d = t;
    d.add_datetime("observed", std::move(observed)).add_datetime("recorded", std::move(recorded));
    return d;
}
// The table the zoo instance of C transforms (and is fitted on): penguins, with the
// dates for the datetime kinds.
template <class C>
Table input(const Table& t) {
    if constexpr (reprep::detail::DatetimeStep<C>) return with_dates(t);
    else return t;
}

// Recipes: `recipe(kind<C>{}, t, c)` is a fitted instance of C on the penguins table
// `t` (all rows) and its complete rows `c`. Overloads rather than specialisations, so
// that has_recipe<C> can tell which kinds have one.
template <class C>
struct kind {};

namespace detail_zoo {
template <class S, template <class> class C, class P>
C<S> fit_num(P params, const Table& data) {
    C<S> x(std::move(params));
    x.fit(data);
    return x;
}
}  // namespace detail_zoo

#define ZOO_NUMERIC(Type, params, data)                                                                 \
    inline Type<double> recipe(kind<Type<double>>, const Table& t, const Table& c) {                     \
        (void)t; (void)c;                                                                                \
        return detail_zoo::fit_num<double, Type>(Type<double>::Params params, data);                     \
    }                                                                                                    \
    inline Type<float> recipe(kind<Type<float>>, const Table& t, const Table& c) {                       \
        (void)t; (void)c;                                                                                \
        return detail_zoo::fit_num<float, Type>(Type<float>::Params params, data);                       \
    }

ZOO_NUMERIC(StandardScaler, ({.columns = numeric_cols}), t)
ZOO_NUMERIC(MinMaxScaler, ({.columns = numeric_cols, .feature_range = {-1.0, 2.0}, .clip = true}), t)
ZOO_NUMERIC(MaxAbsScaler, ({.columns = numeric_cols}), t)
ZOO_NUMERIC(RobustScaler, ({.columns = numeric_cols, .quantile_range = {10.0, 90.0}}), t)
ZOO_NUMERIC(Normalizer, ({.columns = {"bill_length_mm", "bill_depth_mm"}, .norm = Norm::l1}), c)
ZOO_NUMERIC(Binarizer, ({.columns = {"bill_depth_mm"}, .threshold = 17.0}), c)
ZOO_NUMERIC(SimpleImputer, ({.columns = numeric_cols, .strategy = ImputeStrategy::median, .add_indicator = true}), t)
ZOO_NUMERIC(MissingIndicator, ({.columns = numeric_cols, .features = MissingFeatures::all, .error_on_new = false}), t)
ZOO_NUMERIC(EndTailImputer, ({.columns = numeric_cols, .imputation_method = EndTailMethod::iqr, .tail = EndTailSide::left}), t)
ZOO_NUMERIC(LogTransformer, ({.columns = numeric_cols, .base = LogBase::ten}), c)
ZOO_NUMERIC(PowerTransformer, ({.columns = numeric_cols}), c)
ZOO_NUMERIC(QuantileTransformer, ({.columns = numeric_cols, .n_quantiles = 50, .output_distribution = QuantileOutput::normal}), c)
ZOO_NUMERIC(CyclicalFeatures, ({.columns = {"flipper_length_mm"}}), c)
ZOO_NUMERIC(KBinsDiscretizer, ({.columns = numeric_cols, .n_bins = 4}), c)
ZOO_NUMERIC(ArbitraryDiscretiser, ({.columns = {"body_mass_g"}, .binning_dict = {{"body_mass_g", {2000.0, 3500.0, 4500.0, 7000.0}}}}), c)
ZOO_NUMERIC(Winsorizer, ({.columns = numeric_cols, .capping_method = CappingMethod::iqr, .tail = Tail::both}), c)
ZOO_NUMERIC(ArbitraryOutlierCapper, ({.columns = {"body_mass_g"}, .max_capping_dict = {{"body_mass_g", 5000.0}}, .min_capping_dict = {{"body_mass_g", 3000.0}}}), c)
ZOO_NUMERIC(PolynomialFeatures, ({.columns = {"bill_length_mm", "bill_depth_mm"}, .degree = 2}), c)
ZOO_NUMERIC(MathFeatures, ({.columns = numeric_cols, .func = {MathFunc::sum, MathFunc::std}, .missing_values = MissingValues::ignore}), t)
ZOO_NUMERIC(RelativeFeatures, ({.columns = {"bill_length_mm", "bill_depth_mm"}, .reference = {"body_mass_g"}, .func = {RelativeFunc::div, RelativeFunc::sub}}), t)
ZOO_NUMERIC(SplineTransformer, ({.columns = {"bill_length_mm", "flipper_length_mm"}, .n_knots = 4, .knots = SplineKnots::quantile}), c)
#undef ZOO_NUMERIC

inline OneHotEncoder recipe(kind<OneHotEncoder>, const Table& t, const Table&) {
    OneHotEncoder e({.columns = categorical_cols, .handle_unknown = HandleUnknown::ignore});
    e.fit(t);
    return e;
}
inline OrdinalEncoder recipe(kind<OrdinalEncoder>, const Table& t, const Table&) {
    OrdinalEncoder e({.columns = categorical_cols, .handle_unknown = HandleUnknown::use_encoded_value, .unknown_value = -1.0});
    e.fit(t);
    return e;
}
inline CountFrequencyEncoder recipe(kind<CountFrequencyEncoder>, const Table&, const Table& c) {
    CountFrequencyEncoder e({.columns = categorical_cols, .encoding_method = EncodingMethod::frequency});
    e.fit(c);
    return e;
}
inline RareLabelEncoder recipe(kind<RareLabelEncoder>, const Table&, const Table& c) {
    RareLabelEncoder e({.columns = {"island"}, .tol = 0.2, .n_categories = 2});
    e.fit(c);
    return e;
}
inline HashingEncoder recipe(kind<HashingEncoder>, const Table& t, const Table&) {
    HashingEncoder e({.columns = {"island", "sex"}, .n_components = 5, .alternate_sign = true});
    e.fit(t);
    return e;
}
inline CategoricalImputer recipe(kind<CategoricalImputer>, const Table& t, const Table&) {
    CategoricalImputer e({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent});
    e.fit(t);
    return e;
}
inline TargetEncoder recipe(kind<TargetEncoder>, const Table&, const Table& c) {
    TargetEncoder e({.columns = {"island", "sex"}, .cv = 3, .seed = 7});
    e.fit(c, target(c));
    return e;
}
// A second TargetEncoder, multiclass (its own golden artifact and fuzz seed, beside the
// kind's recipe): fitted on every row, so sex's missing values get their encodings.
inline TargetEncoder multiclass_target_encoder(const Table& t) {
    TargetEncoder e({.columns = {"island", "sex"}, .target_type = TargetType::multiclass, .cv = 3, .seed = 7});
    e.fit(t, species_class(t));
    return e;
}
inline WoEEncoder recipe(kind<WoEEncoder>, const Table&, const Table& c) {
    WoEEncoder e({.columns = {"sex"}});
    e.fit(c, target(c));
    return e;
}
inline RandomSampleImputer recipe(kind<RandomSampleImputer>, const Table& t, const Table&) {
    RandomSampleImputer e({.columns = {"bill_length_mm", "sex"}, .variables_seed = {"island"},
                           .seeding_method = SeedingMethod::observation, .seed = 11});
    e.fit(t);
    return e;
}

// select/: each recipe drops something, so the artifacts hold a real decision.
// 'sex' is 50.5% male among its known values: constant under tol 0.5, missing ignored.
inline DropConstantFeatures recipe(kind<DropConstantFeatures>, const Table& t, const Table&) {
    DropConstantFeatures e({.columns = {"species", "island", "sex", "year"}, .tol = 0.5, .missing_values = MissingValues::ignore});
    e.fit(t);
    return e;
}
// Fitted on a copy of the data whose 'sex' repeats 'island' (penguins has no duplicate
// columns), so 'sex' is dropped; it transforms the real table.
inline DropDuplicateFeatures recipe(kind<DropDuplicateFeatures>, const Table& t, const Table&) {
    Table fit = t;
    fit.set_categorical("sex", t.categorical("island"));
    DropDuplicateFeatures e({.columns = {"island", "sex", "bill_length_mm", "flipper_length_mm"}});
    e.fit(fit);
    return e;
}
// body_mass_g correlates 0.87 with flipper_length_mm.
inline DropCorrelatedFeatures recipe(kind<DropCorrelatedFeatures>, const Table& t, const Table&) {
    DropCorrelatedFeatures e({.columns = numeric_cols});
    e.fit(t);
    return e;
}
// Biscoe (mostly Gentoo) against the other islands: every measurement drifts (PSI 0.68
// for bill length, about 4 for the others), so threshold 1 keeps bill length only;
// missing measurements are left out.
inline DropHighPSIFeatures recipe(kind<DropHighPSIFeatures>, const Table& t, const Table&) {
    DropHighPSIFeatures e({.columns = numeric_cols, .split_col = "island", .cut_off = std::vector<std::string>{"Biscoe"},
                           .threshold = 1.0, .missing_values = MissingValues::ignore});
    e.fit(t);
    return e;
}

// datetime/: both read dates with missing values, so missing values are ignored.
inline DatetimeFeatures recipe(kind<DatetimeFeatures>, const Table& t, const Table&) {
    DatetimeFeatures e({.columns = {"observed"}, .features_to_extract = {"all"}, .drop_original = false,
                        .missing_values = MissingValues::ignore});
    e.fit(with_dates(t));
    return e;
}
inline DatetimeSubtraction recipe(kind<DatetimeSubtraction>, const Table& t, const Table&) {
    DatetimeSubtraction e({.columns = {"recorded"}, .reference = {"observed"}, .output_unit = "h"});
    e.fit(with_dates(t));
    return e;
}

// The penguins pipeline of the README, fitted on all rows.
// The penguins rows of the island Biscoe: a live population with real drift.
inline Table biscoe_rows(const Table& t) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < t.num_rows(); ++i)
        if (t.category("island", i) == std::optional<std::string_view>("Biscoe")) rows.push_back(i);
    return t.rows(rows);
}
// Live rows for what a monitor counts beyond the profile: the Biscoe rows without 'sex'
// (absent), every tenth species one that fit never saw (unseen by the one-hot step).
inline Table biscoe_drifted(const Table& t) {
    Table live = biscoe_rows(t);
    live.remove("sex");
    std::vector<std::optional<std::string>> species;
    for (std::size_t i = 0; i < live.num_rows(); ++i)
        species.emplace_back(i % 10 == 0 ? std::string("Emperor") : std::string(*live.category("species", i)));
    live.set_categorical("species", species);
    return live;
}

inline Pipeline penguins_pipeline() {
    return Pipeline{}
        .add("impute", SimpleImputer<>({.columns = numeric_cols, .strategy = ImputeStrategy::median}))
        .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
        .add("onehot", OneHotEncoder({.columns = categorical_cols, .handle_unknown = HandleUnknown::ignore}))
        .add("scale", StandardScaler<>({.columns = numeric_cols}));
}
// The penguins pipeline with a serving policy: absent columns filled, extra ones dropped.
inline Pipeline penguins_policy_pipeline() {
    Pipeline p = penguins_pipeline();
    p.set_serving_policy({.missing_columns = MissingColumns::fill, .extra_columns = ExtraColumns::drop});
    return p;
}
// A request for it that lacks two columns (filled) and carries 'year' (dropped).
inline Table penguins_without_sex_and_mass(const Table& t) {
    Table r = t;
    r.remove("sex").remove("body_mass_g");
    return r;
}
// A longer pipeline touching more kinds, so pipeline artifacts exercise more loaders.
inline Pipeline wide_pipeline() {
    return Pipeline{}
        .add("tail", EndTailImputer<>({.columns = {"bill_length_mm", "bill_depth_mm"}}))
        .add("median", SimpleImputer<>({.columns = {"flipper_length_mm", "body_mass_g"}, .strategy = ImputeStrategy::median}))
        .add("cap", Winsorizer<>({.columns = {"body_mass_g"}, .capping_method = CappingMethod::iqr, .tail = Tail::both}))
        .add("power", PowerTransformer<>({.columns = {"body_mass_g"}}))
        .add("bins", KBinsDiscretizer<>({.columns = {"flipper_length_mm"}, .n_bins = 3, .encode = KBinsEncode::ordinal}))
        .add("rare", RareLabelEncoder({.columns = {"island"}, .tol = 0.2, .n_categories = 2, .missing_values = MissingValues::ignore}))
        .add("sex", CategoricalImputer({.columns = {"sex"}}))
        .add("count", CountFrequencyEncoder({.columns = {"island"}, .missing_values = MissingValues::ignore}))
        .add("ordinal", OrdinalEncoder({.columns = {"species", "sex"}, .handle_unknown = HandleUnknown::use_encoded_value,
                                        .unknown_value = -1.0}))
        .add("minmax", MinMaxScaler<>({.columns = {"bill_length_mm", "bill_depth_mm"}}));
}

// Exact bits of a table (names, types, raw double bits, strings), unlike
// Table::fingerprint, which identifies -0 and +0 and NaN payloads.
inline std::string output_hash(const Table& t) {
    std::string b;
    for (const auto& name : t.column_names()) {
        reprep::detail::append_le64(b, name.size());
        b += name;
        if (t.type(name) == ColumnType::datetime) {
            b.push_back('d');
            for (std::int64_t x : t.datetime(name)) reprep::detail::append_le64(b, static_cast<std::uint64_t>(x));
        } else if (t.type(name) == ColumnType::numeric) {
            b.push_back('n');
            for (double x : t.numeric(name)) {
                std::uint64_t u;
                std::memcpy(&u, &x, 8);
                reprep::detail::append_le64(b, u);
            }
        } else {
            b.push_back('c');
            for (std::size_t i = 0; i < t.num_rows(); ++i) {
                const auto v = t.category(name, i);
                b.push_back(v ? '1' : '0');
                if (v) {
                    reprep::detail::append_le64(b, v->size());
                    b += *v;
                }
            }
        }
    }
    return xxh3_128(b).hex();
}

// True when the zoo has a recipe for C (found by overload resolution, so declared above).
template <class C>
inline constexpr bool has_recipe = requires(const Table& t) {
    { recipe(kind<C>{}, t, t) } -> std::same_as<C>;
};

// A fitted instance of C on the penguins table `t` (all rows) and its complete rows `c`.
template <class C>
C make_fitted(const Table& t, const Table& c) {
    static_assert(has_recipe<C>, "no zoo recipe for this kind: add one to tests/fuzz/zoo.hpp");
    return recipe(kind<C>{}, t, c);
}

// Calls f.template operator()<C>() for every kind type C of ArtifactKinds that has a
// recipe. A kind without one is skipped here, so that everything else still builds and
// test_builtin_kinds names the missing recipe.
template <class F>
void for_each_kind(F&& f) {
    reprep::detail::for_each_type<ArtifactKinds>([&]<class C>() {
        if constexpr (has_recipe<C>) f.template operator()<C>();
    });
}

// A short file-name tag for a kind type: kind name plus "_f32" for float components.
template <class C>
std::string tag() {
    std::string s(C::kind_name());
    if constexpr (requires { typename C::Scalar; })
        if constexpr (std::is_same_v<typename C::Scalar, float>) s += "_f32";
    return s;
}

}  // namespace zoo
