// ExactSum: correct rounding against MPFR, order independence, canonical bytes,
// malformed input, NaN/Inf/overflow semantics, floats and exact products.
#include <doctest/doctest.h>
#include <mpfr.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <reprep/core/exact_sum.hpp>

#include "../support/splitmix.hpp"

using reprep::ExactSum;

namespace {

// Test-local generator (fixed seeds), independent of the library's Rng.
struct SplitMix {
    std::uint64_t s;
    std::uint64_t next() {
        return reprep_test::splitmix64_next(s);
    }
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
    // Any finite double: random sign, biased exponent in [lo, hi], random mantissa.
    double any(int lo = 0, int hi = 2046) {
        const std::uint64_t e = static_cast<std::uint64_t>(lo) + below(static_cast<std::uint64_t>(hi - lo + 1));
        const std::uint64_t bits = (next() & (1ull << 63)) | (e << 52) | (next() & ((1ull << 52) - 1));
        return std::bit_cast<double>(bits);
    }
    template <class T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }
};

// Exact reference: 30000 bits hold any sum of products of three doubles exactly.
struct Oracle {
    mpfr_t v, t;
    Oracle() {
        mpfr_init2(v, 30000);
        mpfr_init2(t, 30000);
        mpfr_set_zero(v, 1);
    }
    ~Oracle() {
        mpfr_clear(v);
        mpfr_clear(t);
    }
    Oracle(const Oracle&) = delete;
    Oracle& operator=(const Oracle&) = delete;
    void add(double x) { mpfr_add_d(v, v, x, MPFR_RNDN); }
    void add_product(double a, double b) {
        mpfr_set_d(t, a, MPFR_RNDN);
        mpfr_mul_d(t, t, b, MPFR_RNDN);
        mpfr_add(v, v, t, MPFR_RNDN);
    }
    void add_product(double a, double b, double c) {
        mpfr_set_d(t, a, MPFR_RNDN);
        mpfr_mul_d(t, t, b, MPFR_RNDN);
        mpfr_mul_d(t, t, c, MPFR_RNDN);
        mpfr_add(v, v, t, MPFR_RNDN);
    }
    double value() const { return mpfr_get_d(v, MPFR_RNDN); }
    // correctly rounded (exact - hi)
    double rest(double hi) {
        mpfr_sub_d(t, v, hi, MPFR_RNDN);
        return mpfr_get_d(t, MPFR_RNDN);
    }
};

// MPFR emulates gradual underflow only when asked; mpfr_get_d rounds subnormals
// correctly on its own, which the first test case checks.
bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

std::string bytes_of(const ExactSum& s) {
    reprep::ArchiveWriter w;
    s.save(w);
    return w.bytes();
}

double exact_value_one_by_one(const std::vector<double>& xs) {
    ExactSum s;
    for (double x : xs) s.add(x);
    return s.value();
}

// The data sets the adversarial cases draw from.
std::vector<std::vector<double>> adversarial_sets() {
    SplitMix g{12345};
    std::vector<std::vector<double>> sets;
    // Whole double range, random signs (subnormals and near-DBL_MAX included).
    for (int rep = 0; rep < 6; ++rep) {
        std::vector<double> v;
        for (int i = 0; i < 3000; ++i) v.push_back(g.any());
        sets.push_back(v);
    }
    // Huge cancellation: pairs x, -x plus a few small values.
    for (int rep = 0; rep < 4; ++rep) {
        std::vector<double> v;
        for (int i = 0; i < 2000; ++i) {
            const double x = g.any(1800, 2046);
            v.push_back(x);
            v.push_back(-x);
        }
        for (int i = 0; i < 7; ++i) v.push_back(g.any(0, 1200));
        g.shuffle(v);
        sets.push_back(v);
    }
    // 1e308 + small values, then cancelled.
    {
        std::vector<double> v = {1e308, 1e308, -1e308};
        for (int i = 0; i < 5000; ++i) v.push_back(g.unit() * 1e-3);
        v.push_back(-1e308);
        sets.push_back(v);
    }
    // DBL_MAX overflow, then cancellation back to finite.
    {
        std::vector<double> v;
        for (int i = 0; i < 100; ++i) v.push_back(DBL_MAX);
        for (int i = 0; i < 99; ++i) v.push_back(-DBL_MAX);
        v.push_back(1.0);
        v.push_back(-0x1p970);  // DBL_MAX + 1 - 2^970: tests rounding at the top
        sets.push_back(v);
    }
    // Only subnormals, mixed signs, whose sum is subnormal or tiny normal.
    for (int rep = 0; rep < 3; ++rep) {
        std::vector<double> v;
        for (int i = 0; i < 5000; ++i) v.push_back(g.any(0, 0));
        for (int i = 0; i < 5; ++i) v.push_back(g.any(1, 3));
        sets.push_back(v);
    }
    // Mixed exponents within a typical data range, long enough for the block kernel.
    for (int rep = 0; rep < 3; ++rep) {
        std::vector<double> v;
        for (int i = 0; i < 20000; ++i) v.push_back(g.any(1023 - 60, 1023 + 60));
        sets.push_back(v);
    }
    // Data the fast path sees: normal-ish values with a few far-below values (spill).
    for (int rep = 0; rep < 3; ++rep) {
        std::vector<double> v;
        for (int i = 0; i < 10000; ++i) v.push_back((g.unit() - 0.5) * 1000.0);
        for (int i = 0; i < 30; ++i) v[g.below(v.size())] = g.any(1023 - 300, 1023 - 60);
        sets.push_back(v);
    }
    // Rounding ties: 1 + 2^-53 (exact tie, rounds to even 1.0) and 1 + 2^-53 + 2^-200.
    sets.push_back({1.0, 0x1p-53});
    sets.push_back({1.0, 0x1p-53, 0x1p-200});
    sets.push_back({1.0 + 0x1p-52, 0x1p-53});
    sets.push_back({0x1p-1074, 0x1p-1074, -0x1p-1074});
    return sets;
}

}  // namespace

