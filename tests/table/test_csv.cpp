// read_csv / write_csv: penguins, RFC 4180 quoting, line ends, type inference and
// overrides, every bad-input rule with its line and field, and bit-exact round trips.
#include <doctest/doctest.h>

#include <reprep/core/chunk_source.hpp>
#include <reprep/core/csv.hpp>

#include <algorithm>
#include <bit>
#include <fstream>
#include <optional>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "../scratch_dir.hpp"
#include "../support/splitmix.hpp"

using reprep::ColumnType;
using reprep::CsvOptions;
using reprep::read_csv_string;
using reprep::Table;
using reprep::ChunkSource;
using reprep::CsvChunks;
using reprep::InvalidInput;
using reprep::InvalidParameter;
using reprep::IoError;
using reprep::read_csv;

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

// The read_csv error for `text`, which must be an InvalidInput.
std::string bad(std::string_view text, const CsvOptions& o = {}) {
    return message_of<reprep::InvalidInput>([&] { (void)read_csv_string(text, o); });
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string to_csv(const Table& t, const CsvOptions& o = {}) {
    std::ostringstream os;
    reprep::write_csv(t, os, o);
    return os.str();
}

std::vector<std::string> strings_of(const Table& t, const std::string& col) {
    std::vector<std::string> out;
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
        const auto v = t.category(col, r);
        std::string shown = v ? "=" : "<NA>";  // not "=" + s: GCC 12 -Wrestrict misfires on that
        if (v) shown += *v;
        out.push_back(std::move(shown));
    }
    return out;
}

// Every double's exact bits, NaN included.
bool same_bits(std::span<const double> a, std::span<const double> b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i])) return false;
    }
    return true;
}
}  // namespace

