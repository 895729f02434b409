// The training profile and the drift monitor (compose/profile.hpp, compose/monitor.hpp):
// the profile is a pure function of the training rows; monitors merge exactly, in any
// order and any split, and the per-row path counts what update() counts; bytes
// round-trip; old artifacts load without a profile; every misuse is a typed error.
// (PSI and JS against an independent NumPy reference: tests/parity/test_parity_drift.cpp.)
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <thread>
#include <vector>

#include <reprep/reprep.hpp>

#include "../fuzz/zoo.hpp"
#include "../scratch_dir.hpp"
#include "record_of.hpp"

using namespace reprep;

namespace {
Table penguins() { return read_csv(std::filesystem::path(REPREP_TEST_DATA_DIR) / "penguins.csv"); }

// Every column of penguins is read by some step, so every one is profiled.
Pipeline fitted() {
    const std::vector<std::string> nums = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"};
    Pipeline p = Pipeline{}
                     .add("impute", SimpleImputer<>({.columns = nums, .strategy = ImputeStrategy::median}))
                     .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"},
                                                   .handle_unknown = HandleUnknown::ignore}));
    p.fit(penguins());
    return p;
}

std::vector<std::size_t> shuffled(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    Rng rng(seed);
    for (std::size_t i = n; i > 1; --i) std::swap(idx[i - 1], idx[rng.uniform_int(i)]);
    return idx;
}

std::vector<Cell> record(const Pipeline& p, const Table& t, std::size_t i) { return reprep_test::record_of(p, t, i); }

// A live population with real drift: Biscoe only, plus a category and values fit never saw.
Table drifted() {
    const Table t = penguins();
    Table live = zoo::biscoe_rows(t);
    std::vector<double> mass(live.numeric("body_mass_g").begin(), live.numeric("body_mass_g").end());
    mass[0] = 9000.0;  // above the training max
    mass[1] = 100.0;   // below the training min
    live.set_numeric("body_mass_g", mass);
    std::vector<std::optional<std::string>> species;
    for (std::size_t i = 0; i < live.num_rows(); ++i)
        if (i % 10 == 0) species.emplace_back("Emperor");
        else species.emplace_back(std::string(*live.category("species", i)));
    live.set_categorical("species", species);
    return live;
}

std::string report_bits(const Monitor& m) { return m.report().to_json(); }
}  // namespace

TEST_CASE("the profile records exact statistics and is the same for any row order") {
    const Pipeline p = fitted();
    REQUIRE(p.has_profile());
    const Profile& prof = p.profile();
    REQUIRE(prof.columns().size() == p.input_schema().size());
    const auto& mass = prof.column("body_mass_g");
    CHECK(mass.count == 344);
    CHECK(mass.missing == 2);
    CHECK(mass.min == 2700.0);
    CHECK(mass.max == 6300.0);
    CHECK(mass.edges.size() == 9);
    CHECK(std::accumulate(mass.bins.begin(), mass.bins.end(), std::uint64_t{0}) == 342);
    // year takes three values: its nine deciles merge to three edges.
    CHECK(prof.column("year").edges == std::vector<double>{2007.0, 2008.0, 2009.0});
    const auto& island = prof.column("island");
    CHECK(island.categories == std::vector<std::string>{"Biscoe", "Dream", "Torgersen"});
    CHECK(island.counts == std::vector<std::uint64_t>{168, 124, 52});
    CHECK(prof.column("sex").missing == 11);
    CHECK_THROWS_AS((void)prof.column("nope"), InvalidParameter);

    Pipeline q = fitted();
    const Table t = penguins();
    const auto order = shuffled(t.num_rows(), 7);
    q.fit(t.rows(order));
    CHECK(q.profile().bytes() == prof.bytes());
}

