// reprep._reprep.RowPlan: a fitted Pipeline's single-row path from Python (C++
// compose/row_plan.hpp; docs/python.md, "One row at a time").
//
//   plan = pipe.row_plan()                  # compiled once; cheap to keep per thread
//   plan.input_names                        # the record's order: the pipeline's input schema
//   y = plan.run(("Adelie", "Torgersen", 39.1, 18.7, 181.0, 3750.0, "male"))   # float64 array
//   plan.run(record, out)                   # into a float64 array of n_outputs: no allocation
//   plan.run_values(record)                 # a list, for pipelines with non-numeric outputs
//
// A record value is read by its column's type in the input schema, not by its Python
// type: a numeric column takes a float or an int (None or NaN: missing); a categorical
// one a str (None or NaN: missing); a datetime one int nanoseconds since the epoch, UTC,
// or a pandas Timestamp (None or NaT: missing). Strings are read in place (their UTF-8),
// never copied. A value of another cell type (a str for a number, a number for a
// string, ...) is passed on as that type, so that C++ RowPlan::run refuses it with its
// own SchemaError, as it does for a C++ caller; so is an `out` of the wrong length. The GIL stays held: one call is well under a microsecond of C++ work,
// less than releasing and taking the GIL back would cost, and holding it serialises the
// threads that share one plan (whose scratch space is its own).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "binding.hpp"

namespace reprep_py {
namespace {

class PyRowPlan {
public:
    explicit PyRowPlan(const Pipeline& p) : plan_(p.compile()), schema_(p.input_schema()) {
        record_.resize(schema_.size());
        cells_.resize(plan_.n_outputs());
        for (const auto& c : schema_) input_names_.push_back(c.name);
    }

    const std::vector<std::string>& input_names() const { return input_names_; }
    const std::vector<std::string>& output_names() const { return plan_.output_names(); }
    std::size_t n_outputs() const { return plan_.n_outputs(); }

    // run(record) -> a new float64 array; run(record, out) -> out, written in place.
    py::object run(const py::handle& record, const py::object& out) {
        if (out.is_none()) {
            py::array_t<double> fresh(static_cast<py::ssize_t>(plan_.n_outputs()));
            run_numbers(record, fresh.mutable_data(), plan_.n_outputs());
            return fresh;
        }
        run_into(record, out);
        return out;
    }

private:
    void run_into(const py::handle& record, const py::object& target) {
        if (!py::isinstance<py::array>(target))
            detail::fail<InvalidInput>({.component = "RowPlan",
                                        .problem = "out is not a NumPy array",
                                        .fix = "allocate it once with numpy.empty(plan.n_outputs)"});
        auto out = py::reinterpret_borrow<py::array>(target);
        // The layout is Python's to check (a C++ span has none); the length is C++'s.
        const bool fits = out.ndim() == 1 && out.dtype().is(py::dtype::of<double>()) &&
                          (out.shape(0) <= 1 || out.strides(0) == static_cast<py::ssize_t>(sizeof(double))) &&
                          out.writeable();
        if (!fits)
            detail::fail<InvalidInput>({.component = "RowPlan",
                                        .problem = "out must be a writable, contiguous 1-D float64 array of n_outputs (" +
                                                   std::to_string(plan_.n_outputs()) + ") values",
                                        .fix = "allocate it once with numpy.empty(plan.n_outputs)"});
        run_numbers(record, static_cast<double*>(out.mutable_data()), static_cast<std::size_t>(out.shape(0)));
    }

public:
    py::list run_values(const py::handle& record) {
        read(record);
        try {
            plan_.run(record_, std::span<Cell>(cells_));
        } catch (const SchemaError& e) {
            in_python_words(e);
        }
        py::list out(cells_.size());
        for (std::size_t k = 0; k < cells_.size(); ++k) {
            const Cell& c = cells_[k];
            if (c.type == ColumnType::numeric) out[k] = py::float_(c.number);
            else if (c.type == ColumnType::categorical) out[k] = c.text ? py::object(py::str(c.text->data(), c.text->size())) : py::none();
            else out[k] = c.nanos() == kNaT ? py::object(py::none()) : py::object(py::int_(c.nanos()));
        }
        return out;
    }

private:
    // `n` is out's length: RowPlan::run checks it (SchemaError) before it writes anything.
    void run_numbers(const py::handle& record, double* out, std::size_t n) {
        read(record);
        try {
            plan_.run(record_, std::span<double>(out, n));
        } catch (const SchemaError& e) {
            in_python_words(e);
        }
    }

    // RowPlan's own SchemaError, its problem kept, with a fix in Python's names where
    // C++'s names a C++ overload or accessor.
    [[noreturn]] static void in_python_words(const SchemaError& e) {
        ErrorContext ctx = e.context();
        if (ctx.component != "RowPlan") throw;
        if (ctx.problem.rfind("output ", 0) == 0)  // C++ names run(record, std::span<Cell>)
            ctx.fix = "use plan.run_values(record) for pipelines with non-numeric outputs";
        else if (ctx.problem.rfind("the output buffer ", 0) == 0)
            ctx.fix = "pass out of plan.n_outputs values (allocate it once with numpy.empty(plan.n_outputs))";
        else if (const auto at = ctx.fix.find("input_schema()"); at != std::string::npos)
            ctx.fix.replace(at, std::string("input_schema()").size(), "plan.input_names");
        e.rethrow_with(std::move(ctx));
        // Not reached: rethrow_with always throws. GCC takes [[noreturn]] from the
        // declaration, which a virtual call does not carry, and warned that this
        // function returns; should it ever return, the error goes on unchanged.
        throw;
    }

