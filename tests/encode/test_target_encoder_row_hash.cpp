// TargetEncoder's fold_assignment = row_hash: a row's cross-fitting fold is a keyed hash
// of its values and target, so fit_transform gives every row the same bits whatever the
// row order; equal rows share a fold; each row is encoded by a fit on the other folds'
// rows; the option round-trips through an artifact, and the default's bytes do not move.
#include <doctest/doctest.h>

#include <algorithm>
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

struct Data {
    std::vector<double> y, y01, ycls;
    Table t;
};

// Two categorical columns with missing values, and three targets (continuous on a
// coarse grid, so some rows repeat exactly; 0/1; five classes).
Data make_data(std::size_t n, std::uint64_t seed) {
    Data d;
    Rng rng(seed);
    std::vector<OptStr> a, b;
    for (std::size_t i = 0; i < n; ++i) {
        const auto k = rng.uniform_int(9);
        a.push_back(k == 0 ? OptStr{} : OptStr("a" + std::to_string(k)));
        const auto m = rng.uniform_int(4);
        b.push_back(m == 3 ? OptStr{} : OptStr("b" + std::to_string(m)));
        d.y.push_back(static_cast<double>(k) * 0.5 + static_cast<double>(rng.uniform_int(6)) - 2.0);
        d.y01.push_back(rng.uniform() < 0.1 * static_cast<double>(k) ? 1.0 : 0.0);
        d.ycls.push_back(static_cast<double>((k + rng.uniform_int(3)) % 5));
    }
    d.t.add_categorical("a", a).add_categorical("b", b);
    return d;
}

std::vector<double> pick(const std::vector<double>& v, const std::vector<std::size_t>& idx) {
    std::vector<double> out;
    for (std::size_t i : idx) out.push_back(v[i]);
    return out;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

TargetEncoder::Params hashed(TargetType type, std::uint64_t seed = 11) {
    return {.columns = {"a", "b"}, .target_type = type, .cv = 4, .seed = seed,
            .fold_assignment = FoldAssignment::row_hash};
}

}  // namespace

TEST_CASE("TargetEncoder row_hash: shuffled rows get the same out-of-fold bits, row by row") {
    const Data d = make_data(700, 3);
    std::vector<std::size_t> perm(d.t.num_rows());
    for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    Rng rng(5);
    rng.shuffle(perm.begin(), perm.end());
    const Table shuffled = d.t.rows(perm);
    for (const auto& c : {std::pair{TargetType::continuous, d.y}, std::pair{TargetType::binary, d.y01},
                          std::pair{TargetType::multiclass, d.ycls}}) {
        const TargetType type = c.first;
        const std::vector<double>& y = c.second;
        CAPTURE(static_cast<int>(type));
        TargetEncoder e(hashed(type)), s(hashed(type));
        const Table out = e.fit_transform(d.t, y);
        const Table out_s = s.fit_transform(shuffled, pick(y, perm));
        REQUIRE(out.column_names() == out_s.column_names());
        bool same = true;
        for (const auto& name : out.column_names()) {
            if (out.type(name) != ColumnType::numeric) continue;
            const auto x = out.numeric(name), z = out_s.numeric(name);
            for (std::size_t i = 0; i < perm.size(); ++i) same &= same_bits(z[i], x[perm[i]]);
        }
        CHECK(same);
        // The fitted state is the full-data fit, the same for both orders.
        TargetEncoder full(hashed(type));
        full.fit(d.t, y);
        CHECK(fingerprint(e) == fingerprint(full));
        CHECK(fingerprint(s) == fingerprint(full));
        // The folds differ from the position folds (not scikit-learn's), and follow the rows.
        const auto f = e.fold_ids(d.t, y), g = s.fold_ids(shuffled, pick(y, perm));
        bool follow = true;
        for (std::size_t i = 0; i < perm.size(); ++i) follow &= g[i] == f[perm[i]];
        CHECK(follow);
    }
}

TEST_CASE("TargetEncoder row_hash: each fold is encoded by a fit on the other folds' rows, bit for bit") {
    const Data d = make_data(500, 8);
    for (const auto& c : {std::pair{TargetType::continuous, d.y}, std::pair{TargetType::multiclass, d.ycls}}) {
        const TargetType type = c.first;
        const std::vector<double>& y = c.second;
        TargetEncoder e(hashed(type, 2));
        const auto fold = e.fold_ids(d.t, y);
        const Table out = e.fit_transform(d.t, y);
        bool ok = true;
        for (std::uint32_t f = 0; f < 4; ++f) {
            std::vector<std::size_t> in, others;
            for (std::size_t i = 0; i < fold.size(); ++i) (fold[i] == f ? in : others).push_back(i);
            REQUIRE(!in.empty());
            TargetEncoder fe(hashed(type, 2));
            fe.fit(d.t.rows(others), pick(y, others));
            if (type == TargetType::multiclass && fe.classes() != e.classes()) continue;  // a class only in fold f
            const Table enc = fe.transform(d.t.rows(in));
            for (const auto& name : enc.column_names()) {
                const auto x = out.numeric(name), z = enc.numeric(name);
                for (std::size_t r = 0; r < in.size(); ++r) ok &= same_bits(z[r], x[in[r]]);
            }
        }
        CHECK(ok);
    }
}

