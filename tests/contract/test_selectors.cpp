// The feature selectors (select/): DropConstantFeatures, DropDuplicateFeatures,
// DropCorrelatedFeatures and DropHighPSIFeatures (whose rules and parity are in
// tests/parity/test_parity_psi.cpp). Their columns are numeric and categorical side by side, so
// they have a contract suite of their own here (the categorical one feeds strings only):
// order and chunk independence, single row = batch (alone and inside a pipeline's row
// plan), save/load, errors, no side effects; then their rules, and parity with the
// reference of tests/golden/golden_selectors.py (feature-engine's documented definitions).
#include "categorical_contract.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <reprep/compose/pipeline.hpp>
#include <reprep/compose/registry.hpp>
#include <reprep/core/csv.hpp>
#include <reprep/select/drop_constant_features.hpp>
#include <reprep/select/drop_correlated_features.hpp>
#include <reprep/select/drop_duplicate_features.hpp>
#include <reprep/select/drop_high_psi_features.hpp>

#include "../parity/golden_cases.hpp"

using namespace reprep;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Mixed columns with something for every selector: contract::categorical_data's
// "color", "x", "city", "flag", plus a quasi-constant number "q" (NaN in 4%), a copy
// "x_copy" of "x" (other name), a copy "color_again" of "color", a constant string
// "const_s" with missing values, and "x_lin" = 3x - 1 (correlated) with NaN in 5%.
Table mixed_data(std::size_t rows, std::uint64_t seed) {
    Table t = contract::categorical_data(rows, seed);
    Rng rng(seed + 500);
    const auto x = t.numeric("x");
    std::vector<double> q(rows), lin(rows);
    std::vector<contract::OptStr> cs(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        const double u = rng.uniform();
        q[i] = u < 0.04 ? kNaN : u < 0.1 ? -0.0 : u < 0.12 ? 2.5 : 0.0;
        lin[i] = rng.uniform() < 0.05 ? kNaN : 3.0 * x[i] - 1.0 + 0.25 * rng.normal();
        if (rng.uniform() > 0.03) cs[i] = "same";
    }
    t.add_numeric("q", std::move(q));
    t.add_numeric("x_copy", std::vector<double>(x.begin(), x.end()));
    t.add_categorical("color_again", t.categorical("color"));
    t.add_categorical("const_s", cs);
    t.add_numeric("x_lin", std::move(lin));
    return t;
}

struct ConstantCase {
    using C = DropConstantFeatures;
    static C make() { return C({.tol = 0.85, .missing_values = MissingValues::include}); }
};
struct ConstantIgnoreCase {
    using C = DropConstantFeatures;
    static C make() { return C({.columns = {"q", "const_s", "city", "x"}, .tol = 1.0, .missing_values = MissingValues::ignore}); }
};
struct DuplicateCase {
    using C = DropDuplicateFeatures;
    static C make() { return C(); }
};
struct CorrelatedCase {
    using C = DropCorrelatedFeatures;
    static C make() { return C({.threshold = 0.6}); }
};

// Split by "x" at its median: x_copy (= x) and x_lin (about 3x) drift across the split and
// go, q (independent of x, with NaN: ignore) stays.
struct PsiCase {
    using C = DropHighPSIFeatures;
    static C make() { return C({.split_col = "x", .missing_values = MissingValues::ignore}); }
};
// Named categorical columns are examined too (their categories are the bins).
struct PsiCategoricalCase {
    using C = DropHighPSIFeatures;
    static C make() {
        return C({.columns = {"color", "x_lin", "city", "const_s"}, .split_col = "x", .split_frac = 0.3,
                  .strategy = PsiStrategy::equal_width, .missing_values = MissingValues::ignore});
    }
};

// Every selector case drops at least one column and keeps at least one.
template <class K>
void check_decides_something() {
    auto c = K::make();
    c.fit(mixed_data(300, 1));
    CHECK_FALSE(c.features_to_drop().empty());
    CHECK_FALSE(c.feature_names_out().empty());
}

