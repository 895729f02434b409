// reprep::Normalizer — scikit-learn's Normalizer: scales each row (sample) to unit norm.
//
//   norm_i = l1:  Σ_j |x_ij|            correctly rounded (exact sum, rounded once)
//            l2:  sqrt(Σ_j x_ij²)       sqrt of the correctly rounded exact sum of squares
//            max: max_j |x_ij|
//            computed in double, then rounded once to T (exact for max)
//   norm_i is replaced by 1 where norm_i < 10·eps(T)   (scikit-learn's _handle_zeros_in_scale)
//   transform:  y_ij = x_ij / norm_i    (in T)
// Stateless: fit only records the width (and names); there is no Accumulator. NaN and
// ±Inf raise InvalidInput in fit and transform, as in scikit-learn.
//
// Difference from scikit-learn, by design: scikit-learn sums l1 with numpy's pairwise
// summation and l2 with np.einsum, whose order (and SIMD lanes) depend on the memory
// layout and on how numpy was built; the result can be 1 ulp away from the correctly
// rounded value, and then y differs in the last bit. Here the sum is exact and rounded
// once, so it is the same bits on every platform and the same as scikit-learn's on
// every row where scikit-learn's sum happens to be correctly rounded (always for max,
// and for data whose squares sum exactly, e.g. small integers or dyadic values).
// tests/parity/test_parity_scalers.cpp measures both facts.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/detail/row_norm_kernel.hpp"
#include "../core/exact_sum.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

enum class Norm : std::uint8_t { l1, l2, max };

namespace detail {

// Correctly rounded Σ t_k over the row, t_k = |x_k| (l1) or x_k² (l2), with no heap
// allocation on any path: a compensated (double-double) sum whose error bound is
// checked against the distance to the nearest rounding boundary; only when the bound
// cannot decide, or when a square could under/overflow, the row is summed again
// exactly with ExactSum. The bound cannot decide a sum that lies on (or within the
// bound of) a halfway point between two doubles; such ties are rare for random data
// but common for short decimal rows (the l1 norm of the two penguins bill measurements
// ties on 107 of 342 rows), so the exact path is no rarity to budget for:
// its sum lives in a ChunkArena on this stack frame, and the row still allocates
// nothing.
class RowNormSum {
public:
    void add(double x, bool square) {
        const double a = std::abs(x);
        if (a != 0.0 && (a < 0x1p-450 || a > 0x1p+500)) risky_ = true;
        double p = a, e = 0.0;
        if (square) {
            p = a * a;
            e = std::fma(a, a, -p);  // exact error of the product (no underflow: a >= 2^-450)
        }
        const double t = s_ + p;  // TwoSum(s, p)
        const double z = t - s_;
        const double err = (s_ - (t - z)) + (p - z);
        s_ = t;
        c_ += err + e;
        ++terms_;
    }

    // `redo` adds the row's terms to an ExactSum when the fast path cannot decide.
    template <class Redo>
    double value(Redo&& redo) const {
        double v = 0.0;
        if (!risky_ && decided(s_, c_, terms_, v)) return v;
        detail::ChunkArena arena;  // 4 KiB, the accumulator's whole range: any row fits
        ExactSum exact(arena);
        redo(exact);
        return exact.value();
    }

    // The fast path's answer for a compensated sum (s, c) of `terms` terms: true, with
    // out = s + c, when the bound proves s + c is the correctly rounded sum.
    static bool decided(double s, double c, std::uint64_t terms, double& out) {
        const double hi = s + c;
        const double lo = c - (hi - s);
        if (hi == 0.0) {
            out = 0.0;
            return true;
        }
        if (std::isfinite(hi)) {
            // Sum2 error bound (Ogita, Rump, Oishi), loosened: |s + c - S| <= (4 m u)^2 S, m = 2·terms + 2.
            const double m = 2.0 * static_cast<double>(terms) + 2.0;
            const double u = 0x1p-53;
            const double bound = (4.0 * m * u) * (4.0 * m * u) * (hi * 2.0);
            // The smaller neighbouring spacing: hi minus its neighbour towards zero, which
            // for a finite nonzero hi is the bit pattern one below (std::nextafter(hi, 0.0)
            // without the library call).
            const double gap = hi - std::bit_cast<double>(std::bit_cast<std::uint64_t>(hi) - 1);
            if (std::abs(lo) + bound < 0.5 * gap) {
                out = hi;
                return true;
            }
        }
        return false;
    }

private:
    double s_ = 0.0, c_ = 0.0;
    std::uint64_t terms_ = 0;
    bool risky_ = false;
};

}  // namespace detail