namespace {
// Columns that stress every figure of the profile: ±inf and both zeros, an all-NaN
// column, a column of one value, a wide column whose deciles need every selection pass
// (distinct doubles spread over the whole key range), more categories than the profile
// keeps (1,300 distinct, so "other" is non-zero), missing categories, and datetimes.
Table awkward_table(std::size_t n) {
    Rng rng(20261207);
    std::vector<double> zeros(n), nans(n), one(n), wide(n);
    std::vector<std::optional<std::string>> many(n), few(n);
    std::vector<std::int64_t> when(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t k = rng.uniform_int(8);
        zeros[i] = k == 0 ? -0.0 : k == 1 ? 0.0 : k == 2 ? std::numeric_limits<double>::infinity()
                 : k == 3 ? -std::numeric_limits<double>::infinity() : k == 4 ? std::numeric_limits<double>::quiet_NaN()
                                                                      : static_cast<double>(k) - 6.0;
        nans[i] = std::numeric_limits<double>::quiet_NaN();
        one[i] = 2.5;
        wide[i] = (rng.normal() * 1e3) * (rng.uniform() < 0.5 ? 1e-7 : 1.0);
        const std::uint64_t c = rng.uniform_int(1300);
        many[i] = "c" + std::to_string(c);
        if (i % 17 == 0) few[i] = std::nullopt;
        else few[i] = i % 3 == 0 ? std::string("x") : std::string("y");
        when[i] = i % 11 == 0 ? kNaT : static_cast<std::int64_t>(rng.uniform_int(1'000'000)) * 3'000'000'007LL;
    }
    Table t;
    t.add_numeric("zeros", zeros).add_numeric("nans", nans).add_numeric("one", one).add_numeric("wide", wide);
    t.add_categorical("many", many).add_categorical("few", few).add_datetime("when", when);
    return t;
}

std::vector<SchemaColumn> schema_of(const Table& t) {
    std::vector<SchemaColumn> s;
    for (const auto& n : t.column_names()) s.push_back({.name = n, .type = t.type(n)});
    return s;
}

// t cut into chunks of `size` rows, in reverse order, with an empty chunk in front.
TableChunks chunks_of(const Table& t, std::size_t size) {
    std::vector<Table> chunks;
    for (std::size_t b = 0; b < t.num_rows(); b += size) {
        std::vector<std::size_t> idx;
        for (std::size_t i = b; i < std::min(t.num_rows(), b + size); ++i) idx.push_back(i);
        chunks.push_back(t.rows(idx));
    }
    std::reverse(chunks.begin(), chunks.end());
    chunks.insert(chunks.begin(), t.rows(std::vector<std::size_t>{}));
    return TableChunks(std::move(chunks));
}
}  // namespace

TEST_CASE("the profile of a chunk source has the bytes of the profile of its rows concatenated") {
    const Table t = awkward_table(5000);
    const auto schema = schema_of(t);
    const Profile want = Profile::of(t, schema);
    // The awkward columns are what they claim to be.
    CHECK(want.column("many").other > 0);
    CHECK(want.column("many").categories.size() == ColumnProfile::kMaxCategories);
    CHECK(std::isnan(want.column("nans").mean));
    CHECK(want.column("one").edges == std::vector<double>{2.5});
    CHECK(want.column("wide").edges.size() == 9);
    for (const std::size_t size : {1, 7, 640, 5000}) {
        const Profile got = Profile::of(chunks_of(t, size), schema);
        CHECK_MESSAGE(got.bytes() == want.bytes(), "chunks of " << size << " rows");
    }
    // The reads: the first pass, at least one more selection pass (the wide column's
    // deciles are not settled by 16 bits), and the bin counts.
    struct Counting final : ChunkSource {
        const ChunkSource& base;
        mutable int reads = 0;
        explicit Counting(const ChunkSource& b) : base(b) {}
        void for_each(const std::function<void(const Table&)>& visit) const override {
            ++reads;
            base.for_each(visit);
        }
    };
    const TableChunks chunks = chunks_of(t, 640);
    const Counting counting(chunks);
    CHECK(Profile::of(counting, schema).bytes() == want.bytes());
    CHECK(counting.reads >= 3);
    // A source with no chunk at all: the profile of no rows.
    CHECK(Profile::of(TableChunks({}), schema).bytes() == Profile::of(t.rows(std::vector<std::size_t>{}), schema).bytes());
    // The check has teeth: one row fewer is another profile.
    std::vector<std::size_t> fewer(t.num_rows() - 1);
    std::iota(fewer.begin(), fewer.end(), std::size_t{1});
    CHECK(Profile::of(chunks_of(t.rows(fewer), 640), schema).bytes() != want.bytes());
}

