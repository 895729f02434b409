// A serving unit: load a pipeline, compile a row plan, run one record (docs/ci.md,
// "Compile time of a user's units"). Usage: serving_unit <artifact.rpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <reprep/compose/pipeline.hpp>
#include <reprep/compose/row_plan.hpp>

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    const reprep::Pipeline p = reprep::load_pipeline(argv[1]);
    auto plan = p.compile();
    std::vector<reprep::Cell> record;
    for (const auto& c : p.input_schema())
        record.push_back(c.type == reprep::ColumnType::numeric ? reprep::Cell::num(1.0) : reprep::Cell::missing_cat());
    std::vector<double> out(plan.n_outputs());
    plan.run(record, std::span<double>(out));
    for (double v : out) std::printf("%.17g\n", v);
    return 0;
}
