// The feature-creation family (issue 19, item 3): PolynomialFeatures, MathFeatures and
// RelativeFeatures. The contract suite over each, parity with the golden files of
// tests/golden/golden_create.py (scikit-learn 1.2 for PolynomialFeatures, a reference
// from feature-engine's documented definitions for the other two), and the bad-input
// catalogue.
#include "contract.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <reprep/create/math_features.hpp>
#include <reprep/create/polynomial_features.hpp>
#include <reprep/create/relative_features.hpp>

#include "../bad_input/catalogue.hpp"

using namespace reprep;

namespace {
template <class T>
Matrix<T> cast(const Matrix<double>& X) { return X.template cast<T>(); }

template <class T, bool Interaction, bool Bias>
struct PolyCase {
    using Component = PolynomialFeatures<T>;
    static Component make() {
        return Component({.degree = Interaction ? PolynomialDegree(2, 3) : PolynomialDegree(3),
                          .interaction_only = Interaction, .include_bias = Bias});
    }
    static Matrix<T> train() { return cast<T>(contract::gaussian(61, 3, 71)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(23, 3, 72)); }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.degree = -1}), InvalidParameter);
        CHECK_THROWS_AS(Component({.degree = {3, 2}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.degree = 0, .include_bias = false}), InvalidParameter);
    }
    static constexpr bool has_accumulator = false;
};

template <class T, MissingValues Missing, bool Drop>
struct MathCase {
    using Component = MathFeatures<T>;
    static Component make() {
        return Component({.func = {MathFunc::std, MathFunc::sum, MathFunc::prod, MathFunc::min, MathFunc::max, MathFunc::mean},
                          .missing_values = Missing, .drop_original = Drop});
    }
    static constexpr double nan_rate = Missing == MissingValues::ignore ? 0.2 : 0.0;
    static Matrix<T> train() { return cast<T>(contract::gaussian(67, 4, 81, nan_rate)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(29, 4, 82, nan_rate)); }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.columns = {"a"}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.func = {}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.func = {MathFunc::sum, MathFunc::sum}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.func = {MathFunc::sum}, .new_variables_names = {"a", "b"}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.missing_values = MissingValues::include}), InvalidParameter);
    }
    static constexpr bool has_accumulator = false;
};

template <class T, bool Drop>
struct RelativeCase {
    using Component = RelativeFeatures<T>;
    // Matrix columns f0, f1 (variables) then f2 (the reference), as the Table contract names them.
    static Component make() {
        return Component({.columns = {"f0", "f1"}, .reference = {"f2"},
                          .func = {RelativeFunc::add, RelativeFunc::sub, RelativeFunc::mul, RelativeFunc::div,
                                   RelativeFunc::truediv, RelativeFunc::floordiv, RelativeFunc::mod, RelativeFunc::pow},
                          .fill_value = 0.5, .drop_original = Drop});
    }
    static Matrix<double> with_zeros(Matrix<double> X) {
        for (Eigen::Index i = 0; i < X.rows(); i += 5) X(i, 2) = 0.0;  // divisors of zero: fill_value
        return X;
    }
    static Matrix<T> train() { return cast<T>(with_zeros(contract::gaussian(53, 3, 91, 0.1))); }
    static Matrix<T> test() { return cast<T>(with_zeros(contract::gaussian(31, 3, 92, 0.1))); }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.func = {RelativeFunc::add}}), InvalidParameter);  // no reference
        CHECK_THROWS_AS(Component({.reference = {"a"}}), InvalidParameter);          // no func
        CHECK_THROWS_AS(Component({.reference = {"a", "a"}, .func = {RelativeFunc::add}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.reference = {"a"}, .func = {RelativeFunc::mod, RelativeFunc::mod}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.reference = {"a"}, .func = {RelativeFunc::div},
                                   .fill_value = std::numeric_limits<double>::infinity()}),
                        InvalidParameter);
    }
    static constexpr bool has_accumulator = false;
};
}  // namespace

