// Bad-input catalogue: transforms (LogTransformer, PowerTransformer,
// QuantileTransformer, CyclicalFeatures).
#include "catalogue.hpp"

using namespace catalogue;

namespace {
using M = Matrix<double>;
using P = std::string;

void transform_into(auto& c, std::tuple<M, M>& io) { c.transform_into(std::get<0>(io), std::get<1>(io)); }

// What every transform shares: empty data, Inf in fit and in transform (named by
// column and row), wrong width, a short output buffer, not fitted, and tables without
// (or with a mistyped) selected column. NaN is allowed in fit and transform by all four.
template <class C>
void shared_cases(std::vector<Case>& v, const std::string& label, C proto) {
    v.push_back(make(label + ": fit on 0 rows", "InvalidInput", "at least one of each", proto, M(0, 3),
                     [](C& c, const M& x) { c.fit(x); }));
    v.push_back(make(label + ": fit on 0 columns", "InvalidInput", "at least one of each", proto, M(5, 0),
                     [](C& c, const M& x) { c.fit(x); }));
    v.push_back(make(label + ": +Inf in fit", "InvalidInput", std::string(C::component_name) + ": column 'x1', row 2", proto, mat(kInf, 2, 1),
                     [](C& c, const M& x) { c.fit(x); }));
    v.push_back(make(label + ": -Inf in fit after a NaN", "InvalidInput", "infinite value in fit", proto,
                     [] { M m = mat(-kInf, 4, 0); m(1, 0) = kNaN; return m; }(), [](C& c, const M& x) { c.fit(x); }));
    const C fit_ok = fitted(proto, mat());
    const Eigen::Index n_out = fit_ok.transform(mat()).cols();
    v.push_back(make(label + ": transform with 4 columns, fit saw 3", "SchemaError", "fit saw 3", fit_ok,
                     std::make_tuple(mat(1.0, -1, -1, 6, 4), sentinel(6, n_out)), [](C& c, auto& io) { transform_into(c, io); }));
    v.push_back(make(label + ": output buffer one column short", "SchemaError", "output buffer", fit_ok,
                     std::make_tuple(mat(), sentinel(6, n_out - 1)), [](C& c, auto& io) { transform_into(c, io); }));
    v.push_back(make(label + ": +Inf in transform", "InvalidInput", std::string(C::component_name) + ": column 'x2', row 3", fit_ok,
                     std::make_tuple(mat(kInf, 3, 2), sentinel(6, n_out)), [](C& c, auto& io) { transform_into(c, io); }));
    v.push_back(make(label + ": -Inf in transform", "InvalidInput", "infinite value in transform", fit_ok,
                     std::make_tuple(mat(-kInf, 0, 0), sentinel(6, n_out)), [](C& c, auto& io) { transform_into(c, io); }));
    v.push_back(make(label + ": transform before fit", "NotFitted", "not fitted", proto, mat(),
                     [](C& c, const M& x) { (void)c.transform(x); }));
    const C with_cols({.columns = {"bill_length_mm", "body_mass_g"}});
    Table no_col = penguins().remove("body_mass_g");
    v.push_back(make(label + ": fit on a table without a selected column", "SchemaError", "body_mass_g", with_cols, no_col,
                     [](C& c, const Table& t) { c.fit(t); }));
    Table cat = penguins().remove("body_mass_g");
    cat.add_categorical("body_mass_g", cat.categorical("species"));
    v.push_back(make(label + ": fit on a categorical column", "SchemaError", "body_mass_g", with_cols, cat,
                     [](C& c, const Table& t) { c.fit(t); }));
    v.push_back(make(label + ": transform a table without a fitted column", "SchemaError", "body_mass_g",
                     fitted(with_cols, penguins()), no_col, [](C& c, const Table& t) { (void)c.transform(t); }));
}

// A 6x3 matrix whose column 1 is `v` everywhere.
M column_of(double v) {
    M m = mat();
    m.col(1).setConstant(v);
    return m;
}
}  // namespace

