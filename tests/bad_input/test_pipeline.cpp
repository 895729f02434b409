// Bad-input catalogue: Pipeline and its single-row RowPlan.
#include <cfenv>

#include "catalogue.hpp"

using namespace catalogue;

namespace {
Pipeline fitted_penguins() {
    auto p = zoo::penguins_pipeline();
    p.fit(penguins());
    return p;
}
std::vector<Cell> good_record(const Pipeline& p) {
    std::vector<Cell> r;
    for (const auto& c : p.input_schema()) r.push_back(c.type == ColumnType::numeric ? Cell::num(40.0) : Cell::cat("Adelie"));
    return r;
}
// A table of one numeric column.
Table column_x(std::vector<double> v) { return Table{}.add_numeric("x", std::move(v)); }
// A species column whose second row is a species fit never saw.
Table with_emperor() {
    Table t = penguins().rows(std::vector<std::size_t>{0, 1, 2});
    t.set_categorical("species", {"Adelie", "Emperor", "Adelie"});
    return t;
}
// Sets a rounding mode for its lifetime: an environment a badly built service could run in.
struct RoundingMode {
    explicit RoundingMode(int mode) { std::fesetround(mode); }
    ~RoundingMode() { std::fesetround(FE_TONEAREST); }
};
}  // namespace

TEST_CASE("the pipeline refuses bad input with a typed error and changes nothing") {
    std::vector<Case> v;
    const Pipeline fp = fitted_penguins();
    Table no_sex = penguins();
    no_sex.remove("sex");
    v.push_back(make("transform without a schema column", "SchemaError", "column 'sex' is missing", fp, no_sex,
                     [](Pipeline& p, const Table& t) { (void)p.transform(t); }));
    Table mistyped = penguins();
    mistyped.remove("island");
    mistyped.add_numeric("island", std::vector<double>(mistyped.num_rows(), 1.0));
    v.push_back(make("transform with a mistyped column", "SchemaError", "column 'island' is numeric, expected categorical", fp,
                     mistyped, [](Pipeline& p, const Table& t) { (void)p.transform(t); }));
    v.push_back(make("transform before fit", "NotFitted", "not fitted", zoo::penguins_pipeline(), penguins(),
                     [](Pipeline& p, const Table& t) { (void)p.transform(t); }));
    v.push_back(make("fit with no steps", "InvalidParameter", "no steps", Pipeline{}, penguins(),
                     [](Pipeline& p, const Table& t) { p.fit(t); }));
    v.push_back(make("a failing step is named (Inf in a log transform)", "InvalidInput", "Pipeline step 'log'",
                     Pipeline{}.add("log", LogTransformer<>({.columns = {"x"}})),
                     Table{}.add_numeric("x", {1.0, kInf, 2.0}), [](Pipeline& p, const Table& t) { p.fit(t); }));
    v.push_back(make("target of the wrong length", "InvalidInput", "y has 3 values", zoo::penguins_pipeline(),
                     std::make_tuple(penguins(), std::vector<double>{1.0, 0.0, 1.0}),
                     [](Pipeline& p, const std::tuple<Table, std::vector<double>>& in) { p.fit(std::get<0>(in), std::get<1>(in)); }));
    v.push_back(make("a step reads a column marked offline", "InvalidInput",
                     "step 'impute' (simple_imputer) reads column 'body_mass_g', which is marked as not available online",
                     zoo::penguins_pipeline().set_offline_columns({"body_mass_g", "nowhere"}), penguins(),
                     [](Pipeline& p, const Table& t) { p.fit(t); }));
    v.push_back(make("duplicate step name", "InvalidParameter", "used twice", zoo::penguins_pipeline(), penguins(),
                     [](Pipeline& p, const Table&) { p.add("scale", MaxAbsScaler<>()); }));
    // RowPlan: the output buffer must still hold its sentinel after a refusal.
    struct RowIn {
        std::vector<Cell> rec;
        std::vector<double> out;
    };
    auto row_case = [&](const char* name, const char* type, const char* frag, std::vector<Cell> rec, std::size_t out_size) {
        auto plan = std::make_shared<RowPlan>(fp.compile());
        v.push_back(make(name, type, frag, fp, std::make_tuple(std::move(rec), std::vector<double>(out_size, -12345.0)),
                         [plan](Pipeline&, std::tuple<std::vector<Cell>, std::vector<double>>& in) {
                             plan->run(std::get<0>(in), std::span<double>(std::get<1>(in)));
                         }));
    };
    const std::size_t n_out = fp.feature_names_out().size();
    auto rec = good_record(fp);
    auto short_rec = rec;
    short_rec.pop_back();
    row_case("RowPlan: a record one value short", "SchemaError", "the record holds 6 values", short_rec, n_out);
    auto typed = rec;
    typed[0] = Cell::cat("40");
    row_case("RowPlan: a string where a number belongs", "SchemaError", "column 'bill_length_mm'", typed, n_out);
    row_case("RowPlan: an output buffer of the wrong size", "SchemaError", "the output buffer holds", rec, n_out + 1);
    row_case("RowPlan: a number where a string belongs", "SchemaError",
             "belongs", [&] { auto r = rec; r.back().type = ColumnType::numeric; return r; }(), n_out);
    row_case("RowPlan: an absent column under the default policy", "SchemaError", "refuses absent columns",
             [&] { auto r = rec; r[1] = Cell::absent_column(); return r; }(), n_out);

    // The serving-schema policy (serving_policy.hpp).
    Pipeline strict = zoo::penguins_pipeline();
    strict.set_serving_policy({.missing_columns = MissingColumns::fill, .extra_columns = ExtraColumns::error});
    strict.fit(penguins());
    Table extra = penguins();
    extra.add_numeric("request_id", std::vector<double>(extra.num_rows(), 7.0));
    v.push_back(make("transform with an extra column under extra_columns = error", "SchemaError",
                     "column 'request_id' is not read by the pipeline", strict, extra,
                     [](Pipeline& p, const Table& t) { (void)p.transform(t); }));
    Table text_number = no_sex;
    text_number.set_categorical("body_mass_g", std::vector<std::optional<std::string>>(text_number.num_rows(), "heavy"));
    v.push_back(make("transform with a numeric column as text under the fill policy", "SchemaError",
                     "column 'body_mass_g' is categorical, expected numeric", strict, text_number,
                     [](Pipeline& p, const Table& t) { (void)p.transform(t); }));
    v.push_back(make("set missing_columns = fill after fit", "InvalidParameter", "set the serving policy before fit", fp,
                     penguins(), [](Pipeline& p, const Table&) { p.set_serving_policy({.missing_columns = MissingColumns::fill}); }));
    run_catalogue(v);
}

