#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <reprep/core/detail/radix_select.hpp>
#include <reprep/core/detail/radix_sort.hpp>
#include <reprep/core/multi_pass_selection.hpp>
#include <reprep/core/quantile.hpp>
#include <reprep/core/rng.hpp>

using namespace reprep;

namespace {

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }
double from_bits(std::uint64_t b) { return std::bit_cast<double>(b); }
constexpr double inf = std::numeric_limits<double>::infinity();
const double nan_value = std::numeric_limits<double>::quiet_NaN();

QuantileMethod method_from(const std::string& s) {
    static const std::map<std::string, QuantileMethod> m = {
        {"linear", QuantileMethod::linear},
        {"lower", QuantileMethod::lower},
        {"higher", QuantileMethod::higher},
        {"midpoint", QuantileMethod::midpoint},
        {"nearest", QuantileMethod::nearest},
        {"inverted_cdf", QuantileMethod::inverted_cdf},
        {"averaged_inverted_cdf", QuantileMethod::averaged_inverted_cdf}};
    auto it = m.find(s);
    REQUIRE_MESSAGE(it != m.end(), "unknown method in golden file: " << s);
    return it->second;
}

struct GoldenRow {
    QuantileMethod method;
    std::string method_name;
    double q;
    std::uint64_t expected;
};
struct GoldenSet {
    std::string name;
    std::vector<double> data;
    std::vector<GoldenRow> rows;
};

std::uint64_t parse_hex(const std::string& s) {
    REQUIRE(s.size() == 16);
    return std::stoull(s, nullptr, 16);
}

GoldenSet read_golden(const std::filesystem::path& p) {
    std::ifstream f(p);
    REQUIRE(f);
    GoldenSet g;
    g.name = p.stem().string();
    std::string line;
    enum { none, data, expected } section = none;
    std::size_t declared_data = 0, declared_rows = 0;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream in(line);
        std::string first;
        in >> first;
        if (first == "data") {
            in >> declared_data;
            section = data;
        } else if (first == "expected") {
            in >> declared_rows;
            section = expected;
        } else if (section == data) {
            g.data.push_back(from_bits(parse_hex(first)));
        } else if (section == expected) {
            std::string qh, rh, flag;
            in >> qh >> rh >> flag;
            g.rows.push_back({method_from(first), first, from_bits(parse_hex(qh)), parse_hex(rh)});
        }
    }
    REQUIRE(g.data.size() == declared_data);
    REQUIRE(g.rows.size() == declared_rows);
    return g;
}

std::vector<GoldenSet> all_golden() {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(REPREP_GOLDEN_DIR) / "quantile"))
        if (e.path().extension() == ".txt") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<GoldenSet> sets;
    for (const auto& p : files) sets.push_back(read_golden(p));
    return sets;
}

// A fixed-seed permutation (the test's own tiny LCG, so it does not depend on Rng).
template <class T>
void permute(std::vector<T>& v, std::uint64_t seed) {
    std::uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (std::size_t i = v.size(); i > 1; --i) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        std::swap(v[i - 1], v[(s >> 33) % i]);
    }
}

std::vector<double> sorted_clean(const std::vector<double>& v) {
    std::vector<double> c;
    for (double x : v)
        if (x == x) c.push_back(x);
    std::sort(c.begin(), c.end(), [](double a, double b) { return order_key(a) < order_key(b); });
    return c;
}

}  // namespace

TEST_CASE("order_key is an order-preserving bijection with -0.0 < +0.0 and NaN on top") {
    const double denorm = std::numeric_limits<double>::denorm_min();
    const std::vector<double> ascending = {-inf, -std::numeric_limits<double>::max(), -1e300, -1.0,
                                           -std::numeric_limits<double>::min(), -denorm, -0.0, 0.0, denorm,
                                           std::numeric_limits<double>::min(), 1.0, 1.0 + 0x1p-52, 1e300,
                                           std::numeric_limits<double>::max(), inf};
    for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
        CHECK(order_key(ascending[i]) < order_key(ascending[i + 1]));
        CHECK(bits(from_order_key(order_key(ascending[i]))) == bits(ascending[i]));
    }
    CHECK(order_key(nan_value) > order_key(inf));
    CHECK(order_key(-nan_value) == order_key(nan_value));
    CHECK(order_key(from_bits(0x7ff0000000000001ULL)) == order_key(nan_value));
    CHECK(bits(from_order_key(order_key(-nan_value))) == 0x7ff8000000000000ULL);
    // Round trip on arbitrary bit patterns that are not NaN.
    std::uint64_t s = 12345;
    for (int i = 0; i < 100000; ++i) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        const double x = from_bits(s);
        if (x != x) continue;
        REQUIRE(bits(from_order_key(order_key(x))) == s);
    }
}

