// Built under ThreadSanitizer by sanitize_tsan (and as a plain test in every build):
// 8 threads transform through one loaded pipeline at once — batch transform (itself on
// 1 to 3 threads of row blocks), transform_into with a workspace per thread (its worker
// pool on 1 to 3 threads) and a RowPlan per thread — and every thread's bits equal the
// single-threaded output.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "../fuzz/zoo.hpp"

using namespace reprep;

namespace {
std::vector<double> flatten(const Table& out, const std::vector<std::string>& names) {
    std::vector<double> v;
    for (const auto& n : names)
        for (double x : out.numeric(n)) v.push_back(x);
    return v;
}
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void run_threads(Pipeline fitted, const Table& data) {
    // The served copy is loaded from bytes, as in a serving binary; load_pipeline also
    // runs the registry's call_once, which TSan checks too.
    const Pipeline served = load_pipeline_bytes(save_bytes(fitted));
    const auto names = served.feature_names_out();
    const auto expected = flatten(served.transform(data), names);
    const auto& schema = served.input_schema();
    std::vector<std::vector<Cell>> recs(data.num_rows());
    for (std::size_t i = 0; i < data.num_rows(); ++i)
        for (const auto& c : schema) {
            if (c.type == ColumnType::numeric) recs[i].push_back(Cell::num(data.numeric(c.name)[i]));
            else if (auto v = data.category(c.name, i)) recs[i].push_back(Cell::cat(*v));
            else recs[i].push_back(Cell::missing_cat());
        }
    std::atomic<int> mismatches{0}, errors{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int k = 0; k < 8; ++k)
        threads.emplace_back([&, k] {
            while (!go.load()) std::this_thread::yield();
            try {
                // Each batch also cuts its rows into blocks on threads of its own
                // (TransformOptions::n_jobs), so TSan sees those threads too.
                const TransformOptions opts{.n_jobs = 1 + k % 3};
                if (!same_bits(flatten(served.transform(data, opts), names), expected)) ++mismatches;
                // A serving loop per thread: transform_into with its own workspace, whose
                // worker threads (n_jobs > 1) are started once and reused batch after batch.
                {
                    Pipeline::Workspace ws(k % 2 == 0 ? 64 : 0);
                    Table out;
                    for (int batch = 0; batch < 3; ++batch) {
                        served.transform_into(data, out, ws, opts);
                        if (!same_bits(flatten(out, names), expected)) ++mismatches;
                    }
                }
                auto plan = served.compile();
                std::vector<double> row(plan.n_outputs()), by_col(expected.size());
                // Threads walk the rows from different starting points, so they touch
                // the same state at different moments.
                for (std::size_t j = 0; j < recs.size(); ++j) {
                    const std::size_t i = (j + static_cast<std::size_t>(k) * 37) % recs.size();
                    plan.run(recs[i], std::span<double>(row));
                    for (std::size_t c = 0; c < row.size(); ++c) by_col[c * recs.size() + i] = row[c];
                }
                if (!same_bits(by_col, expected)) ++mismatches;
            } catch (...) {
                ++errors;
            }
        });
    go = true;
    for (auto& t : threads) t.join();
    CHECK(errors.load() == 0);
    CHECK(mismatches.load() == 0);
}
}  // namespace

TEST_CASE("8 threads through one loaded penguins pipeline give the single-threaded bits") {
    const Table t = zoo::penguins(REPREP_TEST_DATA_DIR);
    auto p = zoo::penguins_pipeline();
    p.fit(t);
    run_threads(p, t);
}

TEST_CASE("8 threads through one loaded wide pipeline (ten kinds) give the single-threaded bits") {
    const Table t = zoo::penguins(REPREP_TEST_DATA_DIR);
    auto p = zoo::wide_pipeline();
    p.fit(t);
    run_threads(p, t);
}
