// RowPlan owns what it reads: a plan compiled from a pipeline keeps working, and names
// a failing step correctly, after the pipeline is moved, refitted or destroyed (it once
// held a back-pointer into the pipeline; ASan saw the dangling read on the error path).
// The sanitizer suite runs this file under ASan + UBSan.
#include <doctest/doctest.h>

#include <algorithm>
#include <cfenv>
#include <cstring>
#include <filesystem>
#include <memory>
#include <reprep/compose/pipeline.hpp>
#include <reprep/core/csv.hpp>
#include <string>
#include <vector>

using namespace reprep;

namespace {
Table penguins() { return read_csv(std::filesystem::path(REPREP_TEST_DATA_DIR) / "penguins.csv"); }

Pipeline onehot_then_log() {
    return Pipeline{}
        .add("onehot", OneHotEncoder({.columns = {"species"}}))  // handle_unknown = error
        .add("log", LogTransformer<>({.columns = {"bill_length_mm"}}))
        .add("scale", StandardScaler<>({.columns = {"bill_length_mm"}}));
}

// Complete rows only, so that the log sees no NaN.
Table training() {
    const Table t = penguins();
    return t.drop_missing({"species", "bill_length_mm"});
}

std::string message_of(RowPlan& plan, const std::vector<Cell>& rec, std::vector<double>& out) {
    try {
        plan.run(rec, std::span<double>(out));
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}
}  // namespace

TEST_CASE("a plan outlives its pipeline: moved, then destroyed, it still runs and names the failing step") {
    // Records follow the input schema: (species, bill_length_mm), the order in which the
    // steps first read them.
    const std::vector<Cell> good = {Cell::cat("Gentoo"), Cell::num(39.1)};
    const std::vector<Cell> unknown = {Cell::cat("Emperor"), Cell::num(39.1)};
    const std::vector<Cell> negative = {Cell::cat("Adelie"), Cell::num(-3.0)};

    std::vector<double> expected;
    {
        auto reference = onehot_then_log();
        reference.fit(training());
        REQUIRE(reference.input_schema() == std::vector<SchemaColumn>{{"species", ColumnType::categorical},
                                                                      {"bill_length_mm", ColumnType::numeric}});
        auto plan = reference.compile();
        expected.assign(plan.n_outputs(), 0.0);
        plan.run(good, std::span<double>(expected));
    }

    RowPlan plan;
    {
        auto owner = std::make_unique<Pipeline>(onehot_then_log());
        owner->fit(training());
        plan = owner->compile();
        Pipeline moved = std::move(*owner);
        owner.reset();  // the pipeline the plan was compiled from is gone
        CHECK(moved.size() == 3);
    }  // and so is the one it was moved into

    REQUIRE(plan.n_inputs() == 2);
    std::vector<double> out(plan.n_outputs(), -1.0);
    plan.run(good, std::span<double>(out));
    CHECK(same_bits(out, expected));
    CHECK(plan.output_names() == std::vector<std::string>{"bill_length_mm", "species_Adelie", "species_Chinstrap", "species_Gentoo"});

    // The error path reads the step's name and kind: the plan's own copies.
    std::vector<double> untouched(plan.n_outputs(), -1.0);
    const std::string bad_category = message_of(plan, unknown, untouched);
    CHECK(bad_category.find("Pipeline step 'onehot' (one_hot_encoder): OneHotEncoder: column 'species': ") == 0);
    CHECK(bad_category.find("Emperor") != std::string::npos);
    CHECK_THROWS_AS(plan.run(unknown, std::span<double>(untouched)), UnknownCategory);

    const std::string bad_log = message_of(plan, negative, untouched);
    CHECK(bad_log.find("Pipeline step 'log' (log_transformer): LogTransformer: column 'bill_length_mm': in transform") == 0);
    // One record, no rows: the one-row kernel's "row 0" is not reported.
    CHECK(bad_log.find("row 0") == std::string::npos);
    CHECK_THROWS_AS(plan.run(negative, std::span<double>(untouched)), InvalidInput);
    CHECK(std::all_of(untouched.begin(), untouched.end(), [](double x) { return x == -1.0; }));
}

TEST_CASE("a plan is a snapshot: refitting the pipeline later does not change it") {
    auto pipe = onehot_then_log();
    const Table all = training();
    pipe.fit(all);
    auto plan = pipe.compile();
    const std::vector<Cell> rec = {Cell::cat("Adelie"), Cell::num(45.0)};
    std::vector<double> before(plan.n_outputs()), after(plan.n_outputs());
    plan.run(rec, std::span<double>(before));

    const std::string fp = fingerprint(pipe);
    std::vector<std::size_t> half;
    for (std::size_t i = 0; i < all.num_rows(); i += 2) half.push_back(i);
    pipe.fit(all.rows(half));
    REQUIRE(fingerprint(pipe) != fp);
    plan.run(rec, std::span<double>(after));
    CHECK(same_bits(before, after));
}

TEST_CASE("copies share the fitted steps and refit independently") {
    auto a = onehot_then_log();
    a.fit(training());
    const Pipeline b = a;  // shares a's steps
    CHECK(fingerprint(a) == fingerprint(b));
    std::vector<std::size_t> first(50);
    for (std::size_t i = 0; i < first.size(); ++i) first[i] = i;
    a.fit(training().rows(first));  // a gets new steps; b keeps the old ones
    CHECK(fingerprint(a) != fingerprint(b));
    CHECK(fingerprint(b) == fingerprint(load_pipeline_bytes(save_bytes(b))));
}

TEST_CASE("a step error on the batch path names the step once, then the component's column and row") {
    auto pipe = onehot_then_log();
    pipe.fit(training());
    Table req = training().rows(std::vector<std::size_t>{0, 1, 2});
    req.set_numeric("bill_length_mm", {40.0, 41.0, -5.0});
    try {
        (void)pipe.transform(req);
        FAIL("no throw");
    } catch (const InvalidInput& e) {
        const std::string m = e.what();
        CHECK(m.find("Pipeline step 'log' (log_transformer): LogTransformer: column 'bill_length_mm', row 2: in transform") == 0);
        CHECK(m.find("column 'bill_length_mm'") == m.rfind("column 'bill_length_mm'"));  // said once
        CHECK(e.component() == "Pipeline step 'log' (log_transformer): LogTransformer");
        CHECK(e.column() == "bill_length_mm");
        CHECK(e.row() == std::optional<std::size_t>(2));
    }
}

TEST_CASE("records filled by column name: names resolved once give the positional record's bits") {
    Pipeline p = onehot_then_log();
    p.fit(training());
    RowPlan plan = p.compile();
    const Table t = training();
    // A request keyed by name, in another order than the input schema.
    const std::size_t at_length = plan.input_index("bill_length_mm"), at_species = plan.input_index("species");
    CHECK(at_length != at_species);
    std::vector<Cell> by_name(plan.n_inputs()), positional;
    by_name[at_length] = Cell::num(t.numeric("bill_length_mm")[3]);
    by_name[at_species] = Cell::cat(*t.category("species", 3));
    for (const auto& c : p.input_schema())
        positional.push_back(c.name == "species" ? Cell::cat(*t.category("species", 3)) : Cell::num(t.numeric(c.name)[3]));
    std::vector<double> a(plan.n_outputs()), b(plan.n_outputs());
    plan.run(by_name, std::span<double>(a));
    plan.run(positional, std::span<double>(b));
    CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
    CHECK_THROWS_WITH_AS((void)plan.input_index("beak"), doctest::Contains("reads no input column 'beak'"), SchemaError);
}

TEST_CASE("the row path reads the FP environment once per record, and still on every record") {
    auto pipe = onehot_then_log();
    pipe.fit(training());
    auto plan = pipe.compile();
    const std::vector<Cell> good = {Cell::cat("Gentoo"), Cell::num(39.1)};
    const std::vector<Cell> unknown = {Cell::cat("Emperor"), Cell::num(39.1)};
    std::vector<double> out(plan.n_outputs());
    plan.run(good, std::span<double>(out));
    // A step that throws inside the checked scope must close it: the next record under a
    // non-nearest rounding mode is refused, and the one after, in the normal mode, runs.
    CHECK_THROWS_AS(plan.run(unknown, std::span<double>(out)), UnknownCategory);
    CHECK(detail::fp_checked_depth == 0);
    const int mode = std::fegetround();
    std::fesetround(FE_UPWARD);
    std::string message;
    try {
        plan.run(good, std::span<double>(out));
    } catch (const EnvironmentError& e) {
        message = e.what();
    }
    std::fesetround(mode);
    CHECK(message.find("rounding mode") != std::string::npos);
    CHECK(detail::fp_checked_depth == 0);
    std::vector<double> again(plan.n_outputs());
    plan.run(good, std::span<double>(again));
    CHECK(std::memcmp(again.data(), out.data(), out.size() * sizeof(double)) == 0);
}

namespace {
// The benchmark's penguins pipeline (7 inputs, 12 outputs), unseen categories ignored.
Pipeline penguins_pipeline() {
    const std::vector<std::string> num = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};
    return Pipeline{}
        .add("impute", SimpleImputer<>({.columns = num, .strategy = ImputeStrategy::median}))
        .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
        .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
        .add("scale", StandardScaler<>({.columns = num}));
}

// Record i of t in input_schema() order, as the positional loop of a caller builds it;
// row i >= t.num_rows() is an unseen island with every numeric value missing.
std::vector<Cell> positional(const Pipeline& p, const Table& t, std::size_t i) {
    std::vector<Cell> rec;
    for (const auto& c : p.input_schema()) {
        if (i >= t.num_rows()) rec.push_back(c.type == ColumnType::numeric ? Cell::num(NAN) : Cell::cat("Atlantis"));
        else if (c.type == ColumnType::numeric) rec.push_back(Cell::num(t.numeric(c.name)[i]));
        else if (auto v = t.category(c.name, i)) rec.push_back(Cell::cat(*v));
        else rec.push_back(Cell::missing_cat());
    }
    return rec;
}

std::vector<double> run_one(RowPlan& plan, std::span<const Cell> rec) {
    std::vector<double> out(plan.n_outputs());
    plan.run(rec, std::span<double>(out));
    return out;
}
}  // namespace

