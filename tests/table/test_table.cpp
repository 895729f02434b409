// reprep::Table: building, schema errors, accessors, gathers, matrices, the
// canonical fingerprint and equality.
#include <doctest/doctest.h>

#include <reprep/core/table.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using reprep::CategoricalColumn;
using reprep::ColumnType;
using reprep::Table;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class E, class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("wrong exception type: ") + e.what();
    }
    return "no exception";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

Table small() {
    Table t;
    t.add_numeric("a", {1.0, 2.0, kNaN, 4.0})
        .add_categorical("c", {"x", std::nullopt, "y", "x"})
        .add_numeric("b", {-1.0, 0.5, 2.5, 8.0});
    return t;
}
}  // namespace

TEST_CASE("building a table and reading it back") {
    Table t = small();
    CHECK(t.num_rows() == 4);
    CHECK(t.num_columns() == 3);
    CHECK(t.column_names() == std::vector<std::string>{"a", "c", "b"});
    CHECK(t.has_column("c"));
    CHECK_FALSE(t.has_column("z"));
    CHECK(t.column_index("b") == 2);
    CHECK(t.type("a") == ColumnType::numeric);
    CHECK(t.type("c") == ColumnType::categorical);

    auto a = t.numeric("a");
    REQUIRE(a.size() == 4);
    CHECK(a[0] == 1.0);
    CHECK(std::isnan(a[2]));

    const CategoricalColumn& c = t.categorical("c");
    CHECK(c.dictionary == std::vector<std::string>{"x", "y"});  // first-seen order
    CHECK(c.codes == std::vector<std::int32_t>{0, -1, 1, 0});
    CHECK(t.category("c", 0) == std::optional<std::string_view>("x"));
    CHECK_FALSE(t.category("c", 1).has_value());
    CHECK(t.category("c", 2) == std::optional<std::string_view>("y"));
    CHECK(contains(message_of<reprep::InvalidInput>([&] { (void)t.category("c", 4); }), "row 4"));
}

TEST_CASE("add_categorical from plain strings with a missing token") {
    Table t;
    t.add_categorical("s", std::vector<std::string>{"a", "?", "", "a"}, "?");
    CHECK(t.categorical("s").codes == std::vector<std::int32_t>{0, -1, 1, 0});
    CHECK(t.category("s", 2) == std::optional<std::string_view>(""));
    // An empty token means every string is a value, the empty one included.
    Table u;
    u.add_categorical("s", std::vector<std::string>{"", "b"});
    CHECK(u.categorical("s").codes == std::vector<std::int32_t>{0, 1});
}

TEST_CASE("schema errors name the column and the rule") {
    Table t = small();
    const auto dup = message_of<reprep::SchemaError>([&] { t.add_numeric("a", {1, 2, 3, 4}); });
    CHECK(contains(dup, "Table: column 'a'"));
    CHECK(contains(dup, "already exists"));

    const auto len = message_of<reprep::SchemaError>([&] { t.add_numeric("d", {1, 2, 3}); });
    CHECK(contains(len, "column 'd'"));
    CHECK(contains(len, "has 3 values but the table has 4 rows"));
    CHECK(contains(message_of<reprep::SchemaError>([&] { t.add_categorical("e", {"p", "q"}); }), "has 2 values"));

    const auto wrong = message_of<reprep::SchemaError>([&] { (void)t.numeric("c"); });
    // The column is named once: "Table: column 'c': is categorical, expected numeric".
    CHECK(contains(wrong, "Table: column 'c': is categorical, expected numeric"));
    CHECK(wrong.find("column 'c'") == wrong.rfind("column 'c'"));
    CHECK(contains(message_of<reprep::SchemaError>([&] { (void)t.categorical("a"); }),
                   "column 'a': is numeric, expected categorical"));

    const auto absent = message_of<reprep::SchemaError>([&] { (void)t.numeric("zz"); });
    CHECK(contains(absent, "column 'zz'"));
    CHECK(contains(absent, "no such column"));
    CHECK(contains(absent, "'a', 'c', 'b'"));
    CHECK(contains(message_of<reprep::SchemaError>([&] { t.remove("zz"); }), "no such column"));

    // A failed add leaves the table as it was.
    CHECK(t.num_columns() == 3);
    CHECK(t == small());
}

