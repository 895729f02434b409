// The contract suite over the scalers, then each scaler's own edge cases.
#include "contract.hpp"
#include "../scratch_dir.hpp"

#include <fstream>
#include <functional>
#include <numeric>

#include <reprep/core/chunk_source.hpp>
#include <reprep/core/csv.hpp>
#include <reprep/core/exact_sum.hpp>
#include <reprep/scale/binarizer.hpp>
#include <reprep/scale/max_abs_scaler.hpp>
#include <reprep/scale/min_max_scaler.hpp>
#include <reprep/scale/normalizer.hpp>
#include <reprep/scale/robust_scaler.hpp>
#include <reprep/scale/standard_scaler.hpp>

using namespace reprep;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class T>
Matrix<T> cast(const Matrix<double>& X) { return X.template cast<T>(); }

template <class T>
bool bits_equal(T a, T b) { return std::memcmp(&a, &b, sizeof(T)) == 0; }

template <class T, bool WithMean>
struct StandardScalerCase {
    using Component = StandardScaler<T>;
    static Component make() { return Component({.with_mean = WithMean, .with_std = true}); }
    static Matrix<T> train() { return cast<T>(contract::gaussian(203, 4, 11, 0.05)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(37, 4, 12, 0.1)); }
    static void bad_params() {}  // every StandardScaler Params value is valid
    static constexpr bool has_accumulator = true;
};