TEST_CASE("quantiles equal numpy's bits on every golden data set, method and q") {
    const auto sets = all_golden();
    REQUIRE(sets.size() >= 30);  // the generator writes 33; an empty directory must not pass
    std::size_t checked = 0;
    for (const auto& g : sets) {
        CAPTURE(g.name);
        const std::vector<double> srt = sorted_clean(g.data);
        std::vector<double> shuffled = g.data;
        permute(shuffled, 7);
        std::map<QuantileMethod, std::pair<std::vector<double>, std::vector<std::uint64_t>>> by_method;
        for (const auto& r : g.rows) {
            CAPTURE(r.method_name);
            CAPTURE(r.q);
            CHECK(bits(quantile(g.data, r.q, r.method)) == r.expected);
            CHECK(bits(quantile(shuffled, r.q, r.method)) == r.expected);
            CHECK(bits(quantile_sorted(srt, r.q, r.method)) == r.expected);
            by_method[r.method].first.push_back(r.q);
            by_method[r.method].second.push_back(r.expected);
            ++checked;
        }
        // The many-q form (full sort past 32 ranks, multi-selection below) agrees.
        for (const auto& [m, qe] : by_method) {
            const auto got = quantiles(shuffled, qe.first, m);
            REQUIRE(got.size() == qe.first.size());
            for (std::size_t i = 0; i < got.size(); ++i) CHECK(bits(got[i]) == qe.second[i]);
            const std::vector<double> few(qe.first.begin(), qe.first.begin() + std::min<std::size_t>(5, qe.first.size()));
            const auto got_few = quantiles(g.data, few, m);
            for (std::size_t i = 0; i < few.size(); ++i) CHECK(bits(got_few[i]) == qe.second[i]);
        }
        // The accumulator fed in chunks, merged out of order, gives the same bits.
        ValueAccumulator a, b, c;
        const std::size_t n = shuffled.size();
        a.update(std::span<const double>(shuffled.data(), n / 3));
        b.update(std::span<const double>(shuffled.data() + n / 3, n / 2 - n / 3));
        c.update(std::span<const double>(shuffled.data() + n / 2, n - n / 2));
        c.merge(a);
        c.merge(b);
        for (const auto& r : g.rows) {
            CAPTURE(r.method_name);
            CAPTURE(r.q);
            CHECK(bits(c.quantile(r.q, r.method)) == r.expected);
        }
    }
    MESSAGE("golden rows checked: " << checked);
    CHECK(checked > 10000);
}

TEST_CASE("signed zeros: the result never depends on the input order") {
    std::vector<double> v = {0.0, -0.0, 0.0, -0.0, 1.0, -1.0, -0.0, 0.0};
    const std::vector<QuantileMethod> methods = {QuantileMethod::linear, QuantileMethod::lower, QuantileMethod::higher,
                                                 QuantileMethod::midpoint, QuantileMethod::nearest,
                                                 QuantileMethod::inverted_cdf, QuantileMethod::averaged_inverted_cdf};
    for (auto m : methods) {
        for (double q : {0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}) {
            const std::uint64_t first = bits(quantile(v, q, m));
            for (std::uint64_t seed = 1; seed < 40; ++seed) {
                auto w = v;
                permute(w, seed);
                CHECK(bits(quantile(w, q, m)) == first);
            }
        }
    }
    // Total order: three -0.0 then three +0.0 (plus -1 and 1): rank 1..3 are -0.0, 4..6 are +0.0.
    CHECK(bits(quantile(v, 2.0 / 7.0, QuantileMethod::lower)) == bits(-0.0));
    CHECK(bits(quantile(v, 4.0 / 7.0, QuantileMethod::lower)) == bits(0.0));
}

