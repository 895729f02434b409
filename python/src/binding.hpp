// The machinery shared by the units of reprep._reprep (docs/python.md).
//
// Every component kind is bound by one template, bind_component<C>, driven by a small
// per-kind description Kind<C>:
//   name       the Python class name (the C++ one);
//   fields()   the Params fields reachable from Python, in declaration order: each is a
//              keyword read into Params and written back by params() (so an artifact
//              loaded from C++ gives an estimator with its get_params()), and the
//              defaults of a default Params become the Python constructor's defaults;
//   state(c)   the fitted state under scikit-learn's attribute names (optional);
//   extra(cls) anything else the kind binds, such as from_state (optional).
// Adding a kind is writing its Kind<C> and one bind_component line; the Python class is
// made from the description (python/reprep/_estimators.py).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <reprep/component/categorical_component.hpp>  // MissingValues (missing_raise_ignore)
#include <reprep/compose/pipeline.hpp>
#include <reprep/transform/log_transformer.hpp>

#include "array_path.hpp"
#include "combiner.hpp"

namespace reprep_py {

namespace py = pybind11;
using namespace reprep;
using namespace pybind11::literals;  // "name"_a = value, for the fitted-state dicts

using F64Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

inline py::array_t<double> to_array(const std::vector<double>& v) {
    py::array_t<double> a(static_cast<py::ssize_t>(v.size()));
    std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
}

// A vector's values as a 1-D NumPy array that owns them (no copy).
template <class V>
py::array_t<V> owned_array(std::vector<V>&& v) {
    auto* heap = new std::vector<V>(std::move(v));
    const py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<V>*>(p); });
    return py::array_t<V>(static_cast<py::ssize_t>(heap->size()), heap->data(), owner);
}

[[noreturn]] inline void bad_param(const char* component, const std::string& name, const std::string& problem,
                                   const std::string& fix) {
    detail::fail<InvalidParameter>({.component = component, .problem = problem, .fix = fix, .parameter = name});
}

// ---- Params fields ------------------------------------------------------------------

// The scikit-learn strings of an enum option. Declared `static constexpr` in a Kind, so
// the list's array lives as long as the program and copies of the view stay valid.
template <class E>
using Options = std::initializer_list<std::pair<const char*, E>>;

template <class V>
struct is_optional : std::false_type {};
template <class V>
struct is_optional<std::optional<V>> : std::true_type {};
template <class V>
concept Container = requires(const V& v) { v.empty(); v.begin(); } && !std::is_same_v<V, std::string>;

// C++ field value -> Python keyword value. Empty lists and maps are None (scikit-learn's
// default for "every column" / "nothing given", and mutable defaults are not allowed),
// a pair is a tuple, LogOffset's automatic() is "auto".
template <class V>
py::object to_py(const V& v) {
    if constexpr (std::is_same_v<V, LogOffset>)
        return v.is_auto() ? py::object(py::str("auto")) : py::object(py::float_(v.value));
    else if constexpr (std::is_same_v<V, std::array<double, 2>>)
        return py::make_tuple(v[0], v[1]);
    else if constexpr (is_optional<V>::value)
        return v ? to_py(*v) : py::object(py::none());
    else if constexpr (Container<V>)
        return v.empty() ? py::object(py::none()) : py::object(py::cast(v));
    else
        return py::cast(v);
}

// Python keyword value -> C++ field value (None was handled by the caller: it keeps the
// Params default).
template <class V>
V from_py(const char* component, const char* name, py::handle h) {
    if constexpr (std::is_same_v<V, LogOffset>) {
        if (py::isinstance<py::str>(h)) {
            if (h.cast<std::string>() == "auto") return LogOffset::automatic();
            bad_param(component, name, "got " + py::repr(h).cast<std::string>(), "use 'auto' or a number");
        }
        return LogOffset(from_py<double>(component, name, h));
    } else {
        // A str is a sequence to pybind11: refuse it where a list of names is meant.
        if constexpr (Container<V>)
            if (py::isinstance<py::str>(h))
                bad_param(component, name, "got the string " + py::repr(h).cast<std::string>(),
                          "pass a list (or dict) of values, not one string");
        try {
            return h.cast<V>();
        } catch (const py::cast_error&) {
            bad_param(component, name, "got " + py::repr(h).cast<std::string>() + ", of the wrong type",
                      "pass a value of the documented type");
        }
    }
}

