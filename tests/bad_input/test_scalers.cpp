// Bad-input catalogue: scalers (StandardScaler, MinMaxScaler, MaxAbsScaler,
// RobustScaler, Normalizer, Binarizer).
#include "catalogue.hpp"

using namespace catalogue;

namespace {
// The cases every numeric scaler shares: empty data, Inf, wrong width, not fitted,
// NaN/Inf in transform, schema errors on tables.
template <class C>
void shared_cases(std::vector<Case>& v, const std::string& label, C proto, bool nan_in_fit_ok, bool nan_in_transform_ok,
                  bool inf_in_transform_ok) {
    using M = Matrix<double>;
    v.push_back(make(label + ": fit on 0 rows", "InvalidInput", "at least one of each", proto, M(0, 3),
                     [](C& c, const M& x) { c.fit(x); }));
    v.push_back(make(label + ": fit on 0 columns", "InvalidInput", "at least one of each", proto, M(5, 0),
                     [](C& c, const M& x) { c.fit(x); }));
    v.push_back(make(label + ": +Inf in fit", "InvalidInput", "infinite value in fit", proto, mat(kInf, 2, 1),
                     [](C& c, const M& x) { c.fit(x); }));
    v.push_back(make(label + ": -Inf in fit names column and row", "InvalidInput", "column 'x0', row 4", proto,
                     mat(-kInf, 4, 0), [](C& c, const M& x) { c.fit(x); }));
    if (!nan_in_fit_ok)
        v.push_back(make(label + ": NaN in fit", "InvalidInput", "NaN in fit", proto, mat(kNaN, 1, 2),
                         [](C& c, const M& x) { c.fit(x); }));
    const C fit_ok = fitted(proto, mat());
    const Eigen::Index n_out = fit_ok.transform(mat()).cols();
    v.push_back(make(label + ": transform with 4 columns, fit saw 3", "SchemaError", "fit saw 3", fit_ok,
                     std::make_tuple(mat(1.0, -1, -1, 6, 4), sentinel(6, n_out)),
                     [](C& c, std::tuple<M, M>& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    // The four scalers pass Inf through transform (Inf in, +-Inf or NaN out), where
    // scikit-learn 1.2 raises; recorded in docs/reliability.md.
    if (!inf_in_transform_ok)
        v.push_back(make(label + ": Inf in transform", "InvalidInput", "infinite value in transform", fit_ok,
                     std::make_tuple(mat(kInf, 3, 2), sentinel(6, n_out)),
                     [](C& c, std::tuple<M, M>& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    if (!nan_in_transform_ok)
        v.push_back(make(label + ": NaN in transform", "InvalidInput", "NaN in transform", fit_ok,
                         std::make_tuple(mat(kNaN, 5, 0), sentinel(6, n_out)),
                         [](C& c, std::tuple<M, M>& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    v.push_back(make(label + ": transform before fit", "NotFitted", "not fitted", proto, mat(),
                     [](C& c, const M& x) { (void)c.transform(x); }));
    // Tables: a selected column that is missing, or categorical.
    const std::vector<std::string> cols = {"bill_length_mm", "body_mass_g"};
    auto with_cols = proto;
    with_cols = C({.columns = cols});
    Table no_col = penguins().remove("body_mass_g");
    v.push_back(make(label + ": fit on a table without a selected column", "SchemaError", "body_mass_g", with_cols, no_col,
                     [](C& c, const Table& t) { c.fit(t); }));
    Table cat = complete();
    cat.remove("body_mass_g");
    cat.add_categorical("body_mass_g", cat.categorical("species"));
    v.push_back(make(label + ": fit on a categorical column", "SchemaError", "body_mass_g", with_cols, cat,
                     [](C& c, const Table& t) { c.fit(t); }));
    v.push_back(make(label + ": transform a table without a fitted column", "SchemaError", "body_mass_g",
                     fitted(with_cols, complete()), no_col, [](C& c, const Table& t) { (void)c.transform(t); }));
}
}  // namespace

TEST_CASE("scalers refuse bad input with a typed error and change nothing") {
    std::vector<Case> v;
    shared_cases(v, "StandardScaler", StandardScaler<>(), true, true, true);
    shared_cases(v, "MinMaxScaler", MinMaxScaler<>(), true, true, true);
    shared_cases(v, "MaxAbsScaler", MaxAbsScaler<>(), true, true, true);
    shared_cases(v, "RobustScaler", RobustScaler<>(), true, true, true);
    shared_cases(v, "Normalizer", Normalizer<>(), false, false, false);
    shared_cases(v, "Binarizer", Binarizer<>(), false, false, false);
    // Absurd parameters are refused in the constructor and name the field.
    using P = std::string;
    v.push_back(make_free("MinMaxScaler feature_range min == max", "InvalidParameter", "feature_range", P(),
                          [](const P&) { MinMaxScaler<>({.feature_range = {1.0, 1.0}}); }));
    v.push_back(make_free("MinMaxScaler feature_range min > max", "InvalidParameter", "feature_range", P(),
                          [](const P&) { MinMaxScaler<>({.feature_range = {2.0, -1.0}}); }));
    v.push_back(make_free("MinMaxScaler feature_range NaN", "InvalidParameter", "feature_range", P(),
                          [](const P&) { MinMaxScaler<>({.feature_range = {kNaN, 1.0}}); }));
    v.push_back(make_free("RobustScaler quantile_range reversed", "InvalidParameter", "quantile_range", P(),
                          [](const P&) { RobustScaler<>({.quantile_range = {75.0, 25.0}}); }));
    v.push_back(make_free("RobustScaler quantile_range beyond 100", "InvalidParameter", "quantile_range", P(),
                          [](const P&) { RobustScaler<>({.quantile_range = {25.0, 175.0}}); }));
    v.push_back(make_free("Normalizer unknown norm", "InvalidParameter", "norm", P(),
                          [](const P&) { Normalizer<>({.norm = static_cast<Norm>(9)}); }));
    v.push_back(make_free("Binarizer NaN threshold", "InvalidParameter", "threshold", P(),
                          [](const P&) { Binarizer<>({.threshold = kNaN}); }));
    run_catalogue(v);
}

TEST_CASE("scalers accept a single row and an all-NaN column where scikit-learn does") {
    const Matrix<double> one = mat(1.0, -1, -1, 1, 3);
    CHECK(StandardScaler<>().fit(one).transform(one).isZero());  // scale 1, centred
    CHECK(MinMaxScaler<>().fit(one).transform(one).isZero());    // zero range -> scale 1
    CHECK(MaxAbsScaler<>().fit(one).transform(one).isOnes());
    // An all-NaN column: statistics are NaN and transform passes NaN through.
    const Matrix<double> x = all_nan_column();
    const Matrix<double> z = StandardScaler<>().fit(x).transform(x);
    for (Eigen::Index i = 0; i < z.rows(); ++i) CHECK(std::isnan(z(i, 1)));
    CHECK(std::isfinite(z(0, 0)));
}
