// QuantileTransformer's one-search kernel (transform/detail/quantile_grid.hpp, on
// core/detail/block_search.hpp) against the code it replaced, kept here as the oracle,
// and the discretisers' bins against std::upper_bound / std::lower_bound: bits compared, on heavy ties, tiny grids
// (n_quantiles 1, 2, 3), all-equal columns, every quantile or edge value and its
// neighbours, +-0, NaN and +-Inf, in blocks of every length.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <reprep/core/detail/block_search.hpp>
#include <reprep/core/dmath.hpp>
#include <reprep/core/numpy_ports.hpp>
#include <reprep/core/rng.hpp>
#include <reprep/discretise/arbitrary_discretiser.hpp>
#include <reprep/discretise/k_bins_discretizer.hpp>
#include <reprep/transform/detail/quantile_grid.hpp>
#include <reprep/transform/quantile_transformer.hpp>

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }

// The same bits, or both NaN (a NaN's sign from arithmetic is not part of the contract
// of the pre-override value; the transformer canonicalises it, checked further down).
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || bits(a) == bits(b); }

// ---- the oracle: QuantileTransformer::transform_value as it was before the grid ----
struct OldQuantile {
    std::vector<double> q, r, nq, nr;
    double clip_min, clip_max;
    OldQuantile(std::vector<double> qq) : q(std::move(qq)), r(reprep::detail::np_linspace(0.0, 1.0, q.size())) {
        nr.assign(r.rbegin(), r.rend());
        for (double& v : nr) v = -v;
        nq.assign(q.rbegin(), q.rend());
        for (double& v : nq) v = -v;
        clip_min = reprep::dmath::norm_ppf(1e-7 - 2.220446049250313e-16);
        clip_max = reprep::dmath::norm_ppf(1 - (1e-7 - 2.220446049250313e-16));
    }
    // v before scikit-learn's bound overrides (the old code's first expression).
    double interp(double x) const {
        const std::size_t m = q.size();
        std::size_t jf = 0, jb = 0;
        if (m > 1 && q[0] <= x && x <= q[m - 1]) {
            const std::size_t up = reprep::detail::searchsorted_right(q.data(), m, x);
            const std::size_t lo = q[up - 1] == x ? reprep::detail::searchsorted_left(q.data(), up - 1, x) : up;
            jf = up - 1;
            jb = m - 1 - lo;
        }
        return 0.5 * (reprep::detail::np_interp_bracket(x, q.data(), r.data(), m, jf) -
                      reprep::detail::np_interp_bracket(-x, nq.data(), nr.data(), m, jb));
    }
    // scikit-learn's formula with two full np.interp calls: the old code's own oracle.
    double interp_two_searches(double x) const {
        const std::size_t m = q.size();
        return 0.5 * (reprep::detail::np_interp(x, q.data(), r.data(), m) - reprep::detail::np_interp(-x, nq.data(), nr.data(), m));
    }
    double transform_value(double x, bool normal) const {
        const std::size_t m = q.size();
        if (std::isnan(x)) return x;
        if (std::isnan(q[0])) return qnan;
        const bool lower = normal ? x - 1e-7 < q[0] : x == q[0];
        const bool upper = normal ? x + 1e-7 > q[m - 1] : x == q[m - 1];
        double v = interp(x);
        if (upper) v = 1;
        if (lower) v = 0;
        if (std::isnan(v)) return qnan;
        if (!normal) return v;
        if (v <= 0) return clip_min;
        if (v >= 1) return clip_max;
        return std::clamp(reprep::dmath::norm_ppf(v), clip_min, clip_max);
    }
};

