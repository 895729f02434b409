// TargetEncoder against a reference computed here from scikit-learn 1.3's documented
// formula (Debian's scikit-learn 1.2 has no TargetEncoder), for both smoothing modes and
// both target types, on the full-data fit and on the cross-fitted (out-of-fold) output;
// plus the fold definitions and a leakage check. Multiclass (scikit-learn 1.4's
// one-vs-rest) against the same reference applied to each class's indicator target.
//
// The reference uses long double sums and two-pass variances, so it agrees with the
// encoder's exact sums to ~1e-15 relative; the comparisons allow 1e-12. Cases built from
// dyadic values are compared bit for bit.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <reprep/core/rng.hpp>
#include <reprep/encode/target_encoder.hpp>
#include <string>
#include <vector>

using namespace reprep;
using OptStr = std::optional<std::string>;

namespace {

// scikit-learn 1.3's encoding of every category (key nullopt = missing) from rows `use`.
struct Reference {
    double mean = 0;
    std::map<OptStr, double> enc;
    double of(const OptStr& v) const {
        const auto it = enc.find(v);
        return it == enc.end() ? mean : it->second;
    }
};

Reference reference(const std::vector<OptStr>& x, const std::vector<double>& y, const std::vector<bool>& use,
                    std::optional<double> smooth) {
    long double s = 0;
    std::size_t n = 0;
    std::map<OptStr, std::vector<double>> groups;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (use[i]) {
            s += y[i];
            ++n;
            groups[x[i]].push_back(y[i]);
        }
    Reference r;
    const long double mean = s / n;
    long double ss = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (use[i]) ss += (y[i] - mean) * (y[i] - mean);
    const long double var = ss / n;
    r.mean = static_cast<double>(mean);
    for (const auto& [key, ys] : groups) {
        long double gs = 0;
        for (double v : ys) gs += v;
        const long double ni = ys.size();
        if (smooth) {
            r.enc[key] = static_cast<double>((gs + *smooth * mean) / (*smooth + ni));
            continue;
        }
        const long double gm = gs / ni;
        long double gss = 0;
        for (double v : ys) gss += (v - gm) * (v - gm);
        const long double gv = gss / ni;
        const long double lambda = var * ni / (var * ni + gv);
        r.enc[key] = std::isnan(static_cast<double>(lambda)) ? r.mean : static_cast<double>(lambda * gm + (1 - lambda) * mean);
    }
    return r;
}

bool close(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }

struct Data {
    std::vector<OptStr> x;
    std::vector<double> y;
    Table t;
};

// Zipf-ish categories with missing values, a target that depends on the category.
Data make_data(std::size_t n, bool binary, std::uint64_t seed) {
    Data d;
    Rng rng(seed);
    for (std::size_t i = 0; i < n; ++i) {
        const double u = rng.uniform();
        OptStr v;
        if (u >= 0.07) {
            v = std::string("k");  // appended, not operator+: GCC 12 warns falsely (-Wrestrict) on "k" + string
            v->append(std::to_string(static_cast<int>(1.0 / (0.05 + rng.uniform())) % 17));
        }
        const double base = v ? static_cast<double>((*v)[1] - '0') : 2.0;
        d.x.push_back(v);
        d.y.push_back(binary ? (rng.uniform() < 0.15 + 0.08 * base ? 1.0 : 0.0) : base * 0.7 + rng.normal());
    }
    d.t.add_categorical("cat", d.x);
    return d;
}

}  // namespace

