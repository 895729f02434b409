// Bad-input catalogue: read_csv. Each case is a CSV text, the error type, and the
// fragment naming the rule (and, where it matters, the line and field).
#include <filesystem>

#include "catalogue.hpp"
#include "../scratch_dir.hpp"

using namespace catalogue;

TEST_CASE("read_csv refuses malformed text with a typed error naming the line and rule") {
    using S = std::string;
    auto read = [](const S& s) { (void)read_csv_string(s); };
    std::vector<Case> v;
    auto add = [&](const char* name, const char* type, const char* frag, S text) {
        v.push_back(make_free(name, type, frag, std::move(text), read));
    };
    add("ragged: a row with too many fields", "InvalidInput", "fields but the", "a,b\n1,2\n3,4,5\n");
    add("ragged: a row with too few fields", "InvalidInput", "fields but the", "a,b,c\n1,2,3\n4,5\n");
    add("ragged rows name the line", "InvalidInput", "line 3", "a,b\n1,2\n3\n");
    add("bad quotes: unterminated", "InvalidInput", "unterminated quote", "a,b\n1,\"open\n2,3\n");
    add("bad quotes: quote inside an unquoted field", "InvalidInput", "a quote inside an unquoted field", "a,b\n1,x\"y\n");
    add("bad quotes: text after the closing quote", "InvalidInput", "after a closing quote", "a,b\n\"x\"y,1\n");
    add("lone carriage return", "InvalidInput", "carriage return", "a,b\r1,2\n");
    add("invalid UTF-8: stray continuation byte", "InvalidInput", "invalid UTF-8", "a,b\n\x80,1\n");
    add("invalid UTF-8: 0xFF", "InvalidInput", "invalid UTF-8", "a,b\nx\xff,1\n");
    add("invalid UTF-8: overlong NUL", "InvalidInput", "invalid UTF-8", "a,b\n\xc0\x80,1\n");
    add("invalid UTF-8: surrogate", "InvalidInput", "invalid UTF-8", "a,b\n\xed\xa0\x80,1\n");
    add("invalid UTF-8: truncated sequence at the end", "InvalidInput", "invalid UTF-8", "a,b\n1,\xe2\x82");
    add("invalid UTF-8 in the header", "InvalidInput", "invalid UTF-8", "a\xfe,b\n1,2\n");
    add("duplicate header names", "InvalidInput", "repeats the column name", "a,b,a\n1,2,3\n");
    v.push_back(make_free("column_types names a missing column", "SchemaError", "does not have", S("a,b\n1,2\n"), [](const S& s) {
        (void)read_csv_string(s, {.column_types = {{"zz", ColumnType::numeric}}});
    }));
    v.push_back(make_free("column_types numeric on text", "InvalidInput", "value", S("a,b\n1,x\n"), [](const S& s) {
        (void)read_csv_string(s, {.column_types = {{"b", ColumnType::numeric}}});
    }));
    v.push_back(make_free("separator that occurs in numbers", "InvalidParameter", "separator", S("a.b\n1.2\n"),
                          [](const S& s) { (void)read_csv_string(s, {.separator = '.'}); }));
    v.push_back(make_free("separator quote", "InvalidParameter", "separator", S("a\"b\n"),
                          [](const S& s) { (void)read_csv_string(s, {.separator = '"'}); }));
    // A file that cannot be opened is an IoError with the OS's reason, as load raises.
    const reprep_test::ScratchDir scratch;  // exists, and holds nothing
    const S missing = (scratch / "no-such-dir" / "train.csv").string();
    v.push_back(make_free("read_csv of a missing file", "IoError",
                          "read_csv: cannot open '" + missing + "': No such file or directory", missing,
                          [](const S& path) { (void)read_csv(std::filesystem::path(path)); }));
    run_catalogue(v);
}

TEST_CASE("read_csv accepts the edge cases it documents") {
    CHECK(read_csv_string("").num_columns() == 0);
    CHECK(read_csv_string("\xef\xbb\xbf").num_columns() == 0);
    const Table one = read_csv_string("a,b\n1,x\n");
    CHECK(one.num_rows() == 1);
    CHECK(one.type("a") == ColumnType::numeric);
    const Table all_na = read_csv_string("a,b\nNA,1\n,2\n");
    CHECK(all_na.num_rows() == 2);
    CHECK(std::isnan(all_na.numeric("a")[0]));
}