TEST_CASE("NaNs are ignored; all-NaN or empty input gives the canonical NaN") {
    const std::vector<double> with_nan = {nan_value, 3.0, -nan_value, 1.0, 2.0, nan_value};
    CHECK(quantile(with_nan, 0.5) == 2.0);
    CHECK(quantile(with_nan, 1.0) == 3.0);
    const std::vector<double> all_nan = {nan_value, -nan_value};
    CHECK(bits(quantile(all_nan, 0.5)) == 0x7ff8000000000000ULL);
    CHECK(bits(quantile(std::span<const double>{}, 0.5)) == 0x7ff8000000000000ULL);
    CHECK(bits(quantile_sorted(std::span<const double>{}, 0.5)) == 0x7ff8000000000000ULL);
    // numpy's lerp of Inf - Inf: the NaN reprep returns is the canonical one.
    const std::vector<double> infs = {1.0, inf};
    CHECK(bits(quantile(infs, 0.75)) == 0x7ff8000000000000ULL);
    const std::vector<double> qs = {0.5};
    CHECK(bits(quantiles(all_nan, qs)[0]) == 0x7ff8000000000000ULL);
    CHECK(quantiles(with_nan, std::span<const double>{}).empty());
}

TEST_CASE("q outside [0, 1] or NaN is an InvalidParameter naming q") {
    const std::vector<double> v = {1.0, 2.0};
    for (double q : {-0.1, 1.0000000000000002, nan_value, inf, -inf}) {
        CHECK_THROWS_AS(quantile(v, q), InvalidParameter);
        CHECK_THROWS_AS(quantile_sorted(v, q), InvalidParameter);
        const std::vector<double> qs = {0.5, q};
        CHECK_THROWS_AS(quantiles(v, qs), InvalidParameter);
    }
    try {
        quantile(v, 2.0);
        FAIL("no throw");
    } catch (const InvalidParameter& e) {
        CHECK(e.parameter() == "q");
        CHECK(std::string(e.what()).find("parameter 'q'") != std::string::npos);
    }
    CHECK_NOTHROW(quantile(v, -0.0));
    CHECK_THROWS_AS(quantile(v, 0.5, static_cast<QuantileMethod>(99)), InvalidParameter);
}

TEST_CASE("hand-checked values of each method") {
    const std::vector<double> v = {4.0, 1.0, 3.0, 2.0};  // sorted 1 2 3 4, n = 4
    CHECK(quantile(v, 0.5) == 2.5);
    CHECK(quantile(v, 0.5, QuantileMethod::lower) == 2.0);
    CHECK(quantile(v, 0.5, QuantileMethod::higher) == 3.0);
    CHECK(quantile(v, 0.5, QuantileMethod::midpoint) == 2.5);
    CHECK(quantile(v, 0.5, QuantileMethod::nearest) == 3.0);  // index 1.5 rounds half to even: 2
    CHECK(quantile(v, 0.5, QuantileMethod::inverted_cdf) == 2.0);
    CHECK(quantile(v, 0.5, QuantileMethod::averaged_inverted_cdf) == 2.5);
    CHECK(quantile(v, 0.6, QuantileMethod::averaged_inverted_cdf) == 3.0);
    CHECK(quantile(v, 0.0) == 1.0);
    CHECK(quantile(v, 1.0) == 4.0);
    CHECK(quantile(v, 1.0 / 3.0) == 2.0);
}

TEST_CASE("many q: full-sort and multi-select paths agree with one-at-a-time selection") {
    std::vector<double> v;
    std::uint64_t s = 99;
    for (int i = 0; i < 5000; ++i) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        v.push_back(static_cast<double>(static_cast<std::int64_t>(s >> 20) % 1000) / 7.0);  // many ties
    }
    std::vector<double> qs;
    for (int i = 0; i <= 100; ++i) qs.push_back(i / 100.0);
    for (auto m : {QuantileMethod::linear, QuantileMethod::nearest, QuantileMethod::averaged_inverted_cdf}) {
        const auto all = quantiles(v, qs, m);
        const std::vector<double> some(qs.begin() + 10, qs.begin() + 20);
        const auto part = quantiles(v, some, m);
        for (std::size_t i = 0; i < qs.size(); ++i) CHECK(bits(all[i]) == bits(quantile(v, qs[i], m)));
        for (std::size_t i = 0; i < some.size(); ++i) CHECK(bits(part[i]) == bits(all[i + 10]));
    }
}

