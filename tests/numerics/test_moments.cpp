// ColumnMoments: correctly rounded mean/variance/sum against an exact rational oracle
// (GMP mpq, rounded to double by MPFR with double's exponent range), order and chunking
// independence, fast path == scalar path, NaN/Inf/±0 semantics, weights, floats,
// save/load and errors.
#include <doctest/doctest.h>
#include <gmp.h>
#include <mpfr.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <reprep/core/moments.hpp>

#include "../support/splitmix.hpp"

using reprep::ColumnMoments;
using reprep::Matrix;
using reprep::Vector;

namespace {

struct SplitMix {
    std::uint64_t s;
    std::uint64_t next() {
        return reprep_test::splitmix64_next(s);
    }
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
    double normal() {  // Irwin-Hall approximation: enough for test data
        double acc = 0;
        for (int i = 0; i < 12; ++i) acc += unit();
        return acc - 6.0;
    }
    double any(int lo, int hi) {
        const std::uint64_t e = static_cast<std::uint64_t>(lo) + below(static_cast<std::uint64_t>(hi - lo + 1));
        return std::bit_cast<double>((next() & (1ull << 63)) | (e << 52) | (next() & ((1ull << 52) - 1)));
    }
};

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// An exact rational rounded to the nearest double (ties to even), gradual underflow and
// overflow included.
double round_q(const mpq_t q) {
    const auto emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_set_emin(-1073);
    mpfr_set_emax(1024);
    mpfr_t r;
    mpfr_init2(r, 53);
    int t = mpfr_set_q(r, q, MPFR_RNDN);
    t = mpfr_check_range(r, t, MPFR_RNDN);
    mpfr_subnormalize(r, t, MPFR_RNDN);
    const double d = mpfr_get_d(r, MPFR_RNDN);
    mpfr_clear(r);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    return d;
}

struct Expected {
    double sum, mean, var;
};

// Two-pass exact oracle on the finite values with weights: mean = Σwx/Σw,
// var = Σw(x - mean)² / Σw (a different formula from the library's on purpose).
Expected oracle(const std::vector<double>& x, const std::vector<double>& w) {
    mpq_t sw, swx, m, t, v, qx, qw;
    for (auto* z : {&sw, &swx, &m, &t, &v, &qx, &qw}) mpq_init(*z);
    for (std::size_t i = 0; i < x.size(); ++i) {
        mpq_set_d(qx, x[i]);
        mpq_set_d(qw, w[i]);
        mpq_add(sw, sw, qw);
        mpq_mul(t, qx, qw);
        mpq_add(swx, swx, t);
    }
    Expected e{};
    e.sum = round_q(swx);
    mpq_div(m, swx, sw);
    e.mean = round_q(m);
    for (std::size_t i = 0; i < x.size(); ++i) {
        mpq_set_d(qx, x[i]);
        mpq_set_d(qw, w[i]);
        mpq_sub(t, qx, m);
        mpq_mul(t, t, t);
        mpq_mul(t, t, qw);
        mpq_add(v, v, t);
    }
    mpq_div(v, v, sw);
    e.var = round_q(v);
    for (auto* z : {&sw, &swx, &m, &t, &v, &qx, &qw}) mpq_clear(*z);
    return e;
}

template <class T>
std::string bytes_of(const ColumnMoments<T>& m) {
    reprep::ArchiveWriter w;
    m.save(w);
    return w.bytes();
}

// Column generators: each returns n values.
std::vector<std::vector<double>> columns(std::size_t n, std::uint64_t seed) {
    SplitMix g{seed};
    std::vector<std::vector<double>> cols;
    auto make = [&](auto f) {
        std::vector<double> c(n);
        for (auto& v : c) v = f();
        cols.push_back(std::move(c));
    };
    make([&] { return g.normal(); });
    make([&] { return 1e9 + g.normal() * 1e-3; });                      // huge offset, small noise
    make([&] { return -3e15 + static_cast<double>(g.below(1000)); });   // integers near 2^53
    make([&] { return g.any(1023 - 40, 1023 + 40); });                 // mixed exponents and signs
    make([&] { return g.normal() * 1e-300; });                         // subnormal squares
    make([&] { return g.any(0, 5); });                                 // subnormal values
    make([&] { return g.normal() * 1e150; });                          // squares near overflow
    make([&] { return g.normal() * 1e200; });                          // variance overflows to Inf
    make([&] { return g.below(3) == 0 ? 0.0 : g.normal() * 1e6; });    // sparse with zeros
    make([&] { return g.below(50) == 0 ? g.any(1023 - 200, 1023 - 30) : g.normal(); });  // spills
    make([&] { return 42.0; });                                        // constant: variance exactly 0
    make([&] { return g.below(2) ? 1e-8 : 1e8; });                     // two far-apart levels
    return cols;
}

Matrix<double> to_matrix(const std::vector<std::vector<double>>& cols) {
    Matrix<double> X(static_cast<Eigen::Index>(cols[0].size()), static_cast<Eigen::Index>(cols.size()));
    for (std::size_t j = 0; j < cols.size(); ++j)
        for (std::size_t i = 0; i < cols[j].size(); ++i) X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = cols[j][i];
    return X;
}

}  // namespace

