// Bad-input catalogue: discretisers (KBinsDiscretizer, ArbitraryDiscretiser) and outlier
// cappers (Winsorizer, ArbitraryOutlierCapper).
#include "catalogue.hpp"

using namespace catalogue;

namespace {
using M = Matrix<double>;
using P = std::string;
using IO = std::tuple<M, M>;

// Edges / caps for every column of mat() (x0, x1, x2), so each component works on 3 columns.
ArbitraryDiscretiser<> discretiser() {
    return ArbitraryDiscretiser<>({.binning_dict = {{"x0", {0.0, 3.0, 20.0}}, {"x1", {0.0, 5.0, 20.0}}, {"x2", {0.0, 9.0, 20.0}}}});
}
ArbitraryOutlierCapper<> capper() {
    return ArbitraryOutlierCapper<>({.max_capping_dict = {{"x0", 4.0}, {"x2", 6.0}}, .min_capping_dict = {{"x1", 2.0}}});
}

// What all four share: empty data, wrong width, an output buffer of the wrong size, not
// fitted, and tables without (or with a mistyped) selected column, named with the component.
template <class C>
void shared_cases(std::vector<Case>& v, C proto, C with_cols, bool inf_in_fit_ok, bool nan_in_transform_ok) {
    const std::string label = C::component_name;
    v.push_back(make(label + ": fit on 0 rows", "InvalidInput", label + ": fit got 0 rows", proto, M(0, 3),
                     [](C& c, const M& x) { c.fit(x); }));
    if (!inf_in_fit_ok)
        v.push_back(make(label + ": +Inf in fit", "InvalidInput", label + ": column 'x1', row 2", proto, mat(kInf, 2, 1),
                         [](C& c, const M& x) { c.fit(x); }));
    const C fit_ok = fitted(proto, mat());
    const Eigen::Index n_out = fit_ok.transform(mat()).cols();
    v.push_back(make(label + ": transform with 4 columns, fit saw 3", "SchemaError", "fit saw 3", fit_ok,
                     IO(mat(1.0, -1, -1, 6, 4), sentinel(6, n_out)),
                     [](C& c, IO& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    v.push_back(make(label + ": output buffer one column short", "SchemaError", "output buffer", fit_ok,
                     IO(mat(), sentinel(6, n_out - 1)), [](C& c, IO& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    if (!nan_in_transform_ok)
        v.push_back(make(label + ": NaN in transform", "InvalidInput", label + ": column 'x0', row 5", fit_ok,
                         IO(mat(kNaN, 5, 0), sentinel(6, n_out)),
                         [](C& c, IO& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }));
    v.push_back(make(label + ": transform before fit", "NotFitted", "not fitted", proto, mat(),
                     [](C& c, const M& x) { (void)c.transform(x); }));
    Table no_col = penguins().remove("body_mass_g");
    v.push_back(make(label + ": fit on a table without a selected column", "SchemaError", label + ": column 'body_mass_g'",
                     with_cols, no_col, [](C& c, const Table& t) { c.fit(t); }));
    Table cat = complete().remove("body_mass_g");
    cat.add_categorical("body_mass_g", cat.categorical("species"));
    v.push_back(make(label + ": fit on a categorical column", "SchemaError", label + ": column 'body_mass_g'", with_cols, cat,
                     [](C& c, const Table& t) { c.fit(t); }));
    v.push_back(make(label + ": transform a column that became categorical", "SchemaError", label + ": column 'body_mass_g'",
                     fitted(with_cols, complete()), cat, [](C& c, const Table& t) { (void)c.transform(t); }));
}
}  // namespace

TEST_CASE("discretisers and outlier cappers refuse bad input with a typed error and change nothing") {
    std::vector<Case> v;
    const std::vector<std::string> cols = {"bill_length_mm", "body_mass_g"};
    shared_cases(v, KBinsDiscretizer<>(), KBinsDiscretizer<>({.columns = cols}), false, false);
    shared_cases(v, discretiser(),
                 ArbitraryDiscretiser<>({.columns = cols, .binning_dict = {{"body_mass_g", {0.0, 4000.0, 9000.0}}}}), true, true);
    shared_cases(v, Winsorizer<>(), Winsorizer<>({.columns = cols}), false, true);
    shared_cases(v, capper(), ArbitraryOutlierCapper<>({.columns = cols, .max_capping_dict = {{"body_mass_g", 5000.0}}}), true, true);

    // KBinsDiscretizer: NaN in fit, kmeans with fewer values than bins, a bad bin code.
    v.push_back(make("KBinsDiscretizer: NaN in fit", "InvalidInput", "KBinsDiscretizer: column 'x2', row 1", KBinsDiscretizer<>(),
                     mat(kNaN, 1, 2), [](KBinsDiscretizer<>& c, const M& x) { c.fit(x); }));
    v.push_back(make("KBinsDiscretizer: kmeans with 6 values for 7 bins", "InvalidInput", "column 'x0': kmeans needs at least n_bins = 7",
                     KBinsDiscretizer<>({.n_bins = 7, .strategy = KBinsStrategy::kmeans}), mat(),
                     [](KBinsDiscretizer<>& c, const M& x) { c.fit(x); }));
    const KBinsDiscretizer<> ordinal = fitted(KBinsDiscretizer<>({.n_bins = 3, .encode = KBinsEncode::ordinal}), mat());
    v.push_back(make("KBinsDiscretizer: inverse of a bin code out of range", "InvalidInput", "column 'x1', row 4: a bin code",
                     ordinal, [] { M y = M::Zero(6, 3); y(4, 1) = 7.0; return y; }(), [](KBinsDiscretizer<>& c, const M& y) { (void)c.inverse_transform(y); }));
    v.push_back(make("KBinsDiscretizer: an empty accumulator", "InvalidInput", "seen no data", KBinsDiscretizer<>(), P(),
                     [](KBinsDiscretizer<>& c, const P&) { c.fit(c.accumulator()); }));
    // ArbitraryDiscretiser / ArbitraryOutlierCapper: a key that names no fitted column.
    v.push_back(make("ArbitraryDiscretiser: edges for a column not fitted", "SchemaError", "column 'x7'",
                     ArbitraryDiscretiser<>({.binning_dict = {{"x7", {0.0, 1.0}}}}), mat(),
                     [](ArbitraryDiscretiser<>& c, const M& x) { c.fit(x); }));
    v.push_back(make("ArbitraryOutlierCapper: a cap for a column not fitted", "SchemaError", "column 'x7'",
                     ArbitraryOutlierCapper<>({.min_capping_dict = {{"x7", 0.0}}}), mat(),
                     [](ArbitraryOutlierCapper<>& c, const M& x) { c.fit(x); }));
    v.push_back(make("ArbitraryDiscretiser: Params::columns of another width", "SchemaError", "the matrix has 3",
                     ArbitraryDiscretiser<>({.columns = {"a", "b"}, .binning_dict = {{"a", {0.0, 1.0}}}}), mat(),
                     [](ArbitraryDiscretiser<>& c, const M& x) { c.fit(x); }));
    // Winsorizer: accumulator of another method (InvalidInput, as every accumulator settings mismatch).
    v.push_back(make("Winsorizer: accumulator of another capping_method", "InvalidInput", "another capping_method",
                     Winsorizer<>(), P(), [](Winsorizer<>& c, const P&) {
                         auto acc = Winsorizer<>({.capping_method = CappingMethod::iqr}).accumulator();
                         acc.update(mat());
                         c.fit(acc);
                     }));

    // Absurd parameters, refused in the constructor or from_state naming the field.
    auto param = [&](std::string name, const char* field, auto build) {
        v.push_back(make_free(std::move(name), "InvalidParameter", field, P(), [build](const P&) { build(); }));
    };
    for (int n : {1, 0, -3, 65537, std::numeric_limits<int>::max()})
        param("KBinsDiscretizer n_bins " + std::to_string(n), "n_bins", [n] { KBinsDiscretizer<>({.n_bins = n}); });
    param("KBinsDiscretizer unknown encode", "encode", [] { KBinsDiscretizer<>({.encode = static_cast<KBinsEncode>(5)}); });
    param("KBinsDiscretizer unknown strategy", "strategy", [] { KBinsDiscretizer<>({.strategy = static_cast<KBinsStrategy>(5)}); });
    param("KBinsDiscretizer from_state unsorted edges", "from_state", [] { (void)KBinsDiscretizer<>::from_state({{0.0, 2.0, 1.0}}); });
    param("KBinsDiscretizer from_state one edge", "from_state", [] { (void)KBinsDiscretizer<>::from_state({{0.0}}); });
    using E = std::vector<double>;
    for (const E& e : {E{3.0, 1.0, 2.0}, E{0.0, kNaN, 2.0}, E{0.0, 1.0, 1.0}, E{1.0}, E{}})
        param("ArbitraryDiscretiser edges " + std::to_string(e.size()), "binning_dict",
              [e] { ArbitraryDiscretiser<>({.binning_dict = {{"x0", e}}}); });
    param("ArbitraryDiscretiser empty binning_dict", "binning_dict", [] { ArbitraryDiscretiser<>(ArbitraryDiscretiser<>::Params{}); });
    param("ArbitraryDiscretiser from_state unsorted", "binning_dict", [] { (void)ArbitraryDiscretiser<>::from_state({{2.0, 1.0}}); });
    for (double f : {0.0, -1.0, kNaN, kInf})
        param("Winsorizer fold " + std::to_string(f), "fold", [f] { Winsorizer<>({.fold = f}); });
    param("Winsorizer quantiles fold 0.25", "fold", [] { Winsorizer<>({.capping_method = CappingMethod::quantiles, .fold = 0.25}); });
    param("Winsorizer unknown tail", "tail", [] { Winsorizer<>({.tail = static_cast<Tail>(3)}); });
    param("Winsorizer unknown capping_method", "capping_method",
          [] { Winsorizer<>({.capping_method = static_cast<CappingMethod>(3)}); });
    param("Winsorizer from_state left above right", "from_state", [] { (void)Winsorizer<>::from_state({1.0}, {2.0}); });
    param("Winsorizer from_state of unequal lengths", "from_state", [] { (void)Winsorizer<>::from_state({1.0, 2.0}, {0.0}); });
    param("ArbitraryOutlierCapper min above max", "min_capping_dict",
          [] { ArbitraryOutlierCapper<>({.max_capping_dict = {{"x0", 1.0}}, .min_capping_dict = {{"x0", 2.0}}}); });
    param("ArbitraryOutlierCapper NaN cap", "max_capping_dict", [] { ArbitraryOutlierCapper<>({.max_capping_dict = {{"x0", kNaN}}}); });
    param("ArbitraryOutlierCapper no caps", "max_capping_dict", [] { ArbitraryOutlierCapper<>(ArbitraryOutlierCapper<>::Params{}); });
    param("ArbitraryOutlierCapper from_state min above max", "from_state",
          [] { (void)ArbitraryOutlierCapper<>::from_state({1.0}, {2.0}); });
    param("ArbitraryOutlierCapper from_state NaN", "from_state", [] { (void)ArbitraryOutlierCapper<>::from_state({kNaN}, {0.0}); });
    run_catalogue(v);
}

TEST_CASE("discretisers and cappers accept a single row, NaN and Inf where the reference libraries do") {
    const M one = mat(1.0, -1, -1, 1, 3);
    // A constant column is one bin [-Inf, Inf] (scikit-learn warns and does the same).
    KBinsDiscretizer<> k({.encode = KBinsEncode::ordinal});
    CHECK(k.fit(one).transform(one).isZero());
    CHECK(k.n_bins_fitted() == std::vector<int>{1, 1, 1});
    // ArbitraryDiscretiser: NaN stays NaN; Inf falls in the outer bins (pd.cut would give NaN).
    const auto d = fitted(discretiser(), mat());
    const M b = d.transform(mat(kNaN, 0, 0));
    CHECK(std::isnan(b(0, 0)));
    CHECK(d.transform(mat(kInf, 1, 1))(1, 1) == 1.0);
    CHECK(d.transform(mat(-kInf, 1, 1))(1, 1) == 0.0);
    // Winsorizer: one row (std with ddof = 1 is NaN) and an all-NaN column give NaN caps,
    // which cap nothing; NaN passes through, Inf is capped.
    CHECK(std::isnan(Winsorizer<>().fit(one).right_tail_caps()[0]));
    Winsorizer<> w({.capping_method = CappingMethod::iqr, .tail = Tail::both});
    const M x = all_nan_column();
    const M y = w.fit(x).transform(x);
    CHECK(std::isnan(w.right_tail_caps()[1]));
    CHECK(y.col(1).array().isNaN().all());
    CHECK(y.col(0) == x.col(0));
    CHECK(w.transform(mat(kInf, 0, 0))(0, 0) == w.right_tail_caps()[0]);
    // ArbitraryOutlierCapper caps Inf like any value; equal min and max caps are allowed.
    CHECK(fitted(capper(), mat()).transform(mat(kInf, 0, 0))(0, 0) == 4.0);
    CHECK(ArbitraryOutlierCapper<>({.max_capping_dict = {{"x0", 2.0}}, .min_capping_dict = {{"x0", 2.0}}}).fit(mat()).transform(mat()).col(0).isConstant(2.0));
    // Winsorizer::from_state accepts NaN caps, as a fit on one row produces them.
    CHECK(std::isnan(Winsorizer<>::from_state({kNaN}, {kNaN}).transform(M::Constant(1, 1, kNaN))(0, 0)));
}