TEST_CASE("penguins: 344 rows, 8 columns, types inferred, NA missing") {
    const Table t = reprep::read_csv(std::filesystem::path(REPREP_TEST_DATA_DIR) / "penguins.csv");
    CHECK(t.num_rows() == 344);
    CHECK(t.column_names() == std::vector<std::string>{"species", "island", "bill_length_mm", "bill_depth_mm",
                                                       "flipper_length_mm", "body_mass_g", "sex", "year"});
    for (const char* c : {"species", "island", "sex"}) CHECK(t.type(c) == ColumnType::categorical);
    for (const char* c : {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"}) {
        CHECK(t.type(c) == ColumnType::numeric);
    }
    CHECK(t.category("species", 0) == std::optional<std::string_view>("Adelie"));
    CHECK(t.category("island", 343) == std::optional<std::string_view>("Dream"));
    CHECK(t.numeric("bill_length_mm")[0] == 39.1);
    CHECK(t.numeric("bill_depth_mm")[2] == 18.0);
    CHECK(std::isnan(t.numeric("body_mass_g")[3]));
    CHECK_FALSE(t.category("sex", 3).has_value());
    CHECK(t.numeric("year")[343] == 2009.0);

    auto count_missing_num = [&](const char* c) {
        std::size_t n = 0;
        for (double x : t.numeric(c)) n += std::isnan(x) ? 1 : 0;
        return n;
    };
    CHECK(count_missing_num("bill_length_mm") == 2);
    CHECK(count_missing_num("body_mass_g") == 2);
    std::size_t sex_missing = 0;
    for (auto code : t.categorical("sex").codes) sex_missing += code < 0 ? 1 : 0;
    CHECK(sex_missing == 11);
    CHECK(t.categorical("species").dictionary.size() == 3);
    double mass = 0;  // integers: the sum is exact in any order
    for (double x : t.numeric("body_mass_g")) mass += std::isnan(x) ? 0.0 : x;
    CHECK(mass == 1437000.0);

    // The same bytes through a stream and a string give the same table.
    std::ifstream f(std::filesystem::path(REPREP_TEST_DATA_DIR) / "penguins.csv", std::ios::binary);
    const Table s = reprep::read_csv(f);
    CHECK(s == t);
    CHECK(s.fingerprint() == t.fingerprint());

    // write -> read gives identical bits.
    const Table back = read_csv_string(to_csv(t));
    CHECK(back == t);
    CHECK(back.fingerprint() == t.fingerprint());
    CHECK(same_bits(back.numeric("bill_length_mm"), t.numeric("bill_length_mm")));
}

TEST_CASE("RFC 4180 quoting: separators, doubled quotes, line breaks inside quotes") {
    const Table t = read_csv_string(
        "name,note,n\n"
        "\"Smith, J\",\"said \"\"hi\"\"\",1\n"
        "\"multi\nline\",\"\"\"\",2\n"
        "plain,\"a\r\nb\",3\n");
    REQUIRE(t.num_rows() == 3);
    CHECK(strings_of(t, "name") == std::vector<std::string>{"=Smith, J", "=multi\nline", "=plain"});
    CHECK(strings_of(t, "note") == std::vector<std::string>{"=said \"hi\"", "=\"", "=a\r\nb"});
    CHECK(t.numeric("n")[2] == 3.0);

    // Quoted header names, a quoted number is still a number.
    const Table h = read_csv_string("\"a,b\",\"c\"\"d\"\n\"1.5\",x\n");
    CHECK(h.column_names() == std::vector<std::string>{"a,b", "c\"d"});
    CHECK(h.type("a,b") == ColumnType::numeric);
    CHECK(h.numeric("a,b")[0] == 1.5);
}

TEST_CASE("a quoted field is always a value; unquoted NA tokens are missing") {
    const Table t = read_csv_string("s,m\nNA,1\n\"NA\",2\n,3\n\"\",4\nnull,5\nNaN,6\nnan,7\n");
    CHECK(strings_of(t, "s") == std::vector<std::string>{"<NA>", "=NA", "<NA>", "=", "<NA>", "<NA>", "=nan"});

    // Custom NA tokens replace the defaults.
    CsvOptions o;
    o.na_values = {"?"};
    const Table u = read_csv_string("a,b\n?,x\n,y\n2,?\n", o);
    CHECK(u.type("a") == ColumnType::categorical);  // "" is a string now, not missing
    CHECK(strings_of(u, "a") == std::vector<std::string>{"<NA>", "=", "=2"});
    CHECK(strings_of(u, "b") == std::vector<std::string>{"=x", "=y", "<NA>"});
}

TEST_CASE("line ends: LF, CRLF, no final line end, a BOM") {
    const Table lf = read_csv_string("a,b\n1,x\n2,y\n");
    CHECK(read_csv_string("a,b\r\n1,x\r\n2,y\r\n") == lf);
    CHECK(read_csv_string("a,b\n1,x\r\n2,y") == lf);
    CHECK(read_csv_string("\xEF\xBB\xBF" "a,b\n1,x\n2,y") == lf);
    CHECK(read_csv_string("a,b\n1,x\n2,y\n").column_names()[0] == "a");
    // A trailing separator at the end of the input is a final empty field.
    const Table e = read_csv_string("a,b\n1,");
    CHECK(e.num_rows() == 1);
    CHECK(std::isnan(e.numeric("b")[0]));
}

TEST_CASE("number grammar and type inference") {
    const Table t = read_csv_string(
        "plus,inf,ints,exp,dot,space,hex,words\n"
        "+1.5,inf,1,1e3,.5, 1,0x10,1\n"
        "-2,-Infinity,-0,2.5E-3,5.,2,1,two\n"
        "3,+INF,7,-1e+2,0.,3,2,3\n");
    CHECK(t.type("plus") == ColumnType::numeric);
    CHECK(t.numeric("plus")[0] == 1.5);
    CHECK(t.type("inf") == ColumnType::numeric);
    CHECK(t.numeric("inf")[0] == std::numeric_limits<double>::infinity());
    CHECK(t.numeric("inf")[1] == -std::numeric_limits<double>::infinity());
    CHECK(std::signbit(t.numeric("ints")[1]));  // -0 keeps its sign in the table
    CHECK(t.numeric("exp")[1] == 2.5e-3);
    CHECK(t.numeric("exp")[2] == -100.0);
    CHECK(t.numeric("dot")[0] == 0.5);
    CHECK(t.numeric("dot")[1] == 5.0);
    CHECK(t.type("space") == ColumnType::categorical);  // no trimming
    CHECK(t.type("hex") == ColumnType::categorical);
    CHECK(t.type("words") == ColumnType::categorical);

    // Correct rounding: halfway and near-halfway cases, a subnormal, the largest double.
    const Table r = read_csv_string(
        "v\n0.1\n9007199254740993\n2.2250738585072011e-308\n4.9e-324\n1.7976931348623157e308\n"
        "0.30000000000000004\n");
    const auto v = r.numeric("v");
    CHECK(v[0] == 0.1);
    CHECK(v[1] == 9007199254740992.0);  // ties to even
    CHECK(v[2] == 2.2250738585072011e-308);
    CHECK(v[3] == std::numeric_limits<double>::denorm_min());
    CHECK(v[4] == std::numeric_limits<double>::max());
    CHECK(v[5] == 0.1 + 0.2);

    // "nan" is a number that means missing; with a nan and a word the column is categorical.
    const Table n = read_csv_string("a\n1\nnan\n-NaN\n");
    CHECK(n.type("a") == ColumnType::numeric);
    CHECK(std::bit_cast<std::uint64_t>(n.numeric("a")[2]) == 0x7ff8000000000000ULL);

    // Overflow / underflow to zero are not numbers; the column stays text when inferred.
    CHECK(read_csv_string("a\n1e400\n").type("a") == ColumnType::categorical);
    CHECK(read_csv_string("a\n1e-400\n").type("a") == ColumnType::categorical);
    CHECK(read_csv_string("a\n0e-400\n").numeric("a")[0] == 0.0);

    // A column of only missing values, and a header-only file, are numeric (vacuously).
    CHECK(read_csv_string("a,b\nNA,1\n,2\n").type("a") == ColumnType::numeric);
    const Table h = read_csv_string("a,b\n");
    CHECK(h.num_rows() == 0);
    CHECK(h.num_columns() == 2);
}

TEST_CASE("a column that turns out to be text late keeps every earlier string exactly") {
    // Column b looks numeric for three rows (spelled in ways a number would not
    // round-trip: "1.50", "+2", "\"3\""), then holds a word; a has doubled quotes and
    // a line break before that point.
    const std::string text =
        "a,b,c\n"
        "\"x\"\"y\",1.50,1\n"
        "\"multi\nline\",+2,2\n"
        "plain,NA,3\n"
        "z,\"3\",4\n"
        "w,word,5\n"
        "v,1.50,6\n";
    const Table t = read_csv_string(text);
    CHECK(t.type("b") == ColumnType::categorical);
    CHECK(strings_of(t, "b") == std::vector<std::string>{"=1.50", "=+2", "<NA>", "=3", "=word", "=1.50"});
    CHECK(t.categorical("b").dictionary == std::vector<std::string>{"1.50", "+2", "3", "word"});  // first seen
    CHECK(strings_of(t, "a") == std::vector<std::string>{"=x\"y", "=multi\nline", "=plain", "=z", "=w", "=v"});
    CHECK(t.type("c") == ColumnType::numeric);
    CHECK(t.numeric("c")[5] == 6.0);

    // The same without a header, and with the switch on the very last row.
    CsvOptions o;
    o.header = false;
    const Table u = read_csv_string("1,\"a\"\"\"\n2,b\n3,c\nend,d\n", o);
    CHECK(strings_of(u, "x0") == std::vector<std::string>{"=1", "=2", "=3", "=end"});
    CHECK(strings_of(u, "x1") == std::vector<std::string>{"=a\"", "=b", "=c", "=d"});

    // Several columns switching in the same record (a text footer), and in different records.
    const Table f = read_csv_string("a,b,c\n1,2,3\n4,x,6\n7,8,9\nTotal,NA,\"sum \"\"all\"\"\"\n");
    CHECK(strings_of(f, "a") == std::vector<std::string>{"=1", "=4", "=7", "=Total"});
    CHECK(strings_of(f, "b") == std::vector<std::string>{"=2", "=x", "=8", "<NA>"});
    CHECK(strings_of(f, "c") == std::vector<std::string>{"=3", "=6", "=9", "=sum \"all\""});

    // Errors in rows after the switch are still reported where they are.
    CHECK(contains(bad("a,b\n1,2\nx,3\n4\n"), "line 4, field 2: the record has 1 fields"));
}

TEST_CASE("the number parser accepts exactly the documented grammar") {
    // parse_double may take a faster path than the grammar check; both must agree.
    const std::vector<std::string> accepted = {
        "0", "-0", "+0", "1", "+1.5", "-2.", ".5", "-.5", "1e5", "1E+5", "1e-5", "12.34e056", "inf", "-INF",
        "+Infinity", "infinity", "nan", "NaN", "-nan", "+NAN", "00012", "1e400", "1e-400"};
    const std::vector<std::string> rejected = {
        "", "+", "-", ".", "e5", "1e", "1e+", "+-1", "-+1", "++1", "--1", " 1", "1 ", "1,5", "0x10", "0x1p3",
        "nan(1)", "nan()", "infin", "in", "na", "1.2.3", "1e5.5", "1_000", "\xEF\xBC\x91", "١", "1d", "1f",
        "inf1", "nan1", "e", "E", "+.", "-.e1"};
    double v = 0;
    for (const auto& s : accepted) {
        CAPTURE(s);
        CHECK(reprep::detail::matches_number_grammar(s));
        CHECK(reprep::detail::parse_double(s, v) != reprep::detail::NumberParse::not_a_number);
    }
    for (const auto& s : rejected) {
        CAPTURE(s);
        CHECK_FALSE(reprep::detail::matches_number_grammar(s));
        CHECK(reprep::detail::parse_double(s, v) == reprep::detail::NumberParse::not_a_number);
    }
    CHECK(reprep::detail::parse_double("1e400", v) == reprep::detail::NumberParse::out_of_range);
    CHECK(reprep::detail::parse_double("-1e-400", v) == reprep::detail::NumberParse::out_of_range);
    CHECK(reprep::detail::parse_double("+1e-320", v) == reprep::detail::NumberParse::ok);
    CHECK(v == 1e-320);
}

TEST_CASE("per-column type overrides") {
    CsvOptions o;
    o.column_types = {{"zip", ColumnType::categorical}, {"x", ColumnType::numeric}};
    const Table t = read_csv_string("zip,x,y\n01234,1,a\n99999,NA,b\n", o);
    CHECK(t.type("zip") == ColumnType::categorical);
    CHECK(strings_of(t, "zip") == std::vector<std::string>{"=01234", "=99999"});
    CHECK(t.type("x") == ColumnType::numeric);
    CHECK(std::isnan(t.numeric("x")[1]));

    // A declared-numeric column with text names the line, the field, the column and the value.
    const auto m = bad("zip,x,y\n01234,1,a\n99999,oops,b\n", o);
    CHECK(contains(m, "read_csv: column 'x': line 3, field 2: value 'oops' is not a number"));
    CHECK(contains(m, "declared numeric"));
    CHECK(contains(bad("zip,x,y\n1,1e999,a\n", o), "value '1e999' is out of the range of a double"));

    // An override for a column the file lacks.
    CsvOptions missing;
    missing.column_types = {{"nope", ColumnType::numeric}};
    CHECK(contains(message_of<reprep::SchemaError>([&] { (void)read_csv_string("a\n1\n", missing); }),
                   "column 'nope'"));
}

TEST_CASE("header = false names columns x0, x1, ... and other separators") {
    CsvOptions o;
    o.header = false;
    o.separator = ';';
    const Table t = read_csv_string("1;a\n2;b\n", o);
    CHECK(t.column_names() == std::vector<std::string>{"x0", "x1"});
    CHECK(t.num_rows() == 2);
    CHECK(t.numeric("x0")[1] == 2.0);
    CHECK(contains(bad("1;a\n2;b;c\n", o), "line 2, field 3"));

    CsvOptions tab;
    tab.separator = '\t';
    CHECK(read_csv_string("a\tb\n1,5\t2\n", tab).type("a") == ColumnType::categorical);

    CsvOptions dot;
    dot.separator = '.';
    CHECK(contains(message_of<reprep::InvalidParameter>([&] { (void)read_csv_string("a\n", dot); }),
                   "separator '.' is not allowed"));
}

TEST_CASE("empty input is an empty table") {
    CHECK(read_csv_string("").num_columns() == 0);
    CHECK(read_csv_string("\xEF\xBB\xBF").num_rows() == 0);
    std::istringstream in("");
    CHECK(reprep::read_csv(in) == Table{});
}

TEST_CASE("bad input: InvalidInput naming the line and the field") {
    SUBCASE("ragged rows") {
        const auto few = bad("a,b,c\n1,2,3\n4,5\n");
        CHECK(contains(few, "read_csv: column 'c': line 3, field 3: the record has 2 fields but the header has 3"));
        const auto many = bad("a,b\n1,2\n3,4,5\n");
        CHECK(contains(many, "line 3, field 3: the record has 3 fields but the header has 2"));
        // A blank line inside multi-column data is a ragged row, not skipped.
        CHECK(contains(bad("a,b\n1,2\n\n3,4\n"), "line 3, field 2: the record has 1 fields"));
        // Line numbers count the line breaks inside quoted fields.
        CHECK(contains(bad("a,b\n\"x\ny\",1\n2\n"), "line 4, field 2"));
    }
    SUBCASE("unterminated quote: reported at the line where it opens") {
        const auto m = bad("a,b\n1,2\n3,\"abc\n4,5\n");
        CHECK(contains(m, "column 'b': line 3, field 2: a quoted field is never closed"));
        CHECK(contains(bad("\"a,b\n"), "line 1, field 1: a quoted field is never closed"));
    }
    SUBCASE("a quote in the middle of an unquoted field") {
        CHECK(contains(bad("a,b\n1,ab\"c\n"), "column 'b': line 2, field 2: a quote inside an unquoted field"));
    }
    SUBCASE("text after a closing quote") {
        CHECK(contains(bad("a,b\n\"x\"y,1\n"), "line 2, field 1: unexpected character 'y' after a closing quote"));
    }
    SUBCASE("a bare carriage return") {
        CHECK(contains(bad("a,b\r1,2\n"), "line 1, field 2: a carriage return not followed by a line feed"));
    }
    SUBCASE("duplicate column names in the header") {
        const auto m = bad("a,b,a\n1,2,3\n");
        CHECK(contains(m, "column 'a': line 1, field 3: the header repeats the column name 'a' (first at field 1)"));
    }
    SUBCASE("invalid UTF-8: every kind, with its line and field") {
        struct Case {
            std::string bytes;
            const char* reason;
        };
        const std::vector<Case> cases = {
            {"\x80", "a continuation byte without a lead byte"},
            {"\xC0\xAF", "an overlong encoding"},            // '/' in two bytes
            {"\xC1\xBF", "an overlong encoding"},
            {"\xE0\x80\xAF", "an overlong encoding"},        // three-byte overlong
            {"\xF0\x80\x80\xAF", "an overlong encoding"},    // four-byte overlong
            {"\xED\xA0\x80", "a UTF-16 surrogate"},          // U+D800
            {"\xED\xBF\xBF", "a UTF-16 surrogate"},          // U+DFFF
            {"\xF4\x90\x80\x80", "a code point above U+10FFFF"},
            {"\xF5\x80\x80\x80", "a code point above U+10FFFF"},
            {"\xFF", "a byte that never occurs in UTF-8"},
            {"\xC3", "a truncated multi-byte sequence"},
            {"\xE2\x82", "a truncated multi-byte sequence"},
            {"\xF0\x9F\x98", "a truncated multi-byte sequence"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.reason);
            const std::string text = "a,b\n1,x\n2,\"ok\"\n3,zz" + c.bytes + "zz\n";
            const auto m = bad(text);
            CHECK(contains(m, "column 'b': line 4, field 2: invalid UTF-8: "));
            CHECK(contains(m, c.reason));
            CHECK(contains(m, "byte offset " + std::to_string(text.find(c.bytes))));
        }
        // Inside a quoted field spanning lines: the line of the bad byte itself; also in the header.
        CHECK(contains(bad("a,b\n1,\"x\ny\xC0\xAF\"\n"), "line 3, field 2: invalid UTF-8"));
        CHECK(contains(bad("a,b\n1,\"x\"\"\ny\"\"\nz\xC0\xAF\"\n"), "line 4, field 2: invalid UTF-8"));
        CHECK(contains(bad("a,\xFF\n1,2\n"), "line 1, field 2: invalid UTF-8"));
        // Valid multi-byte text at every length, including the extremes, passes.
        const Table ok = read_csv_string("s\n\xC2\x80\n\xDF\xBF\n\xE0\xA0\x80\n\xED\x9F\xBF\n\xEE\x80\x80\n"
                                         "\xF0\x90\x80\x80\n\xF4\x8F\xBF\xBF\nh\xC3\xA9llo w\xC3\xB6rld \xF0\x9F\x90\xA7\n");
        CHECK(ok.num_rows() == 8);
        CHECK(ok.category("s", 6) == std::optional<std::string_view>("\xF4\x8F\xBF\xBF"));
    }
    SUBCASE("the file name appears in errors from read_csv(path)") {
        const auto m = message_of<reprep::IoError>(
            [] { (void)reprep::read_csv(std::filesystem::path(REPREP_TEST_DATA_DIR) / "no_such_file.csv"); });
        CHECK(contains(m, "cannot open"));
        CHECK(contains(m, "No such file or directory"));
        CHECK(contains(m, "no_such_file.csv"));
    }
}

TEST_CASE("the UTF-8 validator agrees with a code-point decoder on every 1-3 byte sequence") {
    // A reference classification from the definition: decode, then check range,
    // minimal length and surrogates. Exhaustive over two- and three-byte strings
    // (the fast ASCII path is exercised by padding to 8+ bytes).
    auto reference_valid = [](const std::string& s) {
        std::size_t i = 0;
        while (i < s.size()) {
            const auto c = static_cast<unsigned char>(s[i]);
            int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
            if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) return false;
            std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
            for (int k = 1; k < len; ++k) {
                const auto d = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
                if ((d & 0xC0) != 0x80) return false;
                cp = (cp << 6) | (d & 0x3Fu);
            }
            const std::uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
            if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
            i += static_cast<std::size_t>(len);
        }
        return true;
    };
    std::size_t checked = 0, mismatches = 0;
    for (unsigned a = 0; a < 256; ++a) {
        for (unsigned b = 0x70; b < 256; ++b) {  // below 0x70 every second byte is plain ASCII
            for (unsigned c : {0x41u, 0x80u, 0x8Fu, 0x90u, 0x9Fu, 0xA0u, 0xBFu, 0xC0u}) {
                std::string s = "abcdefgh";
                s.push_back(static_cast<char>(a));
                s.push_back(static_cast<char>(b));
                s.push_back(static_cast<char>(c));
                const bool got = reprep::detail::find_invalid_utf8(s).offset == std::string_view::npos;
                mismatches += got != reference_valid(s) ? 1 : 0;
                ++checked;
            }
        }
    }
    CHECK(checked > 100000);
    CHECK(mismatches == 0);
}