TEST_CASE("ColumnMoments: sum, mean and variance are correctly rounded") {
    for (std::size_t n : {1u, 7u, 5000u}) {
        const auto cols = columns(n, 1000 + n);
        const Matrix<double> X = to_matrix(cols);
        ColumnMoments<double> m;
        m.update(X);
        REQUIRE(m.cols() == static_cast<Eigen::Index>(cols.size()));
        for (std::size_t j = 0; j < cols.size(); ++j) {
            CAPTURE(n);
            CAPTURE(j);
            const Expected e = oracle(cols[j], std::vector<double>(n, 1.0));
            const auto jj = static_cast<Eigen::Index>(j);
            CHECK(m.count(jj) == n);
            CHECK(m.weight_sum(jj) == static_cast<double>(n));
            CHECK(same_bits(m.sum(jj), e.sum));
            CHECK(same_bits(m.mean(jj), e.mean));
            CHECK(same_bits(m.variance(jj), e.var));
        }
    }
}

TEST_CASE("ColumnMoments: the fast path equals the scalar (unit-weight) path") {
    const auto cols = columns(9000, 55);
    const Matrix<double> X = to_matrix(cols);
    ColumnMoments<double> fast, scalar;
    fast.update(X);
    scalar.update(X, Vector<double>::Ones(X.rows()));
    CHECK(fast == scalar);
    CHECK(bytes_of(fast) == bytes_of(scalar));
}

TEST_CASE("ColumnMoments: order, chunking and merging never change a bit") {
    const auto cols = columns(7000, 77);
    const Matrix<double> X = to_matrix(cols);
    ColumnMoments<double> ref;
    ref.update(X);
    const std::string ref_bytes = bytes_of(ref);
    SplitMix g{2024};
    for (int trial = 0; trial < 4; ++trial) {
        // shuffled rows
        std::vector<Eigen::Index> perm(static_cast<std::size_t>(X.rows()));
        for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<Eigen::Index>(i);
        for (std::size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[g.below(i)]);
        Matrix<double> Y(X.rows(), X.cols());
        for (Eigen::Index i = 0; i < X.rows(); ++i) Y.row(i) = X.row(perm[static_cast<std::size_t>(i)]);
        // k random chunks into k accumulators, merged in random order
        const std::size_t k = 2 + g.below(6);
        std::vector<ColumnMoments<double>> parts(k, ColumnMoments<double>(X.cols()));
        for (Eigen::Index i = 0; i < Y.rows();) {
            const Eigen::Index len = std::min<Eigen::Index>(Y.rows() - i, 1 + static_cast<Eigen::Index>(g.below(3000)));
            parts[g.below(k)].update(Y.middleRows(i, len));
            i += len;
        }
        for (std::size_t i = parts.size(); i > 1; --i) std::swap(parts[i - 1], parts[g.below(i)]);
        ColumnMoments<double> merged;
        for (const auto& p : parts) merged.merge(p);
        CHECK(merged == ref);
        CHECK(bytes_of(merged) == ref_bytes);
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            CHECK(same_bits(merged.mean(j), ref.mean(j)));
            CHECK(same_bits(merged.variance(j), ref.variance(j)));
            CHECK(same_bits(merged.min(j), ref.min(j)));
            CHECK(same_bits(merged.max(j), ref.max(j)));
        }
    }
}

TEST_CASE("ColumnMoments: NaN skipped, Inf poisons, min/max with signed zeros") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    Matrix<double> X(5000, 4);
    SplitMix g{3};
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        X(i, 0) = g.normal();
        X(i, 1) = g.normal();
        X(i, 2) = (i % 2) ? 0.0 : -0.0;
        X(i, 3) = nan;
    }
    X(100, 0) = nan;
    X(4000, 0) = nan;
    X(17, 1) = inf;
    ColumnMoments<double> m;
    m.update(X);
    CHECK(m.count(0) == 4998);
    CHECK(m.nan_count(0) == 2);
    std::vector<double> finite;
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        if (!std::isnan(X(i, 0))) finite.push_back(X(i, 0));
    const Expected e = oracle(finite, std::vector<double>(finite.size(), 1.0));
    CHECK(same_bits(m.mean(0), e.mean));
    CHECK(same_bits(m.variance(0), e.var));
    CHECK(m.mean(1) == inf);
    CHECK(std::isnan(m.variance(1)));
    CHECK(m.max(1) == inf);
    CHECK(same_bits(m.min(2), -0.0));
    CHECK(same_bits(m.max(2), 0.0));
    CHECK(same_bits(m.mean(2), 0.0));
    CHECK(same_bits(m.variance(2), 0.0));
    CHECK(m.count(3) == 0);
    CHECK(m.nan_count(3) == 5000);
    CHECK(std::isnan(m.mean(3)));
    CHECK(std::isnan(m.variance(3)));
    CHECK(std::isnan(m.min(3)));
    // The zero signs do not depend on which chunk saw them.
    ColumnMoments<double> a, b;
    a.update(X.topRows(1));  // -0.0 first
    a.update(X.bottomRows(4999));
    b.update(X.bottomRows(4999));
    b.update(X.topRows(1));
    CHECK(a == b);
    CHECK(same_bits(b.min(2), -0.0));
    // Both infinity signs: the mean is NaN.
    Matrix<double> Y(3, 1);
    Y << inf, 1.0, -inf;
    ColumnMoments<double> y;
    y.update(Y);
    CHECK(std::isnan(y.mean(0)));
}

