// DropHighPSIFeatures: parity with tests/golden/golden_psi.py (feature-engine's definitions
// with pandas and numpy: the split, the discretisers' edges, the aligned shares, the PSI),
// then its own rules: the shared PSI kernel, the floor's documented difference, the split
// column's errors, missing and infinite values. Its contract (order and chunk independence,
// single row = batch, save/load, a pipeline) is in tests/contract/test_selectors.cpp.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <reprep/compose/describe.hpp>
#include <reprep/compose/drift_report.hpp>
#include <reprep/core/csv.hpp>
#include <reprep/core/psi.hpp>
#include <reprep/core/rng.hpp>
#include <reprep/select/drop_high_psi_features.hpp>

#include "golden_cases.hpp"

using namespace reprep;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Distance in units in the last place between two finite doubles of one sign.
std::uint64_t ulps(double a, double b) {
    const auto x = std::bit_cast<std::uint64_t>(a), y = std::bit_cast<std::uint64_t>(b);
    return x > y ? x - y : y - x;
}

DropHighPSIFeatures::Params params_of(const std::map<std::string, std::vector<std::string>>& lines) {
    DropHighPSIFeatures::Params p;
    auto get = [&](const std::string& k) -> const std::string* {
        const auto it = lines.find("param " + k);
        return it == lines.end() ? nullptr : &it->second[0];
    };
    p.split_col = *get("split_col");
    if (auto v = get("columns")) p.columns = golden::split(*v, ',');
    if (auto v = get("split_frac")) p.split_frac = golden::from_hex(*v);
    if (auto v = get("split_distinct")) p.split_distinct = *v == "1";
    if (auto v = get("cut_off")) {
        const std::string kind = v->substr(0, v->find(' ')), rest = v->substr(v->find(' ') + 1);
        if (kind == "num") p.cut_off = golden::from_hex(rest);
        if (kind == "cats") p.cut_off = golden::split(rest, ',');
        if (kind == "nums") {
            std::vector<double> xs;
            for (const auto& s : golden::split(rest, ',')) xs.push_back(golden::from_hex(s));
            p.cut_off = xs;
        }
    }
    if (auto v = get("switch")) p.switch_sets = *v == "1";
    if (auto v = get("threshold")) p.threshold = golden::from_hex(*v);
    if (auto v = get("bins")) p.bins = std::stoi(*v);
    if (auto v = get("strategy")) p.strategy = *v == "equal_width" ? PsiStrategy::equal_width : PsiStrategy::equal_frequency;
    if (auto v = get("min_pct_empty_bins")) p.min_pct_empty_bins = golden::from_hex(*v);
    if (auto v = get("missing_values")) p.missing_values = *v == "ignore" ? MissingValues::ignore : MissingValues::raise;
    return p;
}

std::vector<std::size_t> permutation(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    Rng rng(seed);
    for (std::size_t i = n; i > 1; --i) std::swap(idx[i - 1], idx[static_cast<std::size_t>(rng.uniform_int(i))]);
    return idx;
}

}  // namespace

TEST_CASE("DropHighPSIFeatures: parity with feature-engine's definitions (golden_psi.py)") {
    const auto dir = std::filesystem::path(REPREP_GOLDEN_DIR) / "psi";
    const Table data = read_csv(dir / "psi.csv");
    std::size_t cases = 0, values = 0, exact = 0, exact_np = 0;
    std::uint64_t worst = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".txt") continue;
        const std::string name = entry.path().stem().string();
        std::ifstream in(entry.path());
        std::map<std::string, std::vector<std::string>> lines;
        std::vector<std::vector<std::string>> psis;
        std::string line;
        while (std::getline(in, line)) {
            auto f = golden::split(line, '\t');
            std::string key = f[0];
            f.erase(f.begin());
            if (key == "psi") psis.push_back(f);
            if (key == "param") {
                key += " " + f[0];
                f.erase(f.begin());
            }
            lines[key] = f;
        }
        ++cases;
        DropHighPSIFeatures c(params_of(lines));
        if (lines.count("error")) {
            CHECK_THROWS_AS_MESSAGE(c.fit(data), InvalidInput, name);
            CHECK_FALSE(c.is_fitted());
            continue;
        }
        c.fit(data);
        CHECK_MESSAGE(c.features_to_drop() == lines.at("drop"), name);
        const std::string cut = lines.at("cut_off")[0];
        if (cut == "list") CHECK_MESSAGE(std::isnan(c.cut_off()), name);
        else CHECK_MESSAGE(std::bit_cast<std::uint64_t>(c.cut_off()) == std::bit_cast<std::uint64_t>(golden::from_hex(cut)), name);
        REQUIRE_MESSAGE(c.feature_names_in().size() == psis.size(), name);
        for (std::size_t k = 0; k < psis.size(); ++k) {
            CHECK_MESSAGE(c.feature_names_in()[k] == psis[k][0], name);
            const double got = c.psi_values()[k], want = golden::from_hex(psis[k][1]), np = golden::from_hex(psis[k][2]);
            // Against the correctly rounded ln and exact sum: dmath::log is within 1 ulp of
            // it, and every term is >= 0, so a misrounded term moves the sum by about an ulp.
            const std::uint64_t d = ulps(got, want);
            CHECK_MESSAGE(d <= 4, name << " " << psis[k][0] << ": " << got << " vs " << want);
            worst = std::max(worst, d);
            ++values;
            exact += d == 0;
            exact_np += got == np;
            CHECK_MESSAGE(c.psi_value(psis[k][0]) == got, name);
        }
        // Any row order and any chunking decide the same, bit for bit.
        auto shuffled = c;
        shuffled.fit(data.rows(permutation(data.num_rows(), 5 + cases)));
        CHECK_MESSAGE(fingerprint(shuffled) == fingerprint(c), name);
    }
    CHECK(cases == 18);
    MESSAGE("PSI values: " << values << ", " << exact << " identical to cr_ln + fsum, " << exact_np
                           << " identical to np.log + np.sum; worst " << worst << " ulp");
    CHECK(values == 85);
}