TEST_CASE("a pipeline fitted from chunks records the training profile, and its monitor reports as the in-memory one") {
    const Pipeline mem = fitted();
    const Table t = penguins();
    for (const std::size_t size : {1, 50, 344}) {
        Pipeline src = Pipeline{}
                           .add("impute", SimpleImputer<>({.columns = {"bill_length_mm", "bill_depth_mm",
                                                                       "flipper_length_mm", "body_mass_g", "year"},
                                                           .strategy = ImputeStrategy::median}))
                           .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"},
                                                         .handle_unknown = HandleUnknown::ignore}));
        src.fit(chunks_of(t, size));
        REQUIRE(src.has_profile());
        CHECK(src.profile().bytes() == mem.profile().bytes());
        CHECK(src.lineage().data_fingerprint == Hash128{});  // needs every row's hash at once: left empty
        Monitor a = mem.monitor(), b = src.monitor();
        a.update(drifted());
        b.update(drifted());
        CHECK(report_bits(b) == report_bits(a));
        // It travels in the artifact as after fit(Table).
        CHECK(load_pipeline_bytes(save_bytes(src)).profile() == mem.profile());
    }
}

TEST_CASE("the profile travels in the artifact, outside the fingerprint; old artifacts load without one") {
    const Pipeline p = fitted();
    const std::string bytes = save_bytes(p);
    const Pipeline served = load_pipeline_bytes(bytes);
    REQUIRE(served.has_profile());
    CHECK(served.profile() == p.profile());
    // The fingerprint covers the transformation only: the same steps fitted on rows in
    // another order (same multiset) give the same fingerprint and the same profile.
    CHECK(fingerprint(served) == fingerprint(p));

    // A pipeline artifact from before profiles existed.
    const auto old = std::filesystem::path(REPREP_GOLDEN_DIR) / "artifacts" / "pipeline_penguins.rpp";
    REQUIRE(std::filesystem::exists(old));
    const Pipeline legacy = load_pipeline(old);
    CHECK_FALSE(legacy.has_profile());
    CHECK_THROWS_WITH_AS((void)legacy.monitor(), doctest::Contains("no training profile"), InvalidInput);
}

TEST_CASE("monitors merged from any split and order equal one monitor over all rows") {
    const Pipeline p = fitted();
    const Table live = drifted();
    Monitor all = p.monitor();
    (void)p.transform(live, all);  // the input columns, then what each encoder step did not learn
    const std::string want = save_bytes(all);

    // Rows shuffled, split in three uneven parts, merged in another order.
    const auto order = shuffled(live.num_rows(), 11);
    const std::size_t a = 17, b = 90;
    Monitor m1 = p.monitor(), m2 = p.monitor(), m3 = p.monitor();
    (void)p.transform(live.rows(std::span(order).subspan(0, a)), m1);
    (void)p.transform(live.rows(std::span(order).subspan(a, b - a)), m2);
    (void)p.transform(live.rows(std::span(order).subspan(b)), m3);
    m3.merge(m1);
    m3.merge(m2);
    CHECK(save_bytes(m3) == want);
    CHECK(report_bits(m3) == report_bits(all));

    // One monitor per thread over the row path, merged afterwards.
    constexpr int kThreads = 4;
    std::vector<Monitor> per(kThreads, p.monitor());
    std::vector<std::thread> pool;
    for (int k = 0; k < kThreads; ++k)
        pool.emplace_back([&, k] {
            RowPlan plan = p.compile();
            std::vector<double> out(plan.n_outputs());
            for (std::size_t i = static_cast<std::size_t>(k); i < live.num_rows(); i += kThreads) {
                const auto rec = record(p, live, i);
                plan.run(rec, std::span<double>(out), per[static_cast<std::size_t>(k)]);
            }
        });
    for (auto& th : pool) th.join();
    Monitor merged = p.monitor();
    for (const auto& m : per) merged.merge(m);
    CHECK(save_bytes(merged) == want);
}

