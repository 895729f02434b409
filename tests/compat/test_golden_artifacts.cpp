// Backward compatibility: every golden artifact under tests/golden/artifacts (written
// by make_artifacts.cpp with format version 1) must keep loading, with the recorded
// fingerprint and the recorded output on penguins.csv. A format change that breaks
// this test breaks artifacts users already store: add a reader for the old version
// instead (docs/reliability.md, "Artifact compatibility policy").
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "../fuzz/zoo.hpp"

using namespace reprep;
namespace fs = std::filesystem;

namespace {
struct Expected {
    std::string kind, fingerprint, output_hash;
};
const fs::path dir = fs::path(REPREP_GOLDEN_DIR) / "artifacts";

std::map<std::string, Expected> expected() {
    std::ifstream f(dir / "expected.tsv");
    REQUIRE(f);
    std::map<std::string, Expected> m;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        std::string file;
        Expected e;
        in >> file >> e.kind >> e.fingerprint >> e.output_hash;
        m[file] = e;
    }
    return m;
}

// Same rule as make_artifacts.cpp: the full table, or its complete rows for a
// component that refuses missing values.
template <class C>
Table transformed(const C& c, const Table& t, const Table& complete) {
    try {
        return c.transform(zoo::input<C>(t));  // with the dates the datetime kinds read
    } catch (const InvalidInput&) {
        return c.transform(zoo::input<C>(complete));
    }
}
}  // namespace

TEST_CASE("every golden artifact loads with its recorded fingerprint and output") {
    const auto exp = expected();
    const Table t = zoo::penguins(REPREP_TEST_DATA_DIR);
    const Table c = zoo::complete_rows(t);
    std::size_t checked = 0;
    zoo::for_each_kind([&]<class C>() {
        const std::string file = zoo::tag<C>() + ".rpp";
        INFO("artifact: " << file);
        REQUIRE_MESSAGE(exp.count(file) == 1, "no golden artifact for this kind: run make_artifacts golden (new kinds only)");
        const auto& e = exp.at(file);
        const C obj = load<C>(dir / file);
        CHECK(e.kind == C::kind_name());
        CHECK(fingerprint(obj) == e.fingerprint);
        CHECK(zoo::output_hash(transformed(obj, t, c)) == e.output_hash);
        CHECK(read_artifact_header(detail::read_file(dir / file)).metadata.at("written_by") == "make_artifacts");
        ++checked;
    });
    for (const char* name : {"pipeline_penguins", "pipeline_wide"}) {
        const std::string file = std::string(name) + ".rpp";
        INFO("artifact: " << file);
        const auto& e = exp.at(file);
        const Pipeline p = load_pipeline(dir / file);
        CHECK(fingerprint(p) == e.fingerprint);
        CHECK(zoo::output_hash(p.transform(t)) == e.output_hash);
        CHECK(p.lineage().seed == 2026);
        CHECK(p.lineage().rows == t.num_rows());
        CHECK(p.metadata().at("dataset") == "penguins");
        // Written before profiles existed: it loads without one.
        CHECK_FALSE(p.has_profile());
        ++checked;
    }
    {
        // Written with a training profile: the profile is a pure function of the rows,
        // so today's fit records the same bytes.
        const std::string file = "pipeline_penguins_profiled.rpp";
        INFO("artifact: " << file);
        const auto& e = exp.at(file);
        const Pipeline p = load_pipeline(dir / file);
        CHECK(fingerprint(p) == e.fingerprint);
        CHECK(fingerprint(p) == exp.at("pipeline_penguins.rpp").fingerprint);  // the profile is outside it
        CHECK(zoo::output_hash(p.transform(t)) == e.output_hash);
        REQUIRE(p.has_profile());
        CHECK(p.profile().bytes() == Profile::of(t, p.input_schema()).bytes());
        ++checked;
    }
    {
        const std::string file = "drift_monitor.rpp";
        INFO("artifact: " << file);
        const auto& e = exp.at(file);
        const Monitor m = load<Monitor>(dir / file);
        CHECK(e.kind == Monitor::kind_name());
        CHECK(fingerprint(m) == e.fingerprint);
        CHECK(xxh3_128(m.report().to_json()).hex() == e.output_hash);
        CHECK(m.rows() == zoo::biscoe_rows(t).num_rows());
        ++checked;
    }
    {
        // Written with a serving policy (fill, drop): the policy section is frozen too.
        const std::string file = "pipeline_penguins_policy.rpp";
        INFO("artifact: " << file);
        const auto& e = exp.at(file);
        const Pipeline p = load_pipeline(dir / file);
        CHECK(fingerprint(p) == e.fingerprint);
        CHECK(zoo::output_hash(p.transform(zoo::penguins_without_sex_and_mass(t))) == e.output_hash);
        CHECK(p.serving_policy() == ServingPolicy{.missing_columns = MissingColumns::fill, .extra_columns = ExtraColumns::drop});
        Pipeline today = zoo::penguins_policy_pipeline();
        today.fit(t);
        CHECK(fingerprint(today) == e.fingerprint);  // the fill values are a pure function of the rows
        ++checked;
    }
    {
        // A monitor with absent counts and per-step unseen counts.
        const std::string file = "drift_monitor_steps.rpp";
        INFO("artifact: " << file);
        const auto& e = exp.at(file);
        const Monitor m = load<Monitor>(dir / file);
        CHECK(fingerprint(m) == e.fingerprint);
        CHECK(xxh3_128(m.report().to_json()).hex() == e.output_hash);
        const DriftReport r = m.report();
        CHECK(r.steps.size() == 3);
        for (const auto& col : r.columns) CHECK(col.absent_rate == (col.column == "sex" ? 1.0 : 0.0));
        CHECK(r.steps.front().column == "species");
        CHECK(r.steps.front().unseen > 0);
        ++checked;
    }
    {
        // A multiclass TargetEncoder (target_type 3 in the payload): classes 0, 1, 2.
        const std::string file = "target_encoder_multiclass.rpp";
        INFO("artifact: " << file);
        const auto& e = exp.at(file);
        const TargetEncoder m = load<TargetEncoder>(dir / file);
        CHECK(e.kind == TargetEncoder::kind_name());
        CHECK(fingerprint(m) == e.fingerprint);
        CHECK(zoo::output_hash(m.transform(t)) == e.output_hash);
        CHECK(m.classes() == std::vector<double>{0, 1, 2});
        CHECK(m.feature_names_out() ==
              std::vector<std::string>{"island_0", "island_1", "island_2", "sex_0", "sex_1", "sex_2"});
        CHECK(fingerprint(zoo::multiclass_target_encoder(t)) == e.fingerprint);
        ++checked;
    }
    CHECK(checked == exp.size());
}

TEST_CASE("a freshly fitted component has the golden fingerprint (the format and the fit are both frozen)") {
    const auto exp = expected();
    const Table t = zoo::penguins(REPREP_TEST_DATA_DIR);
    const Table c = zoo::complete_rows(t);
    zoo::for_each_kind([&]<class C>() {
        INFO("kind: " << zoo::tag<C>());
        CHECK(fingerprint(zoo::make_fitted<C>(t, c)) == exp.at(zoo::tag<C>() + ".rpp").fingerprint);
    });
}