// A plain Params field (bool, number, string, list, dict, optional, pair).
template <class P, class V>
struct Field {
    const char* name;
    V P::*member;
    void read(const char* component, const py::dict& d, P& p) const {
        if (d.contains(name) && !d[name].is_none()) p.*member = from_py<V>(component, name, d[name]);
    }
    void write(const P& p, py::dict& d) const { d[name] = to_py(p.*member); }
};

// An enum option, spelt as scikit-learn's strings; a value missing from the table (such
// as OneHotDrop::none) is Python's None.
template <class P, class E>
struct Choice {
    const char* name;
    E P::*member;
    Options<E> options;
    void read(const char* component, const py::dict& d, P& p) const {
        if (!d.contains(name) || d[name].is_none()) return;
        if (py::isinstance<py::str>(d[name])) {
            const auto v = d[name].cast<std::string>();
            for (const auto& [s, e] : options)
                if (v == s) {
                    p.*member = e;
                    return;
                }
        }
        std::string list;
        for (const auto& [s, e] : options) list += (list.empty() ? "'" : ", '") + std::string(s) + "'";
        bad_param(component, name, "got " + py::repr(d[name]).cast<std::string>(), "use one of " + list);
    }
    void write(const P& p, py::dict& d) const {
        d[name] = py::none();
        for (const auto& [s, e] : options)
            if (e == p.*member) d[name] = py::str(s);
    }
};

// A list of enum options (MathFeatures' func, RelativeFeatures' func): a list or tuple of
// the strings in, a tuple out (a list default would break scikit-learn's rule that
// defaults are immutable), None for an empty list.
template <class P, class E>
struct ChoiceList {
    const char* name;
    std::vector<E> P::*member;
    Options<E> options;
    void read(const char* component, const py::dict& d, P& p) const {
        if (!d.contains(name) || d[name].is_none()) return;
        const py::handle h = d[name];
        std::string list;
        for (const auto& [s, e] : options) list += (list.empty() ? "'" : ", '") + std::string(s) + "'";
        if (py::isinstance<py::str>(h) || !(py::isinstance<py::list>(h) || py::isinstance<py::tuple>(h)))
            bad_param(component, name, "got " + py::repr(h).cast<std::string>(),
                      "pass a list of options, each one of " + list);
        std::vector<E> out;
        for (const py::handle item : h) {
            bool found = false;
            if (py::isinstance<py::str>(item)) {
                const auto v = item.cast<std::string>();
                for (const auto& [s, e] : options)
                    if (v == s) {
                        out.push_back(e);
                        found = true;
                        break;
                    }
            }
            if (!found)
                bad_param(component, name, "got " + py::repr(item).cast<std::string>() + " in the list",
                          "use one of " + list);
        }
        p.*member = std::move(out);
    }
    void write(const P& p, py::dict& d) const {
        if ((p.*member).empty()) {
            d[name] = py::none();
            return;
        }
        py::list out;
        for (const E e : p.*member)
            for (const auto& [s, o] : options)
                if (o == e) out.append(py::str(s));
        d[name] = py::tuple(out);
    }
};

// feature-engine's missing_values where a kind takes 'raise' or 'ignore' (the encoders,
// creation and datetime kinds; the selectors also take 'include': kinds_select.cpp).
// static: an initializer_list's array is not shared between units, so each has its own.
static constexpr Options<MissingValues> missing_raise_ignore = {{"raise", MissingValues::raise},
                                                                {"ignore", MissingValues::ignore}};

template <class P, class V>
Field<P, V> field(const char* name, V P::*m) { return {name, m}; }
template <class P, class E>
ChoiceList<P, E> choice_list(const char* name, std::vector<E> P::*m, Options<E> o) { return {name, m, o}; }
template <class P, class E>
Choice<P, E> choice(const char* name, E P::*m, Options<E> o) { return {name, m, o}; }

template <class C>
struct Kind;

template <class C>
typename C::Params params_in(const py::dict& d) {
    typename C::Params p{};
    std::apply([&](const auto&... f) { (f.read(Kind<C>::name, d, p), ...); }, Kind<C>::fields());
    return p;
}

template <class C>
py::dict params_out(const typename C::Params& p) {
    py::dict d;
    std::apply([&](const auto&... f) { (f.write(p, d), ...); }, Kind<C>::fields());
    return d;
}

// ---- matrices -------------------------------------------------------------------------

inline Matrix<double> to_matrix(const py::array_t<double, py::array::f_style | py::array::forcecast>& a) {
    if (a.ndim() != 2)
        detail::fail<InvalidInput>({.component = "inverse_transform", .problem = "expected a 2-D array",
                                    .fix = "pass the output of transform"});
    return Eigen::Map<const Matrix<double>>(a.data(), a.shape(0), a.shape(1));
}

