// reprep::ColumnMoments — exact, mergeable per-column moments (docs/design.md, "Exact sums").
//
// Each column keeps exact sums (ExactSum) of w, w*x and w*x² (w = 1 unweighted), the
// count of non-NaN values, the NaN count, and min/max. Nothing is rounded until a
// statistic is asked for, so every chunking, order and merge tree gives the same bits.
//
// Finalisation, per column (docs/numerics_sum.md):
//   mean     = Σwx / Σw
//   variance = D / (Σw)²  with  D = Σw·Σwx² − (Σwx)²  (population variance, ddof = 0)
// D is formed exactly from the sums' digits (every digit product is exact), so a huge
// offset (1e9 + small noise) costs no accuracy. Each quotient of two exact quantities
// is then rounded correctly: a double-double estimate, then exact comparisons of the
// numerator against the denominator times the neighbouring midpoints. mean() and
// variance() are therefore correctly rounded (round-to-nearest-even), as is sum().
//
// NaN values are skipped (counted in nan_count). An infinite value makes the column's
// sum/mean ±Inf (NaN if both signs, or a zero weight times Inf) and its variance NaN.
// min/max ignore NaN and order -0.0 below +0.0.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "archive.hpp"
#include "error.hpp"
#include "exact_sum.hpp"
#include "matrix.hpp"
#include "detail/exact_sum_moments.hpp"

namespace reprep {

template <class T>
class ColumnMoments {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "ColumnMoments<T> takes float or double");

public:
    ColumnMoments() = default;
    explicit ColumnMoments(Eigen::Index n_cols);

    // Adds the rows of X. A default-constructed object takes X's width; afterwards a
    // different width throws SchemaError (component "ColumnMoments").
    void update(const Eigen::Ref<const Matrix<T>>& X);
    // Weighted: Σw, Σwx, Σwx² with w = sample_weight[row] (finite, >= 0; else InvalidInput).
    void update(const Eigen::Ref<const Matrix<T>>& X, const Eigen::Ref<const Vector<T>>& sample_weight);
    // Exact: as if other's rows had been added here.
    void merge(const ColumnMoments& other);

    Eigen::Index cols() const { return static_cast<Eigen::Index>(cols_.size()); }
    std::uint64_t count(Eigen::Index j) const { return col(j).count; }
    std::uint64_t nan_count(Eigen::Index j) const { return col(j).nan; }
    double weight_sum(Eigen::Index j) const { return col(j).sw.value(); }
    double sum(Eigen::Index j) const { return col(j).s1.value(); }
    double mean(Eigen::Index j) const;
    double variance(Eigen::Index j) const;
    double min(Eigen::Index j) const { return col(j).count ? col(j).mn : std::numeric_limits<double>::quiet_NaN(); }
    double max(Eigen::Index j) const { return col(j).count ? col(j).mx : std::numeric_limits<double>::quiet_NaN(); }

    void save(ArchiveWriter& w) const;
    static ColumnMoments load(ArchiveReader& r);

    friend bool operator==(const ColumnMoments& a, const ColumnMoments& b) {
        return a.sized_ == b.sized_ && a.cols_ == b.cols_;
    }

private:
    struct Column {
        std::uint64_t count = 0;
        std::uint64_t nan = 0;
        ExactSum sw, s1, s2;
        double mn = 0.0, mx = 0.0;  // meaningful when count > 0
        friend bool operator==(const Column& a, const Column& b) {
            return a.count == b.count && a.nan == b.nan && a.sw == b.sw && a.s1 == b.s1 && a.s2 == b.s2 &&
                   std::bit_cast<std::uint64_t>(a.mn) == std::bit_cast<std::uint64_t>(b.mn) &&
                   std::bit_cast<std::uint64_t>(a.mx) == std::bit_cast<std::uint64_t>(b.mx);
        }
    };
    const Column& col(Eigen::Index j) const;
    void check_width(Eigen::Index w, const char* what);
    static void see(Column& c, double x);

