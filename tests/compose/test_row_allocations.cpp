// The zero-allocation promise of the single-row paths (README, docs/pipeline.md
// "Serving", docs/components.md), checked for every built-in kind: a compiled RowPlan
// of a one-step pipeline, and the component's own transform_row, over ordinary
// penguins rows and hostile ones (values near 2^1000 and DBL_MAX, subnormals down to
// 2^-1074, huge and tiny in one row, -0.0, NaN and ±Inf, rounding ties, empty, long
// and unknown strings, missing values). Rows a kind refuses are left out: a refusal
// throws, and an exception allocates by design.
//
// Each path runs one warm-up row first, which is not counted: the promise is per row,
// and a kind may size a buffer lazily on its first row (none does today; when this test
// was written every first row allocated nothing too). Every later row must allocate
// nothing. What is counted:
//   * every replaceable operator new (plain, array, nothrow, aligned), replaced below,
//     which sees the allocations of the standard library too;
//   * malloc, calloc, realloc, aligned_alloc, posix_memalign and memalign called from
//     code compiled into this executable (our headers, Eigen's aligned_malloc, the
//     test), through the linker's --wrap (row_allocations.cmake). Wrapping rather than
//     replacing malloc works under ASan as well, whose runtime owns the symbol malloc
//     (the dev tree runs this test under ASan + UBSan); a replacement malloc would
//     fight its interceptors. Calls made inside the shared C and C++ runtimes are not
//     seen (their containers allocate through operator new, which is counted). Where the linker has no --wrap, the
//     malloc count is off, and the test says so (MESSAGE, and a skipped CTest entry).
// Both counters are proven live first: the test allocates through every form itself
// and requires each counter to see it.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <reprep/compose/builtin_kinds.hpp>
#include <reprep/compose/pipeline.hpp>

#include "../fuzz/zoo.hpp"

// GCC pairs our replacement operator new/delete with malloc/free and warns that they
// mismatch; they are the replacement pair, so the warning does not apply here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#ifndef REPREP_TEST_WRAPS_MALLOC
#define REPREP_TEST_WRAPS_MALLOC 0
#endif

