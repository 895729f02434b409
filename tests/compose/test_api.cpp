// API traps (issue 14, item 10): accessors on temporaries, the columns transform(Table)
// returns, parameter errors named as parameters, and X({}) for every component.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../fuzz/zoo.hpp"

using namespace reprep;

namespace {
Table penguins() { return zoo::penguins(REPREP_TEST_DATA_DIR); }
Pipeline fitted() {
    auto p = zoo::penguins_pipeline();
    p.set_metadata("owner", "ml-team");
    p.fit(penguins());
    return p;
}
}  // namespace

// A reference into a temporary dangles at the end of the full expression; the `const&&`
// overloads return by value instead. Checked on the types here, and run below in the very
// loops that used to read freed memory (the sanitizer suite runs this file under ASan).
static_assert(std::is_same_v<decltype(std::declval<const Table&>().column_names()), const std::vector<std::string>&>);
static_assert(std::is_same_v<decltype(std::declval<Table>().column_names()), std::vector<std::string>>);
static_assert(std::is_same_v<decltype(std::declval<const Table>().column_names()), std::vector<std::string>>);
static_assert(std::is_same_v<decltype(std::declval<Table>().numeric("x")), std::vector<double>>);
static_assert(std::is_same_v<decltype(std::declval<Table>().categorical("x")), CategoricalColumn>);
static_assert(std::is_same_v<decltype(std::declval<Table>().category("x", 0)), std::optional<std::string>>);
static_assert(std::is_same_v<decltype(std::declval<Pipeline>().step_names()), std::vector<std::string>>);
static_assert(std::is_same_v<decltype(std::declval<Pipeline>().input_schema()), std::vector<SchemaColumn>>);
static_assert(std::is_same_v<decltype(std::declval<Pipeline>().lineage()), Lineage>);
static_assert(std::is_same_v<decltype(std::declval<Pipeline>().metadata()), Metadata>);
static_assert(std::is_same_v<decltype(std::declval<Pipeline>().step<StandardScaler<>>("s")), StandardScaler<>>);
static_assert(std::is_same_v<decltype(std::declval<const Pipeline&>().step<StandardScaler<>>("s")), const StandardScaler<>&>);
static_assert(std::is_same_v<decltype(std::declval<RowPlan>().output_names()), std::vector<std::string>>);
static_assert(std::is_same_v<decltype(std::declval<const RowPlan&>().output_names()), const std::vector<std::string>&>);

TEST_CASE("accessors called on temporaries return values that live through a range-for") {
    const Pipeline pipe = fitted();
    const Table t = penguins();
    std::vector<std::string> names;
    for (const auto& n : pipe.transform(t).column_names()) names.push_back(n);  // the example
    CHECK(names == pipe.output_columns(t));

    double sum = 0;
    for (double x : pipe.transform(t).numeric("body_mass_g")) sum += x;
    CHECK(std::abs(sum) < 1e-9);  // standardised over the same rows: the values sum to 0
    std::size_t missing_sex = 0;
    for (auto code : penguins().categorical("sex").codes) missing_sex += code < 0 ? 1 : 0;
    CHECK(missing_sex == 11);
    CHECK(penguins().category("island", 0) == std::optional<std::string>("Torgersen"));

    const std::string bytes = save_bytes(pipe);
    std::vector<std::string> steps;
    for (const auto& s : load_pipeline_bytes(bytes).step_names()) steps.push_back(s);
    CHECK(steps == std::vector<std::string>{"impute", "sex", "onehot", "scale"});
    std::vector<std::string> schema;
    for (const auto& c : load_pipeline_bytes(bytes).input_schema()) schema.push_back(c.name);
    CHECK(schema.size() == 7);
    std::vector<std::string> keys;
    for (const auto& [k, v] : load_pipeline_bytes(bytes).metadata()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"owner"});
    CHECK(load_pipeline_bytes(bytes).lineage().rows == 344);
    const auto& scaler = load_pipeline_bytes(bytes).step<StandardScaler<>>("scale");  // a value, lifetime-extended
    CHECK(fingerprint(scaler) == fingerprint(pipe.step<StandardScaler<>>("scale")));
    std::vector<std::string> outputs;
    for (const auto& n : pipe.compile().output_names()) outputs.push_back(n);
    CHECK(outputs == pipe.feature_names_out());
}