TEST_CASE("TargetEncoder row_hash: equal rows share a fold, folds are near n / cv, the seed moves them") {
    const Data d = make_data(4000, 21);
    const TargetEncoder e(hashed(TargetType::continuous));
    const auto fold = e.fold_ids(d.t, d.y);
    std::map<std::tuple<OptStr, OptStr, double>, std::uint32_t> seen;
    bool shared = true;
    std::size_t repeats = 0;
    std::vector<std::size_t> size(4, 0);
    for (std::size_t i = 0; i < fold.size(); ++i) {
        ++size[fold[i]];
        const auto a = d.t.category("a", i), b = d.t.category("b", i);
        const auto key = std::tuple{a ? OptStr(std::string(*a)) : OptStr{}, b ? OptStr(std::string(*b)) : OptStr{}, d.y[i]};
        const auto [it, fresh] = seen.emplace(key, fold[i]);
        if (!fresh) {
            ++repeats;
            shared &= it->second == fold[i];
        }
    }
    CHECK(repeats > 1000);  // the data do repeat rows
    CHECK(shared);
    // 4000 distinct rows: each fold's size is binomial(4000, 1/4), sd 27.
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < 4000; ++i) keys.push_back("r" + std::to_string(i));
    Table distinct;
    distinct.add_categorical("a", keys).add_categorical("b", std::vector<std::string>(4000, "x"));
    std::fill(size.begin(), size.end(), 0);
    for (auto f : e.fold_ids(distinct, std::vector<double>(4000, 1.0))) ++size[f];
    for (std::size_t s : size) CHECK((s > 900 && s < 1100));
    // A different seed gives different folds; the column names play no part, the values do.
    CHECK(TargetEncoder(hashed(TargetType::continuous, 12)).fold_ids(d.t, d.y) != fold);
    // -0 is 0 in the target.
    std::vector<double> z = {0.0, -0.0, 0.0, -0.0};
    Table t4;
    t4.add_categorical("a", {"x", "x", "y", "y"}).add_categorical("b", {"p", "p", "p", "p"});
    const auto f4 = e.fold_ids(t4, z);
    CHECK(f4[0] == f4[1]);
    CHECK(f4[2] == f4[3]);
}

TEST_CASE("TargetEncoder row_hash: artifact round trip; the default writes no new byte") {
    const Data d = make_data(300, 4);
    TargetEncoder e(hashed(TargetType::continuous));
    e.fit(d.t, d.y);
    TargetEncoder p({.columns = {"a", "b"}, .target_type = TargetType::continuous, .cv = 4, .seed = 11});
    p.fit(d.t, d.y);
    const std::string eb = save_bytes(e), pb = save_bytes(p);
    const TargetEncoder back = load_bytes<TargetEncoder>(eb);
    CHECK(back.params().fold_assignment == FoldAssignment::row_hash);
    CHECK(save_bytes(back) == eb);
    CHECK(load_bytes<TargetEncoder>(pb).params().fold_assignment == FoldAssignment::position);
    CHECK(save_bytes(load_bytes<TargetEncoder>(pb)) == pb);
    // The row_hash artifact is the default one with one more payload byte.
    CHECK(eb.size() == pb.size() + 1);
}

TEST_CASE("TargetEncoder row_hash: refusals") {
    CHECK_THROWS_AS(TargetEncoder({.fold_assignment = static_cast<FoldAssignment>(7)}), InvalidParameter);
    const Data d = make_data(50, 1);
    const TargetEncoder e(hashed(TargetType::continuous));
    // fold_ids(y) cannot see the rows.
    CHECK_THROWS_AS((void)e.fold_ids(d.y), InvalidParameter);
    // Every row the same: one fold holds them all and has nothing to train on.
    Table same;
    same.add_categorical("a", std::vector<std::string>(10, "x")).add_categorical("b", std::vector<std::string>(10, "y"));
    TargetEncoder s(hashed(TargetType::continuous));
    CHECK_THROWS_AS(s.fit_transform(same, std::vector<double>(10, 1.5)), InvalidInput);
    CHECK(!s.is_fitted());
    // Fewer rows than folds, bad labels, a missing column: as for position folds.
    const std::vector<std::size_t> three = {0, 1, 2};
    const std::vector<double> y3 = {1.0, 2.0, 3.0}, y5 = {1.0, 2.0, 3.0, 4.0, 5.0};
    CHECK_THROWS_AS(s.fit_transform(d.t.rows(three), y3), InvalidInput);
    TargetEncoder b(hashed(TargetType::binary));
    CHECK_THROWS_AS(b.fit_transform(d.t, d.y), InvalidInput);
    Table only_a;
    only_a.add_categorical("a", {"x", "y", "z", "w", "v"});
    CHECK_THROWS_AS(s.fit_transform(only_a, y5), SchemaError);
}
