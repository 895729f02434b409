// reprep::Binarizer — scikit-learn's Binarizer.
//
//   transform:  y = 1 if x > threshold else 0     (the comparison in T: threshold is first
//               rounded to T, as numpy does when it compares a float32 array with a
//               Python float)
// Stateless: fit only records the width (and names); there is no Accumulator. NaN and
// ±Inf raise InvalidInput in fit and transform, as in scikit-learn. A NaN threshold is
// refused (scikit-learn would silently map everything to 0).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "../core/archive.hpp"
#include "../component/numeric_component.hpp"

namespace reprep {

template <class T = double>
class Binarizer : public detail::NumericComponent<Binarizer<T>, T> {
    using Base = detail::NumericComponent<Binarizer<T>, T>;
    friend Base;

public:
    struct Params {
        std::vector<std::string> columns = {};  // Table input: columns to binarise (empty = all numeric)
        double threshold = 0.0;
    };

    static constexpr const char* component_name = "Binarizer";
    static constexpr std::string_view kind_name() { return "binarizer"; }
    static constexpr std::uint32_t schema_version = 1;
    static constexpr bool allow_nan_in_fit = false, allow_inf_in_fit = false;
    // fit learns nothing from the values: a chunk source is read once, not gathered
    // (compose/step.hpp, FitIgnoresValues).
    static constexpr bool fit_learns_from_values = false;
    static constexpr bool allow_nan_in_transform = false, allow_inf_in_transform = false;

    Binarizer() = default;
    // A template, so that Binarizer({}) is not ambiguous (docs/components.md, "Constructing").
    template <std::same_as<Params> P = Params>
    explicit Binarizer(P p) : params_(std::move(p)) {
        if (std::isnan(params_.threshold))
            detail::fail<InvalidParameter>({.component = component_name,
                                            .problem = "threshold is NaN",
                                            .fix = "pass a number (or ±infinity)",
                                            .column = "threshold"});
    }

    const Params& params() const { return params_; }

    Eigen::Index n_features_out() const { return width_; }

    void save_state(ArchiveWriter& w) const {
        this->save_base(w);
        w.strs(params_.columns);
        w.f64(params_.threshold);
        w.i64(width_);
    }
    static Binarizer load_state(ArchiveReader& r, std::uint32_t /*schema_version*/) {
        Binarizer s;
        s.load_base(r);
        s.params_.columns = r.strs();
        s.params_.threshold = r.f64();
        if (std::isnan(s.params_.threshold)) r.fail("Binarizer threshold is NaN");
        s.width_ = r.i64();
        if (s.width_ != (s.is_fitted() ? static_cast<std::int64_t>(s.feature_names_in().size()) : 0))
            r.fail("Binarizer width does not match its feature names");
        return s;
    }

private:
    void fit_matrix(const detail::MatrixRef<T>& X) { width_ = X.cols(); }

    void transform_kernel(const detail::MatrixRef<T>& X, detail::OutRef<T> out) const {
        const T t = static_cast<T>(params_.threshold);
        for (Eigen::Index j = 0; j < X.cols(); ++j) {
            const T* x = X.col(j).data();
            T* y = out.col(j).data();
            const Eigen::Index xs = X.innerStride(), ys = out.innerStride();
            for (Eigen::Index i = 0; i < X.rows(); ++i) y[i * ys] = x[i * xs] > t ? T(1) : T(0);
        }
    }

    Params params_;
    std::int64_t width_ = 0;
};

}  // namespace reprep
