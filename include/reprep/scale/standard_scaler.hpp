// reprep::StandardScaler — scikit-learn's StandardScaler with exact statistics.
//
//   fit:        mean_j = Σ w x / Σ w,  var_j = Σ w (x - mean_j)² / Σ w   (population, ddof = 0)
//               computed from exact sums (ExactSum), finalised once per column, so the
//               state is the same bits for any row order, chunking or platform.
//               scale_j = sqrt(var_j), or 1 where the column is constant by
//               scikit-learn's rule var <= n·eps·var + (n·mean·eps)²  (n = Σ w).
//   transform:  y = (x - mean_) / scale_      (with_mean / with_std drop a term)
//   inverse:    x = y * scale_ + mean_
// NaN is ignored in fit and kept in transform; ±Inf in fit raises InvalidInput.
// For float input the state is double and, as scikit-learn's in-place X -= mean_;
// X /= scale_ on a float32 array does, each step is computed in double and rounded to
// float: y = float(double(float(double(x) - mean_)) / scale_). For double the casts vanish.
// ±Inf in transform is accepted and follows IEEE arithmetic (scikit-learn's check_array
// refuses it; refusing costs a full extra read of a memory-bound transform).
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
class StandardScaler : public detail::NumericComponent<StandardScaler<T>, T> {
    using Base = detail::NumericComponent<StandardScaler<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to scale (empty = all numeric)
        bool with_mean = true;
        bool with_std = true;
    };

    // Mergeable exact statistics: fit(acc) equals fit(X) for any chunking and merge order.
    using Accumulator = detail::MomentsAccumulator<T, StandardScaler>;

    static constexpr const char* component_name = "StandardScaler";
    static constexpr std::string_view kind_name() { return "standard_scaler"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = true, allow_inf_in_fit = false;
    static constexpr bool allow_nan_in_transform = true, allow_inf_in_transform = true;

    StandardScaler() = default;
    // A template, so that StandardScaler({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit StandardScaler(P p) : params_(std::move(p)) {}

    const Params& params() const { return params_; }

    using Base::fit;
    // Weighted fit (scikit-learn's sample_weight): weights must be finite and >= 0.
    StandardScaler& fit(const detail::MatrixRef<T>& X, const Eigen::Ref<const Vector<T>>& sample_weight) {
        if (sample_weight.size() != X.rows())
            detail::fail<InvalidInput>({.component = component_name,
                                        .problem = "sample_weight has " + std::to_string(sample_weight.size()) +
                                                   " entries for " + std::to_string(X.rows()) + " rows",
                                        .fix = "pass one weight per row"});
        for (Eigen::Index i = 0; i < sample_weight.size(); ++i)
            if (!(sample_weight[i] >= 0) || std::isinf(sample_weight[i]))
                detail::fail<InvalidInput>({.component = component_name,
                                            .problem = "sample_weight must be finite and >= 0",
                                            .fix = "fix or drop that weight",
                                            .column = "sample_weight",
                                            .row = static_cast<std::size_t>(i)});
        weights_ = &sample_weight;
        try {
            this->fit_named(X, detail::default_names(X.cols()));
        } catch (...) {
            weights_ = nullptr;
            throw;
        }
        weights_ = nullptr;
        return *this;
    }

    Accumulator accumulator() const { return Accumulator{}; }

    // Builds a fitted scaler from parameters fitted elsewhere (e.g. scikit-learn's mean_ and scale_).
    static StandardScaler from_state(std::vector<double> mean, std::vector<double> scale, Params p = {},
                                     std::vector<std::string> feature_names = {}) {
        if (mean.size() != scale.size() || mean.empty())
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "mean and scale must be non-empty and of equal length",
                                            .fix = "pass a fitted StandardScaler's mean_ and scale_: one value per column each",
                                            .column = "from_state"});
        StandardScaler s(std::move(p));
        s.var_.assign(scale.size(), std::numeric_limits<double>::quiet_NaN());
        s.n_samples_seen_.assign(scale.size(), 0.0);
        s.mean_ = std::move(mean);
        s.scale_ = std::move(scale);
        if (feature_names.empty()) feature_names = detail::default_names(static_cast<Eigen::Index>(s.mean_.size()));
        s.set_fitted(std::move(feature_names));
        return s;
    }

    const std::vector<double>& mean() const { this->require_fitted(); return mean_; }
    const std::vector<double>& var() const { this->require_fitted(); return var_; }
    const std::vector<double>& scale() const { this->require_fitted(); return scale_; }
    // Σ w over the non-NaN values of each column (the count when unweighted).
    const std::vector<double>& n_samples_seen() const { this->require_fitted(); return n_samples_seen_; }

    Eigen::Index n_features_out() const { return static_cast<Eigen::Index>(mean_.size()); }

    Matrix<T> inverse_transform(const detail::MatrixRef<T>& Y) const {
        this->check_transform_input(Y);
        Matrix<T> X(Y.rows(), Y.cols());
        for (Eigen::Index j = 0; j < Y.cols(); ++j) {
            const double m = params_.with_mean ? mean_[static_cast<std::size_t>(j)] : 0.0;
            const double s = params_.with_std ? scale_[static_cast<std::size_t>(j)] : 1.0;
            for (Eigen::Index i = 0; i < Y.rows(); ++i) {
                // scikit-learn's X *= scale_; X += mean_, each step rounded to T.
                T x = Y(i, j);
                if (params_.with_std) x = static_cast<T>(static_cast<double>(x) * s);
                if (params_.with_mean) x = static_cast<T>(static_cast<double>(x) + m);
                X(i, j) = x;
            }
        }
        return X;
    }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.boolean(params_.with_mean);
        w.boolean(params_.with_std);
        w.f64s(mean_);
        w.f64s(var_);
        w.f64s(scale_);
        w.f64s(n_samples_seen_);
    }
    static StandardScaler load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        StandardScaler s;
        s.load_base(r);
        s.params_.columns = r.strs();
        s.params_.with_mean = r.boolean();
        s.params_.with_std = r.boolean();
        s.mean_ = r.f64s();
        s.var_ = r.f64s();
        s.scale_ = r.f64s();
        s.n_samples_seen_ = r.f64s();
        const std::size_t n = s.mean_.size();
        if (s.var_.size() != n || s.scale_.size() != n || s.n_samples_seen_.size() != n)
            r.fail("StandardScaler state arrays have different lengths");
        if (s.is_fitted() && n != s.feature_names_in().size())
            r.fail("StandardScaler state does not match its feature names");
        return s;
    }

