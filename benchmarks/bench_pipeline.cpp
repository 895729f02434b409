// Serving costs of a fitted reprep::Pipeline (issue 6, "Performance"):
//   Row_*    single-row latency through RowPlan::run, one record per iteration, cycling
//            over the records after a warm-up pass (target: < 1 us per row);
//            Row_PlanNamed fills a RowPlan::Record by column name first;
//            Row_PlanBatch[Numeric] runs every record in one RowPlan::run_batch call
//            (Cells, or one block of doubles), items/s = rows/s;
//   Batch_*  Pipeline::transform throughput on a Table of 131,072 rows (items/s = rows/s),
//            with n_jobs = 1 and 2 (/1, /2; real time), allocations and minor page faults
//            per batch; Batch_TransformInto the same through transform_into, one workspace
//            and one output table for every batch;
//   Load_*   load_pipeline_bytes of the saved artifact.
// Three pipelines, the same three benchmarks/compare_sklearn.py times in scikit-learn:
//   penguins  6 steps on tests/data/penguins.csv: SimpleImputer(median), CategoricalImputer
//             (frequent), Winsorizer(gaussian, both tails), LogTransformer, OneHotEncoder
//             (handle_unknown=ignore), StandardScaler; 7 inputs -> 12 outputs;
//   three     3 steps on the 4 numeric penguins columns: SimpleImputer(median),
//             StandardScaler, MinMaxScaler;
//   numeric10 10 steps on 8 synthetic skewed columns with 5% NaN: SimpleImputer(median),
//             Winsorizer, LogTransformer, PowerTransformer(yeo-johnson), StandardScaler,
//             RobustScaler, MaxAbsScaler, QuantileTransformer(100), MinMaxScaler,
//             CyclicalFeatures(x0, x1); 8 inputs -> 12 outputs.
// Baselines in the same binary, per pipeline:
//   Row_Baseline_MakeRecord  building the record (Cell::num / Cell::cat from column
//                            spans and dictionary codes): what a caller pays anyway;
//   Row_Baseline_CopyRecord  a memcpy of one record's bytes (n_inputs * sizeof(Cell));
//   Batch_Baseline_MemcpyNumeric  memcpy of the numeric input columns into buffers
//                            touched once: the memory-bandwidth yardstick (input bytes
//                            read, as many written);
//   Load_Baseline_CopyBytes  a copy of the artifact's bytes.
// The machine is shared: quote medians of repetitions, CPU time beside real time.
//
//   bench_pipeline --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <sys/resource.h>

// The umbrella only: it includes core/dmath.hpp before the components, and including
// outliers/winsorizer.hpp first makes dmath_erf.hpp's unqualified `Tail` ambiguous
// (reprep::Tail vs reprep::detail::erfk::Tail) at commit 89f9b90.
#include <reprep/reprep.hpp>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <new>
#include <string>
#include <vector>

// Counts heap allocations, so Row_Plan can report allocations per row beside its time
// (the issue promises zero after warm-up; a relaxed increment costs nothing measurable
// at the rates seen here).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // our replacement pair is malloc/free
#endif
namespace {
std::atomic<std::uint64_t> g_allocations{0};
}
void* operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace reprep;

constexpr std::size_t kBatchRows = 131072;  // >= 10^5, as the issue asks
constexpr std::size_t kSyntheticRows = 4096;  // numeric10: fit and single-row records

std::uint64_t splitmix64(std::uint64_t x) {
    std::uint64_t z = x + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
double uniform(std::uint64_t key) { return static_cast<double>(splitmix64(key) >> 11) * 0x1.0p-53; }

const std::vector<std::string> kPenguinNumeric = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};

const Table& penguins() {
    static const Table t = read_csv(std::string(REPREP_SOURCE_DIR) + "/tests/data/penguins.csv");
    return t;
}