TEST_CASE("write_csv -> read_csv round trip is bit-identical") {
    Table t;
    t.add_numeric("x", {0.1, -0.0, kNaN, std::numeric_limits<double>::infinity(),
                        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min(),
                        std::numeric_limits<double>::max(), 1e21, 123456789.123456789})
        .add_categorical("s", {"plain", "with,comma", "with \"quotes\"", "line\nbreak", "", "NA", std::nullopt,
                               "cr\r\nlf", "\xEF\xBB\xBF" "bom"})
        .add_categorical("n", {"1", "2", "3", "4", "5", "6", "7", "8", std::nullopt});
    const std::string text = to_csv(t);
    CHECK(text.substr(0, 6) == "x,s,n\n");
    CHECK(contains(text, "\"with,comma\""));
    CHECK(contains(text, "\"with \"\"quotes\"\"\""));
    CHECK(contains(text, ",\"\","));    // a present empty string is quoted
    CHECK(contains(text, ",\"NA\","));  // so is a string equal to an NA token

    CsvOptions o;
    o.column_types = {{"n", ColumnType::categorical}};  // all-digit strings would otherwise read as numbers
    const Table back = read_csv_string(text, o);
    CHECK(back == t);
    CHECK(back.fingerprint() == t.fingerprint());
    CHECK(same_bits(back.numeric("x").subspan(0, 2), t.numeric("x").subspan(0, 2)));  // -0.0 keeps its sign
    CHECK(same_bits(back.numeric("x").subspan(3), t.numeric("x").subspan(3)));
    CHECK(strings_of(back, "s") == strings_of(t, "s"));

    // Without the override the digit strings come back numeric: the documented limit.
    CHECK(read_csv_string(text).type("n") == ColumnType::numeric);

    // Another separator, no header.
    CsvOptions semi;
    semi.separator = ';';
    semi.header = false;
    semi.column_types = {{"x2", ColumnType::categorical}};
    Table named = back;
    Table renamed;
    renamed.add_numeric("x0", std::vector<double>(named.numeric("x").begin(), named.numeric("x").end()))
        .add_categorical("x1", named.categorical("s"))
        .add_categorical("x2", named.categorical("n"));
    CHECK(read_csv_string(to_csv(renamed, semi), semi) == renamed);
}