    // A value of no cell type at all (a list, a dict, ...): refused here, as a value of the
    // wrong type (SchemaError, as RowPlan::run refuses a cell of the wrong type).
    [[noreturn]] void bad_value(std::size_t k, const char* wanted) const {
        detail::fail<SchemaError>({.component = "RowPlan",
                                   .problem = "record value " + std::to_string(k) + " is not " + wanted,
                                   .fix = "pass each column with the type it had in fit, in plan.input_names order",
                                   .column = schema_[k].name});
    }
    // A value that has its column's type but cannot be read as a cell (InvalidInput).
    [[noreturn]] void unreadable(std::size_t k, const char* why) const {
        detail::fail<InvalidInput>({.component = "RowPlan",
                                    .problem = "record value " + std::to_string(k) + " is " + why,
                                    .fix = "pass the values in plan.input_names order, each of its column's type",
                                    .column = schema_[k].name});
    }

    // The record's values as cells, by the schema's types. Strings stay in the Python
    // objects, which the caller's record keeps alive for the call.
    void read(const py::handle& record) {
        PyObject* seq = PySequence_Fast(record.ptr(), "a record is a sequence (tuple or list) of values");
        if (!seq) throw py::error_already_set();
        const py::object owner = py::reinterpret_steal<py::object>(seq);
        const auto n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(seq));
        if (n != schema_.size())
            detail::fail<SchemaError>({.component = "RowPlan",
                                       .problem = "the record holds " + std::to_string(n) + " values, the input schema " +
                                                  std::to_string(schema_.size()),
                                       .fix = "pass one value per input_names column, in that order"});
        PyObject** items = PySequence_Fast_ITEMS(seq);
        for (std::size_t k = 0; k < n; ++k) record_[k] = cell(k, items[k]);
    }

    Cell cell(std::size_t k, PyObject* v) const {
        const ColumnType t = schema_[k].type;
        if (t == ColumnType::numeric) {
            if (v == Py_None) return Cell::num(std::nan(""));
            if (PyFloat_CheckExact(v)) return Cell::num(PyFloat_AS_DOUBLE(v));
            if (PyNumber_Check(v)) return number(k, v);
            if (PyUnicode_Check(v)) return text(k, v);  // RowPlan::run refuses
            if (is_timestamp(v)) return timestamp(v);   // these two
            bad_value(k, "a number");
        }
        if (t == ColumnType::categorical) {
            if (PyUnicode_Check(v)) return text(k, v);
            if (v == Py_None || (PyFloat_Check(v) && std::isnan(PyFloat_AS_DOUBLE(v)))) return Cell::missing_cat();
            if (PyNumber_Check(v)) return number(k, v);  // RowPlan::run refuses
            if (is_timestamp(v)) return timestamp(v);    // these two
            bad_value(k, "a string (or None)");
        }
        if (v == Py_None) return Cell::dt(kNaT);
        if (PyLong_Check(v)) {
            int overflow = 0;
            const long long ns = PyLong_AsLongLongAndOverflow(v, &overflow);
            if (overflow || (ns == -1 && PyErr_Occurred())) {
                PyErr_Clear();
                unreadable(k, "int nanoseconds beyond int64");
            }
            return Cell::dt(static_cast<std::int64_t>(ns));
        }
        if (is_timestamp(v)) return timestamp(v);
        if (PyUnicode_Check(v)) return text(k, v);            // RowPlan::run refuses
        if (PyFloat_Check(v)) return Cell::num(PyFloat_AsDouble(v));  // these two
        bad_value(k, "a datetime (int nanoseconds since the epoch, UTC, or a pandas Timestamp)");
    }

    // pandas.Timestamp (and NaT): its .value is the int64 nanoseconds, UTC for a tz-aware
    // one; NaT's is INT64_MIN.
    static bool is_timestamp(PyObject* v) {
        const py::handle h(v);
        return !PyLong_Check(v) && py::hasattr(h, "value") && PyLong_Check(h.attr("value").ptr());
    }
    static Cell timestamp(PyObject* v) { return Cell::dt(py::handle(v).attr("value").cast<std::int64_t>()); }
    Cell text(std::size_t k, PyObject* v) const {
        Py_ssize_t size = 0;
        const char* s = PyUnicode_AsUTF8AndSize(v, &size);
        if (!s) {
            PyErr_Clear();
            unreadable(k, "a string that does not encode as UTF-8");
        }
        return Cell::cat(std::string_view(s, static_cast<std::size_t>(size)));
    }
    Cell number(std::size_t k, PyObject* v) const {
        const double x = PyFloat_AsDouble(v);
        if (x == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            bad_value(k, "a number");
        }
        return Cell::num(x);
    }

    RowPlan plan_;
    std::vector<SchemaColumn> schema_;
    std::vector<std::string> input_names_;
    std::vector<Cell> record_, cells_;
};

}  // namespace

void bind_row_plan(py::module_& m) {
    py::class_<PyRowPlan>(m, "RowPlan")
        .def(py::init<const Pipeline&>(), py::arg("pipeline"))
        .def_property_readonly("input_names", &PyRowPlan::input_names)
        .def_property_readonly("output_names", &PyRowPlan::output_names)
        .def_property_readonly("n_outputs", &PyRowPlan::n_outputs)
        .def("run", &PyRowPlan::run, py::arg("record"), py::arg("out") = py::none())
        .def("run_values", &PyRowPlan::run_values, py::arg("record"));
}

}  // namespace reprep_py