    std::vector<Column> cols_;
    bool sized_ = false;
};

namespace detail {

// The count of non-NaN values, the NaN count and the bounds of one column: exactly
// what ColumnMoments' count(), nan_count(), min() and max() report for the same values
// (NaN ignored, -0.0 below +0.0; mn/mx meaningful when count > 0), without the exact
// sums. A fit that needs only the bounds (MinMaxScaler, MaxAbsScaler) reads them in one
// cheap pass; the bounds are exact in any order, so this equals ColumnMoments' answer.
struct ColumnBounds {
    std::uint64_t count = 0;
    std::uint64_t nan = 0;
    double mn = 0.0, mx = 0.0;
};

template <class T>
ColumnBounds column_bounds(const T* p, std::size_t n) {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "column_bounds takes float or double");
    ColumnBounds b;
    [[maybe_unused]] double buf[kExactSumBlock];  // float input, widened a block at a time
    for (std::size_t i = 0; i < n; i += kExactSumBlock) {
        const std::size_t m = std::min(kExactSumBlock, n - i);
        const double* q;
        if constexpr (std::is_same_v<T, double>) {
            q = p + i;
        } else {
            for (std::size_t k = 0; k < m; ++k) buf[k] = static_cast<double>(p[i + k]);  // exact
            q = buf;
        }
        std::uint64_t c = 0;
        double lo = 0.0, hi = 0.0;
        block_bounds(q, m, c, lo, hi);
        b.nan += m - c;
        if (c == 0) continue;
        if (b.count == 0) {
            b.mn = lo;
            b.mx = hi;
        } else {
            if (total_less(lo, b.mn)) b.mn = lo;
            if (total_less(b.mx, hi)) b.mx = hi;
        }
        b.count += c;
    }
    return b;
}

// Every column of X, and the same figures read back from ColumnMoments (the fit of an
// accumulator), so that both fit paths feed one finalisation.
template <class T>
std::vector<ColumnBounds> column_bounds(const Eigen::Ref<const Matrix<T>>& X) {
    std::vector<ColumnBounds> b(static_cast<std::size_t>(X.cols()));
    for (Eigen::Index j = 0; j < X.cols(); ++j)
        b[static_cast<std::size_t>(j)] = column_bounds(X.col(j).data(), static_cast<std::size_t>(X.rows()));
    return b;
}
template <class T>
std::vector<ColumnBounds> column_bounds(const ColumnMoments<T>& m) {
    std::vector<ColumnBounds> b(static_cast<std::size_t>(m.cols()));
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
        ColumnBounds& c = b[static_cast<std::size_t>(j)];
        c.count = m.count(j);
        c.nan = m.nan_count(j);
        if (c.count > 0) {
            c.mn = m.min(j);
            c.mx = m.max(j);
        }
    }
    return b;
}

// Adds the count n (< 2^64) to an ExactSum exactly.
inline void add_count(ExactSum& s, std::uint64_t n) {
    s.add(static_cast<double>(n & 0xFFFFFFFFu));
    s.add_scaled(static_cast<double>(n >> 32), 32);
}

// a·b for two exact sums, exactly, into out (sign = +1 or -1).
inline void add_exact_product(ExactSum& out, const ExactSum& a, const ExactSum& b, double sign) {
    const auto da = ExactSumAccess::digits(a);
    const auto db = ExactSumAccess::digits(b);
    for (const auto& x : da)
        for (const auto& y : db) ExactSumAccess::add_product_scaled(out, sign * x.d, y.d, x.shift + y.shift);
}

// A double-double estimate of a nonzero exact sum, as m * 2^e.
struct ScaledDD {
    DD m;
    int e;
};
inline ScaledDD estimate(const ExactSum& s) {
    const auto d = ExactSumAccess::digits(s);  // most significant first, nonempty
    const int e = d[0].shift;
    DD m{d[0].d, 0.0};
    for (std::size_t i = 1; i < d.size() && i < 4; ++i) m = dd_add(m, DD{std::ldexp(d[i].d, d[i].shift - e), 0.0});
    return {m, e};
}