private:
    // fit_named skips its NaN/Inf pre-pass over X for this kernel: the moments see every
    // value anyway, and an infinity shows in a column's min or max (NaN is allowed). Only
    // then is X scanned, by check_finite, which throws naming the first bad cell in
    // column-major order, the cell the pre-pass names. The pass it saves was a fifth of
    // the fit's time (perf); the state stays untouched, as fit works on a copy.
    static constexpr bool fit_matrix_checks_finite = true;
    // fit(X, {.n_jobs = k}) fills one exact-moments accumulator per block of rows on k
    // threads: the same work as this kernel, split (numeric_component.hpp).
    static constexpr bool threaded_fit = true;
    void fit_matrix(const detail::MatrixRef<T>& X, const std::vector<std::string>& names) {
        static_assert(allow_nan_in_fit && !allow_inf_in_fit, "the check below finds infinities only");
        ColumnMoments<T> m(X.cols());
        if (weights_) m.update(X, *weights_);
        else m.update(X);
        for (Eigen::Index j = 0; j < m.cols(); ++j)
            if (m.count(j) > 0 && (std::isinf(m.min(j)) || std::isinf(m.max(j))))
                detail::check_finite<T>(X, allow_nan_in_fit, allow_inf_in_fit, component_name, names, "fit");
        finalise(m);
    }

    void fit_accumulator(const Accumulator& acc) { finalise(acc.moments()); }

    void finalise(const ColumnMoments<T>& m) {
        const auto n = static_cast<std::size_t>(m.cols());
        mean_.assign(n, 0.0);
        var_.assign(n, 0.0);
        scale_.assign(n, 1.0);
        n_samples_seen_.assign(n, 0.0);
        constexpr double eps = std::numeric_limits<double>::epsilon();
        for (std::size_t j = 0; j < n; ++j) {
            const auto jj = static_cast<Eigen::Index>(j);
            const double w = m.weight_sum(jj);
            n_samples_seen_[j] = w;
            mean_[j] = m.mean(jj);
            var_[j] = m.variance(jj);
            // scikit-learn's constant-feature rule (_is_constant_feature), applied to our
            // exact variance, so near-constant columns scale by 1 exactly as there.
            const double nm = w * mean_[j] * eps;
            const bool constant = var_[j] <= w * eps * var_[j] + nm * nm;
            scale_[j] = constant ? 1.0 : std::sqrt(var_[j]);
        }
    }

    // transform_kernel on row-major rows x n_features_in() values (NumericComponent::
    // transform_rows_into): the same operation per value, read and written in row order.
    void transform_rows_kernel(const double* x, double* y, Eigen::Index rows) const
        requires std::is_same_v<T, double>
    {
        const auto cols = static_cast<Eigen::Index>(mean_.size());
        const bool stream = detail::stream_output(rows, cols, sizeof(double));
        using detail::AffineOp;
        if (params_.with_mean && params_.with_std)
            detail::affine_rows<AffineOp::sub_div>(x, y, rows, cols, mean_.data(), scale_.data(), stream);
        else if (params_.with_mean)
            detail::affine_rows<AffineOp::sub>(x, y, rows, cols, mean_.data(), scale_.data(), stream);
        else if (params_.with_std)
            detail::affine_rows<AffineOp::div>(x, y, rows, cols, scale_.data(), scale_.data(), stream);
        else
            std::copy(x, x + rows * cols, y);
        detail::stream_fence(stream);
    }

    // y = (x - mean) / scale, scikit-learn's order of operations, one column at a time;
    // for float the difference is rounded to float before the division, as numpy's
    // in-place X -= mean_ stores it (the inner cast is a no-op for double).
    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        if constexpr (std::is_same_v<T, double>) {
            // The same formula through the shared affine kernel, which writes large
            // outputs with non-temporal stores (detail/affine_kernel.hpp says why).
            const bool stream = detail::stream_output(X.rows(), X.cols(), sizeof(T));
            using detail::AffineOp;
            for (Eigen::Index j = 0; j < X.cols(); ++j) {
                const double m = mean_[static_cast<std::size_t>(j)];
                const double s = scale_[static_cast<std::size_t>(j)];
                const double* x = X.col(j).data();
                double* y = out.col(j).data();
                if (params_.with_mean && params_.with_std)
                    detail::affine_column<AffineOp::sub_div, double>(x, y, X.rows(), m, s, stream);
                else if (params_.with_mean)
                    detail::affine_column<AffineOp::sub, double>(x, y, X.rows(), m, 0.0, stream);
                else if (params_.with_std)
                    detail::affine_column<AffineOp::div, double>(x, y, X.rows(), s, 0.0, stream);
                else
                    for (Eigen::Index i = 0; i < X.rows(); ++i) y[i] = x[i];
            }
            detail::stream_fence(stream);
            return;
        }
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const double m = mean_[static_cast<std::size_t>(j)];
            const double s = scale_[static_cast<std::size_t>(j)];
            const T* x = X.col(j).data();
            T* y = out.col(j).data();
            const Eigen::Index rows = X.rows();
            const Eigen::Index xs = X.innerStride(), ys = out.innerStride();
            if (params_.with_mean && params_.with_std) {
                for (Eigen::Index i = 0; i < rows; ++i)
                    y[i * ys] = static_cast<T>(static_cast<double>(static_cast<T>(static_cast<double>(x[i * xs]) - m)) / s);
            } else if (params_.with_mean) {
                for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = static_cast<T>(static_cast<double>(x[i * xs]) - m);
            } else if (params_.with_std) {
                for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = static_cast<T>(static_cast<double>(x[i * xs]) / s);
            } else {
                for (Eigen::Index i = 0; i < rows; ++i) y[i * ys] = x[i * xs];
            }
        }
    }

    Params params_;
    std::vector<double> mean_, var_, scale_, n_samples_seen_;
    const Eigen::Ref<const Vector<T>>* weights_ = nullptr;  // set only during a weighted fit
};

}  // namespace reprep
