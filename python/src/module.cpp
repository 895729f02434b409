// reprep._reprep: the pybind11 door onto the C++ library (docs/python.md).
//
// It holds no numerics: every fit, transform, save and fingerprint is the C++ code path
// a C++ caller runs, so a fit from Python and one from C++ give the same artifact bytes.
// The Python package (python/reprep/) adds scikit-learn's conventions on top.
//
// This unit binds tables, the Pipeline and the errors; the component kinds are bound by
// one unit per family (kinds_*.cpp) through binding.hpp.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <reprep/compose/inspect.hpp>
#include <reprep/compose/pipeline.hpp>
#include <reprep/core/csv_read.hpp>
#include <reprep/model_selection/train_test_split.hpp>

#include "binding.hpp"

namespace reprep_py {
namespace {

// ---- tables -------------------------------------------------------------------------

// The columns of a 2-D float64 or float32 array of any layout (C, Fortran, a strided
// view), read in place through its strides: one copy into the Table's columns, with no
// transposed or float64 temporary, and float32 widened exactly on the way.
template <class S>
void add_array_columns(Table& t, const std::vector<std::string>& names, const py::array_t<S>& a) {
    const auto r = a.template unchecked<2>();
    std::vector<std::vector<double>> cols(names.size(), std::vector<double>(static_cast<std::size_t>(r.shape(0))));
    {
        py::gil_scoped_release release;
        // Row by row, so a C-order array is read in its memory order.
        for (py::ssize_t i = 0; i < r.shape(0); ++i)
            for (std::size_t j = 0; j < cols.size(); ++j) cols[j][static_cast<std::size_t>(i)] = r(i, static_cast<py::ssize_t>(j));
    }
    for (std::size_t j = 0; j < cols.size(); ++j) t.add_numeric(names[j], std::move(cols[j]));
}

// The numeric columns of a Table as one float64 array. When they are one block a
// component wrote (Table::numeric_block: one buffer, a constant stride), the array is a
// view of it, kept alive by a copy of the Table (which copies column pointers, not
// values): a transform's output reaches NumPy without being copied. Otherwise each
// column is copied into an F-order array. A categorical column is a SchemaError.
py::array table_to_numpy(const Table& t) {
    const auto names = t.column_names();
    const auto rows = static_cast<py::ssize_t>(t.num_rows());
    const auto cols = static_cast<py::ssize_t>(names.size());
    if (const auto view = t.numeric_block(names)) {
        auto* keep = new Table(t);
        const py::capsule owner(keep, [](void* p) { delete static_cast<Table*>(p); });
        const auto d = static_cast<py::ssize_t>(sizeof(double));
        // The block is the Table's immutable storage to C++; the only Table left holding
        // it is `keep`, so NumPy may have it writeable, as transform's result should be.
        return py::array(py::dtype::of<double>(), {rows, cols}, {d, d * static_cast<py::ssize_t>(view->outerStride())},
                         const_cast<double*>(view->data()), owner);
    }
    for (const auto& n : names) (void)t.numeric(n);  // SchemaError names a non-numeric column
    py::array_t<double, py::array::f_style> out({rows, cols});
    double* dst = out.mutable_data();
    py::gil_scoped_release release;
    for (std::size_t j = 0; j < names.size(); ++j) {
        const auto v = t.numeric(names[j]);
        std::copy(v.begin(), v.end(), dst + j * v.size());
    }
    return out;
}

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
        .def("add_array_columns",
             [](Table& t, const std::vector<std::string>& names, const py::array& a) {
                 if (a.ndim() != 2 || static_cast<std::size_t>(a.shape(1)) != names.size())
                     detail::fail<InvalidInput>({.component = "Table", .problem = "expected a 2-D array, one column per name",
                                                 .fix = "pass X.reshape(-1, 1) for a single feature"});
                 if (py::isinstance<py::array_t<float>>(a)) add_array_columns<float>(t, names, a);
                 else add_array_columns<double>(t, names, py::array_t<double, py::array::forcecast>(a));
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
        // int64 nanoseconds since the Unix epoch, UTC, INT64_MIN = NaT: the bits of
        // pandas' datetime64[ns] (python/reprep/_table.py views them, no per-row work).
        .def("add_datetime",
             [](Table& t, std::string name,
                const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& nanos) {
                 if (nanos.ndim() != 1)
                     detail::fail<InvalidInput>({.component = "Table", .problem = "a column must be 1-D",
                                                 .fix = "pass one 1-D array per column", .column = name});
                 t.add_datetime(std::move(name), std::vector<std::int64_t>(nanos.data(), nanos.data() + nanos.size()));
             })
        .def("num_rows", &Table::num_rows)
        .def("column_names", [](const Table& t) { return t.column_names(); })
        .def("is_numeric", [](const Table& t, std::string_view n) { return t.type(n) == ColumnType::numeric; })
        .def("column_type", [](const Table& t, std::string_view n) { return std::string(to_string(t.type(n))); })
        .def("datetime", [](const Table& t, std::string_view n) {
            const auto v = t.datetime(n);
            py::array_t<std::int64_t> a(static_cast<py::ssize_t>(v.size()));
            std::copy(v.begin(), v.end(), a.mutable_data());
            return a;
        })
        .def("numeric", [](const Table& t, std::string_view n) {
            const auto v = t.numeric(n);
            py::array_t<double> a(static_cast<py::ssize_t>(v.size()));
            std::copy(v.begin(), v.end(), a.mutable_data());
            return a;
        })
        .def("categorical", [](const Table& t, std::string_view n) {
            const auto& c = t.categorical(n);
            py::array_t<std::int32_t> codes(static_cast<py::ssize_t>(c.codes.size()));
            std::copy(c.codes.begin(), c.codes.end(), codes.mutable_data());
            return py::make_tuple(c.dictionary, codes);
        })
        // The float64 matrix of the numeric columns (table_to_numpy; SchemaError names a categorical one).
        .def("to_numpy", &table_to_numpy)
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
        // n_jobs: FitOptions (each step whose statistics merge exactly fits on threads; the
        // same bytes for any count).
        .def("fit", [](Pipeline& p, const Table& t, int n_jobs) { p.fit(t, FitOptions{.n_jobs = n_jobs}); },
             py::arg("table"), py::arg("n_jobs") = 1, py::call_guard<py::gil_scoped_release>())
        .def("fit_combined", [](Pipeline& p, const Table& t, const py::function& combine) { fit_combined(p, t, combine); })
        .def("fit_y", [](Pipeline& p, const Table& t, const F64Array& y) {
            const auto v = target_of(y);
            py::gil_scoped_release release;
            p.fit(t, std::span<const double>(v));
        })
        // Steps fitted with a target give their cross-fitted output here (C++ fit_transform).
        .def("fit_transform_y", [](Pipeline& p, const Table& t, const F64Array& y) {
            const auto v = target_of(y);
            py::gil_scoped_release release;
            return p.fit_transform(t, std::span<const double>(v));
        })
        .def("transform", [](const Pipeline& p, const Table& t, int n_jobs) { return p.transform(t, {.n_jobs = n_jobs}); },
             py::arg("table"), py::arg("n_jobs") = 1,
             py::call_guard<py::gil_scoped_release>())
        .def("is_fitted", &Pipeline::is_fitted)
        .def("assume_fitted", [](Pipeline& p) { p.assume_fitted(); })
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
}  // namespace reprep_py

PYBIND11_MODULE(_reprep, m) {
    using namespace reprep_py;
    m.doc() = "reprep's C++ core; use the reprep package, not this module";
    py::register_exception_translator(&translate);
    bind_table(m);
    bind_pipeline(m);
    bind_row_plan(m);
    bind_scale(m);
    bind_impute(m);
    bind_transform(m);
    bind_encode(m);
    bind_select(m);
    bind_create(m);
    bind_datetime(m);
    m.def("describe_artifact", [](const py::bytes& b) { return describe_artifact(std::string_view(b)); });
    m.def("artifact_kind", [](const py::bytes& b) { return read_artifact_header(std::string_view(b)).kind; });
}
