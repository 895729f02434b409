// describe_state (compose/describe.hpp) and what describe_artifact / reprep-inspect print
// of each step's fitted state: every built-in kind has a summary naming each of its
// columns, printed numbers are the fitted doubles bit for bit (%.17g), long lists are
// shortened unless full output is asked for, and bad options are typed errors.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include <reprep/compose/describe.hpp>
#include <reprep/compose/inspect.hpp>
#include <reprep/compose/pipeline.hpp>
#include <reprep/core/csv.hpp>

#include "../fuzz/zoo.hpp"

using namespace reprep;

namespace {

const std::vector<std::string> numeric_cols = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};

Table penguins() { return read_csv(std::filesystem::path(REPREP_TEST_DATA_DIR) / "penguins.csv"); }

// Formatted here, independently of describe.hpp, as the training side would.
std::string g17(double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The line of `text` that starts with `prefix` (after indentation), or "".
std::string line_of(const std::string& text, const std::string& prefix) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        const std::size_t first = line.find_first_not_of(' ');
        if (first != std::string::npos && line.compare(first, prefix.size(), prefix) == 0) return line.substr(first);
        if (end == std::string::npos) break;
        pos = end + 1;
    }
    return "";
}

// The number that follows `label` in `line`, read back with strtod.
double number_after(const std::string& line, const std::string& label) {
    const std::size_t at = line.find(label);
    REQUIRE_MESSAGE(at != std::string::npos, "no '" << label << "' in: " << line);
    return std::strtod(line.c_str() + at + label.size(), nullptr);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}

// A user's kind: StandardScaler's code under a kind name of its own, so that it is not
// one of the built-in kinds describe.hpp knows.
struct UserScaler : StandardScaler<double> {
    static constexpr std::string_view kind_name() { return "test_describe_user_scaler"; }
    UserScaler() = default;
    explicit UserScaler(StandardScaler<double> s) : StandardScaler<double>(std::move(s)) {}
    static UserScaler load_state(ArchiveReader& r, std::uint32_t v) { return UserScaler(StandardScaler<double>::load_state(r, v)); }
};

}  // namespace

TEST_CASE("every built-in kind has a state summary that names each fitted column, directly and through a step") {
    const Table t = zoo::penguins(REPREP_TEST_DATA_DIR);
    const Table c = zoo::complete_rows(t);
    std::size_t kinds = 0;
    // builtin_kinds itself, not the zoo's list: make_fitted refuses to compile for a kind
    // without a recipe, and describe_state for a kind without an overload, so no kind
    // is skipped.
    detail::for_each_type<builtin_kinds>([&]<class C>() {
        ++kinds;
        const C fitted = zoo::make_fitted<C>(t, c);
        const auto lines = describe_state(fitted, 8);
        const std::string text = joined(lines);
        INFO(C::kind_name() << ":\n" << text);
        REQUIRE_FALSE(lines.empty());
        CHECK(text != "not fitted\n");
        for (const auto& name : fitted.feature_names_in()) CHECK_MESSAGE(contains(text, name), "column " << name);
        // The type-erased path a pipeline step takes gives the same lines.
        const detail::StepModel<C> step(fitted);
        const auto through_step = detail::describe_step_state(step, 8);
        REQUIRE(through_step.has_value());
        CHECK(*through_step == lines);
        // Unfitted: says so instead of throwing NotFitted from an accessor.
        CHECK(describe_state(C{}, 8) == std::vector<std::string>{"not fitted"});
    });
    CHECK(kinds == std::tuple_size_v<builtin_kinds>);
    CHECK(kinds == 36);

    // The float instantiations of the numeric kinds have summaries too (matrix-level artifacts).
    std::size_t float_kinds = 0;
    zoo::for_each_kind([&]<class C>() {
        if constexpr (requires { typename C::Scalar; }) {
            if constexpr (std::is_same_v<typename C::Scalar, float>) {
                ++float_kinds;
                const C fitted = zoo::make_fitted<C>(t, c);
                const std::string text = joined(describe_state(fitted, 8));
                INFO(zoo::tag<C>() << ":\n" << text);
                for (const auto& name : fitted.feature_names_in()) CHECK(contains(text, name));
            }
        }
    });
    CHECK(float_kinds == std::tuple_size_v<builtin_numeric_kinds<float>>);
}