TEST_CASE("round trip of many random doubles is bit-identical") {
    // A fixed-seed SplitMix64 stream of raw bit patterns: every exponent, subnormals,
    // both zeros; NaN patterns are replaced by the canonical missing value.
    std::uint64_t state = 0x5EED0005ULL;
    auto next = [&] {
        return reprep_test::splitmix64_next(state);
    };
    std::vector<double> a(20000), b(20000);
    for (std::size_t i = 0; i < a.size(); ++i) {
        a[i] = std::bit_cast<double>(next());
        if (a[i] != a[i]) a[i] = kNaN;
        b[i] = static_cast<double>(next() % 1000000) / 1000.0;  // short decimals
    }
    Table t;
    t.add_numeric("a", a).add_numeric("b", b);
    const Table back = read_csv_string(to_csv(t));
    CHECK(same_bits(back.numeric("a"), t.numeric("a")));
    CHECK(same_bits(back.numeric("b"), t.numeric("b")));
}

TEST_CASE("single-column tables: missing values are empty lines") {
    Table t;
    t.add_categorical("c", {"a", std::nullopt, "", std::nullopt});
    const std::string text = to_csv(t);
    CHECK(text == "c\na\n\n\"\"\n\n");
    const Table back = read_csv_string(text);
    CHECK(back == t);

    Table n;
    n.add_numeric("v", {kNaN, 1.0, kNaN});
    CHECK(read_csv_string(to_csv(n)) == n);
    CHECK(to_csv(Table{}).empty());
}