TEST_CASE("ValueAccumulator: any chunking and merge order gives equal state and bytes") {
    std::vector<double> v;
    std::uint64_t s = 4242;
    for (int i = 0; i < 3000; ++i) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        const int r = static_cast<int>(s >> 58);
        v.push_back(r == 0 ? nan_value : r == 1 ? -0.0 : r == 2 ? 0.0 : static_cast<double>(static_cast<std::int64_t>(s)) * 0x1p-60);
    }
    ValueAccumulator whole;
    whole.update(v);
    ArchiveWriter w0;
    whole.save(w0);

    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        auto w = v;
        permute(w, seed);
        // Chunks of varying sizes, including single values (exercises run merging).
        std::vector<ValueAccumulator> parts(5);
        std::size_t pos = 0, k = 0;
        while (pos < w.size()) {
            const std::size_t len = std::min<std::size_t>(w.size() - pos, 1 + (seed * 37 + k * 11) % 200);
            parts[k % parts.size()].update(std::span<const double>(w.data() + pos, len));
            pos += len;
            ++k;
        }
        std::vector<std::size_t> order = {0, 1, 2, 3, 4};
        permute(order, seed + 100);
        ValueAccumulator total;
        for (auto i : order) total.merge(parts[i]);
        CHECK(total == whole);
        CHECK(total.count() == whole.count());
        CHECK(total.nan_count() == whole.nan_count());
        ArchiveWriter w1;
        total.save(w1);
        CHECK(w1.bytes() == w0.bytes());
    }
    const auto srt = whole.sorted();
    for (std::size_t i = 1; i < srt.size(); ++i) REQUIRE(order_key(srt[i - 1]) <= order_key(srt[i]));
    std::size_t nans = 0;
    for (double x : v) nans += (x != x);
    CHECK(whole.nan_count() == nans);
    CHECK(whole.count() == v.size() - nans);
    CHECK(bits(whole.quantile(0.37)) == bits(quantile(v, 0.37)));
    const std::vector<double> qs = {0.1, 0.5, 0.9};
    const auto many = whole.quantiles(qs, QuantileMethod::midpoint);
    for (std::size_t i = 0; i < qs.size(); ++i) CHECK(bits(many[i]) == bits(quantile(v, qs[i], QuantileMethod::midpoint)));
}

TEST_CASE("ValueAccumulator: floats widen exactly; self-merge doubles the multiset; copies are independent") {
    const std::vector<float> f = {1.5f, -0.0f, std::numeric_limits<float>::quiet_NaN(), 0.1f, -3.25f};
    ValueAccumulator a;
    a.update(f);
    CHECK(a.count() == 4);
    CHECK(a.nan_count() == 1);
    const auto s = a.sorted();
    REQUIRE(s.size() == 4);
    CHECK(s[0] == -3.25);
    CHECK(bits(s[1]) == bits(-0.0));
    CHECK(s[2] == static_cast<double>(0.1f));
    CHECK(s[3] == 1.5);

    ValueAccumulator b = a;
    b.merge(b);
    CHECK(b.count() == 8);
    CHECK(b.nan_count() == 2);
    CHECK(a.count() == 4);
    ValueAccumulator c;
    c.update(f);
    c.update(f);
    CHECK(b == c);
    CHECK_FALSE(a == c);
    ValueAccumulator moved = std::move(c);
    CHECK(moved == b);
    ValueAccumulator empty;
    CHECK(empty.count() == 0);
    CHECK(bits(empty.quantile(0.5)) == 0x7ff8000000000000ULL);
    CHECK(empty.sorted().empty());
}