namespace {
std::atomic<bool> counting{false};
std::atomic<long> news{0}, mallocs{0};

void count(std::atomic<long>& c) {
    if (counting.load(std::memory_order_relaxed)) c.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

// ---- malloc family, wrapped by the linker (--wrap=malloc makes our references to
// malloc call __wrap_malloc, and __real_malloc the real one) ----
#if REPREP_TEST_WRAPS_MALLOC
extern "C" {
void* __real_malloc(std::size_t);
void* __real_calloc(std::size_t, std::size_t);
void* __real_realloc(void*, std::size_t);
void* __real_aligned_alloc(std::size_t, std::size_t);
int __real_posix_memalign(void**, std::size_t, std::size_t);
void* __real_memalign(std::size_t, std::size_t);
void* __wrap_malloc(std::size_t n) {
    count(mallocs);
    return __real_malloc(n);
}
void* __wrap_calloc(std::size_t n, std::size_t s) {
    count(mallocs);
    return __real_calloc(n, s);
}
void* __wrap_realloc(void* p, std::size_t n) {
    count(mallocs);
    return __real_realloc(p, n);
}
void* __wrap_aligned_alloc(std::size_t a, std::size_t n) {
    count(mallocs);
    return __real_aligned_alloc(a, n);
}
int __wrap_posix_memalign(void** p, std::size_t a, std::size_t n) {
    count(mallocs);
    return __real_posix_memalign(p, a, n);
}
void* __wrap_memalign(std::size_t a, std::size_t n) {
    count(mallocs);
    return __real_memalign(a, n);
}
}
#endif

namespace {
// Memory for operator new, taken from the real allocator so that one operator new is
// counted once (as a new), not once more as a malloc.
void* raw(std::size_t n) {
#if REPREP_TEST_WRAPS_MALLOC
    return __real_malloc(n ? n : 1);
#else
    return std::malloc(n ? n : 1);
#endif
}
void* raw_aligned(std::size_t n, std::align_val_t al) {
    const auto a = static_cast<std::size_t>(al);
    const std::size_t size = (n + a - 1) / a * a;  // aligned_alloc wants a multiple of the alignment
#if REPREP_TEST_WRAPS_MALLOC
    return __real_aligned_alloc(a, size ? size : a);
#else
    return std::aligned_alloc(a, size ? size : a);
#endif
}
void* counted_new(std::size_t n) {
    count(news);
    if (void* p = raw(n)) return p;
    throw std::bad_alloc();
}
void* counted_new(std::size_t n, std::align_val_t a) {
    count(news);
    if (void* p = raw_aligned(n, a)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted_new(n); }
void* operator new[](std::size_t n) { return counted_new(n); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_new(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_new(n, a); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    count(news);
    return raw(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    count(news);
    return raw(n);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    count(news);
    return raw_aligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    count(news);
    return raw_aligned(n, a);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

using namespace reprep;

namespace {

// Frees p after storing it where the compiler must assume it is read, so that the
// allocation that made it is not optimised away.
void* volatile sink;
void release(void* p) {
    sink = p;
    std::free(p);
}

struct Counts {
    long news = 0, mallocs = 0;
    long total() const { return news + mallocs; }
};
Counts now() { return {news.load(), mallocs.load()}; }
Counts since(Counts a) { return {news.load() - a.news, mallocs.load() - a.mallocs}; }

// One input row, column k of the kind's feature_names_in(): a number (numeric columns)
// or a string or missing (categorical ones). `label` names it in failures.
struct Row {
    std::string label;
    std::vector<double> numbers;
    std::vector<std::optional<std::string>> texts;
    std::vector<std::optional<std::string_view>> views;  // of `texts`, made once the row is final
};

// Values of the hostile rows, for scalar S: row r holds pattern[r][k % size] in column k,
// so that one-column kinds meet every value too.
template <class S>
std::vector<std::vector<double>> numeric_patterns() {
    constexpr double big = std::is_same_v<S, float> ? 0x1p120 : 0x1p1000;
    constexpr double top = std::numeric_limits<S>::max();
    constexpr double sub = std::is_same_v<S, float> ? 0x1p-146 : 0x1p-1070;  // subnormal
    constexpr double least = std::numeric_limits<S>::denorm_min();
    constexpr double normal = std::numeric_limits<S>::min();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    return {
        {big},           {-big},          {top},           {-top},         {sub},          {-sub},
        {least},         {normal},        {-0.0},          {0.0},          {nan},          {inf},
        {-inf},          {big, sub},      {sub, big},      {big, -0.0, least, 1.5},        {top, least, -top, sub},
        {top, top},      {nan, big, sub, -0.0},
        // Rounding ties of an l1 / l2 norm: a compensated sum cannot decide them, so
        // Normalizer takes its exact path on these ordinary magnitudes too.
        {1.0, 0x1p-53}, {1.0, 0x1p-27},  {2.0, 0x1p-53, 0x1p-53},
    };
}

std::vector<std::vector<std::optional<std::string>>> text_patterns() {
    const std::string longer(48, 'q');  // beyond any small-string buffer
    return {
        {std::nullopt}, {""}, {"Adelie"}, {longer}, {"zz\xff"}, {"Dream", std::nullopt},
        {longer, "Biscoe", ""}, {"male"}, {"Torgersen", longer + "x"},
    };
}

// Ordinary rows (the first penguins rows, missing values included) then hostile ones,
// for columns `names` of types `types`.
template <class S>
std::vector<Row> make_rows(const Table& t, const std::vector<std::string>& names, const std::vector<ColumnType>& types) {
    std::vector<Row> rows;
    for (std::size_t i = 0; i < 16; ++i) {
        Row r{"penguins row " + std::to_string(i), {}, {}, {}};
        for (std::size_t k = 0; k < names.size(); ++k) {
            const bool numeric = types[k] == ColumnType::numeric;
            r.numbers.push_back(numeric ? static_cast<double>(static_cast<S>(t.numeric(names[k])[i])) : 0.0);
            if (numeric) r.texts.push_back(std::nullopt);
            else if (auto v = t.category(names[k], i)) r.texts.emplace_back(std::string(*v));
            else r.texts.push_back(std::nullopt);
        }
        rows.push_back(std::move(r));
    }
    const auto nums = numeric_patterns<S>();
    const auto txts = text_patterns();
    for (std::size_t p = 0; p < std::max(nums.size(), txts.size()); ++p) {
        const auto& np = nums[p % nums.size()];
        const auto& tp = txts[p % txts.size()];
        Row r{"hostile row " + std::to_string(p), {}, {}, {}};
        for (std::size_t k = 0; k < names.size(); ++k) {
            const bool numeric = types[k] == ColumnType::numeric;
            r.numbers.push_back(numeric ? static_cast<double>(static_cast<S>(np[k % np.size()])) : 0.0);
            r.texts.push_back(numeric ? std::nullopt : tp[k % tp.size()]);
        }
        rows.push_back(std::move(r));
    }
    for (auto& r : rows)
        for (const auto& s : r.texts) r.views.push_back(s ? std::optional<std::string_view>(*s) : std::nullopt);
    return rows;
}

// A one-row table of `row`: the batch path's input.
Table one_row_table(const Row& row, const std::vector<std::string>& names, const std::vector<ColumnType>& types) {
    Table t;
    for (std::size_t k = 0; k < names.size(); ++k) {
        if (types[k] == ColumnType::numeric) t.add_numeric(names[k], {row.numbers[k]});
        else t.add_categorical(names[k], std::vector<std::optional<std::string>>{row.texts[k]});
    }
    return t;
}

// An output cell: bits of a number, or a string or missing.
struct Out {
    bool numeric = true;
    std::uint64_t bits = 0;
    std::optional<std::string> text;
    friend bool operator==(const Out&, const Out&) = default;
};
Out out_num(double x) {
    Out o;
    std::memcpy(&o.bits, &x, sizeof x);
    return o;
}
Out out_text(std::optional<std::string_view> s) {
    Out o;
    o.numeric = false;
    if (s) o.text = std::string(*s);
    return o;
}
std::vector<Out> table_row(const Table& t, const std::vector<std::string>& names) {
    std::vector<Out> v;
    for (const auto& n : names)
        v.push_back(t.type(n) == ColumnType::numeric ? out_num(t.numeric(n)[0]) : out_text(t.category(n, 0)));
    return v;
}

// Runs `run(i)` for every accepted row i after a warm-up row, counting what each
// allocates; fails naming the kind, the path and the first row that allocated.
template <class Run>
void check_rows(const std::string& what, const std::vector<Row>& rows, const std::vector<std::size_t>& accepted, Run&& run) {
    REQUIRE_MESSAGE(!accepted.empty(), what << ": no row accepted");
    run(accepted.front());  // warm-up: not counted
    std::vector<Counts> per_row(accepted.size());
    std::vector<char> refused(accepted.size(), 0);  // sized now: nothing is allocated while counting
    counting = true;
    for (std::size_t a = 0; a < accepted.size(); ++a) {
        const Counts before = now();
        try {
            run(accepted[a]);
        } catch (...) {
            refused[a] = 1;  // reported below, once counting is off
        }
        per_row[a] = since(before);
    }
    counting = false;
    Counts total;
    std::size_t allocating = 0;
    std::string first;
    for (std::size_t a = 0; a < accepted.size(); ++a) {
        CHECK_MESSAGE(!refused[a], what << ": the row path threw on " << rows[accepted[a]].label
                                        << ", which the batch path accepts");
        total.news += per_row[a].news;
        total.mallocs += per_row[a].mallocs;
        if (per_row[a].total() == 0) continue;
        if (allocating++ == 0) first = rows[accepted[a]].label;
    }
    CHECK_MESSAGE(total.total() == 0, what << ": " << total.news << " operator new and " << total.mallocs
                                           << " malloc-family calls in " << allocating << " of " << accepted.size()
                                           << " rows after the warm-up row (first: " << first << ")");
}

// Which rows the batch path accepts, and its outputs for them.
struct Expected {
    std::vector<std::size_t> accepted;
    std::vector<std::vector<Out>> outputs;  // per accepted row
    std::size_t hostile = 0;                // accepted hostile rows
};

template <class Batch>
Expected expect(const std::vector<Row>& rows, Batch&& batch) {
    Expected e;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        try {
            e.outputs.push_back(batch(rows[i]));
        } catch (const Error&) {
            continue;  // refused: not this test's concern (an exception allocates by design)
        }
        e.accepted.push_back(i);
        e.hostile += rows[i].label.starts_with("hostile");
    }
    return e;
}

void check_same(const std::string& what, const std::vector<Row>& rows, const Expected& e,
                const std::vector<std::vector<Out>>& got) {
    for (std::size_t a = 0; a < e.accepted.size(); ++a)
        CHECK_MESSAGE(got[a] == e.outputs[a], what << ": the row path differs from the batch path on "
                                                   << rows[e.accepted[a]].label);
}

struct Data {
    Table all = zoo::penguins(REPREP_TEST_DATA_DIR);
    Table complete = zoo::complete_rows(all);
};
const Data& data() {
    static const Data d;
    return d;
}

// The component's own single-row path.
template <class C>
void check_component(const C& comp) {
    const std::string what = zoo::tag<C>() + " transform_row";
    const auto names = comp.feature_names_in();
    std::vector<ColumnType> types;
    if constexpr (detail::MixedStep<C>) types = comp.column_types();
    else if constexpr (requires { typename C::Scalar; }) types.assign(names.size(), ColumnType::numeric);
    else types.assign(names.size(), ColumnType::categorical);

    if constexpr (requires { typename C::Scalar; }) {
        using S = typename C::Scalar;
        const auto rows = make_rows<S>(data().all, names, types);
        const auto n_in = names.size();
        const auto n_out = static_cast<std::size_t>(comp.n_features_out());
        const Expected e = expect(rows, [&](const Row& r) {
            Matrix<S> X(1, static_cast<Eigen::Index>(n_in));
            for (std::size_t k = 0; k < n_in; ++k) X(0, static_cast<Eigen::Index>(k)) = static_cast<S>(r.numbers[k]);
            const Matrix<S> Y = comp.transform(X);
            std::vector<Out> v;
            for (Eigen::Index k = 0; k < Y.cols(); ++k) v.push_back(out_num(static_cast<double>(Y(0, k))));
            return v;
        });
        std::vector<std::vector<S>> in(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i)
            for (double x : rows[i].numbers) in[i].push_back(static_cast<S>(x));
        std::vector<S> out(n_out);
        std::vector<std::vector<Out>> got;
        check_rows(what, rows, e.accepted, [&](std::size_t i) { comp.transform_row(std::span<const S>(in[i]), std::span<S>(out)); });
        for (std::size_t i : e.accepted) {
            comp.transform_row(std::span<const S>(in[i]), std::span<S>(out));
            std::vector<Out> v;
            for (S y : out) v.push_back(out_num(static_cast<double>(y)));
            got.push_back(std::move(v));
        }
        check_same(what, rows, e, got);
        CHECK_MESSAGE(e.hostile > 0, what << ": no hostile row accepted");
    } else {
        const auto rows = make_rows<double>(data().all, names, types);
        const auto out_names = comp.feature_names_out();
        const Expected e = expect(rows, [&](const Row& r) {
            return table_row(comp.transform(one_row_table(r, names, types)), out_names);
        });
        std::vector<std::vector<Out>> got;
        if constexpr (detail::MixedStep<C>) {
            // Output k comes from input src[k]: all of them in order, or a selector's kept ones.
            std::vector<std::size_t> src(out_names.size());
            if constexpr (detail::SelectorStep<C>) src = comp.kept_index();
            else std::iota(src.begin(), src.end(), std::size_t{0});
            std::vector<double> nums_out(out_names.size());
            std::vector<std::optional<std::string_view>> texts_out(out_names.size());
            auto run = [&](std::size_t i) {
                comp.transform_row(std::span<const double>(rows[i].numbers), std::span<const std::optional<std::string_view>>(rows[i].views),
                                   std::span<double>(nums_out), std::span<std::optional<std::string_view>>(texts_out));
            };
            check_rows(what, rows, e.accepted, run);
            for (std::size_t i : e.accepted) {
                run(i);
                std::vector<Out> v;
                for (std::size_t k = 0; k < out_names.size(); ++k)
                    v.push_back(types[src[k]] == ColumnType::numeric ? out_num(nums_out[k]) : out_text(texts_out[k]));
                got.push_back(std::move(v));
            }
        } else if constexpr (C::numeric_output) {
            std::vector<double> out(out_names.size());
            auto run = [&](std::size_t i) { comp.transform_row(CategoricalRecord(rows[i].views), std::span<double>(out)); };
            check_rows(what, rows, e.accepted, run);
            for (std::size_t i : e.accepted) {
                run(i);
                std::vector<Out> v;
                for (double y : out) v.push_back(out_num(y));
                got.push_back(std::move(v));
            }
        } else {
            std::vector<std::optional<std::string_view>> out(out_names.size());
            auto run = [&](std::size_t i) {
                comp.transform_row(CategoricalRecord(rows[i].views), std::span<std::optional<std::string_view>>(out));
            };
            check_rows(what, rows, e.accepted, run);
            for (std::size_t i : e.accepted) {
                run(i);
                std::vector<Out> v;
                for (const auto& y : out) v.push_back(out_text(y));
                got.push_back(std::move(v));
            }
        }
        check_same(what, rows, e, got);
        CHECK_MESSAGE(e.hostile > 0, what << ": no hostile row accepted");
    }
}

// A compiled RowPlan of a one-step pipeline holding the kind (refitted by the pipeline
// on the complete penguins rows, with the zoo's target where the kind learns one).
void check_plan(const std::string& what, Pipeline pipe, bool needs_target) {
    const Table& c = data().complete;
    if (needs_target) pipe.fit(c, zoo::target(c));
    else pipe.fit(c);
    std::vector<std::string> names;
    std::vector<ColumnType> types;
    for (const auto& col : pipe.input_schema()) {
        names.push_back(col.name);
        types.push_back(col.type);
    }
    const auto out_names = pipe.feature_names_out();
    const auto rows = make_rows<double>(data().all, names, types);
    const Expected e = expect(rows, [&](const Row& r) { return table_row(pipe.transform(one_row_table(r, names, types)), out_names); });
    std::vector<std::vector<Cell>> records(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t k = 0; k < names.size(); ++k)
            records[i].push_back(types[k] == ColumnType::numeric ? Cell::num(rows[i].numbers[k])
                                 : rows[i].views[k]              ? Cell::cat(*rows[i].views[k])
                                                                 : Cell::missing_cat());
    auto plan = pipe.compile();
    REQUIRE(plan.output_names() == out_names);
    std::vector<Cell> out(plan.n_outputs());
    auto run = [&](std::size_t i) { plan.run(records[i], std::span<Cell>(out)); };
    check_rows(what, rows, e.accepted, run);
    std::vector<std::vector<Out>> got;
    for (std::size_t i : e.accepted) {
        run(i);
        std::vector<Out> v;
        for (const auto& cell : out) v.push_back(cell.type == ColumnType::numeric ? out_num(cell.number) : out_text(cell.text));
        got.push_back(std::move(v));
    }
    check_same(what, rows, e, got);
    CHECK_MESSAGE(e.hostile > 0, what << ": no hostile row accepted");
    // The same rows filled by column name (RowPlan::Record: names resolved once, at
    // compile()) and then all of them as one batch: the same bits as run() per record,
    // and no allocation per record, nor per batch after the first.
    auto as_outs = [](std::span<const Cell> cells) {
        std::vector<Out> v;
        for (const auto& cell : cells) v.push_back(cell.type == ColumnType::numeric ? out_num(cell.number) : out_text(cell.text));
        return v;
    };
    auto rec = plan.record();
    auto fill_by_name = [&](std::size_t i) {
        rec.clear();
        for (std::size_t k = 0; k < names.size(); ++k) {
            if (types[k] == ColumnType::numeric) rec.set(names[k], rows[i].numbers[k]);
            else if (rows[i].views[k]) rec.set(names[k], *rows[i].views[k]);
            else rec.set_missing(names[k]);
        }
    };
    check_rows(what + " filled by name", rows, e.accepted, [&](std::size_t i) {
        fill_by_name(i);
        plan.run(rec, std::span<Cell>(out));
    });
    for (std::size_t a = 0; a < e.accepted.size(); ++a) {
        fill_by_name(e.accepted[a]);
        plan.run(rec, std::span<Cell>(out));
        CHECK_MESSAGE(as_outs(out) == got[a], what << ": a record filled by name differs on " << rows[e.accepted[a]].label);
    }
    std::vector<Cell> flat, batch_out(e.accepted.size() * plan.n_outputs());
    for (std::size_t i : e.accepted) flat.insert(flat.end(), records[i].begin(), records[i].end());
    check_rows(what + " as one batch", rows, {e.accepted.front()},
               [&](std::size_t) { plan.run_batch(flat, std::span<Cell>(batch_out)); });
    for (std::size_t a = 0; a < e.accepted.size(); ++a)
        CHECK_MESSAGE(as_outs(std::span<const Cell>(batch_out).subspan(a * plan.n_outputs(), plan.n_outputs())) == got[a],
                      what << ": the batch differs from run() on " << rows[e.accepted[a]].label);
    // A kind whose inputs are all numeric also takes the batch as one block of doubles.
    if (std::all_of(types.begin(), types.end(), [](ColumnType t) { return t == ColumnType::numeric; }) &&
        std::all_of(got.begin(), got.end(), [](const std::vector<Out>& v) {
            return std::all_of(v.begin(), v.end(), [](const Out& o) { return o.numeric; });
        })) {
        std::vector<double> values, doubles_out(e.accepted.size() * plan.n_outputs());
        for (std::size_t i : e.accepted) values.insert(values.end(), rows[i].numbers.begin(), rows[i].numbers.end());
        check_rows(what + " as one batch of doubles", rows, {e.accepted.front()},
                   [&](std::size_t) { plan.run_batch(values, std::span<double>(doubles_out)); });
        for (std::size_t a = 0; a < e.accepted.size(); ++a) {
            std::vector<Out> v;
            for (std::size_t k = 0; k < plan.n_outputs(); ++k) v.push_back(out_num(doubles_out[a * plan.n_outputs() + k]));
            CHECK_MESSAGE(v == got[a], what << ": the batch of doubles differs from run() on " << rows[e.accepted[a]].label);
        }
    }
    // The same rows counted into a drift monitor on the way (issue 18: no allocation,
    // no lock): observe() runs first, then the plan.
    Monitor monitor = pipe.monitor();
    check_rows(what + " with a drift monitor", rows, e.accepted,
               [&](std::size_t i) { plan.run(records[i], std::span<Cell>(out), monitor); });
    CHECK(monitor.rows() == e.accepted.size() + 1);  // the warm-up row is counted too
}

// The datetime kinds (datetime/): rows of the zoo's dates, then hostile instants (missing,
// both range ends, just before the epoch), through transform_row against the batch.
std::vector<std::int64_t> hostile_instants() {
    return {kNaT, kNaT + 1, std::numeric_limits<std::int64_t>::max(), -1, 0, 951'782'400'000'000'000, -4'000'000'000'000'000'001};
}
template <class C>
void check_datetime_component(const C& comp) {
    const std::string what = zoo::tag<C>() + " transform_row";
    const Table dates = zoo::with_dates(data().all);
    const auto names = comp.feature_names_in();
    std::vector<Row> rows;
    std::vector<std::vector<std::int64_t>> ins;
    for (std::size_t i = 0; i < 16; ++i) {
        rows.push_back({"penguins row " + std::to_string(i), {}, {}, {}});
        ins.emplace_back();
        for (const auto& n : names) ins.back().push_back(dates.datetime(n)[i]);
    }
    const auto hostile = hostile_instants();
    for (std::size_t p = 0; p < hostile.size(); ++p) {
        rows.push_back({"hostile row " + std::to_string(p), {}, {}, {}});
        ins.emplace_back();
        for (std::size_t k = 0; k < names.size(); ++k) ins.back().push_back(hostile[(p + k) % hostile.size()]);
    }
    const auto out_names = comp.feature_names_out();
    const std::size_t kept = out_names.size() - comp.n_new_features();
    std::vector<std::size_t> index(rows.size());
    std::iota(index.begin(), index.end(), std::size_t{0});
    const Expected e = expect(rows, [&](const Row& r) {
        const std::size_t i = static_cast<std::size_t>(&r - rows.data());
        Table t;
        for (std::size_t k = 0; k < names.size(); ++k) t.add_datetime(names[k], {ins[i][k]});
        const Table o = comp.transform(t);
        std::vector<Out> v;
        for (std::size_t k = kept; k < out_names.size(); ++k) v.push_back(out_num(o.numeric(out_names[k])[0]));
        return v;
    });
    std::vector<double> out(comp.n_new_features());
    auto run = [&](std::size_t i) { comp.transform_row(std::span<const std::int64_t>(ins[i]), std::span<double>(out)); };
    check_rows(what, rows, e.accepted, run);
    std::vector<std::vector<Out>> got;
    for (std::size_t i : e.accepted) {
        run(i);
        std::vector<Out> v;
        for (double y : out) v.push_back(out_num(y));
        got.push_back(std::move(v));
    }
    check_same(what, rows, e, got);
    CHECK_MESSAGE(e.hostile > 0, what << ": no hostile row accepted");
}

template <class C>
bool needs_target(const C& comp) {
    if constexpr (requires { comp.needs_target(); }) return comp.needs_target();
    else return false;
}

}  // namespace

TEST_CASE("the allocation counters see every form of allocation") {
    counting = true;
    const Counts before = now();
    struct alignas(64) Wide {
        char c[64];
    };
    delete new int(1);
    delete[] new int[3];
    delete new (std::nothrow) int(2);
    delete[] new (std::nothrow) int[2];
    delete new Wide;
    delete[] new Wide[2];
    delete new (std::nothrow) Wide;
    delete[] new (std::nothrow) Wide[2];
    const Counts mid = since(before);
    release(std::malloc(24));
    release(std::calloc(3, 8));
    release(std::realloc(nullptr, 24));
    release(std::aligned_alloc(64, 128));
    void* p = nullptr;
    REQUIRE(posix_memalign(&p, 64, 128) == 0);
    release(p);
    const Counts after = since(before);
    counting = false;
    CHECK(mid.news == 8);
    CHECK(mid.mallocs == 0);  // operator new takes its memory uncounted, so one new counts once
    CHECK(after.news == 8);
#if REPREP_TEST_WRAPS_MALLOC
    CHECK(after.mallocs == 5);
#else
    MESSAGE("reduced on this host: the linker cannot --wrap malloc, so only operator new is counted "
            "(malloc, calloc, realloc, aligned_alloc, posix_memalign and memalign calls are not)");
    CHECK(after.mallocs == 0);
#endif
}

TEST_CASE("every kind's single-row path allocates nothing per row, ordinary or hostile, after a warm-up row") {
    zoo::for_each_kind([&]<class C>() {
        const C comp = zoo::make_fitted<C>(data().all, data().complete);
        if constexpr (detail::DatetimeStep<C>) {
            check_datetime_component(comp);  // and in a pipeline: the test case below
            return;
        } else {
            check_component(comp);
        }
        if constexpr (detail::NumericStep<C> || detail::CategoricalStep<C> || detail::MixedStep<C>)
            check_plan(zoo::tag<C>() + " RowPlan", Pipeline{}.add("step", comp), needs_target(comp));
    });
}

TEST_CASE("Normalizer's exact path (extreme magnitudes and rounding ties) allocates nothing per row, for every norm") {
    // The zoo's Normalizer is l1 over two columns. Here every norm over four, float and
    // double: l2's squares leave the double range sooner, so it takes the exact fallback
    // on more rows. That fallback once kept its ExactSum on the heap (three or four
    // allocations per such row); it must stay allocation-free.
    const std::vector<std::string> cols = zoo::numeric_cols;
    for (Norm norm : {Norm::l1, Norm::l2, Norm::max}) {
        const char* norm_name = norm == Norm::l1 ? "l1" : norm == Norm::l2 ? "l2" : "max";
        CAPTURE(norm_name);
        Normalizer<double> d({.columns = cols, .norm = norm});
        d.fit(data().complete);
        check_component(d);
        Normalizer<float> f({.columns = cols, .norm = norm});
        f.fit(data().complete);
        check_component(f);
        check_plan("normalizer RowPlan", Pipeline{}.add("norm", Normalizer<>({.columns = cols, .norm = norm})), false);
    }
}

TEST_CASE("the penguins pipeline with a datetime column: one row through the plan allocates nothing, and equals the batch") {
    // The README's pipeline, plus the dates of two datetime steps (issue 19, "Done when").
    const Table all = zoo::with_dates(data().all);
    Pipeline pipe = Pipeline{}
                        .add("dates", DatetimeFeatures({.columns = {"observed"},
                                                        .features_to_extract = {"month", "week", "weekend", "hour"},
                                                        .drop_original = false, .missing_values = MissingValues::ignore}))
                        .add("age", DatetimeSubtraction({.columns = {"recorded"}, .reference = {"observed"},
                                                         .output_unit = "h", .drop_original = true}))
                        .add("impute", SimpleImputer<>({.columns = zoo::numeric_cols, .strategy = ImputeStrategy::median}))
                        .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
                        .add("onehot", OneHotEncoder({.columns = zoo::categorical_cols, .handle_unknown = HandleUnknown::ignore}))
                        .add("scale", StandardScaler<>({.columns = zoo::numeric_cols}));
    pipe.fit(all);
    const auto& schema = pipe.input_schema();
    const Table batch = pipe.transform(all);
    const auto out_names = pipe.feature_names_out();
    std::vector<Row> rows;
    std::vector<std::vector<Cell>> records;
    std::vector<std::string> keep;  // owns the strings the cells view
    keep.reserve(schema.size() * 40);
    const auto hostile = hostile_instants();
    for (std::size_t i = 0; i < 40; ++i) {
        rows.push_back({(i < 32 ? "penguins row " : "hostile row ") + std::to_string(i), {}, {}, {}});
        records.emplace_back();
        for (const auto& c : schema) {
            if (c.type == ColumnType::datetime)
                records.back().push_back(Cell::dt(i < 32 ? all.datetime(c.name)[i] : hostile[i % hostile.size()]));
            else if (c.type == ColumnType::numeric) records.back().push_back(Cell::num(all.numeric(c.name)[i]));
            else if (auto v = all.category(c.name, i)) {
                keep.emplace_back(*v);
                records.back().push_back(Cell::cat(keep.back()));
            } else {
                records.back().push_back(Cell::missing_cat());
            }
        }
    }
    auto plan = pipe.compile();
    REQUIRE(plan.output_names() == out_names);
    std::vector<double> out(plan.n_outputs());
    std::vector<std::size_t> accepted(rows.size());
    std::iota(accepted.begin(), accepted.end(), std::size_t{0});
    check_rows("penguins pipeline with dates", rows, accepted,
               [&](std::size_t i) { plan.run(records[i], std::span<double>(out)); });
    for (std::size_t i = 0; i < 32; ++i) {
        plan.run(records[i], std::span<double>(out));
        for (std::size_t k = 0; k < out.size(); ++k)
            CHECK(std::bit_cast<std::uint64_t>(out[k]) == std::bit_cast<std::uint64_t>(batch.numeric(out_names[k])[i]));
    }
    Monitor monitor = pipe.monitor();
    check_rows("penguins pipeline with dates and a drift monitor", rows, accepted,
               [&](std::size_t i) { plan.run(records[i], std::span<double>(out), monitor); });
}
