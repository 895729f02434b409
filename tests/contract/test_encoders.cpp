// The categorical contract suite over every encoder and the categorical imputer, plus
// per-component checks of the rules their headers document.
#include "categorical_contract.hpp"

#include <cmath>
#include <reprep/encode/count_frequency_encoder.hpp>
#include <reprep/encode/hashing_encoder.hpp>
#include <reprep/encode/one_hot_encoder.hpp>
#include <reprep/encode/ordinal_encoder.hpp>
#include <reprep/encode/rare_label_encoder.hpp>
#include <reprep/impute/categorical_imputer.hpp>

using namespace reprep;
using contract::OptStr;

namespace {

Table train_data() { return contract::categorical_data(401, 11); }
// Same categories (a different draw): only values seen in fit, missing included.
Table seen_data() { return contract::categorical_data(97, 12); }
// Unseen values in every column, on top of seen ones.
Table unseen_data() {
    Table t = contract::categorical_data(60, 13);
    for (const auto& name : std::vector<std::string>{"color", "city", "flag"}) {
        CategoricalColumn c = t.categorical(name);
        c.dictionary.push_back("never_seen");
        for (std::size_t i = 5; i < c.codes.size(); i += 9) c.codes[i] = static_cast<std::int32_t>(c.dictionary.size() - 1);
        t.set_categorical(name, std::move(c));
    }
    return t;
}
// Seen data with an unseen "color" at row 3 (the first offending cell).
Table unknown_at_row3() {
    Table t = seen_data();
    CategoricalColumn c = t.categorical("color");
    c.dictionary.push_back("violet");
    c.codes[3] = static_cast<std::int32_t>(c.dictionary.size() - 1);
    c.codes[10] = c.codes[3];
    t.set_categorical("color", std::move(c));
    return t;
}
// Training data without missing values, for components that refuse them.
Table train_complete() { return contract::categorical_data(401, 21, 0.0); }
Table seen_complete() { return contract::categorical_data(97, 22, 0.0); }

#define CHECK_INVALID(Type, field, ...)                                               \
    do {                                                                              \
        try {                                                                         \
            (void)Type(Type::Params{__VA_ARGS__});                                    \
            FAIL("expected InvalidParameter for " field);                             \
        } catch (const InvalidParameter& e) {                                         \
            CHECK(e.parameter() == field);                                            \
            CHECK(e.column().empty());                                                \
        }                                                                             \
    } while (0)

struct OneHotIgnore {
    using Component = OneHotEncoder;
    static Component make() {
        return Component({.handle_unknown = HandleUnknown::ignore, .min_frequency = 6.0});
    }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() {
        CHECK_INVALID(OneHotEncoder, "min_frequency", .min_frequency = 1.5);
        CHECK_INVALID(OneHotEncoder, "min_frequency", .min_frequency = 0.0);
        CHECK_INVALID(OneHotEncoder, "max_categories", .max_categories = 1);
        CHECK_INVALID(OneHotEncoder, "top_categories", .min_frequency = 0.1, .top_categories = 3);
        CHECK_INVALID(OneHotEncoder, "handle_unknown", .handle_unknown = HandleUnknown::use_encoded_value);
        CHECK_INVALID(OneHotEncoder, "columns", .columns = {"a", "b", "a"});
    }
    static constexpr bool supervised = false;
};

struct OneHotInfrequent {
    using Component = OneHotEncoder;
    static Component make() {
        return Component({.columns = {"color", "city"},
                          .drop = OneHotDrop::first,
                          .handle_unknown = HandleUnknown::infrequent_if_exist,
                          .max_categories = 5});
    }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() {}
    static constexpr bool supervised = false;
};

struct OneHotError {
    using Component = OneHotEncoder;
    static Component make() { return Component({.drop = OneHotDrop::if_binary}); }
    static Table train() { return train_data(); }
    static Table test() { return seen_data(); }
    static std::optional<Table> unknown() { return unknown_at_row3(); }
    static void bad_params() {}
    static constexpr bool supervised = false;
};

struct OneHotTop {
    using Component = OneHotEncoder;
    static Component make() { return Component({.top_categories = 4}); }
    static Table train() { return train_data(); }
    static Table test() { return seen_data(); }
    static std::optional<Table> unknown() { return unknown_at_row3(); }
    static void bad_params() {}
    static constexpr bool supervised = false;
};

struct OrdinalEncoded {
    using Component = OrdinalEncoder;
    static Component make() {
        return Component({.handle_unknown = HandleUnknown::use_encoded_value, .unknown_value = -1.0,
                          .encoded_missing_value = -2.0});
    }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() {
        CHECK_INVALID(OrdinalEncoder, "unknown_value", .handle_unknown = HandleUnknown::use_encoded_value);
        CHECK_INVALID(OrdinalEncoder, "unknown_value", .handle_unknown = HandleUnknown::use_encoded_value,
                      .unknown_value = 0.5);
        CHECK_INVALID(OrdinalEncoder, "unknown_value", .unknown_value = -1.0);
        CHECK_INVALID(OrdinalEncoder, "handle_unknown", .handle_unknown = HandleUnknown::ignore);
        CHECK_INVALID(OrdinalEncoder, "categories", .order = CategoryOrder::given);
        CHECK_INVALID(OrdinalEncoder, "encoded_missing_value", .encoded_missing_value = 1.25);
    }
    static constexpr bool supervised = false;
};

struct OrdinalOrdered {
    using Component = OrdinalEncoder;
    static Component make() { return Component({.columns = {"color", "flag"}, .order = CategoryOrder::ordered}); }
    static Table train() { return train_data(); }
    static Table test() { return seen_data(); }
    static std::optional<Table> unknown() { return unknown_at_row3(); }
    static void bad_params() {}
    static constexpr bool supervised = true;
};

struct OrdinalFrequency {
    using Component = OrdinalEncoder;
    static Component make() { return Component({.order = CategoryOrder::frequency}); }
    static Table train() { return train_data(); }
    static Table test() { return seen_data(); }
    static std::optional<Table> unknown() { return unknown_at_row3(); }
    static void bad_params() {}
    static constexpr bool supervised = false;
};

struct CountFrequency {
    using Component = CountFrequencyEncoder;
    static Component make() {
        return Component({.encoding_method = EncodingMethod::frequency, .missing_values = MissingValues::ignore,
                          .unseen = UnseenPolicy::encode});
    }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() { CHECK_INVALID(CountFrequencyEncoder, "columns", .columns = {"x", "x"}); }
    static constexpr bool supervised = false;
};

struct CountRaise {
    using Component = CountFrequencyEncoder;
    static Component make() { return Component({.unseen = UnseenPolicy::raise}); }
    static Table train() { return train_complete(); }
    static Table test() { return seen_complete(); }
    static std::optional<Table> unknown() {
        Table t = seen_complete();
        CategoricalColumn c = t.categorical("color");
        c.dictionary.push_back("violet");
        c.codes[3] = static_cast<std::int32_t>(c.dictionary.size() - 1);
        t.set_categorical("color", std::move(c));
        return t;
    }
    static void bad_params() {}
    static constexpr bool supervised = false;
};

struct RareLabel {
    using Component = RareLabelEncoder;
    static Component make() {
        return Component({.tol = 0.04, .n_categories = 3, .max_n_categories = 12, .missing_values = MissingValues::ignore});
    }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() {
        CHECK_INVALID(RareLabelEncoder, "tol", .tol = 1.5);
        CHECK_INVALID(RareLabelEncoder, "tol", .tol = std::nan(""));
        CHECK_INVALID(RareLabelEncoder, "max_n_categories", .max_n_categories = 0);
    }
    static constexpr bool supervised = false;
};

struct ImputerFrequent {
    using Component = CategoricalImputer;
    static Component make() { return Component({.imputation_method = ImputationMethod::frequent}); }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() { CHECK_INVALID(CategoricalImputer, "columns", .columns = {"c", "c"}); }
    static constexpr bool supervised = false;
};

struct ImputerMissing {
    using Component = CategoricalImputer;
    static Component make() { return Component({.columns = {"city", "color"}, .fill_value = "unknown"}); }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() {}
    static constexpr bool supervised = false;
};

struct Hashing {
    using Component = HashingEncoder;
    static Component make() { return Component({.n_components = 16, .alternate_sign = true}); }
    static Table train() { return train_data(); }
    static Table test() { return unseen_data(); }
    static std::optional<Table> unknown() { return std::nullopt; }
    static void bad_params() { CHECK_INVALID(HashingEncoder, "n_components", .n_components = 0); }
    static constexpr bool supervised = false;
};

}  // namespace

