// reprep-test: own executable (it replaces the global operator new to count allocations; tests/CMakeLists.txt).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <new>
#include <reprep/compose/builtin_kinds.hpp>
#include <reprep/compose/inspect.hpp>
#include <reprep/compose/pipeline.hpp>
#include <reprep/core/csv.hpp>
#include <thread>

// GCC pairs our replacement operator new/delete with malloc/free and warns that they
// mismatch; they are the replacement pair, so the warning does not apply here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// ---- counting allocator: proves the single-row path allocates nothing per row ----
namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace
void* operator new(std::size_t n) {
    if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
// The nothrow forms too: std::stable_sort's buffer comes from new(nothrow) and goes
// back through the sized delete above, so both ends must be malloc/free (ASan found
// the mismatch when only the throwing form was replaced).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace reprep;

namespace {
const std::vector<std::string> numeric_cols = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};

Table penguins() { return read_csv(std::filesystem::path(REPREP_TEST_DATA_DIR) / "penguins.csv"); }

Pipeline penguins_pipeline() {
    return Pipeline{}
        .add("impute", SimpleImputer<>({.columns = numeric_cols, .strategy = ImputeStrategy::median}))
        .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
        .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
        .add("scale", StandardScaler<>({.columns = numeric_cols}));
}

// One record per row of t, in the pipeline's input-schema order. The strings are
// views into t, which must outlive the records.
std::vector<std::vector<Cell>> records(const Pipeline& p, const Table& t) {
    std::vector<std::vector<Cell>> out(t.num_rows());
    for (std::size_t i = 0; i < t.num_rows(); ++i)
        for (const auto& c : p.input_schema()) {
            if (c.type == ColumnType::numeric) out[i].push_back(Cell::num(t.numeric(c.name)[i]));
            else if (auto v = t.category(c.name, i)) out[i].push_back(Cell::cat(*v));
            else out[i].push_back(Cell::missing_cat());
        }
    return out;
}

// The batch output as a row-major vector of doubles, in feature_names_out() order.
std::vector<double> batch_values(const Pipeline& p, const Table& t) {
    const Table out = p.transform(t);
    const auto names = p.feature_names_out();
    std::vector<double> v;
    for (std::size_t i = 0; i < t.num_rows(); ++i)
        for (const auto& n : names) v.push_back(out.numeric(n)[i]);
    return v;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}
}  // namespace

TEST_CASE("the penguins pipeline fits, names its outputs and records its input schema") {
    auto pipe = penguins_pipeline();
    CHECK_THROWS_AS(pipe.transform(penguins()), NotFitted);
    pipe.fit(penguins());
    const auto names = pipe.feature_names_out();
    CHECK(std::find(names.begin(), names.end(), "species_Adelie") != names.end());
    // A column no step reads passes through transform(Table) but is not a feature of
    // the pipeline (and not part of the single-row record).
    CHECK(std::find(names.begin(), names.end(), "year") == names.end());
    CHECK(std::find(names.begin(), names.end(), "species") == names.end());
    std::vector<std::string> schema;
    for (const auto& c : pipe.input_schema()) schema.push_back(c.name);
    CHECK(schema == std::vector<std::string>{"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex",
                                             "species", "island"});
    CHECK(pipe.lineage().rows == 344);
    const Table out = pipe.transform(penguins());
    CHECK(out.num_rows() == 344);
    REQUIRE(out.has_column("year"));
    CHECK(out.numeric("year")[0] == 2007);
    // After imputation and scaling no numeric output is NaN.
    for (const auto& n : names)
        for (double x : out.numeric(n)) CHECK_FALSE(std::isnan(x));
}

TEST_CASE("the pipeline's fitted state does not depend on row order") {
    auto a = penguins_pipeline();
    a.fit(penguins());
    const Table t = penguins();
    std::vector<std::size_t> order(t.num_rows());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = order.size() - 1 - i;
    auto b = penguins_pipeline();
    b.fit(t.rows(order));
    CHECK(fingerprint(a) == fingerprint(b));
    CHECK(a.lineage().data_fingerprint == b.lineage().data_fingerprint);
}

TEST_CASE("save and load_pipeline round-trip: same fingerprint, same bits, lineage and metadata kept") {
    auto pipe = penguins_pipeline();
    pipe.set_seed(2026);
    pipe.set_metadata("dataset", "penguins");
    pipe.fit(penguins());
    const std::string bytes = save_bytes(pipe);
    const Pipeline served = load_pipeline_bytes(bytes);
    CHECK(fingerprint(served) == fingerprint(pipe));
    CHECK(fingerprint(served).size() == 32);
    CHECK(served.metadata().at("dataset") == "penguins");
    CHECK(served.lineage().seed == 2026);
    CHECK(served.lineage().rows == 344);
    CHECK(served.lineage().data_fingerprint == pipe.lineage().data_fingerprint);
    CHECK(same_bits(batch_values(served, penguins()), batch_values(pipe, penguins())));
    // Metadata is outside the fingerprint.
    pipe.set_metadata("dataset", "other");
    CHECK(fingerprint(pipe) == fingerprint(served));
    // A serving unit that names its kinds loads the same pipeline, with the same bits.
    using Served = Kinds<SimpleImputer<>, CategoricalImputer, OneHotEncoder, StandardScaler<>>;
    const Pipeline named = load_pipeline_bytes<Served>(bytes);
    CHECK(fingerprint(named) == fingerprint(pipe));
    CHECK(same_bits(batch_values(named, penguins()), batch_values(served, penguins())));
}