TEST_CASE("the MPFR oracle rounds subnormal results correctly") {
    Oracle o;
    o.add(0x1p-1074);
    o.add(0x1p-1074);
    o.add(0x1p-1074);
    mpfr_div_2ui(o.v, o.v, 1, MPFR_RNDN);  // 1.5 * 2^-1074: a tie, rounds to even 2^-1073
    CHECK(same_bits(o.value(), 0x1p-1073));
}

TEST_CASE("ExactSum: basic values and correct rounding") {
    ExactSum s;
    CHECK(s.is_zero());
    CHECK(same_bits(s.value(), 0.0));
    s.add(0.1);
    s.add(0.2);
    s.add(-0.3);
    // The exact sum of the three doubles is 2^-56 + 2^-58 ... compare with MPFR.
    Oracle o;
    o.add(0.1);
    o.add(0.2);
    o.add(-0.3);
    CHECK(same_bits(s.value(), o.value()));
    CHECK(s.value() != 0.0);

    ExactSum z;
    z.add(-0.0);
    z.add(-0.0);
    CHECK(same_bits(z.value(), 0.0));  // exact zero is +0.0
    CHECK(z.is_zero());
}

TEST_CASE("ExactSum: adversarial sums match MPFR bit for bit, by every route") {
    SplitMix g{777};
    int idx = 0;
    for (const auto& v : adversarial_sets()) {
        CAPTURE(idx);
        Oracle o;
        for (double x : v) o.add(x);
        const double want = o.value();

        ExactSum one;
        for (double x : v) one.add(x);
        CHECK(same_bits(one.value(), want));

        ExactSum block;
        block.add(v.data(), v.size());
        CHECK(same_bits(block.value(), want));
        CHECK(bytes_of(block) == bytes_of(one));
        CHECK(block == one);

        // value_dd: lo is the correctly rounded remainder
        const auto dd = block.value_dd();
        CHECK(same_bits(dd.hi, want));
        if (std::isfinite(want)) CHECK(same_bits(dd.lo, o.rest(want)));

        // k random chunks, merged in random order, after shuffling
        std::vector<double> sh = v;
        g.shuffle(sh);
        const std::size_t k = 1 + g.below(9);
        std::vector<ExactSum> parts(k);
        for (std::size_t i = 0; i < sh.size();) {
            const std::size_t len = std::min<std::size_t>(sh.size() - i, 1 + g.below(3000));
            parts[g.below(k)].add(sh.data() + i, len);
            i += len;
        }
        g.shuffle(parts);
        ExactSum merged;
        for (const auto& p : parts) merged.merge(p);
        CHECK(same_bits(merged.value(), want));
        CHECK(bytes_of(merged) == bytes_of(one));
        ++idx;
    }
}