TEST_CASE("TargetEncoder: dyadic case, bit for bit") {
    Table t;
    t.add_categorical("c", {"a", "a", "b", "b", std::nullopt, "b", "b", "a"});
    const std::vector<double> y = {1, 1, 0, 0, 1, 1, 0, 1};
    // y_mean = 5/8, y_var = 15/64. a: n=3, Σ=3, var 0; b: n=4, Σ=1, var 3/16; missing: n=1, Σ=1.
    TargetEncoder m({.smooth = 2.0});
    m.fit(t, y);
    CHECK(m.target_mean() == 0.625);
    CHECK(m.encodings("c") == std::vector<double>{(3.0 + 1.25) / 5.0, (1.0 + 1.25) / 6.0});
    CHECK(m.missing_encoding("c") == std::optional<double>((1.0 + 1.25) / 3.0));
    TargetEncoder a;
    a.fit(t, y);
    const double yv = 15.0 / 64.0;
    const double lb = (yv * 4) / (yv * 4 + 3.0 / 16.0);
    CHECK(a.encodings("c")[0] == 1.0);  // var 0: lambda = 1, the category mean
    CHECK(a.encodings("c")[1] == lb * 0.25 + (1 - lb) * 0.625);
    CHECK(a.missing_encoding("c") == std::optional<double>(1.0));
    // Unseen categories get the target mean; a missing value too when fit saw none.
    Table u;
    u.add_categorical("c", {"zzz", "a"});
    const Table out = a.transform(u);
    CHECK(out.numeric("c")[0] == 0.625);
    TargetEncoder nomiss;
    nomiss.fit(t.rows(std::vector<std::size_t>{0, 1, 2, 3}), std::vector<double>{1, 0, 1, 1});
    CHECK_FALSE(nomiss.missing_encoding("c").has_value());
    Table mv;
    mv.add_categorical("c", {std::nullopt});
    CHECK(nomiss.transform(mv).numeric("c")[0] == nomiss.target_mean());
    // A constant target: y_var = 0 and every var_i = 0, lambda is NaN -> y_mean.
    TargetEncoder c;
    c.fit(t, std::vector<double>(8, 0.375));
    for (double v : c.encodings("c")) CHECK(v == 0.375);
}

TEST_CASE("TargetEncoder: full-data encodings match the documented formula") {
    for (bool binary : {false, true})
        for (std::optional<double> smooth : {std::optional<double>{}, std::optional<double>(0.0), std::optional<double>(7.5)}) {
            CAPTURE(binary);
            CAPTURE(smooth.value_or(-1));
            const Data d = make_data(3000, binary, binary ? 1 : 2);
            TargetEncoder e({.target_type = binary ? TargetType::binary : TargetType::continuous, .smooth = smooth});
            e.fit(d.t, d.y);
            const Reference r = reference(d.x, d.y, std::vector<bool>(d.x.size(), true), smooth);
            CHECK(close(e.target_mean(), r.mean));
            const auto& cats = e.categories("cat");
            REQUIRE(cats.size() == r.enc.size() - 1);
            bool ok = true;
            for (std::size_t i = 0; i < cats.size(); ++i) ok &= close(e.encodings("cat")[i], r.of(cats[i]));
            CHECK(ok);
            REQUIRE(e.missing_encoding("cat").has_value());
            CHECK(close(*e.missing_encoding("cat"), r.of(std::nullopt)));
        }
}

TEST_CASE("TargetEncoder: fit_transform is out-of-fold, fold by fold") {
    for (bool binary : {false, true})
        for (std::optional<double> smooth : {std::optional<double>{}, std::optional<double>(3.0)}) {
            CAPTURE(binary);
            const Data d = make_data(1200, binary, 10 + binary);
            TargetEncoder e({.smooth = smooth, .cv = 4, .seed = 99});
            const auto fold = e.fold_ids(d.y);
            const Table out = e.fit_transform(d.t, d.y);
            const auto enc = out.numeric("cat");
            bool ok = true;
            for (std::uint32_t f = 0; f < 4; ++f) {
                std::vector<bool> use(d.y.size());
                for (std::size_t i = 0; i < use.size(); ++i) use[i] = fold[i] != f;  // a row never trains its own fold
                const Reference r = reference(d.x, d.y, use, smooth);
                for (std::size_t i = 0; i < use.size(); ++i)
                    if (fold[i] == f) ok &= close(enc[i], r.of(d.x[i]));
            }
            CHECK(ok);
        }
}