TEST_CASE("the drift monitor and the training profile refuse bad input with a typed error and change nothing") {
    std::vector<Case> v;
    const Pipeline fp = fitted_penguins();
    Monitor mon = fp.monitor();
    mon.update(penguins());
    Table mistyped = penguins();
    mistyped.remove("bill_length_mm");
    mistyped.add_categorical("bill_length_mm", std::vector<std::optional<std::string>>(mistyped.num_rows(), "40"));
    v.push_back(make("Monitor: update with a mistyped column", "SchemaError", "column 'bill_length_mm' is categorical, expected numeric",
                     mon, mistyped, [](Monitor& m, const Table& t) { m.update(t); }));
    auto rec = good_record(fp);
    rec.pop_back();
    v.push_back(make("Monitor: observe a short record", "SchemaError", "the record holds", mon, rec,
                     [](Monitor& m, const std::vector<Cell>& r) { m.observe(r); }));
    Pipeline other = Pipeline{}.add("scale", StandardScaler<>({.columns = {"year"}}));
    other.fit(penguins());
    v.push_back(make("Monitor: merge a monitor of another profile", "InvalidInput", "different training profiles", mon,
                     other.monitor(), [](Monitor& m, const Monitor& o) { m.merge(o); }));
    v.push_back(make("Monitor: PSI thresholds out of order", "InvalidParameter", "0 < moderate <= major", mon, std::vector<double>{0.5, 0.1},
                     [](Monitor& m, const std::vector<double>& t) { (void)m.report({.moderate = t[0], .major = t[1]}); }));
    v.push_back(make("Monitor: a pipeline saved without a profile", "InvalidInput", "no training profile",
                     load_pipeline(std::filesystem::path(REPREP_GOLDEN_DIR) / "artifacts" / "pipeline_penguins.rpp"), penguins(),
                     [](Pipeline& p, const Table&) { (void)p.monitor(); }));
    // A profile that does not describe the schema, or bytes that are not a profile.
    for (const auto& [label, value] : {std::pair<std::string, std::string>{"garbage", "not a profile"},
                                       {"another pipeline's", other.profile().bytes()}})
        v.push_back(make_free("load_pipeline: " + label + " profile", "FormatError", "profile", save_bytes(fp, {{"reprep.profile", value}}),
                              [](const std::string& b) { (void)load_pipeline_bytes(b); }));
    run_catalogue(v);
}

