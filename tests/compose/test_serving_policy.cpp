// The serving-schema policy (compose/serving_policy.hpp): absent columns refused or
// filled with values computed here independently from the training rows, extra columns
// passed, dropped or refused, mistyped columns refused under every policy; the policy
// and its fill values in the artifact and the fingerprint; the monitor counting every
// fill, batch and per row; read_csv with a schema that lets columns be absent.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <vector>

#include <reprep/reprep.hpp>

#include "../scratch_dir.hpp"
#include "record_of.hpp"

using namespace reprep;

namespace {
const std::vector<std::string> nums = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};

Table penguins() { return read_csv(std::filesystem::path(REPREP_TEST_DATA_DIR) / "penguins.csv"); }

Pipeline unfitted(ServingPolicy policy = {}) {
    Pipeline p = Pipeline{}
                     .add("impute", SimpleImputer<>({.columns = nums, .strategy = ImputeStrategy::mean}))
                     .add("onehot", OneHotEncoder({.columns = {"island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
                     .add("scale", StandardScaler<>({.columns = nums}));
    p.set_serving_policy(policy);
    return p;
}
Pipeline fitted(ServingPolicy policy = {}) {
    Pipeline p = unfitted(policy);
    p.fit(penguins());
    return p;
}
constexpr ServingPolicy fill{.missing_columns = MissingColumns::fill};

// The median as numpy defines it, from a plain sort of the non-NaN values (the training
// columns have no signed zeros, so the order of equal values cannot matter here).
double median_of(std::span<const double> col) {
    std::vector<double> v;
    for (double x : col)
        if (!std::isnan(x)) v.push_back(x);
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}
// The most frequent category, ties to the smallest string.
std::string mode_of(const Table& t, const std::string& name) {
    std::map<std::string, int> count;
    for (std::size_t i = 0; i < t.num_rows(); ++i)
        if (auto v = t.category(name, i)) ++count[std::string(*v)];
    std::string best;
    int n = -1;
    for (const auto& [k, c] : count)
        if (c > n) best = k, n = c;  // the map is in byte order, so the first maximum wins
    return best;
}

std::vector<Cell> record(const Pipeline& p, const Table& t, std::size_t i) { return reprep_test::record_of(p, t, i); }
std::size_t index_in_schema(const Pipeline& p, std::string_view name) {
    const auto& s = p.input_schema();
    return static_cast<std::size_t>(std::find_if(s.begin(), s.end(), [&](const SchemaColumn& c) { return c.name == name; }) -
                                    s.begin());
}
}  // namespace

TEST_CASE("fill values are the training median and the most frequent category") {
    const Table t = penguins();
    const Pipeline p = fitted(fill);
    REQUIRE(p.fill_values().size() == p.input_schema().size());
    for (std::size_t j = 0; j < p.input_schema().size(); ++j) {
        const auto& c = p.input_schema()[j];
        INFO("column " << c.name);
        CHECK_FALSE(c.required);
        if (c.type == ColumnType::numeric) {
            CHECK(p.fill_values()[j].number == median_of(t.numeric(c.name)));
        } else {
            REQUIRE(p.fill_values()[j].category.has_value());
            CHECK(*p.fill_values()[j].category == mode_of(t, c.name));
        }
    }
    // The default policy needs none, and every column is required.
    const Pipeline d = fitted();
    CHECK(d.fill_values().empty());
    CHECK(std::all_of(d.input_schema().begin(), d.input_schema().end(), [](const SchemaColumn& c) { return c.required; }));
    // A column that is entirely missing in training is filled with missing.
    Table gaps = t;
    gaps.set_numeric("bill_depth_mm", std::vector<double>(t.num_rows(), std::nan("")));
    gaps.set_categorical("sex", std::vector<std::optional<std::string>>(t.num_rows()));
    Pipeline g = Pipeline{}
                     .add("ohe", OneHotEncoder({.columns = {"sex"}, .handle_unknown = HandleUnknown::ignore}))
                     .add("keep", MissingIndicator<>({.columns = {"bill_depth_mm"}}));
    g.set_serving_policy(fill).fit(gaps);
    CHECK_FALSE(g.fill_values()[index_in_schema(g, "sex")].category.has_value());
    CHECK(std::isnan(g.fill_values()[index_in_schema(g, "bill_depth_mm")].number));
}

TEST_CASE("missing_columns = fill: an absent column gives the bits of the column holding its fill value") {
    const Table t = penguins();
    const Pipeline p = fitted(fill);
    Table lacking = t;
    lacking.remove("body_mass_g").remove("sex");
    // The filled columns are appended, in input_schema() order.
    Table filled = lacking;
    filled.add_numeric("body_mass_g", std::vector<double>(t.num_rows(), p.fill_values()[index_in_schema(p, "body_mass_g")].number));
    filled.add_categorical("sex", std::vector<std::optional<std::string>>(t.num_rows(), *p.fill_values()[index_in_schema(p, "sex")].category));
    const Table out = p.transform(lacking);
    CHECK(out == p.transform(filled));
    CHECK(out.column_names() == p.output_columns(lacking));
    // Under the default policy the same request is refused, every absent column named.
    CHECK_THROWS_WITH_AS((void)fitted().transform(lacking),
                         doctest::Contains("column 'body_mass_g' is missing; column 'sex' is missing"), SchemaError);

    // The row plan: an absent cell is the fill value, and the monitor counts each fill.
    RowPlan plan = p.compile();
    Monitor mon = p.monitor(), batch_mon = p.monitor();
    std::vector<double> got(plan.n_outputs()), want(plan.n_outputs());
    for (std::size_t i = 0; i < t.num_rows(); ++i) {
        std::vector<Cell> rec = record(p, t, i), ref = record(p, filled, i);
        rec[index_in_schema(p, "body_mass_g")] = Cell::absent_column();
        rec[index_in_schema(p, "sex")] = Cell::absent_column();
        plan.run(rec, std::span<double>(got), mon);
        plan.run(ref, std::span<double>(want));
        REQUIRE(std::equal(got.begin(), got.end(), want.begin(), [](double a, double b) {
            return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
        }));
    }
    (void)p.transform(lacking, batch_mon);
    CHECK(save_bytes(mon) == save_bytes(batch_mon));
    const DriftReport r = mon.report();
    for (const auto& c : r.columns) {
        INFO("column " << c.column);
        const bool absent = c.column == "body_mass_g" || c.column == "sex";
        CHECK(c.absent_rate == (absent ? 1.0 : 0.0));
        CHECK(c.live_count == t.num_rows());
        // No row carried the column: nothing to compare with training.
        CHECK(std::isnan(c.psi) == absent);
        if (!absent) CHECK(c.psi == 0.0);  // the training rows themselves
    }
    // Bytes round-trip with the absent counts, and a monitor that saw none keeps its bytes.
    CHECK(save_bytes(load_bytes<Monitor>(save_bytes(mon))) == save_bytes(mon));
    Monitor half = p.monitor(), other = p.monitor();
    half.update(lacking);
    other.update(t);
    half.merge(other);
    for (const auto& c : half.report().columns)
        CHECK(c.absent_rate == (c.column == "body_mass_g" || c.column == "sex" ? 0.5 : 0.0));

    // Under the default policy the plan refuses an absent cell, naming the column.
    RowPlan strict = fitted().compile();
    std::vector<Cell> rec = record(p, t, 0);
    rec[index_in_schema(p, "sex")] = Cell::absent_column();
    CHECK_THROWS_WITH_AS(strict.run(rec, std::span<double>(got)), doctest::Contains("refuses absent columns"), SchemaError);
}

TEST_CASE("extra columns: pass, drop or error") {
    const Table t = penguins();  // species and year are read by no step
    CHECK(fitted().transform(t).has_column("species"));
    const Pipeline drop = fitted({.extra_columns = ExtraColumns::drop});
    const Table out = drop.transform(t);
    CHECK_FALSE(out.has_column("species"));
    CHECK_FALSE(out.has_column("year"));
    CHECK(out.column_names() == drop.output_columns(t));
    CHECK(out.column_names() == drop.feature_names_out());
    // fit_transform leaves out what transform drops, so the two agree bit for bit.
    CHECK(unfitted({.extra_columns = ExtraColumns::drop}).fit_transform(t) == out);
    const Pipeline err = fitted({.extra_columns = ExtraColumns::error});
    CHECK_THROWS_WITH_AS((void)err.transform(t),
                         doctest::Contains("column 'species' is not read by the pipeline; column 'year' is not read by the pipeline"),
                         SchemaError);
    std::vector<std::string> inputs;
    for (const auto& c : err.input_schema()) inputs.push_back(c.name);
    CHECK_NOTHROW((void)err.transform(t.select(inputs)));
}

TEST_CASE("a mistyped column is refused under every policy; so is unparsable text in a numeric column") {
    Table t = penguins();
    t.set_categorical("body_mass_g", std::vector<std::optional<std::string>>(t.num_rows(), "heavy"));
    for (const ServingPolicy policy : {ServingPolicy{}, fill, ServingPolicy{.extra_columns = ExtraColumns::drop}}) {
        const Pipeline p = fitted(policy);
        CHECK_THROWS_WITH_AS((void)p.transform(t), doctest::Contains("column 'body_mass_g' is categorical, expected numeric"),
                             SchemaError);
        std::vector<Cell> rec = record(p, penguins(), 0);
        rec[index_in_schema(p, "body_mass_g")] = Cell::cat("heavy");
        RowPlan plan = p.compile();
        std::vector<double> out(plan.n_outputs());
        CHECK_THROWS_AS(plan.run(rec, std::span<double>(out)), SchemaError);
        // Read with the pipeline's schema, the text is an error at its line and field.
        const std::string request = "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n"
                                    "Adelie,Biscoe,39.1,18.7,181,heavy,male,2007\n";
        CHECK_THROWS_WITH_AS((void)read_csv_string(request, p.input_schema()), doctest::Contains("line 2"), InvalidInput);
    }
}

TEST_CASE("read_csv with the schema of a filling pipeline reads a request without some columns") {
    const std::string request = "island,bill_length_mm,bill_depth_mm,flipper_length_mm\nBiscoe,39.1,18.7,181\n";
    const Pipeline p = fitted(fill);
    const Table t = read_csv_string(request, p.input_schema());
    CHECK_FALSE(t.has_column("sex"));
    CHECK(p.transform(t).num_rows() == 1);
    CHECK_THROWS_WITH_AS((void)read_csv_string(request, fitted().input_schema()),
                         doctest::Contains("lacks 2 columns named in column_types: 'body_mass_g', 'sex'"), SchemaError);
    // A present column still gets its fitted type: an empty field is a missing category.
    const Table empty_sex = read_csv_string("sex,island\n,Dream\n", p.input_schema());
    CHECK(empty_sex.type("sex") == ColumnType::categorical);
}

TEST_CASE("the policy and its fill values are in the artifact and the fingerprint") {
    const Pipeline d = fitted(), f = fitted(fill), x = fitted({.extra_columns = ExtraColumns::drop});
    CHECK(fingerprint(d) != fingerprint(f));
    CHECK(fingerprint(d) != fingerprint(x));
    CHECK(fingerprint(f) != fingerprint(x));
    // Setting the default explicitly writes the very bytes of never setting it.
    Pipeline plain = Pipeline{}
                         .add("impute", SimpleImputer<>({.columns = nums, .strategy = ImputeStrategy::mean}))
                         .add("onehot", OneHotEncoder({.columns = {"island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
                         .add("scale", StandardScaler<>({.columns = nums}));
    plain.fit(penguins());
    CHECK(fingerprint(plain) == fingerprint(d));
    for (const Pipeline* p : {&f, &x}) {
        const Pipeline back = load_pipeline_bytes(save_bytes(*p));
        CHECK(fingerprint(back) == fingerprint(*p));
        CHECK(back.serving_policy() == p->serving_policy());
        CHECK(back.input_schema() == p->input_schema());  // required flags included
    }
    const Pipeline back = load_pipeline_bytes(save_bytes(f));
    Table lacking = penguins();
    lacking.remove("flipper_length_mm");
    CHECK(back.transform(lacking) == f.transform(lacking));
    // Changing the extra-column policy of a fitted pipeline changes its fingerprint.
    Pipeline changed = d;
    changed.set_serving_policy({.extra_columns = ExtraColumns::drop});
    CHECK(fingerprint(changed) == fingerprint(x));
}

TEST_CASE("serving policy misuse and corrupt policy sections are refused") {
    Pipeline d = fitted();
    const std::string fp = fingerprint(d);
    CHECK_THROWS_WITH_AS(d.set_serving_policy(fill), doctest::Contains("set the serving policy before fit"), InvalidParameter);
    CHECK_THROWS_AS(d.set_serving_policy({.extra_columns = static_cast<ExtraColumns>(7)}), InvalidParameter);
    CHECK(fingerprint(d) == fp);
    CHECK(d.serving_policy() == ServingPolicy{});

    // Payloads edited after the input schema, resealed with a valid checksum.
    const Pipeline f = fitted(fill);
    ArchiveWriter w;
    d.save_state(w);
    const std::string plain = std::move(w).bytes();
    ArchiveWriter wf;
    f.save_state(wf);
    const std::string filled = std::move(wf).bytes();
    REQUIRE(filled.size() > plain.size());
    REQUIRE(filled.compare(0, plain.size(), plain) == 0);  // the section is a pure suffix
    const auto sealed = [](std::string payload) {
        ArtifactHeader h;
        h.kind = std::string(Pipeline::kind_name());
        h.schema_version = Pipeline::schema_version;
        return encode_artifact(h, payload);
    };
    CHECK_NOTHROW((void)load_pipeline_bytes(sealed(filled)));
    CHECK_THROWS_WITH_AS((void)load_pipeline_bytes(sealed(plain + std::string("\x02", 1))),
                         doctest::Contains("unknown pipeline section"), FormatError);
    CHECK_THROWS_WITH_AS((void)load_pipeline_bytes(sealed(plain + std::string("\x01\x00\x00", 3))),
                         doctest::Contains("default serving policy"), FormatError);
    CHECK_THROWS_WITH_AS((void)load_pipeline_bytes(sealed(plain + std::string("\x01\x02\x00", 3))),
                         doctest::Contains("outside its enumeration"), FormatError);
    std::string wrong_count = filled;
    wrong_count[plain.size() + 3] = static_cast<char>(wrong_count[plain.size() + 3] + 1);
    CHECK_THROWS_WITH_AS((void)load_pipeline_bytes(sealed(wrong_count)), doctest::Contains("fill values for"), FormatError);
    CHECK_THROWS_AS((void)load_pipeline_bytes(sealed(filled.substr(0, filled.size() - 1))), FormatError);
}
