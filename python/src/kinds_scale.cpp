// reprep._reprep: the scalers (include/reprep/scale/), see binding.hpp for Kind<C>.
#include <reprep/scale/binarizer.hpp>
#include <reprep/scale/max_abs_scaler.hpp>
#include <reprep/scale/min_max_scaler.hpp>
#include <reprep/scale/normalizer.hpp>
#include <reprep/scale/robust_scaler.hpp>
#include <reprep/scale/standard_scaler.hpp>

#include "binding.hpp"

namespace reprep_py {

using Vec = std::vector<double>;

template <>
struct Kind<StandardScaler<>> {
    using C = StandardScaler<>;
    using P = C::Params;
    static constexpr const char* name = "StandardScaler";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("with_mean", &P::with_mean), field("with_std", &P::with_std)};
    }
    static py::dict state(const C& s) {
        return py::dict("mean_"_a = to_array(s.mean()),
                        "var_"_a = to_array(s.var()),
                        "scale_"_a = to_array(s.scale()),
                        "n_samples_seen_"_a = to_array(s.n_samples_seen()));
    }
    static void extra(py::class_<C>& cls) { def_from_state<C, Vec, Vec>(cls); }
};

template <>
struct Kind<MinMaxScaler<>> {
    using C = MinMaxScaler<>;
    using P = C::Params;
    static constexpr const char* name = "MinMaxScaler";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("feature_range", &P::feature_range), field("clip", &P::clip)};
    }
    static py::dict state(const C& s) {
        return py::dict("data_min_"_a = to_array(s.data_min()),
                        "data_max_"_a = to_array(s.data_max()),
                        "data_range_"_a = to_array(s.data_range()),
                        "scale_"_a = to_array(s.scale()),
                        "min_"_a = to_array(s.min()));
    }
    static void extra(py::class_<C>& cls) { def_from_state<C, Vec, Vec>(cls); }
};

template <>
struct Kind<MaxAbsScaler<>> {
    using C = MaxAbsScaler<>;
    using P = C::Params;
    static constexpr const char* name = "MaxAbsScaler";
    static auto fields() { return std::tuple{field("columns", &P::columns)}; }
    static py::dict state(const C& s) {
        return py::dict("max_abs_"_a = to_array(s.max_abs()),
                        "scale_"_a = to_array(s.scale()));
    }
    static void extra(py::class_<C>& cls) { def_from_state<C, Vec>(cls); }
};

template <>
struct Kind<RobustScaler<>> {
    using C = RobustScaler<>;
    using P = C::Params;
    static constexpr const char* name = "RobustScaler";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("with_centering", &P::with_centering),
                          field("with_scaling", &P::with_scaling), field("quantile_range", &P::quantile_range),
                          field("unit_variance", &P::unit_variance)};
    }
    // scikit-learn's center_ / scale_ are None when the step is disabled; C++ leaves them empty.
    static py::dict state(const C& s) {
        const auto or_none = [](bool on, const std::vector<double>& v) { return on ? py::object(to_array(v)) : py::none(); };
        return py::dict("center_"_a = or_none(s.params().with_centering, s.center()),
                        "scale_"_a = or_none(s.params().with_scaling, s.scale()));
    }
    static void extra(py::class_<C>& cls) { def_from_state<C, Vec, Vec>(cls); }
};

// Stateless kinds: fit records the width and names only, so no fitted attribute but
// n_features_in_ (scikit-learn's Normalizer and Binarizer have none either).
template <>
struct Kind<Normalizer<>> {
    using P = Normalizer<>::Params;
    static constexpr const char* name = "Normalizer";
    static constexpr Options<Norm> norms = {{"l1", Norm::l1}, {"l2", Norm::l2}, {"max", Norm::max}};
    static auto fields() { return std::tuple{field("columns", &P::columns), choice("norm", &P::norm, norms)}; }
};

template <>
struct Kind<Binarizer<>> {
    using P = Binarizer<>::Params;
    static constexpr const char* name = "Binarizer";
    static auto fields() { return std::tuple{field("columns", &P::columns), field("threshold", &P::threshold)}; }
};

void bind_scale(py::module_& m) {
    bind_component<StandardScaler<>>(m);
    bind_component<MinMaxScaler<>>(m);
    bind_component<MaxAbsScaler<>>(m);
    bind_component<RobustScaler<>>(m);
    bind_component<Normalizer<>>(m);
    bind_component<Binarizer<>>(m);
}

}  // namespace reprep_py