template <class T = double>
class Normalizer : public detail::NumericComponent<Normalizer<T>, T> {
    using Base = detail::NumericComponent<Normalizer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to normalise together (empty = all numeric)
        Norm norm = Norm::l2;
    };

    static constexpr const char* component_name = "Normalizer";
    static constexpr std::string_view kind_name() { return "normalizer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = false, allow_inf_in_fit = false;
    // fit learns nothing from the values: a chunk source is read once, not gathered
    // (compose/step.hpp, FitIgnoresValues).
    static constexpr bool fit_learns_from_values = false;
    static constexpr bool allow_nan_in_transform = false, allow_inf_in_transform = false;

    Normalizer() = default;
    // A template, so that Normalizer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit Normalizer(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    Eigen::Index n_features_out() const { return width_; }

    // The norm of one row as transform uses it (before the zero-norm replacement).
    T row_norm(std::span<const T> row) const { return norm_of(row.size(), [&](std::size_t j) { return row[j]; }); }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.u8(static_cast<std::uint8_t>(params_.norm));
        w.i64(width_);
    }
    static Normalizer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        Normalizer s;
        s.load_base(r);
        s.params_.columns = r.strs();
        const auto norm = r.u8();
        if (norm > static_cast<std::uint8_t>(Norm::max)) r.fail("Normalizer norm is unknown");
        s.params_.norm = static_cast<Norm>(norm);
        s.width_ = r.i64();
        if (s.width_ != (s.is_fitted() ? static_cast<std::int64_t>(s.feature_names_in().size()) : 0))
            r.fail("Normalizer width does not match its feature names");
        return s;
    }

private:
    static void validate(const Params& p) {
        if (static_cast<std::uint8_t>(p.norm) > static_cast<std::uint8_t>(Norm::max))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "norm must be Norm::l1, Norm::l2 or Norm::max",
                                            .fix = "use norm = l1, l2 or max",
                                            .column = "norm"});
    }

    void fit_matrix(const detail::MatrixRef<T>& X) { width_ = X.cols(); }

    template <class Get>
    T norm_of(std::size_t n, Get&& get) const {
        if (params_.norm == Norm::max) {
            T m = T(0);
            for (std::size_t j = 0; j < n; ++j) {
                const T a = std::abs(get(j));
                if (a > m) m = a;
            }
            return m;
        }
        const bool square = params_.norm == Norm::l2;
        detail::RowNormSum sum;
        for (std::size_t j = 0; j < n; ++j) sum.add(static_cast<double>(get(j)), square);
        const double total = sum.value([&](ExactSum& exact) {
            for (std::size_t j = 0; j < n; ++j) {
                const double x = static_cast<double>(get(j));
                if (square) exact.add_product(x, x);
                else exact.add(std::abs(x));
            }
        });
        return static_cast<T>(square ? std::sqrt(total) : total);
    }

    // Rows go in blocks of kBlock: each block's norms are computed column by column
    // (contiguous reads, vectorised over the rows), then its rows are divided, again a
    // column at a time. Each norm is final before any division, and a row's norm takes
    // the same operations in the same order whatever block it sits in, so a row's
    // output depends on that row alone (and transform_row, a block of one, gives the
    // same bits). A row that the compensated sum cannot decide, or whose squares could
    // under/overflow, is redone by norm_of (the exact path), as row_norm does.
    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        constexpr std::size_t kBlock = 256;
        const T tiny = T(10) * std::numeric_limits<T>::epsilon();
        const auto n = static_cast<std::size_t>(X.cols());
        double s[kBlock], c[kBlock];
        std::uint64_t risky[kBlock];  // sign bit set: a square could under/overflow (row_norm_kernel.hpp)
        double total[kBlock];
        std::uint64_t decided[kBlock];  // nonzero: the compensated sum is the correctly rounded one
        T norm[kBlock];
        const KernelIsa isa = detail::active_kernel_isa();  // once: the vector width of every block
        const bool stream = detail::stream_output(X.rows(), X.cols(), sizeof(T));
        for (Eigen::Index i0 = 0; i0 < X.rows(); i0 += static_cast<Eigen::Index>(kBlock)) {
            const auto m = static_cast<std::size_t>(std::min<Eigen::Index>(static_cast<Eigen::Index>(kBlock), X.rows() - i0));
            if (params_.norm == Norm::max) {
                for (std::size_t i = 0; i < m; ++i) norm[i] = T(0);
                for (Eigen::Index j = 0; j < X.cols(); ++j) {
                    const T* x = X.col(j).data() + i0;
                    for (std::size_t i = 0; i < m; ++i) {
                        const T a = std::abs(x[i]);
                        norm[i] = a > norm[i] ? a : norm[i];
                    }
                }
            } else {
                for (std::size_t i = 0; i < m; ++i) {
                    s[i] = c[i] = 0.0;
                    risky[i] = 0;
                }
                const bool square = params_.norm == Norm::l2;
                for (Eigen::Index j = 0; j < X.cols(); ++j) {
                    const T* x = X.col(j).data() + i0;
                    if (square) detail::row_norm_add_column<true>(x, m, s, c, risky, isa);
                    else detail::row_norm_add_column<false>(x, m, s, c, risky, isa);
                }
                detail::row_norm_decide(s, c, m, n, square, total, decided);
                for (std::size_t i = 0; i < m; ++i) {
                    if ((risky[i] >> 63) == 0 && decided[i] != 0) {
                        norm[i] = static_cast<T>(total[i]);
                    } else {
                        const Eigen::Index row = i0 + static_cast<Eigen::Index>(i);
                        norm[i] = norm_of(n, [&](std::size_t j) { return X(row, static_cast<Eigen::Index>(j)); });
                    }
                }
            }
            for (std::size_t i = 0; i < m; ++i)
                if (norm[i] < tiny) norm[i] = T(1);
            for (Eigen::Index j = 0; j < X.cols(); ++j) {
                const T* x = X.col(j).data() + i0;
                detail::divide_rows(x, norm, out.col(j).data() + i0, m, isa, stream);
            }
        }
        detail::stream_fence(stream);
    }

    Params params_;
    std::int64_t width_ = 0;
};

}  // namespace reprep
