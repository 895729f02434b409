// The vector paths of the exact kernels and of the affine column kernels
// (core/detail/isa.hpp): every path this CPU has gives the bits of the baseline path
// (and, for ExactSum, of the value-by-value superaccumulator), on data
// chosen to reach every branch of the block kernels: wide ranges (residual spills),
// subnormals, huge values (scalar blocks), NaN and Inf, signed zeros, and lengths that
// are not a multiple of any vector step, around the 2048-value block edge.
// test_isa_dispatch_fpcontract.cpp compiles this file again at -O2 -ffp-contract=fast
// for the baseline ISA: the unit whose contraction probe passes (no FMA to fuse with)
// while the wide paths could fuse, which they must not.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <reprep/component/numeric_checks.hpp>
#include <reprep/core/detail/affine_kernel.hpp>
#include <reprep/core/exact_sum.hpp>
#include <reprep/core/moments.hpp>
#include <reprep/scale/normalizer.hpp>

#include "../support/splitmix.hpp"

namespace {

struct Mix {
    std::uint64_t s;
    std::uint64_t next() {
        return reprep_test::splitmix64_next(s);
    }
    // A double with a random significand, sign and binary exponent in [lo, hi].
    double any(int lo, int hi) {
        const double m = static_cast<double>(next() >> 11) * 0x1p-53;
        const int e = lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
        const double x = std::ldexp(m, e);
        return (next() & 1) ? -x : x;
    }
};

// Data sets named for the branch they aim at.
std::vector<std::pair<std::string, std::vector<double>>> cases() {
    std::vector<std::pair<std::string, std::vector<double>>> out;
    Mix r{20261207};
    const std::size_t lens[] = {0, 1, 3, 7, 15, 17, 31, 33, 2047, 2048, 2049, 4096 + 13, 20011};
    for (std::size_t n : lens) {
        std::vector<double> narrow(n), wide(n), tiny(n), mixed(n);
        for (std::size_t i = 0; i < n; ++i) {
            narrow[i] = r.any(-2, 3);      // one grid holds every value
            wide[i] = r.any(-80, 80);      // residuals spill to the second grid and beyond
            tiny[i] = r.any(-1074, -1000); // subnormals and the low exponent limit
            mixed[i] = r.any(-300, 300);
        }
        for (std::size_t i = 0; i < n; i += 97) mixed[i] = (i / 97) % 2 ? -0.0 : 0.0;
        out.push_back({"narrow " + std::to_string(n), narrow});
        out.push_back({"wide " + std::to_string(n), wide});
        out.push_back({"tiny " + std::to_string(n), tiny});
        out.push_back({"mixed with zeros " + std::to_string(n), mixed});
    }
    std::vector<double> huge(5000), special(5000), zeros(3000, -0.0);
    for (std::size_t i = 0; i < huge.size(); ++i) huge[i] = r.any(1000, 1023);  // scalar blocks
    for (std::size_t i = 0; i < special.size(); ++i) special[i] = r.any(-10, 10);
    special[2047] = std::numeric_limits<double>::quiet_NaN();
    special[2500] = std::numeric_limits<double>::infinity();
    special[4999] = -std::numeric_limits<double>::infinity();
    zeros[1500] = 0.0;
    out.push_back({"huge", huge});
    out.push_back({"NaN and Inf", special});
    out.push_back({"signed zeros", zeros});
    return out;
}

std::string bytes_of(const reprep::ExactSum& s) {
    reprep::ArchiveWriter w;
    s.save(w);
    return std::move(w).bytes();
}

std::string bytes_of(const reprep::ColumnMoments<double>& m) {
    reprep::ArchiveWriter w;
    m.save(w);
    return std::move(w).bytes();
}

std::vector<reprep::KernelIsa> paths_of_this_cpu() {
    std::vector<reprep::KernelIsa> p{reprep::KernelIsa::baseline};
    for (auto i : {reprep::KernelIsa::avx2, reprep::KernelIsa::avx512})
        if (static_cast<int>(reprep::detail::host_kernel_isa()) >= static_cast<int>(i)) p.push_back(i);
    return p;
}

// Restores the cap whatever a check does, so no later test runs on a forced path.
struct CapGuard {
    int saved = reprep::detail::kernel_isa_cap().load();
    ~CapGuard() { reprep::detail::kernel_isa_cap().store(saved); }
};

}  // namespace