TEST_CASE_TEMPLATE("categorical contract", C, OneHotIgnore, OneHotInfrequent, OneHotError, OneHotTop, OrdinalEncoded,
                   OrdinalOrdered, OrdinalFrequency, CountFrequency, CountRaise, RareLabel, ImputerFrequent,
                   ImputerMissing, Hashing) {
    contract::run_all_categorical<C>();
}

// ---------------------------------------------------------------------------
// Per-component rules
// ---------------------------------------------------------------------------

namespace {
Table one_column(const std::vector<OptStr>& v, const std::string& name = "c") {
    Table t;
    t.add_categorical(name, v);
    return t;
}
std::vector<OptStr> repeat(std::initializer_list<std::pair<const char*, int>> spec) {
    std::vector<OptStr> out;
    for (const auto& [v, n] : spec)
        for (int i = 0; i < n; ++i) out.push_back(v ? OptStr(v) : std::nullopt);
    return out;
}
}  // namespace

TEST_CASE("OneHotEncoder: names, missing category last, infrequent grouping and ties") {
    const Table t = one_column(repeat({{"b", 5}, {"a", 5}, {"c", 2}, {nullptr, 2}, {"d", 1}}), "col");
    OneHotEncoder plain;
    plain.fit(t);
    CHECK(plain.feature_names_out() == std::vector<std::string>{"col_a", "col_b", "col_c", "col_d", "col_nan"});
    // max_categories = 3: counts a5 b5 c2 nan2 d1 -> keep two frequent ones, group the rest.
    OneHotEncoder mc({.handle_unknown = HandleUnknown::infrequent_if_exist, .max_categories = 3});
    mc.fit(t);
    CHECK(mc.feature_names_out() == std::vector<std::string>{"col_a", "col_b", "col_infrequent_sklearn"});
    // Tie at the boundary (c2 vs nan2, max_categories 4): scikit-learn keeps the later one (nan).
    OneHotEncoder tie({.max_categories = 4});
    tie.fit(t);
    CHECK(tie.feature_names_out() == std::vector<std::string>{"col_a", "col_b", "col_nan", "col_infrequent_sklearn"});
    const auto inf = tie.infrequent_categories("col");
    CHECK(inf == std::vector<std::optional<std::string>>{std::string("c"), std::string("d")});
    // An unseen value goes to the infrequent output under infrequent_if_exist.
    const Table u = one_column({OptStr("zzz"), OptStr("d"), std::nullopt, OptStr("a")}, "col");
    const auto X = mc.transform_matrix(u);
    CHECK(X(0, 2) == 1.0);
    CHECK(X(1, 2) == 1.0);
    CHECK(X(2, 2) == 1.0);  // nan is infrequent here
    CHECK(X(3, 0) == 1.0);
    CHECK(X.row(0).sum() == 1.0);
    // min_frequency as a fraction: count < 0.2 * 15 = 3 -> c, nan, d infrequent.
    OneHotEncoder mf({.min_frequency = 0.2});
    mf.fit(t);
    CHECK(mf.feature_names_out() == std::vector<std::string>{"col_a", "col_b", "col_infrequent_sklearn"});
    // drop first removes col_a; unseen under ignore is all zeros.
    OneHotEncoder dropped({.drop = OneHotDrop::first, .handle_unknown = HandleUnknown::ignore});
    dropped.fit(t);
    CHECK(dropped.feature_names_out() == std::vector<std::string>{"col_b", "col_c", "col_d", "col_nan"});
    const auto Z = dropped.transform_matrix(u);
    CHECK(Z.row(0).isZero());
    CHECK(Z.row(3).isZero());  // "a" was dropped
    // Sparse and dense layouts agree.
    const auto S = mc.transform_sparse(u);
    CHECK(S.to_dense() == mc.transform_matrix(u));
    CHECK(S.indptr.back() == 4);
}

