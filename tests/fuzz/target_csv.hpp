// libFuzzer target: read_csv_string with a few option sets chosen by the first byte.
// A table that reads must write and read back to the same table (bit-exact numbers,
// same strings, same types): read_csv and write_csv promise a lossless round trip.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>

#include "exercise.hpp"

namespace fuzz {

inline int run_csv(const std::uint8_t* data, std::size_t size) {
    using namespace reprep;
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    CsvOptions o;
    switch (data[0] % 4) {
        case 0: break;
        case 1: o.separator = ';'; break;
        case 2: o.header = false; break;
        case 3: o.separator = '\t'; o.na_values = {}; break;
    }
    // n_jobs > 1 must give the one-thread Table or the one-thread error text (half the
    // inputs, by bit 2 of the first byte; pieces of any size, so short inputs split too).
    std::string one_error;
    Table t;
    try {
        t = read_csv_string(text, o);
    } catch (const Error& e) {
        one_error = e.what();
    }
    if (data[0] & 4) {
        CsvOptions par = o;
        par.n_jobs = 2 + data[0] / 8 % 3;
        std::string par_error;
        Table tp;
        try {
            tp = detail::read_csv_text(text, par, {}, nullptr, /*min_piece_bytes=*/1);
        } catch (const Error& e) {
            par_error = e.what();
        }
        FUZZ_CHECK(par_error == one_error);
        FUZZ_CHECK(one_error.empty() || tp.num_columns() == 0);
        if (one_error.empty()) {
            FUZZ_CHECK(tp.column_names() == t.column_names() && tp.num_rows() == t.num_rows());
            for (const auto& name : t.column_names()) {
                FUZZ_CHECK(tp.type(name) == t.type(name));
                if (t.type(name) == ColumnType::numeric) {
                    const auto a = t.numeric(name), b = tp.numeric(name);
                    FUZZ_CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
                } else if (t.type(name) == ColumnType::datetime) {
                    const auto a = t.datetime(name), b = tp.datetime(name);
                    FUZZ_CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
                } else {
                    FUZZ_CHECK(t.categorical(name).dictionary == tp.categorical(name).dictionary);
                    FUZZ_CHECK(t.categorical(name).codes == tp.categorical(name).codes);
                }
            }
        }
    }
    if (!one_error.empty()) return 0;
    // The drift CLI's path (reprep-inspect drift): the same text read with a pipeline's
    // schema, then counted by a monitor and reported. Any reprep::Error is a refusal.
    if (data[0] % 4 == 0) {
        try {
            static const std::vector<SchemaColumn> schema = {{"a", ColumnType::numeric}, {"b", ColumnType::categorical}};
            static const Monitor proto = [] {
                Table train;
                train.add_numeric("a", {1.0, 2.0, std::nan(""), 4.0, 5.0, 6.0});
                train.add_categorical("b", {"x", "y", "x", std::nullopt, "z", "x"});
                return Monitor(Profile::of(train, schema));
            }();
            const Table live = read_csv_string(text, schema, o);
            Monitor m = proto;
            m.update(live);
            const DriftReport r = m.report();
            for (const auto& c : r.columns) {
                FUZZ_CHECK(c.live_count == live.num_rows());
                FUZZ_CHECK(std::isnan(c.js) || (c.js >= 0.0 && c.js <= 1.0));
            }
            (void)r.to_json();
        } catch (const Error&) {
        }
    }
    std::ostringstream out;
    write_csv(t, out, o);
    Table back;
    try {
        back = read_csv_string(out.str(), o);
    } catch (const Error& e) {
        std::fprintf(stderr, "written CSV does not read back: %s\n", e.what());
        std::abort();
    }
    // A table without columns writes nothing; rows are only meaningful with columns.
    if (t.num_columns() == 0) return 0;
    FUZZ_CHECK(zoo::output_hash(back) == zoo::output_hash(t));
    return 0;
}

}  // namespace fuzz