TEST_CASE("ExactSum: overflow of the exact sum gives ±Inf, cancellation brings it back") {
    ExactSum s;
    s.add(DBL_MAX);
    s.add(DBL_MAX);
    CHECK(s.value() == std::numeric_limits<double>::infinity());
    CHECK(s.value_dd().lo == 0.0);
    CHECK_THROWS_AS(s.expansion(), reprep::InvalidInput);
    s.add(-DBL_MAX);
    CHECK(same_bits(s.value(), DBL_MAX));

    // The rounding threshold: DBL_MAX + half an ulp (2^970) is a tie that rounds to
    // even, i.e. to 2^1024 = Inf; a hair less stays DBL_MAX.
    ExactSum t;
    t.add(DBL_MAX);
    t.add(0x1p970);
    CHECK(t.value() == std::numeric_limits<double>::infinity());
    t.add(-0x1p900);
    CHECK(same_bits(t.value(), DBL_MAX));

    ExactSum n;
    n.add(-DBL_MAX);
    n.add(-DBL_MAX);
    CHECK(n.value() == -std::numeric_limits<double>::infinity());
}

TEST_CASE("ExactSum: NaN and Inf flags do not depend on order") {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto val = [](std::vector<double> v) {
        ExactSum s;
        s.add(v.data(), v.size());
        return s.value();
    };
    CHECK(val({1.0, inf, 2.0}) == inf);
    CHECK(val({1.0, -inf, 2.0}) == -inf);
    CHECK(std::isnan(val({inf, 1.0, -inf})));
    CHECK(std::isnan(val({-inf, 1.0, inf})));
    CHECK(std::isnan(val({nan, 1.0})));
    CHECK(std::isnan(val({1.0, inf, nan})));
    // An infinity does not erase the finite part: the flags and the sum are kept apart.
    ExactSum a, b;
    a.add(inf);
    a.add(1.0);
    b.add(1.0);
    b.add(inf);
    CHECK(a == b);
    CHECK(bytes_of(a) == bytes_of(b));
    CHECK(!a.is_zero());
    CHECK(a.saw_pos_inf());
    CHECK(!a.saw_nan());
    // A block mixing NaN with ordinary values takes the scalar path and stays exact.
    std::vector<double> v(5000, 0.5);
    v[1234] = nan;
    ExactSum c;
    c.add(v.data(), v.size());
    CHECK(c.saw_nan());
    CHECK(std::isnan(c.value()));
}

TEST_CASE("ExactSum: float input is widened exactly") {
    SplitMix g{99};
    std::vector<float> f;
    for (int i = 0; i < 50000; ++i) {
        const float x = static_cast<float>((g.unit() - 0.5) * std::ldexp(1.0, static_cast<int>(g.below(200)) - 100));
        f.push_back(x);
    }
    f.push_back(std::numeric_limits<float>::denorm_min());
    f.push_back(std::numeric_limits<float>::max());
    Oracle o;
    ExactSum one;
    for (float x : f) {
        o.add(static_cast<double>(x));
        one.add(static_cast<double>(x));
    }
    ExactSum s;
    s.add(f.data(), f.size());
    CHECK(same_bits(s.value(), o.value()));
    CHECK(s == one);
}

TEST_CASE("ExactSum: products of two and three doubles are added exactly") {
    SplitMix g{4242};
    Oracle o;
    ExactSum s;
    for (int i = 0; i < 4000; ++i) {
        const double a = g.any(), b = g.any();
        o.add_product(a, b);
        s.add_product(a, b);
    }
    CHECK(same_bits(s.value(), o.value()));  // huge products: the sum rounds to ±Inf

    // Products in the double range: value_dd's lo is the rounded remainder.
    Oracle o1;
    ExactSum s1;
    for (int i = 0; i < 4000; ++i) {
        const double a = g.any(700, 1300), b = g.any(700, 1300);
        o1.add_product(a, b);
        s1.add_product(a, b);
    }
    CHECK(std::isfinite(s1.value()));
    CHECK(same_bits(s1.value(), o1.value()));
    CHECK(same_bits(s1.value_dd().lo, o1.rest(s1.value())));

    // Tiny products whose exact bits lie far below 2^-1074: value() still rounds right.
    Oracle o2;
    ExactSum s2;
    for (int i = 0; i < 1000; ++i) {
        const double a = g.any(0, 600), b = g.any(400, 1100);
        o2.add_product(a, b);
        s2.add_product(a, b);
    }
    CHECK(same_bits(s2.value(), o2.value()));

    Oracle o3;
    ExactSum s3;
    for (int i = 0; i < 3000; ++i) {
        const double a = g.any(), b = g.any(), c = g.any();
        o3.add_product(a, b, c);
        s3.add_product(a, b, c);
    }
    for (int i = 0; i < 3000; ++i) {  // a realistic range too: w * x * x
        const double w = g.unit(), x = (g.unit() - 0.5) * 1e6;
        o3.add_product(w, x, x);
        s3.add_product(w, x, x);
    }
    CHECK(same_bits(s3.value(), o3.value()));

    // Special values follow IEEE products.
    ExactSum sp;
    sp.add_product(0.0, std::numeric_limits<double>::infinity());
    CHECK(std::isnan(sp.value()));
    ExactSum sp2;
    sp2.add_product(-2.0, std::numeric_limits<double>::infinity());
    CHECK(sp2.value() == -std::numeric_limits<double>::infinity());
}

