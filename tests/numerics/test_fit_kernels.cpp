// The speed kernels of issue 17 against the paths they replace, bit for bit, on data
// chosen to hit their edges (block boundaries, NaN, both zeros, infinities, ties,
// values whose squares leave the fast range, float input):
//   - detail::column_bounds (MinMaxScaler/MaxAbsScaler fit(X)) == ColumnMoments' bounds;
//   - detail::RankSelection (RobustScaler fit(X)) == ValueAccumulator::sorted() at each rank;
//   - fit(X) == fit(accumulator of X) for the three scalers whose fit(X) no longer goes
//     through the accumulator;
//   - Normalizer's blocked transform == x / row_norm(row) (the scalar reference) and
//     == transform_row;
//   - detail::searchsorted_right/left (QuantileTransformer, the discretisers) ==
//     std::upper_bound/lower_bound, and QuantileTransformer's one-search transform == its
//     two-np_interp formula;
//   - detail::affine_column (SSE2 pairs, streamed or not, any alignment) and
//     detail::affine_rows (row-major) == the scalar affine<Op>, and StandardScaler's
//     transform_rows_into == transform on the same values.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <reprep/core/archive.hpp>
#include <reprep/core/detail/affine_kernel.hpp>
#include <reprep/core/moments.hpp>
#include <reprep/core/numpy_ports.hpp>
#include <reprep/core/quantile.hpp>
#include <reprep/core/rng.hpp>
#include <reprep/scale/max_abs_scaler.hpp>
#include <reprep/scale/min_max_scaler.hpp>
#include <reprep/scale/normalizer.hpp>
#include <reprep/scale/robust_scaler.hpp>
#include <reprep/scale/standard_scaler.hpp>
#include <reprep/transform/quantile_transformer.hpp>

using reprep::Matrix;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

// A value drawn from a mix that favours the awkward ones.
double awkward(reprep::Rng& rng, int flavour) {
    const auto k = rng.uniform_int(16);
    switch (flavour) {
        case 0:  // zeros of both signs among small integers, some NaN
            if (k < 4) return k % 2 ? -0.0 : 0.0;
            if (k < 6) return kNaN;
            return static_cast<double>(static_cast<int>(rng.uniform_int(7)) - 3);
        case 1:  // only zeros and NaN
            return k < 5 ? -0.0 : (k < 10 ? 0.0 : kNaN);
        case 2:  // wide range, infinities
            if (k == 0) return kInf;
            if (k == 1) return -kInf;
            if (k == 2) return kNaN;
            return (rng.uniform() - 0.5) * std::ldexp(1.0, static_cast<int>(rng.uniform_int(1200)) - 600);
        default:  // plain
            return rng.uniform() * 10.0 - 5.0;
    }
}

std::vector<double> column(std::size_t n, int flavour, std::uint64_t seed) {
    reprep::Rng rng(seed);
    std::vector<double> v(n);
    for (auto& x : v) x = awkward(rng, flavour);
    return v;
}

}  // namespace

TEST_CASE("column_bounds equals ColumnMoments' count, NaN count and bounds") {
    for (std::size_t n : {0u, 1u, 3u, 4u, 5u, 2047u, 2048u, 2049u, 4100u, 6144u}) {
        for (int flavour = 0; flavour < 4; ++flavour) {
            auto v = column(n, flavour, 1000 * n + static_cast<std::uint64_t>(flavour));
            // A NaN first and a lone -0.0 at a block edge, where lane and block merges meet.
            if (n > 0 && flavour == 0) v[0] = kNaN;
            if (n > 2048 && flavour == 3) v[2048] = -0.0, v[2047] = 0.0;
            for (bool as_float : {false, true}) {
                if (as_float && flavour == 2) continue;  // beyond float range
                reprep::detail::ColumnBounds b;
                reprep::ColumnMoments<double> m(1);
                if (as_float) {
                    std::vector<float> f(v.begin(), v.end());
                    b = reprep::detail::column_bounds(f.data(), f.size());
                    reprep::ColumnMoments<float> mf(1);
                    mf.update(Eigen::Map<const Matrix<float>>(f.data(), static_cast<Eigen::Index>(n), 1));
                    CHECK(b.count == mf.count(0));
                    CHECK(b.nan == mf.nan_count(0));
                    if (b.count > 0) {
                        CHECK(bits(b.mn) == bits(mf.min(0)));
                        CHECK(bits(b.mx) == bits(mf.max(0)));
                    }
                    continue;
                }
                b = reprep::detail::column_bounds(v.data(), v.size());
                m.update(Eigen::Map<const Matrix<double>>(v.data(), static_cast<Eigen::Index>(n), 1));
                INFO("n = " << n << ", flavour " << flavour);
                CHECK(b.count == m.count(0));
                CHECK(b.nan == m.nan_count(0));
                if (b.count > 0) {
                    CHECK(bits(b.mn) == bits(m.min(0)));
                    CHECK(bits(b.mx) == bits(m.max(0)));
                }
            }
        }
    }
}

