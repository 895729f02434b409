// reprep::MaxAbsScaler — scikit-learn's MaxAbsScaler with exact, order-free maxima.
//
//   fit:        max_abs_j = max |x|   (NaN ignored; NaN for an all-NaN column)
//               scale_j   = 1 where max_abs_j < 10·eps(T) (scikit-learn's _handle_zeros_in_scale), else max_abs_j
//   transform:  y = x / scale_
//   inverse:    x = y * scale_
// Evaluated in T, as scikit-learn does in the input's dtype. NaN is ignored in fit and
// kept in transform.
// ±Inf raises InvalidInput in fit. In transform ±Inf is accepted and follows IEEE
// arithmetic (scikit-learn's check_array refuses it): refusing would cost a full extra
// read of the input, and the transform is memory-bound (docs/components.md).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../core/moments.hpp"
#include "../core/detail/affine_kernel.hpp"
#include "../component/moments_accumulator.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

template <class T = double>
class MaxAbsScaler : public detail::NumericComponent<MaxAbsScaler<T>, T> {
    using Base = detail::NumericComponent<MaxAbsScaler<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to scale (empty = all numeric)
    };

    // Mergeable exact minima/maxima (max |x| = max(|min|, |max|)).
    using Accumulator = detail::MomentsAccumulator<T, MaxAbsScaler>;

    static constexpr const char* component_name = "MaxAbsScaler";
    static constexpr std::string_view kind_name() { return "max_abs_scaler"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = true;

    MaxAbsScaler() = default;
    // A template, so that MaxAbsScaler({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit MaxAbsScaler(P p) : params_(std::move(p)) {}

    const Params& params() const { return params_; }

    using Base::fit;
    Accumulator accumulator() const { return Accumulator{}; }

    // A fitted scaler from scikit-learn's scale_ (max_abs_ is then taken equal to it).
    static MaxAbsScaler from_state(std::vector<double> scale, Params p = {}, std::vector<std::string> feature_names = {}) {
        if (scale.empty())
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "scale must be non-empty",
                                            .fix = "pass a fitted MaxAbsScaler's scale_: one value per column",
                                            .column = "from_state"});
        MaxAbsScaler s(std::move(p));
        s.max_abs_ = scale;
        s.scale_ = std::move(scale);
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(s.scale_.size()));
        if (feature_names.size() != s.scale_.size())
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "feature_names must have one name per column",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        s.set_fitted(std::move(feature_names));
        return s;
    }

    const std::vector<double>& max_abs() const { this->require_fitted(); return max_abs_; }
    const std::vector<double>& scale() const { this->require_fitted(); return scale_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(scale_.size()); }

    Matrix<T> inverse_transform(const detail::MatrixRef<T>& Y) const {
        this->check_transform_input(Y);
        Matrix<T> X(Y.rows(), Y.cols());
        for (Eigen::Index j = 0; j < Y.cols(); ++j) {
            const T s = static_cast<T>(scale_[static_cast<std::size_t>(j)]);
            for (Eigen::Index i = 0; i < Y.rows(); ++i) X(i, j) = Y(i, j) * s;
        }
        return X;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.f64s(max_abs_);
        w.f64s(scale_);
    }
    static MaxAbsScaler load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        MaxAbsScaler s;
        s.load_base(r);
        s.params_.columns = r.strs();
        s.max_abs_ = r.f64s();
        s.scale_ = r.f64s();
        const std::size_t n = s.scale_.size();
        if (s.max_abs_.size() != n) r.fail("MaxAbsScaler state arrays have different lengths");
        if (s.is_fitted() ? n != s.feature_names_in().size() : n != 0)
            r.fail("MaxAbsScaler state does not match its feature names");
        return s;
    }

private:
    // fit(X) needs the bounds only (detail::column_bounds, one pass), not the exact sums
    // the accumulator keeps; bounds are exact in any order, so this is the fit of the
    // accumulator of X bit for bit.
    void fit_matrix(const detail::MatrixRef<T>& X) { fit_bounds(detail::column_bounds<T>(X)); }
    void fit_accumulator(const Accumulator& acc) { fit_bounds(detail::column_bounds(acc.moments())); }

    void fit_bounds(const std::vector<detail::ColumnBounds>& b) {
        const std::size_t n = b.size();
        max_abs_.assign(n, 0.0);
        scale_.assign(n, 0.0);
        const T tiny = T(10) * std::numeric_limits<T>::epsilon();
        for (std::size_t j = 0; j < n; ++j) {
            T a = std::numeric_limits<T>::quiet_NaN();
            if (b[j].count > 0) {
                const T lo = std::abs(static_cast<T>(b[j].mn)), hi = std::abs(static_cast<T>(b[j].mx));
                a = lo > hi ? lo : hi;
            }
            max_abs_[j] = a;
            scale_[j] = a < tiny ? T(1) : a;
        }
    }

    // y = x / scale_ in T (scikit-learn's X /= scale_); Ref columns are contiguous.
    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        const bool stream = detail::stream_output(X.rows(), X.cols(), sizeof(T));
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const T s = static_cast<T>(scale_[static_cast<std::size_t>(j)]);
            detail::affine_column<detail::AffineOp::div, T>(X.col(j).data(), out.col(j).data(), X.rows(), s, T(0), stream);
        }
        detail::stream_fence(stream);
    }

    Params params_;
    std::vector<double> max_abs_, scale_;
};

}  // namespace reprep