TEST_CASE("ValueAccumulator: save/load round-trips and refuses malformed bytes") {
    ValueAccumulator a;
    const std::vector<double> v = {3.0, -1.0, nan_value, 2.0, -0.0, 0.0, inf};
    a.update(v);
    ArchiveWriter w;
    a.save(w);
    {
        ArchiveReader r(w.bytes());
        const ValueAccumulator b = ValueAccumulator::load(r);
        r.expect_end();
        CHECK(b == a);
        ArchiveWriter w2;
        b.save(w2);
        CHECK(w2.bytes() == w.bytes());
    }
    auto write = [](std::uint64_t nans, const std::vector<double>& vals) {
        ArchiveWriter x;
        x.u64(nans);
        x.f64s(vals);
        return std::move(x).bytes();
    };
    {
        const std::string bad = write(0, {1.0, 0.5});
        ArchiveReader r(bad);
        CHECK_THROWS_AS(ValueAccumulator::load(r), FormatError);
    }
    {
        const std::string bad = write(0, {0.0, -0.0});  // +0.0 before -0.0 is unsorted in the total order
        ArchiveReader r(bad);
        CHECK_THROWS_AS(ValueAccumulator::load(r), FormatError);
    }
    {
        const std::string bad = write(0, {1.0, nan_value});
        ArchiveReader r(bad);
        CHECK_THROWS_AS(ValueAccumulator::load(r), FormatError);
    }
    {
        const std::string& good = w.bytes();
        for (std::size_t cut = 0; cut < good.size(); cut += 3) {
            ArchiveReader r(std::string_view(good).substr(0, cut));
            CHECK_THROWS_AS(ValueAccumulator::load(r), FormatError);
        }
    }
    {
        ArchiveWriter x;  // a hostile length: must be refused before allocating
        x.u64(0);
        x.u64(0xFFFFFFFFFFFFFFF0ULL);
        ArchiveReader r(x.bytes());
        CHECK_THROWS_AS(ValueAccumulator::load(r), FormatError);
    }
}

// ---------------------------------------------------------------------------
// MultiPassSelection: exact ranks in bounded memory (core/multi_pass_selection.hpp)
// ---------------------------------------------------------------------------

namespace {

// Runs every pass of a selection over `data` cut into `parts` contiguous shards. Each
// shard fills its own Pass; the shards' passes travel through save/load (as between
// processes) and are merged in a seeded order, so any chunking and merge order is used.
MultiPassSelection select_ranks(const std::vector<double>& data, std::size_t parts, std::uint64_t seed,
                                const std::function<std::vector<std::size_t>(std::size_t)>& ranks_for,
                                MultiPassSelection::Options options = {}, std::size_t max_passes = 4) {
    MultiPassSelection s(options);
    const std::size_t n = data.size();
    bool first = true;
    while (first || !s.done()) {
        std::vector<MultiPassSelection::Pass> shard;
        for (std::size_t p = 0; p < parts; ++p) {
            auto pass = s.begin_pass();
            const std::size_t b = n * p / parts, e = n * (p + 1) / parts;
            pass.update(std::span<const double>(data.data() + b, e - b));
            ArchiveWriter w;
            pass.save(w);
            const std::string bytes = w.bytes();
            ArchiveReader r(bytes, "pass");
            auto back = MultiPassSelection::Pass::load(r);
            r.expect_end();
            REQUIRE(back == pass);
            shard.push_back(std::move(back));
        }
        std::vector<std::size_t> order(parts);
        for (std::size_t i = 0; i < parts; ++i) order[i] = i;
        permute(order, seed + s.passes());
        auto merged = shard[order[0]];
        for (std::size_t i = 1; i < parts; ++i) merged.merge(shard[order[i]]);
        s.end_pass(merged);
        if (first) {
            const auto ranks = ranks_for(static_cast<std::size_t>(s.count()));
            s.request(ranks);
            first = false;
        }
        REQUIRE(s.passes() <= max_passes);
    }
    return s;
}

}  // namespace

TEST_CASE("multi-pass selection equals numpy's bits on every golden set, chunked and merged in any order") {
    const auto sets = all_golden();
    REQUIRE(sets.size() >= 30);
    std::size_t checked = 0;
    for (const auto& g : sets) {
        CAPTURE(g.name);
        std::vector<double> shuffled = g.data;
        permute(shuffled, 11);
        // One selection serves every row's ranks, all methods at once, as a component's
        // passes serve all its quantiles.
        auto all_ranks = [&](std::size_t n) {
            std::vector<std::size_t> r;
            for (const auto& row : g.rows) quantile_ranks(n, row.q, row.method, r);
            return r;
        };
        for (std::size_t parts : {1u, 3u, 7u}) {
            const auto s = select_ranks(shuffled, parts, parts, all_ranks);
            for (const auto& r : g.rows) {
                CAPTURE(r.method_name);
                CAPTURE(r.q);
                const double got = quantile_at(static_cast<std::size_t>(s.count()), r.q, r.method,
                                               [&](std::size_t k) { return s.at(k); });
                CHECK(bits(got) == r.expected);
                ++checked;
            }
        }
    }
    MESSAGE("golden rows checked through multi-pass selection: " << checked);
    CHECK(checked > 30000);
}