TEST_CASE("output_columns is what transform(Table) returns; feature_names_out leaves out the pass-through columns") {
    const Pipeline pipe = fitted();
    Table t = penguins();
    t.add_numeric("request_id", std::vector<double>(t.num_rows(), 7.0));  // a column no step reads
    const auto all = pipe.output_columns(t);
    CHECK(all == pipe.transform(t).column_names());
    CHECK(std::find(all.begin(), all.end(), "year") != all.end());
    CHECK(std::find(all.begin(), all.end(), "request_id") != all.end());
    const auto features = pipe.feature_names_out();
    CHECK(std::find(features.begin(), features.end(), "year") == features.end());
    CHECK(std::find(features.begin(), features.end(), "request_id") == features.end());
    // Every feature is an output column; the rest are exactly the pass-through columns.
    for (const auto& f : features) CHECK(std::find(all.begin(), all.end(), f) != all.end());
    CHECK(all.size() == features.size() + 2);
    // The names-only form, and the error for a missing schema column.
    CHECK(pipe.output_columns(t.column_names()) == all);
    auto no_sex = t.column_names();
    no_sex.erase(std::find(no_sex.begin(), no_sex.end(), "sex"));
    CHECK_THROWS_WITH_AS(pipe.output_columns(no_sex), doctest::Contains("lack 'sex'"), SchemaError);
}

TEST_CASE("X({}) compiles for every component and means X()") {
    zoo::for_each_kind([]<class C>() {
        INFO(zoo::tag<C>());
        const C braced({});
        CHECK(fingerprint(braced) == fingerprint(C()));
    });
    // The Params constructor is still the one designated initializers reach.
    CHECK_FALSE(StandardScaler<>({.with_mean = false}).params().with_mean);
    CHECK(OneHotEncoder({.columns = {"a"}}).params().columns == std::vector<std::string>{"a"});
    // The splitters have the same constructors, and the same fix.
    CHECK(KFold({}).params().n_splits == KFold().params().n_splits);
    CHECK(StratifiedKFold({}).params().n_splits == StratifiedKFold().params().n_splits);
    CHECK(GroupKFold({}).params().n_splits == GroupKFold().params().n_splits);
    CHECK(TimeSeriesSplit({}).params().n_splits == TimeSeriesSplit().params().n_splits);
    CHECK(KFold({.n_splits = 3}).params().n_splits == 3);
}

TEST_CASE("a parameter error names a parameter, not a column") {
    try {
        (void)OneHotEncoder({.handle_unknown = static_cast<HandleUnknown>(9)});
        FAIL("no throw");
    } catch (const InvalidParameter& e) {
        CHECK(e.parameter() == "handle_unknown");
        CHECK(e.column().empty());
        const std::string m = e.what();
        CHECK(m.find("OneHotEncoder: parameter 'handle_unknown': ") == 0);
        CHECK(m.find("column '") == std::string::npos);
    }
    // A data error, by contrast, names the column (here inside a pipeline step, which
    // keeps the error's type and adds the step once).
    try {
        auto p = Pipeline{}.add("box", PowerTransformer<>({.columns = {"x"}, .method = PowerMethod::box_cox}));
        p.fit(Table{}.add_numeric("x", {1.0, 0.0, 2.0}));  // Box-Cox needs x > 0
        FAIL("no throw");
    } catch (const InvalidInput& e) {
        CHECK(std::string(e.what()).find("Pipeline step 'box' (power_transformer): PowerTransformer: column 'x'") == 0);
        CHECK(e.column() == "x");
        CHECK(e.parameter().empty());
    }
}