inline py::array_t<double> from_matrix(const Matrix<double>& M) {
    py::array_t<double> a({static_cast<py::ssize_t>(M.rows()), static_cast<py::ssize_t>(M.cols())});
    auto w = a.mutable_unchecked<2>();
    for (Eigen::Index i = 0; i < M.rows(); ++i)
        for (Eigen::Index j = 0; j < M.cols(); ++j) w(i, j) = M(i, j);
    return a;
}

// A target as the span C++ reads: one float64 per row.
inline std::vector<double> target_of(const F64Array& y) {
    if (y.ndim() != 1)
        detail::fail<InvalidInput>({.component = "fit", .problem = "y must be 1-D (one target value per row)",
                                    .fix = "pass y.ravel()"});
    return {y.data(), y.data() + y.size()};
}

// A kind's C++ from_state(state..., Params, feature_names) as a static method taking the
// Params as the keyword dict (reprep.from_sklearn passes scikit-learn's fitted arrays).
template <class C, class... State>
void def_from_state(py::class_<C>& cls) {
    cls.def_static("from_state", [](const py::dict& p, State... state, std::vector<std::string> names) {
        return C::from_state(std::move(state)..., params_in<C>(p), std::move(names));
    });
}

}  // namespace reprep_py

// After the helpers above, which it uses.
#include "accumulator.hpp"