TEST_CASE("ExactSum: every vector path gives the bits of the value-by-value sum") {
    CapGuard guard;
    for (const auto& c : cases()) {
        const std::string& name = c.first;  // not a structured binding: CAPTURE's lambda reads it
        const std::vector<double>& v = c.second;
        reprep::ExactSum one;
        for (double x : v) one.add(x);
        for (auto isa : paths_of_this_cpu()) {
            reprep::set_max_kernel_isa(isa);
            CAPTURE(name);
            CAPTURE(reprep::to_string(isa));
            REQUIRE(reprep::kernel_isa() == isa);
            reprep::ExactSum block;
            block.add(v.data(), v.size());
            CHECK(bytes_of(block) == bytes_of(one));
        }
    }
}

TEST_CASE("ColumnMoments: every vector path gives the baseline's bytes") {
    CapGuard guard;
    for (const auto& c : cases()) {
        const std::string& name = c.first;  // not a structured binding: CAPTURE's lambda reads it
        const std::vector<double>& v = c.second;
        if (v.empty()) continue;
        reprep::Matrix<double> X(static_cast<Eigen::Index>(v.size()), 1);
        for (std::size_t i = 0; i < v.size(); ++i) X(static_cast<Eigen::Index>(i), 0) = v[i];
        reprep::set_max_kernel_isa(reprep::KernelIsa::baseline);
        reprep::ColumnMoments<double> base;
        base.update(X);
        for (auto isa : paths_of_this_cpu()) {
            reprep::set_max_kernel_isa(isa);
            CAPTURE(name);
            CAPTURE(reprep::to_string(isa));
            reprep::ColumnMoments<double> m;
            m.update(X);
            CHECK(bytes_of(m) == bytes_of(base));
            CHECK(std::signbit(m.min(0)) == std::signbit(base.min(0)));
            CHECK(std::signbit(m.max(0)) == std::signbit(base.max(0)));
        }
    }
}

template <reprep::detail::AffineOp Op>
std::vector<double> affine_of(const std::vector<double>& x, double a, double b) {
    std::vector<double> y(x.size());
    reprep::detail::affine_column<Op, double>(x.data(), y.data(), static_cast<Eigen::Index>(x.size()), a, b, false);
    return y;
}

TEST_CASE("affine column kernels: every vector path gives the baseline's bits, op by op") {
    using reprep::detail::AffineOp;
    CapGuard guard;
    for (const auto& c : cases()) {
        const std::string& name = c.first;
        const std::vector<double>& v = c.second;
        // Signed zeros among the constants: a lane splat must keep -0.0 (x / -0.0 is the
        // other infinity, -0.0 - -0.0 is +0.0).
        const std::pair<double, double> constants[] = {
            {0.37, 3.1}, {0.37, -3.1}, {0.0, -0.0}, {-0.0, -0.0}, {-0.0, 0.0}, {7.0, 0.0}, {1e-300, -1e300},
            {std::numeric_limits<double>::quiet_NaN(), 2.0}};
        for (const auto& ab : constants) {
            const double a = ab.first, b = ab.second;
            reprep::set_max_kernel_isa(reprep::KernelIsa::baseline);
            const auto sd = affine_of<AffineOp::sub_div>(v, a, b), ma = affine_of<AffineOp::mul_add>(v, a, b),
                       dv = affine_of<AffineOp::div>(v, a, b), sb = affine_of<AffineOp::sub>(v, a, b);
            for (auto isa : paths_of_this_cpu()) {
                reprep::set_max_kernel_isa(isa);
                CAPTURE(name);
                CAPTURE(a);
                CAPTURE(b);
                CAPTURE(reprep::to_string(isa));
                auto same = [](const std::vector<double>& p, const std::vector<double>& q) {
                    return p.size() == q.size() &&
                           (p.empty() || std::memcmp(p.data(), q.data(), p.size() * sizeof(double)) == 0);
                };
                CHECK(same(affine_of<AffineOp::sub_div>(v, a, b), sd));
                CHECK(same(affine_of<AffineOp::mul_add>(v, a, b), ma));
                CHECK(same(affine_of<AffineOp::div>(v, a, b), dv));
                CHECK(same(affine_of<AffineOp::sub>(v, a, b), sb));
            }
        }
    }
}

