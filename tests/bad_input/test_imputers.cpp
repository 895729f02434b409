// Bad-input catalogue: imputers (SimpleImputer, MissingIndicator, EndTailImputer,
// CategoricalImputer, RandomSampleImputer) and the feature selectors (select/), which
// share RandomSampleImputer's mixed-row harness.
#include "catalogue.hpp"

using namespace catalogue;

namespace {
using M = Matrix<double>;
using P = std::string;
const std::string_view kSentinelText = "SENTINEL";

// What every numeric imputer shares: empty data, Inf in fit (named by column and row),
// wrong width, not fitted, and tables without (or with a mistyped) selected column.
template <class C>
void shared_cases(std::vector<Case>& v, const std::string& label, C proto, bool inf_in_transform_ok) {
    v.push_back(make(label + ": fit on 0 rows", "InvalidInput", "at least one of each", proto, M(0, 3),
                     [](C& c, const M& x) { c.fit(x); }));
    v.push_back(make(label + ": fit on 0 columns", "InvalidInput", "at least one of each", proto, M(5, 0),
                     [](C& c, const M& x) { c.fit(x); }));
    v.push_back(make(label + ": +Inf in fit", "InvalidInput", std::string(C::component_name) + ": column 'x1', row 2", proto, mat(kInf, 2, 1),
                     [](C& c, const M& x) { c.fit(x); }));
    v.push_back(make(label + ": -Inf in fit after a NaN", "InvalidInput", "infinite value in fit", proto,
                     [] { M m = mat(-kInf, 4, 0); m(1, 0) = kNaN; return m; }(), [](C& c, const M& x) { c.fit(x); }));
    // Fitted on data with a NaN in every column, so every column has an indicator.
    M with_nan = mat();
    for (Eigen::Index j = 0; j < 3; ++j) with_nan(j, j) = kNaN;
    const C fit_ok = fitted(proto, with_nan);
    const Eigen::Index n_out = fit_ok.transform(mat()).cols();
    v.push_back(make(label + ": transform with 4 columns, fit saw 3", "SchemaError", "fit saw 3", fit_ok,
                     std::make_tuple(mat(1.0, -1, -1, 6, 4), sentinel(6, n_out)),
                     [](C& c, std::tuple<M, M>& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    v.push_back(make(label + ": output buffer one column short", "SchemaError", "output buffer", fit_ok,
                     std::make_tuple(mat(), sentinel(6, n_out - 1)),
                     [](C& c, std::tuple<M, M>& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    if (!inf_in_transform_ok)
        v.push_back(make(label + ": Inf in transform", "InvalidInput", "column 'x2', row 3", fit_ok,
                         std::make_tuple(mat(kInf, 3, 2), sentinel(6, n_out)),
                         [](C& c, std::tuple<M, M>& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    v.push_back(make(label + ": transform before fit", "NotFitted", "not fitted", proto, mat(),
                     [](C& c, const M& x) { (void)c.transform(x); }));
    const C with_cols({.columns = {"bill_length_mm", "body_mass_g"}});
    Table no_col = penguins().remove("body_mass_g");
    v.push_back(make(label + ": fit on a table without a selected column", "SchemaError", "body_mass_g", with_cols, no_col,
                     [](C& c, const Table& t) { c.fit(t); }));
    Table cat = penguins().remove("body_mass_g");
    cat.add_categorical("body_mass_g", cat.categorical("species"));
    v.push_back(make(label + ": transform a table whose column became categorical", "SchemaError", "body_mass_g",
                     fitted(with_cols, penguins()), cat, [](C& c, const Table& t) { (void)c.transform(t); }));
}

Table cats(std::vector<std::optional<std::string>> a) {
    Table t;
    t.add_categorical("c", a);
    t.add_numeric("n", std::vector<double>(a.size(), 1.0));
    return t;
}
}  // namespace

TEST_CASE("numeric imputers refuse bad input with a typed error and change nothing") {
    std::vector<Case> v;
    shared_cases(v, "SimpleImputer", SimpleImputer<>({.add_indicator = true}), false);
    shared_cases(v, "MissingIndicator", MissingIndicator<>(), false);
    shared_cases(v, "EndTailImputer", EndTailImputer<>(), true);
    // MissingIndicator's error_on_new: a NaN where fit saw none, named before anything is written.
    v.push_back(make("MissingIndicator: NaN in a column without NaN in fit", "InvalidInput",
                     "MissingIndicator: column 'x0', row 3", fitted(MissingIndicator<>(), mat(kNaN, 0, 1)),
                     std::make_tuple(mat(kNaN, 3, 0), sentinel(6, 1)),
                     [](MissingIndicator<>& c, std::tuple<M, M>& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    // Accumulators: empty, or made for another strategy.
    v.push_back(make("SimpleImputer: fit on an empty accumulator", "InvalidInput", "seen no data", SimpleImputer<>(), P(),
                     [](SimpleImputer<>& c, const P&) { c.fit(c.accumulator()); }));
    v.push_back(make("SimpleImputer: accumulator of another strategy", "InvalidInput", "another strategy",
                     SimpleImputer<>(), P(), [](SimpleImputer<>& c, const P&) {
                         auto acc = SimpleImputer<>({.strategy = ImputeStrategy::median}).accumulator();
                         acc.update(mat());
                         c.fit(acc);
                     }));
    v.push_back(make("SimpleImputer: inverse without the indicator", "InvalidParameter", "add_indicator",
                     fitted(SimpleImputer<>(), mat()), mat(), [](SimpleImputer<>& c, const M& y) { (void)c.inverse_transform(y); }));
    v.push_back(make("EndTailImputer: accumulator of another method", "InvalidInput", "another imputation_method",
                     EndTailImputer<>(), P(), [](EndTailImputer<>& c, const P&) {
                         auto acc = EndTailImputer<>({.imputation_method = EndTailMethod::iqr}).accumulator();
                         acc.update(mat());
                         c.fit(acc);
                     }));
    // Absurd parameters, refused in the constructor (or from_state) naming the field.
    v.push_back(make_free("SimpleImputer unknown strategy", "InvalidParameter", "strategy", P(),
                          [](const P&) { SimpleImputer<>({.strategy = static_cast<ImputeStrategy>(9)}); }));
    v.push_back(make_free("SimpleImputer constant with NaN fill_value", "InvalidParameter", "fill_value", P(),
                          [](const P&) { SimpleImputer<>({.strategy = ImputeStrategy::constant, .fill_value = kNaN}); }));
    v.push_back(make_free("SimpleImputer from_state indicator beyond the columns", "InvalidParameter", "indicator_features",
                          P(), [](const P&) { (void)SimpleImputer<>::from_state({1.0, 2.0}, {2}); }));
    v.push_back(make_free("MissingIndicator unknown features", "InvalidParameter", "features", P(),
                          [](const P&) { MissingIndicator<>({.features = static_cast<MissingFeatures>(5)}); }));
    for (double fold : {0.0, -1.0, kNaN, kInf})
        v.push_back(make_free("EndTailImputer fold " + std::to_string(fold), "InvalidParameter", "fold", P(),
                              [fold](const P&) { EndTailImputer<>({.fold = fold}); }));
    v.push_back(make_free("EndTailImputer unknown method", "InvalidParameter", "imputation_method", P(),
                          [](const P&) { EndTailImputer<>({.imputation_method = static_cast<EndTailMethod>(3)}); }));
    v.push_back(make_free("EndTailImputer unknown tail", "InvalidParameter", "tail", P(),
                          [](const P&) { EndTailImputer<>({.tail = static_cast<EndTailSide>(2)}); }));
    run_catalogue(v);
}

TEST_CASE("table imputers refuse bad input with a typed error and change nothing") {
    std::vector<Case> v;
    using CI = CategoricalImputer;
    using RS = RandomSampleImputer;
    const CI frequent({.imputation_method = ImputationMethod::frequent});
    v.push_back(make("CategoricalImputer: fit on 0 rows", "InvalidInput", "fit got no rows", frequent, cats({}),
                     [](CI& c, const Table& t) { c.fit(t); }));
    v.push_back(make("CategoricalImputer: frequent on an all-missing column", "InvalidInput",
                     "CategoricalImputer: column 'c'", frequent, cats({std::nullopt, std::nullopt}),
                     [](CI& c, const Table& t) { c.fit(t); }));
    v.push_back(make("CategoricalImputer: a table without categorical columns", "SchemaError", "no categorical column",
                     frequent, Table{}.add_numeric("n", {1.0, 2.0}), [](CI& c, const Table& t) { c.fit(t); }));
    v.push_back(make("CategoricalImputer: a selected column that is numeric", "SchemaError", "'n'",
                     CI({.columns = {"n"}}), cats({"a"}), [](CI& c, const Table& t) { c.fit(t); }));
    const CI fit_ci = [] { CI c({.columns = {"c"}}); c.fit(cats({"a", std::nullopt})); return c; }();
    v.push_back(make("CategoricalImputer: transform without the fitted column", "SchemaError", "'c'", fit_ci,
                     Table{}.add_numeric("n", {1.0}), [](CI& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("CategoricalImputer: transform before fit", "NotFitted", "not fitted", CI(), cats({"a"}),
                     [](CI& c, const Table& t) { (void)c.transform(t); }));
    auto ci_row = [&](const char* name, const char* frag, std::size_t in, std::size_t out) {
        RowIO io{{}, {}, std::vector<std::optional<std::string_view>>(in), std::vector<std::optional<std::string_view>>(out, kSentinelText)};
        v.push_back(make(name, "SchemaError", frag, fit_ci, io,
                         [](CI& c, RowIO& r) { c.transform_row(r.texts, std::span(r.texts_out)); }));
    };
    ci_row("CategoricalImputer: a record of 2 values for 1 column", "the record holds 2", 2, 2);
    ci_row("CategoricalImputer: an output buffer of 2 for 1 column", "the output buffer holds 2", 1, 2);
    v.push_back(make_free("CategoricalImputer unknown imputation_method", "InvalidParameter", "imputation_method", P(),
                          [](const P&) { CI({.imputation_method = static_cast<ImputationMethod>(7)}); }));
    v.push_back(make_free("CategoricalImputer a column named twice", "InvalidParameter", "more than once", P(),
                          [](const P&) { CI({.columns = {"c", "c"}}); }));

    v.push_back(make("RandomSampleImputer: fit on 0 rows", "InvalidInput", "fit got no rows", RS(), cats({}),
                     [](RS& c, const Table& t) { c.fit(t); }));
    v.push_back(make("RandomSampleImputer: an all-missing categorical column", "InvalidInput",
                     "RandomSampleImputer: column 'c'", RS(), cats({std::nullopt}), [](RS& c, const Table& t) { c.fit(t); }));
    v.push_back(make("RandomSampleImputer: an all-NaN numeric column", "InvalidInput", "column 'x'", RS(),
                     Table{}.add_numeric("x", {kNaN, kNaN}), [](RS& c, const Table& t) { c.fit(t); }));
    v.push_back(make("RandomSampleImputer: fit without a selected column", "SchemaError", "'sex'",
                     RS({.columns = {"bill_length_mm", "sex"}}), penguins().remove("sex"),
                     [](RS& c, const Table& t) { c.fit(t); }));
    const RS fit_rs = fitted(RS({.columns = {"bill_length_mm", "sex"}, .variables_seed = {"island"},
                                 .seeding_method = SeedingMethod::observation}), penguins());
    Table mistyped = penguins().remove("sex");
    mistyped.add_numeric("sex", std::vector<double>(mistyped.num_rows(), 1.0));
    v.push_back(make("RandomSampleImputer: a column whose type changed", "SchemaError", "column 'sex'", fit_rs, mistyped,
                     [](RS& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("RandomSampleImputer: transform without a seed column", "SchemaError", "'island'", fit_rs,
                     penguins().remove("island"), [](RS& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("RandomSampleImputer: transform before fit", "NotFitted", "not fitted", RS(), penguins(),
                     [](RS& c, const Table& t) { (void)c.transform(t); }));
    RowIO short_row{{kNaN, kNaN}, {-12345.0, -12345.0, -12345.0}, {std::nullopt, std::nullopt}, {kSentinelText, kSentinelText, kSentinelText}};
    v.push_back(make("RandomSampleImputer: row spans of 2 for 3 columns", "SchemaError", "must each hold 3", fit_rs, short_row,
                     [](RS& c, RowIO& r) { c.transform_row(r.numbers, r.texts, r.numbers_out, std::span(r.texts_out)); }));
    v.push_back(make_free("RandomSampleImputer observation without seed columns", "InvalidParameter", "variables_seed", P(),
                          [](const P&) { RS({.seeding_method = SeedingMethod::observation}); }));
    v.push_back(make_free("RandomSampleImputer seed columns with general seeding", "InvalidParameter", "variables_seed", P(),
                          [](const P&) { RS({.variables_seed = {"island"}}); }));
    v.push_back(make_free("RandomSampleImputer unknown seeding_method", "InvalidParameter", "seeding_method", P(),
                          [](const P&) { RS({.seeding_method = static_cast<SeedingMethod>(4)}); }));
    run_catalogue(v);
}

// The feature selectors (select/) read numeric and categorical columns side by side like
// RandomSampleImputer, so their catalogue shares its row harness here.
TEST_CASE("feature selectors refuse bad input with a typed error and change nothing") {
    std::vector<Case> v;
    using DC = DropConstantFeatures;
    using DD = DropDuplicateFeatures;
    using DR = DropCorrelatedFeatures;
    v.push_back(make("DropConstantFeatures: fit on 0 rows", "InvalidInput", "fit got no rows", DC(), cats({}),
                     [](DC& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropConstantFeatures: a missing value under raise", "InvalidInput",
                     "DropConstantFeatures: column 'sex', row 3", DC({.columns = {"island", "sex"}}), penguins(),
                     [](DC& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropConstantFeatures: every column constant", "InvalidInput", "none would be left", DC(),
                     Table{}.add_numeric("k", {2.0, 2.0}).add_categorical("s", {"a", "a"}), [](DC& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropConstantFeatures: fit without a selected column", "SchemaError", "'sex'", DC({.columns = {"sex"}}),
                     penguins().remove("sex"), [](DC& c, const Table& t) { c.fit(t); }));
    const DC fit_dc = fitted(DC({.columns = {"island", "sex", "year"}, .tol = 0.5, .missing_values = MissingValues::ignore}), penguins());
    Table mistyped = penguins().remove("sex");
    mistyped.add_numeric("sex", std::vector<double>(mistyped.num_rows(), 1.0));
    v.push_back(make("DropConstantFeatures: a column whose type changed", "SchemaError", "column 'sex'", fit_dc, mistyped,
                     [](DC& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("DropConstantFeatures: transform without a fitted column", "SchemaError", "'year'", fit_dc,
                     penguins().remove("year"), [](DC& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make("DropConstantFeatures: transform before fit", "NotFitted", "not fitted", DC(), penguins(),
                     [](DC& c, const Table& t) { (void)c.transform(t); }));
    RowIO short_row{{kNaN, kNaN}, {-12345.0, -12345.0}, {std::nullopt, std::nullopt}, {kSentinelText, kSentinelText}};
    v.push_back(make("DropConstantFeatures: row spans of 2 for 3 columns", "SchemaError", "must hold 3 inputs", fit_dc, short_row,
                     [](DC& c, RowIO& r) { c.transform_row(r.numbers, r.texts, r.numbers_out, std::span(r.texts_out)); }));
    v.push_back(make_free("DropConstantFeatures tol above 1", "InvalidParameter", "tol", P(), [](const P&) { DC({.tol = 1.25}); }));
    v.push_back(make_free("DropConstantFeatures unknown missing_values", "InvalidParameter", "missing_values", P(),
                          [](const P&) { DC({.missing_values = static_cast<MissingValues>(9)}); }));

    v.push_back(make("DropDuplicateFeatures: a missing value under raise", "InvalidInput",
                     "DropDuplicateFeatures: column 'bill_length_mm', row 3", DD({.missing_values = MissingValues::raise}),
                     penguins(), [](DD& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropDuplicateFeatures: a table without columns", "SchemaError", "no column to examine", DD(), Table{},
                     [](DD& c, const Table& t) { c.fit(t); }));
    const DD fit_dd = fitted(DD({.columns = {"island", "sex"}}), penguins());
    v.push_back(make("DropDuplicateFeatures: transform without a fitted column", "SchemaError", "'island'", fit_dd,
                     penguins().remove("island"), [](DD& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make_free("DropDuplicateFeatures missing_values include", "InvalidParameter", "missing_values", P(),
                          [](const P&) { DD({.missing_values = MissingValues::include}); }));

    v.push_back(make("DropCorrelatedFeatures: an infinite value", "InvalidInput", "DropCorrelatedFeatures: column 'b', row 1",
                     DR(), Table{}.add_numeric("a", {1.0, 2.0, 3.0}).add_numeric("b", {1.0, kInf, 2.0}),
                     [](DR& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropCorrelatedFeatures: a missing value under raise", "InvalidInput", "column 'bill_length_mm', row 3",
                     DR({.missing_values = MissingValues::raise}), penguins(), [](DR& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropCorrelatedFeatures: a categorical column named", "SchemaError", "'island'",
                     DR({.columns = {"island", "body_mass_g"}}), penguins(), [](DR& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropCorrelatedFeatures: a table without numeric columns", "SchemaError", "no numeric column", DR(),
                     Table{}.add_categorical("c", {"a", "b"}), [](DR& c, const Table& t) { c.fit(t); }));
    v.push_back(make_free("DropCorrelatedFeatures threshold NaN", "InvalidParameter", "threshold", P(),
                          [](const P&) { DR({.threshold = kNaN}); }));
    v.push_back(make_free("DropCorrelatedFeatures unknown method", "InvalidParameter", "method", P(),
                          [](const P&) { DR({.method = static_cast<CorrelationMethod>(3)}); }));

    using DP = DropHighPSIFeatures;
    const std::vector<std::string> biscoe = {"Biscoe"};
    const DP psi_island({.columns = {"bill_length_mm", "body_mass_g"}, .split_col = "island", .cut_off = biscoe});
    v.push_back(make("DropHighPSIFeatures: a missing value under raise", "InvalidInput",
                     "DropHighPSIFeatures: column 'bill_length_mm', row 3", psi_island, penguins(),
                     [](DP& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropHighPSIFeatures: a missing split value", "InvalidInput", "DropHighPSIFeatures: column 'sex', row 3",
                     DP({.columns = {"year"}, .split_col = "sex", .cut_off = std::vector<std::string>{"male"}}), penguins(),
                     [](DP& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropHighPSIFeatures: an infinite value", "InvalidInput", "DropHighPSIFeatures: column 'b', row 1",
                     DP({.split_col = "a", .bins = 2}),
                     Table{}.add_numeric("a", {1.0, 2.0, 3.0, 4.0}).add_numeric("b", {1.0, kInf, 2.0, 3.0}),
                     [](DP& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropHighPSIFeatures: fewer rows on a side than bins", "InvalidInput", "at least bins",
                     DP({.split_col = "year", .cut_off = 2007.0, .missing_values = MissingValues::ignore}),
                     penguins().rows(std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 200, 201}),
                     [](DP& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropHighPSIFeatures: a categorical split_col without a list", "SchemaError", "column 'island'",
                     DP({.split_col = "island", .missing_values = MissingValues::ignore}), penguins(),
                     [](DP& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropHighPSIFeatures: fit without the split column", "SchemaError", "'island'", psi_island,
                     penguins().remove("island"), [](DP& c, const Table& t) { c.fit(t); }));
    v.push_back(make("DropHighPSIFeatures: fit without split_col", "InvalidParameter", "split_col", DP(), penguins(),
                     [](DP& c, const Table& t) { c.fit(t); }));
    const DP fit_dp = fitted(DP({.columns = {"bill_length_mm", "body_mass_g"}, .split_col = "island", .cut_off = biscoe,
                                 .missing_values = MissingValues::ignore}),
                             penguins());
    v.push_back(make("DropHighPSIFeatures: transform without a fitted column", "SchemaError", "'bill_length_mm'", fit_dp,
                     penguins().remove("bill_length_mm"), [](DP& c, const Table& t) { (void)c.transform(t); }));
    v.push_back(make_free("DropHighPSIFeatures split_col among the columns", "InvalidParameter", "split_col", P(),
                          [](const P&) { DP({.columns = {"a", "t"}, .split_col = "t"}); }));
    v.push_back(make_free("DropHighPSIFeatures split_frac 0", "InvalidParameter", "split_frac", P(),
                          [](const P&) { DP({.split_col = "t", .split_frac = 0.0}); }));
    v.push_back(make_free("DropHighPSIFeatures bins 1", "InvalidParameter", "bins", P(),
                          [](const P&) { DP({.split_col = "t", .bins = 1}); }));
    v.push_back(make_free("DropHighPSIFeatures unknown strategy", "InvalidParameter", "strategy", P(),
                          [](const P&) { DP({.split_col = "t", .strategy = static_cast<PsiStrategy>(5)}); }));
    v.push_back(make_free("DropHighPSIFeatures missing_values include", "InvalidParameter", "missing_values", P(),
                          [](const P&) { DP({.split_col = "t", .missing_values = MissingValues::include}); }));
    run_catalogue(v);
}

TEST_CASE("imputers accept a single row and an all-NaN column as scikit-learn and feature-engine do") {
    const M one = mat(1.0, -1, -1, 1, 3);
    CHECK(SimpleImputer<>().fit(one).transform(one) == one);
    CHECK(MissingIndicator<>({.features = MissingFeatures::all}).fit(one).transform(one).isZero());
    // pandas' std of one value is NaN, so the gaussian end value is NaN (feature-engine's too).
    CHECK(std::isnan(EndTailImputer<>().fit(one).imputer_values()[0]));
    const M x = all_nan_column();
    // scikit-learn drops an all-NaN column (statistic NaN) unless keep_empty_features or constant.
    SimpleImputer<> mean;
    const M kept = mean.fit(x).transform(x);
    REQUIRE(kept.cols() == 2);
    CHECK((kept.col(0) == x.col(0) && kept.col(1) == x.col(2)));
    CHECK(std::isnan(mean.statistics()[1]));
    CHECK(SimpleImputer<>({.keep_empty_features = true}).fit(x).transform(x).col(1).isZero());
    CHECK((SimpleImputer<>({.strategy = ImputeStrategy::constant, .fill_value = 7}).fit(x).transform(x).col(1).array() == 7).all());
    CHECK(MissingIndicator<>().fit(x).transform(x).isOnes());
    // EndTailImputer: an all-NaN column has a NaN end value, so its NaN stay NaN.
    const M e = EndTailImputer<>().fit(x).transform(x);
    CHECK(e.col(1).array().isNaN().all());
    CHECK(e.col(0) == x.col(0));
    // EndTailImputer passes Inf through transform (feature-engine's imputers do not check it).
    CHECK(EndTailImputer<>().fit(mat()).transform(mat(kInf, 0, 0))(0, 0) == kInf);
    // CategoricalImputer (missing) keeps an all-missing column and fills it.
    const Table t = CategoricalImputer().fit_transform(cats({std::nullopt, std::nullopt}));
    CHECK(t.category("c", 1) == std::optional<std::string_view>("Missing"));
    // RandomSampleImputer on one training row draws that row's value.
    CHECK(RandomSampleImputer().fit(Table{}.add_numeric("x", {4.0})).transform(Table{}.add_numeric("x", {kNaN})).numeric("x")[0] == 4.0);
}