TEST_CASE("the single-row plan gives the bits of the batch path and allocates nothing per row") {
    auto pipe = penguins_pipeline();
    pipe.fit(penguins());
    const Table t = penguins();
    const auto recs = records(pipe, t);
    auto plan = pipe.compile();
    REQUIRE(plan.n_outputs() == pipe.feature_names_out().size());
    std::vector<double> row(plan.n_outputs()), rows;
    plan.run(recs[0], std::span<double>(row));  // warm-up
    allocations = 0;
    counting = true;
    for (const auto& r : recs) plan.run(r, std::span<double>(row));
    counting = false;
    CHECK(allocations.load() == 0);
    for (const auto& r : recs) {
        plan.run(r, std::span<double>(row));
        rows.insert(rows.end(), row.begin(), row.end());
    }
    CHECK(same_bits(rows, batch_values(pipe, t)));
}

TEST_CASE("transform is const and safe from many threads on one loaded pipeline") {
    auto fitted = penguins_pipeline();
    fitted.fit(penguins());
    const Pipeline served = load_pipeline_bytes(save_bytes(fitted));
    const Table t = penguins();
    const auto expected = batch_values(served, t);
    const auto recs = records(served, t);
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < 8; ++k)
        threads.emplace_back([&] {
            for (int rep = 0; rep < 3; ++rep)
                if (!same_bits(batch_values(served, t), expected)) ++mismatches;
            auto plan = served.compile();
            std::vector<double> row(plan.n_outputs()), rows;
            for (const auto& r : recs) {
                plan.run(r, std::span<double>(row));
                rows.insert(rows.end(), row.begin(), row.end());
            }
            if (!same_bits(rows, expected)) ++mismatches;
        });
    for (auto& th : threads) th.join();
    CHECK(mismatches.load() == 0);
}

TEST_CASE("schema errors name every missing or mistyped column") {
    auto pipe = penguins_pipeline();
    pipe.fit(penguins());
    Table bad = penguins();
    bad.remove("body_mass_g");
    bad.remove("island");
    try {
        (void)pipe.transform(bad);
        FAIL("no throw");
    } catch (const SchemaError& e) {
        const std::string m = e.what();
        CHECK(m.find("'body_mass_g' is missing") != std::string::npos);
        CHECK(m.find("'island' is missing") != std::string::npos);
    }
    Table mistyped = penguins();
    std::vector<std::optional<std::string>> text(mistyped.num_rows(), std::string("heavy"));
    mistyped.remove("body_mass_g");
    mistyped.add_categorical("body_mass_g", text);
    CHECK_THROWS_WITH_AS(pipe.transform(mistyped), doctest::Contains("'body_mass_g' is categorical, expected numeric"),
                         SchemaError);
    // A record with a string where a number belongs.
    auto plan = pipe.compile();
    auto rec = records(pipe, penguins())[0];
    rec[3] = Cell::cat("heavy");
    std::vector<double> out(plan.n_outputs(), -1.0);
    CHECK_THROWS_WITH_AS(plan.run(rec, std::span<double>(out)), doctest::Contains("body_mass_g"), SchemaError);
    CHECK(std::all_of(out.begin(), out.end(), [](double x) { return x == -1.0; }));  // nothing written
}

TEST_CASE("a failing step is named and leaves no partial output") {
    auto pipe = Pipeline{}.add("onehot", OneHotEncoder({.columns = {"species"}}));  // handle_unknown = error
    pipe.fit(penguins());
    Table req = penguins().rows(std::vector<std::size_t>{0, 1});
    req.remove("species");
    req.add_categorical("species", std::vector<std::optional<std::string>>{std::string("Adelie"), std::string("Emperor")});
    CHECK_THROWS_WITH_AS(pipe.transform(req), doctest::Contains("step 'onehot'"), UnknownCategory);
    CHECK_THROWS_WITH_AS(pipe.transform(req), doctest::Contains("Emperor"), UnknownCategory);
}

TEST_CASE("an artifact with an unregistered kind names the kind") {
    // Build a pipeline payload by hand that names an unknown kind.
    ArchiveWriter w;
    w.boolean(false);
    w.size(1);
    w.str("mine");
    w.str("my_custom_step");
    w.u32(1);
    w.str("");
    w.size(0);
    ArtifactHeader h;
    h.kind = "pipeline";
    const std::string bytes = encode_artifact(h, w.bytes());
    CHECK_THROWS_WITH_AS(load_pipeline_bytes(bytes), doctest::Contains("'my_custom_step'"), FormatError);
}

TEST_CASE("an artifact from a newer format names both versions") {
    auto pipe = penguins_pipeline();
    pipe.fit(penguins());
    std::string bytes = save_bytes(pipe);
    const std::uint32_t newer = REPREP_FORMAT_VERSION + 1;
    for (int i = 0; i < 4; ++i) bytes[4 + i] = static_cast<char>((newer >> (8 * i)) & 0xFF);
    bytes.resize(bytes.size() - 8);
    detail::append_le64(bytes, xxh3_64(bytes));
    CHECK_THROWS_WITH_AS(load_pipeline_bytes(bytes), doctest::Contains(("format version " + std::to_string(newer)).c_str()),
                         FormatError);
}

TEST_CASE("every truncation and bit flip of a pipeline artifact is refused") {
    auto pipe = penguins_pipeline();
    pipe.fit(penguins());
    const std::string bytes = save_bytes(pipe);
    std::size_t refused = 0, tried = 0;
    for (std::size_t n = 0; n < bytes.size(); n += 7, ++tried) {
        try {
            (void)load_pipeline_bytes(std::string_view(bytes).substr(0, n));
        } catch (const FormatError&) {
            ++refused;
        }
    }
    for (std::size_t b = 0; b < bytes.size(); b += 5)
        for (int bit = 0; bit < 8; bit += 3, ++tried) {
            std::string bad = bytes;
            bad[b] = static_cast<char>(bad[b] ^ (1 << bit));
            try {
                (void)load_pipeline_bytes(bad);
            } catch (const FormatError&) {
                ++refused;
            }
        }
    CHECK(refused == tried);
}