TEST_CASE("multi-pass selection on adversarial sets equals the sorted values, in at most 4 passes") {
    const double denorm = std::numeric_limits<double>::denorm_min();
    std::vector<std::pair<std::string, std::vector<double>>> sets;
    // Keys that share their top 46 bits: buckets stay above 65536 keys until the last
    // digit, so all four 16-bit passes run.
    std::vector<double> dense;
    for (std::uint64_t k = 0; k < 100000; ++k) dense.push_back(from_bits(bits(1.0) + k % 70001));
    sets.emplace_back("dense ulps with ties", dense);
    std::vector<double> zeros;
    for (int i = 0; i < 30000; ++i) zeros.push_back(i % 3 == 0 ? -0.0 : (i % 3 == 1 ? 0.0 : nan_value));
    sets.emplace_back("signed zeros and NaN", zeros);
    std::vector<double> subn;
    for (int i = 0; i < 30000; ++i) subn.push_back((i % 2 ? -1.0 : 1.0) * denorm * static_cast<double>(i % 977));
    sets.emplace_back("subnormals", subn);
    sets.emplace_back("one distinct value", std::vector<double>(20000, 3.25));
    std::vector<double> mix = {-inf, inf, -0.0, 0.0, nan_value, std::numeric_limits<double>::max(),
                               -std::numeric_limits<double>::max(), denorm, -denorm};
    for (int i = 0; i < 20000; ++i) mix.push_back(static_cast<double>(i % 13) - 6.0);
    sets.emplace_back("specials and ties", mix);
    sets.emplace_back("one value", std::vector<double>{-2.5});
    sets.emplace_back("only NaN", std::vector<double>(5, nan_value));

    for (auto& set : sets) {
        // Named, not structured bindings: CAPTURE makes a lambda, and clang 14 cannot capture a binding.
        const auto& name = set.first;
        auto& data = set.second;
        CAPTURE(name);
        permute(data, 5);
        const std::vector<double> srt = sorted_clean(data);
        // Ends, the middle, and a thousand ranks spread over the data (QuantileTransformer's).
        auto many = [](std::size_t n) {
            std::vector<std::size_t> r;
            if (n == 0) return r;
            for (std::size_t i = 0; i < 1000; ++i) r.push_back(static_cast<std::size_t>((n - 1) * i / 999));
            r.push_back(n / 2);
            return r;
        };
        for (std::size_t parts : {1u, 5u}) {
            const auto s = select_ranks(data, parts, 3 * parts, many);
            REQUIRE(s.count() == srt.size());
            for (std::size_t r : many(srt.size())) REQUIRE(bits(s.at(r)) == bits(srt[r]));
            CHECK(s.peak_words() <= MultiPassSelection::Options{}.budget_words);
        }
    }
    // Ranks at the ends only: the extremes every pass tracks settle them in one pass.
    auto ends = select_ranks(dense, 2, 1, [](std::size_t n) { return std::vector<std::size_t>{0, n - 1}; });
    CHECK(ends.passes() == 1);
    auto one = select_ranks(std::vector<double>(1000, 7.0), 3, 1,
                            [](std::size_t n) { return std::vector<std::size_t>{n / 3, n / 2}; });
    CHECK(one.passes() == 1);
    CHECK(bits(one.at(500)) == bits(7.0));
    auto deep = select_ranks(dense, 1, 1, [](std::size_t n) { return std::vector<std::size_t>{n / 4, n / 2}; });
    CHECK(deep.passes() == 4);
    // A budget too small for 16-bit digits narrows them; the answer does not change.
    auto narrow = select_ranks(dense, 3, 2, [](std::size_t n) {
        std::vector<std::size_t> r;
        for (std::size_t i = 1; i < 64; ++i) r.push_back(n * i / 64);
        return r;
    }, {.budget_words = 65536}, 5);
    CHECK(narrow.passes() == 5);  // 16, 16, 15, 16 and 1 bits
    const auto srt = sorted_clean(dense);
    for (std::size_t i = 1; i < 64; ++i) CHECK(bits(narrow.at(srt.size() * i / 64)) == bits(srt[srt.size() * i / 64]));
    CHECK(narrow.peak_words() <= 65536 + 5 * 64 + 32769 / 2);  // counters, buckets, prefix index
}

