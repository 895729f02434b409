// One list of built-in kinds (compose/builtin_kinds.hpp) drives the registry, the test
// zoo and the repro probe. These tests fail, naming the kind, when a kind of that list
// is not registered for load_pipeline, has no recipe in the zoo (tests/fuzz/zoo.hpp),
// no golden artifact (tests/golden/artifacts/) or no line in the repro probe's golden
// output (tests/golden/repro.txt, which repro_dev holds the probe to); and they check
// that register_component refuses a second type under a kind name already taken.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <reprep/compose/builtin_kinds.hpp>

#include "../fuzz/zoo.hpp"

using namespace reprep;
namespace fs = std::filesystem;

namespace {
const fs::path golden_dir = REPREP_GOLDEN_DIR;

std::set<std::string> kind_names() {
    std::set<std::string> names;
    detail::for_each_type<builtin_kinds>([&]<class C>() { names.insert(std::string(C::kind_name())); });
    return names;
}

// First and second whitespace-separated tokens of every line of a golden text file.
std::vector<std::pair<std::string, std::string>> tokens(const fs::path& p) {
    std::ifstream f(p);
    REQUIRE_MESSAGE(f, "cannot read " << p);
    std::vector<std::pair<std::string, std::string>> out;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        std::string a, b;
        in >> a >> b;
        out.emplace_back(a, b);
    }
    return out;
}

// Takes the kind name "standard_scaler" with another type: what a user component that
// reuses a built-in name would do.
struct Impostor : StandardScaler<double> {
    Impostor() = default;
    explicit Impostor(StandardScaler<double> s) : StandardScaler<double>(std::move(s)) {}
    static Impostor load_state(ArchiveReader& r, std::uint32_t v) { return Impostor(StandardScaler<double>::load_state(r, v)); }
};
// Two user types that claim one new kind name.
struct FirstClaim : StandardScaler<double> {
    static constexpr std::string_view kind_name() { return "test_claimed_kind"; }
    FirstClaim() = default;
    explicit FirstClaim(StandardScaler<double> s) : StandardScaler<double>(std::move(s)) {}
    static FirstClaim load_state(ArchiveReader& r, std::uint32_t v) { return FirstClaim(StandardScaler<double>::load_state(r, v)); }
};
struct SecondClaim : StandardScaler<double> {
    static constexpr std::string_view kind_name() { return "test_claimed_kind"; }
    SecondClaim() = default;
    explicit SecondClaim(StandardScaler<double> s) : StandardScaler<double>(std::move(s)) {}
    static SecondClaim load_state(ArchiveReader& r, std::uint32_t v) { return SecondClaim(StandardScaler<double>::load_state(r, v)); }
};
}  // namespace

TEST_CASE("the built-in kinds have distinct kind names, and the registry holds exactly them") {
    const auto names = kind_names();
    CHECK(names.size() == std::tuple_size_v<builtin_kinds>);
    detail::register_builtin_components();
    detail::for_each_type<builtin_kinds>([]<class C>() {
        INFO("kind: " << C::kind_name());
        CHECK(is_registered(C::kind_name()));
        // Registered with this very type's loader, not another type of the same name.
        auto& r = detail::registry();
        std::lock_guard lock(r.mutex);
        const auto it = r.loaders.find(C::kind_name());
        REQUIRE(it != r.loaders.end());
        CHECK(it->second.template target<detail::LoaderOf<C>>() != nullptr);
    });
    auto& r = detail::registry();
    std::lock_guard lock(r.mutex);
    for (const auto& entry : r.loaders) {
        // Not a structured binding: doctest's INFO captures it in a lambda, which clang 14 refuses.
        const std::string& name = entry.first;
        INFO("registered kind: " << name);
        CHECK(names.count(name) == 1);
    }
}

