// Row i of a table as a single-row record for a fitted pipeline: one Cell per
// input_schema() column, in that order. The strings are views into t, which must
// outlive the record. Shared by the compose tests that drive the row plan.
#pragma once

#include <cstddef>
#include <vector>

#include <reprep/compose/pipeline.hpp>

namespace reprep_test {
inline std::vector<reprep::Cell> record_of(const reprep::Pipeline& p, const reprep::Table& t, std::size_t i) {
    using reprep::Cell;
    std::vector<Cell> r;
    for (const auto& c : p.input_schema()) {
        if (c.type == reprep::ColumnType::numeric) r.push_back(Cell::num(t.numeric(c.name)[i]));
        else if (auto v = t.category(c.name, i)) r.push_back(Cell::cat(*v));
        else r.push_back(Cell::missing_cat());
    }
    return r;
}
}  // namespace reprep_test