// Row i of the batch table is penguins row splitmix64(i) mod 344 (compare_sklearn.py
// draws the same indices).
Table resample(const Table& t, std::size_t rows) {
    std::vector<std::size_t> idx(rows);
    for (std::size_t i = 0; i < rows; ++i) idx[i] = splitmix64(i) % t.num_rows();
    return t.rows(idx);
}

// Skewed positive columns (a product of two uniforms, scaled per column), 5% missing.
Table synthetic(std::size_t rows, std::uint64_t seed) {
    Table t;
    for (std::size_t j = 0; j < 8; ++j) {
        std::vector<double> v(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            const std::uint64_t key = (seed << 40) ^ (i * 8 + j) * 3;
            v[i] = uniform(key + 2) < 0.05 ? NAN : 0.5 + uniform(key) * uniform(key + 1) * 10.0 * static_cast<double>(j + 1);
        }
        std::string name = "x";
        name += std::to_string(j);
        t.add_numeric(name, std::move(v));
    }
    return t;
}

Pipeline make_penguins() {
    return Pipeline{}
        .add("impute", SimpleImputer<>({.columns = kPenguinNumeric, .strategy = ImputeStrategy::median}))
        .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
        .add("cap", Winsorizer<>({.columns = kPenguinNumeric, .tail = Tail::both}))
        .add("log", LogTransformer<>({.columns = kPenguinNumeric}))
        .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
        .add("scale", StandardScaler<>({.columns = kPenguinNumeric}));
}

Pipeline make_three() {
    return Pipeline{}
        .add("impute", SimpleImputer<>({.columns = kPenguinNumeric, .strategy = ImputeStrategy::median}))
        .add("scale", StandardScaler<>({.columns = kPenguinNumeric}))
        .add("minmax", MinMaxScaler<>({.columns = kPenguinNumeric}));
}

Pipeline make_numeric10() {
    return Pipeline{}
        .add("impute", SimpleImputer<>({.strategy = ImputeStrategy::median}))
        .add("cap", Winsorizer<>({.tail = Tail::both}))
        .add("log", LogTransformer<>())
        .add("power", PowerTransformer<>())
        .add("standard", StandardScaler<>())
        .add("robust", RobustScaler<>())
        .add("maxabs", MaxAbsScaler<>())
        .add("quantile", QuantileTransformer<>({.n_quantiles = 100}))
        .add("minmax", MinMaxScaler<>())
        .add("cyclical", CyclicalFeatures<>({.columns = {"x0", "x1"}, .max_values = {{"x0", 1.0}, {"x1", 1.0}}}));
}

// One workload: a fitted pipeline, its single-row records (flat, n_inputs per record,
// strings are views into `source`), the batch table and the artifact bytes.
struct Workload {
    Table source;  // the rows the records are made from (and the fit data)
    Pipeline pipe;
    std::vector<Cell> records;
    std::size_t n_inputs = 0, n_records = 0;
    Table batch;
    std::string artifact;
};

void make_records(Workload& w) {
    const auto& schema = w.pipe.input_schema();
    w.n_inputs = schema.size();
    w.n_records = w.source.num_rows();
    w.records.reserve(w.n_inputs * w.n_records);
    for (std::size_t i = 0; i < w.n_records; ++i)
        for (const auto& c : schema) {
            if (c.type == ColumnType::numeric) w.records.push_back(Cell::num(w.source.numeric(c.name)[i]));
            else if (auto v = w.source.category(c.name, i)) w.records.push_back(Cell::cat(*v));
            else w.records.push_back(Cell::missing_cat());
        }
}