TEST_CASE("ColumnMoments: weighted moments are correctly rounded") {
    SplitMix g{8};
    const auto cols = columns(3000, 99);
    const Matrix<double> X = to_matrix(cols);
    Vector<double> w(X.rows());
    for (Eigen::Index i = 0; i < w.size(); ++i) w[i] = (i % 11 == 0) ? 0.0 : g.unit() * 10.0;
    ColumnMoments<double> m;
    m.update(X, w);
    const std::vector<double> wv(w.data(), w.data() + w.size());
    for (std::size_t j = 0; j < cols.size(); ++j) {
        CAPTURE(j);
        const Expected e = oracle(cols[j], wv);
        const auto jj = static_cast<Eigen::Index>(j);
        CHECK(same_bits(m.sum(jj), e.sum));
        CHECK(same_bits(m.mean(jj), e.mean));
        CHECK(same_bits(m.variance(jj), e.var));
    }
    // weights must be finite and >= 0; the state is untouched on error
    const std::string before = bytes_of(m);
    Vector<double> bad = w;
    bad[5] = -1.0;
    CHECK_THROWS_AS(m.update(X, bad), reprep::InvalidInput);
    bad[5] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(m.update(X, bad), reprep::InvalidInput);
    CHECK_THROWS_AS(m.update(X, w.head(10)), reprep::InvalidInput);
    CHECK(bytes_of(m) == before);
    // all-zero weights: no mean
    ColumnMoments<double> z;
    z.update(X, Vector<double>::Zero(X.rows()));
    CHECK(std::isnan(z.mean(0)));
    CHECK(std::isnan(z.variance(0)));
}

TEST_CASE("ColumnMoments<float>: widened exactly") {
    SplitMix g{5};
    Matrix<float> F(6000, 3);
    for (Eigen::Index i = 0; i < F.rows(); ++i) {
        F(i, 0) = static_cast<float>(g.normal());
        F(i, 1) = static_cast<float>(1e4 + g.normal());
        F(i, 2) = static_cast<float>(g.normal() * 1e-30);
    }
    ColumnMoments<float> m;
    m.update(F);
    for (Eigen::Index j = 0; j < 3; ++j) {
        std::vector<double> c;
        for (Eigen::Index i = 0; i < F.rows(); ++i) c.push_back(static_cast<double>(F(i, j)));
        const Expected e = oracle(c, std::vector<double>(c.size(), 1.0));
        CHECK(same_bits(m.mean(j), e.mean));
        CHECK(same_bits(m.variance(j), e.var));
    }
    // float and double artifacts are not interchangeable
    reprep::ArchiveWriter w;
    m.save(w);
    reprep::ArchiveReader r(w.bytes(), "moments");
    CHECK_THROWS_AS(ColumnMoments<double>::load(r), reprep::FormatError);
}

TEST_CASE("ColumnMoments: save/load round-trips; malformed bytes and widths are refused") {
    const auto cols = columns(2500, 4);
    const Matrix<double> X = to_matrix(cols);
    ColumnMoments<double> m;
    m.update(X);
    const std::string b = bytes_of(m);
    {
        reprep::ArchiveReader r(b, "moments");
        const auto back = ColumnMoments<double>::load(r);
        r.expect_end();
        CHECK(back == m);
        CHECK(bytes_of(back) == b);
        for (Eigen::Index j = 0; j < m.cols(); ++j) CHECK(same_bits(back.variance(j), m.variance(j)));
    }
    for (std::size_t cut : {std::size_t{0}, std::size_t{5}, b.size() / 2, b.size() - 1}) {
        reprep::ArchiveReader r(std::string_view(b).substr(0, cut), "moments");
        CHECK_THROWS_AS(ColumnMoments<double>::load(r), reprep::FormatError);
    }
    {
        ColumnMoments<double> empty(2);
        reprep::ArchiveWriter w;
        empty.save(w);
        std::string e = w.bytes();
        e[e.size() - 1] = 1;  // a max without any value
        reprep::ArchiveReader r(e, "moments");
        CHECK_THROWS_AS(ColumnMoments<double>::load(r), reprep::FormatError);
    }
    ColumnMoments<double> three(3);
    const std::string before = bytes_of(three);
    try {
        three.update(X);
        FAIL("expected SchemaError");
    } catch (const reprep::SchemaError& err) {
        CHECK(err.component() == "ColumnMoments");
    }
    CHECK(bytes_of(three) == before);
    CHECK_THROWS_AS(three.merge(m), reprep::SchemaError);
}