TEST_CASE_TEMPLATE("numeric contract: create", C, PolyCase<double, false, true>, PolyCase<double, true, false>,
                   PolyCase<float, false, true>, MathCase<double, MissingValues::ignore, false>,
                   MathCase<double, MissingValues::raise, true>, MathCase<float, MissingValues::ignore, false>,
                   RelativeCase<double, false>, RelativeCase<double, true>, RelativeCase<float, false>) {
    contract::run_all<C>();
}

// ---- parity with tests/golden/create/ (format in golden_create.py) -------------------

namespace {
struct GoldenCase {
    std::string name, component, dtype, error;
    std::map<std::string, std::vector<std::string>> params;
    std::vector<std::string> names;
    Matrix<double> in, out;
};

Matrix<double> to_matrix(const std::vector<std::vector<double>>& r) {
    Matrix<double> M(static_cast<Eigen::Index>(r.size()), r.empty() ? 0 : static_cast<Eigen::Index>(r[0].size()));
    for (std::size_t i = 0; i < r.size(); ++i)
        for (std::size_t j = 0; j < r[i].size(); ++j) M(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = r[i][j];
    return M;
}

std::vector<GoldenCase> golden_cases() {
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(REPREP_GOLDEN_DIR) / "create"))
        paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    std::vector<GoldenCase> out;
    for (const auto& p : paths) {
        std::ifstream f(p);
        GoldenCase c;
        c.name = p.stem().string();
        std::vector<std::vector<double>> in, o;
        std::string line;
        while (std::getline(f, line)) {
            if (line.empty() || line[0] == '#') continue;
            const auto sp = line.find(' ');
            const std::string key = line.substr(0, sp), rest = sp == std::string::npos ? "" : line.substr(sp + 1);
            std::istringstream ss(rest);
            std::vector<std::string> toks;
            for (std::string t; ss >> t;) toks.push_back(t);
            if (key == "component") c.component = rest;
            else if (key == "dtype") c.dtype = rest;
            else if (key == "error") c.error = rest;
            else if (key == "name") c.names.push_back(rest);
            else if (key == "param") c.params[toks.at(0)] = std::vector<std::string>(toks.begin() + 1, toks.end());
            else if (key == "in" || key == "out") {
                std::vector<double> r;
                for (const auto& t : toks) r.push_back(std::bit_cast<double>(std::stoull(t, nullptr, 16)));
                (key == "in" ? in : o).push_back(std::move(r));
            }
        }
        c.in = to_matrix(in);
        c.out = to_matrix(o);
        out.push_back(std::move(c));
    }
    return out;
}

MathFunc math_func(const std::string& s) {
    for (std::uint8_t f = 0; f <= static_cast<std::uint8_t>(MathFunc::prod); ++f)
        if (s == math_func_name(static_cast<MathFunc>(f))) return static_cast<MathFunc>(f);
    FAIL("unknown func " << s);
    return MathFunc::sum;
}
RelativeFunc relative_func(const std::string& s) {
    for (std::uint8_t f = 0; f <= static_cast<std::uint8_t>(RelativeFunc::pow); ++f)
        if (s == relative_func_name(static_cast<RelativeFunc>(f))) return static_cast<RelativeFunc>(f);
    FAIL("unknown func " << s);
    return RelativeFunc::add;
}

template <class C>
std::string error_of(C& c, const Matrix<typename C::Scalar>& X) {
    try {
        c.fit(X);
        (void)c.transform(X);
    } catch (const Error& e) {
        return catalogue::type_name(e);
    }
    return "";
}

