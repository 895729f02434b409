// Pipeline::transform_into (issue 17, "a batch path without whole-table copies"): the
// bits of transform(X) for every batch, with 1, 2 and 8 threads; after the first call,
// no allocation at all for pipelines of numeric steps and for penguins' categorical
// ones (every operator new and, through the linker's --wrap as in
// compose_row_allocations, every malloc-family call of this executable is counted) and
// no new thread (the workspace keeps its workers); buffers the caller still holds are
// never rewritten; a threaded error names transform's row.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <reprep/reprep.hpp>

#include "../fuzz/zoo.hpp"
#include "../support/splitmix.hpp"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // the replacement pair is malloc/free
#endif

#ifndef REPREP_TEST_WRAPS_MALLOC
#define REPREP_TEST_WRAPS_MALLOC 0
#endif

namespace {
std::atomic<long> allocations{0};
}


#if REPREP_TEST_WRAPS_MALLOC
extern "C" {
void* __real_malloc(std::size_t);
void* __real_calloc(std::size_t, std::size_t);
void* __real_realloc(void*, std::size_t);
void* __real_aligned_alloc(std::size_t, std::size_t);
int __real_posix_memalign(void**, std::size_t, std::size_t);
void* __real_memalign(std::size_t, std::size_t);
void* __wrap_malloc(std::size_t n) { ++allocations; return __real_malloc(n); }
void* __wrap_calloc(std::size_t n, std::size_t s) { ++allocations; return __real_calloc(n, s); }
void* __wrap_realloc(void* p, std::size_t n) { ++allocations; return __real_realloc(p, n); }
void* __wrap_aligned_alloc(std::size_t a, std::size_t n) { ++allocations; return __real_aligned_alloc(a, n); }
int __wrap_posix_memalign(void** p, std::size_t a, std::size_t n) { ++allocations; return __real_posix_memalign(p, a, n); }
void* __wrap_memalign(std::size_t a, std::size_t n) { ++allocations; return __real_memalign(a, n); }
}
#endif