TEST_CASE("TargetEncoder: changing one row's target moves only the other folds") {
    const Data d = make_data(800, false, 21);
    TargetEncoder e({.cv = 5, .seed = 5});
    const Table before = e.fit_transform(d.t, d.y);
    const std::size_t r = 123;
    std::vector<double> y2 = d.y;
    y2[r] += 40.0;
    TargetEncoder e2({.cv = 5, .seed = 5});
    CHECK(e2.fold_ids(y2) == e.fold_ids(d.y));  // k-fold does not look at y
    const auto fold = e.fold_ids(d.y);
    const Table after = e2.fit_transform(d.t, y2);
    const auto b = before.numeric("cat"), a = after.numeric("cat");
    bool same_fold_unchanged = true, same_category_moved = true;
    std::size_t moved_rows = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (fold[i] == fold[r]) {
            same_fold_unchanged &= std::memcmp(&a[i], &b[i], sizeof(double)) == 0;
        } else if (d.x[i] == d.x[r]) {
            // The shifted target enters these rows' category mean: they move up.
            same_category_moved &= a[i] > b[i];
            ++moved_rows;
        }
    }
    CHECK(same_fold_unchanged);
    CHECK(same_category_moved);
    CHECK(moved_rows > 0);
    // The full-data state does see it.
    CHECK(fingerprint(e) != fingerprint(e2));
}

TEST_CASE("TargetEncoder: fold definitions") {
    const Data c = make_data(103, false, 31), b = make_data(103, true, 32);
    SUBCASE("k-fold sizes and contiguity without shuffle") {
        TargetEncoder e({.target_type = TargetType::continuous, .cv = 5, .shuffle = false});
        const auto f = e.fold_ids(c.y);
        // 103 = 21 + 21 + 21 + 20 + 20, in row order.
        for (std::size_t i = 0; i < f.size(); ++i) {
            const std::uint32_t want = i < 63 ? static_cast<std::uint32_t>(i / 21) : static_cast<std::uint32_t>(3 + (i - 63) / 20);
            CHECK(f[i] == want);
        }
        TargetEncoder s({.target_type = TargetType::continuous, .cv = 5, .seed = 1});
        const auto g = s.fold_ids(c.y);
        std::vector<std::size_t> size(5, 0);
        for (auto v : g) ++size[v];
        CHECK(size == std::vector<std::size_t>{21, 21, 21, 20, 20});
        CHECK(g != f);
        CHECK(g == TargetEncoder({.target_type = TargetType::continuous, .cv = 5, .seed = 1}).fold_ids(c.y));
        CHECK(g != TargetEncoder({.target_type = TargetType::continuous, .cv = 5, .seed = 2}).fold_ids(c.y));
    }
    SUBCASE("stratified folds balance each class") {
        TargetEncoder e({.target_type = TargetType::binary, .cv = 4, .seed = 8});
        const auto f = e.fold_ids(b.y);
        std::size_t n1 = 0;
        for (double v : b.y) n1 += v == 1.0;
        std::vector<std::size_t> pos(4, 0), all(4, 0);
        for (std::size_t i = 0; i < f.size(); ++i) {
            ++all[f[i]];
            pos[f[i]] += b.y[i] == 1.0;
        }
        const auto [pmin, pmax] = std::minmax_element(pos.begin(), pos.end());
        const auto [amin, amax] = std::minmax_element(all.begin(), all.end());
        CHECK(*pmax - *pmin <= 1);
        CHECK(*amax - *amin <= 1);
        CHECK(pos[0] + pos[1] + pos[2] + pos[3] == n1);
        // automatic picks stratified for a 0/1 target, k-fold otherwise.
        CHECK(TargetEncoder({.cv = 4, .seed = 8}).fold_ids(b.y) == f);
        CHECK(TargetEncoder({.cv = 4, .seed = 8}).fold_ids(c.y) ==
              TargetEncoder({.target_type = TargetType::continuous, .cv = 4, .seed = 8}).fold_ids(c.y));
    }
}