TEST_CASE("printed numbers are the fitted doubles, bit for bit (%.17g)") {
    const Table t = penguins();
    SimpleImputer<> imputer({.columns = numeric_cols, .strategy = ImputeStrategy::median});
    imputer.fit(t);
    const std::string text = joined(describe_state(imputer, 8));
    CHECK(contains(text, "strategy median\n"));
    for (std::size_t j = 0; j < numeric_cols.size(); ++j) {
        const std::string line = line_of(text, numeric_cols[j] + ":");
        CHECK(line == numeric_cols[j] + ": fills missing with median " + g17(imputer.statistics()[j]));
        CHECK(same_bits(number_after(line, "median "), imputer.statistics()[j]));
    }

    StandardScaler<> scaler({.columns = numeric_cols});
    scaler.fit(t);
    const std::string s = joined(describe_state(scaler, 8));
    for (std::size_t j = 0; j < numeric_cols.size(); ++j) {
        const std::string line = line_of(s, numeric_cols[j] + ":");
        CHECK(same_bits(number_after(line, "mean "), scaler.mean()[j]));
        CHECK(same_bits(number_after(line, "scale "), scaler.scale()[j]));
    }

    // The Winsorizer's caps; a side it does not cap prints "none", not inf.
    Winsorizer<> right({.columns = {"body_mass_g"}, .capping_method = CappingMethod::iqr, .tail = Tail::right});
    right.fit(zoo::complete_rows(t));
    const std::string w = joined(describe_state(right, 8));
    CHECK(contains(w, "body_mass_g: lower cap none, upper cap " + g17(right.right_tail_caps()[0]) + "\n"));

    // TargetEncoder: one pair per category, and the target mean that unknown ones get.
    TargetEncoder te({.columns = {"island"}});
    const Table c = zoo::complete_rows(t);
    te.fit(c, zoo::target(c));
    const std::string e = joined(describe_state(te, 8));
    CHECK(contains(e, "target mean " + g17(te.target_mean())));
    const auto& cats = te.categories("island");
    REQUIRE(cats.size() == 3);
    for (std::size_t i = 0; i < cats.size(); ++i) CHECK(contains(e, cats[i] + " -> " + g17(te.encodings("island")[i])));

    // Multiclass: each class with its mean, then per column and class its encodings.
    const TargetEncoder mc = zoo::multiclass_target_encoder(t);
    const std::string m = joined(describe_state(mc, 8));
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK(contains(m, std::to_string(k) + " (mean " + g17(mc.target_means()[k]) + ")"));
        CHECK(contains(m, "class " + std::to_string(k) + ": encodings " + cats[0] + " -> " + g17(mc.encodings("island", k)[0])));
    }
    CHECK(contains(m, "missing -> " + g17(*mc.missing_encoding("sex", 2))));
}

TEST_CASE("long lists are shortened to max_items, and printed in full on request") {
    // One column with 20 categories, k00 .. k19, k00 the most frequent.
    std::vector<std::string> values;
    for (int k = 0; k < 20; ++k)
        for (int r = 0; r < 25 - k; ++r) values.push_back((k < 10 ? "k0" : "k") + std::to_string(k));
    Table t;
    t.add_categorical("c", std::vector<std::optional<std::string>>(values.begin(), values.end()));
    OneHotEncoder enc({.columns = {"c"}});
    enc.fit(t);

    const std::string shortened = joined(describe_state(enc, 8));
    CHECK(contains(shortened, "c: categories k00, k01, k02, k03, k04, k05, k06, k07, ... (20 in all)\n"));
    CHECK_FALSE(contains(shortened, "k08"));
    const std::string full = joined(describe_state(enc, SIZE_MAX));
    CHECK(contains(full, "k08"));
    CHECK(contains(full, ", k19\n"));
    CHECK_FALSE(contains(full, "in all"));

    // Numbers too: 50 quantiles, 8 shown.
    QuantileTransformer<> qt({.columns = {"body_mass_g"}, .n_quantiles = 50});
    qt.fit(zoo::complete_rows(penguins()));
    const std::string q8 = line_of(joined(describe_state(qt, 8)), "body_mass_g:");
    CHECK(count_of(q8, ", ") == 8);  // 8 numbers, then ", ... (50 in all)"
    CHECK(contains(q8, ", ... (50 in all)"));
    const std::string qall = line_of(joined(describe_state(qt, SIZE_MAX)), "body_mass_g:");
    CHECK(count_of(qall, ", ") == 49);
    CHECK(same_bits(std::strtod(qall.substr(qall.rfind(", ") + 2).c_str(), nullptr), qt.quantiles(0).back()));

    // Through describe_artifact and its options.
    const std::string bytes = save_bytes(enc);
    CHECK(contains(describe_artifact(bytes), "(20 in all)"));
    CHECK_FALSE(contains(describe_artifact(bytes, {.full = true}), "in all"));
    CHECK(contains(describe_artifact(bytes, {.max_items = 3}), "categories k00, k01, k02, ... (20 in all)"));
}