TEST_CASE("pipeline construction errors") {
    CHECK_THROWS_AS(Pipeline{}.add("a", StandardScaler<>()).add("a", MinMaxScaler<>()), InvalidParameter);
    CHECK_THROWS_AS(Pipeline{}.fit(penguins()), InvalidParameter);
    auto pipe = penguins_pipeline();
    pipe.fit(penguins());
    CHECK(pipe.step<StandardScaler<>>("scale").mean().size() == 4);
    CHECK_THROWS_AS(pipe.step<MinMaxScaler<>>("scale"), InvalidParameter);
    CHECK_THROWS_AS(pipe.step<StandardScaler<>>("nope"), InvalidParameter);
}

TEST_CASE("a mixed numeric/categorical step (RandomSampleImputer) runs in a pipeline, batch and single row alike") {
    auto pipe = Pipeline{}
                    .add("sample", RandomSampleImputer({.columns = {"bill_length_mm", "sex"},
                                                        .variables_seed = {"body_mass_g", "island"},
                                                        .seeding_method = SeedingMethod::observation,
                                                        .seed = 9}))
                    .add("onehot", OneHotEncoder({.columns = {"sex", "island"}}));
    const Table t = penguins();
    pipe.fit(t);
    const Pipeline served = load_pipeline_bytes(save_bytes(pipe));
    CHECK(fingerprint(served) == fingerprint(pipe));
    const auto expected = batch_values(served, t);
    auto plan = served.compile();
    std::vector<double> row(plan.n_outputs()), rows;
    for (const auto& r : records(served, t)) {
        plan.run(r, std::span<double>(row));
        rows.insert(rows.end(), row.begin(), row.end());
    }
    CHECK(same_bits(rows, expected));
    CHECK(describe_artifact(save_bytes(pipe)).find("sample: random_sample_imputer") != std::string::npos);
}

TEST_CASE("feature-creation steps mixed with older ones: one artifact, single row = batch, no allocation per row") {
    // Issue 19, item 3: PolynomialFeatures, MathFeatures, RelativeFeatures and SplineTransformer between an
    // imputer, an encoder and a scaler, over columns that the earlier steps wrote.
    auto pipe = Pipeline{}
                    .add("impute", SimpleImputer<>({.columns = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"},
                                                    .strategy = ImputeStrategy::median}))
                    .add("ratio", RelativeFeatures<>({.columns = {"bill_length_mm"}, .reference = {"bill_depth_mm"},
                                                      .func = {RelativeFunc::div, RelativeFunc::mod}}))
                    .add("poly", PolynomialFeatures<>({.columns = {"bill_length_mm_div_bill_depth_mm", "flipper_length_mm"},
                                                       .degree = 2, .include_bias = false}))
                    .add("stats", MathFeatures<>({.columns = {"bill_length_mm", "bill_depth_mm", "body_mass_g"},
                                                  .func = {MathFunc::mean, MathFunc::std, MathFunc::max}}))
                    .add("spline", SplineTransformer<>({.columns = {"body_mass_g"}, .n_knots = 4,
                                                        .extrapolation = SplineExtrapolation::linear}))
                    .add("onehot", OneHotEncoder({.columns = {"island"}}))
                    .add("scale", StandardScaler<>({.columns = {"mean_bill_length_mm_bill_depth_mm_body_mass_g", "flipper_length_mm^2"}}));
    const Table t = penguins();
    pipe.fit(t);
    const Pipeline served = load_pipeline_bytes(save_bytes(pipe));
    CHECK(fingerprint(served) == fingerprint(pipe));
    CHECK(save_bytes(served) == save_bytes(pipe));
    const auto expected = batch_values(served, t);
    CHECK(same_bits(batch_values(pipe, t), expected));
    auto plan = served.compile();
    const auto recs = records(served, t);
    std::vector<double> row(plan.n_outputs()), rows;
    plan.run(recs[0], std::span<double>(row));  // warm-up
    allocations = 0;
    counting = true;
    for (const auto& r : recs) plan.run(r, std::span<double>(row));
    counting = false;
    CHECK(allocations.load() == 0);
    for (const auto& r : recs) {
        plan.run(r, std::span<double>(row));
        rows.insert(rows.end(), row.begin(), row.end());
    }
    CHECK(same_bits(rows, expected));
}

TEST_CASE("a multiclass TargetEncoder mixed with other steps: one artifact, single row = batch, no allocation per row") {
    // Issue 19, item 5: n_features x n_classes outputs (island_0 ... sex_2) that a later
    // step reads, between imputers and a scaler; the target is the species as 0, 1, 2.
    const Table t = penguins();
    std::vector<double> y(t.num_rows());
    for (std::size_t i = 0; i < y.size(); ++i) {
        const auto s = t.category("species", i);
        y[i] = s == std::optional<std::string_view>("Adelie") ? 0.0 : s == std::optional<std::string_view>("Gentoo") ? 2.0 : 1.0;
    }
    auto pipe = Pipeline{}
                    .add("impute", SimpleImputer<>({.columns = numeric_cols, .strategy = ImputeStrategy::median}))
                    .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
                    .add("te", TargetEncoder({.columns = {"island", "sex"}, .target_type = TargetType::multiclass, .seed = 4}))
                    .add("scale", StandardScaler<>({.columns = {"island_2", "sex_1", "body_mass_g"}}));
    pipe.fit(t, y);
    CHECK(pipe.step<TargetEncoder>("te").feature_names_out() ==
          std::vector<std::string>{"island_0", "island_1", "island_2", "sex_0", "sex_1", "sex_2"});
    const auto names = pipe.feature_names_out();
    CHECK(std::find(names.begin(), names.end(), "island") == names.end());
    CHECK(std::find(names.begin(), names.end(), "sex_0") != names.end());
    // The step is the encoder fitted alone on what reaches it.
    TargetEncoder alone({.columns = {"island", "sex"}, .target_type = TargetType::multiclass, .seed = 4});
    Table reaching = t;
    reaching.set_categorical("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent})
                                        .fit(t)
                                        .transform(t)
                                        .categorical("sex"));
    alone.fit(reaching, y);
    CHECK(fingerprint(pipe.step<TargetEncoder>("te")) == fingerprint(alone));
    const Pipeline served = load_pipeline_bytes(save_bytes(pipe));
    CHECK(fingerprint(served) == fingerprint(pipe));
    CHECK(save_bytes(served) == save_bytes(pipe));
    const auto expected = batch_values(served, t);
    CHECK(same_bits(batch_values(pipe, t), expected));
    auto plan = served.compile();
    const auto recs = records(served, t);
    std::vector<double> row(plan.n_outputs()), rows;
    CHECK(plan.n_outputs() == names.size());
    plan.run(recs[0], std::span<double>(row));  // warm-up
    allocations = 0;
    counting = true;
    for (const auto& r : recs) plan.run(r, std::span<double>(row));
    counting = false;
    CHECK(allocations.load() == 0);
    for (const auto& r : recs) {
        plan.run(r, std::span<double>(row));
        rows.insert(rows.end(), row.begin(), row.end());
    }
    CHECK(same_bits(rows, expected));
    // fit_transform feeds the scaler the cross-fitted encodings; the fitted state is fit's.
    auto crossed = Pipeline{}
                       .add("impute", SimpleImputer<>({.columns = numeric_cols, .strategy = ImputeStrategy::median}))
                       .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
                       .add("te", TargetEncoder({.columns = {"island", "sex"}, .target_type = TargetType::multiclass, .seed = 4}))
                       .add("scale", StandardScaler<>({.columns = {"island_2", "sex_1", "body_mass_g"}}));
    const Table oof = crossed.fit_transform(t, y);
    CHECK(fingerprint(crossed.step<TargetEncoder>("te")) == fingerprint(alone));
    CHECK(oof.column_names() == pipe.transform(t).column_names());
}