TEST_CASE("RankSelection gives ValueAccumulator's sorted value at every selected rank") {
    for (std::size_t n : {1u, 2u, 7u, 100u, 5000u}) {
        for (int flavour = 0; flavour < 4; ++flavour) {
            const auto v = column(n, flavour, 77 * n + static_cast<std::uint64_t>(flavour));
            reprep::ValueAccumulator acc;
            acc.update(std::span<const double>(v));
            const auto sorted = acc.sorted();
            reprep::detail::RankSelection sel;
            sel.assign(v.data(), v.size());
            REQUIRE(sel.size() == sorted.size());
            if (sorted.empty()) continue;
            reprep::Rng rng(n + 5);
            std::vector<std::size_t> ranks = {0, sorted.size() - 1, sorted.size() / 2};
            for (int k = 0; k < 6; ++k) ranks.push_back(static_cast<std::size_t>(rng.uniform_int(sorted.size())));
            sel.select(ranks);
            for (std::size_t r : ranks) CHECK_MESSAGE(bits(sel.at(r)) == bits(sorted[r]), "n " << n << " rank " << r);
        }
    }
}

namespace {
// Training data without infinities (the scalers refuse them in fit).
Matrix<double> scaler_data(Eigen::Index rows, std::uint64_t seed) {
    Matrix<double> X(rows, 5);
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        const int flavour = static_cast<int>(j % 4);
        auto v = column(static_cast<std::size_t>(rows), flavour == 2 ? 3 : flavour, seed + static_cast<std::uint64_t>(j));
        for (Eigen::Index i = 0; i < rows; ++i) X(i, j) = v[static_cast<std::size_t>(i)];
    }
    // Column 4: all NaN.
    X.col(4).setConstant(kNaN);
    return X;
}

template <class C, class T>
void fit_equals_accumulator(C make_a, C make_b, const Matrix<T>& X) {
    auto a = make_a;
    a.fit(X);
    auto acc = make_b.accumulator();
    const Eigen::Index cut = X.rows() / 3;
    acc.update(X.topRows(cut));
    auto acc2 = make_b.accumulator();
    acc2.update(X.bottomRows(X.rows() - cut));
    acc.merge(acc2);
    make_b.fit(acc);
    CHECK(reprep::fingerprint(a) == reprep::fingerprint(make_b));
}
}  // namespace

TEST_CASE("fit(X) equals fit(accumulator) for MinMaxScaler, MaxAbsScaler and RobustScaler") {
    for (Eigen::Index rows : {1, 2, 5, 3001, 5000}) {
        const Matrix<double> X = scaler_data(rows, static_cast<std::uint64_t>(rows));
        const Matrix<float> F = X.cast<float>();
        INFO("rows = " << rows);
        fit_equals_accumulator(reprep::MinMaxScaler<>(), reprep::MinMaxScaler<>(), X);
        fit_equals_accumulator(reprep::MinMaxScaler<float>(), reprep::MinMaxScaler<float>(), F);
        fit_equals_accumulator(reprep::MaxAbsScaler<>(), reprep::MaxAbsScaler<>(), X);
        fit_equals_accumulator(reprep::MaxAbsScaler<float>(), reprep::MaxAbsScaler<float>(), F);
        fit_equals_accumulator(reprep::RobustScaler<>(), reprep::RobustScaler<>(), X);
        fit_equals_accumulator(reprep::RobustScaler<float>(), reprep::RobustScaler<float>(), F);
        using RP = reprep::RobustScaler<>::Params;
        const RP odd{.quantile_range = {10.0, 90.0}, .unit_variance = true};
        fit_equals_accumulator(reprep::RobustScaler<>(odd), reprep::RobustScaler<>(odd), X);
        const RP center_only{.with_scaling = false};
        fit_equals_accumulator(reprep::RobustScaler<>(center_only), reprep::RobustScaler<>(center_only), X);
        const RP scale_only{.with_centering = false, .quantile_range = {0.0, 100.0}};
        fit_equals_accumulator(reprep::RobustScaler<>(scale_only), reprep::RobustScaler<>(scale_only), X);
    }
}