TEST_CASE("multi-pass selection refuses misuse, changed data and hostile pass bytes") {
    std::vector<double> v;
    for (int i = 0; i < 200000; ++i) v.push_back(static_cast<double>(i % 5000) * 0.5);
    MultiPassSelection s;
    auto p0 = s.begin_pass();
    p0.update(v);
    s.end_pass(p0);
    CHECK_THROWS_AS((void)s.begin_pass(), InvalidParameter);  // ranks first
    CHECK_THROWS_AS(s.request(std::vector<std::size_t>{v.size()}), InvalidParameter);
    s.request(std::vector<std::size_t>{1234, 99999});
    CHECK_THROWS_AS((void)s.at(1234), InvalidParameter);  // not settled yet
    CHECK_THROWS_AS((void)s.at(5), InvalidParameter);     // never requested
    auto p1 = s.begin_pass();
    CHECK_THROWS_AS(p1.merge(MultiPassSelection{}.begin_pass()), InvalidInput);
    // A source that changed between passes is caught by the bucket counts.
    std::vector<double> changed = v;
    changed[30] = 2000.25;  // was 15.0, the value of rank 1234: its bucket loses one
    p1.update(changed);
    CHECK_THROWS_WITH_AS(s.end_pass(p1), doctest::Contains("other data"), InvalidInput);
    auto p2 = s.begin_pass();
    p2.update(v);
    s.end_pass(p2);
    while (!s.done()) {
        auto p = s.begin_pass();
        p.update(v);
        s.end_pass(p);
    }
    const auto srt = sorted_clean(v);
    CHECK(bits(s.at(1234)) == bits(srt[1234]));
    CHECK(bits(s.at(99999)) == bits(srt[99999]));
    // Truncated or altered bytes are a FormatError, never a crash.
    MultiPassSelection t;
    auto q = t.begin_pass();
    q.update(v);
    ArchiveWriter w;
    q.save(w);
    const std::string bytes = w.bytes();
    for (std::size_t cut : {std::size_t{0}, std::size_t{5}, bytes.size() / 2, bytes.size() - 1}) {
        ArchiveReader r(std::string_view(bytes).substr(0, cut), "pass");
        CHECK_THROWS_AS((void)MultiPassSelection::Pass::load(r), FormatError);
    }
    std::string bad = bytes;
    bad[12 + 8 + 8 + 8 + 1] = 17;  // the first bucket's digit width
    ArchiveReader r(bad, "pass");
    CHECK_THROWS_AS((void)MultiPassSelection::Pass::load(r), FormatError);
}

// detail::sort_keys (core/detail/radix_sort.hpp) sorts the keys of every value fit by
// radix: it must give std::sort's order for any keys, at any size around its threshold,
// with the byte passes it skips (a byte equal in every key) and the ones it runs.
TEST_CASE("sort_keys gives std::sort's order") {
    Rng rng(20261207);
    const std::vector<std::size_t> sizes = {0, 1, 2, 3, detail::kRadixSortMin - 1, detail::kRadixSortMin,
                                            detail::kRadixSortMin + 1, 4099, 65537};
    // Each generator draws one key; together they cover every byte varying or not.
    const std::vector<std::pair<const char*, std::function<std::uint64_t()>>> shapes = {
        {"any 64 bits", [&] { return rng.next_u64(); }},
        {"eight distinct keys", [&] { return rng.next_u64() % 8 * 0x0101010101010101ULL; }},
        {"all equal", [&] { return 0xDEADBEEFCAFEF00DULL; }},
        {"only the top byte varies", [&] { return (rng.next_u64() & 0xFF00000000000000ULL) | 0x1234; }},
        {"only the low byte varies", [&] { return (rng.next_u64() & 0xFF) | 0xAB00000000000000ULL; }},
        {"top and low bytes vary", [&] { return rng.next_u64() & 0xFF000000000000FFULL; }},
        {"order keys of doubles of both signs",
         [&] { return order_key((rng.uniform() - 0.5) * std::ldexp(1.0, static_cast<int>(rng.next_u64() % 40) - 20)); }},
        {"order keys of small integers", [&] { return order_key(static_cast<double>(rng.next_u64() % 1000)); }},
    };
    for (const auto& shape : shapes) {
        const char* const what = shape.first;  // not a structured binding: clang 14 cannot CAPTURE one
        const auto& draw = shape.second;
        for (const std::size_t n : sizes) {
            for (int layout = 0; layout < 3; ++layout) {  // drawn, already sorted, reversed
                std::vector<std::uint64_t> keys(n);
                for (auto& k : keys) k = draw();
                if (layout > 0) std::sort(keys.begin(), keys.end());
                if (layout > 1) std::reverse(keys.begin(), keys.end());
                std::vector<std::uint64_t> want = keys;
                std::sort(want.begin(), want.end());
                detail::sort_keys(keys);
                CAPTURE(what);
                CAPTURE(n);
                CAPTURE(layout);
                CHECK(keys == want);
            }
        }
    }
}

