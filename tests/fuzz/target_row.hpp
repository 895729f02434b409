// libFuzzer target: the single-row serving path. The fuzz bytes are decoded into a
// record of Cells (any length, any cell types, any numbers and byte strings) for the
// fitted penguins pipeline and run through RowPlan::run. When the record matches the
// schema, the batch path on the same one-row table must give the same bits or the
// same refusal. The pipeline fills absent columns (ServingPolicy): a cell marked
// absent is left out of that table, so both paths fill it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "exercise.hpp"

namespace fuzz::row_detail {
using namespace reprep;

struct Served {
    Pipeline pipe;
    RowPlan plan;
    std::vector<std::string> out_names;
};
inline Served& served() {
    static Served s = [] {
        Pipeline p = zoo::penguins_pipeline();
        p.set_serving_policy({.missing_columns = MissingColumns::fill});
        p.fit(zoo::penguins(REPREP_TEST_DATA_DIR));
        Pipeline loaded = load_pipeline_bytes(save_bytes(p));
        auto names = loaded.feature_names_out();
        Served r{std::move(loaded), RowPlan{}, std::move(names)};
        r.plan = r.pipe.compile();
        return r;
    }();
    return s;
}

struct Bytes {
    const std::uint8_t* p;
    std::size_t n;
    std::uint8_t u8() { if (!n) return 0; --n; return *p++; }
    double f64() {
        std::uint64_t u = 0;
        for (int i = 0; i < 8; ++i) u |= static_cast<std::uint64_t>(u8()) << (8 * i);
        double x;
        std::memcpy(&x, &u, 8);
        return x;
    }
    std::string_view str() {
        const std::size_t len = std::min<std::size_t>(u8() % 24, n);
        std::string_view s(reinterpret_cast<const char*>(p), len);
        p += len;
        n -= len;
        return s;
    }
};
}  // namespace fuzz::row_detail

namespace fuzz {

inline int run_row(const std::uint8_t* data, std::size_t size) {
    using namespace row_detail;
    Served& s = served();
    const auto& schema = s.pipe.input_schema();
    Bytes in{data, size};
    // Usually the schema's width; sometimes one off, to reach the width check.
    const std::uint8_t w = in.u8();
    std::size_t n = schema.size();
    if (w == 1) n = schema.size() + 1;
    if (w == 2) n = schema.size() - 1;
    static const char* known[] = {"Adelie", "Gentoo", "Chinstrap", "Biscoe", "Dream", "Torgersen", "male", "female"};
    std::vector<Cell> rec;
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint8_t tag = in.u8();
        if (tag % 16 == 15) {
            rec.push_back(Cell::absent_column());
            continue;
        }
        switch (tag % 8) {
            case 0: rec.push_back(Cell::num(in.f64())); break;
            case 1: rec.push_back(Cell::num(static_cast<double>(in.u8()) - 100.0)); break;
            case 2: rec.push_back(Cell::missing_cat()); break;
            case 3: rec.push_back(Cell::cat(in.str())); break;
            case 4: rec.push_back(Cell::cat(known[in.u8() % 8])); break;
            default:  // the type the schema wants, so most records get past the type check
                if (k < schema.size() && schema[k].type == ColumnType::numeric)
                    rec.push_back(Cell::num(tag & 1 ? std::nan("") : in.f64()));
                else
                    rec.push_back(Cell::cat(known[in.u8() % 8]));
        }
    }
    std::vector<double> row(s.plan.n_outputs());
    bool row_ok = true;
    try {
        s.plan.run(rec, std::span<double>(row));
    } catch (const Error&) {
        row_ok = false;
    }
    if (rec.size() != schema.size()) {
        FUZZ_CHECK(!row_ok);
        return 0;
    }
    bool types_ok = true;
    Table t;
    for (std::size_t k = 0; k < rec.size(); ++k) {
        if (rec[k].absent) continue;
        types_ok = types_ok && rec[k].type == schema[k].type;
        if (rec[k].type == ColumnType::numeric)
            t.add_numeric(schema[k].name, {rec[k].number});
        else
            t.add_categorical(schema[k].name, {rec[k].text ? std::optional<std::string>(*rec[k].text) : std::nullopt});
    }
    if (!types_ok) {
        FUZZ_CHECK(!row_ok);
        return 0;
    }
    // Every column absent: a table without columns has no rows to compare with.
    if (t.num_columns() == 0) return 0;
    bool batch_ok = true;
    Table out;
    try {
        out = s.pipe.transform(t);
    } catch (const Error&) {
        batch_ok = false;
    }
    FUZZ_CHECK(batch_ok == row_ok);
    if (!batch_ok) return 0;
    for (std::size_t k = 0; k < s.out_names.size(); ++k)
        FUZZ_CHECK(fuzz::same_bits(out.numeric(s.out_names[k])[0], row[k]));
    return 0;
}

}  // namespace fuzz