// The biased exponent field of a non-negative finite double.
inline int exp_field(double q) { return static_cast<int>(std::bit_cast<std::uint64_t>(q) >> 52); }
inline double next_up(double q) { return std::bit_cast<double>(std::bit_cast<std::uint64_t>(q) + 1); }
inline double next_down(double q) { return std::bit_cast<double>(std::bit_cast<std::uint64_t>(q) - 1); }

// sign(A - B * (q + s * 2^k)), exactly; B given by its digits.
inline int compare_with(const ExactSum& A, const std::vector<ExactSumAccess::Digit>& B, double q, double s, int k) {
    ExactSum t = A;
    for (const auto& b : B) {
        ExactSumAccess::add_product_scaled(t, -b.d, q, b.shift);
        t.add_scaled(-s * b.d, b.shift + k);
    }
    return ExactSumAccess::sign(t);
}

// A / B correctly rounded to nearest-even, for exact finite A and B > 0.
inline double exact_quotient(const ExactSum& A, const ExactSum& B) {
    const int sa = ExactSumAccess::sign(A);
    if (sa == 0) return 0.0;
    if (sa < 0) {
        ExactSum neg;
        for (const auto& d : ExactSumAccess::digits(A)) neg.add_scaled(-d.d, d.shift);
        return -exact_quotient(neg, B);
    }
    const auto a = estimate(A), b = estimate(B);
    const DD qd = dd_div(a.m, b.m);
    const long shift = static_cast<long>(a.e) - b.e;
    double q;
    if (shift > 4000) q = std::numeric_limits<double>::max();
    else if (shift < -4000) q = 0.0;
    else q = std::ldexp(qd.hi, static_cast<int>(shift));
    if (!(q <= std::numeric_limits<double>::max())) q = std::numeric_limits<double>::max();
    const auto bd = ExactSumAccess::digits(B);
    for (int guard = 0; guard < 64; ++guard) {
        const int ef = exp_field(q);
        const int k_up = (ef == 0 ? 1 : ef) - 1075 - 1;  // half an ulp above q
        const bool odd = (std::bit_cast<std::uint64_t>(q) & 1) != 0;
        const int up = compare_with(A, bd, q, 1.0, k_up);
        if (up > 0 || (up == 0 && odd)) {
            if (q == std::numeric_limits<double>::max()) return std::numeric_limits<double>::infinity();
            q = next_up(q);
            continue;
        }
        if (q > 0.0) {
            const bool power_of_two = (std::bit_cast<std::uint64_t>(q) & ((std::uint64_t{1} << 52) - 1)) == 0 && ef > 1;
            const int k_dn = power_of_two ? k_up - 1 : k_up;  // half an ulp below q
            const int dn = compare_with(A, bd, q, -1.0, k_dn);
            if (dn < 0 || (dn == 0 && odd)) {
                q = next_down(q);
                continue;
            }
        }
        return q;
    }
    return q;  // unreachable: the estimate is within a few ulps
}

}  // namespace detail

// ---------------------------------------------------------------------------

template <class T>
ColumnMoments<T>::ColumnMoments(Eigen::Index n_cols) {
    if (n_cols < 0)
        detail::fail<InvalidParameter>({.component = "ColumnMoments", .problem = "n_cols is negative", .fix = "pass a width >= 0", .column = "n_cols"});
    cols_.resize(static_cast<std::size_t>(n_cols));
    sized_ = true;
}

template <class T>
const typename ColumnMoments<T>::Column& ColumnMoments<T>::col(Eigen::Index j) const {
    if (j < 0 || j >= cols())
        detail::fail<InvalidInput>({.component = "ColumnMoments",
                                    .problem = "column index " + std::to_string(j) + " is out of range (width " + std::to_string(cols()) + ")",
                                    .fix = "ask for a column in [0, cols())"});
    return cols_[static_cast<std::size_t>(j)];
}