template <class K>
void order_and_chunks() {
    const Table t = mixed_data(300, 2);
    auto whole = K::make();
    whole.fit(t);
    for (std::uint64_t s : {1u, 2u, 3u}) {
        auto b = K::make();
        b.fit(t.rows(contract::cat_permutation(t.num_rows(), s)));
        CHECK_MESSAGE(fingerprint(b) == fingerprint(whole), "shuffle " << s);
    }
    for (std::size_t k : {1u, 2u, 7u}) {
        // Uneven, seeded cuts; one shard goes through bytes; merged in a random order.
        Rng rng(40 + k);
        std::vector<std::size_t> cuts = {0, t.num_rows()};
        while (cuts.size() < k + 1) {
            const std::size_t cut = 1 + static_cast<std::size_t>(rng.uniform_int(t.num_rows() - 1));
            if (std::find(cuts.begin(), cuts.end(), cut) == cuts.end()) cuts.push_back(cut);
        }
        std::sort(cuts.begin(), cuts.end());
        std::vector<typename K::C::Accumulator> parts;
        for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
            std::vector<std::size_t> idx(cuts[c + 1] - cuts[c]);
            std::iota(idx.begin(), idx.end(), cuts[c]);
            auto acc = K::make().accumulator();
            acc.update(t.rows(idx));
            parts.push_back(std::move(acc));
        }
        ArchiveWriter w;
        parts.back().save(w);
        ArchiveReader r(w.bytes());
        auto back = K::C::Accumulator::load(r);
        CHECK(back == parts.back());
        parts.back() = std::move(back);
        const auto order = contract::cat_permutation(parts.size(), 70 + k);
        auto merged = parts[order[0]];
        for (std::size_t i = 1; i < order.size(); ++i) merged.merge(parts[order[i]]);
        auto fitted = K::make();
        fitted.fit(merged);
        CHECK_MESSAGE(fingerprint(fitted) == fingerprint(whole), "k = " << k);
    }
}

template <class K>
void single_row_and_save_load() {
    auto c = K::make();
    c.fit(mixed_data(300, 3));
    const Table test = mixed_data(80, 4);
    const Table batch = c.transform(test);
    const auto& in = c.feature_names_in();
    const auto out = c.feature_names_out();
    std::vector<double> num(in.size()), num_out(out.size());
    std::vector<std::optional<std::string_view>> txt(in.size()), txt_out(out.size());
    bool same = true;
    for (std::size_t i = 0; i < test.num_rows(); ++i) {
        for (std::size_t k = 0; k < in.size(); ++k) {
            if (c.column_types()[k] == ColumnType::numeric) num[k] = test.numeric(in[k])[i];
            else txt[k] = test.category(in[k], i);
        }
        c.transform_row(num, txt, num_out, txt_out);
        for (std::size_t o = 0; o < out.size(); ++o) {
            if (batch.type(out[o]) == ColumnType::numeric) {
                const double b = batch.numeric(out[o])[i];
                same &= std::memcmp(&b, &num_out[o], sizeof b) == 0;
            } else {
                same &= batch.category(out[o], i) == txt_out[o];
            }
        }
    }
    CHECK(same);
    // The dropped columns are gone, the others untouched.
    for (const auto& d : c.features_to_drop()) CHECK_FALSE(batch.has_column(d));
    for (const auto& n : test.column_names())
        if (batch.has_column(n) && test.type(n) == ColumnType::numeric) {
            const auto a = test.numeric(n), b = batch.numeric(n);
            CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
        }
    CHECK(batch.num_columns() == test.num_columns() - c.features_to_drop().size());
    // save / load
    const auto d = load_bytes<typename K::C>(save_bytes(c));
    CHECK(fingerprint(d) == fingerprint(c));
    CHECK(d.transform(test) == batch);
    CHECK(d.feature_names_out() == out);
    const auto u = load_bytes<typename K::C>(save_bytes(K::make()));
    CHECK_FALSE(u.is_fitted());
    CHECK(fingerprint(u) == fingerprint(K::make()));
}