TEST_CASE("RowPlan::Record: filled by name or slot, in any order, it gives the positional record's bits") {
    Pipeline p = penguins_pipeline();
    const Table t = penguins();  // with missing values in every column the pipeline reads
    p.fit(t);
    RowPlan plan = p.compile();
    auto rec = plan.record();
    REQUIRE(rec.size() == plan.n_inputs());
    const auto island = plan.slot("island");
    CHECK(island.index == plan.input_index("island"));
    std::size_t missing_seen = 0;
    for (std::size_t i = 0; i <= t.num_rows(); ++i) {  // the last row: unseen island, NaNs
        CAPTURE(i);
        rec.clear();
        // The reverse of the schema's order, as a request keyed by name may come.
        const auto& schema = p.input_schema();
        for (auto c = schema.rbegin(); c != schema.rend(); ++c) {
            const bool extra = i == t.num_rows();
            if (c->type == ColumnType::numeric) {
                rec.set(c->name, extra ? NAN : t.numeric(c->name)[i]);
            } else if (c->name == "island") {
                if (extra) rec.set(island, "Atlantis");
                else if (auto v = t.category("island", i)) rec.set(island, *v);
                else rec.set_missing(island);
            } else if (auto v = extra ? std::optional<std::string_view>("Atlantis") : t.category(c->name, i)) {
                rec.set(c->name, *v);
            } else {
                rec.set_missing(c->name);
                ++missing_seen;
            }
        }
        const auto want = run_one(plan, positional(p, t, i));
        std::vector<double> got(plan.n_outputs());
        plan.run(rec, std::span<double>(got));
        CHECK(same_bits(got, want));
    }
    CHECK(missing_seen > 0);
    // A copy of the plan, and another plan compiled from the same pipeline, take the record.
    RowPlan copy = plan, other = p.compile();
    std::vector<double> a(plan.n_outputs()), b(plan.n_outputs()), c(plan.n_outputs());
    plan.run(rec, std::span<double>(a));
    copy.run(rec, std::span<double>(b));
    other.run(rec, std::span<double>(c));
    CHECK(same_bits(a, b));
    CHECK(same_bits(a, c));
}