template <class T>
void ColumnMoments<T>::check_width(Eigen::Index w, const char* what) {
    if (!sized_) return;
    if (w != cols())
        detail::fail<SchemaError>({.component = "ColumnMoments",
                                   .problem = std::string(what) + " has " + std::to_string(w) + " columns, but these moments have " +
                                              std::to_string(cols()),
                                   .fix = "pass data of the width the moments were created with"});
}

template <class T>
void ColumnMoments<T>::see(Column& c, double x) {
    if (c.count == 0) {
        c.mn = c.mx = x;
    } else {
        if (detail::total_less(x, c.mn)) c.mn = x;
        if (detail::total_less(c.mx, x)) c.mx = x;
    }
}

template <class T>
void ColumnMoments<T>::update(const Eigen::Ref<const Matrix<T>>& X) {
    check_width(X.cols(), "the update matrix");
    if (!sized_) {
        cols_.assign(static_cast<std::size_t>(X.cols()), Column{});
        sized_ = true;
    }
    const std::size_t n = static_cast<std::size_t>(X.rows());
    std::vector<double> buf;
    if constexpr (std::is_same_v<T, float>) buf.resize(std::min(n, detail::kExactSumBlock));
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        Column& c = cols_[static_cast<std::size_t>(j)];
        detail::MomentSink<ExactSum> sink{&c.s1, &c.s2};
        if (c.count > 0) {
            sink.any = true;
            sink.mn = c.mn;
            sink.mx = c.mx;
        }
        const T* p = X.col(j).data();
        if constexpr (std::is_same_v<T, double>) {
            detail::moments_run(p, n, sink);
        } else {
            for (std::size_t i = 0; i < n; i += buf.size()) {
                const std::size_t m = std::min(buf.size(), n - i);
                for (std::size_t k = 0; k < m; ++k) buf[k] = static_cast<double>(p[i + k]);
                detail::moments_run(buf.data(), m, sink);
            }
        }
        detail::add_count(c.sw, sink.count);
        c.count += sink.count;
        c.nan += sink.nan;
        if (sink.any) {
            c.mn = sink.mn;
            c.mx = sink.mx;
        }
    }
}

template <class T>
void ColumnMoments<T>::update(const Eigen::Ref<const Matrix<T>>& X, const Eigen::Ref<const Vector<T>>& sample_weight) {
    check_width(X.cols(), "the update matrix");
    if (sample_weight.size() != X.rows())
        detail::fail<InvalidInput>({.component = "ColumnMoments",
                                    .problem = "sample_weight has " + std::to_string(sample_weight.size()) + " entries for " +
                                               std::to_string(X.rows()) + " rows",
                                    .fix = "pass one weight per row"});
    for (Eigen::Index i = 0; i < sample_weight.size(); ++i) {
        const double w = static_cast<double>(sample_weight[i]);
        if (!std::isfinite(w) || w < 0.0)
            detail::fail<InvalidInput>({.component = "ColumnMoments",
                                        .problem = "sample_weight is " + std::to_string(w) + "; weights must be finite and >= 0",
                                        .fix = "fix or drop that row's weight",
                                        .column = "sample_weight",
                                        .row = static_cast<std::size_t>(i)});
    }
    if (!sized_) {
        cols_.assign(static_cast<std::size_t>(X.cols()), Column{});
        sized_ = true;
    }
    for (Eigen::Index j = 0; j < X.cols(); ++j) {
        Column& c = cols_[static_cast<std::size_t>(j)];
        for (Eigen::Index i = 0; i < X.rows(); ++i) {
            const double x = static_cast<double>(X(i, j));
            if (std::isnan(x)) {
                ++c.nan;
                continue;
            }
            const double w = static_cast<double>(sample_weight[i]);
            see(c, x);
            ++c.count;
            c.sw.add(w);
            c.s1.add_product(w, x);
            c.s2.add_product(w, x, x);
        }
    }
}