namespace {
// operator new's memory from the real allocator, so that one allocation counts once.
void* raw(std::size_t n) {
#if REPREP_TEST_WRAPS_MALLOC
    return __real_malloc(n ? n : 1);
#else
    return std::malloc(n ? n : 1);
#endif
}
void* raw_aligned(std::size_t n, std::align_val_t al) {
    const auto a = static_cast<std::size_t>(al);
    const std::size_t size = (n + a - 1) / a * a;
#if REPREP_TEST_WRAPS_MALLOC
    return __real_aligned_alloc(a, size ? size : a);
#else
    return std::aligned_alloc(a, size ? size : a);
#endif
}
void* counted(std::size_t n) {
    ++allocations;
    if (void* p = raw(n)) return p;
    throw std::bad_alloc();
}
void* counted(std::size_t n, std::align_val_t a) {
    ++allocations;
    if (void* p = raw_aligned(n, a)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted(n); }
void* operator new[](std::size_t n) { return counted(n); }
void* operator new(std::size_t n, std::align_val_t a) { return counted(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted(n, a); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { ++allocations; return raw(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { ++allocations; return raw(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace reprep;

namespace {

const std::vector<std::string> kNum = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};

const Table& penguins() {
    static const Table t = zoo::penguins(REPREP_TEST_DATA_DIR);
    return t;
}

std::uint64_t mix(std::uint64_t x) { return reprep_test::splitmix64_at(x); }

// `rows` penguins rows drawn with seed `seed` (repeats allowed).
Table batch(std::size_t rows, std::uint64_t seed) {
    std::vector<std::size_t> idx(rows);
    for (std::size_t i = 0; i < rows; ++i) idx[i] = mix(seed * 1000003 + i) % penguins().num_rows();
    return penguins().rows(idx);
}

// Eight skewed positive columns, 5% missing (bench_pipeline's numeric10 data).
Table synthetic(std::size_t rows, std::uint64_t seed) {
    Table t;
    for (std::size_t j = 0; j < 8; ++j) {
        std::vector<double> v(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            const std::uint64_t key = (seed << 40) ^ (i * 8 + j) * 3;
            const auto u = [](std::uint64_t k) { return static_cast<double>(mix(k) >> 11) * 0x1.0p-53; };
            v[i] = u(key + 2) < 0.05 ? NAN : 0.5 + u(key) * u(key + 1) * 10.0 * static_cast<double>(j + 1);
        }
        t.add_numeric("x" + std::to_string(j), std::move(v));
    }
    return t;
}

Pipeline three() {
    Pipeline p = Pipeline{}
                     .add("impute", SimpleImputer<>({.columns = kNum, .strategy = ImputeStrategy::median}))
                     .add("scale", StandardScaler<>({.columns = kNum}))
                     .add("minmax", MinMaxScaler<>({.columns = kNum}));
    p.fit(penguins());
    return p;
}

Pipeline penguins_pipe() {
    Pipeline p = Pipeline{}
                     .add("impute", SimpleImputer<>({.columns = kNum, .strategy = ImputeStrategy::median}))
                     .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
                     .add("cap", Winsorizer<>({.columns = kNum, .tail = Tail::both}))
                     .add("log", LogTransformer<>({.columns = kNum}))
                     .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
                     .add("scale", StandardScaler<>({.columns = kNum}));
    p.fit(penguins());
    return p;
}

Pipeline numeric10() {
    Pipeline p = Pipeline{}
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
    p.fit(synthetic(4096, 1));
    return p;
}

// The same names, types and values, numbers compared bit for bit (not as ==, which
// takes -0 for +0 and any NaN for any other).
void require_same_bits(const Table& a, const Table& b) {
    REQUIRE(a.column_names() == b.column_names());
    REQUIRE(a.num_rows() == b.num_rows());
    for (const auto& n : a.column_names()) {
        REQUIRE(a.type(n) == b.type(n));
        if (a.type(n) == ColumnType::numeric) {
            const auto x = a.numeric(n), y = b.numeric(n);
            INFO("column " << n);
            CHECK(std::memcmp(x.data(), y.data(), x.size_bytes()) == 0);
        } else {
            CHECK(a.select({n}) == b.select({n}));
        }
    }
}

// Batch k of a loop over one pipeline's input shape.
using Batches = Table (*)(std::uint64_t k);
Table penguin_batch(std::uint64_t k) { return batch(3000, k); }
Table synthetic_batch(std::uint64_t k) { return synthetic(3000, 10 + k); }

// Threads of this process now (Linux: /proc/self/status), to see none is left behind.
long live_threads() {
    std::ifstream f("/proc/self/status");
    std::string key;
    while (f >> key)
        if (key == "Threads:") {
            long n = 0;
            f >> n;
            return n;
        }
    return -1;
}

// What the calls of a loop after the first took: allocations and threads started.
struct Later {
    long allocations = 0;
    std::uint64_t threads = 0;
};

// Runs `calls` batches through transform_into with one workspace and one `out`; checks
// each against transform; returns the allocations and threads started by the calls
// after the first. fuse_rows: the workspace's slice of fused steps (0: no fusion).
Later loop(const Pipeline& p, Batches make, int n_jobs, int calls = 4, std::size_t fuse_rows = 2048) {
    const TransformOptions opts{.n_jobs = n_jobs};
    Pipeline::Workspace ws(fuse_rows);
    Table out;
    Later later;
    for (int k = 0; k < calls; ++k) {
        const Table in = make(static_cast<std::uint64_t>(k));
        const Table expected = p.transform(in, opts);
        const long before = allocations.load();
        const std::uint64_t started = detail::threads_started().load();
        p.transform_into(in, out, ws, opts);
        if (k > 0) {
            later.allocations += allocations.load() - before;
            later.threads += detail::threads_started().load() - started;
        }
        require_same_bits(out, expected);
        // Every run of numeric steps that read and write the same columns went through
        // slices (three: its 3 steps; penguins: cap and log; numeric10: all but cyclical).
        if (k > 0) CHECK(ws.fused_runs() == (fuse_rows > 0 ? 1u : 0u));
    }
    CHECK(ws.threads() == (n_jobs > 1 ? static_cast<std::size_t>(n_jobs - 1) : 0u));
    return later;
}

}  // namespace

TEST_CASE("transform_into gives transform's bits, batch after batch, fused or not, with 1, 2 and 8 threads") {
    // Fused runs: three's 3 steps; penguins' cap and log; numeric10's first 9 steps. Slices
    // of 2048 rows (a 3000-row batch: one whole slice and a part), 64 and 1000 rows (the
    // two threads' 1500 rows each end in a part), and no fusion.
    const Pipeline p3 = three(), pp = penguins_pipe(), p10 = numeric10();
    for (const int jobs : {1, 2, 8})
        for (const std::size_t fuse : {std::size_t{2048}, std::size_t{64}, std::size_t{1000}, std::size_t{0}}) {
            CAPTURE(jobs);
            CAPTURE(fuse);
            loop(p3, penguin_batch, jobs, 3, fuse);
            loop(pp, penguin_batch, jobs, 3, fuse);
            loop(p10, synthetic_batch, jobs, 3, fuse);
        }
}

TEST_CASE("a fused run that meets a value a step refuses raises transform's error, naming the caller's row") {
    // LogTransformer refuses values <= 0; the bad row lies in the second 64-row slice.
    Table fit;
    fit.add_numeric("a", {1.0, 2.0, 3.0}).add_numeric("b", {4.0, 5.0, 6.0});
    Pipeline p = Pipeline{}
                     .add("log", LogTransformer<>({.columns = {"a", "b"}}))
                     .add("scale", StandardScaler<>({.columns = {"a", "b"}}));
    p.fit(fit);
    std::vector<double> a(200, 2.0), b(200, 5.0);
    Table good;
    good.add_numeric("a", a).add_numeric("b", b);
    a[100] = -1.0;
    Table bad;
    bad.add_numeric("a", a).add_numeric("b", b);
    std::string expected;
    try {
        (void)p.transform(bad);
    } catch (const Error& e) {
        expected = e.what();
    }
    REQUIRE(!expected.empty());
    Pipeline::Workspace ws(64);
    Table out;
    p.transform_into(good, out, ws);
    p.transform_into(good, out, ws);
    CHECK(ws.fused_runs() == 1);
    std::string got;
    try {
        p.transform_into(bad, out, ws);
    } catch (const Error& e) {
        got = e.what();
    }
    CHECK(got == expected);
    CHECK(out.num_columns() == 0);
    p.transform_into(good, out, ws);
    require_same_bits(out, p.transform(good));
}

TEST_CASE("after the first call, nothing is allocated and no thread is started, on 1, 2 or 8 threads") {
    // The counters are live: an allocation through each route is seen.
    long before = allocations.load();
    delete new int(1);
    CHECK(allocations.load() == before + 1);
#if REPREP_TEST_WRAPS_MALLOC
    before = allocations.load();
    void* volatile m = std::malloc(8);
    std::free(m);
    CHECK(allocations.load() == before + 1);
#else
    MESSAGE("the linker has no --wrap: only operator new is counted");
#endif
    // And so is a thread: transform with n_jobs = 2 starts one of its own per step.
    const std::uint64_t started = detail::threads_started().load();
    (void)three().transform(penguin_batch(0), TransformOptions{.n_jobs = 2});
    CHECK(detail::threads_started().load() > started);
    const Pipeline p3 = three(), pp = penguins_pipe(), p10 = numeric10();
    for (const int jobs : {1, 2, 8})
        for (const std::size_t fuse : {std::size_t{2048}, std::size_t{0}}) {
            CAPTURE(jobs);
            CAPTURE(fuse);
            const char* names[] = {"three", "penguins", "numeric10"};
            int which = 0;
            for (const auto& later : {loop(p3, penguin_batch, jobs, 6, fuse), loop(pp, penguin_batch, jobs, 6, fuse),
                                      loop(p10, synthetic_batch, jobs, 6, fuse)}) {
                CAPTURE(names[which++]);
                CHECK(later.allocations == 0);
                CHECK(later.threads == 0);
            }
        }
}

TEST_CASE("penguins: the categorical steps rewrite their buffers too") {
    // CategoricalImputer rewrites the column it keeps; OneHotEncoder its block, as a
    // numeric step does.
    const Pipeline p = penguins_pipe();
    Pipeline::Workspace ws;
    Table out;
    p.transform_into(penguin_batch(0), out, ws);
    const double* scaled = out.numeric("body_mass_g").data();
    const double* hot = out.numeric("species_Adelie").data();
    const Table in = penguin_batch(1);
    const long before = allocations.load();
    p.transform_into(in, out, ws);
    const long penguins_into = allocations.load() - before;
    CHECK(out.numeric("body_mass_g").data() == scaled);
    CHECK(out.numeric("species_Adelie").data() == hot);
    const long before_t = allocations.load();
    const Table t = p.transform(in);
    const long penguins_transform = allocations.load() - before_t;
    MESSAGE("penguins, allocations per batch: transform_into " << penguins_into << ", transform " << penguins_transform);
    CHECK(penguins_into == 0);
    CHECK(penguins_transform > 0);
    require_same_bits(out, t);
}

// A penguins batch whose `sex` and `island` hold values fit never saw, different ones in
// every batch (their dictionaries grow), and missing ones.
Table novel_batch(std::uint64_t k) {
    Table t = batch(3000, 50 + k);
    std::vector<std::optional<std::string>> sex(t.num_rows()), island(t.num_rows());
    for (std::size_t i = 0; i < t.num_rows(); ++i) {
        sex[i] = t.category("sex", i) ? std::optional<std::string>(std::string(*t.category("sex", i))) : std::nullopt;
        island[i] = std::string(*t.category("island", i));
        if (mix(k * 7919 + i) % 11 == 0) sex[i] = "novel_" + std::to_string((i + k) % 5);
        if (mix(k * 104729 + i) % 13 == 0) sex[i] = std::nullopt;
        if (mix(k * 31 + i) % 17 == 0) island[i] = "Atlantis_" + std::to_string(k % 3);
    }
    t.remove("sex").remove("island");
    t.add_categorical("sex", sex).add_categorical("island", island);
    return t;
}

TEST_CASE("categorical steps give transform's bits on values fit never saw and on missing ones") {
    const Pipeline pp = penguins_pipe();
    // Only the imputer, so that out holds its categorical output.
    Pipeline imp = Pipeline{}.add("sex", CategoricalImputer({.columns = {"sex", "island"},
                                                              .imputation_method = ImputationMethod::frequent}));
    imp.fit(penguins());
    Pipeline rare = Pipeline{}.add("rare", RareLabelEncoder({.columns = {"island"}, .tol = 0.2, .n_categories = 1}));
    rare.fit(penguins());
    for (const int jobs : {1, 2, 8}) {
        CAPTURE(jobs);
        loop(pp, novel_batch, jobs, 4);
        loop(imp, novel_batch, jobs, 4, 0);
        loop(rare, novel_batch, jobs, 4, 0);
        loop(imp, penguin_batch, jobs, 4, 0);
    }
}

TEST_CASE("ten kinds, categorical ones among them, give transform's bits and allocate nothing after the first call") {
    // RareLabelEncoder and CategoricalImputer rewrite their columns; CountFrequencyEncoder
    // and OrdinalEncoder replace categorical columns by numbers in place (block steps
    // without a row kernel, never fused).
    Pipeline wide = zoo::wide_pipeline();
    wide.fit(penguins());
    for (const int jobs : {1, 2, 8}) {
        CAPTURE(jobs);
        const Later later = loop(wide, penguin_batch, jobs, 5, 64);
        CHECK(later.allocations == 0);
        CHECK(later.threads == 0);
        loop(wide, novel_batch, jobs, 4, 0);
    }
}

TEST_CASE("hashing, target and WoE encoders write their block with transform's bits") {
    // The categorical components with numeric outputs that the pipelines above lack.
    const Table fit = zoo::complete_rows(penguins());
    std::vector<double> y, y01;
    for (std::size_t i = 0; i < fit.num_rows(); ++i) {
        y.push_back(fit.numeric("body_mass_g")[i] / 1000.0);
        y01.push_back(fit.numeric("bill_length_mm")[i] > 44.0 ? 1.0 : 0.0);
    }
    Pipeline hashing = Pipeline{}
                           .add("hash", HashingEncoder({.columns = {"species", "island"}, .n_components = 6}))
                           .add("scale", StandardScaler<>({.columns = kNum}));
    hashing.fit(fit);
    Pipeline target = Pipeline{}
                          .add("sex", CategoricalImputer({.columns = {"sex"}}))
                          .add("target", TargetEncoder({.columns = {"species", "island", "sex"}}));
    target.fit(fit, y);
    Pipeline woe = Pipeline{}
                       .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
                       .add("woe", WoEEncoder({.columns = {"island", "sex"}}));
    woe.fit(fit, y01);
    for (const int jobs : {1, 2, 8}) {
        CAPTURE(jobs);
        for (const Pipeline* p : {&hashing, &target, &woe}) {
            const Later later = loop(*p, penguin_batch, jobs, 4, 0);
            CHECK(later.allocations == 0);
            loop(*p, novel_batch, jobs, 3, 0);
        }
    }
}

TEST_CASE("a copy of out that the caller keeps is never rewritten, categorical columns included") {
    Pipeline p = Pipeline{}.add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}));
    p.fit(penguins());
    Pipeline::Workspace ws;
    Table out;
    p.transform_into(novel_batch(0), out, ws);
    p.transform_into(novel_batch(1), out, ws);
    const Table kept = out;
    const Table first = p.transform(novel_batch(1));
    p.transform_into(novel_batch(2), out, ws);
    require_same_bits(kept, first);
    require_same_bits(out, p.transform(novel_batch(2)));
    // Fed back in: the input shares the workspace's column.
    const Table again = out;
    p.transform_into(again, out, ws);
    require_same_bits(out, p.transform(again));
    require_same_bits(kept, first);
}

TEST_CASE("an error in a threaded block names transform's row: the first failing row") {
    // LogTransformer refuses values <= 0 (rows 700 and 2500: in the first and second of
    // two blocks, the second and sixth of eight); OneHotEncoder (handle_unknown = error)
    // an unseen category (rows 2900 and 1200).
    Pipeline p = Pipeline{}
                     .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
                     .add("log", LogTransformer<>({.columns = {"body_mass_g"}}))
                     .add("onehot", OneHotEncoder({.columns = {"island"}}))
                     .add("scale", StandardScaler<>({.columns = {"body_mass_g"}}));
    p.fit(zoo::complete_rows(penguins()));
    const Table good = zoo::complete_rows(batch(3200, 5));
    REQUIRE(good.num_rows() > 2900);
    Table bad_log = good;
    std::vector<double> mass(good.numeric("body_mass_g").begin(), good.numeric("body_mass_g").end());
    mass[2500] = -1.0;
    mass[700] = 0.0;
    bad_log.remove("body_mass_g").add_numeric("body_mass_g", mass);
    Table bad_cat = good;
    std::vector<std::optional<std::string>> island;
    for (std::size_t i = 0; i < good.num_rows(); ++i) island.emplace_back(std::string(*good.category("island", i)));
    island[2900] = "Atlantis";
    island[1200] = "Lemuria";
    bad_cat.remove("island").add_categorical("island", island);
    for (const Table* bad : {&bad_log, &bad_cat}) {
        std::string expected;
        std::optional<std::size_t> row;
        try {
            (void)p.transform(*bad);
        } catch (const Error& e) {
            expected = e.what();
            row = e.row();
        }
        REQUIRE(row);
        CHECK((*row == 700 || *row == 1200));
        for (const int jobs : {1, 2, 8}) {
            CAPTURE(jobs);
            const TransformOptions opts{.n_jobs = jobs};
            Pipeline::Workspace ws;
            Table out;
            p.transform_into(good, out, ws, opts);
            p.transform_into(good, out, ws, opts);
            std::string got;
            try {
                p.transform_into(*bad, out, ws, opts);
            } catch (const Error& e) {
                got = e.what();
            }
            CHECK(got == expected);
            CHECK(out.num_columns() == 0);
            // The workspace serves again, on the same threads.
            const std::uint64_t started = detail::threads_started().load();
            p.transform_into(good, out, ws, opts);
            p.transform_into(good, out, ws, opts);
            CHECK(detail::threads_started().load() == started);
            require_same_bits(out, p.transform(good));
        }
    }
}

TEST_CASE("a workspace moved and destroyed mid-life keeps its threads and leaves none behind") {
    const Pipeline p = penguins_pipe();
    const TransformOptions opts{.n_jobs = 2};
    const long threads_before = live_threads();
    REQUIRE(threads_before > 0);
    {
        Table out;
        auto ws = std::make_unique<Pipeline::Workspace>();
        p.transform_into(penguin_batch(0), out, *ws, opts);
        CHECK(live_threads() == threads_before + 1);
        const std::uint64_t started = detail::threads_started().load();
        Pipeline::Workspace moved = std::move(*ws);
        ws.reset();  // the moved-from workspace dies first
        CHECK(moved.threads() == 1);
        for (std::uint64_t k = 1; k < 4; ++k) {
            const Table in = penguin_batch(k);
            p.transform_into(in, out, moved, opts);
            require_same_bits(out, p.transform(in));
        }
        CHECK(detail::threads_started().load() == started);
        // Assigned over: the target's threads end, the source's go on.
        Pipeline::Workspace other;
        p.transform_into(penguin_batch(5), out, other, TransformOptions{.n_jobs = 3});
        CHECK(live_threads() == threads_before + 3);
        other = std::move(moved);
        CHECK(live_threads() == threads_before + 1);
        p.transform_into(penguin_batch(6), out, other, opts);
        require_same_bits(out, p.transform(penguin_batch(6)));
        // clear() keeps the threads; more threads than the pool has start a larger one.
        other.clear();
        CHECK(other.threads() == 1);
        p.transform_into(penguin_batch(7), out, other, TransformOptions{.n_jobs = 4});
        CHECK(other.threads() == 3);
        CHECK(live_threads() == threads_before + 3);
        require_same_bits(out, p.transform(penguin_batch(7)));
    }
    CHECK(live_threads() == threads_before);
}

TEST_CASE("a copy of out that the caller keeps is never rewritten") {
    const Pipeline p = three();
    Pipeline::Workspace ws;
    Table out;
    p.transform_into(penguin_batch(0), out, ws);
    p.transform_into(penguin_batch(1), out, ws);
    const Table kept = out;  // shares out's buffer
    const Table first = p.transform(penguin_batch(1));
    p.transform_into(penguin_batch(2), out, ws);
    require_same_bits(kept, first);
    require_same_bits(out, p.transform(penguin_batch(2)));
    // The kept copy holds the old buffer: out got a new one, and keeps it from now on.
    const double* now = out.numeric("bill_depth_mm").data();
    CHECK(now != kept.numeric("bill_depth_mm").data());
    p.transform_into(penguin_batch(3), out, ws);
    CHECK(out.numeric("bill_depth_mm").data() == now);
    require_same_bits(kept, first);
}

TEST_CASE("an input that shares the workspace's buffers, or is out itself, is read intact") {
    const Pipeline p = three();
    Pipeline::Workspace ws;
    Table out;
    p.transform_into(penguin_batch(0), out, ws);
    // Feed out back in (its columns are the steps' outputs, under the input's names).
    Table again = out;
    const Table expected = p.transform(again);
    p.transform_into(again, out, ws);
    require_same_bits(out, expected);
    Table self = penguin_batch(4);
    const Table expected_self = p.transform(self);
    p.transform_into(self, self, ws);
    require_same_bits(self, expected_self);
}

TEST_CASE("a new shape starts afresh; an error leaves out empty") {
    const Pipeline p = three();
    Pipeline::Workspace ws;
    Table out;
    p.transform_into(batch(100, 1), out, ws);
    p.transform_into(batch(100, 2), out, ws);
    Table longer = batch(250, 3);
    p.transform_into(longer, out, ws);
    require_same_bits(out, p.transform(longer));
    Table reordered = longer.select({"body_mass_g", "species", "bill_length_mm", "bill_depth_mm", "flipper_length_mm"});
    p.transform_into(reordered, out, ws);
    require_same_bits(out, p.transform(reordered));
    Table bad = longer;
    bad.remove("bill_depth_mm");
    CHECK_THROWS_AS(p.transform_into(bad, out, ws), SchemaError);
    CHECK(out.num_columns() == 0);
    p.transform_into(longer, out, ws);
    require_same_bits(out, p.transform(longer));
}