TEST_CASE("select_keys gives the ranks of std::sort's order") {
    Rng rng(20261208);
    const std::vector<std::size_t> sizes = {1, 2, 3, detail::kRadixSelectMin - 1, detail::kRadixSelectMin,
                                            detail::kRadixSelectMin + 1, 4099, 65537, 300001};
    const std::vector<std::pair<const char*, std::function<std::uint64_t()>>> shapes = {
        {"any 64 bits", [&] { return rng.next_u64(); }},
        {"three distinct keys", [&] { return rng.next_u64() % 3 * 0x0101010101010101ULL; }},
        {"all equal", [&] { return 0xDEADBEEFCAFEF00DULL; }},
        {"all equal but a few", [&] { return rng.next_u64() % 1000 == 0 ? rng.next_u64() : 42; }},
        {"only the top bit varies", [&] { return (rng.next_u64() & 0x8000000000000000ULL) | 0x1234; }},
        {"only the low bit varies", [&] { return (rng.next_u64() & 1) | 0xAB00000000000000ULL; }},
        {"order keys of doubles of both signs",
         [&] { return order_key((rng.uniform() - 0.5) * std::ldexp(1.0, static_cast<int>(rng.next_u64() % 40) - 20)); }},
        {"order keys of one column's uniform values", [&] { return order_key(3.0 + 2.0 * rng.uniform()); }},
        {"order keys of small integers", [&] { return order_key(static_cast<double>(rng.next_u64() % 1000)); }},
        {"order keys of +0, -0 and 1", [&] { return order_key(std::array{0.0, -0.0, 1.0}[rng.next_u64() % 3]); }},
    };
    for (const auto& shape : shapes) {
        const char* const what = shape.first;
        const auto& draw = shape.second;
        for (const std::size_t n : sizes) {
            std::vector<std::uint64_t> keys(n);
            for (auto& k : keys) k = draw();
            std::vector<std::uint64_t> sorted = keys;
            std::sort(sorted.begin(), sorted.end());
            // The ranks a median, quartiles and the extremes read, then a dozen drawn ones.
            std::vector<std::size_t> ranks = {0, n / 4, (n - 1) / 2, n / 2, 3 * n / 4, n - 1};
            for (int i = 0; i < 12; ++i) ranks.push_back(rng.next_u64() % n);
            std::sort(ranks.begin(), ranks.end());
            ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
            // About 1,500 evenly spaced ranks, as QuantileTransformer's quantiles read them.
            std::vector<std::size_t> dense;
            for (std::size_t r = 0; r < n; r += std::max<std::size_t>(1, n / 1500)) dense.push_back(r);
            for (const int which : {0, 1, 2}) {  // one rank, the drawn ones, the dense ones
                const std::span<const std::size_t> want_ranks =
                    which == 0   ? std::span<const std::size_t>(ranks.data() + ranks.size() / 2, 1)
                    : which == 1 ? std::span<const std::size_t>(ranks)
                                 : std::span<const std::size_t>(dense);
                const std::size_t take = want_ranks.size();
                std::vector<std::uint64_t> scratch = keys, out(take);
                detail::select_keys(scratch.data(), n, want_ranks, out.data());
                std::vector<std::uint64_t> want;
                for (const std::size_t r : want_ranks) want.push_back(sorted[r]);
                CAPTURE(what);
                CAPTURE(n);
                CAPTURE(take);
                CHECK(out == want);
                // The in-place form: the key of each rank at its position.
                std::vector<std::uint64_t> in_place = keys;
                detail::select_in_place(in_place, want_ranks);
                for (std::size_t i = 0; i < take; ++i) CHECK(in_place[want_ranks[i]] == want[i]);
            }
        }
    }
}