TEST_CASE("transforms refuse bad input with a typed error and change nothing") {
    std::vector<Case> v;
    using Log = LogTransformer<>;
    using Pow = PowerTransformer<>;
    using Qt = QuantileTransformer<>;
    using Cyc = CyclicalFeatures<>;
    shared_cases(v, "LogTransformer", Log());
    shared_cases(v, "PowerTransformer", Pow());
    shared_cases(v, "PowerTransformer (Box-Cox)", Pow({.method = PowerMethod::box_cox}));
    shared_cases(v, "QuantileTransformer", Qt({.n_quantiles = 4}));
    shared_cases(v, "CyclicalFeatures", Cyc());

    // An output named like a column the step does not transform would replace it silently.
    v.push_back(make("CyclicalFeatures: an output named like a passthrough column", "SchemaError",
                     "CyclicalFeatures: column 'x_sin': its output column 'x_sin' would overwrite",
                     fitted(Cyc({.columns = {"x"}}), Table{}.add_numeric("x", {1.0, 2.0})),
                     Table{}.add_numeric("x", {1.0, 2.0}).add_numeric("x_sin", {5.0, 6.0}),
                     [](Cyc& c, const Table& t) { (void)c.transform(t); }));

    // Log of values <= 0: refused in fit and transform, naming column and row.
    for (double x : {0.0, -3.0})
        v.push_back(make("LogTransformer: fit on " + std::to_string(x), "InvalidInput", "column 'x1', row 2", Log(),
                         mat(x, 2, 1), [](Log& c, const M& m) { c.fit(m); }));
    const Log log_ok = fitted(Log(), mat());
    for (double x : {0.0, -1e-300})
        v.push_back(make("LogTransformer: transform " + std::to_string(x), "InvalidInput", "LogTransformer: column 'x0', row 5",
                         log_ok, std::make_tuple(mat(x, 5, 0), sentinel(6, 3)), [](Log& c, auto& io) { transform_into(c, io); }));
    v.push_back(make("LogTransformer base 10: transform with x + C = 0", "InvalidInput", "log is undefined",
                     fitted(Log({.base = LogBase::ten, .C = 2.0}), mat()), std::make_tuple(mat(-2.0, 1, 2), sentinel(6, 3)),
                     [](Log& c, auto& io) { transform_into(c, io); }));
    // 'auto' fits C from the training minimum; a smaller value later is still refused.
    // Its fix is for a C that is already automatic(): suggesting it again (C = 'auto') would repeat the problem.
    v.push_back(with_message(make("LogTransformer auto: transform below the training minimum", "InvalidInput",
                                  "column 'x1', row 0", fitted(Log({.C = LogOffset::automatic()}), mat(-4.0, 3, 1)),
                                  std::make_tuple(mat(-9.0, 0, 1), sentinel(6, 3)), [](Log& c, auto& io) { transform_into(c, io); }),
                             /*absent=*/"C = 'auto'", /*once=*/"below the training minimum"));
    // One record through transform_row: no batch, so no "row 0".
    v.push_back(with_message(make("LogTransformer auto: transform_row below the training minimum", "InvalidInput",
                                  "LogTransformer: column 'x1': in transform",
                                  fitted(Log({.C = LogOffset::automatic()}), mat(-4.0, 3, 1)),
                                  std::make_tuple(std::vector<double>{1.0, -9.0, 1.0}, std::vector<double>(3, 7.0)),
                                  [](Log& c, auto& io) { c.transform_row(std::span<const double>(std::get<0>(io)),
                                                                         std::span<double>(std::get<1>(io))); }),
                             /*absent=*/"row 0"));
    // A fixed C: the fix offers a larger C or automatic().
    v.push_back(make("LogTransformer fixed C: transform with x + C <= 0", "InvalidInput",
                     "Fix: use a larger C, or C = 'auto' (LogOffset::automatic() in C++)", fitted(Log({.C = 2.0}), mat()),
                     std::make_tuple(mat(-5.0, 1, 2), sentinel(6, 3)), [](Log& c, auto& io) { transform_into(c, io); }));
    v.push_back(make("LogTransformer: fit(acc) on a non-positive column names it", "InvalidInput", "column 'x2'", Log(), P(),
                     [](Log& c, const P&) { auto acc = c.accumulator(); acc.update(mat(-1.0, 0, 2)); c.fit(acc); }));
    v.push_back(make("LogTransformer: inverse with 2 columns", "SchemaError", "fit saw 3", log_ok, mat(1.0, -1, -1, 6, 2),
                     [](Log& c, const M& y) { (void)c.inverse_transform(y); }));
    for (double C : {kNaN, kInf})
        v.push_back(make_free("LogTransformer C = " + std::to_string(C), "InvalidParameter", "C must be finite", P(),
                              [C](const P&) { Log({.C = C}); }));
    v.push_back(make_free("LogTransformer unknown base", "InvalidParameter", "base", P(),
                          [](const P&) { Log({.base = static_cast<LogBase>(3)}); }));
    v.push_back(make_free("LogTransformer from_state with a NaN C", "InvalidParameter", "every C must be finite", P(),
                          [](const P&) { (void)Log::from_state({1.0, kNaN}); }));

    // Box-Cox on values <= 0, in fit and transform; a constant or all-NaN column; overflow.
    const Pow bc({.method = PowerMethod::box_cox});
    for (double x : {0.0, -2.5, -0.0})
        v.push_back(make("Box-Cox: fit on " + std::to_string(x), "InvalidInput", "PowerTransformer: column 'x1', row 4", bc,
                         mat(x, 4, 1), [](Pow& c, const M& m) { c.fit(m); }));
    v.push_back(make("Box-Cox: transform 0", "InvalidInput", "column 'x2', row 1", fitted(bc, mat()),
                     std::make_tuple(mat(0.0, 1, 2), sentinel(6, 3)), [](Pow& c, auto& io) { transform_into(c, io); }));
    v.push_back(make("Box-Cox: a constant column", "InvalidInput", "column 'x1': Box-Cox cannot fit a constant column", bc,
                     column_of(2.0), [](Pow& c, const M& m) { c.fit(m); }));
    v.push_back(make("Box-Cox: a single row (constant)", "InvalidInput", "constant column", bc, mat(1.0, -1, -1, 1, 3),
                     [](Pow& c, const M& m) { c.fit(m); }));
    for (auto method : {PowerMethod::yeo_johnson, PowerMethod::box_cox})
        v.push_back(make("PowerTransformer: an all-NaN column", "InvalidInput", "column 'x1': the column holds only NaN",
                         Pow({.method = method}), all_nan_column(), [](Pow& c, const M& m) { c.fit(m); }));
    v.push_back(make("Yeo-Johnson: values that overflow the transform", "InvalidInput", "column 'x1', row 0: the power transform overflows",
                     Pow(), [] { M m = mat(1e300, 0, 1); m(1, 1) = -1e300; return m; }(), [](Pow& c, const M& m) { c.fit(m); }));
    v.push_back(make("Box-Cox: values that overflow the transform", "InvalidInput", "column 'x1', row 0: the power transform overflows", bc,
                     [] { M m = mat(1e300, 0, 1); m(1, 1) = 1e-300; return m; }(), [](Pow& c, const M& m) { c.fit(m); }));
    v.push_back(make_free("PowerTransformer unknown method", "InvalidParameter", "method", P(),
                          [](const P&) { Pow({.method = static_cast<PowerMethod>(2)}); }));
    v.push_back(make_free("PowerTransformer from_state with an Inf lambda", "InvalidParameter", "lambda", P(),
                          [](const P&) { (void)Pow::from_state({kInf}, {0.0}, {1.0}); }));
    v.push_back(make_free("PowerTransformer from_state without scale", "InvalidParameter", "from_state", P(),
                          [](const P&) { (void)Pow::from_state({1.0}, {0.0}, {}); }));

    // QuantileTransformer: n_quantiles < 1 (scikit-learn's rule), unknown output, bad state.
    for (std::int64_t n : {std::int64_t{0}, std::int64_t{-1}, std::numeric_limits<std::int64_t>::min()})
        v.push_back(make_free("QuantileTransformer n_quantiles = " + std::to_string(n), "InvalidParameter",
                              "n_quantiles must be >= 1, got " + std::to_string(n), P(), [n](const P&) { Qt({.n_quantiles = n}); }));
    // A parameter error names the parameter as one, not as a column of the data.
    v.push_back(with_message(make_free("QuantileTransformer n_quantiles: named as a parameter", "InvalidParameter",
                                       "QuantileTransformer: parameter 'n_quantiles': ", P(),
                                       [](const P&) { Qt({.n_quantiles = 0}); }),
                             /*absent=*/"column '"));
    v.push_back(make_free("QuantileTransformer unknown output", "InvalidParameter", "output_distribution", P(),
                          [](const P&) { Qt({.output_distribution = static_cast<QuantileOutput>(2)}); }));
    v.push_back(make_free("QuantileTransformer from_state decreasing", "InvalidParameter", "non-decreasing", P(),
                          [](const P&) { (void)Qt::from_state({{1.0, 3.0, 2.0}}); }));
    v.push_back(make_free("QuantileTransformer from_state with Inf", "InvalidParameter", "finite", P(),
                          [](const P&) { (void)Qt::from_state({{1.0, kInf}}); }));
    v.push_back(make_free("QuantileTransformer from_state ragged", "InvalidParameter", "same number", P(),
                          [](const P&) { (void)Qt::from_state({{1.0, 2.0}, {1.0}}); }));
    v.push_back(make("QuantileTransformer: fit on an empty accumulator", "InvalidInput", "seen no data", Qt(), P(),
                     [](Qt& c, const P&) { c.fit(c.accumulator()); }));
    v.push_back(make("QuantileTransformer: accumulator chunks of different widths", "SchemaError", "a chunk has 2 columns",
                     Qt(), P(), [](Qt& c, const P&) {
                         auto acc = c.accumulator();
                         acc.update(mat());
                         acc.update(mat(1.0, -1, -1, 6, 2));
                         c.fit(acc);
                     }));

    // CyclicalFeatures: a period that is zero, NaN, Inf or so small that 2 pi / max overflows.
    for (double mx : {0.0, kNaN, kInf, 5e-324})
        v.push_back(make_free("CyclicalFeatures max_values " + std::to_string(mx), "InvalidParameter", "max_values[\"x0\"]", P(),
                              [mx](const P&) { Cyc({.max_values = {{"x0", mx}}}); }));
    for (double mx : {0.0, 5e-324})
        v.push_back(make("CyclicalFeatures: a fitted maximum of " + std::to_string(mx), "InvalidInput",
                         "CyclicalFeatures: column 'x1': the column's maximum", Cyc(),
                         [mx] { M m = column_of(-1.0); m(3, 1) = mx; return m; }(), [](Cyc& c, const M& m) { c.fit(m); }));
    v.push_back(make("CyclicalFeatures: an all-NaN column (no maximum)", "InvalidInput", "column 'x1'", Cyc(), all_nan_column(),
                     [](Cyc& c, const M& m) { c.fit(m); }));
    v.push_back(make("CyclicalFeatures: max_values without this column", "SchemaError", "column 'x2'",
                     Cyc({.max_values = {{"x0", 7.0}, {"x1", 7.0}}}), mat(), [](Cyc& c, const M& m) { c.fit(m); }));
    v.push_back(make("CyclicalFeatures: 2 column names for a 3-column matrix", "SchemaError", "Params::columns names 2",
                     Cyc({.columns = {"a", "b"}}), mat(), [](Cyc& c, const M& m) { c.fit(m); }));
    v.push_back(make_free("CyclicalFeatures from_state with a zero max", "InvalidParameter", "from_state", P(),
                          [](const P&) { (void)Cyc::from_state({24.0, 0.0}); }));
    run_catalogue(v);
}