TEST_CASE("TargetEncoder: several columns, float matrix output, single row") {
    Data d = make_data(500, false, 41);
    Data d2 = make_data(500, false, 42);
    d.t.add_categorical("other", d2.x);
    TargetEncoder e({.smooth = 1.0});
    e.fit(d.t, d.y);
    CHECK(e.feature_names_out() == std::vector<std::string>{"cat", "other"});
    const auto M = e.transform_matrix(d.t);
    const auto F = e.transform_matrix<float>(d.t);
    for (Eigen::Index i = 0; i < M.rows(); ++i)
        for (Eigen::Index j = 0; j < 2; ++j) CHECK(F(i, j) == static_cast<float>(M(i, j)));
    std::vector<std::optional<std::string_view>> rec = {std::string_view("k3"), std::nullopt};
    std::vector<double> out(2);
    e.transform_row(rec, out);
    CHECK(out[0] == e.encodings("cat")[static_cast<std::size_t>(
                        std::find(e.categories("cat").begin(), e.categories("cat").end(), "k3") - e.categories("cat").begin())]);
    CHECK(out[1] == *e.missing_encoding("other"));
}

// ---------------------------------------------------------------------------
// Multiclass
// ---------------------------------------------------------------------------

namespace {

// Zipf-ish categories with missing values; the class leans on the category. Category
// "solo" only ever holds labels[0] (a category seen in one class).
Data make_multiclass(std::size_t n, const std::vector<double>& labels, std::uint64_t seed) {
    Data d;
    Rng rng(seed);
    for (std::size_t i = 0; i < n; ++i) {
        const double u = rng.uniform();
        OptStr v;
        std::size_t cls = 0;
        if (u < 0.03) {
            v = std::string("solo");
        } else {
            if (u >= 0.1) {
                v = std::string("k");
                v->append(std::to_string(static_cast<int>(1.0 / (0.05 + rng.uniform())) % 13));
            }
            const std::size_t lean = v ? static_cast<std::size_t>((*v)[1] - '0') % labels.size() : 1;
            cls = rng.uniform() < 0.5 ? lean : static_cast<std::size_t>(rng.uniform_int(labels.size()));
        }
        d.x.push_back(v);
        d.y.push_back(labels[cls]);
    }
    d.t.add_categorical("cat", d.x);
    return d;
}

std::vector<double> indicator(const std::vector<double>& y, double label) {
    std::vector<double> out(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) out[i] = y[i] == label ? 1.0 : 0.0;
    return out;
}

std::vector<double> sorted_labels(std::vector<double> y) {
    std::sort(y.begin(), y.end());
    y.erase(std::unique(y.begin(), y.end()), y.end());
    return y;
}

// scikit-learn's StratifiedKFold._make_test_folds written as numpy writes it (classes by
// first appearance, allocation = bincount of sorted codes [f::k]), with Rng shuffles.
// `order`, if given, numbers the classes instead (the binary folds' 0, 1).
std::vector<std::uint32_t> sklearn_stratified(const std::vector<double>& y, std::size_t k, bool shuffle,
                                              std::uint64_t seed, std::vector<double> order = {}) {
    // labels by first appearance, unless given
    std::vector<std::size_t> code(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
        auto it = std::find(order.begin(), order.end(), y[i]);
        if (it == order.end()) it = order.insert(order.end(), y[i]);
        code[i] = static_cast<std::size_t>(it - order.begin());
    }
    std::vector<std::size_t> sorted = code;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::vector<std::size_t>> alloc(k, std::vector<std::size_t>(order.size(), 0));
    for (std::size_t f = 0; f < k; ++f)
        for (std::size_t p = f; p < sorted.size(); p += k) ++alloc[f][sorted[p]];
    Rng rng(seed);
    std::vector<std::uint32_t> fold(y.size());
    for (std::size_t c = 0; c < order.size(); ++c) {
        std::vector<std::uint32_t> folds;
        for (std::size_t f = 0; f < k; ++f) folds.insert(folds.end(), alloc[f][c], static_cast<std::uint32_t>(f));
        if (shuffle) rng.shuffle(folds.begin(), folds.end());
        std::size_t next = 0;
        for (std::size_t i = 0; i < y.size(); ++i)
            if (code[i] == c) fold[i] = folds[next++];
    }
    return fold;
}

}  // namespace