TEST_CASE("each encoder step counts the values it never learnt, batch and row alike") {
    const Pipeline p = fitted();
    const Table live = drifted();
    std::uint64_t emperors = 0;
    for (std::size_t i = 0; i < live.num_rows(); ++i) emperors += live.category("species", i) == std::optional<std::string_view>("Emperor");
    REQUIRE(emperors > 0);
    Monitor m = p.monitor();
    (void)p.transform(live, m);
    const DriftReport r = m.report();
    REQUIRE(r.steps.size() == 3);  // onehot reads species, island, sex
    for (const auto& st : r.steps) {
        INFO("step " << st.step << " column " << st.column);
        CHECK(st.step == "onehot");
        CHECK(st.rows == live.num_rows());
        CHECK(st.unseen == (st.column == "species" ? emperors : 0));
        CHECK(st.unseen_rate == static_cast<double>(st.unseen) / static_cast<double>(live.num_rows()));
    }
    CHECK(r.to_text().find("onehot / species") != std::string::npos);
    CHECK(r.to_json().find("\"step\": \"onehot\", \"column\": \"species\", \"unseen\": " + std::to_string(emperors)) !=
          std::string::npos);
    CHECK(save_bytes(load_bytes<Monitor>(save_bytes(m))) == save_bytes(m));

    // Per step: a rare-label step absorbs the unseen species into "Rare", which the one-hot
    // step after it learnt in fit (Chinstrap, 20% of the rows, is rare at tol = 0.25).
    Pipeline chain = Pipeline{}
                         .add("rare", RareLabelEncoder({.columns = {"species"}, .tol = 0.25, .n_categories = 2}))
                         .add("onehot", OneHotEncoder({.columns = {"species"}}));
    chain.fit(penguins());
    Monitor cm = chain.monitor();
    (void)chain.transform(live, cm);
    const auto steps = cm.report().steps;
    REQUIRE(steps.size() == 2);
    CHECK(steps[0].step == "rare");
    CHECK(steps[0].unseen == emperors);  // live has no Chinstrap (Biscoe only), so only the unseen ones
    CHECK(steps[1].step == "onehot");
    CHECK(steps[1].unseen == 0);

    // A monitor of another pipeline, or one saved before steps were watched, is refused.
    Monitor foreign = chain.monitor();
    CHECK_THROWS_WITH_AS((void)p.transform(live, foreign), doctest::Contains("other steps"), InvalidInput);
    Monitor old = Monitor(std::make_shared<const Profile>(p.profile()));
    CHECK_THROWS_WITH_AS(old.merge(m), doctest::Contains("different pipeline steps"), InvalidInput);
}