TEST_CASE("OneHotEncoder: handle_missing = error, if_binary and top_categories") {
    const Table t = one_column(repeat({{"x", 3}, {"y", 4}, {nullptr, 1}}));
    OneHotEncoder strict({.handle_missing = HandleMissing::error});
    CHECK_THROWS_AS(strict.fit(t), InvalidInput);
    const Table bin = one_column(repeat({{"x", 3}, {"y", 4}}));
    strict.fit(bin);
    try {
        (void)strict.transform(t);
        FAIL("expected InvalidInput");
    } catch (const InvalidInput& e) {
        CHECK(e.row() == std::optional<std::size_t>(7));
    }
    OneHotEncoder ib({.drop = OneHotDrop::if_binary});
    ib.fit(bin);
    CHECK(ib.feature_names_out() == std::vector<std::string>{"c_y"});
    OneHotEncoder top({.handle_unknown = HandleUnknown::ignore, .top_categories = 1});
    top.fit(t);
    CHECK(top.feature_names_out() == std::vector<std::string>{"c_y"});
    const auto X = top.transform_matrix(t);
    CHECK(X(0, 0) == 0.0);
    CHECK(X(3, 0) == 1.0);
}

TEST_CASE("OrdinalEncoder: orders, given categories, sklearn's reserved-code checks") {
    const Table t = one_column(repeat({{"b", 2}, {"a", 3}, {"c", 3}, {nullptr, 1}}));
    OrdinalEncoder lex;
    lex.fit(t);
    CHECK(lex.categories("c") == std::vector<std::string>{"a", "b", "c"});
    const auto X = lex.transform_matrix(t);
    CHECK(X(0, 0) == 1.0);
    CHECK(std::isnan(X(8, 0)));
    OrdinalEncoder freq({.order = CategoryOrder::frequency});
    freq.fit(t);
    CHECK(freq.categories("c") == std::vector<std::string>{"a", "c", "b"});
    OrdinalEncoder given({.columns = {"c"}, .order = CategoryOrder::given, .categories = {{"c", "b", "a", "z"}}});
    given.fit(t);
    CHECK(given.transform_matrix(t)(0, 0) == 1.0);
    OrdinalEncoder short_list({.columns = {"c"}, .order = CategoryOrder::given, .categories = {{"c", "b"}}});
    CHECK_THROWS_AS(short_list.fit(t), UnknownCategory);
    // encoded_missing_value 1 collides with category b's code (scikit-learn refuses it).
    OrdinalEncoder clash({.encoded_missing_value = 1.0});
    CHECK_THROWS_AS(clash.fit(t), InvalidParameter);
    // unknown_value 3 collides with the missing category, which scikit-learn counts.
    OrdinalEncoder clash2({.handle_unknown = HandleUnknown::use_encoded_value, .unknown_value = 3.0});
    CHECK_THROWS_AS(clash2.fit(t), InvalidParameter);
    // Ordered by target mean, ties by bytes; fit without y is refused.
    OrdinalEncoder ord({.order = CategoryOrder::ordered});
    CHECK_THROWS_AS(ord.fit(t), InvalidInput);
    const std::vector<double> y = {5, 5, 1, 1, 1, 1, 1, 1, 9};
    ord.fit(t, y);
    CHECK(ord.categories("c") == std::vector<std::string>{"a", "c", "b"});
    const std::vector<double> bad = {5, 5, 1, 1, 1, 1, 1, std::nan(""), 9};
    CHECK_THROWS_AS(ord.fit(t, bad), InvalidInput);
    CHECK_THROWS_AS(ord.fit(t, std::span<const double>(y).first(3)), InvalidInput);
    // inverse_transform maps codes back.
    const Table back = lex.inverse_transform(lex.transform(t));
    CHECK(back == t);
}