// Fits on the case's input, transforms it, and compares names and bits: exactly, or
// within `ulps` for the columns whose name contains `approx` (pow). NaN matches any NaN.
template <class C>
void check_case(const GoldenCase& g, C c, const std::string& approx = "", int* exact_pow = nullptr, int* all_pow = nullptr,
                const std::vector<std::string>& input_names = {}) {
    using T = typename C::Scalar;
    const Matrix<T> X = g.in.template cast<T>();
    if (!g.error.empty()) {
        CHECK_MESSAGE(error_of(c, X) == g.error, g.name);
        return;
    }
    c.fit(X);
    CHECK_MESSAGE(c.feature_names_out(input_names) == g.names, g.name);
    const Matrix<T> Y = c.transform(X);
    REQUIRE_MESSAGE(Y.cols() == g.out.cols(), g.name);
    REQUIRE_MESSAGE(Y.rows() == g.out.rows(), g.name);
    int bad = 0;
    for (Eigen::Index j = 0; j < Y.cols(); ++j) {
        const bool loose = !approx.empty() && g.names[static_cast<std::size_t>(j)].find(approx) != std::string::npos;
        for (Eigen::Index i = 0; i < Y.rows(); ++i) {
            const double got = static_cast<double>(Y(i, j)), want = g.out(i, j);
            if (std::isnan(want) && std::isnan(got)) continue;
            const bool same = std::bit_cast<std::uint64_t>(got) == std::bit_cast<std::uint64_t>(want);
            if (loose) {
                ++*all_pow;
                *exact_pow += same;
                const auto d = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(got) - std::bit_cast<std::uint64_t>(want));
                if (same || (std::signbit(got) == std::signbit(want) && (d == 1 || d == -1))) continue;
            } else if (same) {
                continue;
            }
            if (++bad <= 5)
                MESSAGE(g.name << ": " << g.names[static_cast<std::size_t>(j)] << " row " << i << ": got " << got << ", want " << want);
        }
    }
    CHECK_MESSAGE(bad == 0, g.name << ": " << bad << " cells differ");
}
}  // namespace

TEST_CASE("create: parity with scikit-learn 1.2 and the feature-engine reference (tests/golden/create)") {
    const auto cases = golden_cases();
    REQUIRE(cases.size() >= 15);
    int exact_pow = 0, all_pow = 0, checked = 0;
    for (const auto& g : cases) {
        INFO("case " << g.name);
        const auto& p = g.params;
        auto flag = [&](const char* k) { return p.count(k) && p.at(k).at(0) == "True"; };
        auto missing = [&] { return p.at("missing_values").at(0) == "raise" ? MissingValues::raise : MissingValues::ignore; };
        std::vector<std::string> columns = p.count("columns") ? p.at("columns") : std::vector<std::string>{};
        if (g.component == "polynomial_features") {
            const PolynomialDegree deg(std::stoll(p.at("degree").at(0)), std::stoll(p.at("degree").at(1)));
            // Input names as scikit-learn's get_feature_names_out(input_features).
            if (g.dtype == "float32")
                check_case(g, PolynomialFeatures<float>({.degree = deg, .interaction_only = flag("interaction_only"),
                                                         .include_bias = flag("include_bias")}), "", nullptr, nullptr, columns);
            else
                check_case(g, PolynomialFeatures<>({.degree = deg, .interaction_only = flag("interaction_only"),
                                                    .include_bias = flag("include_bias")}), "", nullptr, nullptr, columns);
        } else if (g.component == "math_features") {
            std::vector<MathFunc> funcs;
            for (const auto& f : p.at("func")) funcs.push_back(math_func(f));
            const std::vector<std::string> new_names = p.count("new_variables_names") ? p.at("new_variables_names") : std::vector<std::string>{};
            if (g.dtype == "float32")
                check_case(g, MathFeatures<float>({.func = funcs, .new_variables_names = new_names, .missing_values = missing(),
                                                   .drop_original = flag("drop_original")}));
            else
                check_case(g, MathFeatures<>({.func = funcs, .new_variables_names = new_names, .missing_values = missing(),
                                              .drop_original = flag("drop_original")}));
        } else if (g.component == "relative_features") {
            std::vector<RelativeFunc> funcs;
            for (const auto& f : p.at("func")) funcs.push_back(relative_func(f));
            std::optional<double> fill;
            if (p.count("fill_value")) fill = std::bit_cast<double>(std::stoull(p.at("fill_value").at(0), nullptr, 16));
            check_case(g, RelativeFeatures<>({.columns = columns, .reference = p.at("reference"), .func = funcs, .fill_value = fill,
                                              .missing_values = missing(), .drop_original = flag("drop_original")}),
                       "_pow_", &exact_pow, &all_pow);
        } else {
            FAIL("unknown component " << g.component);
        }
        ++checked;
    }
    CHECK(checked == static_cast<int>(cases.size()));
    // pow is dmath's (within 1 ulp); the reference is correctly rounded. Say how often they agree.
    MESSAGE("RelativeFeatures pow: " << exact_pow << " of " << all_pow << " cells bit-identical to the correctly rounded value");
    CHECK(all_pow > 0);
}

