// reprep._reprep: the kinds that map each value through a fitted function: transforms,
// discretisers and outlier cappers (include/reprep/{transform,discretise,outliers}/).
// See binding.hpp for Kind<C>.
#include <reprep/discretise/arbitrary_discretiser.hpp>
#include <reprep/discretise/k_bins_discretizer.hpp>
#include <reprep/outliers/arbitrary_outlier_capper.hpp>
#include <reprep/outliers/winsorizer.hpp>
#include <reprep/transform/cyclical_features.hpp>
#include <reprep/transform/log_transformer.hpp>
#include <reprep/transform/power_transformer.hpp>
#include <reprep/transform/quantile_transformer.hpp>

#include "binding.hpp"

namespace reprep_py {

using Vec = std::vector<double>;
using Vecs = std::vector<std::vector<double>>;

// A per-column list of arrays as scikit-learn's object array of 1-D arrays (bin_edges_).
template <class F>
py::object column_arrays(std::size_t n, F&& values_of) {
    py::object out = py::module_::import("numpy").attr("empty")(n, py::arg("dtype") = "object");
    for (std::size_t j = 0; j < n; ++j) out[py::int_(j)] = to_array(values_of(j));
    return out;
}

template <>
struct Kind<LogTransformer<>> {
    using C = LogTransformer<>;
    using P = C::Params;
    static constexpr const char* name = "LogTransformer";
    static constexpr Options<LogBase> bases = {{"e", LogBase::e}, {"10", LogBase::ten}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("base", &P::base, bases), field("C", &P::C)};
    }
    // feature-engine's LogCpTransformer.C_: column -> the offset added before the log.
    static py::dict state(const C& s) {
        return py::dict("C_"_a = per_column(s.feature_names_in(), [&](std::size_t j) { return s.C()[j]; }));
    }
};

template <>
struct Kind<PowerTransformer<>> {
    using C = PowerTransformer<>;
    using P = C::Params;
    static constexpr const char* name = "PowerTransformer";
    static constexpr Options<PowerMethod> methods = {{"yeo-johnson", PowerMethod::yeo_johnson},
                                                     {"box-cox", PowerMethod::box_cox}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("method", &P::method, methods),
                          field("standardize", &P::standardize)};
    }
    static py::dict state(const C& s) { return py::dict("lambdas_"_a = to_array(s.lambdas())); }
    static void extra(py::class_<C>& cls) { def_from_state<C, Vec, Vec, Vec>(cls); }
};

template <>
struct Kind<QuantileTransformer<>> {
    using C = QuantileTransformer<>;
    using P = C::Params;
    static constexpr const char* name = "QuantileTransformer";
    static constexpr Options<QuantileOutput> outputs = {{"uniform", QuantileOutput::uniform},
                                                        {"normal", QuantileOutput::normal}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("n_quantiles", &P::n_quantiles),
                          choice("output_distribution", &P::output_distribution, outputs)};
    }
    // scikit-learn's layout: quantiles_ is (n_quantiles_, n_features).
    static py::dict state(const C& s) {
        const auto n = static_cast<std::size_t>(s.n_features_out());
        const auto q = static_cast<std::size_t>(s.n_quantiles_fitted());
        py::array_t<double> quantiles({static_cast<py::ssize_t>(q), static_cast<py::ssize_t>(n)});
        auto w = quantiles.mutable_unchecked<2>();
        for (std::size_t j = 0; j < n; ++j)
            for (std::size_t i = 0; i < q; ++i)
                w(static_cast<py::ssize_t>(i), static_cast<py::ssize_t>(j)) = s.quantiles(j)[i];
        py::dict d;
        d["quantiles_"] = quantiles;
        d["references_"] = to_array(s.references());
        d["n_quantiles_"] = s.n_quantiles_fitted();
        return d;
    }
    static void extra(py::class_<C>& cls) { def_from_state<C, Vecs>(cls); }
};