// The benchmark would be meaningless if the row path did not compute what the batch
// path does: compare bits on every record once, and abort on a mismatch.
void check_row_equals_batch(const Workload& w) {
    const Table out = w.pipe.transform(w.source);
    const auto names = w.pipe.feature_names_out();
    RowPlan plan = w.pipe.compile();
    std::vector<double> row(plan.n_outputs());
    for (std::size_t i = 0; i < w.n_records; ++i) {
        plan.run(std::span<const Cell>(w.records.data() + i * w.n_inputs, w.n_inputs), std::span<double>(row));
        for (std::size_t k = 0; k < names.size(); ++k) {
            const double b = out.numeric(names[k])[i];
            if (std::memcmp(&b, &row[k], sizeof(double)) != 0) {
                std::fprintf(stderr, "bench_pipeline: row path != batch path at row %zu, output %s\n", i, names[k].c_str());
                std::abort();
            }
        }
    }
}

Workload build(Table source, Pipeline pipe, Table batch) {
    Workload w;
    w.source = std::move(source);
    w.pipe = std::move(pipe);
    w.pipe.fit(w.source);
    make_records(w);
    w.batch = std::move(batch);
    w.artifact = save_bytes(w.pipe);
    check_row_equals_batch(w);
    return w;
}

const Workload& penguins_w() {
    static const Workload w = build(penguins(), make_penguins(), resample(penguins(), kBatchRows));
    return w;
}
const Workload& three_w() {
    static const Workload w = build(penguins(), make_three(), resample(penguins(), kBatchRows));
    return w;
}
const Workload& numeric10_w() {
    static const Workload w = build(synthetic(kSyntheticRows, 1), make_numeric10(), synthetic(kBatchRows, 2));
    return w;
}

using Getter = const Workload& (*)();

// ---- single row --------------------------------------------------------------------

