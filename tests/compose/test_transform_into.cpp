// Pipeline::transform_into (issue 17, "a batch path without whole-table copies"): the
// bits of transform(X) for every batch, with one thread and two; after the first call,
// no allocation at all for pipelines of numeric steps (every operator new and, through
// the linker's --wrap as in compose_row_allocations, every malloc-family call of this
// executable is counted); buffers the caller still holds are never rewritten.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <reprep/reprep.hpp>

#include "../fuzz/zoo.hpp"

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

std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

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

// Runs `calls` batches through transform_into with one workspace and one `out`; checks
// each against transform; returns the allocations of the calls after the first.
// fuse_rows: the workspace's slice of fused steps (0: no fusion).
long loop(const Pipeline& p, Batches make, int n_jobs, int calls = 4, std::size_t fuse_rows = 2048) {
    const TransformOptions opts{.n_jobs = n_jobs};
    Pipeline::Workspace ws(fuse_rows);
    Table out;
    long later = 0;
    for (int k = 0; k < calls; ++k) {
        const Table in = make(static_cast<std::uint64_t>(k));
        const Table expected = p.transform(in, opts);
        const long before = allocations.load();
        p.transform_into(in, out, ws, opts);
        if (k > 0) later += allocations.load() - before;
        require_same_bits(out, expected);
        // Every run of numeric steps that read and write the same columns went through
        // slices (three: its 3 steps; penguins: cap and log; numeric10: all but cyclical).
        if (k > 0) CHECK(ws.fused_runs() == (fuse_rows > 0 ? 1u : 0u));
    }
    return later;
}

}  // namespace

TEST_CASE("transform_into gives transform's bits, batch after batch, fused or not, with one thread and two") {
    // Fused runs: three's 3 steps; penguins' cap and log; numeric10's first 9 steps. Slices
    // of 2048 rows (a 3000-row batch: one whole slice and a part), 64 and 1000 rows (the
    // two threads' 1500 rows each end in a part), and no fusion.
    const Pipeline p3 = three(), pp = penguins_pipe(), p10 = numeric10();
    for (const int jobs : {1, 2})
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

TEST_CASE("after the first call, a pipeline of numeric steps allocates nothing") {
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
    for (const std::size_t fuse : {std::size_t{2048}, std::size_t{0}}) {
        CAPTURE(fuse);
        CHECK(loop(three(), penguin_batch, 1, 6, fuse) == 0);
        CHECK(loop(numeric10(), synthetic_batch, 1, 6, fuse) == 0);
    }
}

TEST_CASE("penguins: only the categorical steps allocate, the numeric buffers are reused") {
    // CategoricalImputer and OneHotEncoder run transform(t) as Pipeline::transform does
    // (pipeline_into.hpp); the numeric steps write into the buffers of the last call.
    const Pipeline p = penguins_pipe();
    Pipeline::Workspace ws;
    Table out;
    p.transform_into(penguin_batch(0), out, ws);
    const double* scaled = out.numeric("body_mass_g").data();
    const long before = allocations.load();
    p.transform_into(penguin_batch(1), out, ws);
    const long penguins_into = allocations.load() - before;
    CHECK(out.numeric("body_mass_g").data() == scaled);
    const Table in = penguin_batch(2);
    const long before_t = allocations.load();
    const Table t = p.transform(in);
    const long penguins_transform = allocations.load() - before_t;
    MESSAGE("penguins, allocations per batch: transform_into " << penguins_into << ", transform " << penguins_transform);
    CHECK(penguins_into < penguins_transform);
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