TEST_CASE("missing values are written as a token that reads back as missing with the same options") {
    Table t;
    t.add_numeric("v", {kNaN, 1.5}).add_categorical("c", {"a", std::nullopt});

    // "" is not an NA token: the first unquoted-safe token stands for missing.
    CsvOptions na;
    na.na_values = {"a,b", "NA"};  // "a,b" would need quotes, so "NA" is used
    CHECK(to_csv(t, na) == "v,c\nNA,a\n1.5,NA\n");
    CHECK(read_csv_string(to_csv(t, na), na) == t);

    // No NA token at all (found by fuzz_csv: the empty field read back as the string ""):
    // a numeric NaN is written as nan, which reads as missing ...
    CsvOptions none;
    none.na_values = {};
    Table n;
    n.add_numeric("v", {kNaN, 2.0});
    CHECK(to_csv(n, none) == "v\nnan\n2\n");
    CHECK(read_csv_string(to_csv(n, none), none) == n);
    // ... and a missing category has no spelling, so it is refused before anything is written.
    std::ostringstream os;
    const std::string msg = message_of<reprep::InvalidInput>([&] { reprep::write_csv(t, os, none); });
    CHECK(contains(msg, "write_csv"));
    CHECK(contains(msg, "column 'c', row 1"));
    CHECK(contains(msg, "na_values"));
    CHECK(os.str().empty());
}