// The three column kernels of Normalizer on one column of data, from state s0 (as if
// earlier columns had been added): the sums, the range flags, the verdicts and the
// quotients, as bytes.
std::string normalizer_kernels_of(const std::vector<double>& v, bool square, bool stream) {
    const std::size_t m = v.size();
    std::vector<double> s(m), c(m), total(m), y(m + 1);
    std::vector<std::uint64_t> risky(m, 0), decided(m);
    for (std::size_t i = 0; i < m; ++i) {
        s[i] = std::abs(v[(i * 7) % m]);  // a partial sum already there
        c[i] = s[i] * 0x1p-60;
    }
    const auto isa = reprep::detail::active_kernel_isa();
    if (square) reprep::detail::row_norm_add_column<true>(v.data(), m, s.data(), c.data(), risky.data(), isa);
    else reprep::detail::row_norm_add_column<false>(v.data(), m, s.data(), c.data(), risky.data(), isa);
    reprep::detail::row_norm_decide(s.data(), c.data(), m, 16, square, total.data(), decided.data());
    // Divided into y + 1 too: an output that starts off the vector alignment.
    reprep::detail::divide_rows(v.data(), total.data(), y.data() + 1, m, isa, stream);
    reprep::detail::stream_fence(stream);
    auto bytes = [](const auto& a) {
        return std::string(reinterpret_cast<const char*>(a.data()), a.size() * sizeof(a[0]));
    };
    return bytes(s) + bytes(c) + bytes(risky) + bytes(total) + bytes(decided) + bytes(y);
}

TEST_CASE("Normalizer's row sums, verdicts and division: every vector path gives the baseline's bits") {
    CapGuard guard;
    for (const auto& cs : cases()) {
        for (bool square : {true, false}) {
            for (bool stream : {false, true}) {
                reprep::set_max_kernel_isa(reprep::KernelIsa::baseline);
                const std::string want = normalizer_kernels_of(cs.second, square, stream);
                for (auto isa : paths_of_this_cpu()) {
                    reprep::set_max_kernel_isa(isa);
                    CAPTURE(cs.first);
                    CAPTURE(square);
                    CAPTURE(stream);
                    CAPTURE(reprep::to_string(isa));
                    CHECK(normalizer_kernels_of(cs.second, square, stream) == want);
                }
            }
        }
    }
}

TEST_CASE("Normalizer's block verdict is RowNormSum::decided, row by row") {
    Mix r{20261208};
    std::vector<double> s, c;
    for (int k = 0; k < 20000; ++k) {
        const double a = std::abs(r.any(-1074, 1023));
        s.push_back(a);
        switch (k % 5) {
            case 0: c.push_back(a * 0x1p-54 * (r.next() % 3)); break;  // at or near a halfway point
            case 1: c.push_back(-a); break;                              // hi = 0
            case 2: c.push_back(r.any(-1074, 1023)); break;              // anything, Inf sums included
            case 3: c.push_back(a * 0x1p-70); break;                     // far from a boundary
            default: c.push_back(std::numeric_limits<double>::quiet_NaN()); break;
        }
    }
    s.push_back(0.0);
    c.push_back(0.0);
    s.push_back(std::numeric_limits<double>::infinity());
    c.push_back(0.0);
    for (std::uint64_t terms : {1u, 16u, 1000u}) {
        for (bool root : {false, true}) {
            std::vector<double> total(s.size());
            std::vector<std::uint64_t> decided(s.size());
            reprep::detail::row_norm_decide(s.data(), c.data(), s.size(), terms, root, total.data(), decided.data());
            for (std::size_t i = 0; i < s.size(); ++i) {
                double want = 0.0;
                const bool ok = reprep::detail::RowNormSum::decided(s[i], c[i], terms, want);
                CAPTURE(i);
                REQUIRE((decided[i] != 0) == ok);
                if (ok) {
                    const double w = root ? std::sqrt(want) : want;
                    CHECK(std::memcmp(&total[i], &w, sizeof w) == 0);
                }
            }
        }
    }
}