// Each message is checked against the situation it is read in (issue 14, item 9).
TEST_CASE("pipeline errors say where they happened once, and give the fix that applies there") {
    std::vector<Case> v;
    using Rec = std::tuple<std::vector<Cell>, std::vector<double>>;
    // A step's error on the batch path: the step, then the component's own location, once.
    auto onehot = Pipeline{}.add("onehot", OneHotEncoder({.columns = {"species"}}));  // handle_unknown = error
    onehot.fit(penguins());
    v.push_back(with_message(
        make("a failing step is named once, then the component's column and row", "UnknownCategory",
             "Pipeline step 'onehot' (one_hot_encoder): OneHotEncoder: column 'species', row 1: ", onehot, with_emperor(),
             [](Pipeline& p, const Table& t) { (void)p.transform(t); }),
        /*absent=*/"", /*once=*/"row 1"));
    // The same error on the single-row path: one record, so no row index ("row 0" misled).
    {
        auto plan = std::make_shared<RowPlan>(onehot.compile());
        v.push_back(with_message(
            make("RowPlan: an unknown category names the step and column, and no row", "UnknownCategory",
                 "Pipeline step 'onehot' (one_hot_encoder): OneHotEncoder: column 'species': ", onehot,
                 Rec{{Cell::cat("Emperor")}, std::vector<double>(plan->n_outputs(), -12345.0)},
                 [plan](Pipeline&, Rec& in) { plan->run(std::get<0>(in), std::span<double>(std::get<1>(in))); }),
            /*absent=*/"row 0", /*once=*/"column 'species'"));
    }
    {
        auto log = Pipeline{}.add("log", LogTransformer<>({.columns = {"x"}}));
        log.fit(column_x({1.0, 2.0, 3.0}));
        auto plan = std::make_shared<RowPlan>(log.compile());
        v.push_back(with_message(
            make("RowPlan: a value the log cannot take names no row", "InvalidInput",
                 "Pipeline step 'log' (log_transformer): LogTransformer: column 'x': in transform", log,
                 Rec{{Cell::num(-2.0)}, std::vector<double>(1, -12345.0)},
                 [plan](Pipeline&, Rec& in) { plan->run(std::get<0>(in), std::span<double>(std::get<1>(in))); }),
            /*absent=*/"row 0"));
    }
    // A target encoder fitted without y inside a pipeline: the fix is the pipeline call.
    v.push_back(with_message(make("a target-learning step, fit without y", "InvalidInput",
                                  "step 'te' (target_encoder) learns from the target, and fit was given none. Fix: call fit(X, y)",
                                  Pipeline{}.add("te", TargetEncoder({.columns = {"island"}})), penguins(),
                                  [](Pipeline& p, const Table& t) { p.fit(t); }),
                             /*absent=*/"update(chunk"));
    v.push_back(with_message(make("a target-learning step, fit_transform without y", "InvalidInput", "Fix: call fit(X, y)",
                                  Pipeline{}.add("impute", CategoricalImputer({.columns = {"sex"}})).add("woe", WoEEncoder({.columns = {"sex"}})),
                                  penguins(), [](Pipeline& p, const Table& t) { (void)p.fit_transform(t); }),
                             /*absent=*/"update(chunk"));
    // The floating-point environment is checked when the pipeline is loaded, before a
    // service takes its first request.
    v.push_back(make_free("load_pipeline under a non-nearest rounding mode", "EnvironmentError", "rounding mode",
                          save_bytes(fitted_penguins()), [](const std::string& bytes) {
                              const RoundingMode upward(FE_UPWARD);
                              (void)load_pipeline_bytes(bytes);
                          }));
    // Step lookups and names: a step name is not a column or a parameter of the data.
    const Pipeline fp = fitted_penguins();
    v.push_back(with_message(make("step<C> with an unknown name", "InvalidParameter",
                                  "there is no step named 'scaler'. Fix: use one of the step names: 'impute', 'sex', 'onehot', 'scale'",
                                  fp, penguins(), [](Pipeline& p, const Table&) { (void)p.step<StandardScaler<>>("scaler"); }),
                             /*absent=*/"column '"));
    v.push_back(with_message(make("step<C> with the wrong type", "InvalidParameter", "step 'scale' is of kind 'standard_scaler'", fp,
                                  penguins(), [](Pipeline& p, const Table&) { (void)p.step<MinMaxScaler<>>("scale"); }),
                             /*absent=*/"column '"));
    Table no_island = penguins();
    no_island.remove("island");
    v.push_back(make("output_columns of an input without a schema column", "SchemaError", "column 'island' is missing", fp,
                     no_island, [](Pipeline& p, const Table& t) { (void)p.output_columns(t); }));
    run_catalogue(v);
}