TEST_CASE("transforms accept a single row, an all-NaN column and absurd n_quantiles as scikit-learn does") {
    const M one = mat(1.0, -1, -1, 1, 3);
    CHECK(LogTransformer<>().fit(one).transform(one).isApprox(one.array().log().matrix()));
    // Yeo-Johnson on one row: the variance is 0 at every lambda, the objective +Inf, and the
    // standardised output 0 (scale 1 for a constant column), as scikit-learn.
    CHECK(PowerTransformer<>().fit(one).transform(one).isZero());
    // One row: n_quantiles_ = 1, and the one training value maps to 0 (uniform).
    QuantileTransformer<> q1;
    CHECK(q1.fit(one).n_quantiles_fitted() == 1);
    CHECK(q1.transform(one).isZero());
    // n_quantiles far beyond the data is clamped to the number of rows (NaN rows count).
    QuantileTransformer<> qbig({.n_quantiles = std::numeric_limits<std::int64_t>::max()});
    const M x = all_nan_column();
    CHECK(qbig.fit(x).n_quantiles_fitted() == 6);
    const M qx = qbig.transform(x);
    CHECK(qx.col(1).array().isNaN().all());  // an all-NaN column has NaN quantiles: NaN out
    CHECK(qx(0, 0) == 0.0);
    CHECK(qx(5, 0) == 1.0);
    // LogTransformer and CyclicalFeatures keep NaN as NaN; 'auto' gives an all-NaN column C = 0.
    LogTransformer<> la({.C = LogOffset::automatic()});
    CHECK(la.fit(x).C()[1] == 0.0);
    CHECK(la.transform(x).col(1).array().isNaN().all());
    // A single row fits the period to that value: the row sits at angle 2 pi.
    const M c = CyclicalFeatures<>({.drop_original = true}).fit(one).transform(one);
    CHECK(c(0, 1) == doctest::Approx(1.0));
    CHECK(std::abs(c(0, 0)) < 1e-12);
}
