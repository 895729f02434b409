// reprep::RobustScaler — scikit-learn's RobustScaler with exact quantiles.
//
//   fit:        center_j = median of column j (NaN ignored), numpy's np.nanmedian:
//                   the middle value, or (a + b) / 2 of the two middle values, in T
//               q_lo, q_hi = numpy percentiles ('linear') at quantile_range / 100, numpy's
//                   lerp with (b - a) in T and the rest in double
//               scale_j = q_hi - q_lo, replaced by 1 where < 10·eps(double)
//               unit_variance: scale_j = scale_j / (Φ⁻¹(q_max/100) - Φ⁻¹(q_min/100))  (dmath::norm_ppf)
//   transform:  y = (x - center_) / scale_    first step in T, second in double then rounded to T
//               (scikit-learn: X -= center_ with center_ in the input dtype, X /= scale_ with float64 scale_)
//   inverse:    x = y * scale_ + center_      (same dtype rules)
// with_centering / with_scaling drop a step; the dropped array is empty.
// NaN is ignored in fit and kept in transform. An all-NaN column has NaN center and scale.
// ±Inf raises InvalidInput in fit. In transform ±Inf is accepted and follows IEEE
// arithmetic (scikit-learn's check_array refuses it): refusing would cost a full extra
// read of the input, and the transform is memory-bound (docs/components.md). The Accumulator keeps every value
// (exact quantiles need them): 8 bytes per non-NaN value. fit(ChunkSource) keeps none:
// it selects the ranks it needs in up to 4 more passes over the source, in bounded memory.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/dmath.hpp"
#include "../core/detail/affine_kernel.hpp"
#include "../component/column_values.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

template <class T = double>
class RobustScaler : public detail::NumericComponent<RobustScaler<T>, T> {
    using Base = detail::NumericComponent<RobustScaler<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to scale (empty = all numeric)
        bool with_centering = true;
        bool with_scaling = true;
        std::array<double, 2> quantile_range = {25.0, 75.0};
        bool unit_variance = false;
    };

    // Exact and mergeable: keeps every non-NaN value of every column, as sorted runs.
    using Accumulator = detail::ValuesAccumulator<T, RobustScaler>;

    static constexpr const char* component_name = "RobustScaler";
    static constexpr std::string_view kind_name() { return "robust_scaler"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = true;

    RobustScaler() = default;
    // A template, so that RobustScaler({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit RobustScaler(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    using Base::fit;
    Accumulator accumulator() const { return Accumulator{}; }

    // A fitted scaler from scikit-learn's center_ and scale_; pass an empty vector for a
    // step that Params disables (scikit-learn's None).
    static RobustScaler from_state(std::vector<double> center, std::vector<double> scale, Params p = {},
                                   std::vector<std::string> feature_names = {}) {
        RobustScaler s(std::move(p));
        const std::size_t n = s.params_.with_centering ? center.size() : scale.size();
        const bool ok = n > 0 && center.size() == (s.params_.with_centering ? n : 0) &&
                        scale.size() == (s.params_.with_scaling ? n : 0);
        if (!ok)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "center and scale must have one value per column, and be "
                                                       "empty exactly where with_centering/with_scaling is false",
                                            .fix = "pass a fitted RobustScaler's center_ (only with with_centering) and scale_ (only with with_scaling), one value per column each",
                                            .column = "from_state"});
        s.center_ = std::move(center);
        s.scale_ = std::move(scale);
        s.width_ = n;
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(n));
        if (feature_names.size() != n)
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "feature_names must have one name per column",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        s.set_fitted(std::move(feature_names));
        return s;
    }

    // Empty when with_centering (resp. with_scaling) is false.
    const std::vector<double>& center() const { this->require_fitted(); return center_; }
    const std::vector<double>& scale() const { this->require_fitted(); return scale_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(width_); }

    Matrix<T> inverse_transform(const detail::MatrixRef<T>& Y) const {
        this->check_transform_input(Y);
        Matrix<T> X(Y.rows(), Y.cols());
        for (Eigen::Index j = 0; j < Y.cols(); ++j) {
            const auto jj = static_cast<std::size_t>(j);
            for (Eigen::Index i = 0; i < Y.rows(); ++i) {
                T x = Y(i, j);
                if (params_.with_scaling) x = static_cast<T>(static_cast<double>(x) * scale_[jj]);
                if (params_.with_centering) x = x + static_cast<T>(center_[jj]);
                X(i, j) = x;
            }
        }
        return X;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.boolean(params_.with_centering);
        w.boolean(params_.with_scaling);
        w.f64(params_.quantile_range[0]);
        w.f64(params_.quantile_range[1]);
        w.boolean(params_.unit_variance);
        w.size(width_);
        w.f64s(center_);
        w.f64s(scale_);
    }
    static RobustScaler load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        RobustScaler s;
        s.load_base(r);
        s.params_.columns = r.strs();
        s.params_.with_centering = r.boolean();
        s.params_.with_scaling = r.boolean();
        s.params_.quantile_range[0] = r.f64();
        s.params_.quantile_range[1] = r.f64();
        s.params_.unit_variance = r.boolean();
        const auto& q = s.params_.quantile_range;
        if (!(0.0 <= q[0] && q[0] <= q[1] && q[1] <= 100.0)) r.fail("RobustScaler quantile_range is invalid");
        s.width_ = static_cast<std::size_t>(r.u64());
        s.center_ = r.f64s();
        s.scale_ = r.f64s();
        const std::size_t n = s.is_fitted() ? s.feature_names_in().size() : 0;
        if (s.width_ != n || s.center_.size() != (s.params_.with_centering ? n : 0) ||
            s.scale_.size() != (s.params_.with_scaling ? n : 0))
            r.fail("RobustScaler state does not match its feature names and params");
        return s;
    }

