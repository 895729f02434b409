// Bad-input catalogue: Pipeline and its single-row RowPlan.
#include "catalogue.hpp"

using namespace catalogue;

namespace {
Pipeline fitted_penguins() {
    auto p = zoo::penguins_pipeline();
    p.fit(penguins());
    return p;
}
std::vector<Cell> good_record(const Pipeline& p) {
    std::vector<Cell> r;
    for (const auto& c : p.input_schema()) r.push_back(c.type == ColumnType::numeric ? Cell::num(40.0) : Cell::cat("Adelie"));
    return r;
}
}  // namespace

TEST_CASE("the pipeline refuses bad input with a typed error and changes nothing") {
    std::vector<Case> v;
    const Pipeline fp = fitted_penguins();
    Table no_sex = penguins();
    no_sex.remove("sex");
    v.push_back(make("transform without a schema column", "SchemaError", "column 'sex' is missing", fp, no_sex,
                     [](Pipeline& p, const Table& t) { (void)p.transform(t); }));
    Table mistyped = penguins();
    mistyped.remove("island");
    mistyped.add_numeric("island", std::vector<double>(mistyped.num_rows(), 1.0));
    v.push_back(make("transform with a mistyped column", "SchemaError", "column 'island' is numeric, expected categorical", fp,
                     mistyped, [](Pipeline& p, const Table& t) { (void)p.transform(t); }));
    v.push_back(make("transform before fit", "NotFitted", "not fitted", zoo::penguins_pipeline(), penguins(),
                     [](Pipeline& p, const Table& t) { (void)p.transform(t); }));
    v.push_back(make("fit with no steps", "InvalidParameter", "no steps", Pipeline{}, penguins(),
                     [](Pipeline& p, const Table& t) { p.fit(t); }));
    v.push_back(make("a failing step is named (Inf in a log transform)", "InvalidInput", "Pipeline step 'log'",
                     Pipeline{}.add("log", LogTransformer<>({.columns = {"x"}})),
                     Table{}.add_numeric("x", {1.0, kInf, 2.0}), [](Pipeline& p, const Table& t) { p.fit(t); }));
    v.push_back(make("target of the wrong length", "InvalidInput", "y has 3 values", zoo::penguins_pipeline(),
                     std::make_tuple(penguins(), std::vector<double>{1.0, 0.0, 1.0}),
                     [](Pipeline& p, const std::tuple<Table, std::vector<double>>& in) { p.fit(std::get<0>(in), std::get<1>(in)); }));
    v.push_back(make("duplicate step name", "InvalidParameter", "used twice", zoo::penguins_pipeline(), penguins(),
                     [](Pipeline& p, const Table&) { p.add("scale", MaxAbsScaler<>()); }));
    // RowPlan: the output buffer must still hold its sentinel after a refusal.
    struct RowIn {
        std::vector<Cell> rec;
        std::vector<double> out;
    };
    auto row_case = [&](const char* name, const char* type, const char* frag, std::vector<Cell> rec, std::size_t out_size) {
        auto plan = std::make_shared<RowPlan>(fp.compile());
        v.push_back(make(name, type, frag, fp, std::make_tuple(std::move(rec), std::vector<double>(out_size, -12345.0)),
                         [plan](Pipeline&, std::tuple<std::vector<Cell>, std::vector<double>>& in) {
                             plan->run(std::get<0>(in), std::span<double>(std::get<1>(in)));
                         }));
    };
    const std::size_t n_out = fp.feature_names_out().size();
    auto rec = good_record(fp);
    auto short_rec = rec;
    short_rec.pop_back();
    row_case("RowPlan: a record one value short", "SchemaError", "the record holds 6 values", short_rec, n_out);
    auto typed = rec;
    typed[0] = Cell::cat("40");
    row_case("RowPlan: a string where a number belongs", "SchemaError", "column 'bill_length_mm'", typed, n_out);
    row_case("RowPlan: an output buffer of the wrong size", "SchemaError", "the output buffer holds", rec, n_out + 1);
    row_case("RowPlan: a number where a string belongs", "SchemaError",
             "belongs", [&] { auto r = rec; r.back().type = ColumnType::numeric; return r; }(), n_out);
    run_catalogue(v);
}