TEST_CASE("describe_artifact prints each pipeline step's columns and fitted state") {
    const Table t = penguins();
    auto pipe = Pipeline{}
                    .add("impute", SimpleImputer<>({.columns = numeric_cols, .strategy = ImputeStrategy::median}))
                    .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
                    .add("cap", Winsorizer<>({.columns = {"body_mass_g"}, .capping_method = CappingMethod::quantiles,
                                              .tail = Tail::both, .fold = 0.05}))
                    .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"}}))
                    .add("scale", StandardScaler<>({.columns = numeric_cols}));
    const std::string unfitted = describe_artifact(save_bytes(pipe));
    CHECK(count_of(unfitted, "     state: not fitted\n") == 5);

    pipe.fit(t);
    const std::string text = describe_artifact(save_bytes(pipe));
    CHECK(count_of(text, "     state:\n") == 5);
    const auto& imputer = pipe.step<SimpleImputer<>>("impute");
    CHECK(contains(text, "  1. impute: simple_imputer, fingerprint " + pipe.step_fingerprint(0) +
                             "\n     reads (numeric): bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g\n"
                             "     writes (numeric): bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g\n"
                             "     state:\n       strategy median\n       bill_length_mm: fills missing with median " +
                             g17(imputer.statistics()[0]) + "\n"));
    const auto& sex = pipe.step<CategoricalImputer>("sex");
    CHECK(contains(text, "       sex: fills missing with " + sex.fill_value("sex") + "\n"));
    const auto& cap = pipe.step<Winsorizer<>>("cap");
    CHECK(contains(text, "       body_mass_g: lower cap " + g17(cap.left_tail_caps()[0]) + ", upper cap " +
                             g17(cap.right_tail_caps()[0]) + "\n"));
    CHECK(contains(text, "       island: categories Biscoe, Dream, Torgersen\n"));
    const auto& scale = pipe.step<StandardScaler<>>("scale");
    CHECK(contains(text, "       body_mass_g: mean " + g17(scale.mean()[3]) + ", scale " + g17(scale.scale()[3]) + "\n"));

    // A single-component artifact: the state after the columns, unindented.
    const std::string one = describe_artifact(save_bytes(imputer));
    CHECK(contains(one, "writes (numeric): bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g\nstate:\n"
                        "  strategy median\n"));
}

TEST_CASE("a control character inside a category cannot forge a line of the report") {
    Table t;
    t.add_categorical("c", {"plain", "two\nlines", "plain", std::nullopt});
    CategoricalImputer imp({.columns = {"c"}, .imputation_method = ImputationMethod::missing, .fill_value = "x\ty"});
    imp.fit(t);
    CHECK(describe_state(imp, 8) == std::vector<std::string>{"c: fills missing with x\\x09y"});
    OneHotEncoder enc({.columns = {"c"}});
    enc.fit(t);
    const auto lines = describe_state(enc, 8);
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == "c: categories plain, two\\x0alines; missing is a category");
}

TEST_CASE("a kind that is not built in is described without a state summary") {
    register_component<UserScaler>();
    StandardScaler<> inner({.columns = {"body_mass_g"}});
    auto pipe = Pipeline{}.add("mine", UserScaler(inner));
    pipe.fit(penguins());
    const std::string text = describe_artifact(save_bytes(pipe));
    CHECK(contains(text, "     reads (numeric): body_mass_g\n"));
    CHECK(contains(text, "     state: no summary for kind test_describe_user_scaler (not among the kinds this binary describes)\n"));
}

TEST_CASE("describe_artifact<Kinds<...>> summarises the kinds it names only") {
    register_component<StandardScaler<>>();  // loadable here whatever ran before
    auto pipe = Pipeline{}
                    .add("impute", SimpleImputer<>({.columns = {"body_mass_g"}, .strategy = ImputeStrategy::mean}))
                    .add("scale", StandardScaler<>({.columns = {"body_mass_g"}}));
    pipe.fit(penguins());
    const std::string text = describe_artifact<Kinds<SimpleImputer<>>>(save_bytes(pipe));
    CHECK(contains(text, "       body_mass_g: fills missing with mean " + g17(pipe.step<SimpleImputer<>>("impute").statistics()[0])));
    CHECK(contains(text, "     state: no summary for kind standard_scaler (not among the kinds this binary describes)\n"));
}

TEST_CASE("bad options are typed errors") {
    StandardScaler<> scaler({.columns = {"body_mass_g"}});
    scaler.fit(penguins());
    CHECK_THROWS_AS(describe_state(scaler, 0), InvalidParameter);
    CHECK_THROWS_AS(describe_artifact(save_bytes(scaler), {.max_items = 0}), InvalidParameter);
    // full overrides max_items, so {full, 0} is not a contradiction worth refusing.
    CHECK(contains(describe_artifact(save_bytes(scaler), {.full = true, .max_items = 0}), "body_mass_g: mean "));
}