TEST_CASE("validated dictionary-encoded columns") {
    Table t;
    CHECK(contains(message_of<reprep::SchemaError>(
                       [&] { t.add_categorical("c", CategoricalColumn{{"a", "b"}, {0, 2}}); }),
                   "code 2 is outside [-1, 2)"));
    CHECK(contains(message_of<reprep::SchemaError>(
                       [&] { t.add_categorical("c", CategoricalColumn{{"a", "b"}, {0, -2}}); }),
                   "row 1"));
    CHECK(contains(message_of<reprep::SchemaError>(
                       [&] { t.add_categorical("c", CategoricalColumn{{"a", "b", "a"}, {0}}); }),
                   "holds 'a' more than once"));
    CHECK(t.num_columns() == 0);
    t.add_categorical("c", CategoricalColumn{{"a", "b", "unused"}, {1, -1, 0}});
    CHECK(t.num_rows() == 3);
}

TEST_CASE("set_* replaces in place, remove drops and reindexes") {
    Table t = small();
    t.set_categorical("a", CategoricalColumn{{"p"}, {0, 0, -1, 0}});
    CHECK(t.column_names() == std::vector<std::string>{"a", "c", "b"});
    CHECK(t.type("a") == ColumnType::categorical);
    t.set_numeric("new", {1, 2, 3, 4});
    CHECK(t.column_index("new") == 3);
    CHECK(contains(message_of<reprep::SchemaError>([&] { t.set_numeric("b", {1, 2}); }), "has 2 values"));

    t.remove("c");
    CHECK(t.column_names() == std::vector<std::string>{"a", "b", "new"});
    CHECK(t.column_index("b") == 1);
    CHECK(t.column_index("new") == 2);
    CHECK(t.numeric("new")[3] == 4.0);
    t.remove("a").remove("b").remove("new");
    CHECK(t.num_columns() == 0);
    CHECK(t.num_rows() == 0);
    t.add_numeric("z", {1.0});  // an emptied table takes any length again
    CHECK(t.num_rows() == 1);
}

TEST_CASE("from_matrix and to_matrix") {
    reprep::Matrix<double> X(3, 2);
    X << 1, 2, 3, 4, 5.5, kNaN;
    Table t = Table::from_matrix(X);
    CHECK(t.column_names() == std::vector<std::string>{"x0", "x1"});
    CHECK(t.numeric("x0")[2] == 5.5);
    CHECK(t.numeric("x1")[0] == 2.0);
    Table named = Table::from_matrix(X, {"p", "q"});
    CHECK(named.column_names() == std::vector<std::string>{"p", "q"});
    CHECK(contains(message_of<reprep::SchemaError>([&] { (void)Table::from_matrix(X, {"p"}); }), "1 names"));

    const reprep::Matrix<double> back = t.to_matrix();
    CHECK(back.rows() == 3);
    CHECK(back.cols() == 2);
    CHECK(back(1, 0) == 3.0);
    CHECK(std::isnan(back(2, 1)));
    const auto swapped = t.to_matrix({"x1", "x0"});
    CHECK(swapped(0, 0) == 2.0);
    CHECK(swapped(0, 1) == 1.0);

    // float: each double rounded once (0.1 -> nearest float).
    Table f;
    f.add_numeric("v", {0.1, 1e300});
    const auto mf = f.to_matrix<float>();
    CHECK(mf(0, 0) == 0.1f);
    CHECK(std::isinf(mf(1, 0)));

    Table mixed = small();
    CHECK(contains(message_of<reprep::SchemaError>([&] { (void)mixed.to_matrix(); }),
                   "column 'c': is categorical, expected numeric"));
    CHECK(mixed.to_matrix({"b", "a"})(3, 0) == 8.0);

    // Integer and float Eigen inputs are widened exactly.
    Eigen::MatrixXi I(2, 1);
    I << 7, -3;
    CHECK(Table::from_matrix(I).numeric("x0")[1] == -3.0);
}

TEST_CASE("select keeps the given order and refuses repeats") {
    Table t = small();
    Table s = t.select({"b", "c"});
    CHECK(s.column_names() == std::vector<std::string>{"b", "c"});
    CHECK(s.num_rows() == 4);
    CHECK(s.categorical("c").codes == t.categorical("c").codes);
    CHECK(contains(message_of<reprep::SchemaError>([&] { (void)t.select({"b", "b"}); }), "twice"));
    CHECK(contains(message_of<reprep::SchemaError>([&] { (void)t.select({"nope"}); }), "column 'nope'"));
}