TEST_CASE("numeric steps with long component names allocate nothing per row either") {
    // Names of 16+ characters do not fit std::string's inline buffer: a std::string
    // built per call from the component name would allocate on every row.
    const std::vector<std::string> cols = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};
    auto pipe = Pipeline{}
                    .add("impute", SimpleImputer<>({.columns = cols, .strategy = ImputeStrategy::median}))
                    .add("power", PowerTransformer<>({.columns = cols}))
                    .add("quantile", QuantileTransformer<>({.columns = cols, .n_quantiles = 50}))
                    .add("cyclic", CyclicalFeatures<>({.columns = {"flipper_length_mm"}}))
                    .add("bins", KBinsDiscretizer<>({.columns = {"bill_depth_mm"}, .n_bins = 3}));
    const Table t = penguins();
    pipe.fit(t);
    auto plan = pipe.compile();
    const auto recs = records(pipe, t);
    std::vector<double> row(plan.n_outputs()), rows;
    plan.run(recs[0], std::span<double>(row));  // warm-up
    allocations = 0;
    counting = true;
    for (const auto& r : recs) plan.run(r, std::span<double>(row));
    counting = false;
    CHECK(allocations.load() == 0);
    for (const auto& r : recs) {
        plan.run(r, std::span<double>(row));
        rows.insert(rows.end(), row.begin(), row.end());
    }
    CHECK(same_bits(rows, batch_values(pipe, t)));
}

namespace {
// An artifact kind no loader is registered for (another library's, or a newer reprep's).
struct UnregisteredKind {
    static constexpr std::string_view kind_name() { return "someone_elses_kind"; }
    static constexpr std::uint32_t schema_version = 3;
    void save_state(ArchiveWriter& w) const { w.u32(7); }
};
}  // namespace

TEST_CASE("describe_artifact of one component: envelope, fingerprint, metadata, columns read and written") {
    StandardScaler<> scaler({.columns = {"bill_length_mm", "body_mass_g"}});
    const std::string unfitted = describe_artifact(save_bytes(scaler));
    CHECK(unfitted.find("state: not fitted") != std::string::npos);
    CHECK(unfitted.find("metadata: none") != std::string::npos);

    scaler.fit(penguins());
    const std::string bytes = save_bytes(scaler, {{"owner", "ml-team"}});
    const std::string text = describe_artifact(bytes);
    CHECK(text.find("kind: " + std::string(StandardScaler<>::kind_name())) == 0);
    CHECK(text.find("size: " + std::to_string(bytes.size()) + " bytes") != std::string::npos);
    // Computed from the bytes alone, it is the loaded object's fingerprint.
    CHECK(text.find("fingerprint: " + fingerprint(scaler)) != std::string::npos);
    CHECK(text.find("  owner = ml-team\n") != std::string::npos);
    CHECK(text.find("reads (numeric): bill_length_mm, body_mass_g\n") != std::string::npos);
    CHECK(text.find("writes (numeric): bill_length_mm, body_mass_g\n") != std::string::npos);

    auto encoder = OneHotEncoder({.columns = {"island"}});
    encoder.fit(penguins());
    const std::string enc = describe_artifact(save_bytes(encoder));
    CHECK(enc.find("reads (categorical): island\n") != std::string::npos);
    CHECK(enc.find("writes (numeric): island_Biscoe, island_Dream, island_Torgersen\n") != std::string::npos);
    CHECK_THROWS_AS(describe_artifact(bytes.substr(0, bytes.size() - 1)), FormatError);

    // A kind this binary has no loader for: the envelope is described, the payload is not decoded.
    const std::string other = describe_artifact(save_bytes(UnregisteredKind{}));
    CHECK(other.find("kind: someone_elses_kind (schema version 3)") == 0);
    CHECK(other.find("kind not registered in this binary; payload not decoded") != std::string::npos);
}

