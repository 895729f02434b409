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