TEST_CASE("rows gathers, repeats, compacts dictionaries and checks indices") {
    Table t = small();
    const std::vector<std::size_t> idx = {3, 1, 3};
    Table r = t.rows(idx);
    CHECK(r.num_rows() == 3);
    CHECK(r.numeric("a")[0] == 4.0);
    CHECK(r.numeric("b")[1] == 0.5);
    // Only "x" and missing are gathered: "y" must not leak into the subset's dictionary.
    CHECK(r.categorical("c").dictionary == std::vector<std::string>{"x"});
    CHECK(r.categorical("c").codes == std::vector<std::int32_t>{0, -1, 0});

    const std::vector<std::size_t> bad = {0, 4};
    const auto msg = message_of<reprep::InvalidInput>([&] { (void)t.rows(bad); });
    CHECK(contains(msg, "row 4"));
    CHECK(contains(msg, "position 1"));
    CHECK(t.rows(std::vector<std::size_t>{}).num_rows() == 0);
}

TEST_CASE("fingerprint is canonical: independent of dictionary order, unused entries and construction") {
    Table a;
    a.add_numeric("n", {0.0, kNaN, 2.0}).add_categorical("c", {"red", std::nullopt, "blue"});

    Table b;  // same data: another dictionary order, an unused entry, -0.0 and another NaN payload
    b.add_numeric("n", {-0.0, -std::numeric_limits<double>::quiet_NaN(), 2.0})
        .add_categorical("c", CategoricalColumn{{"green", "blue", "red"}, {2, -1, 1}});
    CHECK(a.fingerprint() == b.fingerprint());
    CHECK(a == b);

    Table c;  // built from plain strings
    c.add_numeric("n", {0.0, kNaN, 2.0}).add_categorical("c", std::vector<std::string>{"red", "NA", "blue"}, "NA");
    CHECK(c.fingerprint() == a.fingerprint());
    CHECK(c == a);

    // rows() with the identity permutation gives the same table.
    const std::vector<std::size_t> id = {0, 1, 2};
    CHECK(a.rows(id).fingerprint() == a.fingerprint());

    // Every difference shows: a value, a name, a type, missing vs a "" string, order of columns.
    Table d = a;
    d.set_numeric("n", {0.0, kNaN, 2.0000000000000004});
    CHECK(d.fingerprint() != a.fingerprint());
    CHECK_FALSE(d == a);

    Table e;
    e.add_numeric("m", {0.0, kNaN, 2.0}).add_categorical("c", {"red", std::nullopt, "blue"});
    CHECK(e.fingerprint() != a.fingerprint());
    CHECK_FALSE(e == a);

    Table f;
    f.add_numeric("n", {0.0, kNaN, 2.0}).add_categorical("c", {"red", "", "blue"});
    CHECK(f.fingerprint() != a.fingerprint());
    CHECK_FALSE(f == a);

    Table g;
    g.add_categorical("c", {"red", std::nullopt, "blue"}).add_numeric("n", {0.0, kNaN, 2.0});
    CHECK(g.fingerprint() != a.fingerprint());
    CHECK_FALSE(g == a);

    Table h;  // a categorical column whose strings spell the numbers is not the numeric column
    h.add_categorical("n", {"0", std::nullopt, "2"}).add_categorical("c", {"red", std::nullopt, "blue"});
    CHECK(h.fingerprint() != a.fingerprint());

    // Length-prefixed strings: "ab"+"c" differs from "a"+"bc".
    Table p, q;
    p.add_categorical("s", {"ab", "c"});
    q.add_categorical("s", {"a", "bc"});
    CHECK(p.fingerprint() != q.fingerprint());

    CHECK(Table{}.fingerprint() == Table{}.fingerprint());
    CHECK(Table{} == Table{});
    CHECK(a.fingerprint().hex().size() == 32);
}