namespace {
// Rows for the Normalizer: short decimal rows (ties of the compensated sum), zero rows,
// rows with values whose squares leave [2^-900, 2^1000] (the exact path), wide ranges.
Matrix<double> normalizer_data(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
    reprep::Rng rng(seed);
    Matrix<double> X(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i) {
        const auto kind = rng.uniform_int(6);
        for (Eigen::Index j = 0; j < cols; ++j) {
            double x = 0.0;
            switch (kind) {
                case 0: x = static_cast<double>(static_cast<int>(rng.uniform_int(2000)) - 1000) / 10.0; break;
                case 1: x = rng.uniform_int(3) == 0 ? -0.0 : 0.0; break;
                case 2: x = (rng.uniform() - 0.5) * std::ldexp(1.0, static_cast<int>(rng.uniform_int(1900)) - 1000); break;
                case 3: x = rng.uniform_int(4) == 0 ? 0x1p-460 : rng.uniform(); break;
                case 4: x = rng.uniform_int(4) == 0 ? 0x1p+501 : rng.uniform(); break;
                default: x = rng.uniform() * 2.0 - 1.0; break;
            }
            X(i, j) = x;
        }
    }
    return X;
}

template <class T>
void normalizer_matches_reference(reprep::Norm norm, const Matrix<T>& X) {
    reprep::Normalizer<T> nz({.norm = norm});
    nz.fit(X);
    const Matrix<T> Y = nz.transform(X);
    const T tiny = T(10) * std::numeric_limits<T>::epsilon();
    std::vector<T> row(static_cast<std::size_t>(X.cols())), out(row.size());
    std::size_t bad = 0, bad_row_path = 0;
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        for (Eigen::Index j = 0; j < X.cols(); ++j) row[static_cast<std::size_t>(j)] = X(i, j);
        T n = nz.row_norm(row);
        if (n < tiny) n = T(1);
        nz.transform_row(row, out);
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const T want = row[static_cast<std::size_t>(j)] / n;
            if (std::memcmp(&want, &Y(i, j), sizeof(T)) != 0) ++bad;
            if (std::memcmp(&out[static_cast<std::size_t>(j)], &Y(i, j), sizeof(T)) != 0) ++bad_row_path;
        }
    }
    CHECK(bad == 0);
    CHECK(bad_row_path == 0);
}
}  // namespace

TEST_CASE("Normalizer's blocked transform gives the bits of the per-row reference") {
    for (Eigen::Index rows : {1, 255, 256, 257, 1000}) {
        for (Eigen::Index cols : {1, 2, 16}) {
            const Matrix<double> X = normalizer_data(rows, cols, static_cast<std::uint64_t>(rows * 31 + cols));
            INFO("rows " << rows << " cols " << cols);
            for (auto norm : {reprep::Norm::l1, reprep::Norm::l2, reprep::Norm::max}) {
                normalizer_matches_reference<double>(norm, X);
                const Matrix<float> F = X.unaryExpr([](double x) { return x == 0.0 || (std::abs(x) < 1e30 && std::abs(x) > 1e-30) ? x : 0.5; }).template cast<float>();
                normalizer_matches_reference<float>(norm, F);
            }
        }
    }
}