template <class T, bool Clip>
struct MinMaxScalerCase {
    using Component = MinMaxScaler<T>;
    static Component make() { return Component({.feature_range = {-1.0, 2.0}, .clip = Clip}); }
    static Matrix<T> train() { return cast<T>(contract::gaussian(203, 4, 21, 0.05)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(37, 4, 22, 0.1)); }  // values outside the fitted range too
    static void bad_params() {
        CHECK_THROWS_AS(Component({.feature_range = {1.0, 1.0}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.feature_range = {2.0, 1.0}}), InvalidParameter);
        CHECK_THROWS_WITH_AS(Component({.feature_range = {0.0, kNaN}}), doctest::Contains("feature_range"), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};

template <class T>
struct MaxAbsScalerCase {
    using Component = MaxAbsScaler<T>;
    static Component make() { return Component(); }
    static Matrix<T> train() { return cast<T>(contract::gaussian(203, 4, 31, 0.05)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(37, 4, 32, 0.1)); }
    static void bad_params() {}  // no options
    static constexpr bool has_accumulator = true;
};

template <class T, bool UnitVariance>
struct RobustScalerCase {
    using Component = RobustScaler<T>;
    static Component make() {
        if (UnitVariance) return Component({.quantile_range = {10.0, 90.0}, .unit_variance = true});
        return Component();
    }
    static Matrix<T> train() { return cast<T>(contract::gaussian(203, 4, 41, 0.05)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(37, 4, 42, 0.1)); }
    static void bad_params() {
        CHECK_THROWS_AS(Component({.quantile_range = {-1.0, 75.0}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.quantile_range = {80.0, 75.0}}), InvalidParameter);
        CHECK_THROWS_AS(Component({.quantile_range = {25.0, 101.0}}), InvalidParameter);
        CHECK_THROWS_WITH_AS(Component({.quantile_range = {0.0, 75.0}, .unit_variance = true}),
                             doctest::Contains("unit_variance"), InvalidParameter);
    }
    static constexpr bool has_accumulator = true;
};

template <class T, Norm N>
struct NormalizerCase {
    using Component = Normalizer<T>;
    static Component make() { return Component({.norm = N}); }
    static Matrix<T> train() { return cast<T>(contract::gaussian(50, 5, 51)); }
    static Matrix<T> test() {
        Matrix<T> X = cast<T>(contract::gaussian(37, 5, 52));
        X.row(3).setZero();  // a zero row stays zero
        return X;
    }
    static void bad_params() { CHECK_THROWS_AS(Component({.norm = static_cast<Norm>(9)}), InvalidParameter); }
    static constexpr bool has_accumulator = false;
};

template <class T>
struct BinarizerCase {
    using Component = Binarizer<T>;
    static Component make() { return Component({.threshold = 0.5}); }
    static Matrix<T> train() { return cast<T>(contract::gaussian(50, 3, 61)); }
    static Matrix<T> test() { return cast<T>(contract::gaussian(37, 3, 62)); }
    static void bad_params() {
        CHECK_THROWS_WITH_AS(Component({.threshold = kNaN}), doctest::Contains("threshold"), InvalidParameter);
    }
    static constexpr bool has_accumulator = false;
};
}  // namespace

TEST_CASE_TEMPLATE("numeric contract: scalers", C, StandardScalerCase<double, true>, StandardScalerCase<double, false>,
                   StandardScalerCase<float, true>, MinMaxScalerCase<double, false>, MinMaxScalerCase<double, true>,
                   MinMaxScalerCase<float, true>, MaxAbsScalerCase<double>, MaxAbsScalerCase<float>,
                   RobustScalerCase<double, false>, RobustScalerCase<double, true>, RobustScalerCase<float, false>,
                   NormalizerCase<double, Norm::l2>, NormalizerCase<double, Norm::l1>, NormalizerCase<double, Norm::max>,
                   NormalizerCase<float, Norm::l2>, BinarizerCase<double>, BinarizerCase<float>) {
    contract::run_all<C>();
}

// ---------------------------------------------------------------------------
// StandardScaler
// ---------------------------------------------------------------------------

TEST_CASE("Affine scalers: Inf in transform follows IEEE arithmetic (no extra validation pass); refused in fit") {
    constexpr double inf = std::numeric_limits<double>::infinity();
    Matrix<double> X(3, 1);
    X << 1.0, 2.0, 4.0;
    Matrix<double> Z(2, 1);
    Z << inf, -inf;
    StandardScaler<> s;
    s.fit(X);
    CHECK(s.transform(Z)(0, 0) == inf);
    MinMaxScaler<> mm({.clip = true});
    mm.fit(X);
    CHECK(mm.transform(Z)(0, 0) == 1.0);
    CHECK(mm.transform(Z)(1, 0) == 0.0);
    MaxAbsScaler<> ma;
    ma.fit(X);
    CHECK(ma.transform(Z)(1, 0) == -inf);
    RobustScaler<> rs;
    rs.fit(X);
    CHECK(rs.transform(Z)(0, 0) == inf);
    X(1, 0) = -inf;
    CHECK_THROWS_WITH_AS(StandardScaler<>().fit(X), doctest::Contains("column 'x0', row 1"), InvalidInput);
    CHECK_THROWS_AS(MinMaxScaler<>().fit(X), InvalidInput);
    CHECK_THROWS_AS(MaxAbsScaler<>().fit(X), InvalidInput);
    CHECK_THROWS_AS(RobustScaler<>().fit(X), InvalidInput);
}

TEST_CASE("StandardScaler::fit finds an infinity from its moments: the error names the pre-pass's cell, state kept") {
    // fit has no NaN/Inf pre-pass of its own (fit_matrix_checks_finite): the infinity
    // shows in a column's min or max, and only then is X scanned. The cell named must be
    // the first in column-major order, whatever the moments kernel read first, weighted
    // or not, and a fitted scaler keeps its state.
    constexpr double inf = std::numeric_limits<double>::infinity();
    Matrix<double> X = Matrix<double>::Constant(10000, 3, 1.5);
    for (Eigen::Index i = 0; i < X.rows(); ++i) X(i, 1) = static_cast<double>(i % 17) - 8.0;
    X(9000, 2) = std::numeric_limits<double>::quiet_NaN();  // allowed
    X(5, 2) = inf;
    X(8191, 1) = -inf;  // an earlier column, a later row, the edge of a moments block
    X(8192, 1) = inf;
    Matrix<double> good = Matrix<double>::Constant(4, 3, 2.0);
    StandardScaler<> s;
    s.fit(good);
    const auto before = reprep::fingerprint(s);
    CHECK_THROWS_WITH_AS(s.fit(X), doctest::Contains("column 'x1', row 8191"), InvalidInput);
    CHECK(reprep::fingerprint(s) == before);
    const Vector<double> w = Vector<double>::Constant(X.rows(), 0.5);
    CHECK_THROWS_WITH_AS(s.fit(X, w), doctest::Contains("column 'x1', row 8191"), InvalidInput);
    CHECK(reprep::fingerprint(s) == before);
    X(8191, 1) = 0.0;
    X(8192, 1) = 0.0;
    CHECK_THROWS_WITH_AS(StandardScaler<>().fit(X), doctest::Contains("column 'x2', row 5"), InvalidInput);
    X(5, 2) = 1.5;
    CHECK_NOTHROW(StandardScaler<>().fit(X));
}

TEST_CASE("Affine scalers: the streaming-store path (large outputs) gives the bits of the row path") {
    // 600000 x 2 doubles = 9.6 MB of output: above detail::kStreamBytes, so the batch
    // transform streams; transform_row never does. Odd row count: unaligned columns.
    const Matrix<double> X = contract::gaussian(600001, 2, 99, 0.01);
    REQUIRE(detail::stream_output(X.rows(), X.cols(), sizeof(double)));
    auto check = [&](const auto& c) {
        const Matrix<double> Y = c.transform(X);
        std::vector<double> in(2), o(2);
        bool ok = true;
        for (Eigen::Index i = 0; i < X.rows(); i += 997) {
            in = {X(i, 0), X(i, 1)};
            c.transform_row(in, o);
            ok &= bits_equal(o[0], Y(i, 0)) && bits_equal(o[1], Y(i, 1));
        }
        CHECK(ok);
    };
    StandardScaler<> s;
    s.fit(X);
    check(s);
    MinMaxScaler<> mm;
    mm.fit(X);
    check(mm);
    MaxAbsScaler<> ma;
    ma.fit(X);
    check(ma);
    RobustScaler<> rs;
    rs.fit(X);
    check(rs);
}

TEST_CASE("StandardScaler<float>: each step rounds to float, as numpy's in-place float32 arithmetic") {
    const std::vector<double> mean = {1000.1}, scale = {3.3};
    const auto s = StandardScaler<float>::from_state(mean, scale);
    Matrix<float> X(3, 1);
    X << 1003.7f, 999.25f, 1000.0f;
    const Matrix<float> Y = s.transform(X);
    for (Eigen::Index i = 0; i < 3; ++i) {
        const float diff = static_cast<float>(static_cast<double>(X(i, 0)) - mean[0]);
        CHECK(bits_equal(Y(i, 0), static_cast<float>(static_cast<double>(diff) / scale[0])));
    }
}

// ---------------------------------------------------------------------------
// MinMaxScaler
// ---------------------------------------------------------------------------

TEST_CASE("MinMaxScaler: state, formula, constant and all-NaN columns, inverse") {
    Matrix<double> X(4, 3);
    X << 1.0, 5.0, kNaN,  //
        3.0, 5.0, kNaN,   //
        kNaN, 5.0, kNaN,  //
        -1.0, 5.0, kNaN;
    MinMaxScaler<> s;
    s.fit(X);
    CHECK(s.data_min()[0] == -1.0);
    CHECK(s.data_max()[0] == 3.0);
    CHECK(s.data_range()[0] == 4.0);
    CHECK(s.scale()[0] == 0.25);
    CHECK(s.min()[0] == 0.25);
    // A constant column: range 0 -> divisor 1, so scale_ = 1 and min_ = -data_min (scikit-learn).
    CHECK(s.scale()[1] == 1.0);
    CHECK(s.min()[1] == -5.0);
    // An all-NaN column has NaN state and maps to NaN.
    CHECK(std::isnan(s.scale()[2]));
    const Matrix<double> Y = s.transform(X);
    CHECK(Y(0, 0) == 0.5);
    CHECK(Y(3, 0) == 0.0);
    CHECK(std::isnan(Y(2, 0)));
    CHECK(Y(1, 1) == 0.0);
    CHECK(std::isnan(Y(0, 2)));
    const Matrix<double> back = s.inverse_transform(Y);
    CHECK(back(0, 0) == 1.0);
    CHECK(back(1, 0) == 3.0);
    CHECK(back(0, 1) == 5.0);
}

TEST_CASE("MinMaxScaler: clip bounds out-of-range values, keeps NaN, and puts -0.0 on +0.0 as numpy's clip") {
    Matrix<double> train(2, 1);
    train << 0.0, 10.0;
    MinMaxScaler<> s({.clip = true});
    s.fit(train);
    Matrix<double> X(4, 1);
    X << -5.0, 20.0, kNaN, 5.0;
    const Matrix<double> Y = s.transform(X);
    CHECK(Y(0, 0) == 0.0);
    CHECK(Y(1, 0) == 1.0);
    CHECK(std::isnan(Y(2, 0)));
    CHECK(Y(3, 0) == 0.5);
    // x * 1 + (-0.0) for x = -0.0 gives -0.0; numpy's clip (max then min, ties keep the bound) gives +0.0.
    const auto z = MinMaxScaler<>::from_state({-0.0}, {1.0}, {.clip = true});
    Matrix<double> Z(1, 1);
    Z << -0.0;
    CHECK(bits_equal(z.transform(Z)(0, 0), 0.0));
    CHECK_THROWS_AS(MinMaxScaler<>().transform(X), NotFitted);
    CHECK_THROWS_AS(MinMaxScaler<>().scale(), NotFitted);
}

TEST_CASE("MinMaxScaler<float>: scale_ and min_ are computed in float, as scikit-learn on float32") {
    Matrix<float> X(3, 1);
    X << 0.1f, 0.7f, 0.3f;
    MinMaxScaler<float> s;
    s.fit(X);
    const float range = 0.7f - 0.1f;
    const float scale = 1.0f / range;
    CHECK(s.scale()[0] == static_cast<double>(scale));
    CHECK(s.min()[0] == static_cast<double>(0.0f - 0.1f * scale));
}

// ---------------------------------------------------------------------------
// MaxAbsScaler
// ---------------------------------------------------------------------------

TEST_CASE("MaxAbsScaler: max |x|, zero column scale 1, all-NaN NaN, inverse") {
    Matrix<double> X(3, 3);
    X << -4.0, 0.0, kNaN,  //
        2.0, 0.0, kNaN,    //
        kNaN, -0.0, kNaN;
    MaxAbsScaler<> s;
    s.fit(X);
    CHECK(s.max_abs()[0] == 4.0);
    CHECK(s.scale()[0] == 4.0);
    CHECK(s.max_abs()[1] == 0.0);
    CHECK(s.scale()[1] == 1.0);
    CHECK(std::isnan(s.scale()[2]));
    const Matrix<double> Y = s.transform(X);
    CHECK(Y(0, 0) == -1.0);
    CHECK(Y(1, 0) == 0.5);
    CHECK(std::isnan(Y(2, 0)));
    CHECK(s.inverse_transform(Y)(0, 0) == -4.0);
}

// ---------------------------------------------------------------------------
// RobustScaler
// ---------------------------------------------------------------------------

TEST_CASE("RobustScaler: numpy's median and percentiles, constant column, unit_variance, inverse") {
    Matrix<double> X(5, 2);
    X << 1.0, 7.0,  //
        2.0, 7.0,   //
        kNaN, 7.0,  //
        4.0, 7.0,   //
        10.0, 7.0;
    RobustScaler<> s;
    s.fit(X);
    // Column 0 non-NaN: 1 2 4 10 -> median (2 + 4) / 2 = 3; q25 at index 0.75 -> 1.75, q75 at 2.25 -> 5.5.
    CHECK(s.center()[0] == 3.0);
    CHECK(s.scale()[0] == 5.5 - 1.75);
    CHECK(s.center()[1] == 7.0);
    CHECK(s.scale()[1] == 1.0);  // IQR 0 -> 1
    const Matrix<double> Y = s.transform(X);
    CHECK(Y(3, 0) == (4.0 - 3.0) / 3.75);
    CHECK(std::isnan(Y(2, 0)));
    const Matrix<double> back = s.inverse_transform(Y);
    CHECK(back(4, 0) == 10.0);

    RobustScaler<> u({.unit_variance = true});
    u.fit(X);
    const double adjust = dmath::norm_ppf(0.75) - dmath::norm_ppf(0.25);
    CHECK(u.scale()[0] == 3.75 / adjust);
    CHECK(adjust == doctest::Approx(1.3489795003921634).epsilon(1e-15));

    RobustScaler<> nc({.with_centering = false});
    nc.fit(X);
    CHECK(nc.center().empty());
    CHECK(nc.transform(X)(0, 0) == 1.0 / 3.75);
    CHECK_THROWS_AS(RobustScaler<>::from_state({1.0}, {}, {}), InvalidParameter);
}

TEST_CASE("RobustScaler: the median is numpy's (a + b) / 2, not the 'linear' lerp at q = 0.5") {
    Matrix<double> X(2, 1);
    X << -1.0, 1.0 + 0x1p-52;
    RobustScaler<> s;
    s.fit(X);
    CHECK(s.center()[0] == 0x1p-53);  // the lerp b - (b - a) * 0.5 would give 2^-52
    CHECK(quantile(std::vector<double>{-1.0, 1.0 + 0x1p-52}, 0.5) == 0x1p-52);
}

// ---------------------------------------------------------------------------
// Normalizer
// ---------------------------------------------------------------------------

// The exact reference: ExactSum of the squares, correctly rounded, then sqrt.
double exact_l2(const std::vector<double>& row) {
    ExactSum s;
    for (double x : row) s.add_product(x, x);
    return std::sqrt(s.value());
}

TEST_CASE("Normalizer: l2 norms are the sqrt of the correctly rounded sum of squares") {
    Rng rng(77);
    int differs_from_naive = 0;
    for (int r = 0; r < 4000; ++r) {
        const std::size_t n = 1 + static_cast<std::size_t>(rng.uniform_int(40));
        std::vector<double> row(n);
        for (auto& x : row) {
            const double mag = dmath::exp(20.0 * (rng.uniform() - 0.5));  // magnitudes over ~17 decades
            x = (rng.uniform() < 0.5 ? -1.0 : 1.0) * mag * rng.uniform();
        }
        if (r % 500 == 0) row[0] = 1e-200;    // squares underflow to subnormal range: exact fallback path
        if (r % 700 == 0) row[0] = 1e+200;    // squares overflow a double: exact fallback path
        Normalizer<> nz;
        Matrix<double> X = Eigen::Map<Matrix<double>>(row.data(), 1, static_cast<Eigen::Index>(n));
        nz.fit(X);
        const double norm = nz.row_norm(row);
        CHECK_MESSAGE(bits_equal(norm, exact_l2(row)), "row " << r);
        double naive = 0;
        for (double x : row) naive += x * x;
        differs_from_naive += std::sqrt(naive) != norm;
        // and the output is x / norm
        const Matrix<double> Y = nz.transform(X);
        bool ok = true;
        for (std::size_t j = 0; j < n; ++j) ok &= bits_equal(Y(0, static_cast<Eigen::Index>(j)), row[j] / norm);
        CHECK(ok);
    }
    CHECK(differs_from_naive > 0);  // the data really exercises rounding (a naive loop gets some rows wrong)
}

TEST_CASE("Normalizer: cancellation-prone sums, l1 exactness, max, zero rows and the tiny-norm rule") {
    // 1 + 2^-53 + 2^-53: a left-to-right sum rounds each 2^-53 away; the exact sum does not.
    std::vector<double> row = {1.0, 0x1p-53, 0x1p-53};
    Normalizer<> l1({.norm = Norm::l1});
    l1.fit(Matrix<double>::Ones(1, 3));
    CHECK(l1.row_norm(row) == 1.0 + 0x1p-52);
    Normalizer<> mx({.norm = Norm::max});
    mx.fit(Matrix<double>::Ones(1, 3));
    std::vector<double> r2 = {-7.0, 3.0, 6.5};
    CHECK(mx.row_norm(r2) == 7.0);
    // Norms below 10·eps are replaced by 1, so such rows pass through (scikit-learn).
    Normalizer<> l2;
    Matrix<double> X(2, 2);
    X << 1e-16, 0.0,  //
        0.0, 0.0;
    l2.fit(X);
    const Matrix<double> Y = l2.transform(X);
    CHECK(Y(0, 0) == 1e-16);
    CHECK(Y(1, 0) == 0.0);
    Matrix<double> nan(1, 2);
    nan << 1.0, kNaN;
    CHECK_THROWS_AS(l2.transform(nan), InvalidInput);
}

TEST_CASE("Normalizer<float>: the norm is computed in double from exact float squares, then rounded to float") {
    Rng rng(5);
    std::vector<float> row(7);
    for (auto& x : row) x = static_cast<float>(rng.normal());
    std::vector<double> wide(row.begin(), row.end());
    Normalizer<float> nz;
    nz.fit(Matrix<float>::Ones(1, 7));
    CHECK(bits_equal(nz.row_norm(row), static_cast<float>(exact_l2(wide))));
}

// ---------------------------------------------------------------------------
// Binarizer
// ---------------------------------------------------------------------------

TEST_CASE("Binarizer: strictly greater than the threshold; float compares against the float threshold") {
    Binarizer<> b({.threshold = 1.0});
    Matrix<double> X(3, 1);
    X << 1.0, 1.5, -3.0;
    b.fit(X);
    const Matrix<double> Y = b.transform(X);
    CHECK(Y(0, 0) == 0.0);
    CHECK(Y(1, 0) == 1.0);
    CHECK(Y(2, 0) == 0.0);
    // float(0.1) > 0.1 in double, but equal in float: numpy compares a float32 array in float32.
    Binarizer<float> f({.threshold = 0.1});
    Matrix<float> F(1, 1);
    F << 0.1f;
    f.fit(F);
    CHECK(f.transform(F)(0, 0) == 0.0f);
}

namespace {
// A source over tables that counts its reads, and can change its data after the first.
class CountingSource final : public reprep::ChunkSource {
public:
    explicit CountingSource(std::vector<reprep::Table> chunks) : chunks_(std::move(chunks)) {}
    void for_each(const std::function<void(const reprep::Table&)>& visit) const override {
        ++reads;
        for (std::size_t c = 0; c < chunks_.size(); ++c) {
            if (change_after_first_read && reads > 1 && c == 1) {
                reprep::Table t = chunks_[c];
                std::vector<double> col(t.numeric("a").begin(), t.numeric("a").end());
                for (double& x : col) x += 1000.0;  // moves the chunk's values to other buckets
                t.set_numeric("a", std::move(col));
                visit(t);
            } else {
                visit(chunks_[c]);
            }
        }
    }
    mutable int reads = 0;
    bool change_after_first_read = false;

private:
    std::vector<reprep::Table> chunks_;
};
}  // namespace

TEST_CASE("RobustScaler::fit(ChunkSource): the in-memory bytes in a few passes, from tables and from CSV") {
    // Ties, signed zeros, subnormals and NaN in 100 000 rows, cut into uneven chunks.
    reprep::Rng rng(42);
    std::vector<double> a(100000), b(100000);
    for (std::size_t i = 0; i < a.size(); ++i) {
        a[i] = i % 10 == 0 ? std::numeric_limits<double>::quiet_NaN() : std::round(rng.normal() * 50.0) / 4.0;
        b[i] = i % 3 == 0 ? -0.0 : (i % 3 == 1 ? 0.0 : std::numeric_limits<double>::denorm_min() * double(i % 17));
    }
    reprep::Table whole;
    whole.add_numeric("a", a).add_numeric("b", b);
    RobustScaler<double> in_memory({.quantile_range = {10.0, 90.0}});
    in_memory.fit(whole);
    std::vector<reprep::Table> chunks;
    for (std::size_t lo : {std::size_t{0}, std::size_t{1}, std::size_t{40000}, std::size_t{40001}}) {
        const std::size_t hi = lo == 40001 ? a.size() : (lo == 0 ? 1 : (lo == 1 ? 40000 : 40001));
        std::vector<std::size_t> idx(hi - lo);
        std::iota(idx.begin(), idx.end(), lo);
        chunks.push_back(whole.rows(idx));
    }
    CountingSource src(chunks);
    RobustScaler<double> sourced({.quantile_range = {10.0, 90.0}});
    sourced.fit(src);
    CHECK(reprep::save_bytes(sourced) == reprep::save_bytes(in_memory));
    CHECK(src.reads >= 2);
    CHECK(src.reads <= 4);
    MESSAGE("RobustScaler over 100000 rows read the source " << src.reads << " times");

    // A source that changes between reads is refused, and the scaler keeps its state.
    CountingSource changing(chunks);
    changing.change_after_first_read = true;
    CHECK_THROWS_WITH_AS(sourced.fit(changing), doctest::Contains("other data"), reprep::InvalidInput);
    CHECK(reprep::save_bytes(sourced) == reprep::save_bytes(in_memory));

    // Bad data names the row counted from the source's first row, and the column.
    std::vector<reprep::Table> bad = chunks;
    std::vector<double> col(bad[2].numeric("b").begin(), bad[2].numeric("b").end());
    col[0] = std::numeric_limits<double>::infinity();
    bad[2].set_numeric("b", std::move(col));
    try {
        sourced.fit(reprep::TableChunks(bad));
        FAIL("expected InvalidInput");
    } catch (const reprep::InvalidInput& e) {
        CHECK(e.column() == "b");
        REQUIRE(e.row().has_value());
        CHECK(*e.row() == 40000);
    }
    CHECK(reprep::save_bytes(sourced) == reprep::save_bytes(in_memory));

    // The same rows as a CSV file read in blocks of 4096 records.
    reprep_test::ScratchDir dir;
    {
        std::ofstream out(dir / "train.csv", std::ios::binary);
        reprep::write_csv(whole, out);
    }
    const reprep::Table from_file = reprep::read_csv(dir / "train.csv");
    RobustScaler<double> file_memory({.quantile_range = {10.0, 90.0}}), file_chunks({.quantile_range = {10.0, 90.0}});
    file_memory.fit(from_file);
    file_chunks.fit(reprep::CsvChunks(dir / "train.csv", 4096));
    CHECK(reprep::save_bytes(file_chunks) == reprep::save_bytes(file_memory));
    CHECK(reprep::save_bytes(file_chunks) == reprep::save_bytes(in_memory));
}