TEST_CASE("fuzz: arbitrary bytes either parse or raise a reprep::Error, and what parses round-trips") {
    // Fixed seed; a small alphabet so that quotes, separators, line ends, numbers,
    // NA tokens and broken UTF-8 meet often.
    const std::vector<std::string> alphabet = {",", ",", "\"", "\n", "\n", "\r\n", "\r", "1", "2.5", "-", "e",
                                               "a", "NA", "", " ", "\xC3\xA9", "\xC3", "\xA9", "inf", "nan"};
    std::uint64_t state = 0xF022;
    auto next = [&] {
        return reprep_test::splitmix64_next(state);
    };
    std::size_t parsed = 0, refused = 0, round_trips = 0;
    for (int iter = 0; iter < 20000; ++iter) {
        std::string text;
        const std::size_t len = next() % 40;
        for (std::size_t k = 0; k < len; ++k) text += alphabet[next() % alphabet.size()];
        Table t;
        try {
            t = read_csv_string(text);
        } catch (const reprep::Error&) {
            ++refused;
            continue;
        }
        ++parsed;
        CsvOptions o;  // read back with the types we got, since inference cannot see them in the text
        for (const auto& n : t.column_names()) o.column_types[n] = t.type(n);
        Table back;
        try {
            back = read_csv_string(to_csv(t), o);
        } catch (const reprep::Error& e) {
            CAPTURE(text);
            const std::string why = std::string("the written CSV does not read back: ") + e.what();
            FAIL_CHECK(why);
            continue;
        }
        CAPTURE(text);
        CHECK(back == t);
        round_trips += back == t ? 1 : 0;
    }
    CHECK(parsed > 1000);
    CHECK(refused > 1000);
    CHECK(round_trips == parsed);
}

// ---------------------------------------------------------------------------
// CsvChunks: a CSV file read again and again in blocks of a fixed number of records
// ---------------------------------------------------------------------------

