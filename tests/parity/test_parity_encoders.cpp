// Parity with scikit-learn 1.2 for OneHotEncoder, OrdinalEncoder and SimpleImputer
// (most_frequent, strings = our CategoricalImputer 'frequent'). The golden files and
// the synthetic data are written by tests/golden/golden_encoders.py; see its header
// for the format. Every comparison is exact: the same categories in the same order,
// the same infrequent sets, the same feature names, the same ones in the same
// places, the same bits for ordinal codes.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <reprep/core/csv.hpp>
#include <reprep/encode/one_hot_encoder.hpp>
#include <reprep/encode/ordinal_encoder.hpp>
#include <reprep/impute/categorical_imputer.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "golden_cases.hpp"

using namespace reprep;

namespace {

const std::string kDir = std::string(REPREP_GOLDEN_DIR) + "/encoders/";
const std::vector<std::string> kPenguinCols = {"species", "island", "sex"};
const std::vector<std::string> kZipfCols = {"z1", "z2"};

using golden::split;

struct Golden {
    std::vector<std::string> names;
    std::map<std::string, std::vector<std::string>> cats, infrequent;
    std::vector<std::string> stats;
    std::vector<std::string> out;  // the text after "out\t"
};

Golden read_golden(const std::string& name) {
    std::ifstream f(kDir + name + ".txt");
    REQUIRE_MESSAGE(f.good(), "missing golden file " << name << " (run tests/golden/make_golden.py encoders)");
    Golden g;
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto parts = split(line, '\t');
        const std::string key = parts[0];
        parts.erase(parts.begin());
        if (key == "names") g.names = parts;
        else if (key == "cats" || key == "infrequent") {
            const std::string col = parts[0];
            parts.erase(parts.begin());
            (key == "cats" ? g.cats : g.infrequent)[col] = parts;
        } else if (key == "stats") g.stats = parts;
        else if (key == "out") g.out.push_back(parts.empty() ? std::string() : parts[0]);
    }
    return g;
}

Table read_categorical(const std::string& path, const std::vector<std::string>& cols) {
    CsvOptions o;
    for (const auto& c : cols) o.column_types[c] = ColumnType::categorical;
    return read_csv(path, o).select(cols);
}

// Rows of b appended to a (same categorical columns).
Table concat(const Table& a, const Table& b) {
    Table t;
    for (const auto& name : a.column_names()) {
        std::vector<std::optional<std::string>> v;
        for (const Table* s : {&a, &b})
            for (std::size_t i = 0; i < s->num_rows(); ++i) {
                const auto x = s->category(name, i);
                v.push_back(x ? std::optional<std::string>(std::string(*x)) : std::nullopt);
            }
        t.add_categorical(name, v);
    }
    return t;
}

const Table& penguins() {
    static const Table t = read_categorical(std::string(REPREP_TEST_DATA_DIR) + "/penguins.csv", kPenguinCols);
    return t;
}
const Table& penguins_all() {
    static const Table t = concat(penguins(), read_categorical(kDir + "penguins_probe.csv", kPenguinCols));
    return t;
}
const Table& zipf_train() {
    static const Table t = read_categorical(kDir + "zipf_train.csv", kZipfCols);
    return t;
}
const Table& zipf_test() {
    static const Table t = read_categorical(kDir + "zipf_test.csv", kZipfCols);
    return t;
}

void check_onehot(const std::string& name, const OneHotEncoder::Params& p, const Table& fit_on, const Table& test) {
    CAPTURE(name);
    const Golden g = read_golden(name);
    OneHotEncoder e(p);
    e.fit(fit_on);
    CHECK(e.feature_names_out() == g.names);
    for (const auto& col : e.feature_names_in()) {
        std::vector<std::string> cats = e.categories(col);
        if (e.has_missing_category(col)) cats.push_back("<NA>");
        CHECK_MESSAGE(cats == g.cats.at(col), "categories of " << col);
        if (g.infrequent.count(col)) {
            std::vector<std::string> inf;
            for (const auto& v : e.infrequent_categories(col)) inf.push_back(v ? *v : "<NA>");
            std::vector<std::string> expected = g.infrequent.at(col);
            if (expected.size() == 1 && expected[0].empty()) expected.clear();
            CHECK_MESSAGE(inf == expected, "infrequent categories of " << col);
        }
    }
    const CsrMatrix m = e.transform_sparse(test);
    REQUIRE(m.rows == g.out.size());
    std::size_t mismatches = 0, first = 0;
    for (std::size_t i = 0; i < m.rows; ++i) {
        std::string s;
        for (auto k = m.indptr[i]; k < m.indptr[i + 1]; ++k) {
            if (!s.empty()) s += ' ';
            s += std::to_string(m.indices[static_cast<std::size_t>(k)]);
        }
        if (s != g.out[i] && mismatches++ == 0) first = i;
    }
    CHECK_MESSAGE(mismatches == 0, mismatches << " rows differ, first at row " << first);
    // The dense path agrees with the sparse one.
    if (m.cols <= 64) CHECK(e.transform_matrix(test) == m.to_dense());
}

