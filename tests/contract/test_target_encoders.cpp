// The categorical contract suite over the supervised encoders (TargetEncoder,
// WoEEncoder), their target checks, and the same promises checked by hand for the
// RandomSampleImputer (numeric and categorical columns, so it has its own suite here).
#include "categorical_contract.hpp"

#include <cmath>
#include <reprep/compose/pipeline.hpp>
#include <reprep/compose/registry.hpp>
#include <reprep/encode/target_encoder.hpp>
#include <reprep/encode/woe_encoder.hpp>
#include <reprep/impute/random_sample_imputer.hpp>

using namespace reprep;
using contract::OptStr;

namespace {

Table train_data() { return contract::categorical_data(401, 31); }
Table seen_data() { return contract::categorical_data(97, 32); }
Table unseen_data() {
    Table t = contract::categorical_data(60, 33);
    for (const auto& name : std::vector<std::string>{"color", "city", "flag"}) {
        CategoricalColumn c = t.categorical(name);
        c.dictionary.push_back("never_seen");
        for (std::size_t i = 5; i < c.codes.size(); i += 9) c.codes[i] = static_cast<std::int32_t>(c.dictionary.size() - 1);
        t.set_categorical(name, std::move(c));
    }
    return t;
}
// Seen data with an unseen "color" at row 3 (the first offending cell); no missing color.
Table unknown_at_row3() {
    Table t = contract::categorical_data(97, 34, 0.0);
    CategoricalColumn c = t.categorical("color");
    c.dictionary.push_back("violet");
    c.codes[3] = static_cast<std::int32_t>(c.dictionary.size() - 1);
    c.codes[10] = c.codes[3];
    t.set_categorical("color", std::move(c));
    return t;
}

// Targets are functions of a row's content (color and x), never of its position, so
// shuffled or chunked rows keep their targets. Missing color counts as digit 3.
int color_digit(const Table& t, std::size_t i) {
    const auto c = t.category("color", i);
    return c ? (*c)[1] - '0' : 3;
}
std::vector<double> binary_target(const Table& t) {
    std::vector<double> y(t.num_rows());
    const auto x = t.numeric("x");
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = (color_digit(t, i) + (x[i] > 0 ? 1 : 0)) % 2 == 0 ? 1.0 : 0.0;
    return y;
}
// Four classes, labels -2, 0, 5, 11 (not 0..k-1, one negative).
std::vector<double> class_target(const Table& t) {
    static const double labels[] = {-2.0, 0.0, 5.0, 11.0};
    std::vector<double> y(t.num_rows());
    const auto x = t.numeric("x");
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = labels[(color_digit(t, i) + (x[i] > 0 ? 1 : 0)) % 4];
    return y;
}
std::vector<double> continuous_target(const Table& t) {
    std::vector<double> y(t.num_rows());
    const auto x = t.numeric("x");
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = 1.5 * color_digit(t, i) + x[i];
    return y;
}

#define CHECK_INVALID(Type, field, ...)                                   \
    do {                                                                  \
        try {                                                             \
            (void)Type(Type::Params{__VA_ARGS__});                        \
            FAIL("expected InvalidParameter for " field);                 \
        } catch (const InvalidParameter& e) {                             \
            CHECK(e.parameter() == field);                                \
            CHECK(e.column().empty());                                    \
        }                                                                 \
    } while (0)

struct TargetAuto {
    using Component = TargetEncoder;
    static Component make() { return Component({.seed = 7}); }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static std::vector<double> target(const Table& t) { return continuous_target(t); }
    static void bad_params() {
        CHECK_INVALID(TargetEncoder, "smooth", .smooth = -1.0);
        CHECK_INVALID(TargetEncoder, "smooth", .smooth = std::nan(""));
        CHECK_INVALID(TargetEncoder, "smooth", .smooth = HUGE_VAL);
        CHECK_INVALID(TargetEncoder, "cv", .cv = 1);
        CHECK_INVALID(TargetEncoder, "columns", .columns = {"a", "a"});
    }
    static constexpr bool supervised = true;
};

struct TargetM {
    using Component = TargetEncoder;
    static Component make() { return Component({.columns = {"city", "color"}, .smooth = 10.0, .cv = 3}); }
    static Table train() { return train_data(); }
    static Table test() { return seen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static std::vector<double> target(const Table& t) { return continuous_target(t); }
    static void bad_params() {}
    static constexpr bool supervised = true;
};

struct TargetBinary {
    using Component = TargetEncoder;
    static Component make() { return Component({.target_type = TargetType::binary, .smooth = 0.5}); }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() {}
    static std::vector<double> target(const Table& t) { return binary_target(t); }
    static constexpr bool supervised = true;
};

struct TargetMulticlass {
    using Component = TargetEncoder;
    static Component make() { return Component({.target_type = TargetType::multiclass, .seed = 5}); }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() {}
    static std::vector<double> target(const Table& t) { return class_target(t); }
    static constexpr bool supervised = true;
};

struct TargetMulticlassM {
    using Component = TargetEncoder;
    static Component make() {
        return Component({.columns = {"city", "color"}, .target_type = TargetType::multiclass, .smooth = 2.5, .cv = 3});
    }
    static Table train() { return train_data(); }
    static Table test() { return seen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() {}
    static std::vector<double> target(const Table& t) { return class_target(t); }
    static constexpr bool supervised = true;
};

struct WoEIgnore {
    using Component = WoEEncoder;
    static Component make() {
        return Component({.columns = {"color", "flag"}, .missing_values = MissingValues::ignore, .fill_value = 0.5});
    }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() {
        CHECK_INVALID(WoEEncoder, "fill_value", .fill_value = 0.0);
        CHECK_INVALID(WoEEncoder, "fill_value", .fill_value = -1.0);
        CHECK_INVALID(WoEEncoder, "fill_value", .fill_value = std::nan(""));
        CHECK_INVALID(WoEEncoder, "columns", .columns = {"x", "x"});
    }
    static std::vector<double> target(const Table& t) { return binary_target(t); }
    static constexpr bool supervised = true;
};

struct WoERaise {
    using Component = WoEEncoder;
    static Component make() {
        return Component({.columns = {"color"}, .missing_values = MissingValues::ignore, .unseen = UnseenPolicy::raise});
    }
    static Table train() { return train_data(); }
    static Table test() { return seen_data(); }
    static std::optional<Table> unknown() { return unknown_at_row3(); }
    static void bad_params() {}
    static std::vector<double> target(const Table& t) { return binary_target(t); }
    static constexpr bool supervised = true;
};

template <class E>
void check_bad_targets(E e, const Table& t) {
    const std::vector<double> short_y(t.num_rows() - 1, 1.0);
    CHECK_THROWS_AS(e.fit(t, short_y), InvalidInput);
    std::vector<double> y(t.num_rows(), 1.0);
    y[0] = 0.0;
    y[5] = std::nan("");
    try {
        e.fit(t, y);
        FAIL("expected InvalidInput for a NaN target");
    } catch (const InvalidInput& ex) {
        CHECK(ex.row() == std::optional<std::size_t>(5));
        CHECK(ex.column() == "y");
    }
    y[5] = HUGE_VAL;
    CHECK_THROWS_AS(e.fit(t, y), InvalidInput);
    auto acc = e.accumulator();
    CHECK_THROWS_AS(acc.update(t, short_y), InvalidInput);
    CHECK_THROWS_AS(acc.update(t), InvalidInput);  // a supervised fit needs y
    CHECK_FALSE(e.is_fitted());
}

}  // namespace

TEST_CASE_TEMPLATE("categorical contract: supervised encoders", C, TargetAuto, TargetM, TargetBinary, TargetMulticlass,
                   TargetMulticlassM, WoEIgnore, WoERaise) {
    contract::run_all_categorical<C>();
}

TEST_CASE("supervised encoders refuse a target of the wrong length, NaN or Inf") {
    const Table t = train_data();
    check_bad_targets(TargetEncoder(), t);
    check_bad_targets(WoEEncoder({.missing_values = MissingValues::ignore, .fill_value = 0.5}), t);
    TargetEncoder e;
    const std::vector<double> short_y(t.num_rows() - 1, 1.0);
    CHECK_THROWS_AS((void)e.fit_transform(t, short_y), InvalidInput);
    std::vector<double> nan_y(t.num_rows(), 0.5);
    nan_y[7] = std::nan("");
    CHECK_THROWS_AS((void)e.fit_transform(t, nan_y), InvalidInput);
    CHECK_FALSE(e.is_fitted());
}

TEST_CASE("TargetEncoder: binary labels, fold count, and fit_transform leaves the full-data fit") {
    const Table t = train_data();
    std::vector<double> y = binary_target(t);
    y[9] = 2.0;
    TargetEncoder bin({.target_type = TargetType::binary});
    try {
        (void)bin.fit_transform(t, y);
        FAIL("expected InvalidInput for a label outside {0, 1}");
    } catch (const InvalidInput& ex) {
        CHECK(ex.row() == std::optional<std::size_t>(9));
    }
    CHECK_THROWS_AS(bin.fit(t, y), InvalidInput);
    CHECK_FALSE(bin.is_fitted());
    // Fewer rows than folds.
    TargetEncoder e({.cv = 5});
    const Table small = t.rows(std::vector<std::size_t>{0, 1, 2, 3});
    const std::vector<double> ys = {1, 2, 3, 4};
    CHECK_THROWS_AS((void)e.fit_transform(small, ys), InvalidInput);
    // After fit_transform the state is the full-data fit.
    const auto yc = continuous_target(t);
    TargetEncoder a({.seed = 3}), b({.seed = 3});
    (void)a.fit_transform(t, yc);
    b.fit(t, yc);
    CHECK(fingerprint(a) == fingerprint(b));
    // ...and the cross-fitted output differs from fit().transform() (no leakage).
    TargetEncoder c({.columns = {"color"}, .seed = 3});
    b = TargetEncoder({.columns = {"color"}, .seed = 3});
    b.fit(t, yc);
    const Table oof = c.fit_transform(t, yc);
    const Table full = b.transform(t);
    bool any_differs = false;
    for (std::size_t i = 0; i < t.num_rows(); ++i) any_differs |= oof.numeric("color")[i] != full.numeric("color")[i];
    CHECK(any_differs);
    // The pass-through columns are untouched by fit_transform.
    CHECK(oof.categorical("flag").codes == full.categorical("flag").codes);
}

TEST_CASE("WoEEncoder: pure categories, non-binary targets, one class") {
    Table t;
    t.add_categorical("animal", {"cat", "cat", "dog", "dog", "dog", "eel", "eel"});
    const std::vector<double> y = {1, 0, 1, 1, 0, 1, 1};  // eel holds only y = 1
    WoEEncoder e;
    try {
        e.fit(t, y);
        FAIL("expected InvalidInput for a pure category");
    } catch (const InvalidInput& ex) {
        CHECK(ex.column() == "animal");
        CHECK(std::string(ex.what()).find("'eel'") != std::string::npos);
    }
    CHECK_FALSE(e.is_fitted());
    WoEEncoder filled({.fill_value = 0.25});
    filled.fit(t, y);
    // N1 = 5, N0 = 2: eel p1 = 2/5, p0 = 0 -> 0.25.
    CHECK(filled.encodings("animal")[2] == dmath::log((2.0 / 5.0) / 0.25));
    CHECK(filled.encodings("animal")[0] == dmath::log((1.0 / 5.0) / (1.0 / 2.0)));
    const std::vector<double> not_binary = {1, 0, 1, 0.5, 0, 1, 0};
    try {
        filled.fit(t, not_binary);
        FAIL("expected InvalidInput for a non-binary target");
    } catch (const InvalidInput& ex) {
        CHECK(ex.row() == std::optional<std::size_t>(3));
    }
    // The accumulator path checks the sums instead.
    auto acc = filled.accumulator();
    acc.update(t, not_binary);
    CHECK_THROWS_AS(filled.fit(acc), InvalidInput);
    const std::vector<double> ones(7, 1.0);
    CHECK_THROWS_AS(filled.fit(t, ones), InvalidInput);
    // missing_values = raise refuses missing values in fit.
    Table m;
    m.add_categorical("animal", {"cat", std::nullopt, "dog", "cat"});
    CHECK_THROWS_AS(WoEEncoder({.fill_value = 0.5}).fit(m, std::vector<double>{1, 0, 0, 0}), InvalidInput);
}

// ---------------------------------------------------------------------------
// RandomSampleImputer
// ---------------------------------------------------------------------------

namespace {

// Numeric "x" (20% missing, with -0.0/+0.0 and repeats), categorical "color" (10%
// missing), an id column "id" (never missing) and a categorical "city".
Table rsi_data(std::size_t rows, std::uint64_t seed) {
    Table t = contract::categorical_data(rows, seed);
    Rng rng(seed + 99);
    std::vector<double> x(rows), id(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        const double u = rng.uniform();
        x[i] = u < 0.2 ? std::nan("") : u < 0.25 ? -0.0 : u < 0.3 ? 0.0 : std::floor(rng.normal() * 8.0) / 4.0;
        id[i] = static_cast<double>(seed * 100000 + i);
    }
    t.set_numeric("x", std::move(x));
    t.add_numeric("id", std::move(id));
    return t;
}

RandomSampleImputer rsi_general() { return RandomSampleImputer({.columns = {"x", "color"}, .seed = 42}); }
RandomSampleImputer rsi_observation() {
    return RandomSampleImputer({.columns = {"color", "x"},
                                .variables_seed = {"id", "flag"},
                                .seeding_method = SeedingMethod::observation,
                                .seed = 42});
}

}  // namespace

TEST_CASE("RandomSampleImputer: order and chunk independence of the fitted state") {
    const Table t = rsi_data(500, 5);
    for (auto make : {rsi_general, rsi_observation}) {
        auto whole = make();
        whole.fit(t);
        for (std::uint64_t s : {1u, 2u, 3u}) {
            auto b = make();
            b.fit(t.rows(contract::cat_permutation(t.num_rows(), s)));
            CHECK(fingerprint(b) == fingerprint(whole));
        }
        for (std::size_t k : {2u, 7u}) {
            std::vector<RandomSampleImputer::Accumulator> parts;
            for (std::size_t c = 0; c < k; ++c) {
                std::vector<std::size_t> idx;
                for (std::size_t i = c; i < t.num_rows(); i += k) idx.push_back(i);
                auto acc = make().accumulator();
                acc.update(t.rows(idx));
                parts.push_back(std::move(acc));
            }
            ArchiveWriter w;
            parts.back().save(w);
            ArchiveReader r(w.bytes());
            auto back = RandomSampleImputer::Accumulator::load(r);
            CHECK(back == parts.back());
            parts.back() = std::move(back);
            const auto order = contract::cat_permutation(k, 300 + k);
            auto merged = parts[order[0]];
            for (std::size_t i = 1; i < k; ++i) merged.merge(parts[order[i]]);
            auto fitted = make();
            fitted.fit(merged);
            CHECK(fingerprint(fitted) == fingerprint(whole));
        }
    }
}

TEST_CASE("RandomSampleImputer: imputes from the training values, leaves observed ones") {
    const Table train = rsi_data(400, 6), test = rsi_data(200, 7);
    auto g = rsi_general();
    g.fit(train);
    const auto pool = g.numeric_pool("x");
    CHECK(std::is_sorted(pool.begin(), pool.end(), [](double a, double b) { return order_key(a) < order_key(b); }));
    const Table out = g.transform(test);
    const auto xi = test.numeric("x"), xo = out.numeric("x");
    std::size_t imputed = 0;
    for (std::size_t i = 0; i < xi.size(); ++i) {
        if (std::isnan(xi[i])) {
            ++imputed;
            CHECK_FALSE(std::isnan(xo[i]));
            CHECK(std::find_if(pool.begin(), pool.end(), [&](double v) { return std::memcmp(&v, &xo[i], 8) == 0; }) != pool.end());
        } else {
            CHECK(std::memcmp(&xi[i], &xo[i], 8) == 0);
        }
    }
    CHECK(imputed > 10);
    const auto& cats = g.categories("color");
    for (std::size_t i = 0; i < test.num_rows(); ++i) {
        const auto in = test.category("color", i), o = out.category("color", i);
        REQUIRE(o.has_value());
        if (in) CHECK(*in == *o);
        else CHECK(std::find(cats.begin(), cats.end(), std::string(*o)) != cats.end());
    }
    // Columns not imputed pass through; same seed -> same output; another seed -> another.
    CHECK(out.categorical("city").codes == test.categorical("city").codes);
    CHECK(g.transform(test) == out);
    auto g2 = RandomSampleImputer({.columns = {"x", "color"}, .seed = 43});
    g2.fit(train);
    CHECK_FALSE(g2.transform(test) == out);
}

TEST_CASE("RandomSampleImputer: 'observation' gives a row the same value in any batch") {
    const Table train = rsi_data(400, 8), a = rsi_data(150, 9);
    auto o = rsi_observation();
    o.fit(train);
    const Table out_a = o.transform(a);
    // The same rows, shuffled and embedded in a batch with other rows.
    const Table other = rsi_data(80, 10);
    const auto perm = contract::cat_permutation(a.num_rows(), 17);
    const Table shuffled = a.rows(perm);
    const Table out_s = o.transform(shuffled);
    bool all_equal = true;
    for (std::size_t p = 0; p < perm.size(); ++p) {
        const std::size_t i = perm[p];
        all_equal &= std::memcmp(&out_s.numeric("x")[p], &out_a.numeric("x")[i], 8) == 0;
        all_equal &= out_s.category("color", p) == out_a.category("color", i);
    }
    CHECK(all_equal);
    // Row by row through the single-row path.
    const auto& names = o.feature_names_in();
    const auto& types = o.column_types();
    REQUIRE(names == std::vector<std::string>{"color", "x", "id", "flag"});
    std::vector<double> num(names.size()), num_out(names.size());
    std::vector<std::optional<std::string_view>> txt(names.size()), txt_out(names.size());
    bool rows_equal = true;
    for (std::size_t i = 0; i < a.num_rows(); ++i) {
        for (std::size_t k = 0; k < names.size(); ++k) {
            if (types[k] == ColumnType::numeric) num[k] = a.numeric(names[k])[i];
            else txt[k] = a.category(names[k], i);
        }
        o.transform_row(num, txt, num_out, txt_out);
        rows_equal &= std::memcmp(&num_out[1], &out_a.numeric("x")[i], 8) == 0;
        rows_equal &= txt_out[0] == out_a.category("color", i);
        rows_equal &= std::memcmp(&num_out[2], &a.numeric("id")[i], 8) == 0 && txt_out[3] == a.category("flag", i);
    }
    CHECK(rows_equal);
    // Different rows draw differently (the key is the row): not every missing x gets one value.
    std::vector<double> drawn;
    for (std::size_t i = 0; i < a.num_rows(); ++i)
        if (std::isnan(a.numeric("x")[i])) drawn.push_back(out_a.numeric("x")[i]);
    REQUIRE(drawn.size() > 5);
    CHECK(std::any_of(drawn.begin(), drawn.end(), [&](double v) { return v != drawn.front(); }));
    (void)other;
}

TEST_CASE("RandomSampleImputer: 'general' single row equals a batch of one") {
    const Table train = rsi_data(300, 11), test = rsi_data(40, 12);
    auto g = rsi_general();
    g.fit(train);
    const auto& names = g.feature_names_in();
    std::vector<double> num(names.size()), num_out(names.size());
    std::vector<std::optional<std::string_view>> txt(names.size()), txt_out(names.size());
    bool equal = true;
    for (std::size_t i = 0; i < test.num_rows(); ++i) {
        const Table one = test.rows(std::vector<std::size_t>{i});
        const Table b = g.transform(one);
        num[0] = one.numeric("x")[0];
        txt[1] = one.category("color", 0);
        g.transform_row(num, txt, num_out, txt_out);
        equal &= std::memcmp(&num_out[0], &b.numeric("x")[0], 8) == 0 && txt_out[1] == b.category("color", 0);
    }
    CHECK(equal);
}

TEST_CASE("RandomSampleImputer: save/load, errors, no side effects") {
    const Table train = rsi_data(300, 13), test = rsi_data(60, 14);
    for (auto make : {rsi_general, rsi_observation}) {
        auto c = make();
        CHECK_THROWS_AS((void)c.transform(test), NotFitted);
        CHECK_THROWS_AS((void)c.feature_names_out(), NotFitted);
        c.fit(train);
        const auto d = load_bytes<RandomSampleImputer>(save_bytes(c));
        CHECK(fingerprint(d) == fingerprint(c));
        CHECK(d.transform(test) == c.transform(test));
        const auto u = load_bytes<RandomSampleImputer>(save_bytes(make()));
        CHECK_FALSE(u.is_fitted());
        CHECK(fingerprint(u) == fingerprint(make()));
        // Truncated artifacts are refused.
        const std::string bytes = save_bytes(c);
        CHECK_THROWS_AS((void)load_bytes<RandomSampleImputer>(bytes.substr(0, bytes.size() / 2)), FormatError);

        const std::string before = fingerprint(c);
        const Table copy = test;
        (void)c.transform(test);
        CHECK(test == copy);
        CHECK(fingerprint(c) == before);
        Table missing = test;
        missing.remove("x");
        CHECK_THROWS_WITH_AS((void)c.transform(missing), doctest::Contains("x"), SchemaError);
        Table mistyped = missing;
        mistyped.add_categorical("x", std::vector<OptStr>(test.num_rows(), OptStr("a")));
        CHECK_THROWS_WITH_AS((void)c.transform(mistyped), doctest::Contains("x"), SchemaError);
        const Table empty = train.rows(std::vector<std::size_t>{});
        CHECK_THROWS_AS(c.fit(empty), InvalidInput);
        CHECK(fingerprint(c) == before);
        std::vector<double> n1(c.n_features_in() + 1);
        std::vector<std::optional<std::string_view>> t1(c.n_features_in() + 1);
        CHECK_THROWS_AS(c.transform_row(n1, t1, n1, t1), SchemaError);
    }
    // A column with no observed value cannot be imputed.
    Table allmissing;
    allmissing.add_numeric("z", {std::nan(""), std::nan("")});
    try {
        RandomSampleImputer().fit(allmissing);
        FAIL("expected InvalidInput");
    } catch (const InvalidInput& e) {
        CHECK(e.column() == "z");
    }
    CHECK_INVALID(RandomSampleImputer, "variables_seed", .seeding_method = SeedingMethod::observation);
    CHECK_INVALID(RandomSampleImputer, "variables_seed", .variables_seed = {"id"});
    CHECK_INVALID(RandomSampleImputer, "columns", .columns = {"x", "x"});
}

TEST_CASE("supervised encoders in a Pipeline: cross-fitted fit_transform, artifact, single row") {
    const Table t = train_data();
    auto pipe = Pipeline{}
                    .add("target", TargetEncoder({.columns = {"color"}, .seed = 4}))
                    .add("woe", WoEEncoder({.columns = {"flag"}, .fill_value = 0.5}));
    // The WoE step needs a 0/1 target, so both steps get one.
    const auto yb = binary_target(t);
    const Table oof = pipe.fit_transform(t, yb);
    TargetEncoder alone({.columns = {"color"}, .seed = 4});
    const Table expect = alone.fit_transform(t, yb);
    CHECK(std::memcmp(oof.numeric("color").data(), expect.numeric("color").data(), t.num_rows() * sizeof(double)) == 0);
    CHECK(pipe.step<TargetEncoder>("target").target_mean() == alone.target_mean());
    detail::register_builtin_components();
    const Pipeline served = load_pipeline_bytes(save_bytes(pipe));
    CHECK(fingerprint(served) == fingerprint(pipe));
    const Table test = unseen_data();
    CHECK(served.transform(test) == pipe.transform(test));
    auto plan = served.compile();
    const Table batch = pipe.transform(test);
    bool rows_equal = true;
    std::vector<Cell> in, out(plan.n_outputs());
    for (std::size_t i = 0; i < test.num_rows(); ++i) {
        in.clear();
        for (const auto& c : served.input_schema())
            in.push_back(c.type == ColumnType::numeric ? Cell::num(test.numeric(c.name)[i])
                                                       : (test.category(c.name, i) ? Cell::cat(*test.category(c.name, i))
                                                                                   : Cell::missing_cat()));
        plan.run(in, out);
        for (std::size_t k = 0; k < out.size(); ++k)
            if (out[k].type == ColumnType::numeric)
                rows_equal &= std::memcmp(&out[k].number, &batch.numeric(plan.output_names()[k])[i], sizeof(double)) == 0;
    }
    CHECK(rows_equal);
}