TEST_CASE("TargetEncoder multiclass: full-data encodings match the formula per class, and the binary fit of each indicator") {
    const std::vector<std::vector<double>> layouts = {{0, 1, 2}, {-3, 0, 2, 7}, {1, 2, 3, 4, 5, 6}};
    for (std::size_t layout = 0; layout < layouts.size(); ++layout)
        for (std::uint64_t seed : {1u, 2u})
            for (std::optional<double> smooth : {std::optional<double>{}, std::optional<double>(0.0), std::optional<double>(7.5)}) {
                CAPTURE(layout);
                CAPTURE(seed);
                CAPTURE(smooth.value_or(-1));
                const Data d = make_multiclass(1500 + 300 * layout, layouts[layout], seed);
                TargetEncoder e({.target_type = TargetType::multiclass, .smooth = smooth});
                e.fit(d.t, d.y);
                const auto classes = sorted_labels(d.y);
                REQUIRE(e.classes() == classes);
                REQUIRE(e.target_means().size() == classes.size());
                const auto& cats = e.categories("cat");
                REQUIRE(std::find(cats.begin(), cats.end(), "solo") != cats.end());
                bool ok = true, same_as_binary = true;
                for (std::size_t c = 0; c < classes.size(); ++c) {
                    const auto yc = indicator(d.y, classes[c]);
                    const Reference r = reference(d.x, yc, std::vector<bool>(d.x.size(), true), smooth);
                    ok &= close(e.target_means()[c], r.mean);
                    const auto enc = e.encodings("cat", c);
                    REQUIRE(enc.size() == cats.size());
                    for (std::size_t i = 0; i < cats.size(); ++i) ok &= close(enc[i], r.of(cats[i]));
                    REQUIRE(e.missing_encoding("cat", c).has_value());
                    ok &= close(*e.missing_encoding("cat", c), r.of(std::nullopt));
                    // One-vs-rest is the binary encoder on the indicator, bit for bit.
                    TargetEncoder b({.target_type = TargetType::binary, .smooth = smooth});
                    b.fit(d.t, yc);
                    same_as_binary &= b.encodings("cat") == enc && b.target_mean() == e.target_means()[c] &&
                                      b.missing_encoding("cat") == e.missing_encoding("cat", c);
                }
                CHECK(ok);
                CHECK(same_as_binary);
            }
}

