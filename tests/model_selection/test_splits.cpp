#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <reprep/model_selection/group_k_fold.hpp>
#include <reprep/model_selection/k_fold.hpp>
#include <reprep/model_selection/stratified_k_fold.hpp>
#include <reprep/model_selection/time_series_split.hpp>
#include <reprep/model_selection/train_test_split.hpp>
#include <set>
#include <sstream>

using namespace reprep;

namespace {
struct Golden {
    std::map<std::string, std::vector<std::int64_t>> header;  // key -> numbers after it
    std::vector<std::vector<std::size_t>> tests;
};

Golden read_golden(const std::string& name) {
    std::ifstream f(std::filesystem::path(REPREP_GOLDEN_DIR) / "splits" / name);
    REQUIRE_MESSAGE(f.good(), "missing golden file " << name << " (run tests/golden/make_golden.py)");
    Golden g;
    std::string line;
    std::getline(f, line);
    std::istringstream hs(line);
    std::string tok, key;
    while (hs >> tok) {
        if (std::isalpha(static_cast<unsigned char>(tok[0])) != 0) key = tok;
        else g.header[key].push_back(std::stoll(tok));
    }
    while (std::getline(f, line)) {
        std::istringstream ls(line.substr(5));
        std::vector<std::size_t> t;
        std::size_t i;
        while (ls >> i) t.push_back(i);
        g.tests.push_back(t);
    }
    return g;
}

// Every row is in exactly one test fold, and train is the complement of test.
void check_partition(const std::vector<Split>& folds, std::size_t n) {
    std::vector<int> seen(n, 0);
    for (const auto& s : folds) {
        CHECK(s.train.size() + s.test.size() == n);
        std::set<std::size_t> all(s.train.begin(), s.train.end());
        for (auto i : s.test) {
            CHECK(all.count(i) == 0);
            ++seen[i];
        }
    }
    for (auto c : seen) CHECK(c == 1);
}

std::vector<std::vector<std::size_t>> tests_of(const std::vector<Split>& folds) {
    std::vector<std::vector<std::size_t>> t;
    for (const auto& s : folds) t.push_back(s.test);
    return t;
}
}  // namespace

TEST_CASE("KFold without shuffle reproduces scikit-learn's folds") {
    for (const char* name : {"kfold_10_3.txt", "kfold_23_5.txt", "kfold_100_7.txt"}) {
        const auto g = read_golden(name);
        const auto n = static_cast<std::size_t>(g.header.at("n")[0]);
        const auto folds = KFold({.n_splits = static_cast<std::size_t>(g.header.at("k")[0])}).split(n);
        CHECK(tests_of(folds) == g.tests);
        check_partition(folds, n);
    }
}

TEST_CASE("KFold with shuffle is a seeded partition, the same for the same seed") {
    const auto a = KFold({.n_splits = 4, .shuffle = true, .seed = 7}).split(50);
    const auto b = KFold({.n_splits = 4, .shuffle = true, .seed = 7}).split(50);
    const auto c = KFold({.n_splits = 4, .shuffle = true, .seed = 8}).split(50);
    check_partition(a, 50);
    CHECK(tests_of(a) == tests_of(b));
    CHECK(tests_of(a) != tests_of(c));
    CHECK(a[0].test.size() == 13);
    CHECK(a[3].test.size() == 12);
}

TEST_CASE("StratifiedKFold without shuffle reproduces scikit-learn's folds") {
    for (const char* name : {"stratified_30_3.txt", "stratified_101_5.txt", "stratified_57_4.txt"}) {
        const auto g = read_golden(name);
        const auto& y = g.header.at("y");
        const auto folds = StratifiedKFold({.n_splits = static_cast<std::size_t>(g.header.at("k")[0])}).split(y);
        CHECK(tests_of(folds) == g.tests);
        check_partition(folds, y.size());
    }
}

TEST_CASE("StratifiedKFold with shuffle keeps scikit-learn's per-class counts") {
    const auto g = read_golden("stratified_101_5.txt");
    const auto& y = g.header.at("y");
    const auto plain = StratifiedKFold({.n_splits = 5}).split(y);
    const auto shuffled = StratifiedKFold({.n_splits = 5, .shuffle = true, .seed = 3}).split(y);
    check_partition(shuffled, y.size());
    for (std::size_t f = 0; f < 5; ++f) {
        std::map<std::int64_t, int> a, b;
        for (auto i : plain[f].test) ++a[y[i]];
        for (auto i : shuffled[f].test) ++b[y[i]];
        CHECK(a == b);
    }
    CHECK(tests_of(plain) != tests_of(shuffled));
}

TEST_CASE("StratifiedKFold on a Table column ignores dictionary order") {
    std::vector<std::int32_t> codes;
    for (int i = 0; i < 40; ++i) codes.push_back(i % 3);
    Table t1, t2;
    t1.add_categorical("y", CategoricalColumn{{"a", "b", "c"}, codes});
    // The same labels row by row, with the dictionary in another order.
    std::vector<std::int32_t> remapped;
    for (auto c : codes) remapped.push_back(c == 0 ? 2 : (c == 1 ? 0 : 1));
    t2.add_categorical("y", CategoricalColumn{{"b", "c", "a"}, remapped});
    REQUIRE(t1 == t2);
    const StratifiedKFold skf({.n_splits = 4, .shuffle = true, .seed = 1});
    const auto a = skf.split(t1, "y");
    check_partition(a, 40);
    CHECK(tests_of(a) == tests_of(skf.split(t2, "y")));
    CHECK_THROWS_AS(skf.split(t1, "nope"), SchemaError);
}

