// reprep::MinMaxScaler — scikit-learn's MinMaxScaler with exact, order-free minima and maxima.
//
//   fit:        data_min_j = min x,  data_max_j = max x   (NaN ignored; -0.0 < +0.0)
//               data_range_j = data_max_j - data_min_j
//               scale_j = (feature_range[1] - feature_range[0]) / r_j,
//                   r_j = 1 where data_range_j < 10·eps(T) (scikit-learn's _handle_zeros_in_scale), else data_range_j
//               min_j   = feature_range[0] - data_min_j * scale_j
//   transform:  y = x * scale_ + min_, then (clip) y = min(max(y, feature_range[0]), feature_range[1])
//   inverse:    x = (y - min_) / scale_
// Every step above is evaluated in T, as scikit-learn does in the input's dtype (so a
// float scaler's scale_ and min_ are float values; they are stored as the doubles that
// hold them exactly). NaN is ignored in fit and kept in transform. An all-NaN column
// has NaN state and transforms to NaN, as in scikit-learn.
// ±Inf raises InvalidInput in fit. In transform ±Inf is accepted and follows IEEE
// arithmetic (scikit-learn's check_array refuses it): refusing would cost a full extra
// read of the input, and the transform is memory-bound (docs/components.md).
#pragma once

#include <array>
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
class MinMaxScaler : public detail::NumericComponent<MinMaxScaler<T>, T> {
    using Base = detail::NumericComponent<MinMaxScaler<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to scale (empty = all numeric)
        std::array<double, 2> feature_range = {0.0, 1.0};
        bool clip = false;
    };

    // Mergeable exact minima/maxima: fit(acc) equals fit(X) for any chunking and merge order.
    using Accumulator = detail::MomentsAccumulator<T, MinMaxScaler>;

    static constexpr const char* component_name = "MinMaxScaler";
    static constexpr std::string_view kind_name() { return "min_max_scaler"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = true;

    MinMaxScaler() = default;
    // A template, so that MinMaxScaler({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit MinMaxScaler(P p) : params_(std::move(p)) { validate(params_); }

    const Params& params() const { return params_; }

    using Base::fit;
    Accumulator accumulator() const { return Accumulator{}; }

    // A fitted scaler from scikit-learn's min_ and scale_ (the two arrays transform uses).
    // data_min/data_max/data_range are then unknown and read as NaN.
    static MinMaxScaler from_state(std::vector<double> min, std::vector<double> scale, Params p = {},
                                   std::vector<std::string> feature_names = {}) {
        if (min.size() != scale.size() || min.empty())
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "min and scale must be non-empty and of equal length",
                                            .fix = "pass a fitted MinMaxScaler's min_ and scale_: one value per column each",
                                            .column = "from_state"});
        MinMaxScaler s(std::move(p));
        const double nan = std::numeric_limits<double>::quiet_NaN();
        s.data_min_.assign(min.size(), nan);
        s.data_max_.assign(min.size(), nan);
        s.data_range_.assign(min.size(), nan);
        s.min_ = std::move(min);
        s.scale_ = std::move(scale);
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(s.min_.size()));
        if (feature_names.size() != s.min_.size())
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "feature_names must have one name per column",
                                            .fix = "pass one feature name per column, or none for the default names",
                                            .column = "from_state"});
        s.set_fitted(std::move(feature_names));
        return s;
    }

    const std::vector<double>& data_min() const { this->require_fitted(); return data_min_; }
    const std::vector<double>& data_max() const { this->require_fitted(); return data_max_; }
    const std::vector<double>& data_range() const { this->require_fitted(); return data_range_; }
    const std::vector<double>& scale() const { this->require_fitted(); return scale_; }
    const std::vector<double>& min() const { this->require_fitted(); return min_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(scale_.size()); }

    Matrix<T> inverse_transform(const detail::MatrixRef<T>& Y) const {
        this->check_transform_input(Y);
        Matrix<T> X(Y.rows(), Y.cols());
        for (Eigen::Index j = 0; j < Y.cols(); ++j) {
            const T m = static_cast<T>(min_[static_cast<std::size_t>(j)]);
            const T s = static_cast<T>(scale_[static_cast<std::size_t>(j)]);
            for (Eigen::Index i = 0; i < Y.rows(); ++i) X(i, j) = (Y(i, j) - m) / s;
        }
        return X;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.f64(params_.feature_range[0]);
        w.f64(params_.feature_range[1]);
        w.boolean(params_.clip);
        w.f64s(data_min_);
        w.f64s(data_max_);
        w.f64s(data_range_);
        w.f64s(scale_);
        w.f64s(min_);
    }
    static MinMaxScaler load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        MinMaxScaler s;
        s.load_base(r);
        s.params_.columns = r.strs();
        s.params_.feature_range[0] = r.f64();
        s.params_.feature_range[1] = r.f64();
        s.params_.clip = r.boolean();
        if (!(s.params_.feature_range[0] < s.params_.feature_range[1])) r.fail("MinMaxScaler feature_range is invalid");
        s.data_min_ = r.f64s();
        s.data_max_ = r.f64s();
        s.data_range_ = r.f64s();
        s.scale_ = r.f64s();
        s.min_ = r.f64s();
        const std::size_t n = s.scale_.size();
        if (s.data_min_.size() != n || s.data_max_.size() != n || s.data_range_.size() != n || s.min_.size() != n)
            r.fail("MinMaxScaler state arrays have different lengths");
        if (s.is_fitted() ? n != s.feature_names_in().size() : n != 0)
            r.fail("MinMaxScaler state does not match its feature names");
        return s;
    }