TEST_CASE("create: Table names, powers_, and single rows of the overflow cases") {
    // Input names replace x0, x1 in scikit-learn's names, and powers_ counts exponents.
    Table t;
    t.add_numeric("a", {1.0, 2.0, -3.0}).add_numeric("b", {0.5, 0.0, 4.0}).add_numeric("keep", {7.0, 8.0, 9.0});
    PolynomialFeatures<> pf({.columns = {"a", "b"}, .degree = 2});
    const Table out = pf.fit(t).transform(t);
    CHECK(out.column_names() == std::vector<std::string>{"keep", "1", "a", "b", "a^2", "a b", "b^2"});
    CHECK(pf.powers() == std::vector<std::vector<std::int64_t>>{{0, 0}, {1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}});
    CHECK(out.numeric("a b")[2] == -12.0);
    // Inf * 0 after an overflow is the positive quiet NaN on every CPU, alone or in a batch.
    Matrix<double> X(2, 2);
    X << 0.0, 1e200, 1.0, 2.0;  // x0 x1^2 = (x1 * x1) * x0 = Inf * 0
    PolynomialFeatures<> p3({.degree = 3});
    const Matrix<double> Y = p3.fit(X).transform(X);
    const auto names = p3.feature_names_out();
    const auto col = std::find(names.begin(), names.end(), "x0 x1^2") - names.begin();
    CHECK(std::bit_cast<std::uint64_t>(Y(0, col)) == std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN()));
    // MathFeatures and RelativeFeatures on a Table: outputs appended after the pass-through.
    MathFeatures<> mf({.columns = {"a", "b"}, .func = {MathFunc::mean}, .drop_original = true});
    CHECK(mf.fit(t).transform(t).column_names() == std::vector<std::string>{"keep", "mean_a_b"});
    RelativeFeatures<> rf({.columns = {"a"}, .reference = {"b"}, .func = {RelativeFunc::div}, .fill_value = -1.0});
    const Table r = rf.fit(t).transform(t);
    CHECK(r.column_names() == std::vector<std::string>{"keep", "a", "b", "a_div_b"});
    CHECK(r.numeric("a_div_b")[1] == -1.0);
    CHECK(r.numeric("a_div_b")[2] == -0.75);
}