template <class T>
void ColumnMoments<T>::merge(const ColumnMoments& other) {
    if (!other.sized_) return;
    check_width(other.cols(), "the merged moments");
    if (!sized_) {
        *this = other;
        return;
    }
    for (std::size_t j = 0; j < cols_.size(); ++j) {
        Column& c = cols_[j];
        const Column& o = other.cols_[j];
        if (o.count > 0) {
            if (c.count == 0) {
                c.mn = o.mn;
                c.mx = o.mx;
            } else {
                if (detail::total_less(o.mn, c.mn)) c.mn = o.mn;
                if (detail::total_less(c.mx, o.mx)) c.mx = o.mx;
            }
        }
        c.count += o.count;
        c.nan += o.nan;
        c.sw.merge(o.sw);
        c.s1.merge(o.s1);
        c.s2.merge(o.s2);
    }
}

template <class T>
double ColumnMoments<T>::mean(Eigen::Index j) const {
    const Column& c = col(j);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (c.count == 0) return nan;
    if (c.s1.saw_nan() || c.s1.saw_pos_inf() || c.s1.saw_neg_inf()) return c.s1.value();
    if (detail::ExactSumAccess::sign(c.sw) <= 0) return nan;  // every weight zero
    return detail::exact_quotient(c.s1, c.sw);
}

template <class T>
double ColumnMoments<T>::variance(Eigen::Index j) const {
    const Column& c = col(j);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (c.count == 0) return nan;
    if (c.s1.saw_nan() || c.s1.saw_pos_inf() || c.s1.saw_neg_inf() || c.s2.saw_nan() || c.s2.saw_pos_inf() ||
        c.s2.saw_neg_inf())
        return nan;
    if (detail::ExactSumAccess::sign(c.sw) <= 0) return nan;
    ExactSum d, b;
    detail::add_exact_product(d, c.sw, c.s2, 1.0);
    detail::add_exact_product(d, c.s1, c.s1, -1.0);
    detail::add_exact_product(b, c.sw, c.sw, 1.0);
    return detail::exact_quotient(d, b);
}

template <class T>
void ColumnMoments<T>::save(ArchiveWriter& w) const {
    detail::write_scalar_tag<T>(w);
    w.boolean(sized_);
    w.size(cols_.size());
    for (const Column& c : cols_) {
        w.u64(c.count);
        w.u64(c.nan);
        c.sw.save(w);
        c.s1.save(w);
        c.s2.save(w);
        w.f64(c.count ? c.mn : 0.0);
        w.f64(c.count ? c.mx : 0.0);
    }
}

template <class T>
ColumnMoments<T> ColumnMoments<T>::load(ArchiveReader& r) {
    detail::read_scalar_tag<T>(r);
    ColumnMoments m;
    m.sized_ = r.boolean();
    // A column takes at least 2*8 + 3*14 + 2*8 bytes.
    const std::size_t n = r.size(74);
    if (!m.sized_ && n != 0) r.fail("unsized ColumnMoments with columns");
    m.cols_.resize(n);
    for (Column& c : m.cols_) {
        c.count = r.u64();
        c.nan = r.u64();
        c.sw = ExactSum::load(r);
        c.s1 = ExactSum::load(r);
        c.s2 = ExactSum::load(r);
        c.mn = r.f64();
        c.mx = r.f64();
        if (c.count == 0 && (!c.sw.is_zero() || !c.s1.is_zero() || !c.s2.is_zero() ||
                             std::bit_cast<std::uint64_t>(c.mn) != 0 || std::bit_cast<std::uint64_t>(c.mx) != 0))
            r.fail("ColumnMoments column with no values holds sums or bounds");
        if (c.count > 0 && (std::isnan(c.mn) || std::isnan(c.mx) || detail::total_less(c.mx, c.mn)))
            r.fail("ColumnMoments column has invalid min/max");
    }
    return m;
}

}  // namespace reprep