// Monitored: each record is also counted into a drift monitor (plan.run(record, out,
// monitor)); issue 18 asks that this add at most 30% to the plain plan's latency.
template <bool Monitored>
void row_plan(benchmark::State& state, Getter get) {
    const Workload& w = get();
    RowPlan plan = w.pipe.compile();
    Monitor monitor = w.pipe.monitor();
    std::vector<double> out(plan.n_outputs());
    auto record = [&](std::size_t i) { return std::span<const Cell>(w.records.data() + i * w.n_inputs, w.n_inputs); };
    auto run = [&](std::size_t i) {
        if constexpr (Monitored) plan.run(record(i), std::span<double>(out), monitor);
        else plan.run(record(i), std::span<double>(out));
    };
    for (std::size_t i = 0; i < w.n_records; ++i) run(i);  // warm-up
    std::size_t i = 0;
    const std::uint64_t allocs_before = g_allocations.load(std::memory_order_relaxed);
    for (auto _ : state) {
        run(i);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
        if (++i == w.n_records) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["allocs_per_row"] = static_cast<double>(g_allocations.load(std::memory_order_relaxed) - allocs_before) /
                                       static_cast<double>(state.iterations());
    state.counters["inputs"] = static_cast<double>(w.n_inputs);
    state.counters["outputs"] = static_cast<double>(plan.n_outputs());
}
void BM_Row_Plan(benchmark::State& state, Getter get) { row_plan<false>(state, get); }
void BM_Row_PlanMonitored(benchmark::State& state, Getter get) { row_plan<true>(state, get); }

// A request keyed by name (issue 17): a RowPlan::Record cleared and filled by column name
// (set(name, value) finds the slot among names sorted at compile()), then run. The values
// come from pre-resolved source columns, as in Row_Baseline_MakeRecord, which is what
// the caller pays for the values themselves.
void BM_Row_PlanNamed(benchmark::State& state, Getter get) {
    const Workload& w = get();
    RowPlan plan = w.pipe.compile();
    struct Source {
        std::string name;
        std::span<const double> num;
        const CategoricalColumn* cat = nullptr;
    };
    std::vector<Source> cols;
    for (const auto& c : w.pipe.input_schema()) {
        if (c.type == ColumnType::numeric) cols.push_back({c.name, w.source.numeric(c.name), nullptr});
        else cols.push_back({c.name, {}, &w.source.categorical(c.name)});
    }
    auto rec = plan.record();
    std::vector<double> out(plan.n_outputs());
    auto run = [&](std::size_t i) {
        rec.clear();
        for (const auto& c : cols) {
            if (!c.cat) {
                rec.set(c.name, c.num[i]);
            } else {
                const std::int32_t code = c.cat->codes[i];
                if (code < 0) rec.set_missing(c.name);
                else rec.set(c.name, std::string_view(c.cat->dictionary[static_cast<std::size_t>(code)]));
            }
        }
        plan.run(rec, std::span<double>(out));
    };
    for (std::size_t i = 0; i < w.n_records; ++i) run(i);  // warm-up
    std::size_t i = 0;
    const std::uint64_t allocs_before = g_allocations.load(std::memory_order_relaxed);
    for (auto _ : state) {
        run(i);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
        if (++i == w.n_records) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["allocs_per_row"] = static_cast<double>(g_allocations.load(std::memory_order_relaxed) - allocs_before) /
                                       static_cast<double>(state.iterations());
}

// RowPlan::run_batch over every record of the workload per iteration (344 penguins
// rows, 4096 numeric10 rows), row-major out; items/s = rows/s. Numeric: the same records
// as one block of doubles (run_batch(std::span<const double>, ...)), for the pipelines
// whose inputs are all numeric.
template <bool Numeric>
void row_plan_batch(benchmark::State& state, Getter get) {
    const Workload& w = get();
    RowPlan plan = w.pipe.compile();
    std::vector<double> values;
    if constexpr (Numeric)
        for (const Cell& c : w.records) values.push_back(c.number);
    std::vector<double> out(w.n_records * plan.n_outputs());
    auto run = [&] {
        if constexpr (Numeric) plan.run_batch(values, std::span<double>(out));
        else plan.run_batch(w.records, std::span<double>(out));
    };
    run();  // warm-up
    const std::uint64_t allocs_before = g_allocations.load(std::memory_order_relaxed);
    for (auto _ : state) {
        run();
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * w.n_records));
    state.counters["allocs_per_batch"] = static_cast<double>(g_allocations.load(std::memory_order_relaxed) - allocs_before) /
                                         static_cast<double>(state.iterations());
    state.counters["rows"] = static_cast<double>(w.n_records);
}
void BM_Row_PlanBatch(benchmark::State& state, Getter get) { row_plan_batch<false>(state, get); }
void BM_Row_PlanBatchNumeric(benchmark::State& state, Getter get) { row_plan_batch<true>(state, get); }

// Building a record from pre-resolved columns: numeric spans and (dictionary, codes).
void BM_Row_Baseline_MakeRecord(benchmark::State& state, Getter get) {
    const Workload& w = get();
    struct Source {
        std::span<const double> num;
        const CategoricalColumn* cat = nullptr;
    };
    std::vector<Source> cols;
    for (const auto& c : w.pipe.input_schema()) {
        if (c.type == ColumnType::numeric) cols.push_back({w.source.numeric(c.name), nullptr});
        else cols.push_back({{}, &w.source.categorical(c.name)});
    }
    std::vector<Cell> rec(w.n_inputs);
    std::size_t i = 0;
    for (auto _ : state) {
        for (std::size_t k = 0; k < cols.size(); ++k) {
            if (!cols[k].cat) {
                rec[k] = Cell::num(cols[k].num[i]);
            } else {
                const std::int32_t code = cols[k].cat->codes[i];
                rec[k] = code < 0 ? Cell::missing_cat() : Cell::cat(cols[k].cat->dictionary[static_cast<std::size_t>(code)]);
            }
        }
        benchmark::DoNotOptimize(rec.data());
        benchmark::ClobberMemory();
        if (++i == w.n_records) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_Row_Baseline_CopyRecord(benchmark::State& state, Getter get) {
    const Workload& w = get();
    std::vector<Cell> rec(w.n_inputs);
    std::size_t i = 0;
    for (auto _ : state) {
        std::memcpy(static_cast<void*>(rec.data()), w.records.data() + i * w.n_inputs, w.n_inputs * sizeof(Cell));
        benchmark::DoNotOptimize(rec.data());
        benchmark::ClobberMemory();
        if (++i == w.n_records) i = 0;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// ---- batch -------------------------------------------------------------------------

// Minor page faults of this process so far: fresh memory costs ~11 us per 4 KiB page
// on these virtual machines, so faults per batch say how much memory a batch takes new.
long minor_faults() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_minflt;
}

// state.range(0) = n_jobs. Timed in real time (UseRealTime below): with threads, the
// calling thread's CPU time would leave out the other threads' work.
void BM_Batch_Transform(benchmark::State& state, Getter get) {
    const Workload& w = get();
    const TransformOptions opts{.n_jobs = static_cast<int>(state.range(0))};
    const long faults_before = minor_faults();
    const std::uint64_t allocs_before = g_allocations.load(std::memory_order_relaxed);
    for (auto _ : state) {
        Table out = w.pipe.transform(w.batch, opts);
        benchmark::DoNotOptimize(&out);
    }
    state.counters["allocs_per_batch"] = static_cast<double>(g_allocations.load(std::memory_order_relaxed) - allocs_before) /
                                         static_cast<double>(state.iterations());
    state.counters["minflt_per_batch"] =
        static_cast<double>(minor_faults() - faults_before) / static_cast<double>(state.iterations());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * w.batch.num_rows()));
}

// Pipeline::transform_into with one workspace and one `out` for every batch (issue 17):
// the steps rewrite their buffers of the last batch, and n_jobs > 1 runs on the worker
// threads the workspace started at its first call. Args: n_jobs, and the rows of a fused
// slice (Pipeline::Workspace(fuse_rows); 0 = no fusion). One untimed call first fills the
// workspace. Reports operator-new allocations and minor page faults per batch (both 0
// for these pipelines, penguins' categorical steps included, on 1 or 2 threads).
void BM_Batch_TransformInto(benchmark::State& state, Getter get) {
    const Workload& w = get();
    const TransformOptions opts{.n_jobs = static_cast<int>(state.range(0))};
    Pipeline::Workspace ws(static_cast<std::size_t>(state.range(1)));  // rows of a fused slice; 0: no fusion
    Table out;
    w.pipe.transform_into(w.batch, out, ws, opts);
    const long faults_before = minor_faults();
    const std::uint64_t allocs_before = g_allocations.load(std::memory_order_relaxed);
    for (auto _ : state) {
        w.pipe.transform_into(w.batch, out, ws, opts);
        benchmark::DoNotOptimize(&out);
    }
    const auto n = static_cast<double>(state.iterations());
    state.counters["allocs_per_batch"] =
        static_cast<double>(g_allocations.load(std::memory_order_relaxed) - allocs_before) / n;
    state.counters["minflt_per_batch"] = static_cast<double>(minor_faults() - faults_before) / n;
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * w.batch.num_rows()));
}