// Quantile columns: tiny grids, all-equal, heavy ties, signed zeros, wide and subnormal
// spacing. Each is non-decreasing and finite, as fit and from_state guarantee.
std::vector<std::vector<double>> quantile_sets() {
    std::vector<std::vector<double>> s = {
        {3.0}, {-0.0}, {0.0}, {1.0, 2.0}, {2.0, 2.0}, {-1.0, 0.0, 1.0}, {0.0, 0.0, 0.0}, {-0.0, 0.0, 5.0},
        {1.0, 1.0, 2.0}, {1.0, 2.0, 2.0}, {-3.0, -3.0, -3.0, -3.0, 7.0, 7.0, 7.0},
        {0.0, 4.9e-324, 9.9e-324, 1.0}, {-1e308, -1e-300, 0.0, 1e-300, 1e308},
        {1.0, std::nextafter(1.0, 2.0), std::nextafter(std::nextafter(1.0, 2.0), 2.0)},
    };
    // Sixteen or more quantiles whose width overflows, or whose bucket scale does (a
    // subnormal width): no bucket index, the search over all of them.
    std::vector<double> huge_width, tiny_width;
    for (int i = 0; i < 20; ++i) {
        const double t = i / 19.0;
        huge_width.push_back(-1.7e308 * (1.0 - t) + 1.7e308 * t);  // finite, but q[19] - q[0] is not
        tiny_width.push_back(i * 4.9e-324);
    }
    s.push_back(huge_width);
    s.push_back(tiny_width);
    reprep::Rng rng(20261207);
    // From 16 quantiles on, the search starts from QuantileGrid's bucket index: kinds 4
    // and 5 clump the quantiles into a few buckets (long windows) or spread them over
    // hundreds of binary orders of magnitude.
    for (std::size_t m : {1, 2, 3, 4, 5, 7, 10, 15, 16, 17, 33, 100, 101, 257, 1000}) {
        for (int kind = 0; kind < 6; ++kind) {
            std::vector<double> q(m);
            for (double& v : q) {
                const double u = rng.uniform();
                if (kind == 0) v = std::floor(u * 4.0) - 2.0;          // heavy ties, a handful of values
                else if (kind == 1) v = std::floor(u * 40.0) * 0.25;   // some ties
                else if (kind == 2) v = (u - 0.5) * 1e3;               // no ties
                else if (kind == 3) v = u < 0.3 ? 0.0 : (u < 0.5 ? -0.0 : u);  // signed zeros in a tie run
                else if (kind == 4) v = std::pow(u, 12.0) * 1e6;       // most quantiles in the lowest buckets
                else v = std::ldexp(u - 0.5, static_cast<int>(u * 1000.0) - 500);  // magnitudes 2^-500 .. 2^500
            }
            std::sort(q.begin(), q.end(), [](double a, double b) { return a < b; });
            s.push_back(q);
        }
        s.push_back(std::vector<double>(m, 1.5));  // an all-equal column
    }
    return s;
}

// Every quantile, its neighbours, the midpoints, outside the range, signed zeros,
// infinities and NaN.
std::vector<double> probes(const std::vector<double>& q) {
    std::vector<double> x = {0.0, -0.0, inf, -inf, qnan, -qnan, 1e308, -1e308, 4.9e-324, -4.9e-324};
    for (std::size_t i = 0; i < q.size(); ++i) {
        x.push_back(q[i]);
        x.push_back(-q[i]);
        x.push_back(std::nextafter(q[i], inf));
        x.push_back(std::nextafter(q[i], -inf));
        if (i + 1 < q.size()) {
            x.push_back(q[i] + (q[i + 1] - q[i]) * 0.5);
            x.push_back(q[i] + (q[i + 1] - q[i]) * 0.25);
        }
    }
    x.push_back(q.front() - 1.0);
    x.push_back(q.back() + 1.0);
    return x;
}

}  // namespace

TEST_CASE("QuantileGrid: one search gives the bits of the two interpolations, in blocks of every length") {
    std::size_t checked = 0;
    for (const auto& q : quantile_sets()) {
        const OldQuantile old(q);
        const reprep::detail::QuantileGrid grid(q, old.r);
        const auto x = probes(q);
        for (std::size_t block = 1; block <= reprep::detail::search_block; ++block) {
            for (std::size_t i0 = 0; i0 < x.size(); i0 += block) {
                const std::size_t count = std::min(block, x.size() - i0);
                double v[reprep::detail::search_block];
                grid.interp_block(x.data() + i0, count, v);
                for (std::size_t k = 0; k < count; ++k) {
                    const double xi = x[i0 + k];
                    if (std::isnan(xi)) continue;  // the transformer returns x itself
                    const double want = old.interp(xi);
                    INFO("m = " << q.size() << ", q[0] = " << q[0] << ", x = " << xi);
                    CHECK(same(v[k], want));
                    CHECK(same(old.interp_two_searches(xi), want));
                    ++checked;
                }
            }
        }
    }
    CHECK(checked > 100000);
}