namespace {

// The rows of every chunk, appended: numeric bits and category strings per row.
struct Concatenated {
    std::vector<std::string> names;
    std::vector<ColumnType> types;
    std::vector<std::vector<std::uint64_t>> numeric;
    std::vector<std::vector<std::optional<std::string>>> text;
    std::size_t chunks = 0, max_rows = 0;
};

Concatenated rows_of(const std::vector<const Table*>& tables) {
    Concatenated c;
    for (const Table* t : tables) {
        if (c.chunks++ == 0) {
            c.names = t->column_names();
            for (const auto& n : c.names) c.types.push_back(t->type(n));
            c.numeric.resize(c.names.size());
            c.text.resize(c.names.size());
        }
        REQUIRE(t->column_names() == c.names);
        c.max_rows = std::max(c.max_rows, t->num_rows());
        for (std::size_t j = 0; j < c.names.size(); ++j) {
            REQUIRE(t->type(c.names[j]) == c.types[j]);
            for (std::size_t i = 0; i < t->num_rows(); ++i) {
                if (c.types[j] == ColumnType::numeric)
                    c.numeric[j].push_back(std::bit_cast<std::uint64_t>(t->numeric(c.names[j])[i]));
                else {
                    const auto v = t->category(c.names[j], i);
                    c.text[j].push_back(v ? std::optional<std::string>(std::string(*v)) : std::nullopt);
                }
            }
        }
    }
    return c;
}

Concatenated read_chunks(const ChunkSource& src) {
    std::vector<Table> kept;
    src.for_each([&](const Table& t) { kept.push_back(t); });
    std::vector<const Table*> p;
    for (const auto& t : kept) p.push_back(&t);
    return rows_of(p);
}

}  // namespace

TEST_CASE("CsvChunks yields read_csv's rows in blocks of rows_per_chunk, on every read") {
    reprep_test::ScratchDir dir;
    std::string text = "\xEF\xBB\xBF" "x,label,y\r\n";
    for (int i = 0; i < 1000; ++i) {
        text += std::to_string(i * 0.25 - 40) + ",";
        // Quoted fields with separators, doubled quotes and line breaks cross block edges.
        text += (i % 7 == 0) ? "\"multi\nline, \"\"quoted\"\"\"" : (i % 5 == 0 ? "NA" : "c" + std::to_string(i % 9));
        text += "," + (i % 11 == 0 ? std::string("") : std::to_string(-i)) + (i % 2 ? "\r\n" : "\n");
    }
    text += "1e300,last,-0";  // no final line end
    const auto path = dir / "data.csv";
    std::ofstream(path, std::ios::binary) << text;
    const Table whole = read_csv(path);
    const Concatenated expected = rows_of({&whole});
    for (std::size_t rows : {std::size_t{1}, std::size_t{7}, std::size_t{1000}, std::size_t{1001}, std::size_t{5000}}) {
        CAPTURE(rows);
        const CsvChunks src(path, rows);
        for (int read = 0; read < 2; ++read) {
            const Concatenated got = read_chunks(src);
            CHECK(got.names == expected.names);
            CHECK(got.types == expected.types);
            CHECK(got.numeric == expected.numeric);
            CHECK(got.text == expected.text);
            CHECK(got.chunks == (1001 + rows - 1) / rows);
            CHECK(got.max_rows == std::min<std::size_t>(rows, 1001));
        }
    }
    CHECK_THROWS_AS(CsvChunks(path, 0), InvalidParameter);
    CHECK_THROWS_AS(read_chunks(CsvChunks(dir / "absent.csv", 10)), IoError);
}

TEST_CASE("CsvChunks keeps the first block's column types and says how to declare them") {
    reprep_test::ScratchDir dir;
    const auto path = dir / "drift.csv";
    std::ofstream(path, std::ios::binary) << "a,b\n1,x\n2,y\n3,z\nfour,w\n";
    // In one read the text turns column a categorical; in blocks of 2 the first block
    // fixed it numeric, so the late text is an error with the fix.
    CHECK(read_csv(path).type("a") == ColumnType::categorical);
    try {
        read_chunks(CsvChunks(path, 2));
        FAIL("expected InvalidInput");
    } catch (const InvalidInput& e) {
        CHECK(e.column() == "a");
        CHECK(std::string(e.what()).find("records 3..4") != std::string::npos);
        CHECK(e.fix().find("column_types") != std::string::npos);
    }
    // Declared up front, the blocks agree with the one read.
    CsvOptions o;
    o.column_types["a"] = ColumnType::categorical;
    const Concatenated got = read_chunks(CsvChunks(path, 2, o));
    const Table whole = read_csv(path);
    CHECK(got.text == rows_of({&whole}).text);
}

TEST_CASE("CsvChunks without a header names columns x0, x1, ... in every block, as read_csv") {
    reprep_test::ScratchDir dir;
    const auto path = dir / "plain.csv";
    std::ofstream(path, std::ios::binary) << "1,a\n2,\"b\nc\"\n3,\n-0,d";
    CsvOptions o;
    o.header = false;
    const Table whole = read_csv(path, o);
    const Concatenated expected = rows_of({&whole});
    for (std::size_t rows : {std::size_t{1}, std::size_t{3}}) {
        const Concatenated got = read_chunks(CsvChunks(path, rows, o));
        CHECK(got.names == std::vector<std::string>{"x0", "x1"});
        CHECK(got.numeric == expected.numeric);
        CHECK(got.text == expected.text);
    }
    // A header-only file yields no chunk (a fit from it reports no rows).
    std::ofstream(dir / "empty.csv", std::ios::binary) << "a,b\n";
    CHECK(read_chunks(CsvChunks(dir / "empty.csv", 4)).chunks == 0);
}