TEST_CASE("RowPlan::Record: an unset column is absent, filled or refused by the serving policy") {
    Pipeline refusing = penguins_pipeline();
    refusing.fit(penguins());
    RowPlan plan = refusing.compile();
    auto rec = plan.record();
    rec.set("species", "Adelie").set("island", "Biscoe").set("sex", "male");
    rec.set("bill_length_mm", 39.1).set("bill_depth_mm", 18.7).set("flipper_length_mm", 181.0);
    std::vector<double> out(plan.n_outputs());
    CHECK_THROWS_WITH_AS(plan.run(rec, std::span<double>(out)), doctest::Contains("column 'body_mass_g'"), SchemaError);
    rec.set("body_mass_g", 3750.0);
    plan.run(rec, std::span<double>(out));
    rec.set_absent("body_mass_g");
    CHECK_THROWS_AS(plan.run(rec, std::span<double>(out)), SchemaError);

    Pipeline filling = penguins_pipeline();
    filling.set_serving_policy({.missing_columns = MissingColumns::fill});
    filling.fit(penguins());
    RowPlan fplan = filling.compile();
    auto frec = fplan.record();
    frec.set("species", "Gentoo").set("bill_length_mm", 45.0);  // the other five absent
    std::vector<Cell> cells(fplan.n_inputs(), Cell::absent_column());
    cells[fplan.input_index("species")] = Cell::cat("Gentoo");
    cells[fplan.input_index("bill_length_mm")] = Cell::num(45.0);
    std::vector<double> got(fplan.n_outputs());
    fplan.run(frec, std::span<double>(got));
    CHECK(same_bits(got, run_one(fplan, cells)));
}