template <>
struct Kind<CyclicalFeatures<>> {
    using C = CyclicalFeatures<>;
    using P = C::Params;
    static constexpr const char* name = "CyclicalFeatures";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("max_values", &P::max_values),
                          field("drop_original", &P::drop_original)};
    }
    // feature-engine's max_values_: column -> the period.
    static py::dict state(const C& s) {
        return py::dict("max_values_"_a = per_column(s.feature_names_in(), [&](std::size_t j) { return s.max_values()[j]; }));
    }
};

template <>
struct Kind<KBinsDiscretizer<>> {
    using C = KBinsDiscretizer<>;
    using P = C::Params;
    static constexpr const char* name = "KBinsDiscretizer";
    static constexpr Options<KBinsEncode> encodes = {{"onehot-dense", KBinsEncode::onehot_dense},
                                                     {"ordinal", KBinsEncode::ordinal}};
    static constexpr Options<KBinsStrategy> strategies = {
        {"uniform", KBinsStrategy::uniform}, {"quantile", KBinsStrategy::quantile}, {"kmeans", KBinsStrategy::kmeans}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("n_bins", &P::n_bins),
                          choice("encode", &P::encode, encodes), choice("strategy", &P::strategy, strategies)};
    }
    static py::dict state(const C& s) {
        const auto n_bins = s.n_bins_fitted();
        py::dict d;
        d["bin_edges_"] = column_arrays(n_bins.size(), [&](std::size_t j) { return s.bin_edges(j); });
        d["n_bins_"] = py::array_t<int>(py::cast(n_bins));
        return d;
    }
    static void extra(py::class_<C>& cls) { def_from_state<C, Vecs>(cls); }
};

template <>
struct Kind<ArbitraryDiscretiser<>> {
    using C = ArbitraryDiscretiser<>;
    using P = C::Params;
    static constexpr const char* name = "ArbitraryDiscretiser";
    static auto fields() { return std::tuple{field("columns", &P::columns), field("binning_dict", &P::binning_dict)}; }
    static py::dict state(const C& s) {
        return py::dict("binner_dict_"_a = per_column(s.feature_names_in(), [&](std::size_t j) { return to_array(s.binner_dict(j)); }));
    }
};

template <>
struct Kind<Winsorizer<>> {
    using C = Winsorizer<>;
    using P = C::Params;
    static constexpr const char* name = "Winsorizer";
    static constexpr Options<CappingMethod> methods = {
        {"gaussian", CappingMethod::gaussian}, {"iqr", CappingMethod::iqr}, {"quantiles", CappingMethod::quantiles}};
    static constexpr Options<Tail> tails = {{"right", Tail::right}, {"left", Tail::left}, {"both", Tail::both}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice("capping_method", &P::capping_method, methods),
                          choice("tail", &P::tail, tails), field("fold", &P::fold)};
    }
    // feature-engine's names; a tail that is not capped has an empty array.
    static py::dict state(const C& s) {
        return py::dict("right_tail_caps_"_a = to_array(s.right_tail_caps()),
                        "left_tail_caps_"_a = to_array(s.left_tail_caps()));
    }
};

template <>
struct Kind<ArbitraryOutlierCapper<>> {
    using C = ArbitraryOutlierCapper<>;
    using P = C::Params;
    static constexpr const char* name = "ArbitraryOutlierCapper";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("max_capping_dict", &P::max_capping_dict),
                          field("min_capping_dict", &P::min_capping_dict)};
    }
    // As Winsorizer's: one cap per fitted column (an infinite cap where none was given).
    static py::dict state(const C& s) {
        return py::dict("right_tail_caps_"_a = to_array(s.max_caps()),
                        "left_tail_caps_"_a = to_array(s.min_caps()));
    }
};

void bind_transform(py::module_& m) {
    bind_component<LogTransformer<>>(m);
    bind_component<PowerTransformer<>>(m);
    bind_component<QuantileTransformer<>>(m);
    bind_component<CyclicalFeatures<>>(m);
    bind_component<KBinsDiscretizer<>>(m);
    bind_component<ArbitraryDiscretiser<>>(m);
    bind_component<Winsorizer<>>(m);
    bind_component<ArbitraryOutlierCapper<>>(m);
}

}  // namespace reprep_py