TEST_CASE("the branch-free searches return std::upper_bound's and std::lower_bound's index") {
    const double pool[] = {-kInf, -2.0, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0, kInf};
    const double probes[] = {-kInf, -3.0, -2.0, -1.5, -0.0, 0.0, 0.5, 0.75, 2.0, 9.0, kInf, kNaN};
    reprep::Rng rng(11);
    for (std::size_t n = 0; n < 40; ++n) {
        for (int rep = 0; rep < 50; ++rep) {
            std::vector<double> a(n);
            for (auto& x : a) x = pool[rng.uniform_int(9)];
            std::sort(a.begin(), a.end());  // ties and both zeros, in either order among equals
            for (double x : probes) {
                const auto up = static_cast<std::size_t>(std::upper_bound(a.begin(), a.end(), x) - a.begin());
                const auto lo = static_cast<std::size_t>(std::lower_bound(a.begin(), a.end(), x) - a.begin());
                CHECK(reprep::detail::searchsorted_right(a.data(), n, x) == up);
                CHECK(reprep::detail::searchsorted_left(a.data(), n, x) == lo);
            }
        }
    }
}

TEST_CASE("QuantileTransformer's one search gives the two-interpolation formula's bits") {
    // Columns: small integers with both zeros (long runs of equal quantiles), continuous,
    // and a constant column (every quantile equal).
    reprep::Rng rng(5);
    Matrix<double> X(3000, 3);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        const auto k = static_cast<int>(rng.uniform_int(7)) - 3;
        X(i, 0) = k == 0 ? (rng.uniform_int(2) ? -0.0 : 0.0) : static_cast<double>(k);
        X(i, 1) = rng.uniform() * rng.uniform() * 10.0;
        X(i, 2) = 4.0;
    }
    for (std::int64_t nq : {2, 50, 1000}) {
        reprep::QuantileTransformer<> qt({.n_quantiles = nq});
        qt.fit(X);
        const auto& r = qt.references();
        std::vector<double> nr(r.rbegin(), r.rend());
        for (double& v : nr) v = -v;
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const auto& q = qt.quantiles(static_cast<std::size_t>(j));
            std::vector<double> nqs(q.rbegin(), q.rend());
            for (double& v : nqs) v = -v;
            std::vector<double> probes = {kNaN, -1e300, 1e300, -0.0, 0.0, -100.0, 100.0};  // no Inf: refused
            for (double v : q) probes.insert(probes.end(), {v, std::nextafter(v, -kInf), std::nextafter(v, kInf)});
            for (int k = 0; k < 200; ++k) probes.push_back(rng.uniform() * 14.0 - 4.0);
            Matrix<double> P = Matrix<double>::Zero(static_cast<Eigen::Index>(probes.size()), X.cols());
            for (std::size_t i = 0; i < probes.size(); ++i) P(static_cast<Eigen::Index>(i), j) = probes[i];
            const Matrix<double> Y = qt.transform(P);
            const std::size_t m = q.size();
            for (std::size_t i = 0; i < probes.size(); ++i) {
                const double x = probes[i];
                double want = x;
                if (!std::isnan(x)) {
                    want = 0.5 * (reprep::detail::np_interp(x, q.data(), r.data(), m) -
                                  reprep::detail::np_interp(-x, nqs.data(), nr.data(), m));
                    if (x == q[m - 1]) want = 1;
                    if (x == q[0]) want = 0;
                    if (std::isnan(want)) want = kNaN;
                }
                CHECK_MESSAGE(bits(Y(static_cast<Eigen::Index>(i), j)) == bits(want),
                              "n_quantiles " << nq << " column " << j << " x " << x);
            }
        }
    }
}