TEST_CASE("QuantileTransformer transform: bits of the old kernel, uniform and normal, batch and single row") {
    // Columns of one length each, as from_state requires.
    const auto sets = quantile_sets();
    for (std::size_t m : {1, 2, 3, 10, 101}) {
        std::vector<std::vector<double>> cols;
        for (const auto& q : sets)
            if (q.size() == m) cols.push_back(q);
        REQUIRE(cols.size() >= 5);
        // Probes of every column, each written to every column (transform refuses Inf).
        std::vector<double> all;
        for (const auto& q : cols)
            for (double v : probes(q))
                if (!std::isinf(v)) all.push_back(v);
        reprep::Matrix<double> X(static_cast<Eigen::Index>(all.size()), static_cast<Eigen::Index>(cols.size()));
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            for (Eigen::Index i = 0; i < X.rows(); ++i) X(i, j) = all[static_cast<std::size_t>(i)];
        for (auto od : {reprep::QuantileOutput::uniform, reprep::QuantileOutput::normal}) {
            const bool normal = od == reprep::QuantileOutput::normal;
            const auto t = reprep::QuantileTransformer<>::from_state(cols, {.n_quantiles = static_cast<std::int64_t>(m), .output_distribution = od});
            const auto Y = t.transform(X);
            std::size_t mismatches = 0;
            for (Eigen::Index j = 0; j < X.cols(); ++j) {
                const OldQuantile old(cols[static_cast<std::size_t>(j)]);
                for (Eigen::Index i = 0; i < X.rows(); ++i)
                    mismatches += bits(Y(i, j)) != bits(old.transform_value(X(i, j), normal));
            }
            INFO("m = " << m << ", normal = " << normal);
            CHECK(mismatches == 0);
            // The single-row path runs the same kernel on a block of one.
            std::vector<double> in(static_cast<std::size_t>(X.cols())), out(in.size());
            for (Eigen::Index i = 0; i < X.rows(); i += 7) {
                for (Eigen::Index j = 0; j < X.cols(); ++j) in[static_cast<std::size_t>(j)] = X(i, j);
                t.transform_row(in, out);
                for (Eigen::Index j = 0; j < X.cols(); ++j) CHECK(bits(out[static_cast<std::size_t>(j)]) == bits(Y(i, j)));
            }
        }
    }
}

TEST_CASE("QuantileTransformer transform: an all-NaN column, and a fitted one, match the oracle") {
    reprep::Matrix<double> F(300, 2);
    reprep::Rng rng(7);
    for (Eigen::Index i = 0; i < F.rows(); ++i) {
        F(i, 0) = std::floor(rng.uniform() * 6.0);  // heavy ties in the fitted quantiles
        F(i, 1) = qnan;
    }
    reprep::QuantileTransformer<> t({.n_quantiles = 50});
    t.fit(F);
    const OldQuantile old(t.quantiles(0)), old_nan(t.quantiles(1));
    const auto x = probes(t.quantiles(0));
    reprep::Matrix<double> X(static_cast<Eigen::Index>(x.size()), 2);
    std::size_t rows = 0;
    for (double v : x)
        if (!std::isinf(v)) {
            X(static_cast<Eigen::Index>(rows), 0) = v;
            X(static_cast<Eigen::Index>(rows), 1) = rows % 3 == 0 ? qnan : v;
            ++rows;
        }
    X.conservativeResize(static_cast<Eigen::Index>(rows), 2);
    const auto Y = t.transform(X);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        CHECK(bits(Y(i, 0)) == bits(old.transform_value(X(i, 0), false)));
        CHECK(bits(Y(i, 1)) == bits(old_nan.transform_value(X(i, 1), false)));
        CHECK(std::isnan(Y(i, 1)));
    }
}