TEST_CASE("RowPlan::Record: an unknown name, a value of the wrong type or a record of another plan is a SchemaError") {
    Pipeline p = penguins_pipeline();
    p.fit(penguins());
    RowPlan plan = p.compile();
    auto rec = plan.record();
    try {
        rec.set("beak", 1.0);
        FAIL("no throw");
    } catch (const SchemaError& e) {
        const std::string m = e.what();
        CHECK(e.column() == "beak");
        CHECK(m.find("reads no input column 'beak'") != std::string::npos);
        // The fix lists what the plan reads.
        for (const auto& c : p.input_schema()) CHECK(m.find("'" + c.name + "'") != std::string::npos);
    }
    CHECK_THROWS_WITH_AS(plan.slot("beak"), doctest::Contains("reads no input column 'beak'"), SchemaError);
    CHECK_THROWS_WITH_AS(rec.set("island", 3.0), doctest::Contains("a number was given where a string belongs"), SchemaError);
    CHECK_THROWS_WITH_AS(rec.set("body_mass_g", "heavy"), doctest::Contains("column 'body_mass_g'"), SchemaError);
    CHECK_THROWS_AS(rec.set(RowPlan::Slot{99}, 1.0), SchemaError);
    CHECK_THROWS_AS(RowPlan::Record{}.set("island", "Biscoe"), SchemaError);

    Pipeline q = onehot_then_log();
    q.fit(training());
    RowPlan other = q.compile();
    auto foreign = other.record();
    foreign.set("species", "Adelie").set("bill_length_mm", 40.0);
    std::vector<double> out(plan.n_outputs());
    CHECK_THROWS_WITH_AS(plan.run(foreign, std::span<double>(out)), doctest::Contains("made for a plan with other input columns"),
                         SchemaError);
}