// The memory-bandwidth yardstick of issue 17: copying the numeric columns the pipeline
// reads into buffers allocated and touched once, i.e. reading its numeric input bytes and
// writing as many output bytes.
void BM_Batch_Baseline_MemcpyNumeric(benchmark::State& state, Getter get) {
    const Workload& w = get();
    std::vector<std::span<const double>> in;
    for (const auto& c : w.pipe.input_schema())
        if (c.type == ColumnType::numeric) in.push_back(w.batch.numeric(c.name));
    std::vector<std::vector<double>> out(in.size(), std::vector<double>(w.batch.num_rows(), 1.0));
    for (auto _ : state) {
        for (std::size_t j = 0; j < in.size(); ++j) std::memcpy(out[j].data(), in[j].data(), in[j].size_bytes());
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * w.batch.num_rows()));
}

// A batch counted by a drift monitor; issue 18 asks for at least half the throughput of
// BM_Batch_Transform on the same table.
void BM_Batch_MonitorUpdate(benchmark::State& state, Getter get) {
    const Workload& w = get();
    for (auto _ : state) {
        Monitor m = w.pipe.monitor();
        m.update(w.batch);
        benchmark::DoNotOptimize(&m);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * w.batch.num_rows()));
}

// ---- artifact load -----------------------------------------------------------------