namespace {
// A numeric component whose kernel refuses the value 13 and names the row: the error a
// kernel raises from inside a row block on another thread must be the error one thread
// raises, row included.
class RefuseThirteen : public reprep::detail::NumericComponent<RefuseThirteen, double> {
public:
    static constexpr const char* component_name = "RefuseThirteen";
    struct Params {
        std::vector<std::string> columns = {};
    };
    static constexpr bool allow_nan_in_fit = false, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = false, allow_inf_in_transform = false;
    const Params& params() const { return params_; }
    void fit_matrix(const reprep::detail::MatrixRef<double>& X) { width_ = X.cols(); }
    Eigen::Index n_features_out() const { return width_; }
    void transform_kernel(const reprep::detail::MatrixRef<double>& X, reprep::detail::OutRef<double> out) const {
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            for (Eigen::Index j = 0; j < X.cols(); ++j) {
                if (X(i, j) == 13.0)
                    reprep::detail::fail<InvalidInput>({.component = component_name,
                                                        .problem = "13 is refused",
                                                        .row = static_cast<std::size_t>(i)});
                out(i, j) = X(i, j) + 1.0;
            }
    }

private:
    Params params_;
    Eigen::Index width_ = 0;
};
}  // namespace

TEST_CASE("n_jobs: the pipeline's batch transform gives the same bits on any number of threads") {
    auto pipe = penguins_pipeline();
    pipe.fit(penguins());
    const Table t = penguins();
    const Table one = pipe.transform(t);
    for (int k : {2, 3, 4, -1}) CHECK_MESSAGE(pipe.transform(t, {.n_jobs = k}) == one, "n_jobs = " << k);
    // More threads than rows: every row still transformed once.
    const Table few = t.rows(std::vector<std::size_t>{0, 5});
    CHECK(pipe.transform(few, {.n_jobs = 8}) == pipe.transform(few));
    CHECK_THROWS_WITH_AS(pipe.transform(t, {.n_jobs = 0}), doctest::Contains("n_jobs"), InvalidParameter);
}

TEST_CASE("n_jobs: a kernel's error from a row block names the row one thread names") {
    RefuseThirteen c;
    Matrix<double> X(1000, 2);
    for (Eigen::Index i = 0; i < X.rows(); ++i) X(i, 0) = X(i, 1) = static_cast<double>(i % 7);
    c.fit(X);
    X(700, 1) = 13.0;  // in the last of 3 blocks, the middle of 2
    X(900, 0) = 13.0;
    std::string expected;
    try {
        (void)c.transform(X);
    } catch (const InvalidInput& e) {
        expected = e.what();
        CHECK(e.row() == std::optional<std::size_t>(700));
    }
    REQUIRE_FALSE(expected.empty());
    for (int k : {2, 3, 5}) {
        std::string got;
        try {
            (void)c.transform(X, {.n_jobs = k});
        } catch (const InvalidInput& e) {
            got = e.what();
        }
        CHECK_MESSAGE(got == expected, "n_jobs = " << k);
    }
}