TEST_CASE("fingerprint is pinned (the canonical byte layout is part of the contract)") {
    // The expected value is the XXH3-128 of the bytes documented in docs/table_csv.md,
    // assembled by hand here, so a change to the layout is caught.
    Table t;
    t.add_numeric("n", {1.5, kNaN}).add_categorical("c", {std::nullopt, "hi"});
    std::string bytes;
    auto str = [&](std::string_view s) {
        reprep::detail::append_le64(bytes, s.size());
        bytes.append(s);
    };
    str("reprep.table.v1");
    reprep::detail::append_le64(bytes, 2);
    reprep::detail::append_le64(bytes, 2);
    str("n");
    bytes.push_back('\0');
    reprep::detail::append_le64(bytes, 0x3FF8000000000000ULL);
    reprep::detail::append_le64(bytes, 0x7FF8000000000000ULL);
    str("c");
    bytes.push_back('\1');
    bytes.push_back('\0');
    bytes.push_back('\1');
    str("hi");
    CHECK(t.fingerprint() == reprep::xxh3_128(bytes));
}

TEST_CASE("a large table streams through the hasher the same as one buffer") {
    // More than the hasher's 64 KiB buffer, with long strings that bypass it.
    std::vector<double> v(20000);
    std::vector<std::string> s(20000);
    for (std::size_t i = 0; i < v.size(); ++i) {
        v[i] = static_cast<double>(i) * 0.25;
        s[i] = (i % 1000 == 0) ? std::string(70000, static_cast<char>('a' + i % 26)) : std::to_string(i % 37);
    }
    Table t;
    t.add_numeric("v", v).add_categorical("s", s);
    std::string bytes;
    auto str = [&](std::string_view x) {
        reprep::detail::append_le64(bytes, x.size());
        bytes.append(x);
    };
    str("reprep.table.v1");
    reprep::detail::append_le64(bytes, 2);
    reprep::detail::append_le64(bytes, v.size());
    str("v");
    bytes.push_back('\0');
    for (double x : v) reprep::detail::append_le64(bytes, reprep::detail::canonical_bits(x));
    str("s");
    bytes.push_back('\1');
    for (const auto& x : s) {
        bytes.push_back('\1');
        str(x);
    }
    CHECK(t.fingerprint() == reprep::xxh3_128(bytes));
}

TEST_CASE("set_categorical takes the value forms add_categorical takes, keeping the column's place") {
    Table t = small();
    t.set_categorical("c", std::vector<std::string>{"p", "NA", "q", "p"}, "NA");
    CHECK(t.column_names() == std::vector<std::string>{"a", "c", "b"});
    CHECK(t.category("c", 0) == std::optional<std::string_view>("p"));
    CHECK_FALSE(t.category("c", 1).has_value());
    CHECK(t.categorical("c").dictionary == std::vector<std::string>{"p", "q"});  // first-seen order
    // Without a token every string is a value, the empty one included.
    t.set_categorical("c", std::vector<std::string>{"", "NA", "", "x"});
    CHECK(t.category("c", 1) == std::optional<std::string_view>("NA"));
    CHECK(t.category("c", 0) == std::optional<std::string_view>(""));
    t.set_categorical("c", {"u", std::nullopt, "v", "u"});  // the initializer-list form
    CHECK_FALSE(t.category("c", 1).has_value());
    t.set_categorical("c", std::vector<std::optional<std::string>>{"w", "w", std::nullopt, "z"});
    CHECK(t.categorical("c").codes == std::vector<std::int32_t>{0, 0, -1, 1});
    // A numeric column may be replaced by a categorical one, and a new name appends.
    t.set_categorical("a", std::vector<std::string>{"1", "2", "3", "4"});
    CHECK(t.type("a") == ColumnType::categorical);
    t.set_categorical("d", {"e", "f", "g", "h"});
    CHECK(t.column_names() == std::vector<std::string>{"a", "c", "b", "d"});
    // Same rules as the other forms: the length must match, and nothing changes otherwise.
    const Table before = t;
    CHECK(contains(message_of<reprep::SchemaError>([&] { t.set_categorical("c", std::vector<std::string>{"x"}); }),
                   "has 1 values but the table has 4 rows"));
    CHECK(t == before);
}