void BM_Load_Pipeline(benchmark::State& state, Getter get) {
    const Workload& w = get();
    for (auto _ : state) {
        Pipeline p = load_pipeline_bytes(w.artifact);
        benchmark::DoNotOptimize(&p);
    }
    state.counters["artifact_bytes"] = static_cast<double>(w.artifact.size());
}

void BM_Load_Baseline_CopyBytes(benchmark::State& state, Getter get) {
    const Workload& w = get();
    for (auto _ : state) {
        std::string copy = w.artifact;
        benchmark::DoNotOptimize(copy.data());
    }
    state.counters["artifact_bytes"] = static_cast<double>(w.artifact.size());
}

#define REPREP_PIPELINE_BENCH(fn, unit)                                     \
    BENCHMARK_CAPTURE(fn, penguins, &penguins_w)->Unit(unit);    \
    BENCHMARK_CAPTURE(fn, three, &three_w)->Unit(unit);          \
    BENCHMARK_CAPTURE(fn, numeric10, &numeric10_w)->Unit(unit)

REPREP_PIPELINE_BENCH(BM_Row_Baseline_CopyRecord, benchmark::kNanosecond);
REPREP_PIPELINE_BENCH(BM_Row_Baseline_MakeRecord, benchmark::kNanosecond);
REPREP_PIPELINE_BENCH(BM_Row_Plan, benchmark::kNanosecond);
REPREP_PIPELINE_BENCH(BM_Row_PlanMonitored, benchmark::kNanosecond);
REPREP_PIPELINE_BENCH(BM_Row_PlanNamed, benchmark::kNanosecond);
REPREP_PIPELINE_BENCH(BM_Row_PlanBatch, benchmark::kMicrosecond);
// penguins reads strings: no numeric block for it.
BENCHMARK_CAPTURE(BM_Row_PlanBatchNumeric, three, &three_w)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Row_PlanBatchNumeric, numeric10, &numeric10_w)->Unit(benchmark::kMicrosecond);
REPREP_PIPELINE_BENCH(BM_Batch_Baseline_MemcpyNumeric, benchmark::kMillisecond);
// Arg = n_jobs (1 and 2 threads; bits are the same, see core/parallel.hpp).
BENCHMARK_CAPTURE(BM_Batch_Transform, penguins, &penguins_w)->Unit(benchmark::kMillisecond)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK_CAPTURE(BM_Batch_Transform, three, &three_w)->Unit(benchmark::kMillisecond)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK_CAPTURE(BM_Batch_Transform, numeric10, &numeric10_w)->Unit(benchmark::kMillisecond)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK_CAPTURE(BM_Batch_TransformInto, penguins, &penguins_w)->Unit(benchmark::kMillisecond)->ArgsProduct({{1, 2}, {0, 2048, 4096}})->UseRealTime();
BENCHMARK_CAPTURE(BM_Batch_TransformInto, three, &three_w)->Unit(benchmark::kMillisecond)->ArgsProduct({{1, 2}, {0, 2048, 4096}})->UseRealTime();
BENCHMARK_CAPTURE(BM_Batch_TransformInto, numeric10, &numeric10_w)->Unit(benchmark::kMillisecond)->ArgsProduct({{1, 2}, {0, 2048, 4096}})->UseRealTime();
REPREP_PIPELINE_BENCH(BM_Batch_MonitorUpdate, benchmark::kMillisecond);
REPREP_PIPELINE_BENCH(BM_Load_Baseline_CopyBytes, benchmark::kMicrosecond);
REPREP_PIPELINE_BENCH(BM_Load_Pipeline, benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
