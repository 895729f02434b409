// reprep._reprep: the pybind11 door onto the C++ library (docs/python.md).
//
// It holds no numerics: every fit, transform, save and fingerprint is the C++ code path
// a C++ caller runs, so a fit from Python and one from C++ give the same artifact bytes.
// The Python package (python/reprep/) adds scikit-learn's conventions on top.
//
// Each component kind is bound by one template, bind_component<C>, from three small
// per-kind functions (Kind<C>): make (Python keyword arguments -> C++ Params), params
// (the reverse, so that a loaded artifact gives an estimator with its get_params()) and
// state (the fitted state under scikit-learn's attribute names). Adding a kind is
// writing those three and one line in PYBIND11_MODULE (and a class in _estimators.py).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <reprep/compose/inspect.hpp>
#include <reprep/compose/pipeline.hpp>
#include <reprep/core/csv_read.hpp>
#include <reprep/encode/one_hot_encoder.hpp>
#include <reprep/encode/ordinal_encoder.hpp>
#include <reprep/impute/categorical_imputer.hpp>
#include <reprep/model_selection/train_test_split.hpp>
#include <reprep/impute/simple_imputer.hpp>
#include <reprep/outliers/winsorizer.hpp>
#include <reprep/scale/max_abs_scaler.hpp>
#include <reprep/scale/min_max_scaler.hpp>
#include <reprep/scale/robust_scaler.hpp>
#include <reprep/scale/standard_scaler.hpp>

namespace py = pybind11;
using namespace reprep;