private:
    static void validate(const Params& p) {
        const auto& q = p.quantile_range;
        if (!(0.0 <= q[0] && q[0] <= q[1] && q[1] <= 100.0))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "quantile_range must satisfy 0 <= q_min <= q_max <= 100",
                                            .fix = "pass e.g. {25.0, 75.0}",
                                            .column = "quantile_range"});
        if (p.unit_variance && p.with_scaling && (q[0] == 0.0 || q[1] == 100.0 || q[0] == q[1]))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "unit_variance needs 0 < q_min < q_max < 100 (the normal "
                                                       "quantiles of 0 and 100 are infinite)",
                                            .fix = "use a quantile_range strictly inside (0, 100) with q_min < q_max, e.g. (25.0, 75.0), or turn unit_variance off",
                                            .column = "unit_variance"});
    }

    void fit_accumulator(const Accumulator& acc) {
        const auto& v = acc.values();
        const double adjust = begin_fit(v.cols());
        for (std::size_t j = 0; j < v.cols(); ++j) {
            const auto sorted = v.col(j).sorted();
            fit_column(j, sorted.size(), [&](std::size_t r) { return sorted[r]; }, adjust);
        }
    }

    // The ranks fit_column reads from n non-NaN values, then the state from their values:
    // fit(X) selects them in memory (linear, instead of the accumulator's sort),
    // fit(ChunkSource) by multi-pass selection (numeric_component.hpp).
    void source_ranks(std::uint64_t /*rows*/, std::size_t n, std::vector<std::size_t>& ranks) const {
        if (params_.with_centering) detail::median_ranks(n, ranks);
        if (params_.with_scaling) {
            detail::percentile_ranks(n, q_lo(), ranks);
            detail::percentile_ranks(n, q_hi(), ranks);
        }
    }
    void fit_ranked(const detail::RankedColumns& c) {
        const double adjust = begin_fit(c.cols());
        for (std::size_t j = 0; j < c.cols(); ++j)
            fit_column(j, c.count(j), [&](std::size_t r) { return c.at(j, r); }, adjust);
    }

    double q_lo() const { return params_.quantile_range[0] / 100.0; }
    double q_hi() const { return params_.quantile_range[1] / 100.0; }

    // Sizes the state for n columns; returns unit_variance's divisor.
    double begin_fit(std::size_t n) {
        width_ = n;
        center_.assign(params_.with_centering ? n : 0, 0.0);
        scale_.assign(params_.with_scaling ? n : 0, 0.0);
        return params_.unit_variance ? dmath::norm_ppf(q_hi()) - dmath::norm_ppf(q_lo()) : 1.0;
    }

    // Column j's state from its n non-NaN values, at(r) being the value of rank r.
    template <class At>
    void fit_column(std::size_t j, std::size_t n, At&& at, double adjust) {
        if (params_.with_centering) center_[j] = detail::numpy_median_at<T>(n, at);
        if (params_.with_scaling) {
            double s = detail::numpy_percentile_at<T>(n, q_hi(), at) - detail::numpy_percentile_at<T>(n, q_lo(), at);
            if (s < 10.0 * std::numeric_limits<double>::epsilon()) s = 1.0;
            if (params_.unit_variance) s = s / adjust;
            scale_[j] = s;
        }
    }

    // scikit-learn's X -= center_ (in T), then X /= scale_ (in double, rounded to T).
    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        if constexpr (std::is_same_v<T, double>) {
            // In double both steps are plain double operations: the shared affine kernel.
            const bool stream = detail::stream_output(X.rows(), X.cols(), sizeof(T));
            for (Eigen::Index j = 0; j < X.cols(); ++j) {
                const auto jj = static_cast<std::size_t>(j);
                const T* x = X.col(j).data();
                T* y = out.col(j).data();
                const double c = params_.with_centering ? center_[jj] : 0.0;
                const double s = params_.with_scaling ? scale_[jj] : 1.0;
                using detail::AffineOp;
                if (params_.with_centering && params_.with_scaling)
                    detail::affine_column<AffineOp::sub_div, double>(x, y, X.rows(), c, s, stream);
                else if (params_.with_centering)
                    detail::affine_column<AffineOp::sub, double>(x, y, X.rows(), c, 0.0, stream);
                else if (params_.with_scaling)
                    detail::affine_column<AffineOp::div, double>(x, y, X.rows(), s, 0.0, stream);
                else
                    for (Eigen::Index i = 0; i < X.rows(); ++i) y[i] = x[i];
            }
            detail::stream_fence(stream);
            return;
        }
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const auto jj = static_cast<std::size_t>(j);
            const T c = params_.with_centering ? static_cast<T>(center_[jj]) : T(0);
            const double s = params_.with_scaling ? scale_[jj] : 1.0;
            const T* x = X.col(j).data();
            T* y = out.col(j).data();
            const Eigen::Index rows = X.rows();
            const Eigen::Index xs = X.innerStride(), ys = out.innerStride();
            if (params_.with_centering && params_.with_scaling) {
                for (Eigen::Index i = 0; i < rows; ++i)
                    y[i * ys] = static_cast<T>(static_cast<double>(x[i * xs] - c) / s);
            } else if (params_.with_centering) {
                for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = x[i * xs] - c;
            } else if (params_.with_scaling) {
                for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = static_cast<T>(static_cast<double>(x[i * xs]) / s);
            } else {
                for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = x[i * xs];
            }
        }
    }

    Params params_;
    std::size_t width_ = 0;
    std::vector<double> center_, scale_;
};

}  // namespace reprep