TEST_CASE("ExactSum: add_scaled is exact and range-checked") {
    ExactSum s;
    s.add_scaled(1.0, -1075);  // half the smallest subnormal
    s.add_scaled(1.0, -1075);
    CHECK(same_bits(s.value(), 0x1p-1074));
    s.add_scaled(3.0, 1023);  // 1.5 * 2^1024: beyond DBL_MAX
    CHECK(std::isinf(s.value()));
    s.add_scaled(-3.0, 1023);
    CHECK(same_bits(s.value(), 0x1p-1074));
    CHECK_THROWS_AS(s.add_scaled(1.0, 100000), reprep::InvalidInput);
    CHECK_THROWS_AS(s.add_scaled(1.0, -100000), reprep::InvalidInput);
}

TEST_CASE("ExactSum: expansion sums exactly to the exact sum") {
    for (const auto& v : adversarial_sets()) {
        ExactSum s;
        s.add(v.data(), v.size());
        if (!std::isfinite(s.value())) continue;
        const auto e = s.expansion();
        ExactSum back;
        for (double x : e) back.add(x);
        CHECK(back == s);
        for (std::size_t i = 1; i < e.size(); ++i) {
            // non-overlapping, decreasing: each term is below half an ulp of the previous
            CHECK(std::fabs(e[i]) <= std::ldexp(1.0, std::ilogb(e[i - 1]) - 52) / 2);
        }
    }
    ExactSum p;
    p.add_product(0x1p-1000, 0x1p-1000);
    CHECK_THROWS_AS(p.expansion(), reprep::InvalidInput);
}

TEST_CASE("ExactSum: save/load round-trips and the bytes are canonical") {
    for (const auto& v : adversarial_sets()) {
        ExactSum s;
        s.add(v.data(), v.size());
        const std::string b = bytes_of(s);
        reprep::ArchiveReader r(b, "exact_sum");
        const ExactSum back = ExactSum::load(r);
        r.expect_end();
        CHECK(back == s);
        CHECK(bytes_of(back) == b);
        CHECK(same_bits(back.value(), s.value()));
        // A loaded sum keeps accumulating correctly.
        ExactSum more = back;
        more.add(1.0);
        ExactSum ref = s;
        ref.add(1.0);
        CHECK(more == ref);
    }
    // The same value reached through very different routes has the same bytes.
    ExactSum a, b;
    a.add(1.0);
    b.add(0.5);
    b.add(0.25);
    b.add(0.25);
    b.add(1e300);
    b.add(-1e300);
    CHECK(bytes_of(a) == bytes_of(b));
    ExactSum n1, n2;
    n1.add(-3.0);
    n2.add(1.0);
    n2.add(-4.0);
    CHECK(bytes_of(n1) == bytes_of(n2));
}

TEST_CASE("ExactSum: malformed bytes are refused with FormatError") {
    ExactSum s;
    s.add(-12345.678);
    s.add(1e-300);
    const std::string good = bytes_of(s);
    auto load = [](const std::string& b) {
        reprep::ArchiveReader r(b, "exact_sum");
        return ExactSum::load(r);
    };
    CHECK_NOTHROW(load(good));
    // every truncation
    for (std::size_t n = 0; n < good.size(); ++n) {
        // Truncating only the last digit bytes leaves a shorter, still bounded read; the
        // length field check catches it.
        CHECK_THROWS_AS(load(good.substr(0, n)), reprep::FormatError);
    }
    std::string bad = good;
    bad[0] = 8;  // unknown flag bit
    CHECK_THROWS_AS(load(bad), reprep::FormatError);
    bad = good;
    bad[1] = 2;  // sign byte
    CHECK_THROWS_AS(load(bad), reprep::FormatError);
    bad = good;
    bad[2] = static_cast<char>(0xFF);  // base far out of range
    bad[3] = static_cast<char>(0xFF);
    CHECK_THROWS_AS(load(bad), reprep::FormatError);
    // A zero top digit is not canonical.
    {
        reprep::ArchiveWriter w;
        w.u8(0);
        w.u8(0);
        w.u32(200);
        w.size(2);
        w.u32(5);
        w.u32(0);
        CHECK_THROWS_AS(load(w.bytes()), reprep::FormatError);
    }
    // A huge length is refused before allocating.
    {
        reprep::ArchiveWriter w;
        w.u8(0);
        w.u8(0);
        w.u32(200);
        w.u64(~0ull);
        CHECK_THROWS_AS(load(w.bytes()), reprep::FormatError);
    }
    // Zero with a sign is not canonical.
    {
        reprep::ArchiveWriter w;
        w.u8(0);
        w.u8(1);
        w.u32(0);
        w.size(0);
        CHECK_THROWS_AS(load(w.bytes()), reprep::FormatError);
    }
}