TEST_CASE("Normalizer transform: every vector path gives the same bits, in cache and streamed") {
    CapGuard guard;
    Mix r{7};
    // 70,000 x 16 doubles is 8.96 MB of output, past the streaming threshold; 3,001 rows stay in cache.
    for (Eigen::Index rows : {Eigen::Index{3001}, Eigen::Index{70000}}) {
        Eigen::MatrixXd X(rows, 16);
        for (Eigen::Index i = 0; i < rows; ++i)
            for (Eigen::Index j = 0; j < 16; ++j) {
                switch (i % 6) {
                    case 0: X(i, j) = r.any(-600, 600); break;                                  // risky rows
                    case 1: X(i, j) = static_cast<double>(r.next() % 2000) / 100.0; break;      // short decimals: ties
                    case 2: X(i, j) = j < 2 ? static_cast<double>(r.next() % 100) / 10.0 : 0.0; break;
                    case 3: X(i, j) = 0.0; break;                                              // zero norm
                    default: X(i, j) = r.any(-5, 5);
                }
            }
        for (auto norm : {reprep::Norm::l1, reprep::Norm::l2, reprep::Norm::max}) {
            reprep::Normalizer<> t({.norm = norm});
            t.fit(X);
            reprep::set_max_kernel_isa(reprep::KernelIsa::baseline);
            const Eigen::MatrixXd want = t.transform(X);
            for (Eigen::Index i = 0; i < rows; i += 997) {  // the row path, row by row
                const Eigen::RowVectorXd row = X.row(i);
                const Eigen::RowVectorXd got = t.transform(Eigen::MatrixXd(row));
                CHECK(std::memcmp(got.data(), want.row(i).eval().data(), 16 * sizeof(double)) == 0);
            }
            for (auto isa : paths_of_this_cpu()) {
                reprep::set_max_kernel_isa(isa);
                CAPTURE(rows);
                CAPTURE(static_cast<int>(norm));
                CAPTURE(reprep::to_string(isa));
                const Eigen::MatrixXd got = t.transform(X);
                CHECK(std::memcmp(got.data(), want.data(), static_cast<std::size_t>(want.size()) * sizeof(double)) == 0);
            }
        }
    }
}

TEST_CASE("the NaN/Inf pre-check finds one forbidden value anywhere, on every vector path") {
    CapGuard guard;
    constexpr double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    struct Rule {
        bool allow_nan, allow_inf;
    };
    for (std::size_t n : {1u, 5u, 15u, 16u, 17u, 33u, 100u}) {
        for (std::size_t pos = 0; pos <= n; ++pos) {
            for (double v : {nan, inf, -inf, 1.0}) {
                std::vector<double> x(n, 2.5);
                if (pos < n) x[pos] = v;
                for (Rule r : {Rule{true, false}, Rule{false, true}, Rule{false, false}}) {
                    const bool want = pos < n && ((std::isnan(v) && !r.allow_nan) || (std::isinf(v) && !r.allow_inf));
                    for (auto isa : paths_of_this_cpu()) {
                        reprep::set_max_kernel_isa(isa);
                        CAPTURE(n);
                        CAPTURE(pos);
                        CAPTURE(reprep::to_string(isa));
                        CHECK(reprep::detail::any_forbidden(x.data(), n, r.allow_nan, r.allow_inf) == want);
                    }
                }
            }
        }
    }
}

TEST_CASE("the kernel path: the cap lowers it, never raises it past the CPU") {
    CapGuard guard;
    const auto host = reprep::detail::host_kernel_isa();
    reprep::set_max_kernel_isa(reprep::KernelIsa::baseline);
    CHECK(reprep::kernel_isa() == reprep::KernelIsa::baseline);
    reprep::set_max_kernel_isa(reprep::KernelIsa::avx512);
    CHECK(reprep::kernel_isa() == host);
    reprep::set_max_kernel_isa(reprep::KernelIsa::avx2);
    CHECK(static_cast<int>(reprep::kernel_isa()) <= static_cast<int>(reprep::KernelIsa::avx2));
    CHECK(std::string(reprep::to_string(reprep::KernelIsa::avx2)) == "avx2");
}