// ---- datetime columns (issue 19, item 1) ----------------------------------------------

TEST_CASE("ISO 8601 dates and datetimes are inferred, offsets converted to UTC, and written back exactly") {
    using reprep::kNaT;
    const Table t = read_csv_string(
        "date,dt,frac,off,mixed,late,num\n"
        "2024-02-29,2024-02-29T12:34:56,1969-12-31T23:59:59.5,2020-01-01T10:00+02:00,NA,1,5\n"
        "NA,2024-02-29 12:34,2262-04-11T23:47:16.854775807,2020-01-01T10:00:00Z,2020-01-01,2020-01-01,6\n"
        "1677-09-22,,1677-09-21T00:12:43.145224193,2019-12-31T23:30:00-05:30,x,3,7\n");
    CHECK(t.type("date") == ColumnType::datetime);
    CHECK(t.type("dt") == ColumnType::datetime);
    CHECK(t.type("frac") == ColumnType::datetime);
    CHECK(t.type("off") == ColumnType::datetime);
    CHECK(t.type("mixed") == ColumnType::categorical);  // a date, then a word: text, every string kept
    CHECK(t.category("mixed", 1) == std::optional<std::string_view>("2020-01-01"));
    CHECK(t.type("late") == ColumnType::categorical);   // a number came first: a date is text then
    CHECK(t.type("num") == ColumnType::numeric);
    const auto d = t.datetime("date");
    CHECK(d[0] == 1'709'164'800'000'000'000);
    CHECK(d[1] == kNaT);
    CHECK(t.datetime("dt")[0] == 1'709'210'096'000'000'000);
    CHECK(t.datetime("dt")[1] == 1'709'210'040'000'000'000);
    CHECK(t.datetime("frac")[0] == -500'000'000);
    CHECK(t.datetime("frac")[1] == std::numeric_limits<std::int64_t>::max());
    CHECK(t.datetime("frac")[2] == kNaT + 1);  // pandas' Timestamp.min
    const auto off = t.datetime("off");
    CHECK(off[0] == 1'577'865'600'000'000'000);  // 08:00 UTC
    CHECK(off[1] == 1'577'872'800'000'000'000);  // 10:00 UTC
    CHECK(off[2] == 1'577'854'800'000'000'000);  // 05:00 UTC on 2020-01-01

    std::ostringstream out;
    reprep::write_csv(t, out);
    CHECK(out.str().find("2024-02-29T12:34:56,") != std::string::npos);
    CHECK(out.str().find("1969-12-31T23:59:59.5,") != std::string::npos);
    CHECK(out.str().find("2020-01-01T08:00:00,") != std::string::npos);  // UTC, no offset
    const Table back = read_csv_string(out.str());
    CHECK(back == t);
    // With no missing token, a missing datetime is written "nan" and still reads back as missing.
    const CsvOptions no_na{.na_values = {}};
    Table only;
    only.add_datetime("d", {0, kNaT, 1});
    std::ostringstream o2;
    reprep::write_csv(only, o2, no_na);
    CHECK(o2.str() == "d\n1970-01-01\nnan\n1970-01-01T00:00:00.000000001\n");
    CHECK(read_csv_string(o2.str(), no_na) == only);
}

TEST_CASE("a value shaped like a date that is not a valid one is refused with its line and field, never guessed") {
    const auto refused = [](const std::string& csv, const CsvOptions& o = {}) {
        return message_of<InvalidInput>([&] { (void)read_csv_string(csv, o); });
    };
    CHECK(refused("a,b\n1,2020-01-01\n2,2023-02-29\n").find("line 3, field 2: value '2023-02-29' is not a valid ISO 8601 "
                                                            "datetime: the day does not exist in that month") !=
          std::string::npos);
    for (const char* bad : {"2020-13-01", "2020-00-10", "2020-04-31", "2020-01-01T24:00", "2020-01-01T10:60",
                            "2020-01-01T10:00:60", "2020-01-01T10", "2020-01-01T10:00:00.", "2020-01-01T10:00:00.1234567891",
                            "2020-01-01T10:00+25:00", "2020-01-01T10:00 Europe/Paris", "2020-01-01X", "2262-04-12",
                            "1677-09-21T00:12:43.145224192"}) {
        CAPTURE(bad);
        const std::string m = refused(std::string("d\n") + bad + "\n");
        CHECK(m.find("line 2, field 1") != std::string::npos);
        CHECK(m.find("column 'd'") != std::string::npos);
    }
    // A column declared datetime refuses any other value; one declared categorical keeps it.
    const CsvOptions as_dt{.column_types = {{"d", ColumnType::datetime}}};
    CHECK(refused("d\n2020-01-01\nsoon\n", as_dt).find("line 3, field 1: value 'soon' is not an ISO 8601 datetime but the "
                                                       "column is declared datetime") != std::string::npos);
    CHECK(refused("d\n7\n", as_dt).find("is not an ISO 8601 datetime") != std::string::npos);
    const CsvOptions as_text{.column_types = {{"d", ColumnType::categorical}}};
    CHECK(read_csv_string("d\n2023-02-29\n", as_text).category("d", 0) == std::optional<std::string_view>("2023-02-29"));
}