namespace {

template <reprep::detail::AffineOp Op>
void affine_kernels_match_scalar(const std::vector<double>& x, double a, double b) {
    using reprep::detail::affine;
    // Every start offset (alignment of x and y), lengths around the 8-wide loop, with
    // and without non-temporal stores.
    for (std::size_t off = 0; off < 3; ++off)
        for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{17},
                              x.size() - off}) {
            for (bool stream : {false, true}) {
                std::vector<double> y(n + off, 99.0);
                reprep::detail::affine_column<Op, double>(x.data() + off, y.data() + off, static_cast<Eigen::Index>(n), a,
                                                          b, stream);
                reprep::detail::stream_fence(stream);
                for (std::size_t i = 0; i < n; ++i) REQUIRE(bits(y[off + i]) == bits(affine<Op>(x[off + i], a, b)));
            }
        }
    // Row-major: rows x cols with per-column constants, odd and even widths.
    for (Eigen::Index cols : {1, 2, 3, 16}) {
        const Eigen::Index rows = static_cast<Eigen::Index>(x.size()) / cols;
        std::vector<double> as(static_cast<std::size_t>(cols)), bs(static_cast<std::size_t>(cols));
        for (Eigen::Index j = 0; j < cols; ++j) {
            as[static_cast<std::size_t>(j)] = a * static_cast<double>(j + 1);
            bs[static_cast<std::size_t>(j)] = b + static_cast<double>(j);
        }
        for (bool stream : {false, true}) {
            std::vector<double> y(static_cast<std::size_t>(rows * cols), 99.0);
            reprep::detail::affine_rows<Op>(x.data(), y.data(), rows, cols, as.data(), bs.data(), stream);
            reprep::detail::stream_fence(stream);
            for (Eigen::Index i = 0; i < rows; ++i)
                for (Eigen::Index j = 0; j < cols; ++j) {
                    const auto k = static_cast<std::size_t>(i * cols + j);
                    REQUIRE(bits(y[k]) == bits(affine<Op>(x[k], as[static_cast<std::size_t>(j)], bs[static_cast<std::size_t>(j)])));
                }
        }
    }
}

}  // namespace

TEST_CASE("the SSE2 affine kernels, by column and by row, give the scalar formula's bits") {
    using reprep::detail::AffineOp;
    for (int flavour = 0; flavour < 4; ++flavour) {
        INFO("flavour " << flavour);
        const auto x = column(301, flavour, 700 + static_cast<std::uint64_t>(flavour));
        for (const auto& [a, b] : {std::pair{0.25, 3.0}, std::pair{-1e300, 1e-300}, std::pair{0.0, -0.0}, std::pair{kNaN, 2.0}}) {
            affine_kernels_match_scalar<AffineOp::sub_div>(x, a, b);
            affine_kernels_match_scalar<AffineOp::mul_add>(x, a, b);
            affine_kernels_match_scalar<AffineOp::div>(x, a, b);
            affine_kernels_match_scalar<AffineOp::sub>(x, a, b);
        }
    }
}

TEST_CASE("StandardScaler's transform_rows_into gives transform's bits on the row-major values") {
    // 150,000 x 4 doubles: above the 8 MiB at which the kernels stream their stores.
    for (Eigen::Index cols : {4, 3}) {
        const Eigen::Index rows = cols == 4 ? 150000 : 1001;
        Matrix<double> X(rows, cols);
        for (Eigen::Index j = 0; j < cols; ++j) {
            const auto v = column(static_cast<std::size_t>(rows), static_cast<int>(j % 4), 900 + static_cast<std::uint64_t>(j));
            for (Eigen::Index i = 0; i < rows; ++i) X(i, j) = v[static_cast<std::size_t>(i)];
        }
        // Fit on finite rows (fit refuses infinities); transform takes every value.
        const Matrix<double> F = X.unaryExpr([](double v) { return std::isinf(v) ? 1.5 : v; });
        const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> R = X;
        for (const auto& [with_mean, with_std] : {std::pair{true, true}, std::pair{true, false}, std::pair{false, true},
                                                  std::pair{false, false}}) {
            reprep::StandardScaler<> s({.with_mean = with_mean, .with_std = with_std});
            s.fit(F);
            const Matrix<double> want = s.transform(X);
            for (int n_jobs : {1, 3}) {
                Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> got(rows, cols);
                s.transform_rows_into(R.data(), rows, got.data(), {.n_jobs = n_jobs});
                for (Eigen::Index i = 0; i < rows; ++i)
                    for (Eigen::Index j = 0; j < cols; ++j) REQUIRE(bits(got(i, j)) == bits(want(i, j)));
            }
        }
    }
    reprep::StandardScaler<> unfitted;
    double v = 1.0, out = 0.0;
    CHECK_THROWS_AS(unfitted.transform_rows_into(&v, 1, &out), reprep::NotFitted);
}
