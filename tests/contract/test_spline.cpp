// SplineTransformer (issue 19, item 3): the contract suite over each extrapolation mode
// and both knot rules, parity with the golden files of tests/golden/golden_spline.py
// (scikit-learn 1.2.1 on scipy 1.10.1, knots and outputs bit for bit), the cases where
// reprep answers and scikit-learn does not, and the bad-input catalogue.
#include "contract.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <reprep/create/spline_transformer.hpp>

#include "../bad_input/catalogue.hpp"

using namespace reprep;

namespace {
template <class T>
Matrix<T> cast(const Matrix<double>& X) { return X.template cast<T>(); }

template <class T, SplineKnots Knots, SplineExtrapolation Ext, int Degree, int NKnots, bool Bias>
struct SplineCase {
    using Component = SplineTransformer<T>;
    static Component make() {
        return Component({.n_knots = NKnots, .degree = Degree, .knots = Knots, .extrapolation = Ext, .include_bias = Bias});
    }
    static Matrix<T> train() { return cast<T>(contract::gaussian(57, 3, 61)); }
    // Beyond the training range on both sides, except under extrapolation = error.
    static Matrix<T> test() {
        if (Ext == SplineExtrapolation::error) return train().topRows(19);
        Matrix<double> X = contract::gaussian(27, 3, 62);
        X.row(0) *= 4.0;
        X.row(1) *= -3.0;
        return cast<T>(X);
    }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.n_knots = 1}), InvalidParameter);
        CHECK_THROWS_AS(Component({.degree = -1}), InvalidParameter);
        CHECK_THROWS_AS(Component({.degree = 65}), InvalidParameter);
        CHECK_THROWS_AS(Component({.n_knots = (1 << 16) + 1}), InvalidParameter);
        CHECK_THROWS_AS(Component({.n_knots = 3, .degree = 3, .extrapolation = SplineExtrapolation::periodic}), InvalidParameter);
        CHECK_THROWS_AS(Component({.n_knots = 2, .degree = 1, .extrapolation = SplineExtrapolation::periodic, .include_bias = false}),
                        InvalidParameter);
        CHECK_THROWS_AS(Component({.n_knots = 2, .degree = 0, .include_bias = false}), InvalidParameter);
        CHECK_THROWS_AS(Component({.knots = static_cast<SplineKnots>(2)}), InvalidParameter);
        CHECK_THROWS_AS(Component({.extrapolation = static_cast<SplineExtrapolation>(5)}), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};

using E = SplineExtrapolation;
using K = SplineKnots;
}  // namespace

TEST_CASE_TEMPLATE("numeric contract: SplineTransformer", C, SplineCase<double, K::uniform, E::constant, 3, 5, true>,
                   SplineCase<double, K::quantile, E::linear, 2, 6, false>, SplineCase<double, K::uniform, E::continue_, 4, 4, true>,
                   SplineCase<double, K::quantile, E::periodic, 3, 5, true>, SplineCase<double, K::uniform, E::error, 1, 3, false>,
                   SplineCase<double, K::uniform, E::linear, 0, 4, true>, SplineCase<float, K::quantile, E::constant, 3, 5, false>,
                   SplineCase<float, K::uniform, E::periodic, 2, 4, true>) {
    contract::run_all<C>();
}

// ---- parity with tests/golden/spline/ (format in golden_spline.py) -------------------