namespace reprep_py {

// ---- the generic binder ---------------------------------------------------------------

template <class C>
void bind_component(py::module_& m) {
    py::class_<C> cls(m, Kind<C>::name);
    // Where C++ has an inverse (over the fitted columns, in feature_names_out() order).
    if constexpr (requires(const C& c, const Matrix<double>& M) { c.inverse_transform(M); })
        cls.def("inverse_transform_matrix",
                [](const C& c, const py::array_t<double, py::array::f_style | py::array::forcecast>& a) {
                    const Matrix<double> M = to_matrix(a);
                    Matrix<double> out;
                    {
                        py::gil_scoped_release release;
                        out = c.inverse_transform(M);
                    }
                    return from_matrix(out);
                });
    // The categorical kinds whose C++ inverse reads a Table (OneHotEncoder, OrdinalEncoder):
    // the output columns in, the input columns appended (python/reprep/_base.py reorders).
    if constexpr (requires(const C& c, const Table& t) { c.inverse_transform(t); })
        cls.def("inverse_transform_table", [](const C& c, const Table& t) { return c.inverse_transform(t); },
                py::call_guard<py::gil_scoped_release>());
    // Supervised kinds: fit(X, y); and fit_transform(X, y) where C++ has one, which
    // cross-fits (DESIGN §1.4), so it is not fit(X, y).transform(X).
    constexpr bool supervised = requires(const C& c) { c.needs_target(); };
    // Every categorical kind has fit(X, y) (OrdinalEncoder needs y under order="ordered";
    // the others check y and ignore it), so Python decides when to pass y.
    if constexpr (requires(C& c, const Table& t, std::span<const double> y) { c.fit(t, y); }) {
        cls.def("fit_y", [](C& c, const Table& t, const F64Array& y) {
            const auto v = target_of(y);
            py::gil_scoped_release release;
            c.fit(t, std::span<const double>(v));
        });
    }
    // reprep.dask.fit(est, ddf, y=...): the target fit with the shards' accumulators combined
    // by a Python callable; and TargetEncoder's out-of-fold fit_transform the same way.
    if constexpr (supervised && TargetAccumulated<C>)
        cls.def("fit_combined_y", [](C& c, const Table& t, const F64Array& y, const py::function& combine) {
            const auto v = target_of(y);
            fit_combined_y(c, t, std::span<const double>(v), combine);
        });
    if constexpr (std::is_same_v<C, TargetEncoder>)
        cls.def("fit_transform_combined", [](C& c, const Table& t, const F64Array& y, const py::function& combine) {
            const auto v = target_of(y);
            return fit_transform_combined(c, t, std::span<const double>(v), combine);
        });
    if constexpr (requires(C& c, const Table& t, std::span<const double> y) { c.fit_transform(t, y); })
        cls.def("fit_transform_y", [](C& c, const Table& t, const F64Array& y) {
            const auto v = target_of(y);
            py::gil_scoped_release release;
            return c.fit_transform(t, std::span<const double>(v));
        });
    // partial_fit and accumulators (python/reprep/_base.py): every kind with a C++
    // Accumulator, numeric or Table (accumulator.hpp).
    bind_accumulator(cls);
    // NumPy in, NumPy out without a Table (array_path.hpp): an F-order float64 array is
    // read in place, any other layout or float32 in cache-sized blocks of rows.
    if constexpr (requires(const C& c, const Matrix<double>& X, Matrix<double>& O) {
                      c.transform_into(X, O, TransformOptions{});
                  })
        cls.def(
            "transform_array", [](const C& c, const py::array& a, int n_jobs) { return transform_array(c, a, n_jobs); },
            py::arg("array"), py::arg("n_jobs") = 1);
    if constexpr (requires(py::class_<C>& k) { Kind<C>::extra(k); }) Kind<C>::extra(cls);
    cls.def(py::init([](const py::dict& params) { return C(params_in<C>(params)); }), py::arg("params"))
        // The GIL is released around the C++ work: a fit or transform of another thread
        // runs meanwhile (C++ transform is const and thread-safe).
        // n_jobs: C++ FitOptions, for the kinds whose fit merges exact accumulators (the
        // same bits for any count); the others fit on the calling thread.
        .def("fit",
             [](C& c, const Table& t, int n_jobs) {
                 if constexpr (requires { c.fit(t, FitOptions{}); }) c.fit(t, FitOptions{.n_jobs = n_jobs});
                 else c.fit(t);
             },
             py::arg("table"), py::arg("n_jobs") = 1, py::call_guard<py::gil_scoped_release>())
        // reprep.dask: the chunked fit with its passes combined by a Python callable.
        .def("fit_combined", [](C& c, const Table& t, const py::function& combine) { fit_combined(c, t, combine); })
        // n_jobs: C++ TransformOptions (row blocks on threads, the same bits for any count);
        // kinds whose transform takes no options run on the calling thread.
        .def("transform",
             [](const C& c, const Table& t, int n_jobs) {
                 if constexpr (requires { c.transform(t, TransformOptions{}); })
                     return c.transform(t, TransformOptions{.n_jobs = n_jobs});
                 else
                     return c.transform(t);
             },
             py::arg("table"), py::arg("n_jobs") = 1, py::call_guard<py::gil_scoped_release>())
        .def("is_fitted", &C::is_fitted)
        .def("feature_names_in", [](const C& c) { return c.feature_names_in(); })
        .def("feature_names_out", [](const C& c) { return c.feature_names_out(); })
        // The columns transform(t) returns when t has `input` columns: those the component
        // reads are replaced by its outputs, the others pass through (as in a Pipeline).
        .def("output_columns",
             [](const C& c, std::vector<std::string> input) {
                 detail::apply_columns(input, c.feature_names_in(), c.feature_names_out());
                 return input;
             })
        .def("state", [](const C& c) {
            if constexpr (requires { Kind<C>::state(c); }) return Kind<C>::state(c);
            else return py::dict();
        })
        .def("params", [](const C& c) { return params_out<C>(c.params()); })
        .def_property_readonly_static("default_params", [](py::object) { return params_out<C>({}); })
        .def_property_readonly_static("supervised", [](py::object) { return supervised; })
        .def("save_bytes", [](const C& c) { return py::bytes(save_bytes(c)); })
        .def_static("load_bytes", [](const py::bytes& b) { return load_bytes<C>(std::string_view(b)); })
        .def("fingerprint", [](const C& c) { return fingerprint(c); })
        .def("add_to", [](const C& c, Pipeline& p, std::string step) { p.add(std::move(step), c); })
        // The fitted component behind a step of a fitted pipeline (a copy).
        .def_static("from_pipeline", [](const Pipeline& p, const std::string& step) { return p.step<C>(step); })
        .def_property_readonly_static("kind", [](py::object) { return std::string(C::kind_name()); });
}

// A per-column list under the fitted column names: feature-engine's dict attributes
// (imputer_dict_, binner_dict_, ...).
template <class F>
py::dict per_column(const std::vector<std::string>& names, F&& value_of) {
    py::dict d;
    for (std::size_t j = 0; j < names.size(); ++j) d[py::str(names[j])] = value_of(j);
    return d;
}

// The families, one unit each (they compile in parallel).
void bind_scale(py::module_& m);
void bind_impute(py::module_& m);
void bind_transform(py::module_& m);
void bind_encode(py::module_& m);
void bind_row_plan(py::module_& m);
void bind_select(py::module_& m);
void bind_create(py::module_& m);
void bind_datetime(py::module_& m);

}  // namespace reprep_py