TEST_CASE("TargetEncoder multiclass: output columns, names, unseen and missing values, single row") {
    Data d = make_multiclass(900, {-3, 0, 2, 7}, 5);
    const Data d2 = make_multiclass(900, {-3, 0, 2, 7}, 6);
    d.t.add_categorical("other", d2.x);
    d.t.add_numeric("num", std::vector<double>(900, 1.5));
    TargetEncoder e({.target_type = TargetType::multiclass, .smooth = 2.0});
    e.fit(d.t, d.y);
    const std::vector<std::string> names = {"cat_-3", "cat_0", "cat_2", "cat_7", "other_-3", "other_0", "other_2", "other_7"};
    CHECK(e.feature_names_out() == names);
    CHECK(e.n_features_out() == 8);
    // Inputs removed, outputs appended in feature_names_out() order.
    const Table out = e.transform(d.t);
    std::vector<std::string> want = {"num"};
    want.insert(want.end(), names.begin(), names.end());
    CHECK(out.column_names() == want);
    const auto M = e.transform_matrix(d.t);
    bool ok = true;
    for (std::size_t i = 0; i < 900; ++i) {
        std::vector<std::optional<std::string_view>> rec = {d.t.category("cat", i), d.t.category("other", i)};
        std::vector<double> row(8);
        e.transform_row(rec, row);
        for (std::size_t j = 0; j < 8; ++j) {
            ok &= std::memcmp(&row[j], &M(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)), sizeof(double)) == 0;
            ok &= out.numeric(names[j])[i] == row[j];
        }
    }
    CHECK(ok);
    // Column "other" value v, class c sits at output 4 + c.
    const auto& oc = e.categories("other");
    std::vector<std::optional<std::string_view>> rec = {std::string_view("never seen"), std::string_view(oc[2])};
    std::vector<double> row(8);
    e.transform_row(rec, row);
    for (std::size_t c = 0; c < 4; ++c) {
        CHECK(row[c] == e.target_means()[c]);
        CHECK(row[4 + c] == e.encodings("other", c)[2]);
    }
    // A missing value without missing values in fit gets the class means too.
    TargetEncoder nm({.target_type = TargetType::multiclass});
    Table t;
    t.add_categorical("c", {"a", "b", "a", "b", "c", "a"});
    nm.fit(t, std::vector<double>{0, 1, 2, 0, 1, 0});
    CHECK_FALSE(nm.missing_encoding("c", 1).has_value());
    Table mv;
    mv.add_categorical("c", {std::nullopt});
    const auto mo = nm.transform_matrix(mv);
    for (Eigen::Index c = 0; c < 3; ++c) CHECK(mo(0, c) == nm.target_means()[static_cast<std::size_t>(c)]);
    // Dyadic means: 3/6, 2/6, 1/6 are one rounding each of n_c / n.
    CHECK(nm.target_means() == std::vector<double>{3.0 / 6.0, 2.0 / 6.0, 1.0 / 6.0});
    // The single-value accessors refuse a multiclass fit; the per-class ones check the index.
    CHECK_THROWS_AS((void)nm.target_mean(), InvalidInput);
    CHECK_THROWS_AS((void)nm.encodings("c"), InvalidInput);
    CHECK_THROWS_AS((void)nm.missing_encoding("c"), InvalidInput);
    CHECK_THROWS_AS((void)nm.encodings("c", 3), InvalidInput);
    TargetEncoder bin;
    bin.fit(t, std::vector<double>{0, 1, 1, 0, 1, 0});
    CHECK(bin.encodings("c", 0) == bin.encodings("c"));
    CHECK(bin.target_means() == std::vector<double>{bin.target_mean()});
    CHECK(bin.classes().empty());
    CHECK_THROWS_AS((void)bin.encodings("c", 1), InvalidInput);
}

TEST_CASE("TargetEncoder multiclass: fit_transform is out-of-fold with stratified folds, shuffle on and off") {
    const std::vector<std::vector<double>> layouts = {{0, 1, 2}, {5, -1, 9, 2}};
    for (std::size_t layout = 0; layout < layouts.size(); ++layout)
        for (bool shuffle : {true, false})
            for (std::optional<double> smooth : {std::optional<double>{}, std::optional<double>(3.0)}) {
                CAPTURE(layout);
                CAPTURE(shuffle);
                const Data d = make_multiclass(1100, layouts[layout], 20 + layout);
                TargetEncoder e({.target_type = TargetType::multiclass, .smooth = smooth, .cv = 4, .shuffle = shuffle, .seed = 13});
                const auto fold = e.fold_ids(d.y);
                CHECK(fold == sklearn_stratified(d.y, 4, shuffle, 13));
                const Table out = e.fit_transform(d.t, d.y);
                const auto classes = sorted_labels(d.y);
                REQUIRE(e.classes() == classes);
                bool ok = true;
                for (std::size_t c = 0; c < classes.size(); ++c) {
                    const auto col = out.numeric("cat_" + std::to_string(static_cast<long long>(classes[c])));
                    const auto yc = indicator(d.y, classes[c]);
                    for (std::uint32_t f = 0; f < 4; ++f) {
                        std::vector<bool> use(d.y.size());
                        for (std::size_t i = 0; i < use.size(); ++i) use[i] = fold[i] != f;
                        const Reference r = reference(d.x, yc, use, smooth);
                        for (std::size_t i = 0; i < use.size(); ++i)
                            if (fold[i] == f) ok &= close(col[i], r.of(d.x[i]));
                    }
                }
                CHECK(ok);
                TargetEncoder full({.target_type = TargetType::multiclass, .smooth = smooth, .cv = 4, .shuffle = shuffle, .seed = 13});
                full.fit(d.t, d.y);
                CHECK(fingerprint(full) == fingerprint(e));
            }
}