void check_ordinal(const std::string& name, const OrdinalEncoder::Params& p, const Table& fit_on, const Table& test) {
    CAPTURE(name);
    const Golden g = read_golden(name);
    OrdinalEncoder e(p);
    e.fit(fit_on);
    for (const auto& col : e.feature_names_in()) {
        std::vector<std::string> cats = e.categories(col);
        if (e.has_missing_category(col)) cats.push_back("<NA>");
        CHECK_MESSAGE(cats == g.cats.at(col), "categories of " << col);
    }
    const Matrix<double> X = e.transform_matrix(test);
    REQUIRE(static_cast<std::size_t>(X.rows()) == g.out.size());
    std::size_t mismatches = 0;
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        const auto hex = split(g.out[static_cast<std::size_t>(i)], ' ');
        REQUIRE(static_cast<Eigen::Index>(hex.size()) == X.cols());
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const std::uint64_t want = std::stoull(hex[static_cast<std::size_t>(j)], nullptr, 16);
            std::uint64_t got;
            const double x = X(i, j);
            std::memcpy(&got, &x, 8);
            mismatches += got != want;
        }
    }
    CHECK(mismatches == 0);
}

}  // namespace

TEST_CASE("OneHotEncoder parity with scikit-learn 1.2 on penguins") {
    using P = OneHotEncoder::Params;
    check_onehot("onehot_penguins_default", P{}, penguins(), penguins());
    check_onehot("onehot_penguins_drop_first", P{.drop = OneHotDrop::first}, penguins(), penguins());
    check_onehot("onehot_penguins_if_binary", P{.drop = OneHotDrop::if_binary}, penguins(), penguins());
    check_onehot("onehot_penguins_ignore", P{.handle_unknown = HandleUnknown::ignore}, penguins(), penguins_all());
    check_onehot("onehot_penguins_minfreq_frac",
                 P{.handle_unknown = HandleUnknown::infrequent_if_exist, .min_frequency = 0.2}, penguins(), penguins_all());
    check_onehot("onehot_penguins_maxcat2",
                 P{.handle_unknown = HandleUnknown::infrequent_if_exist, .max_categories = 2}, penguins(), penguins_all());
    check_onehot("onehot_penguins_minfreq_count_drop",
                 P{.drop = OneHotDrop::first, .handle_unknown = HandleUnknown::ignore, .min_frequency = 60.0}, penguins(),
                 penguins_all());
}

TEST_CASE("OneHotEncoder parity with scikit-learn 1.2 on 10^4 Zipf categories") {
    using P = OneHotEncoder::Params;
    check_onehot("onehot_zipf_minfreq5", P{.handle_unknown = HandleUnknown::infrequent_if_exist, .min_frequency = 5.0},
                 zipf_train(), zipf_test());
    check_onehot("onehot_zipf_maxcat100", P{.handle_unknown = HandleUnknown::ignore, .max_categories = 100},
                 zipf_train(), zipf_test());
    check_onehot("onehot_zipf_minfreq_frac_maxcat",
                 P{.handle_unknown = HandleUnknown::infrequent_if_exist, .min_frequency = 0.001, .max_categories = 40},
                 zipf_train(), zipf_test());
    check_onehot("onehot_zipf_ignore", P{.handle_unknown = HandleUnknown::ignore}, zipf_train(), zipf_test());
}

TEST_CASE("OrdinalEncoder parity with scikit-learn 1.2") {
    using P = OrdinalEncoder::Params;
    check_ordinal("ordinal_penguins_default", P{}, penguins(), penguins());
    check_ordinal("ordinal_penguins_encoded",
                  P{.handle_unknown = HandleUnknown::use_encoded_value, .unknown_value = -1.0, .encoded_missing_value = -2.0},
                  penguins(), penguins_all());
    check_ordinal("ordinal_zipf_encoded",
                  P{.handle_unknown = HandleUnknown::use_encoded_value, .unknown_value = std::nan("")}, zipf_train(),
                  zipf_test());
}

TEST_CASE("CategoricalImputer 'frequent' equals SimpleImputer(strategy='most_frequent') on strings") {
    for (const auto& set : std::vector<std::pair<std::string, const Table*>>{
             {"imputer_penguins", &penguins()}, {"imputer_zipf", &zipf_train()}}) {
        // Named, not structured bindings: CAPTURE makes a lambda, and clang 14 cannot capture a binding.
        const std::string& name = set.first;
        const Table* data = set.second;
        CAPTURE(name);
        const Golden g = read_golden(name);
        CategoricalImputer imp({.imputation_method = ImputationMethod::frequent});
        imp.fit(*data);
        CHECK(imp.fill_values() == g.stats);
    }
}