namespace {

using F64Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

py::array_t<double> to_array(const std::vector<double>& v) {
    py::array_t<double> a(static_cast<py::ssize_t>(v.size()));
    std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
}

// ---- parameters: Python keyword values -> C++ Params fields -----------------------

[[noreturn]] void bad_param(const char* component, const std::string& name, const std::string& problem,
                            const std::string& fix) {
    detail::fail<InvalidParameter>({.component = component, .problem = problem, .fix = fix, .parameter = name});
}

// The string values scikit-learn uses for an option, mapped to the C++ enum; anything
// else is refused with the list of accepted values.
template <class E>
E parse_enum(const char* component, const py::dict& p, const char* name, E dflt,
             std::initializer_list<std::pair<const char*, E>> choices) {
    if (!p.contains(name) || p[name].is_none()) return dflt;
    std::string list;
    if (py::isinstance<py::str>(p[name])) {
        const auto v = p[name].cast<std::string>();
        for (const auto& [s, e] : choices)
            if (v == s) return e;
    }
    for (const auto& [s, e] : choices) list += (list.empty() ? "'" : ", '") + std::string(s) + "'";
    bad_param(component, name, "got " + py::repr(p[name]).cast<std::string>(), "use one of " + list);
}

// The scikit-learn string of an enum value (the inverse of parse_enum's table).
template <class E>
py::object enum_name(E v, std::initializer_list<std::pair<const char*, E>> choices) {
    for (const auto& [s, e] : choices)
        if (e == v) return py::str(s);
    return py::none();
}

template <class T>
T get(const char* component, const py::dict& p, const char* name, T dflt) {
    if (!p.contains(name) || p[name].is_none()) return dflt;
    try {
        return p[name].cast<T>();
    } catch (const py::cast_error&) {
        bad_param(component, name, "got " + py::repr(p[name]).cast<std::string>() + ", of the wrong type",
                  "pass a value of the documented type");
    }
}

std::vector<std::string> columns_of(const char* component, const py::dict& p) {
    return get<std::vector<std::string>>(component, p, "columns", {});
}
// columns=None in Python is the empty list of C++ (every applicable column).
py::object columns_out(const std::vector<std::string>& c) { return c.empty() ? py::object(py::none()) : py::object(py::cast(c)); }

// scikit-learn's categories_ of an encoder (OneHotEncoder, OrdinalEncoder): one list per
// input column, in the encoder's category order, with a trailing None where missing was
// learnt as a category (scikit-learn shows np.nan there).
template <class E>
py::dict categories_state(const E& s) {
    py::list cats;
    for (const auto& name : s.feature_names_in()) {
        py::list col;
        for (const auto& v : s.categories(name)) col.append(py::str(v));
        if (s.has_missing_category(name)) col.append(py::none());
        cats.append(col);
    }
    py::dict d;
    d["categories_"] = cats;
    return d;
}

// ---- per-kind pieces ----------------------------------------------------------------

template <class C>
struct Kind;

template <>
struct Kind<StandardScaler<>> {
    static StandardScaler<> make(const py::dict& p) {
        constexpr const char* c = "StandardScaler";
        return StandardScaler<>({.columns = columns_of(c, p),
                                 .with_mean = get<bool>(c, p, "with_mean", true),
                                 .with_std = get<bool>(c, p, "with_std", true)});
    }
    static py::dict params(const StandardScaler<>& s) {
        const auto& p = s.params();
        return py::dict(py::arg("columns") = columns_out(p.columns), py::arg("with_mean") = p.with_mean,
                        py::arg("with_std") = p.with_std);
    }
    static py::dict state(const StandardScaler<>& s) {
        py::dict d;
        d["mean_"] = to_array(s.mean());
        d["var_"] = to_array(s.var());
        d["scale_"] = to_array(s.scale());
        d["n_samples_seen_"] = to_array(s.n_samples_seen());
        return d;
    }
};

template <>
struct Kind<MinMaxScaler<>> {
    static MinMaxScaler<> make(const py::dict& p) {
        constexpr const char* c = "MinMaxScaler";
        return MinMaxScaler<>({.columns = columns_of(c, p),
                               .feature_range = get<std::array<double, 2>>(c, p, "feature_range", {0.0, 1.0}),
                               .clip = get<bool>(c, p, "clip", false)});
    }
    static py::dict params(const MinMaxScaler<>& s) {
        const auto& p = s.params();
        return py::dict(py::arg("columns") = columns_out(p.columns),
                        py::arg("feature_range") = py::make_tuple(p.feature_range[0], p.feature_range[1]),
                        py::arg("clip") = p.clip);
    }
    static py::dict state(const MinMaxScaler<>& s) {
        py::dict d;
        d["data_min_"] = to_array(s.data_min());
        d["data_max_"] = to_array(s.data_max());
        d["data_range_"] = to_array(s.data_range());
        d["scale_"] = to_array(s.scale());
        d["min_"] = to_array(s.min());
        return d;
    }
};

template <>
struct Kind<MaxAbsScaler<>> {
    static MaxAbsScaler<> make(const py::dict& p) { return MaxAbsScaler<>({.columns = columns_of("MaxAbsScaler", p)}); }
    static py::dict params(const MaxAbsScaler<>& s) { return py::dict(py::arg("columns") = columns_out(s.params().columns)); }
    static py::dict state(const MaxAbsScaler<>& s) {
        py::dict d;
        d["max_abs_"] = to_array(s.max_abs());
        d["scale_"] = to_array(s.scale());
        return d;
    }
};

template <>
struct Kind<RobustScaler<>> {
    static RobustScaler<> make(const py::dict& p) {
        constexpr const char* c = "RobustScaler";
        return RobustScaler<>({.columns = columns_of(c, p),
                               .with_centering = get<bool>(c, p, "with_centering", true),
                               .with_scaling = get<bool>(c, p, "with_scaling", true),
                               .quantile_range = get<std::array<double, 2>>(c, p, "quantile_range", {25.0, 75.0}),
                               .unit_variance = get<bool>(c, p, "unit_variance", false)});
    }
    static py::dict params(const RobustScaler<>& s) {
        const auto& p = s.params();
        return py::dict(py::arg("columns") = columns_out(p.columns), py::arg("with_centering") = p.with_centering,
                        py::arg("with_scaling") = p.with_scaling,
                        py::arg("quantile_range") = py::make_tuple(p.quantile_range[0], p.quantile_range[1]),
                        py::arg("unit_variance") = p.unit_variance);
    }
    // scikit-learn's center_ / scale_ are None when the step is disabled; C++ leaves them empty.
    static py::dict state(const RobustScaler<>& s) {
        py::dict d;
        d["center_"] = s.params().with_centering ? py::object(to_array(s.center())) : py::object(py::none());
        d["scale_"] = s.params().with_scaling ? py::object(to_array(s.scale())) : py::object(py::none());
        return d;
    }
};

template <>
struct Kind<Winsorizer<>> {
    static constexpr std::initializer_list<std::pair<const char*, CappingMethod>> methods = {
        {"gaussian", CappingMethod::gaussian}, {"iqr", CappingMethod::iqr}, {"quantiles", CappingMethod::quantiles}};
    static constexpr std::initializer_list<std::pair<const char*, Tail>> tails = {
        {"right", Tail::right}, {"left", Tail::left}, {"both", Tail::both}};
    static Winsorizer<> make(const py::dict& p) {
        constexpr const char* c = "Winsorizer";
        return Winsorizer<>({.columns = columns_of(c, p),
                             .capping_method = parse_enum(c, p, "capping_method", CappingMethod::gaussian, methods),
                             .tail = parse_enum(c, p, "tail", Tail::right, tails),
                             .fold = get<std::optional<double>>(c, p, "fold", std::nullopt)});
    }
    static py::dict params(const Winsorizer<>& s) {
        const auto& p = s.params();
        py::dict d(py::arg("columns") = columns_out(p.columns), py::arg("capping_method") = enum_name(p.capping_method, methods),
                   py::arg("tail") = enum_name(p.tail, tails));
        d["fold"] = p.fold ? py::object(py::float_(*p.fold)) : py::none();
        return d;
    }
    // feature-engine's names; a tail that is not capped has an empty array.
    static py::dict state(const Winsorizer<>& s) {
        py::dict d;
        d["right_tail_caps_"] = to_array(s.right_tail_caps());
        d["left_tail_caps_"] = to_array(s.left_tail_caps());
        return d;
    }
};

template <>
struct Kind<SimpleImputer<>> {
    static constexpr std::initializer_list<std::pair<const char*, ImputeStrategy>> strategies = {
        {"mean", ImputeStrategy::mean}, {"median", ImputeStrategy::median},
        {"most_frequent", ImputeStrategy::most_frequent}, {"constant", ImputeStrategy::constant}};
    static SimpleImputer<> make(const py::dict& p) {
        constexpr const char* c = "SimpleImputer";
        return SimpleImputer<>({.columns = columns_of(c, p),
                                .strategy = parse_enum(c, p, "strategy", ImputeStrategy::mean, strategies),
                                .fill_value = get<double>(c, p, "fill_value", 0.0),
                                .add_indicator = get<bool>(c, p, "add_indicator", false),
                                .keep_empty_features = get<bool>(c, p, "keep_empty_features", false)});
    }
    static py::dict params(const SimpleImputer<>& s) {
        const auto& p = s.params();
        return py::dict(py::arg("columns") = columns_out(p.columns),
                        py::arg("strategy") = enum_name(p.strategy, strategies),
                        py::arg("fill_value") = p.fill_value, py::arg("add_indicator") = p.add_indicator,
                        py::arg("keep_empty_features") = p.keep_empty_features);
    }
    static py::dict state(const SimpleImputer<>& s) {
        py::dict d;
        d["statistics_"] = to_array(s.statistics());
        return d;
    }
};

template <>
struct Kind<OneHotEncoder> {
    // drop=None is OneHotDrop::none (parse_enum's default for None).
    static constexpr std::initializer_list<std::pair<const char*, OneHotDrop>> drops = {
        {"first", OneHotDrop::first}, {"if_binary", OneHotDrop::if_binary}};
    static constexpr std::initializer_list<std::pair<const char*, HandleUnknown>> unknowns = {
        {"error", HandleUnknown::error}, {"ignore", HandleUnknown::ignore},
        {"infrequent_if_exist", HandleUnknown::infrequent_if_exist}};
    static constexpr std::initializer_list<std::pair<const char*, HandleMissing>> missings = {
        {"category", HandleMissing::category}, {"error", HandleMissing::error}};
    static OneHotEncoder make(const py::dict& p) {
        constexpr const char* c = "OneHotEncoder";
        return OneHotEncoder({.columns = columns_of(c, p),
                              .drop = parse_enum(c, p, "drop", OneHotDrop::none, drops),
                              .handle_unknown = parse_enum(c, p, "handle_unknown", HandleUnknown::error, unknowns),
                              .min_frequency = get<std::optional<double>>(c, p, "min_frequency", std::nullopt),
                              .max_categories = get<std::optional<std::size_t>>(c, p, "max_categories", std::nullopt),
                              .top_categories = get<std::optional<std::size_t>>(c, p, "top_categories", std::nullopt),
                              .handle_missing = parse_enum(c, p, "handle_missing", HandleMissing::category, missings)});
    }
    static py::dict params(const OneHotEncoder& s) {
        const auto& p = s.params();
        py::dict d(py::arg("columns") = columns_out(p.columns), py::arg("drop") = enum_name(p.drop, drops),
                   py::arg("handle_unknown") = enum_name(p.handle_unknown, unknowns));
        d["min_frequency"] = p.min_frequency ? py::object(py::float_(*p.min_frequency)) : py::none();
        d["max_categories"] = p.max_categories ? py::object(py::int_(*p.max_categories)) : py::none();
        d["top_categories"] = p.top_categories ? py::object(py::int_(*p.top_categories)) : py::none();
        d["handle_missing"] = enum_name(p.handle_missing, missings);
        return d;
    }
    static py::dict state(const OneHotEncoder& s) { return categories_state(s); }
};

template <>
struct Kind<OrdinalEncoder> {
    static constexpr std::initializer_list<std::pair<const char*, CategoryOrder>> orders = {
        {"lexical", CategoryOrder::lexical}, {"frequency", CategoryOrder::frequency},
        {"given", CategoryOrder::given}, {"ordered", CategoryOrder::ordered}};
    static constexpr std::initializer_list<std::pair<const char*, HandleUnknown>> unknowns = {
        {"error", HandleUnknown::error}, {"use_encoded_value", HandleUnknown::use_encoded_value}};
    static OrdinalEncoder make(const py::dict& p) {
        constexpr const char* c = "OrdinalEncoder";
        return OrdinalEncoder({.columns = columns_of(c, p),
                               .order = parse_enum(c, p, "order", CategoryOrder::lexical, orders),
                               .categories = get<std::vector<std::vector<std::string>>>(c, p, "categories", {}),
                               .handle_unknown = parse_enum(c, p, "handle_unknown", HandleUnknown::error, unknowns),
                               .unknown_value = get<std::optional<double>>(c, p, "unknown_value", std::nullopt),
                               .encoded_missing_value = get<double>(c, p, "encoded_missing_value",
                                                                    std::numeric_limits<double>::quiet_NaN())});
    }
    static py::dict params(const OrdinalEncoder& s) {
        const auto& p = s.params();
        py::dict d(py::arg("columns") = columns_out(p.columns), py::arg("order") = enum_name(p.order, orders));
        d["categories"] = p.categories.empty() ? py::object(py::none()) : py::object(py::cast(p.categories));
        d["handle_unknown"] = enum_name(p.handle_unknown, unknowns);
        d["unknown_value"] = p.unknown_value ? py::object(py::float_(*p.unknown_value)) : py::none();
        d["encoded_missing_value"] = p.encoded_missing_value;
        return d;
    }
    // categories_ as scikit-learn's: code order, None last where missing was seen in fit.
    static py::dict state(const OrdinalEncoder& s) { return categories_state(s); }
};

template <>
struct Kind<CategoricalImputer> {
    static constexpr std::initializer_list<std::pair<const char*, ImputationMethod>> methods = {
        {"missing", ImputationMethod::missing}, {"frequent", ImputationMethod::frequent}};
    static CategoricalImputer make(const py::dict& p) {
        constexpr const char* c = "CategoricalImputer";
        return CategoricalImputer({.columns = columns_of(c, p),
                                   .imputation_method = parse_enum(c, p, "imputation_method", ImputationMethod::missing, methods),
                                   .fill_value = get<std::string>(c, p, "fill_value", "Missing")});
    }
    static py::dict params(const CategoricalImputer& s) {
        const auto& p = s.params();
        return py::dict(py::arg("columns") = columns_out(p.columns),
                        py::arg("imputation_method") = enum_name(p.imputation_method, methods),
                        py::arg("fill_value") = p.fill_value);
    }
    static py::dict state(const CategoricalImputer& s) {
        py::dict fills;
        for (const auto& name : s.feature_names_in()) fills[py::str(name)] = py::str(s.fill_value(name));
        py::dict d;
        d["imputer_dict_"] = fills;
        return d;
    }
};

// ---- the generic binder ---------------------------------------------------------------

// A 2-D float64 array as the column-major matrix the kernels read (one copy: NumPy's
// default layout is row-major).
Matrix<double> to_matrix(const py::array_t<double, py::array::f_style | py::array::forcecast>& a) {
    if (a.ndim() != 2)
        detail::fail<InvalidInput>({.component = "inverse_transform", .problem = "expected a 2-D array",
                                    .fix = "pass the output of transform"});
    return Eigen::Map<const Matrix<double>>(a.data(), a.shape(0), a.shape(1));
}

py::array_t<double> from_matrix(const Matrix<double>& M) {
    py::array_t<double> a({static_cast<py::ssize_t>(M.rows()), static_cast<py::ssize_t>(M.cols())});
    auto w = a.mutable_unchecked<2>();
    for (Eigen::Index i = 0; i < M.rows(); ++i)
        for (Eigen::Index j = 0; j < M.cols(); ++j) w(i, j) = M(i, j);
    return a;
}

template <class C>
void bind_component(py::module_& m, const char* name) {
    py::class_<C> cls(m, name);
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
    cls
        .def(py::init([](const py::dict& params) { return Kind<C>::make(params); }), py::arg("params"))
        // The GIL is released around the C++ work: a fit or transform of another thread
        // runs meanwhile (C++ transform is const and thread-safe).
        .def("fit", [](C& c, const Table& t) { c.fit(t); }, py::call_guard<py::gil_scoped_release>())
        .def("transform", [](const C& c, const Table& t) { return c.transform(t); },
             py::call_guard<py::gil_scoped_release>())
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
        .def("state", [](const C& c) { return Kind<C>::state(c); })
        .def("params", [](const C& c) { return Kind<C>::params(c); })
        .def("save_bytes", [](const C& c) { return py::bytes(save_bytes(c)); })
        .def_static("load_bytes", [](const py::bytes& b) { return load_bytes<C>(std::string_view(b)); })
        .def("fingerprint", [](const C& c) { return fingerprint(c); })
        .def("add_to", [](const C& c, Pipeline& p, std::string step) { p.add(std::move(step), c); })
        // The fitted component behind a step of a fitted pipeline (a copy).
        .def_static("from_pipeline", [](const Pipeline& p, const std::string& step) { return p.step<C>(step); })
        .def_property_readonly_static("kind", [](py::object) { return std::string(C::kind_name()); });
}

// ---- tables -------------------------------------------------------------------------

void bind_table(py::module_& m) {
    py::class_<Table>(m, "Table")
        .def(py::init<>())
        .def("add_numeric",
             [](Table& t, std::string name, const F64Array& values) {
                 if (values.ndim() != 1)
                     detail::fail<InvalidInput>({.component = "Table", .problem = "a column must be 1-D",
                                                 .fix = "pass one 1-D array per column", .column = name});
                 t.add_numeric(std::move(name), std::vector<double>(values.data(), values.data() + values.size()));
             })
        // Dictionary-encoded, as pandas' category codes and factorize() give them:
        // dictionary[code], code -1 = missing. Table validates codes and distinctness.
        .def("add_categorical",
             [](Table& t, std::string name, std::vector<std::string> dictionary,
                const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& codes) {
                 if (codes.ndim() != 1)
                     detail::fail<InvalidInput>({.component = "Table", .problem = "codes must be 1-D",
                                                 .fix = "pass one 1-D array per column", .column = name});
                 t.add_categorical(std::move(name),
                                   CategoricalColumn{std::move(dictionary),
                                                     std::vector<std::int32_t>(codes.data(), codes.data() + codes.size())});
             })
        .def("num_rows", &Table::num_rows)
        .def("column_names", [](const Table& t) { return t.column_names(); })
        .def("is_numeric", [](const Table& t, std::string_view n) { return t.type(n) == ColumnType::numeric; })
        .def("numeric", [](const Table& t, std::string_view n) {
            const auto v = t.numeric(n);
            return to_array(std::vector<double>(v.begin(), v.end()));
        })
        .def("categorical", [](const Table& t, std::string_view n) {
            const auto& c = t.categorical(n);
            py::array_t<std::int32_t> codes(static_cast<py::ssize_t>(c.codes.size()));
            std::copy(c.codes.begin(), c.codes.end(), codes.mutable_data());
            return py::make_tuple(c.dictionary, codes);
        })
        // Row-major float64 matrix of the numeric columns (SchemaError names a categorical one).
        .def("to_numpy", [](const Table& t) { return from_matrix(t.to_matrix<double>()); })
        .def("fingerprint", [](const Table& t) { return t.fingerprint().hex(); })
        .def("__eq__", [](const Table& a, const Table& b) { return a == b; });
    // reprep's portable seeded split (the same rows on every platform and in C++):
    // the row indices of the training and test parts.
    m.def(
        "train_test_split_indices",
        [](const Table& t, double test_size, std::string stratify, std::uint64_t seed, bool shuffle) {
            const Split s = train_test_split_indices(
                t, {.test_size = test_size, .shuffle = shuffle, .stratify = std::move(stratify), .seed = seed});
            return py::make_tuple(s.train, s.test);
        },
        py::arg("table"), py::arg("test_size"), py::arg("stratify"), py::arg("seed"), py::arg("shuffle"));
    m.def("read_csv", [](const std::string& path) { return read_csv(path); }, py::arg("path"),
          "reprep::read_csv with its defaults (NA, empty and NaN are missing).");
}

void bind_pipeline(py::module_& m) {
    py::class_<Pipeline>(m, "Pipeline")
        .def(py::init<>())
        .def("fit", [](Pipeline& p, const Table& t) { p.fit(t); }, py::call_guard<py::gil_scoped_release>())
        .def("transform", [](const Pipeline& p, const Table& t) { return p.transform(t); },
             py::call_guard<py::gil_scoped_release>())
        .def("is_fitted", &Pipeline::is_fitted)
        .def("set_seed", &Pipeline::set_seed)
        .def("set_metadata", [](Pipeline& p, std::string k, std::string v) { p.set_metadata(std::move(k), std::move(v)); })
        .def("step_names", [](const Pipeline& p) { return p.step_names(); })
        .def("step_kind", [](const Pipeline& p, std::size_t i) { return std::string(p.step_kind(i)); })
        .def("feature_names_out", [](const Pipeline& p) { return p.feature_names_out(); })
        .def("output_columns", [](const Pipeline& p, std::vector<std::string> input) { return p.output_columns(std::move(input)); })
        .def("feature_names_in", [](const Pipeline& p) {
            std::vector<std::string> n;
            for (const auto& c : p.input_schema()) n.push_back(c.name);
            return n;
        })
        .def("save_bytes", [](const Pipeline& p) { return py::bytes(save_bytes(p)); })
        .def_static("load_bytes", [](const py::bytes& b) { return load_pipeline_bytes(std::string_view(b)); })
        .def("fingerprint", [](const Pipeline& p) { return fingerprint(p); });
}

// C++ error -> the Python class of the same name in reprep._errors (defined in Python
// so that they can derive from ValueError and sklearn's NotFittedError).
void translate(std::exception_ptr p) {
    auto raise = [](const char* cls, const std::exception& e) {
        const py::object t = py::module_::import("reprep._errors").attr(cls);
        PyErr_SetString(t.ptr(), e.what());
    };
    try {
        if (p) std::rethrow_exception(p);
    } catch (const NotFitted& e) { raise("NotFitted", e);
    } catch (const SchemaError& e) { raise("SchemaError", e);
    } catch (const UnknownCategory& e) { raise("UnknownCategory", e);
    } catch (const InvalidInput& e) { raise("InvalidInput", e);
    } catch (const InvalidParameter& e) { raise("InvalidParameter", e);
    } catch (const FormatError& e) { raise("FormatError", e);
    } catch (const EnvironmentError& e) { raise("EnvironmentError", e);
    } catch (const IoError& e) { raise("IoError", e);
    } catch (const Error& e) { raise("ReprepError", e);
    }
}

}  // namespace

PYBIND11_MODULE(_reprep, m) {
    m.doc() = "reprep's C++ core; use the reprep package, not this module";
    py::register_exception_translator(&translate);
    bind_table(m);
    bind_pipeline(m);
    // The kinds reachable from Python: one line each.
    bind_component<StandardScaler<>>(m, "StandardScaler");
    bind_component<MinMaxScaler<>>(m, "MinMaxScaler");
    bind_component<MaxAbsScaler<>>(m, "MaxAbsScaler");
    bind_component<RobustScaler<>>(m, "RobustScaler");
    bind_component<SimpleImputer<>>(m, "SimpleImputer");
    bind_component<Winsorizer<>>(m, "Winsorizer");
    bind_component<OneHotEncoder>(m, "OneHotEncoder");
    bind_component<OrdinalEncoder>(m, "OrdinalEncoder");
    bind_component<CategoricalImputer>(m, "CategoricalImputer");
    m.def("describe_artifact", [](const py::bytes& b) { return describe_artifact(std::string_view(b)); });
    m.def("artifact_kind", [](const py::bytes& b) { return read_artifact_header(std::string_view(b)).kind; });
}