TEST_CASE("TargetEncoder multiclass: a class absent from a fold's training rows gets mean 0 there") {
    // Label 9 occurs once: the fold holding that row trains without it.
    Table t;
    std::vector<OptStr> x;
    std::vector<double> y;
    for (std::size_t i = 0; i < 30; ++i) {
        x.push_back(std::string(i % 3 == 0 ? "a" : "b"));
        y.push_back(static_cast<double>(i % 2));
    }
    y[7] = 9.0;
    t.add_categorical("c", x);
    TargetEncoder e({.target_type = TargetType::multiclass, .smooth = 1.0, .cv = 3, .seed = 2});
    const auto fold = e.fold_ids(y);
    const Table out = e.fit_transform(t, y);
    REQUIRE(e.classes() == std::vector<double>{0, 1, 9});
    const auto c9 = out.numeric("c_9");
    for (std::size_t i = 0; i < 30; ++i) {
        CAPTURE(i);
        if (fold[i] == fold[7]) CHECK(c9[i] == 0.0);
        else CHECK(c9[i] > 0.0);
    }
}

TEST_CASE("TargetEncoder multiclass: fold definitions") {
    // scikit-learn 1.2.1 (StratifiedKFold is unchanged in 1.3/1.4) on this y, cv = 3,
    // shuffle = False:
    //   python3 -c "import numpy as np; from sklearn.model_selection import StratifiedKFold as S;
    //   y=np.array([2,2,0,1,0,2,1,2,0,2,7,0,2]); f=np.empty(13,int)
    //   for k,(a,b) in enumerate(S(3).split(y,y)): f[b]=k
    //   print(list(f))"
    const std::vector<double> y = {2, 2, 0, 1, 0, 2, 1, 2, 0, 2, 7, 0, 2};
    TargetEncoder e({.target_type = TargetType::multiclass, .cv = 3, .shuffle = false});
    CHECK(e.fold_ids(y) == std::vector<std::uint32_t>{0, 0, 0, 1, 0, 1, 2, 1, 1, 2, 0, 2, 2});
    // Shuffled: every class balanced over the folds, same seed same folds.
    const Data d = make_multiclass(517, {3, 1, 4, 0}, 40);
    const TargetEncoder s({.target_type = TargetType::multiclass, .cv = 5, .seed = 77});
    const auto f = s.fold_ids(d.y);
    CHECK(f == sklearn_stratified(d.y, 5, true, 77));
    CHECK(f == TargetEncoder({.target_type = TargetType::multiclass, .cv = 5, .seed = 77}).fold_ids(d.y));
    CHECK(f != TargetEncoder({.target_type = TargetType::multiclass, .cv = 5, .seed = 78}).fold_ids(d.y));
    for (double label : sorted_labels(d.y)) {
        std::vector<std::size_t> per(5, 0);
        for (std::size_t i = 0; i < f.size(); ++i) per[f[i]] += d.y[i] == label;
        const auto [lo, hi] = std::minmax_element(per.begin(), per.end());
        CHECK(*hi - *lo <= 1);
    }
    // Binary folds keep numbering class 0 first (scikit-learn numbers by first
    // appearance): the same allocation with the classes ordered 0, 1.
    const Data b = make_data(211, true, 33);
    std::vector<double> b_first0 = b.y;
    b_first0.insert(b_first0.begin(), 0.0);
    std::vector<double> b_first1 = b.y;
    b_first1.insert(b_first1.begin(), 1.0);
    for (bool shuffle : {true, false}) {
        CAPTURE(shuffle);
        const TargetEncoder bin({.target_type = TargetType::binary, .cv = 4, .shuffle = shuffle, .seed = 3});
        CHECK(bin.fold_ids(b_first0) == sklearn_stratified(b_first0, 4, shuffle, 3));
        CHECK(bin.fold_ids(b_first1) == sklearn_stratified(b_first1, 4, shuffle, 3, {0.0, 1.0}));
        if (shuffle) CHECK(bin.fold_ids(b_first1) != sklearn_stratified(b_first1, 4, shuffle, 3));
    }
}
