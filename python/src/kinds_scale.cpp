// reprep._reprep: the scalers (include/reprep/scale/), see binding.hpp for Kind<C>.
#include <reprep/scale/binarizer.hpp>
#include <reprep/scale/max_abs_scaler.hpp>
#include <reprep/scale/min_max_scaler.hpp>
#include <reprep/scale/normalizer.hpp>
#include <reprep/scale/robust_scaler.hpp>
#include <reprep/scale/standard_scaler.hpp>

#include "binding.hpp"

namespace reprep_py {

// from_state takes the Params as keywords and the feature names last, as the C++ one
// (reprep.from_sklearn passes scikit-learn's fitted arrays to these).
using Names = std::vector<std::string>;
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
        py::dict d;
        d["mean_"] = to_array(s.mean());
        d["var_"] = to_array(s.var());
        d["scale_"] = to_array(s.scale());
        d["n_samples_seen_"] = to_array(s.n_samples_seen());
        return d;
    }
    static void extra(py::class_<C>& cls) {
        cls.def_static("from_state", [](const py::dict& p, Vec mean, Vec scale, Names names) {
            return C::from_state(std::move(mean), std::move(scale), params_in<C>(p), std::move(names));
        });
    }
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
        py::dict d;
        d["data_min_"] = to_array(s.data_min());
        d["data_max_"] = to_array(s.data_max());
        d["data_range_"] = to_array(s.data_range());
        d["scale_"] = to_array(s.scale());
        d["min_"] = to_array(s.min());
        return d;
    }
    static void extra(py::class_<C>& cls) {
        cls.def_static("from_state", [](const py::dict& p, Vec min, Vec scale, Names names) {
            return C::from_state(std::move(min), std::move(scale), params_in<C>(p), std::move(names));
        });
    }
};

template <>
struct Kind<MaxAbsScaler<>> {
    using C = MaxAbsScaler<>;
    using P = C::Params;
    static constexpr const char* name = "MaxAbsScaler";
    static auto fields() { return std::tuple{field("columns", &P::columns)}; }
    static py::dict state(const C& s) {
        py::dict d;
        d["max_abs_"] = to_array(s.max_abs());
        d["scale_"] = to_array(s.scale());
        return d;
    }
    static void extra(py::class_<C>& cls) {
        cls.def_static("from_state", [](const py::dict& p, Vec scale, Names names) {
            return C::from_state(std::move(scale), params_in<C>(p), std::move(names));
        });
    }
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
        py::dict d;
        d["center_"] = s.params().with_centering ? py::object(to_array(s.center())) : py::object(py::none());
        d["scale_"] = s.params().with_scaling ? py::object(to_array(s.scale())) : py::object(py::none());
        return d;
    }
    static void extra(py::class_<C>& cls) {
        cls.def_static("from_state", [](const py::dict& p, Vec center, Vec scale, Names names) {
            return C::from_state(std::move(center), std::move(scale), params_in<C>(p), std::move(names));
        });
    }
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
