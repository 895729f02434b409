// A serving unit: load a pipeline, compile a row plan, run one record (docs/ci.md,
// "Compile time of a user's units"). Usage: serving_unit <artifact.rpp>
// With -DREPREP_NAMED_KINDS it names the kinds its model uses (the penguins pipeline of
// examples/train.cpp), so that header-only mode instantiates those four kinds only.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <reprep/compose/pipeline.hpp>
#include <reprep/compose/row_plan.hpp>

#if defined(REPREP_NAMED_KINDS)
#include <reprep/encode/one_hot_encoder.hpp>
#include <reprep/impute/categorical_imputer.hpp>
#include <reprep/impute/simple_imputer.hpp>
#include <reprep/scale/standard_scaler.hpp>
using Served = reprep::Kinds<reprep::SimpleImputer<>, reprep::CategoricalImputer, reprep::OneHotEncoder,
                             reprep::StandardScaler<>>;
#else
using Served = reprep::detail::BuiltinKinds;  // every built-in kind
#endif

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