TEST_CASE("the drift report: real drift is found, identical data is stable") {
    const Pipeline p = fitted();
    Monitor same = p.monitor();
    same.update(penguins());
    for (const auto& c : same.report().columns) {
        CAPTURE(c.column);
        CHECK(c.psi == 0.0);
        CHECK(c.js == 0.0);
        CHECK(c.level == DriftLevel::stable);
        CHECK(c.live_missing_rate == c.train_missing_rate);
    }
    Monitor live = p.monitor();
    live.update(drifted());
    const DriftReport r = live.report();
    auto col = [&](std::string_view n) {
        for (const auto& c : r.columns)
            if (c.column == n) return c;
        FAIL("no column " << n);
        return ColumnDrift{};
    };
    CHECK(col("island").level == DriftLevel::major);
    CHECK(col("year").level == DriftLevel::stable);
    const auto mass = col("body_mass_g");
    CHECK(mass.above_max == 1.0 / 167.0);  // 168 Biscoe rows, 1 missing mass: 167 values
    CHECK(mass.below_min == 1.0 / 167.0);
    CHECK(std::isnan(mass.unseen_rate));
    const auto species = col("species");
    CHECK(species.unseen_rate == 17.0 / 168.0);  // every 10th row of 168 is "Emperor"
    CHECK(std::isnan(species.below_min));
    CHECK(r.worst() == DriftLevel::major);
    for (const auto& c : r.columns) {
        CHECK(c.js >= 0.0);
        CHECK(c.js <= 1.0);
    }
    // Thresholds are the user's: PSI levels move with them.
    const DriftReport strict = live.report({.moderate = 0.001, .major = 0.002});
    for (const auto& c : strict.columns)
        if (c.psi >= 0.002) CHECK(c.level == DriftLevel::major);
    CHECK_THROWS_AS((void)live.report({.moderate = 0.3, .major = 0.2}), InvalidParameter);
    // No live rows: no level.
    const DriftReport empty = p.monitor().report();
    CHECK(empty.columns.front().level == DriftLevel::no_data);
    CHECK(std::isnan(empty.columns.front().psi));
    CHECK(empty.worst() == DriftLevel::no_data);
}

TEST_CASE("monitor bytes round-trip and corrupt counts are refused") {
    const Pipeline p = fitted();
    Monitor m = p.monitor();
    m.update(drifted());
    const std::string bytes = save_bytes(m);
    const Monitor back = load_bytes<Monitor>(bytes);
    CHECK(save_bytes(back) == bytes);
    CHECK(report_bits(back) == report_bits(m));
    CHECK(fingerprint(back) == fingerprint(m));
    const reprep_test::ScratchDir dir;
    save(m, dir / "monitor.rpp");
    CHECK(save_bytes(load<Monitor>(dir / "monitor.rpp")) == bytes);

    // Payloads that do not add up, resealed with a valid checksum. A monitor that watches
    // no step ends with the counts of its last column.
    ArtifactHeader h;
    h.kind = std::string(Monitor::kind_name());
    h.schema_version = Monitor::schema_version;
    const auto corrupt_last_byte = [](const Monitor& mon) {
        ArchiveWriter w;
        mon.save_state(w);
        std::string payload = std::move(w).bytes();
        payload[payload.size() - 1] = static_cast<char>(payload[payload.size() - 1] ^ 1);  // the top byte of the last u64
        return payload;
    };
    Monitor plain(std::make_shared<const Profile>(p.profile()));
    plain.update(drifted());
    CHECK_THROWS_WITH_AS((void)load_bytes<Monitor>(encode_artifact(h, corrupt_last_byte(plain))),
                         doctest::Contains("the counts of column 'sex'"), FormatError);
    // One that watches steps ends with the unseen count of its last watch.
    Monitor watching = p.monitor();
    (void)p.transform(drifted(), watching);
    CHECK_THROWS_WITH_AS((void)load_bytes<Monitor>(encode_artifact(h, corrupt_last_byte(watching))),
                         doctest::Contains("step 'onehot' counts more unseen values than rows"), FormatError);
}