TEST_CASE("create: bad input is refused with a typed error and changes nothing") {
    using namespace catalogue;
    using M = Matrix<double>;
    std::vector<Case> v;
    using Poly = PolynomialFeatures<>;
    using Math = MathFeatures<>;
    using Rel = RelativeFeatures<>;
    v.push_back(make("PolynomialFeatures: NaN in fit", "InvalidInput", "PolynomialFeatures: column 'x1', row 2", Poly(),
                     mat(kNaN, 2, 1), [](Poly& c, const M& x) { c.fit(x); }));
    v.push_back(make("PolynomialFeatures: Inf in transform", "InvalidInput", "column 'x0', row 4", fitted(Poly(), mat()),
                     mat(kInf, 4, 0), [](Poly& c, const M& x) { (void)c.transform(x); }));
    v.push_back(make("PolynomialFeatures: degree 64 over 300 columns", "InvalidInput", "output columns", Poly({.degree = 64}),
                     M(M::Ones(2, 300)), [](Poly& c, const M& x) { c.fit(x); }));
    v.push_back(make("PolynomialFeatures: transform before fit", "NotFitted", "not fitted", Poly(), mat(),
                     [](Poly& c, const M& x) { (void)c.transform(x); }));
    v.push_back(make("MathFeatures: one column", "InvalidInput", "at least 2", Math(), mat(1.0, -1, -1, 6, 1),
                     [](Math& c, const M& x) { c.fit(x); }));
    v.push_back(make("MathFeatures: NaN in fit under raise", "InvalidInput", "MathFeatures: column 'x2', row 3", Math(),
                     mat(kNaN, 3, 2), [](Math& c, const M& x) { c.fit(x); }));
    v.push_back(make("MathFeatures: NaN in transform under raise", "InvalidInput", "column 'x0', row 5", fitted(Math(), mat()),
                     mat(kNaN, 5, 0), [](Math& c, const M& x) { (void)c.transform(x); }));
    v.push_back(make("MathFeatures: Inf under ignore", "InvalidInput", "infinite",
                     fitted(Math({.missing_values = MissingValues::ignore}), mat()), mat(-kInf, 1, 1),
                     [](Math& c, const M& x) { (void)c.transform(x); }));
    v.push_back(make("MathFeatures: 2 names for a 3-column matrix", "SchemaError", "Params::columns names 2",
                     Math({.columns = {"a", "b"}}), mat(), [](Math& c, const M& x) { c.fit(x); }));
    const Rel div({.reference = {"x2"}, .func = {RelativeFunc::sub, RelativeFunc::floordiv}});
    v.push_back(make("RelativeFeatures: a zero divisor without fill_value", "InvalidInput",
                     "RelativeFeatures: column 'x2', row 4: the reference column is zero", fitted(div, mat()), mat(0.0, 4, 2),
                     [](Rel& c, const M& x) { (void)c.transform(x); }));
    v.push_back(make("RelativeFeatures: a reference not among the columns", "SchemaError", "column 'r'",
                     Rel({.reference = {"r"}, .func = {RelativeFunc::add}}), mat(), [](Rel& c, const M& x) { c.fit(x); }));
    v.push_back(make("RelativeFeatures: only references", "InvalidInput", "no variable", 
                     Rel({.reference = {"x0"}, .func = {RelativeFunc::add}}), mat(1.0, -1, -1, 6, 1),
                     [](Rel& c, const M& x) { c.fit(x); }));
    v.push_back(make("RelativeFeatures: NaN under raise", "InvalidInput", "column 'x1', row 0",
                     fitted(Rel({.reference = {"x2"}, .func = {RelativeFunc::add}, .missing_values = MissingValues::raise}), mat()),
                     mat(kNaN, 0, 1), [](Rel& c, const M& x) { (void)c.transform(x); }));
    Table penguins_table = penguins();
    v.push_back(make("RelativeFeatures: a Table without the reference", "SchemaError", "island",
                     Rel({.columns = {"bill_length_mm"}, .reference = {"island"}, .func = {RelativeFunc::mul}}), penguins_table,
                     [](Rel& c, const Table& t) { c.fit(t); }));
    // Outputs named like a column the step does not read would replace it silently.
    Table clash = complete();
    clash.add_numeric("sum_bill_length_mm_bill_depth_mm", std::vector<double>(clash.num_rows(), 1.0));
    v.push_back(make("MathFeatures: an output named like a passthrough column", "SchemaError", "would overwrite",
                     fitted(Math({.columns = {"bill_length_mm", "bill_depth_mm"}}), complete()), clash,
                     [](Math& c, const Table& t) { (void)c.transform(t); }));
    run_catalogue(v);
}