TEST_CASE("CountFrequencyEncoder, RareLabelEncoder, CategoricalImputer, HashingEncoder rules") {
    const Table t = one_column(repeat({{"b", 2}, {"a", 3}, {"c", 1}, {nullptr, 1}}));
    CountFrequencyEncoder freq({.encoding_method = EncodingMethod::frequency, .missing_values = MissingValues::ignore});
    freq.fit(t);
    CHECK(freq.encodings("c") == std::vector<double>{3.0 / 6.0, 2.0 / 6.0, 1.0 / 6.0});
    CountFrequencyEncoder strict;
    CHECK_THROWS_AS(strict.fit(t), InvalidInput);

    RareLabelEncoder rare({.tol = 0.3, .n_categories = 2, .missing_values = MissingValues::ignore});
    const Table r = rare.fit_transform(t);
    CHECK(rare.frequent_categories("c") == std::vector<std::string>{"a", "b"});
    CHECK(r.category("c", 5) == std::optional<std::string_view>("Rare"));
    CHECK(r.category("c", 6) == std::nullopt);
    RareLabelEncoder few({.n_categories = 5, .missing_values = MissingValues::ignore});
    few.fit(t);
    CHECK(few.frequent_categories("c").size() == 3);

    // Ties in most_frequent go to the smallest bytes.
    const Table tie = one_column(repeat({{"b", 2}, {"a", 2}, {nullptr, 2}}));
    CategoricalImputer imp({.imputation_method = ImputationMethod::frequent});
    CHECK(imp.fit_transform(tie).category("c", 5) == std::optional<std::string_view>("a"));
    const Table all_missing = one_column(repeat({{nullptr, 3}}));
    CHECK_THROWS_AS(imp.fit(all_missing), InvalidInput);
    CategoricalImputer fill;
    CHECK(fill.fit_transform(all_missing).category("c", 0) == std::optional<std::string_view>("Missing"));

    // Hashing: each row has exactly one +-1 per column, the same value hashes the same.
    HashingEncoder h({.n_components = 4, .alternate_sign = true});
    const auto H = h.fit(t).transform_matrix(t);
    for (Eigen::Index i = 0; i < H.rows(); ++i) CHECK(H.row(i).cwiseAbs().sum() == 1.0);
    CHECK(H.row(0) == H.row(1));
    CHECK(h.feature_names_out() == std::vector<std::string>{"hash_0", "hash_1", "hash_2", "hash_3"});
}

