// reprep._reprep: the creation components (include/reprep/create/): new columns made
// from the numeric ones. See binding.hpp for Kind<C>.
#include <reprep/create/math_features.hpp>
#include <reprep/create/polynomial_features.hpp>
#include <reprep/create/relative_features.hpp>
#include <reprep/create/spline_transformer.hpp>

#include "binding.hpp"

namespace reprep_py {
namespace {

// scikit-learn's degree: an int (max degree) or a (min_degree, max_degree) pair; written
// back as an int when min_degree is 0, so that get_params() shows what was given.
template <class P>
struct DegreeField {
    const char* name;
    PolynomialDegree P::*member;
    void read(const char* component, const py::dict& d, P& p) const {
        if (!d.contains(name) || d[name].is_none()) return;
        const py::handle h = d[name];
        if (py::isinstance<py::bool_>(h) || py::isinstance<py::str>(h))
            bad_param(component, name, "got " + py::repr(h).cast<std::string>(),
                      "pass an int or a (min_degree, max_degree) pair of ints");
        if (py::isinstance<py::tuple>(h) || py::isinstance<py::list>(h)) {
            const auto v = from_py<std::vector<std::int64_t>>(component, name, h);
            if (v.size() != 2)
                bad_param(component, name, "got " + py::repr(h).cast<std::string>(),
                          "pass an int or a (min_degree, max_degree) pair of ints");
            p.*member = PolynomialDegree(v[0], v[1]);
            return;
        }
        p.*member = PolynomialDegree(from_py<std::int64_t>(component, name, h));
    }
    void write(const P& p, py::dict& d) const {
        const PolynomialDegree& g = p.*member;
        d[name] = g.min_degree == 0 ? py::object(py::int_(g.max_degree))
                                    : py::object(py::make_tuple(g.min_degree, g.max_degree));
    }
};

py::list names_at(const std::vector<std::string>& names, const std::vector<std::uint32_t>& index) {
    py::list out;
    for (const auto k : index) out.append(py::str(names[k]));
    return out;
}

}  // namespace

template <>
struct Kind<PolynomialFeatures<>> {
    using C = PolynomialFeatures<>;
    using P = C::Params;
    static constexpr const char* name = "PolynomialFeatures";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), DegreeField<P>{"degree", &P::degree},
                          field("interaction_only", &P::interaction_only), field("include_bias", &P::include_bias)};
    }
    static py::dict state(const C& s) { return py::dict("n_features_out_"_a = s.feature_names_out().size()); }
};

template <>
struct Kind<MathFeatures<>> {
    using C = MathFeatures<>;
    using P = C::Params;
    static constexpr const char* name = "MathFeatures";
    static constexpr Options<MathFunc> funcs = {{"sum", MathFunc::sum}, {"mean", MathFunc::mean},
                                                {"std", MathFunc::std}, {"min", MathFunc::min},
                                                {"max", MathFunc::max}, {"prod", MathFunc::prod}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), choice_list("func", &P::func, funcs),
                          field("new_variables_names", &P::new_variables_names),
                          choice("missing_values", &P::missing_values, missing_raise_ignore),
                          field("drop_original", &P::drop_original)};
    }
    // feature-engine's variables_: the columns combined.
    static py::dict state(const C& s) { return py::dict("variables_"_a = s.feature_names_in()); }
};

template <>
struct Kind<RelativeFeatures<>> {
    using C = RelativeFeatures<>;
    using P = C::Params;
    static constexpr const char* name = "RelativeFeatures";
    static constexpr Options<RelativeFunc> funcs = {
        {"add", RelativeFunc::add},   {"sub", RelativeFunc::sub},           {"mul", RelativeFunc::mul},
        {"div", RelativeFunc::div},   {"truediv", RelativeFunc::truediv}, {"floordiv", RelativeFunc::floordiv},
        {"mod", RelativeFunc::mod},   {"pow", RelativeFunc::pow}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("reference", &P::reference),
                          choice_list("func", &P::func, funcs), field("fill_value", &P::fill_value),
                          choice("missing_values", &P::missing_values, missing_raise_ignore),
                          field("drop_original", &P::drop_original)};
    }
    // feature-engine's variables_ (the columns combined with the references) and the
    // references as fitted.
    static py::dict state(const C& s) {
        return py::dict("variables_"_a = names_at(s.feature_names_in(), s.variable_index()),
                        "reference_"_a = names_at(s.feature_names_in(), s.reference_index()));
    }
};

template <>
struct Kind<SplineTransformer<>> {
    using C = SplineTransformer<>;
    using P = C::Params;
    static constexpr const char* name = "SplineTransformer";
    static constexpr Options<SplineKnots> knots = {{"uniform", SplineKnots::uniform}, {"quantile", SplineKnots::quantile}};
    static constexpr Options<SplineExtrapolation> extrapolations = {
        {"error", SplineExtrapolation::error},       {"constant", SplineExtrapolation::constant},
        {"linear", SplineExtrapolation::linear},     {"continue", SplineExtrapolation::continue_},
        {"periodic", SplineExtrapolation::periodic}};
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("n_knots", &P::n_knots), field("degree", &P::degree),
                          choice("knots", &P::knots, knots), choice("extrapolation", &P::extrapolation, extrapolations),
                          field("include_bias", &P::include_bias)};
    }
    // n_features_out_ as scikit-learn's; knots_ (n_features, n_knots + 2 * degree): row j
    // is scikit-learn's bsplines_[j].t.
    static py::dict state(const C& s) {
        const std::size_t n = s.feature_names_in().size();
        std::vector<std::vector<double>> rows;
        for (std::size_t j = 0; j < n; ++j) rows.push_back(s.knots(j));
        const std::size_t w = rows.empty() ? 0 : rows[0].size();
        py::array_t<double> k({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(w)});
        auto a = k.mutable_unchecked<2>();
        for (std::size_t j = 0; j < n; ++j)
            for (std::size_t i = 0; i < w; ++i) a(static_cast<py::ssize_t>(j), static_cast<py::ssize_t>(i)) = rows[j][i];
        return py::dict("n_features_out_"_a = s.feature_names_out().size(), "knots_"_a = k);
    }
};

void bind_create(py::module_& m) {
    bind_component<PolynomialFeatures<>>(m);
    bind_component<MathFeatures<>>(m);
    bind_component<RelativeFeatures<>>(m);
    bind_component<SplineTransformer<>>(m);
}

}  // namespace reprep_py