template <class K>
void errors_and_side_effects() {
    auto c = K::make();
    const Table test = mixed_data(50, 5);
    CHECK_THROWS_AS((void)c.transform(test), NotFitted);
    CHECK_THROWS_AS((void)c.feature_names_out(), NotFitted);
    CHECK_THROWS_AS((void)c.features_to_drop(), NotFitted);
    c.fit(mixed_data(300, 6));
    const std::string before = fingerprint(c);
    const std::string col = c.feature_names_in().front();
    Table missing = test;
    missing.remove(col);
    CHECK_THROWS_WITH_AS((void)c.transform(missing), doctest::Contains(col.c_str()), SchemaError);
    Table mistyped = missing;
    if (test.type(col) == ColumnType::numeric) mistyped.add_categorical(col, std::vector<contract::OptStr>(test.num_rows(), "v"));
    else mistyped.add_numeric(col, std::vector<double>(test.num_rows(), 1.0));
    CHECK_THROWS_WITH_AS((void)c.transform(mistyped), doctest::Contains(col.c_str()), SchemaError);
    std::vector<double> n(c.n_features_in() + 1), no(c.n_features_out());
    std::vector<std::optional<std::string_view>> s(n.size()), so(no.size());
    CHECK_THROWS_AS(c.transform_row(n, s, no, so), SchemaError);
    const Table copy = test;
    (void)c.transform(test);
    CHECK(test == copy);
    CHECK(fingerprint(c) == before);
    CHECK_THROWS_AS(c.fit(test.rows(std::vector<std::size_t>{})), InvalidInput);
    CHECK(fingerprint(c) == before);
    // An accumulator made for other settings is refused.
    auto other = typename K::C::Accumulator({}, MissingValues::raise);
    if (K::make().params().missing_values != MissingValues::raise) {
        auto acc = K::make().accumulator();
        acc.update(test);
        CHECK_THROWS_AS(acc.merge(other), InvalidInput);
    }
}

std::string contract_join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& n : v) s += n + " ";
    return s;
}

template <class K>
void in_a_pipeline() {
    // Older steps around the selector, one artifact, the row plan against the batch.
    Pipeline p = Pipeline{}
                     .add("impute", SimpleImputer<>({.columns = {"x_lin"}, .strategy = ImputeStrategy::median}))
                     .add("select", K::make())
                     .add("onehot", OneHotEncoder({.columns = {"flag"}}));
    const Table train = mixed_data(300, 7), test = mixed_data(60, 8);
    p.fit(train);
    const Pipeline served = load_pipeline_bytes(save_bytes(p));
    CHECK(fingerprint(served) == fingerprint(p));
    const Table batch = served.transform(test);
    // The batch holds feature_names_out() in that order (plus the columns no step reads,
    // which the default serving policy passes through).
    std::vector<std::string> produced;
    const auto out_names = served.feature_names_out();
    for (const auto& n : batch.column_names())
        if (std::find(out_names.begin(), out_names.end(), n) != out_names.end()) produced.push_back(n);
    CHECK_MESSAGE(produced == out_names, contract_join(batch.column_names()) << " vs " << contract_join(out_names));
    auto plan = served.compile();
    std::vector<Cell> rec, row(plan.n_outputs());
    bool same = true;
    const auto names = served.feature_names_out();
    for (std::size_t i = 0; i < test.num_rows(); ++i) {
        rec.clear();
        for (const auto& c : served.input_schema()) {
            if (c.type == ColumnType::numeric) rec.push_back(Cell::num(test.numeric(c.name)[i]));
            else if (auto v = test.category(c.name, i)) rec.push_back(Cell::cat(*v));
            else rec.push_back(Cell::missing_cat());
        }
        plan.run(rec, std::span<Cell>(row));
        for (std::size_t o = 0; o < names.size(); ++o) {
            if (batch.type(names[o]) == ColumnType::numeric) {
                const double b = batch.numeric(names[o])[i];
                same &= row[o].type == ColumnType::numeric && std::memcmp(&b, &row[o].number, sizeof b) == 0;
            } else {
                same &= row[o].type == ColumnType::categorical && batch.category(names[o], i) == row[o].text;
            }
        }
    }
    CHECK(same);
}

}  // namespace

TEST_CASE_TEMPLATE("selector contract", K, ConstantCase, ConstantIgnoreCase, DuplicateCase, CorrelatedCase, PsiCase,
                   PsiCategoricalCase) {
    SUBCASE("decides something") { check_decides_something<K>(); }
    SUBCASE("order and chunk independence") { order_and_chunks<K>(); }
    SUBCASE("single row equals batch; save and load") { single_row_and_save_load<K>(); }
    SUBCASE("errors and no side effects") { errors_and_side_effects<K>(); }
    SUBCASE("in a pipeline") { in_a_pipeline<K>(); }
}