TEST_CASE("block searches: std::upper_bound and std::lower_bound for every value, NaN and Inf included") {
    std::size_t checked = 0;
    for (const auto& q : quantile_sets()) {
        // Strictly increasing edges (the discretisers') and the tied ones (the quantiles').
        std::vector<double> strict(q);
        strict.erase(std::unique(strict.begin(), strict.end(), [](double a, double b) { return a == b; }), strict.end());
        for (const std::vector<double>* a : {&q, static_cast<const std::vector<double>*>(&strict)}) {
            auto x = probes(*a);
            for (std::size_t n = 0; n <= a->size(); n += std::max<std::size_t>(1, a->size() / 3)) {
                for (std::size_t i0 = 0; i0 < x.size(); i0 += reprep::detail::search_block) {
                    const std::size_t count = std::min(reprep::detail::search_block, x.size() - i0);
                    std::size_t up[reprep::detail::search_block], lo[reprep::detail::search_block];
                    reprep::detail::upper_bound_block(a->data(), n, x.data() + i0, count, up);
                    reprep::detail::lower_bound_block(a->data(), n, x.data() + i0, count, lo);
                    for (std::size_t k = 0; k < count; ++k) {
                        const double v = x[i0 + k];
                        const auto ub = static_cast<std::size_t>(std::upper_bound(a->data(), a->data() + n, v) - a->data());
                        const auto lb = static_cast<std::size_t>(std::lower_bound(a->data(), a->data() + n, v) - a->data());
                        CHECK(up[k] == (std::isnan(v) ? n : ub));
                        CHECK(lo[k] == (std::isnan(v) ? 0 : lb));
                        CHECK(up[k] == reprep::detail::searchsorted_right(a->data(), n, v));
                        CHECK(lo[k] == reprep::detail::searchsorted_left(a->data(), n, v));
                        ++checked;
                    }
                }
            }
        }
    }
    CHECK(checked > 10000);
}

TEST_CASE("discretisers: the bin of every edge, its neighbours, +-0, NaN and Inf as before") {
    for (const auto& q : quantile_sets()) {
        // The 1000-quantile sets are there for QuantileGrid's bucket index; the one-hot
        // check below is edges x probes, a minute at -O0 under ASan for them alone.
        if (q.size() > 300) continue;
        std::vector<double> e(q);
        e.erase(std::unique(e.begin(), e.end(), [](double a, double b) { return a == b; }), e.end());
        if (e.size() < 2) continue;
        const std::size_t n_inner = e.size() - 2;
        auto x = probes(e);
        reprep::Matrix<double> X(static_cast<Eigen::Index>(x.size()), 1);
        for (std::size_t i = 0; i < x.size(); ++i) X(static_cast<Eigen::Index>(i), 0) = x[i];

        // ArbitraryDiscretiser: right-closed bins, NaN passes, Inf allowed.
        const auto a = reprep::ArbitraryDiscretiser<>::from_state({e});
        const auto& ae = a.binner_dict(0);
        const auto Ya = a.transform(X);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double want = std::isnan(x[i]) ? x[i]
                                                 : static_cast<double>(std::lower_bound(ae.data() + 1, ae.data() + 1 + n_inner, x[i]) -
                                                                       (ae.data() + 1));
            CHECK(bits(Ya(static_cast<Eigen::Index>(i), 0)) == bits(want));
        }

        // KBinsDiscretizer: finite values only (transform refuses NaN and Inf).
        std::vector<double> fx;
        for (double v : x)
            if (std::isfinite(v)) fx.push_back(v);
        reprep::Matrix<double> Xf(static_cast<Eigen::Index>(fx.size()), 1);
        for (std::size_t i = 0; i < fx.size(); ++i) Xf(static_cast<Eigen::Index>(i), 0) = fx[i];
        const auto ko = reprep::KBinsDiscretizer<>::from_state({e}, {.encode = reprep::KBinsEncode::ordinal});
        const auto kh = reprep::KBinsDiscretizer<>::from_state({e}, {.encode = reprep::KBinsEncode::onehot_dense});
        const auto Yo = ko.transform(Xf);
        const auto Yh = kh.transform(Xf);
        REQUIRE(Yh.cols() == static_cast<Eigen::Index>(e.size() - 1));
        for (std::size_t i = 0; i < fx.size(); ++i) {
            const auto b = std::upper_bound(e.data() + 1, e.data() + 1 + n_inner, fx[i]) - (e.data() + 1);
            const auto r = static_cast<Eigen::Index>(i);
            CHECK(bits(Yo(r, 0)) == bits(static_cast<double>(b)));
            for (Eigen::Index c = 0; c < Yh.cols(); ++c) CHECK(Yh(r, c) == (c == b ? 1.0 : 0.0));
        }
    }
}