TEST_CASE("RowPlan::run_batch: the bits of run() per record, one FP check per call, errors name the record as the row") {
    Pipeline p = penguins_pipeline();
    const Table t = penguins();
    p.fit(t);
    RowPlan plan = p.compile();
    const std::size_t n = t.num_rows() + 1, width = plan.n_outputs();  // + the unseen island
    std::vector<Cell> flat;
    std::vector<double> want;
    std::vector<RowPlan::Record> records;
    for (std::size_t i = 0; i < n; ++i) {
        const auto rec = positional(p, t, i);
        flat.insert(flat.end(), rec.begin(), rec.end());
        const auto row = run_one(plan, rec);
        want.insert(want.end(), row.begin(), row.end());
        records.push_back(plan.record());
        for (std::size_t k = 0; k < rec.size(); ++k) {
            const RowPlan::Slot s{k};
            if (rec[k].type == ColumnType::numeric) records.back().set(s, rec[k].number);
            else if (rec[k].text) records.back().set(s, *rec[k].text);
            else records.back().set_missing(s);
        }
    }
    std::vector<double> got(n * width, -1.0);
    plan.run_batch(flat, std::span<double>(got));
    CHECK(same_bits(got, want));
    std::vector<double> by_record(n * width, -1.0);
    plan.run_batch(records, std::span<double>(by_record));
    CHECK(same_bits(by_record, want));
    std::vector<Cell> cells(n * width);
    plan.run_batch(flat, std::span<Cell>(cells));
    for (std::size_t j = 0; j < cells.size(); ++j) CHECK(std::memcmp(&cells[j].number, &want[j], sizeof(double)) == 0);
    plan.run_batch(std::span<const Cell>(), std::span<double>());  // an empty batch is no error

    // Record 5 holds a number where a string belongs: the error names it as row 5, and
    // rows 0-4 are written, the rest untouched.
    std::vector<Cell> bad = flat;
    bad[5 * plan.n_inputs() + plan.input_index("island")] = Cell::num(1.0);
    std::fill(got.begin(), got.end(), -1.0);
    try {
        plan.run_batch(bad, std::span<double>(got));
        FAIL("no throw");
    } catch (const SchemaError& e) {
        CHECK(e.row() == std::optional<std::size_t>(5));
        CHECK(e.column() == "island");
        CHECK(std::string(e.what()).find("row 5") != std::string::npos);
    }
    CHECK(std::memcmp(got.data(), want.data(), 5 * width * sizeof(double)) == 0);
    CHECK(std::all_of(got.begin() + 5 * width, got.end(), [](double x) { return x == -1.0; }));

    CHECK_THROWS_WITH_AS(plan.run_batch(std::span<const Cell>(flat).first(flat.size() - 1), std::span<double>(got)),
                         doctest::Contains("not a whole number of records"), SchemaError);
    CHECK_THROWS_WITH_AS(plan.run_batch(flat, std::span<double>(got).first(got.size() - 1)),
                         doctest::Contains("the output buffer holds"), SchemaError);
    std::vector<double> numbers(plan.n_inputs(), 1.0), one(width);
    CHECK_THROWS_WITH_AS(plan.run_batch(numbers, std::span<double>(one)), doctest::Contains("the numeric batch holds numbers only"),
                         SchemaError);

    // A step's error names the step and the record's row in the batch.
    Pipeline strict = onehot_then_log();
    strict.fit(training());
    RowPlan splan = strict.compile();
    const std::vector<Cell> two = {Cell::cat("Adelie"), Cell::num(40.0), Cell::cat("Emperor"), Cell::num(40.0)};
    std::vector<double> out2(2 * splan.n_outputs());
    try {
        splan.run_batch(two, std::span<double>(out2));
        FAIL("no throw");
    } catch (const UnknownCategory& e) {
        CHECK(std::string(e.what()).find("Pipeline step 'onehot' (one_hot_encoder): OneHotEncoder: column 'species', row 1") == 0);
        CHECK(e.row() == std::optional<std::size_t>(1));
    }
    CHECK(detail::fp_checked_depth == 0);
    // Under a non-nearest rounding mode the batch is refused before any record.
    const int mode = std::fegetround();
    std::fesetround(FE_UPWARD);
    bool refused = false;
    try {
        plan.run_batch(flat, std::span<double>(got));
    } catch (const EnvironmentError&) {
        refused = true;
    }
    std::fesetround(mode);
    CHECK(refused);
}