TEST_CASE("filter_rows keeps the rows a mask or a predicate selects, in order") {
    const Table t = small();
    const Table kept = t.filter_rows(std::vector<bool>{true, false, true, false});
    REQUIRE(kept.num_rows() == 2);
    CHECK(kept.column_names() == t.column_names());
    CHECK(kept.numeric("b")[0] == -1.0);
    CHECK(kept.numeric("b")[1] == 2.5);
    // Dictionaries are compacted as rows() does: "x" and "y" survive, nothing else.
    CHECK(kept.categorical("c").dictionary == std::vector<std::string>{"x", "y"});
    const auto b = t.numeric("b");
    CHECK(t.filter_rows([&](std::size_t i) { return b[i] > 0; }) == t.rows(std::vector<std::size_t>{1, 2, 3}));
    CHECK(t.filter_rows([](std::size_t) { return true; }) == t);
    const Table none = t.filter_rows([](std::size_t) { return false; });
    CHECK(none.num_rows() == 0);
    CHECK(none.column_names() == t.column_names());
    CHECK(contains(message_of<reprep::InvalidInput>([&] { (void)t.filter_rows(std::vector<bool>{true, false}); }),
                   "filter_rows(): the mask has 2 values for 4 rows"));
}

TEST_CASE("drop_missing is pandas' dropna(subset=...): NaN or a missing category drops the row") {
    const Table t = small();  // a: NaN at row 2; c: missing at row 1
    CHECK(t.drop_missing({"a"}) == t.rows(std::vector<std::size_t>{0, 1, 3}));
    CHECK(t.drop_missing({"c"}) == t.rows(std::vector<std::size_t>{0, 2, 3}));
    CHECK(t.drop_missing({"a", "c"}) == t.rows(std::vector<std::size_t>{0, 3}));
    CHECK(t.drop_missing() == t.rows(std::vector<std::size_t>{0, 3}));  // every column
    CHECK(t.drop_missing({"b"}) == t);                                    // b has no missing value
    // An unknown column is refused before any work, naming it.
    const std::string m = message_of<reprep::SchemaError>([&] { (void)t.drop_missing({"a", "nope"}); });
    CHECK(contains(m, "column 'nope'"));
    CHECK(contains(m, "no such column"));
    // The source is untouched.
    CHECK(t == small());
}

TEST_CASE("accessors on a temporary table return values, not references into it") {
    // With references these loops would read a destroyed table (ASan: stack-use-after-scope).
    std::vector<std::string> names;
    for (const auto& n : small().column_names()) names.push_back(n);
    CHECK(names == std::vector<std::string>{"a", "c", "b"});
    double sum = 0;
    for (double x : small().numeric("b")) sum += x;
    CHECK(sum == 10.0);
    std::size_t missing = 0;
    for (auto code : small().categorical("c").codes) missing += code < 0 ? 1 : 0;
    CHECK(missing == 1);
    const std::optional<std::string> v = small().category("c", 2);
    CHECK(v == std::optional<std::string>("y"));
    CHECK_FALSE(small().category("c", 1).has_value());
    // On a named table the accessors still return references (no copy).
    const Table t = small();
    CHECK(&t.column_names() == &t.column_names());
}

TEST_CASE("copies share columns; replacing a column in one copy leaves the other as it was") {
    Table a;
    a.add_numeric("x", {1.0, 2.0, 3.0}).add_categorical("c", {"p", "q", std::nullopt});
    Table b = a;
    // Shared storage: a copy does not copy the values (issue 17's batch path relies on it).
    CHECK(b.numeric("x").data() == a.numeric("x").data());
    CHECK(&b.categorical("c") == &a.categorical("c"));
    b.set_numeric("x", {7.0, 8.0, 9.0}).set_categorical("c", {"r", "r", "r"});
    CHECK(a.numeric("x")[0] == 1.0);
    CHECK(a.category("c", 0) == "p");
    CHECK(b.numeric("x")[0] == 7.0);
    b.remove("c");
    CHECK(a.has_column("c"));
    CHECK(a.fingerprint() != b.fingerprint());
}

