// libFuzzer target: read_csv_string with a few option sets chosen by the first byte.
// A table that reads must write and read back to the same table (bit-exact numbers,
// same strings, same types): read_csv and write_csv promise a lossless round trip.
#pragma once
#include <cstddef>
#include <cstdint>
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
    Table t;
    try {
        t = read_csv_string(text, o);
    } catch (const Error&) {
        return 0;
    }
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