TEST_CASE("GroupKFold reproduces scikit-learn's folds and never splits a group") {
    const auto g = read_golden("group_36_3.txt");
    const auto& groups = g.header.at("g");
    const auto folds = GroupKFold({.n_splits = 3}).split(groups);
    CHECK(tests_of(folds) == g.tests);
    check_partition(folds, groups.size());
    for (const auto& s : folds) {
        std::set<std::int64_t> in_test, in_train;
        for (auto i : s.test) in_test.insert(groups[i]);
        for (auto i : s.train) in_train.insert(groups[i]);
        for (auto grp : in_test) CHECK(in_train.count(grp) == 0);
    }
    CHECK_THROWS_AS(GroupKFold({.n_splits = 9}).split(groups), InvalidInput);
}

TEST_CASE("TimeSeriesSplit reproduces scikit-learn and never trains on a later row") {
    for (const char* name : {"timeseries_20_4.txt", "timeseries_50_3_gap2_max_train_size10.txt",
                             "timeseries_31_5_test_size3.txt"}) {
        const auto g = read_golden(name);
        auto get = [&](const char* k) { return g.header.count(k) ? static_cast<std::size_t>(g.header.at(k)[0]) : 0; };
        const auto folds = TimeSeriesSplit({.n_splits = get("k"), .max_train_size = get("max_train_size"),
                                            .test_size = get("test_size"), .gap = get("gap")})
                               .split(get("n"));
        CHECK(tests_of(folds) == g.tests);
        for (const auto& s : folds) {
            REQUIRE(!s.train.empty());
            CHECK(s.train.back() < s.test.front());
        }
    }
    CHECK_THROWS_AS(TimeSeriesSplit({.n_splits = 5}).split(5), InvalidInput);
}

TEST_CASE("train_test_split: scikit-learn's sizes, seeded, sorted, disjoint") {
    const auto s = train_test_split(10, {.test_size = 0.25, .seed = 42});
    CHECK(s.test.size() == 3);  // ceil(2.5)
    CHECK(s.train.size() == 7);
    CHECK(std::is_sorted(s.train.begin(), s.train.end()));
    const auto again = train_test_split(10, {.test_size = 0.25, .seed = 42});
    CHECK(again.test == s.test);
    const auto plain = train_test_split(10, {.test_size = 0.3, .shuffle = false});
    CHECK(plain.train == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6});
    CHECK(plain.test == std::vector<std::size_t>{7, 8, 9});
    CHECK_THROWS_AS(train_test_split(10, {.test_size = 1.5}), InvalidParameter);
    CHECK_THROWS_AS(train_test_split(1, {.test_size = 0.5}), InvalidInput);
}

TEST_CASE("train_test_split with stratify keeps class proportions") {
    std::vector<std::optional<std::string>> y;
    std::vector<double> x;
    for (int i = 0; i < 100; ++i) {
        y.push_back(std::string(i < 60 ? "a" : (i < 90 ? "b" : "c")));
        x.push_back(i);
    }
    Table t;
    t.add_numeric("x", x).add_categorical("y", y);
    const auto [train, test] = train_test_split(t, {.test_size = 0.2, .stratify = "y", .seed = 5});
    CHECK(test.num_rows() == 20);
    CHECK(train.num_rows() == 80);
    std::map<std::string, int> counts;
    for (std::size_t i = 0; i < test.num_rows(); ++i) ++counts[std::string(*test.category("y", i))];
    CHECK(counts["a"] == 12);
    CHECK(counts["b"] == 6);
    CHECK(counts["c"] == 2);
}

TEST_CASE("Numeric label columns: -0 and +0 are one label, NaN is a label, ids follow the values") {
    // The same grouping as integer labels ranked like the numbers: -1.5 < 0 < 3 < 7.25 < NaN.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> values = {3.0, -1.5, 0.0, -0.0, nan, 7.25};
    const std::vector<std::int64_t> ranks = {2, 0, 1, 1, 4, 3};
    std::vector<double> column;
    std::vector<std::int64_t> ints;
    for (int i = 0; i < 30; ++i) {
        column.push_back(values[static_cast<std::size_t>(i * 7 % 6)]);
        ints.push_back(ranks[static_cast<std::size_t>(i * 7 % 6)]);
    }
    Table t;
    t.add_numeric("y", column);
    const GroupKFold gkf({.n_splits = 3});
    CHECK(tests_of(gkf.split(t, "y")) == tests_of(gkf.split(ints)));
    const StratifiedKFold skf({.n_splits = 4, .shuffle = true, .seed = 9});
    const auto folds = skf.split(t, "y");
    check_partition(folds, column.size());
    CHECK(tests_of(folds) == tests_of(skf.split(ints)));
}

TEST_CASE("n_splits errors name the splitter and what to do") {
    CHECK_THROWS_WITH_AS(KFold({.n_splits = 1}), doctest::Contains("n_splits must be at least 2"), InvalidParameter);
    CHECK_THROWS_WITH_AS(StratifiedKFold({.n_splits = 0}), doctest::Contains("StratifiedKFold"), InvalidParameter);
    CHECK_THROWS_WITH_AS(GroupKFold({.n_splits = 1}), doctest::Contains("GroupKFold"), InvalidParameter);
    CHECK_THROWS_WITH_AS(TimeSeriesSplit({.n_splits = 1}), doctest::Contains("TimeSeriesSplit"), InvalidParameter);
    const std::vector<std::int64_t> three = {1, 2, 3};
    CHECK_THROWS_WITH_AS(StratifiedKFold({.n_splits = 5}).split(three), doctest::Contains("cannot make 5 splits of 3 rows"),
                         InvalidInput);
    CHECK_THROWS_WITH_AS(KFold({.n_splits = 4}).split(3), doctest::Contains("use fewer splits or more data"), InvalidInput);
}