TEST_CASE("set_numeric_block stores a column-major block; numeric_block reads it back without a copy") {
    const std::size_t n = 4;
    std::shared_ptr<double[]> block(new double[3 * n]);
    for (std::size_t k = 0; k < 3 * n; ++k) block[k] = static_cast<double>(k) + 0.5;
    Table t;
    t.add_categorical("c", {"a", "b", "a", "b"}).add_numeric("y", {1, 2, 3, 4});
    t.set_numeric_block({"p", "y", "q"}, block, n);  // "y" is replaced in place, p and q appended
    CHECK(t.column_names() == std::vector<std::string>{"c", "y", "p", "q"});
    CHECK(t.numeric("p")[0] == 0.5);
    CHECK(t.numeric("y")[3] == 7.5);
    CHECK(t.numeric("q")[1] == 9.5);

    // Equal to a table built column by column: the storage is not observable.
    Table u;
    u.add_categorical("c", {"a", "b", "a", "b"})
        .add_numeric("y", {4.5, 5.5, 6.5, 7.5})
        .add_numeric("p", {0.5, 1.5, 2.5, 3.5})
        .add_numeric("q", {8.5, 9.5, 10.5, 11.5});
    CHECK(t == u);
    CHECK(t.fingerprint() == u.fingerprint());

    const auto all = t.numeric_block({"p", "y", "q"});
    REQUIRE(all.has_value());
    CHECK(all->data() == block.get());
    CHECK(all->rows() == 4);
    CHECK(all->cols() == 3);
    CHECK((*all)(2, 1) == 6.5);
    // Every other column at a constant stride is still one view.
    const auto ends = t.numeric_block({"p", "q"});
    REQUIRE(ends.has_value());
    CHECK((*ends)(3, 1) == 11.5);
    CHECK(ends->outerStride() == 8);
    // Not in the block's order, not one buffer, or not numeric: no view (to_matrix copies).
    CHECK_FALSE(t.numeric_block({"q", "p"}).has_value());
    CHECK_FALSE(u.numeric_block({"p", "q"}).has_value());
    CHECK_FALSE(t.numeric_block({"p", "c"}).has_value());
    CHECK_FALSE(t.numeric_block({"p", "nope"}).has_value());
    CHECK_FALSE(t.numeric_block({}).has_value());
    // One column is always a view, wherever it lives.
    REQUIRE(u.numeric_block({"q"}).has_value());
    CHECK(u.numeric_block({"q"})->data() == u.numeric("q").data());
    // The block outlives the pointer the caller held: the table shares its ownership.
    block.reset();
    CHECK(t.numeric("q")[3] == 11.5);
}

TEST_CASE("set_numeric_block refuses repeated names and wrong lengths, and then changes nothing") {
    std::shared_ptr<double[]> block(new double[6]());
    Table t;
    t.add_numeric("a", {1, 2, 3});
    const auto before = t.fingerprint();
    CHECK(message_of<reprep::SchemaError>([&] { t.set_numeric_block({"b", "b"}, block, 3); })
              .find("names this column twice") != std::string::npos);
    CHECK(message_of<reprep::SchemaError>([&] { t.set_numeric_block({"b", "c"}, block, 2); })
              .find("has 2 values but the table has 3 rows") != std::string::npos);
    CHECK(t.fingerprint() == before);
    CHECK(t.column_names() == std::vector<std::string>{"a"});
}

// ---- datetime columns (issue 19, item 1) ----------------------------------------------

TEST_CASE("datetime columns: built, shared, gathered, dropped when missing, in the fingerprint and equality") {
    using reprep::kNaT;
    Table t;
    t.add_datetime("d", {0, 86'400'000'000'000, kNaT}).add_numeric("x", {1, 2, 3});
    CHECK(t.type("d") == ColumnType::datetime);
    CHECK(reprep::to_string(ColumnType::datetime) == "datetime");
    CHECK(t.datetime("d")[1] == 86'400'000'000'000);
    CHECK(message_of<reprep::SchemaError>([&] { (void)t.numeric("d"); }).find("is datetime, expected numeric") != std::string::npos);
    CHECK(message_of<reprep::SchemaError>([&] { (void)t.datetime("x"); }).find("expected datetime") != std::string::npos);
    CHECK_THROWS_AS((void)t.to_matrix(), reprep::SchemaError);
    CHECK_THROWS_AS(t.add_datetime("e", {1}), reprep::SchemaError);  // wrong length

    const Table copy = t;  // shares the values
    CHECK(copy.datetime("d").data() == t.datetime("d").data());
    const std::size_t idx[] = {2, 0, 0};
    const Table g = t.rows(idx);
    CHECK(g.datetime("d")[0] == kNaT);
    CHECK(g.datetime("d")[2] == 0);
    CHECK(t.drop_missing().num_rows() == 2);
    CHECK(t.select({"d"}).datetime("d")[1] == 86'400'000'000'000);

    Table u = t;
    CHECK(u == t);
    CHECK(u.fingerprint() == t.fingerprint());
    u.set_datetime("d", {0, 86'400'000'000'001, kNaT});
    CHECK_FALSE(u == t);
    CHECK(u.fingerprint() != t.fingerprint());
    // A datetime column is not the numeric column of the same int64 values.
    Table n;
    n.add_numeric("d", {0, 86'400'000'000'000, kNaN}).add_numeric("x", {1, 2, 3});
    CHECK_FALSE(n == t);
    CHECK(n.fingerprint() != t.fingerprint());
}