// ---- Pipeline::fit(ChunkSource): step k reads the chunks through the steps before it ----
namespace {
// Rows [b, e) of t.
Table row_range(const Table& t, std::size_t b, std::size_t e) {
    std::vector<std::size_t> idx;
    for (std::size_t i = b; i < e; ++i) idx.push_back(i);
    return t.rows(idx);
}

// t cut into chunks of `size` rows, the chunks in reverse order.
TableChunks reversed_chunks(const Table& t, std::size_t size) {
    std::vector<Table> chunks;
    for (std::size_t b = 0; b < t.num_rows(); b += size) chunks.push_back(row_range(t, b, std::min(t.num_rows(), b + size)));
    std::reverse(chunks.begin(), chunks.end());
    return TableChunks(std::move(chunks));
}

// A numeric table of several shapes: ties, a NaN column, negatives, a heavy tail.
Table numeric_table(std::size_t n) {
    std::vector<double> a(n), b(n), c(n), d(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t h = (i * 2654435761u) % 1009;
        a[i] = static_cast<double>(h) / 7.0 - 40.0;
        b[i] = i % 5 == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(h % 13);
        c[i] = 1.0 + static_cast<double>(h * h % 997) / 3.0;
        d[i] = h % 17 == 0 ? 1e6 + static_cast<double>(h) : static_cast<double>(h % 101) / 10.0;
    }
    Table t;
    t.add_numeric("a", a).add_numeric("b", b).add_numeric("c", c).add_numeric("d", d);
    return t;
}

Pipeline numeric_pipeline() {
    return Pipeline{}
        .add("impute", SimpleImputer<>({.columns = {"b"}, .strategy = ImputeStrategy::median}))
        .add("robust", RobustScaler<>({.columns = {"a"}}))
        .add("quantile", QuantileTransformer<>({.columns = {"c"}}))
        .add("power", PowerTransformer<>({.columns = {"d"}}))
        .add("winsor", Winsorizer<>({.columns = {"a", "b"}, .capping_method = CappingMethod::iqr, .tail = Tail::both}))
        .add("minmax", MinMaxScaler<>({.columns = {"b"}}))
        .add("bins", KBinsDiscretizer<>({.columns = {"c", "d"}, .n_bins = 4, .encode = KBinsEncode::ordinal}))
        .add("standard", StandardScaler<>());
}

void check_same_fit(const Pipeline& mem, const Pipeline& src, const Table& t) {
    CHECK(reprep::fingerprint(src) == reprep::fingerprint(mem));
    CHECK(save_bytes(src) != std::string());
    const Table a = mem.transform(t), b = src.transform(t);
    REQUIRE(a.column_names() == b.column_names());
    for (const auto& n : a.column_names())
        if (a.type(n) == ColumnType::numeric) {
            const auto x = a.numeric(n), y = b.numeric(n);
            CHECK(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
        }
    CHECK(src.lineage().rows == t.num_rows());
    // The training profile is read from the chunks too, with the in-memory bytes; the
    // data fingerprint needs every row's hash at once and stays empty.
    REQUIRE(src.has_profile());
    CHECK(src.profile().bytes() == mem.profile().bytes());
    CHECK(src.lineage().data_fingerprint == Hash128{});
}
}  // namespace

TEST_CASE("Pipeline::fit(ChunkSource) equals fit(Table) on the rows concatenated: penguins") {
    const Table t = penguins();
    auto mem = penguins_pipeline();
    mem.fit(t);
    for (const std::size_t size : {1, 37, 100, 400}) {
        auto src = penguins_pipeline();
        src.fit(reversed_chunks(t, size));
        check_same_fit(mem, src, t);
    }
    auto csv = penguins_pipeline();
    csv.fit(CsvChunks(std::filesystem::path(REPREP_TEST_DATA_DIR) / "penguins.csv", 50));
    check_same_fit(mem, csv, t);
    // The check has teeth: one row fewer is another fit.
    auto fewer = penguins_pipeline();
    fewer.fit(reversed_chunks(row_range(t, 1, t.num_rows()), 100));
    CHECK(reprep::fingerprint(fewer) != reprep::fingerprint(mem));
}

TEST_CASE("Pipeline::fit(ChunkSource) equals fit(Table): numeric kinds, multi-pass steps and a gathering one") {
    const Table t = numeric_table(600);
    auto mem = numeric_pipeline();
    mem.fit(t);
    for (const std::size_t size : {7, 250, 600}) {
        auto src = numeric_pipeline();
        src.fit(reversed_chunks(t, size));
        check_same_fit(mem, src, t);
    }
}

TEST_CASE("Pipeline::fit(ChunkSource) equals fit(Table): kmeans bins, most_frequent and iqr end-tail steps") {
    // The options that kept every value before: k-means in passes of its own, counts per
    // distinct value, quartiles by multi-pass selection.
    auto make = [] {
        return Pipeline{}
            .add("frequent", SimpleImputer<>({.columns = {"b"}, .strategy = ImputeStrategy::most_frequent,
                                              .add_indicator = true}))
            .add("tail", EndTailImputer<>({.columns = {"a", "c"}, .imputation_method = EndTailMethod::iqr}))
            .add("kmeans", KBinsDiscretizer<>({.columns = {"c", "d"}, .n_bins = 5, .encode = KBinsEncode::ordinal,
                                               .strategy = KBinsStrategy::kmeans}))
            .add("standard", StandardScaler<>());
    };
    const Table t = numeric_table(600);
    auto mem = make();
    mem.fit(t);
    for (const std::size_t size : {1, 7, 600}) {
        CAPTURE(size);
        auto src = make();
        src.fit(reversed_chunks(t, size));
        check_same_fit(mem, src, t);
    }
}

TEST_CASE("Pipeline::fit(ChunkSource) under missing_columns = fill learns the same fill values") {
    const Table t = penguins();
    auto mem = penguins_pipeline();
    mem.set_serving_policy({.missing_columns = MissingColumns::fill});
    mem.fit(t);
    auto src = penguins_pipeline();
    src.set_serving_policy({.missing_columns = MissingColumns::fill});
    src.fit(reversed_chunks(t, 90));
    CHECK(reprep::fingerprint(src) == reprep::fingerprint(mem));
}

TEST_CASE("Pipeline::fit(ChunkSource) carries datetime columns: gathered datetime steps and fill values") {
    // The datetime steps have no mergeable state, so their rows are gathered, datetime
    // columns included; the fill policy gathers the schema's columns too.
    const std::size_t n = 300;
    std::vector<std::int64_t> start(n), end(n);
    std::vector<double> x(n);
    std::vector<std::string> c(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto h = static_cast<std::int64_t>((i * 2654435761u) % 100003);
        start[i] = i % 11 == 0 ? kNaT : (h - 50000) * 86'400'000'000'000LL / 7;
        end[i] = i % 13 == 0 ? kNaT : start[i] == kNaT ? h * 1'000'000'000LL : start[i] + h * 3'600'000'000'000LL;
        x[i] = static_cast<double>(h % 997) / 3.0;
        c[i] = i % 3 == 0 ? "a" : "b";
    }
    Table t;
    t.add_datetime("start", start).add_datetime("end", end).add_numeric("x", x).add_categorical("c", c);
    auto make = [] {
        auto p = Pipeline{}
                     .add("diff", DatetimeSubtraction({.columns = {"end"}, .reference = {"start"}, .output_unit = "h"}))
                     .add("parts", DatetimeFeatures({.columns = {"start"},
                                                     .features_to_extract = {"year", "month", "day_of_week", "hour"},
                                                     .missing_values = MissingValues::ignore}))
                     .add("scale", StandardScaler<>({.columns = {"x"}}));
        p.set_serving_policy({.missing_columns = MissingColumns::fill});
        return p;
    };
    auto mem = make();
    mem.fit(t);
    for (const std::size_t size : {1, 29, 300}) {
        auto src = make();
        src.fit(reversed_chunks(t, size));
        check_same_fit(mem, src, t);
    }
}

TEST_CASE("Pipeline::fit(ChunkSource) refuses a target step and keeps the pipeline as it was") {
    const Table t = penguins();
    auto p = Pipeline{}.add("te", TargetEncoder({.columns = {"island"}}));
    CHECK_THROWS_AS(p.fit(reversed_chunks(t, 50)), InvalidInput);
    CHECK_FALSE(p.is_fitted());
    // A bad chunk names the step; the fitted pipeline stays the one it was.
    auto q = penguins_pipeline();
    q.fit(t);
    const std::string before = reprep::fingerprint(q);
    CHECK_THROWS_AS(q.fit(TableChunks({t.select({"species", "island"})})), SchemaError);
    CHECK(reprep::fingerprint(q) == before);
}

// ---- kinds whose fit learns nothing from the values: one checked read, no gathering ----
namespace {
// numeric_table(n) with two datetime columns (no NaT: the datetime steps raise on one).
Table value_free_table(std::size_t n) {
    Table t = numeric_table(n);
    std::vector<std::int64_t> start(n), end(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto h = static_cast<std::int64_t>((i * 2654435761u) % 100003);
        start[i] = (h - 50000) * 86'400'000'000'000LL / 7;
        end[i] = start[i] + h * 3'600'000'000'000LL;
    }
    t.add_datetime("start", start).add_datetime("end", end);
    return t;
}

// Every built-in kind that declares fit_learns_from_values = false, in one pipeline.
Pipeline value_free_pipeline(MissingValues dt_missing = MissingValues::raise) {
    return Pipeline{}
        .add("cap", ArbitraryOutlierCapper<>({.columns = {"a", "b"}, .max_capping_dict = {{"a", 30.0}},
                                              .min_capping_dict = {{"b", 2.0}}}))
        .add("disc", ArbitraryDiscretiser<>({.columns = {"c"}, .binning_dict = {{"c", {0.0, 50.0, 150.0, 400.0}}}}))
        .add("math", MathFeatures<>({.columns = {"a", "b"}, .func = {MathFunc::sum, MathFunc::max},
                                     .missing_values = MissingValues::ignore}))
        .add("rel", RelativeFeatures<>({.columns = {"d"}, .reference = {"a"}, .func = {RelativeFunc::sub, RelativeFunc::div}}))
        .add("bin", Binarizer<>({.columns = {"a"}, .threshold = 1.5}))
        .add("norm", Normalizer<>({.columns = {"c", "d"}}))
        .add("poly", PolynomialFeatures<>({.columns = {"sum_a_b", "max_a_b"}, .degree = 2, .include_bias = false}))
        .add("parts", DatetimeFeatures({.columns = {"start"}, .features_to_extract = {"year", "month", "hour"},
                                        .drop_original = false, .missing_values = dt_missing}))
        .add("diff", DatetimeSubtraction({.columns = {"end"}, .reference = {"start"}, .output_unit = "h",
                                          .missing_values = dt_missing}));
}

// t cut into chunks of `size` rows, in order.
TableChunks forward_chunks(const Table& t, std::size_t size) {
    std::vector<Table> chunks;
    for (std::size_t b = 0; b < t.num_rows(); b += size) chunks.push_back(row_range(t, b, std::min(t.num_rows(), b + size)));
    return TableChunks(std::move(chunks));
}

// Counts the reads of a source.
class CountingChunks final : public ChunkSource {
public:
    explicit CountingChunks(const ChunkSource& base) : base_(base) {}
    void for_each(const std::function<void(const Table&)>& visit) const override {
        ++reads;
        base_.for_each(visit);
    }
    mutable std::size_t reads = 0;

private:
    const ChunkSource& base_;
};

// One process: counts the combines and keeps the largest state.
class SizeCombiner final : public ShardCombiner {
public:
    std::string combine(const Local& local, const Merge& /*merge*/) const override {
        std::string s = local();
        ++calls;
        largest = std::max(largest, s.size());
        return s;
    }
    mutable std::size_t calls = 0, largest = 0;
};

// fit_step_source of c over chunks of `size` rows: one read, one combine, a state far
// smaller than the rows (gathering them would ship every value), and fit(Table)'s state.
template <class C>
void check_one_read(const C& c, const Table& t, std::size_t size) {
    CAPTURE(C::component_name);
    C mem = c;
    mem.fit(t);
    const TableChunks chunks = forward_chunks(t, size);
    const CountingChunks counted(chunks);
    const SizeCombiner combiner;
    detail::StepModel<C> step(c);
    detail::fit_step_source(step, counted, combiner);
    CHECK(counted.reads == 1);
    CHECK(combiner.calls == 1);
    CHECK(combiner.largest < 2000);  // the rows are 600 x 6 values, 28800 bytes
    CHECK(reprep::fingerprint(step.component()) == reprep::fingerprint(mem));
}

// The message of what fit throws, or "" when it does not throw.
template <class F>
std::string error_of(F&& fit) {
    try {
        fit();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}
}  // namespace

TEST_CASE("Pipeline::fit(ChunkSource) equals fit(Table): the kinds that learn nothing from the values") {
    const Table t = value_free_table(600);
    auto mem = value_free_pipeline();
    mem.fit(t);
    for (const std::size_t size : {1, 7, 600}) {
        CAPTURE(size);
        auto src = value_free_pipeline();
        src.fit(reversed_chunks(t, size));
        check_same_fit(mem, src, t);
    }
}

TEST_CASE("The kinds that learn nothing from the values read a chunk source once and ship no rows") {
    const Table t = value_free_table(600);
    for (const std::size_t size : {1, 7, 600}) {
        CAPTURE(size);
        check_one_read(Normalizer<>({.columns = {"a", "c"}}), t, size);
        check_one_read(Binarizer<>({.columns = {"a", "c"}}), t, size);
        check_one_read(ArbitraryDiscretiser<>({.binning_dict = {{"c", {0.0, 50.0, 400.0}}}}), t, size);
        check_one_read(ArbitraryOutlierCapper<>({.max_capping_dict = {{"d", 10.0}}}), t, size);
        check_one_read(PolynomialFeatures<>({.columns = {"a", "d"}}), t, size);
        check_one_read(MathFeatures<>({.columns = {"a", "b"}, .missing_values = MissingValues::ignore}), t, size);
        check_one_read(RelativeFeatures<>({.columns = {"b"}, .reference = {"c"}, .func = {RelativeFunc::mul}}), t, size);
        check_one_read(DatetimeFeatures({.columns = {"end"}, .features_to_extract = {"day_of_week"}}), t, size);
        check_one_read(DatetimeSubtraction({.columns = {"start"}, .reference = {"end"}}), t, size);
    }
}

TEST_CASE("A bad value in a late chunk is refused as fit(Table) refuses it, with the union's row") {
    const Table good = value_free_table(600);
    const std::size_t bad_row = 590;
    auto with_nan = [&](const std::string& column) {
        Table t = good;
        std::vector<double> v = std::move(t).numeric(column);
        v[bad_row] = std::numeric_limits<double>::quiet_NaN();
        t.set_numeric(column, std::move(v));
        return t;
    };
    auto with_nat = [&](const std::string& column) {
        Table t = good;
        std::vector<std::int64_t> v = std::move(t).datetime(column);
        v[bad_row] = kNaT;
        t.remove(column);
        t.add_datetime(column, std::move(v));
        return t;
    };
    auto same_error = [&](auto make, const Table& t) {
        const std::string want = error_of([&] { make().fit(t); });
        REQUIRE(want != "");
        CHECK(want.find("row " + std::to_string(bad_row)) != std::string::npos);
        for (const std::size_t size : {1, 7, 600}) {
            CAPTURE(size);
            auto src = make();
            const std::string got = error_of([&] { src.fit(forward_chunks(t, size)); });
            CHECK(got == want);
            CHECK_FALSE(src.is_fitted());
        }
    };
    // NaN where the kind refuses it (Normalizer, Binarizer, PolynomialFeatures: always;
    // MathFeatures and RelativeFeatures under missing_values = raise); NaT under raise.
    same_error([] { return Pipeline{}.add("norm", Normalizer<>({.columns = {"a", "c"}})); }, with_nan("c"));
    same_error([] { return Pipeline{}.add("bin", Binarizer<>({.columns = {"c"}})); }, with_nan("c"));
    same_error([] { return Pipeline{}.add("poly", PolynomialFeatures<>({.columns = {"a", "d"}})); }, with_nan("d"));
    same_error([] { return Pipeline{}.add("math", MathFeatures<>({.columns = {"a", "c"}})); }, with_nan("a"));
    same_error(
        [] {
            return Pipeline{}.add("rel", RelativeFeatures<>({.columns = {"a"}, .reference = {"c"}, .func = {RelativeFunc::add},
                                                             .missing_values = MissingValues::raise}));
        },
        with_nan("c"));
    same_error([] { return value_free_pipeline(); }, with_nat("start"));
    same_error(
        [] {
            return Pipeline{}.add("diff", DatetimeSubtraction({.columns = {"end"}, .reference = {"start"},
                                                               .missing_values = MissingValues::raise}));
        },
        with_nat("end"));
    // Infinity where NaN passes (MathFeatures under ignore).
    Table inf = good;
    {
        std::vector<double> v = std::move(inf).numeric("b");
        v[bad_row] = std::numeric_limits<double>::infinity();
        inf.set_numeric("b", std::move(v));
    }
    same_error(
        [] { return Pipeline{}.add("math", MathFeatures<>({.columns = {"a", "b"}, .missing_values = MissingValues::ignore})); },
        inf);
}

TEST_CASE("A chunk source with no row fits these kinds as fit(Table) fits an empty table") {
    const Table none = row_range(value_free_table(10), 0, 0);
    auto same = [&](auto c) {
        auto mem = c;
        const std::string want = error_of([&] { mem.fit(none); });
        detail::StepModel<decltype(c)> step(c);
        const TableChunks chunks({none, none});
        const std::string got = error_of([&] { detail::fit_step_source(step, chunks, LocalCombiner{}); });
        CHECK(got == want);
        CHECK(step.component().is_fitted() == mem.is_fitted());
        if (mem.is_fitted()) CHECK(reprep::fingerprint(step.component()) == reprep::fingerprint(mem));
        return want;
    };
    // The numeric kinds refuse it; the datetime kinds' fit(Table) takes it (it reads no value).
    CHECK(same(Normalizer<>({.columns = {"a"}})) != "");
    CHECK(same(MathFeatures<>({.columns = {"a", "b"}})) != "");
    CHECK(same(DatetimeFeatures({.columns = {"start"}, .features_to_extract = {"year"}})) == "");
    // No chunk at all: fit(Table) of a table with no column.
    detail::StepModel<Binarizer<>> step(Binarizer<>({.columns = {"a"}}));
    const std::string want = error_of([] { Binarizer<>({.columns = {"a"}}).fit(Table{}); });
    CHECK(want != "");
    CHECK(error_of([&] { detail::fit_step_source(step, TableChunks({}), LocalCombiner{}); }) == want);
}

TEST_CASE("n_jobs: Pipeline::fit on threads saves the bytes of a one-thread fit") {
    // SimpleImputer and StandardScaler fit from one accumulator per block; the other
    // steps fit on the calling thread; the transforms between fits run in row blocks.
    const Table t = penguins();
    auto one = penguins_pipeline();
    one.fit(t);
    const std::string bytes = save_bytes(one);
    for (int k : {2, 3, 7, -1}) {
        auto many = penguins_pipeline();
        many.fit(t, FitOptions{.n_jobs = k});
        CHECK_MESSAGE(save_bytes(many) == bytes, "n_jobs = " << k);
    }
    const Table n = numeric_table(5000);
    auto a = numeric_pipeline(), b = numeric_pipeline();
    a.fit(n);
    b.fit(n, FitOptions{.n_jobs = 2});
    CHECK(save_bytes(a) == save_bytes(b));
    auto bad = penguins_pipeline();
    CHECK_THROWS_WITH_AS(bad.fit(t, FitOptions{.n_jobs = 0}), doctest::Contains("n_jobs"), InvalidParameter);
    CHECK_FALSE(bad.is_fitted());
    // A value a step refuses, in a late block: the one-thread fit's error, word for word.
    Table inf = n;
    std::vector<double> d(inf.numeric("d").begin(), inf.numeric("d").end());
    d[4900] = std::numeric_limits<double>::infinity();
    inf.set_numeric("d", d);
    std::string serial, threaded;
    try {
        numeric_pipeline().fit(inf);
    } catch (const Error& e) {
        serial = e.what();
    }
    try {
        numeric_pipeline().fit(inf, FitOptions{.n_jobs = 3});
    } catch (const Error& e) {
        threaded = e.what();
    }
    CHECK_FALSE(serial.empty());
    CHECK(threaded == serial);
}