TEST_CASE("monitor misuse: typed errors, counts untouched") {
    const Pipeline p = fitted();
    Monitor m = p.monitor();
    m.update(drifted());
    const std::string before = save_bytes(m);

    // Mistyped columns are refused, all named at once (an absent column is counted as
    // absent instead: test_serving_policy.cpp).
    Table mistyped = penguins();
    mistyped.set_categorical("year", std::vector<std::optional<std::string>>(mistyped.num_rows(), "2007"));
    mistyped.set_numeric("sex", std::vector<double>(mistyped.num_rows(), 1.0));
    CHECK_THROWS_WITH_AS(m.update(mistyped),
                         doctest::Contains("column 'year' is categorical, expected numeric; column 'sex' is numeric, "
                                           "expected categorical"),
                         SchemaError);
    std::vector<Cell> rec = record(p, penguins(), 0);
    rec.pop_back();
    CHECK_THROWS_WITH_AS(m.observe(rec), doctest::Contains("the record holds"), SchemaError);
    rec = record(p, penguins(), 0);
    rec[0] = Cell::cat("40");
    CHECK_THROWS_WITH_AS(m.observe(rec), doctest::Contains("column 'bill_length_mm'"), SchemaError);
    CHECK(save_bytes(m) == before);

    Pipeline other = Pipeline{}.add("scale", StandardScaler<>({.columns = {"year"}}));
    other.fit(penguins());
    Monitor foreign = other.monitor();
    CHECK_THROWS_WITH_AS(m.merge(foreign), doctest::Contains("different training profiles"), InvalidInput);
    CHECK(save_bytes(m) == before);
    CHECK_THROWS_AS((void)Monitor().report(), NotFitted);

    // Merging a monitor into itself doubles it, as merging a copy would.
    Monitor twice = m;
    twice.merge(m);
    m.merge(m);
    CHECK(save_bytes(m) == save_bytes(twice));
}

TEST_CASE("load_pipeline with an expected fingerprint refuses any other artifact") {
    const Pipeline p = fitted();
    const reprep_test::ScratchDir dir;
    save(p, dir / "model.rpp");
    CHECK(load_pipeline(dir / "model.rpp", fingerprint(p)).has_profile());
    CHECK_THROWS_WITH_AS((void)load_pipeline(dir / "model.rpp", std::string(32, '0')),
                         doctest::Contains("expected 00000000000000000000000000000000"), FormatError);
}

TEST_CASE("read_csv with a pipeline's schema keeps the fitted types and names every missing column") {
    const Pipeline p = fitted();
    // A one-row request whose categorical field is empty: inferred, that column would be
    // numeric (all missing); with the schema it stays categorical.
    const std::string request =
        "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n"
        "Adelie,Biscoe,39.1,18.7,181,3750,,2007\n";
    CHECK(read_csv_string(request).type("sex") == ColumnType::numeric);
    const Table t = read_csv_string(request, p.input_schema());
    CHECK(t.type("sex") == ColumnType::categorical);
    CHECK_FALSE(t.category("sex", 0).has_value());
    CHECK_NOTHROW((void)p.transform(t));
    const std::string lacking = "species,bill_length_mm\nAdelie,39.1\n";
    CHECK_THROWS_WITH_AS((void)read_csv_string(lacking, p.input_schema()),
                         doctest::Contains("lacks 6 columns named in column_types: 'bill_depth_mm', 'body_mass_g', "
                                           "'flipper_length_mm', 'island', 'sex', 'year'"),
                         SchemaError);
}

TEST_CASE("the data fingerprint identifies the training rows in any order") {
    const Pipeline p = fitted();
    const Table t = penguins();
    CHECK(data_fingerprint(t.rows(shuffled(t.num_rows(), 3))) == p.lineage().data_fingerprint);
    std::vector<std::size_t> fewer(t.num_rows() - 1);
    std::iota(fewer.begin(), fewer.end(), std::size_t{0});
    CHECK_FALSE(data_fingerprint(t.rows(fewer)) == p.lineage().data_fingerprint);
}

TEST_CASE("a column marked as not available online may be in the data, but no step may read it") {
    Table t = penguins();
    // 'year' is in the training data, and no step reads it: fine.
    Pipeline ok = Pipeline{}.add("scale", StandardScaler<>({.columns = {"body_mass_g"}})).set_offline_columns({"year"});
    CHECK_NOTHROW(ok.fit(t));
    Pipeline bad = Pipeline{}
                       .add("impute", SimpleImputer<>({.columns = {"body_mass_g"}}))
                       .add("scale", StandardScaler<>({.columns = {"year", "body_mass_g"}}))
                       .set_offline_columns({"year"});
    CHECK_THROWS_WITH_AS(bad.fit(t), doctest::Contains("step 'scale' (standard_scaler) reads column 'year'"), InvalidInput);
    CHECK_FALSE(bad.is_fitted());
}