TEST_CASE("selectors: invalid params name the field") {
    CHECK_THROWS_WITH_AS(DropConstantFeatures({.tol = 1.5}), doctest::Contains("tol"), InvalidParameter);
    CHECK_THROWS_AS(DropConstantFeatures({.tol = kNaN}), InvalidParameter);
    CHECK_THROWS_AS(DropConstantFeatures({.columns = {"a", "a"}}), InvalidParameter);
    CHECK_THROWS_WITH_AS(DropDuplicateFeatures({.missing_values = MissingValues::include}), doctest::Contains("missing_values"),
                         InvalidParameter);
    CHECK_THROWS_WITH_AS(DropCorrelatedFeatures({.threshold = -0.1}), doctest::Contains("threshold"), InvalidParameter);
    CHECK_THROWS_AS(DropCorrelatedFeatures({.threshold = 1.0 + 1e-16 * 4}), InvalidParameter);
    CHECK_THROWS_AS(DropCorrelatedFeatures({.missing_values = MissingValues::include}), InvalidParameter);
    // The encoders that share MissingValues refuse include.
    CHECK_THROWS_AS(CountFrequencyEncoder({.missing_values = MissingValues::include}), InvalidParameter);
    CHECK_THROWS_AS(RareLabelEncoder({.missing_values = MissingValues::include}), InvalidParameter);
}

TEST_CASE("DropConstantFeatures: missing values, signed zeros, all-missing columns, errors with column and row") {
    Table t;
    t.add_numeric("all_nan", {kNaN, kNaN, kNaN, kNaN});
    t.add_numeric("zeros", {0.0, -0.0, 0.0, -0.0});
    t.add_numeric("v", {1.0, 2.0, 3.0, kNaN});
    t.add_categorical("s", {"a", std::nullopt, "a", "a"});
    auto ignore = DropConstantFeatures({.missing_values = MissingValues::ignore});
    ignore.fit(t);
    CHECK(ignore.features_to_drop() == std::vector<std::string>{"zeros", "s"});  // all_nan kept: no value
    auto include = DropConstantFeatures({.missing_values = MissingValues::include});
    include.fit(t);
    CHECK(include.features_to_drop() == std::vector<std::string>{"all_nan", "zeros"});
    auto raise = DropConstantFeatures();
    try {
        raise.fit(t);
        FAIL("expected InvalidInput");
    } catch (const InvalidInput& e) {
        CHECK(e.column() == "all_nan");
        CHECK(e.row() == std::optional<std::size_t>(0));
        CHECK(std::string(e.what()).find("missing_values") != std::string::npos);
    }
    CHECK_FALSE(raise.is_fitted());
    // Every column constant, every column examined: refused, as feature-engine does.
    Table c;
    c.add_numeric("a", {1.0, 1.0}).add_categorical("b", {"z", "z"});
    CHECK_THROWS_WITH_AS(DropConstantFeatures().fit(c), doctest::Contains("none would be left"), InvalidInput);
    // Named columns may all go: the others remain.
    CHECK(DropConstantFeatures({.columns = {"a", "b"}}).fit(c).feature_names_out().empty());
    // Kept columns keep their order when every column is examined.
    auto d = DropConstantFeatures({.missing_values = MissingValues::include});
    Table m;
    m.add_numeric("p", {1.0, 2.0}).add_numeric("k", {5.0, 5.0}).add_categorical("r", {"u", "w"});
    CHECK(d.fit_transform(m).column_names() == std::vector<std::string>{"p", "r"});
}