TEST_CASE("calendar arithmetic: days_from_civil and civil_from_days invert each other over +-1,000,000 days") {
    using namespace reprep;
    // Day by day the date must advance by exactly one calendar day, and map back.
    CivilDate prev = civil_from_days(-1'000'001);
    for (std::int64_t z = -1'000'000; z <= 1'000'000; ++z) {
        const CivilDate c = civil_from_days(z);
        const bool next_day = c.year == prev.year && c.month == prev.month && c.day == prev.day + 1;
        const bool next_month = c.day == 1 && prev.day == days_in_month(prev.year, prev.month) &&
                                ((c.year == prev.year && c.month == prev.month + 1) ||
                                 (c.year == prev.year + 1 && c.month == 1 && prev.month == 12));
        if (!(next_day || next_month) || days_from_civil(c.year, c.month, c.day) != z) {
            FAIL("day " << z << " is " << c.year << "-" << c.month << "-" << c.day);
        }
        prev = c;
    }
    CHECK(civil_from_days(0) == CivilDate{1970, 1, 1});
    CHECK(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28) == 2);  // 2000 is a leap year
    CHECK(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28) == 1);  // 1900 is not
    CHECK(day_of_week(0) == 3);                                            // a Thursday
    CHECK(iso_week(days_from_civil(2021, 1, 3)) == 53);                    // still 2020's week 53
    CHECK(iso_week(days_from_civil(2021, 1, 4)) == 1);
}

// The first and the last day of the range: the day's start lies outside int64 there, so
// the time of day must come from the remainder (fuzz_artifact found the overflow under
// UBSan, which this unit also runs under in the dev tree). Expected values from pandas
// 1.5: pd.to_datetime([-9223372036854775807, ...], unit="ns").dt.*
TEST_CASE("datetime range ends: features and text without overflow") {
    using namespace reprep;
    const std::int64_t first = kNaT + 1, last = std::numeric_limits<std::int64_t>::max();
    CHECK(floor_mod(first, kNanosPerDay) == 763'145'224'193);  // 00:12:43.145224193
    CHECK(floor_mod(-1, kNanosPerDay) == kNanosPerDay - 1);
    char buf[32];
    CHECK(std::string(buf, format_datetime(first, buf)) == "1677-09-21T00:12:43.145224193");
    CHECK(std::string(buf, format_datetime(last, buf)) == "2262-04-11T23:47:16.854775807");
    Table t;
    t.add_datetime("d", {first, first + kNanosPerDay - 1, last});
    DatetimeFeatures f({.features_to_extract = {"year", "month", "day_of_month", "day_of_week", "day_of_year", "week",
                                                "hour", "minute", "second"}});
    const Table out = f.fit(t).transform(t);
    const std::map<std::string, std::vector<double>> want = {
        {"d_year", {1677, 1677, 2262}},     {"d_month", {9, 9, 4}},    {"d_day_of_month", {21, 22, 11}},
        {"d_day_of_week", {1, 2, 4}},       {"d_day_of_year", {264, 265, 101}}, {"d_week", {38, 38, 15}},
        {"d_hour", {0, 0, 23}},             {"d_minute", {12, 12, 47}}, {"d_second", {43, 43, 16}}};
    const auto names = f.feature_names_out();
    REQUIRE(names.size() == want.size());
    for (const auto& name : names) {
        REQUIRE(want.count(name) == 1);
        const auto col = out.numeric(name);
        for (std::size_t i = 0; i < 3; ++i) CHECK_MESSAGE(col[i] == want.at(name)[i], name << " row " << i);
    }
}