TEST_CASE("DropHighPSIFeatures: the monitor's PSI kernel, and the floor") {
    // The kernel is the monitor's: same bits through both entries.
    const std::vector<double> p = {0.5, 0.25, 0.25, 0.0}, q = {0.25, 0.25, 0.375, 0.125};
    detail::DriftShares s{p, q};
    CHECK(std::bit_cast<std::uint64_t>(detail::psi_of(s)) == std::bit_cast<std::uint64_t>(detail::psi(p, q)));
    // A bin empty on both sides adds exactly nothing.
    const std::vector<double> p0 = {0.5, 0.5, 0.0}, q0 = {0.25, 0.75, 0.0};
    CHECK(detail::psi(p0, q0) == detail::psi(std::vector<double>{0.5, 0.5}, std::vector<double>{0.25, 0.75}));
    // The documented difference: a non-empty share below the floor is lifted to it (here
    // 1/20000 = 5e-5 < 1e-4), where feature-engine keeps 5e-5. Empty bins agree.
    const std::vector<double> pb = {0.5, 0.5 - 1.0 / 20000, 1.0 / 20000}, qb = {0.5, 0.5, 0.0};
    const double lifted = detail::psi(pb, qb);
    const std::vector<double> pf = {0.5, 0.5 - 1.0 / 20000, 1e-4};  // what max(x, 1e-4) makes of pb
    CHECK(lifted == detail::psi(pf, qb));
}