TEST_CASE("ExactSum: the block kernel near its range limits") {
    SplitMix g{31337};
    // Blocks whose largest value sits at each edge of the fast path and beyond it.
    for (int top : {2046, 2046 - 13, 1023 + 1010, 1023 + 1011, 1023 - 960, 1023 - 961, 1023 - 1000, 60, 1}) {
        CAPTURE(top);
        std::vector<double> v;
        for (int i = 0; i < 6000; ++i) v.push_back(g.any(std::max(0, top - 80), top));
        Oracle o;
        for (double x : v) o.add(x);
        ExactSum s;
        s.add(v.data(), v.size());
        CHECK(same_bits(s.value(), o.value()));
        CHECK(same_bits(exact_value_one_by_one(v), s.value()));
    }
}

TEST_CASE("ExactSum on a ChunkArena: the bytes of a heap sum over the whole range; copies live on the heap") {
    // The single-row path of a transform builds its sum on a stack arena so that rows
    // allocate nothing (compose_row_allocations counts that). Here: the arena changes
    // where the chunks live, never the sum.
    SplitMix g{2718};
    auto check_same = [](const ExactSum& on_arena, const ExactSum& on_heap) {
        CHECK(bytes_of(on_arena) == bytes_of(on_heap));
        CHECK(same_bits(on_arena.value(), on_heap.value()));
        CHECK(on_arena == on_heap);
    };
    int idx = 0;
    for (const auto& v : adversarial_sets()) {
        CAPTURE(idx++);
        reprep::detail::ChunkArena arena;
        ExactSum a(arena);
        ExactSum h;
        a.add(v.data(), v.size());
        h.add(v.data(), v.size());
        check_same(a, h);
    }
    {
        // Products of two and three doubles anywhere in the range, and add_scaled at both
        // ends of the accumulator (chunk 0 and the highest chunk an add may touch): the
        // sum spans every chunk the bound allows, one by one, without leaving the arena.
        reprep::detail::ChunkArena arena;
        ExactSum a(arena);
        ExactSum h;
        Oracle o;
        for (int i = 0; i < 2000; ++i) {
            const double x = g.any(), y = g.any(), z = g.any();
            a.add_product(x, y);
            h.add_product(x, y);
            o.add_product(x, y);
            a.add_product(x, y, z);
            h.add_product(x, y, z);
            o.add_product(x, y, z);
        }
        CHECK(same_bits(a.value(), o.value()));
        check_same(a, h);
        for (int e : {-8140, 8116}) {  // 1.0 * 2^e lands at bit 0 and at bit 16256 (chunk 508)
            a.add_scaled(1.0, e);
            h.add_scaled(1.0, e);
            check_same(a, h);
        }
        CHECK_THROWS_AS(a.add_scaled(1.0, -8141), reprep::InvalidInput);
        CHECK(arena.lent);
        // A copy is a heap sum: changing it leaves the arena's sum alone, and destroying it
        // does not hand the arena back.
        {
            ExactSum copy = a;
            copy.add(1.0);
            CHECK(bytes_of(copy) != bytes_of(a));
            ExactSum merged;
            merged.merge(a);
            check_same(a, merged);
            h.merge(a);
            a.merge(a);  // doubling, through a heap copy of itself
            check_same(a, h);
        }
        CHECK(arena.lent);
    }
    // The arena is handed back when its sum goes, and serves the next one.
    reprep::detail::ChunkArena arena;
    { ExactSum a(arena); a.add(1.5); CHECK(arena.lent); }
    CHECK_FALSE(arena.lent);
    ExactSum b(arena);
    CHECK(arena.lent);
    b.add(0x1p-1074);
    CHECK(same_bits(b.value(), 0x1p-1074));
}
