// A serving unit that names the kinds its model uses (the penguins pipeline of
// examples/train.cpp: SimpleImputer, CategoricalImputer, OneHotEncoder, StandardScaler),
// so that header-only mode instantiates those four kinds only (docs/ci.md, "Compile time
// of a user's units"). Usage: serving_unit_kinds <artifact.rpp>
#include <cstdio>
#include <vector>

#include <reprep/compose/pipeline.hpp>
#include <reprep/encode/one_hot_encoder.hpp>
#include <reprep/impute/categorical_imputer.hpp>
#include <reprep/impute/simple_imputer.hpp>
#include <reprep/scale/standard_scaler.hpp>

using Served = reprep::Kinds<reprep::SimpleImputer<>, reprep::CategoricalImputer, reprep::OneHotEncoder,
                             reprep::StandardScaler<>>;

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    const reprep::Pipeline p = reprep::load_pipeline<Served>(argv[1]);
    auto plan = p.compile();
    std::vector<reprep::Cell> record;
    for (const auto& c : p.input_schema())
        record.push_back(c.type == reprep::ColumnType::numeric ? reprep::Cell::num(1.0) : reprep::Cell::missing_cat());
    std::vector<double> out(plan.n_outputs());
    plan.run(record, std::span<double>(out));
    for (double v : out) std::printf("%.17g\n", v);
    return 0;
}