private:
    static void validate(const Params& p) {
        if (!std::isfinite(p.feature_range[0]) || !std::isfinite(p.feature_range[1]) ||
            !(p.feature_range[0] < p.feature_range[1]))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "feature_range must be two finite numbers, min < max",
                                            .fix = "pass e.g. {0.0, 1.0}",
                                            .column = "feature_range"});
    }

    // fit(X) needs the bounds only, so it reads them in one pass (detail::column_bounds)
    // instead of filling the accumulator, whose exact sums MinMaxScaler never uses.
    // Bounds are exact in any order, so this is bit for bit the fit of the accumulator
    // of X (the contract suite checks fit(X) against chunked fit(acc)).
    void fit_matrix(const detail::MatrixRef<T>& X) { fit_bounds(detail::column_bounds<T>(X)); }
    void fit_accumulator(const Accumulator& acc) { fit_bounds(detail::column_bounds(acc.moments())); }

    // scikit-learn's partial_fit arithmetic, in T.
    void fit_bounds(const std::vector<detail::ColumnBounds>& b) {
        const std::size_t n = b.size();
        data_min_.assign(n, 0.0);
        data_max_.assign(n, 0.0);
        data_range_.assign(n, 0.0);
        scale_.assign(n, 0.0);
        min_.assign(n, 0.0);
        const T width = static_cast<T>(params_.feature_range[1] - params_.feature_range[0]);
        const T lo = static_cast<T>(params_.feature_range[0]);
        const T tiny = T(10) * std::numeric_limits<T>::epsilon();
        for (std::size_t j = 0; j < n; ++j) {
            const bool empty = b[j].count == 0;
            const T dmin = empty ? std::numeric_limits<T>::quiet_NaN() : static_cast<T>(b[j].mn);
            const T dmax = empty ? std::numeric_limits<T>::quiet_NaN() : static_cast<T>(b[j].mx);
            const T range = dmax - dmin;
            const T divisor = range < tiny ? T(1) : range;
            const T scale = width / divisor;
            data_min_[j] = dmin;
            data_max_[j] = dmax;
            data_range_[j] = range;
            scale_[j] = scale;
            min_[j] = lo - dmin * scale;
        }
    }

    // numpy's clip: max then min, where a NaN first operand wins and ties keep the bound.
    static T np_clip(T y, T lo, T hi) {
        const T a = (y != y) ? y : (y > lo ? y : lo);
        return (a != a) ? a : (a < hi ? a : hi);
    }

    // y = x * scale_ + min_ in T (scikit-learn's X *= scale_; X += min_), one column at a time.
    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        const T lo = static_cast<T>(params_.feature_range[0]), hi = static_cast<T>(params_.feature_range[1]);
        const bool stream = !params_.clip && detail::stream_output(X.rows(), X.cols(), sizeof(T));
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const T s = static_cast<T>(scale_[static_cast<std::size_t>(j)]);
            const T m = static_cast<T>(min_[static_cast<std::size_t>(j)]);
            const T* x = X.col(j).data();
            T* y = out.col(j).data();
            const Eigen::Index rows = X.rows();
            const Eigen::Index xs = X.innerStride(), ys = out.innerStride();
            if (params_.clip) {
                for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = np_clip(x[i * xs] * s + m, lo, hi);
            } else {
                (void)xs, (void)ys;  // Ref columns are contiguous
                detail::affine_column<detail::AffineOp::mul_add, T>(x, y, rows, s, m, stream);
            }
        }
        detail::stream_fence(stream);
    }

    Params params_;
    std::vector<double> data_min_, data_max_, data_range_, scale_, min_;
};

}  // namespace reprep