TEST_CASE("DropDuplicateFeatures and DropCorrelatedFeatures: links, kinds of columns, infinities") {
    const Table t = mixed_data(200, 9);
    DropDuplicateFeatures dup;
    dup.fit(t);
    CHECK(dup.features_to_drop() == std::vector<std::string>{"x_copy", "color_again"});
    CHECK(dup.duplicate_of("x_copy") == "x");
    CHECK(dup.duplicate_of("color_again") == "color");
    CHECK_THROWS_AS((void)dup.duplicate_of("x"), SchemaError);
    DropCorrelatedFeatures cor({.threshold = 0.6});
    cor.fit(t);
    CHECK(cor.feature_names_in() == std::vector<std::string>{"x", "q", "x_copy", "x_lin"});  // numeric only
    CHECK(cor.features_to_drop() == std::vector<std::string>{"x_copy", "x_lin"});
    CHECK(cor.correlated_with("x_lin") == "x");
    CHECK(cor.correlated_feature_sets() == std::vector<std::vector<std::string>>{{"x", "x_copy", "x_lin"}});
    CHECK_THROWS_WITH_AS(DropCorrelatedFeatures({.columns = {"x", "color"}}).fit(t), doctest::Contains("color"), SchemaError);
    Table inf = t;
    std::vector<double> x(t.numeric("x").begin(), t.numeric("x").end());
    x[17] = -std::numeric_limits<double>::infinity();
    inf.set_numeric("x", x);
    try {
        DropCorrelatedFeatures().fit(inf);
        FAIL("expected InvalidInput");
    } catch (const InvalidInput& e) {
        CHECK(e.column() == "x");
        CHECK(e.row() == std::optional<std::size_t>(17));
    }
    // Magnitudes far apart (subnormal and huge) stay exact.
    Table e;
    e.add_numeric("tiny", {0x1p-1070, 0x1p-1069, 0x1p-1068, 0x1p-1070})
        .add_numeric("huge", {0x1p1000, 0x1p1001, 0x1p1002, 0x1p1000})
        .add_numeric("other", {1.0, 0.0, 1.0, 0.0});
    DropCorrelatedFeatures ex({.threshold = 0.99});
    ex.fit(e);
    CHECK(ex.features_to_drop() == std::vector<std::string>{"huge"});
}

// ---- parity with the reference of tests/golden/golden_selectors.py --------------------

namespace {
MissingValues missing_of(const std::string& s) {
    return s == "raise" ? MissingValues::raise : s == "ignore" ? MissingValues::ignore : MissingValues::include;
}
template <class C>
void check_case(C c, const Table& data, const std::map<std::string, std::vector<std::string>>& lines, const std::string& name) {
    if (lines.count("error")) {
        CHECK_THROWS_AS_MESSAGE(c.fit(data), InvalidInput, name);
        return;
    }
    c.fit(data);
    auto drop = lines.at("drop");
    CHECK_MESSAGE(c.features_to_drop() == drop, name);
    for (const auto& l : lines) {
        if (l.first.rfind("link ", 0) != 0) continue;
        const std::string dropped = l.first.substr(5);
        if constexpr (requires { c.duplicate_of(dropped); }) CHECK_MESSAGE(c.duplicate_of(dropped) == l.second[0], name);
        if constexpr (requires { c.correlated_with(dropped); }) CHECK_MESSAGE(c.correlated_with(dropped) == l.second[0], name);
    }
    // Any row order decides the same.
    C d = c;
    d.fit(data.rows(contract::cat_permutation(data.num_rows(), 11)));
    CHECK_MESSAGE(fingerprint(d) == fingerprint(c), name);
}
}  // namespace

TEST_CASE("selectors: parity with feature-engine's documented rules (golden_selectors.py)") {
    const auto dir = std::filesystem::path(REPREP_GOLDEN_DIR) / "selectors";
    std::size_t cases = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".txt") continue;
        std::ifstream in(entry.path());
        std::map<std::string, std::vector<std::string>> lines;  // key (with "link <col>"), values
        std::string line;
        while (std::getline(in, line)) {
            auto f = golden::split(line, '\t');
            std::string key = f[0];
            f.erase(f.begin());
            if (key == "param" || key == "link") {
                key += " " + f[0];
                f.erase(f.begin());
            }
            lines[key] = f;
        }
        const std::string name = entry.path().stem().string();
        const Table data = read_csv(dir / lines.at("data")[0]);
        std::vector<std::string> columns;
        if (lines.count("param columns")) columns = golden::split(lines.at("param columns")[0], ',');
        const MissingValues mv = missing_of(lines.at("param missing_values")[0]);
        const std::string component = lines.at("component")[0];
        if (component == "drop_constant_features")
            check_case(DropConstantFeatures({.columns = columns, .tol = golden::from_hex(lines.at("param tol")[0]), .missing_values = mv}),
                       data, lines, name);
        else if (component == "drop_duplicate_features")
            check_case(DropDuplicateFeatures({.columns = columns, .missing_values = mv}), data, lines, name);
        else
            check_case(DropCorrelatedFeatures({.columns = columns, .threshold = golden::from_hex(lines.at("param threshold")[0]),
                                               .missing_values = mv}),
                       data, lines, name);
        ++cases;
    }
    CHECK(cases == 19);
}