TEST_CASE("every built-in kind has a recipe in the test zoo (fuzz corpora, golden artifacts, bad-input sweeps)") {
    detail::for_each_type<zoo::ArtifactKinds>([]<class C>() {
        CHECK_MESSAGE(zoo::has_recipe<C>, "kind " << zoo::tag<C>() << " has no recipe in tests/fuzz/zoo.hpp");
    });
}

TEST_CASE("every built-in kind has a golden artifact, recorded in expected.tsv") {
    std::set<std::string> recorded;
    for (const auto& [file, kind] : tokens(golden_dir / "artifacts" / "expected.tsv")) recorded.insert(file);
    detail::for_each_type<zoo::ArtifactKinds>([&]<class C>() {
        const std::string file = zoo::tag<C>() + ".rpp";
        INFO("artifact: " << file);
        CHECK_MESSAGE(fs::exists(golden_dir / "artifacts" / file),
                      "no golden artifact: run make_artifacts golden (new kinds only, tests/compat/suite.cmake)");
        CHECK_MESSAGE(recorded.count(file) == 1, "no line in tests/golden/artifacts/expected.tsv");
        if (fs::exists(golden_dir / "artifacts" / file))
            CHECK(read_artifact_header(detail::read_file(golden_dir / "artifacts" / file)).kind == C::kind_name());
    });
}

TEST_CASE("every built-in kind is fitted by the repro probe and its golden artifact loaded there") {
    // Item names are "<kind>" or "<kind>.<setting>"; golden-artifact lines are
    // "golden_artifact <file> ..." and "resave <file> ...".
    std::set<std::string> fitted, loaded, resaved;
    for (const auto& [name, second] : tokens(golden_dir / "repro.txt")) {
        if (name == "golden_artifact") loaded.insert(second);
        else if (name == "resave") resaved.insert(second);
        else fitted.insert(name.substr(0, name.find('.')));
    }
    detail::for_each_type<builtin_kinds>([&]<class C>() {
        CHECK_MESSAGE(fitted.count(std::string(C::kind_name())) == 1,
                      "kind " << C::kind_name() << " has no item in tests/repro/probe.cpp (then run regen_golden.sh)");
    });
    detail::for_each_type<zoo::ArtifactKinds>([&]<class C>() {
        const std::string file = zoo::tag<C>() + ".rpp";
        CHECK_MESSAGE(loaded.count(file) == 1, file << " is not loaded by the repro probe");
        CHECK_MESSAGE(resaved.count(file) == 1, file << " is not saved again by the repro probe");
    });
}

TEST_CASE("register_component refuses a kind name already taken by another type, and keeps the first loader") {
    detail::register_builtin_components();
    // The same type again: idempotent.
    CHECK_NOTHROW(register_component<StandardScaler<double>>());
    CHECK_THROWS_AS(register_component<Impostor>(), InvalidParameter);
    try {
        register_component<Impostor>();
    } catch (const Error& e) {
        CHECK(e.component() == "register_component");
        CHECK(std::string(e.what()).find("'standard_scaler'") != std::string::npos);
        CHECK(std::string(e.what()).find("another component type") != std::string::npos);
    }
    {
        auto& r = detail::registry();
        std::lock_guard lock(r.mutex);
        CHECK(r.loaders.at("standard_scaler").target<detail::LoaderOf<StandardScaler<double>>>() != nullptr);
    }
    // A pipeline still loads its standard_scaler step as the built-in type.
    const Table t = zoo::penguins(REPREP_TEST_DATA_DIR);
    auto p = Pipeline{}.add("scale", StandardScaler<>({.columns = zoo::numeric_cols}));
    p.fit(t);
    CHECK(fingerprint(load_pipeline_bytes(save_bytes(p))) == fingerprint(p));

    // A user kind: the first type to claim it keeps it.
    CHECK_NOTHROW(register_component<FirstClaim>());
    CHECK_NOTHROW(register_component<FirstClaim>());
    CHECK_THROWS_AS(register_component<SecondClaim>(), InvalidParameter);
    CHECK(is_registered("test_claimed_kind"));
}