TEST_CASE("RowPlan::run_batch on doubles: a numeric pipeline's records with NaNs give run()'s bits") {
    const std::vector<std::string> num = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};
    Pipeline p = Pipeline{}
                     .add("impute", SimpleImputer<>({.columns = num, .strategy = ImputeStrategy::median}))
                     .add("log", LogTransformer<>({.columns = num}))
                     .add("power", PowerTransformer<>({.columns = num}))
                     .add("quantile", QuantileTransformer<>({.columns = num, .n_quantiles = 50}))
                     .add("scale", StandardScaler<>({.columns = num}));
    const Table t = penguins();
    p.fit(t);
    RowPlan plan = p.compile();
    REQUIRE(plan.n_inputs() == 4);
    std::vector<double> values, want;
    std::size_t nans = 0;
    for (std::size_t i = 0; i < t.num_rows(); ++i) {
        std::vector<Cell> rec;
        for (const auto& c : p.input_schema()) {
            values.push_back(t.numeric(c.name)[i]);
            nans += std::isnan(values.back());
            rec.push_back(Cell::num(values.back()));
        }
        const auto row = run_one(plan, rec);
        want.insert(want.end(), row.begin(), row.end());
    }
    CHECK(nans > 0);
    std::vector<double> got(want.size());
    plan.run_batch(values, std::span<double>(got));
    CHECK(same_bits(got, want));
}

TEST_CASE("a step whose input type the plan cannot prove still refuses each record with its own error") {
    // Steps fitted apart and chained by hand: the imputer reads 'species_Adelie' as a
    // string column, the encoder before it writes numbers there. The plan keeps this
    // step on Cells, so the error is the step's own, on every record, as before typed slots.
    OneHotEncoder onehot({.columns = {"species"}});
    onehot.fit(training());
    Table strings;
    strings.add_categorical("species_Adelie", {"yes", "no", std::nullopt});
    CategoricalImputer impute({.columns = {"species_Adelie"}, .imputation_method = ImputationMethod::frequent});
    impute.fit(strings);
    Pipeline p = Pipeline{}.add("onehot", onehot).add("impute", impute);
    p.assume_fitted();
    RowPlan plan = p.compile();
    const std::vector<Cell> rec = {Cell::cat("Adelie")};
    std::vector<Cell> out(plan.n_outputs());
    for (int round = 0; round < 2; ++round) {
        CHECK_THROWS_WITH_AS(plan.run(rec, std::span<Cell>(out)),
                             "Pipeline step 'impute' (categorical_imputer): CategoricalImputer: column 'species_Adelie': "
                             "a number was given where a string belongs. Fix: pass the column with the type it had in fit",
                             SchemaError);
    }
}

TEST_CASE("the plan's name table finds every input among many alike, and no other name") {
    // Short names, and long ones that differ only in the middle (the hash reads the
    // length and the first and last 8 bytes, so these all collide and must be probed).
    std::vector<std::string> names;
    for (int k = 0; k < 150; ++k) names.push_back("c" + std::to_string(k));
    for (int k = 0; k < 150; ++k) names.push_back("feature_" + std::to_string(1000 + k) + "_value_in_mm");
    names.push_back("");
    const detail::InputIndex index(names, std::vector<ColumnType>(names.size(), ColumnType::numeric));
    for (std::size_t k = 0; k < names.size(); ++k) CHECK(index.find(names[k], "test") == k);
    for (const char* other : {"c150", "c", "feature_0999_value_in_mm", "feature_1000_value_in_m", "x"})
        CHECK_THROWS_WITH_AS((void)index.find(other, "test"), doctest::Contains("reads no input column"), SchemaError);
}