namespace {
struct GoldenCase {
    std::string name, dtype, error;
    std::map<std::string, std::string> params;
    std::vector<std::string> names;
    std::vector<std::vector<double>> knots, fit, in, out;
};

double hex_double(const std::string& t) { return std::bit_cast<double>(std::stoull(t, nullptr, 16)); }

std::vector<GoldenCase> golden_cases() {
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(REPREP_GOLDEN_DIR) / "spline"))
        paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    std::vector<GoldenCase> out;
    for (const auto& p : paths) {
        std::ifstream f(p);
        GoldenCase c;
        c.name = p.stem().string();
        std::string line;
        while (std::getline(f, line)) {
            if (line.empty() || line[0] == '#') continue;
            std::istringstream ss(line);
            std::string key;
            ss >> key;
            std::vector<std::string> toks;
            for (std::string t; ss >> t;) toks.push_back(t);
            if (key == "dtype") c.dtype = toks.at(0);
            else if (key == "error") c.error = toks.at(0);
            else if (key == "name") c.names.push_back(toks.at(0));
            else if (key == "param") c.params[toks.at(0)] = toks.at(1);
            else if (key == "knots" || key == "fit" || key == "in" || key == "out") {
                std::vector<double> r;
                for (std::size_t i = key == "knots" ? 1 : 0; i < toks.size(); ++i) r.push_back(hex_double(toks[i]));
                (key == "knots" ? c.knots : key == "fit" ? c.fit : key == "in" ? c.in : c.out).push_back(std::move(r));
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

template <class T>
Matrix<T> to_matrix(const std::vector<std::vector<double>>& r) {
    Matrix<T> M(static_cast<Eigen::Index>(r.size()), static_cast<Eigen::Index>(r.at(0).size()));
    for (std::size_t i = 0; i < r.size(); ++i)
        for (std::size_t j = 0; j < r[i].size(); ++j) M(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = static_cast<T>(r[i][j]);
    return M;
}

SplineExtrapolation extrapolation(const std::string& s) {
    for (std::uint8_t e = 0; e <= static_cast<std::uint8_t>(E::periodic); ++e)
        if (s == spline_extrapolation_name(static_cast<E>(e))) return static_cast<E>(e);
    FAIL("unknown extrapolation " << s);
    return E::constant;
}

bool same(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// Fits on the case's training rows and compares the knots, the names and the output
// bits (NaN matches any NaN); a batch and each single row give the same bits.
template <class T>
void check_case(const GoldenCase& g, int& cells) {
    const auto& p = g.params;
    SplineTransformer<T> c({.n_knots = std::stoi(p.at("n_knots")), .degree = std::stoi(p.at("degree")),
                            .knots = p.at("knots") == "uniform" ? K::uniform : K::quantile,
                            .extrapolation = extrapolation(p.at("extrapolation")), .include_bias = p.at("include_bias") == "True"});
    c.fit(to_matrix<T>(g.fit));
    int bad = 0;
    REQUIRE(g.knots.size() == c.feature_names_in().size());
    for (std::size_t j = 0; j < g.knots.size(); ++j) {
        const auto k = c.knots(j);
        REQUIRE(k.size() == g.knots[j].size());
        for (std::size_t i = 0; i < k.size(); ++i)
            if (!same(k[i], g.knots[j][i]) && ++bad <= 5) MESSAGE(g.name << ": knot " << j << "/" << i << ": got " << k[i]);
    }
    CHECK_MESSAGE(c.feature_names_out() == g.names, g.name);
    const Matrix<T> X = to_matrix<T>(g.in);
    if (!g.error.empty()) {
        CHECK_THROWS_AS(c.transform(X), InvalidInput);
        return;
    }
    const Matrix<T> Y = c.transform(X);
    REQUIRE(static_cast<std::size_t>(Y.rows()) == g.out.size());
    REQUIRE(static_cast<std::size_t>(Y.cols()) == g.out.at(0).size());
    std::vector<T> row(static_cast<std::size_t>(Y.cols()));
    for (Eigen::Index i = 0; i < Y.rows(); ++i) {
        c.transform_row(std::span<const T>(X.row(i).eval().data(), static_cast<std::size_t>(X.cols())), std::span<T>(row));
        for (Eigen::Index j = 0; j < Y.cols(); ++j) {
            const double got = static_cast<double>(Y(i, j)), want = g.out[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
            ++cells;
            CHECK(same(static_cast<double>(row[static_cast<std::size_t>(j)]), got));
            if ((std::isnan(want) && std::isnan(got)) || same(got, want)) continue;
            if (++bad <= 5) MESSAGE(g.name << ": " << g.names[static_cast<std::size_t>(j)] << " row " << i << ": got " << got << ", want " << want);
        }
    }
    CHECK_MESSAGE(bad == 0, g.name << ": " << bad << " knots or cells differ");
}
}  // namespace

TEST_CASE("SplineTransformer: parity with scikit-learn 1.2 (tests/golden/spline), knots and outputs bit for bit") {
    const auto cases = golden_cases();
    REQUIRE(cases.size() >= 28);
    int cells = 0;
    std::set<std::string> modes;
    for (const auto& g : cases) {
        INFO("case " << g.name);
        modes.insert(g.params.at("extrapolation"));
        if (g.dtype == "float32") check_case<float>(g, cells);
        else check_case<double>(g, cells);
    }
    CHECK(modes.size() == 5);
    MESSAGE("SplineTransformer: " << cases.size() << " cases, " << cells << " cells bit-identical to scikit-learn");
}

TEST_CASE("SplineTransformer: Table names, and the answers where scikit-learn has none") {
    // Outputs "<col>_sp_<i>" replace the selected columns, after the pass-through ones.
    Table t;
    t.add_numeric("a", {0.0, 1.0, 2.0, 3.0, 4.0, 5.0}).add_numeric("keep", {7, 8, 9, 10, 11, 12});
    SplineTransformer<> s({.columns = {"a"}, .n_knots = 3, .degree = 2});
    const Table out = s.fit(t).transform(t);
    CHECK(out.column_names() == std::vector<std::string>{"keep", "a_sp_0", "a_sp_1", "a_sp_2", "a_sp_3"});
    // scikit-learn's docstring example: [0.18, 0.74, 0.08, 0] at x = 1.
    CHECK(out.numeric("a_sp_1")[1] == 0.7400000000000001);
    CHECK(s.n_splines() == 4);
    CHECK_THROWS_AS((void)s.knots(1), InvalidParameter);
    CHECK_THROWS_AS((void)SplineTransformer<>().knots(0), NotFitted);

    Matrix<double> X(4, 1);
    X << 0.0, 1.0, 2.0, 3.0;
    Matrix<double> far(2, 1);
    far << -5.0, 9.0;
    // Degree 0 with constant extrapolation: 0 on both sides (scikit-learn: 0 below, a
    // numpy broadcast error above).
    SplineTransformer<> d0({.n_knots = 4, .degree = 0});
    CHECK(d0.fit(X).transform(far).isZero());
    // A constant column: every basis value is 0 (scikit-learn's knots all coincide);
    // periodic is refused (scikit-learn's period 0 gives NaN everywhere).
    Matrix<double> flat = Matrix<double>::Constant(5, 1, 2.5);
    SplineTransformer<> cst;
    CHECK(cst.fit(flat).transform(flat).isZero());
    SplineTransformer<> per({.extrapolation = E::periodic});
    CHECK_THROWS_WITH_AS(per.fit(flat), doctest::Contains("constant"), InvalidInput);
    CHECK_FALSE(per.is_fitted());
    // Far outside, continue's polynomial pieces overflow: Inf * 0 in scipy's sum is NaN,
    // the positive quiet NaN on every CPU, alone or in a batch.
    SplineTransformer<> cont({.extrapolation = E::continue_});
    cont.fit(X);
    Matrix<double> huge(1, 1);
    huge << 1e300;
    const Matrix<double> Y = cont.transform(huge);
    bool any_nan = false;
    for (Eigen::Index j = 0; j < Y.cols(); ++j)
        if (std::isnan(Y(0, j))) {
            any_nan = true;
            CHECK(same(Y(0, j), std::numeric_limits<double>::quiet_NaN()));
        }
    CHECK(any_nan);
    // The saved artifact holds the base knots; a load rebuilds the rest to the same bits.
    const auto back = load_bytes<SplineTransformer<>>(save_bytes(cont));
    CHECK(back.knots(0) == cont.knots(0));
    CHECK(fingerprint(back) == fingerprint(cont));
}

TEST_CASE("SplineTransformer: bad input is refused with a typed error and changes nothing") {
    using namespace catalogue;
    using M = Matrix<double>;
    using S = SplineTransformer<>;
    std::vector<Case> v;
    v.push_back(make("SplineTransformer: NaN in fit", "InvalidInput", "SplineTransformer: column 'x1', row 2", S(), mat(kNaN, 2, 1),
                     [](S& c, const M& x) { c.fit(x); }));
    v.push_back(make("SplineTransformer: Inf in transform", "InvalidInput", "column 'x0', row 4", fitted(S(), mat()), mat(kInf, 4, 0),
                     [](S& c, const M& x) { (void)c.transform(x); }));
    v.push_back(make("SplineTransformer: outside the range under extrapolation = error", "InvalidInput",
                     "SplineTransformer: column 'x2', row 3: the value 100 is outside the fitted range",
                     fitted(S({.extrapolation = E::error}), mat()), mat(100.0, 3, 2), [](S& c, const M& x) { (void)c.transform(x); }));
    v.push_back(make("SplineTransformer: one training row", "InvalidInput", "at least 2 rows", S(), mat(1.0, -1, -1, 1, 3),
                     [](S& c, const M& x) { c.fit(x); }));
    v.push_back(make("SplineTransformer: periodic over a constant column", "InvalidInput", "column 'x0'",
                     S({.extrapolation = E::periodic}), M(M::Ones(4, 2)), [](S& c, const M& x) { c.fit(x); }));
    M wide = mat();
    wide(0, 0) = -1e308;
    wide(1, 0) = 1e308;
    v.push_back(make("SplineTransformer: knots that overflow", "InvalidInput", "column 'x0'", S(), wide,
                     [](S& c, const M& x) { c.fit(x); }));
    v.push_back(make("SplineTransformer: too many output columns", "InvalidInput", "output columns", S({.n_knots = 60000}),
                     M(M::Ones(2, 20)), [](S& c, const M& x) { c.fit(x); }));
    v.push_back(make("SplineTransformer: transform before fit", "NotFitted", "not fitted", S(), mat(),
                     [](S& c, const M& x) { (void)c.transform(x); }));
    run_catalogue(v);
}