TEST_CASE("CategoryAccumulator: merge checks and corrupt artifacts") {
    OneHotEncoder e({.columns = {"color"}});
    auto a = e.accumulator();
    a.update(train_data());
    auto other = OrdinalEncoder({.order = CategoryOrder::ordered}).accumulator();
    const Table d = train_data();
    const auto y = contract::target(d);
    other.update(d, y);
    CHECK_THROWS_AS(a.merge(other), InvalidInput);
    auto wrong = OneHotEncoder({.columns = {"city"}}).accumulator();
    wrong.update(d);
    CHECK_THROWS_AS(a.merge(wrong), SchemaError);
    CHECK_THROWS_AS(e.fit(wrong), SchemaError);
    // A flipped byte in a saved encoder is refused with FormatError.
    e.fit(a);
    std::string bytes = save_bytes(e);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5A);
    CHECK_THROWS_AS((void)load_bytes<OneHotEncoder>(bytes), FormatError);
}

TEST_CASE("transform_matrix<float> rounds each double output once; Table and matrix paths agree") {
    const Table t = train_data();
    CountFrequencyEncoder e({.encoding_method = EncodingMethod::frequency, .missing_values = MissingValues::ignore});
    e.fit(t);
    const Matrix<double> D = e.transform_matrix(t);
    const Matrix<float> F = e.transform_matrix<float>(t);
    bool same = true;
    for (Eigen::Index i = 0; i < D.size(); ++i) {
        const float want = static_cast<float>(D.data()[i]);
        same &= std::memcmp(&want, &F.data()[i], sizeof(float)) == 0;
    }
    CHECK(same);
    const Table out = e.transform(t);
    const auto names = e.feature_names_out();
    for (std::size_t k = 0; k < names.size(); ++k) {
        const auto col = out.numeric(names[k]);
        CHECK(std::memcmp(col.data(), D.col(static_cast<Eigen::Index>(k)).data(), sizeof(double) * col.size()) == 0);
    }
    // In-place replacement keeps the column order of the input table.
    CHECK(out.column_names() == t.column_names());
}

TEST_CASE("OneHotEncoder::inverse_transform, as scikit-learn's") {
    const Table t = one_column(repeat({{"b", 5}, {"a", 5}, {"c", 2}, {nullptr, 2}, {"d", 1}}), "col");
    OneHotEncoder plain;
    CHECK(plain.fit(t).inverse_transform(plain.transform(t)) == t);
    // Infrequent outputs come back as "infrequent_sklearn"; unknowns under ignore as missing;
    // with drop = first, all zeros come back as the dropped category.
    OneHotEncoder e({.drop = OneHotDrop::first, .handle_unknown = HandleUnknown::ignore, .max_categories = 3});
    e.fit(t);
    const Table u = one_column({OptStr("a"), OptStr("b"), OptStr("c"), std::nullopt, OptStr("zzz")}, "col");
    const Table back = e.inverse_transform(e.transform(u));
    CHECK(back.category("col", 0) == std::optional<std::string_view>("a"));
    CHECK(back.category("col", 1) == std::optional<std::string_view>("b"));
    CHECK(back.category("col", 2) == std::optional<std::string_view>("infrequent_sklearn"));
    CHECK(back.category("col", 3) == std::optional<std::string_view>("infrequent_sklearn"));
    CHECK(back.category("col", 4) == std::optional<std::string_view>("a"));
    Table bad = e.transform(u);
    std::vector<double> twos(u.num_rows(), 2.0);
    bad.set_numeric("col_b", twos);
    CHECK_THROWS_AS((void)e.inverse_transform(bad), InvalidInput);
}