TEST_CASE("DropHighPSIFeatures: params, the split column, missing and infinite values") {
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures(DropHighPSIFeatures::Params{}), doctest::Contains("split_col"), InvalidParameter);
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures({.columns = {"a", "t"}, .split_col = "t"}), doctest::Contains("split_col"),
                         InvalidParameter);
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures({.split_col = "t", .split_frac = 1.0}), doctest::Contains("split_frac"),
                         InvalidParameter);
    CHECK_NOTHROW(DropHighPSIFeatures({.split_col = "t", .split_frac = 1.0, .cut_off = 3.0}));  // split_frac unused
    CHECK_THROWS_AS(DropHighPSIFeatures({.split_col = "t", .cut_off = std::vector<std::string>{}}), InvalidParameter);
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures({.split_col = "t", .threshold = -1.0}), doctest::Contains("threshold"),
                         InvalidParameter);
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures({.split_col = "t", .bins = 1}), doctest::Contains("bins"), InvalidParameter);
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures({.split_col = "t", .min_pct_empty_bins = kNaN}),
                         doctest::Contains("min_pct_empty_bins"), InvalidParameter);
    CHECK_THROWS_AS(DropHighPSIFeatures({.split_col = "t", .missing_values = MissingValues::include}), InvalidParameter);

    const std::size_t n = 400;
    std::vector<double> t(n), a(n), b(n);
    std::vector<std::optional<std::string>> g(n);
    Rng rng(3);
    for (std::size_t i = 0; i < n; ++i) {
        t[i] = static_cast<double>(i);
        a[i] = rng.normal() + (i >= 200 ? 2.0 : 0.0);
        b[i] = rng.normal();
        g[i] = i % 2 ? "odd" : "even";
    }
    Table tab;
    tab.add_numeric("t", t).add_numeric("a", a).add_numeric("b", b).add_categorical("g", g);
    DropHighPSIFeatures c({.split_col = "t", .bins = 5});
    c.fit(tab);
    CHECK(c.feature_names_in() == std::vector<std::string>{"a", "b"});  // numeric, split_col left out
    // A named categorical column: its categories are the bins. 'g' alternates with t, so it
    // is stable across the time split; split by 'g' itself, a list puts all "odd" in basis.
    DropHighPSIFeatures cat({.columns = {"g", "a"}, .split_col = "t", .bins = 5});
    cat.fit(tab);
    CHECK(cat.psi_value("g") == 0.0);
    CHECK(cat.features_to_drop() == std::vector<std::string>{"a"});
    INFO("psi a " << c.psi_values()[0] << ", b " << c.psi_values()[1]);
    CHECK(c.features_to_drop() == std::vector<std::string>{"a"});
    CHECK(c.cut_off() == 199.5);
    // transform keeps split_col and the unexamined columns untouched
    const Table out = c.transform(tab);
    CHECK(out.column_names() == std::vector<std::string>{"t", "g", "b"});
    CHECK(describe_state(c, 10).back().find("PSI") != std::string::npos);
    // switch: the other direction, another PSI
    DropHighPSIFeatures sw({.split_col = "t", .switch_sets = true, .bins = 5});
    sw.fit(tab);
    CHECK(sw.psi_values()[0] != c.psi_values()[0]);
    // A categorical split column wants a list of categories, and a numeric one refuses one.
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures({.split_col = "g", .bins = 5}).fit(tab), doctest::Contains("'g'"), SchemaError);
    CHECK_THROWS_AS(DropHighPSIFeatures({.split_col = "t", .cut_off = std::vector<std::string>{"x"}, .bins = 5}).fit(tab),
                    SchemaError);
    CHECK(DropHighPSIFeatures({.split_col = "g", .cut_off = std::vector<std::string>{"odd"}, .bins = 5})
              .fit(tab)
              .features_to_drop()
              .empty());
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures({.split_col = "missing"}).fit(tab), doctest::Contains("missing"), SchemaError);
    // A default-constructed one (unfitted artifacts load as such) has no split_col to fit by.
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures().fit(tab), doctest::Contains("split_col"), InvalidParameter);
    // Errors name column and row, and leave the fitted state alone.
    const std::string before = fingerprint(c);
    Table holes = tab;
    auto tt = t;
    tt[7] = kNaN;
    holes.set_numeric("t", tt);
    try {
        c.fit(holes);
        FAIL("expected InvalidInput");
    } catch (const InvalidInput& e) {
        CHECK(e.column() == "t");
        CHECK(e.row() == std::optional<std::size_t>(7));
    }
    Table gaps = tab;
    auto aa = a;
    aa[11] = kNaN;
    gaps.set_numeric("a", aa);
    CHECK_THROWS_WITH_AS(c.fit(gaps), doctest::Contains("'a', row 11"), InvalidInput);
    aa[11] = std::numeric_limits<double>::infinity();
    gaps.set_numeric("a", aa);
    CHECK_THROWS_WITH_AS(c.fit(gaps), doctest::Contains("infinite"), InvalidInput);
    CHECK(fingerprint(c) == before);
    // ignore: missing rows left out of both sides; a column with no basis value is kept, PSI NaN.
    aa[11] = kNaN;
    gaps.set_numeric("a", aa);
    auto bb = b;
    for (std::size_t i = 0; i < 200; ++i) bb[i] = kNaN;
    gaps.set_numeric("b", bb);
    DropHighPSIFeatures ig({.split_col = "t", .bins = 5, .missing_values = MissingValues::ignore});
    ig.fit(gaps);
    CHECK(ig.features_to_drop() == std::vector<std::string>{"a"});
    CHECK(std::isnan(ig.psi_value("b")));
    // Too few rows on a side for the bins.
    CHECK_THROWS_WITH_AS(DropHighPSIFeatures({.split_col = "t", .cut_off = 3.0, .bins = 5}).fit(tab),
                         doctest::Contains("at least bins"), InvalidInput);
    // cut_off 0 is a cut-off (feature-engine would fall back to split_frac).
    DropHighPSIFeatures zero({.split_col = "b", .cut_off = 0.0, .bins = 5});
    zero.fit(tab);
    CHECK(zero.cut_off() == 0.0);
}
