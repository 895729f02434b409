// The accumulators of reprep._reprep: partial_fit and map-reduce by hand from Python
// (python/reprep/_base.py, docs/python.md "partial_fit and accumulators").
//
// Every kind with a C++ Accumulator binds it as <Kind>.Accumulator with
//   update(table) / update_y(table, y)   one chunk (y where the accumulator takes one)
//   merge(other)                         exact: any order or tree of merges, same state
//   to_bytes() / from_bytes(bytes)       canonical bytes; a corrupt or truncated blob
//                                        raises FormatError
// and the kind gets accumulator() (empty, for its Params) and fit_accumulator(acc).
//
// Two families:
//   - Table accumulators (categorical kinds, selectors, RandomSampleImputer) read Table
//     chunks and know their columns; their bytes are Accumulator::save, the bytes
//     Pipeline::fit(source, combiner) ships between processes.
//   - Numeric accumulators read matrices and do not know their columns' names, so the
//     binding keeps them beside it (NamedAccumulator): the bytes are the "accumulator
//     state" message of NumericComponent::fit(source, combiner) (component/
//     source_state.hpp: rows read, column names, Accumulator::save), and fit is C++
//     fit(acc, names), the fit(Table) of those rows under those names, same bytes.
//
// Included by binding.hpp, after its helpers (F64Array, target_of).
#pragma once

#include <reprep/component/source_state.hpp>

namespace reprep_py {

// A kind whose Accumulator reads matrices. A concept, so that the second part is only
// checked when C has an Accumulator: clang rejects an invalid type in a requires-
// expression's parameter list outright (it is not a requirement there).
template <class C>
concept MatrixAccumulated = requires { typename C::Accumulator; } &&
                            requires(typename C::Accumulator& a, const Matrix<double>& X) { a.update(X); };

// A numeric accumulator with the names of the Table columns it reads: Params::columns
// from the start, or, when the kind takes every numeric column, those of the first chunk.
template <class C>
struct NamedAccumulator {
    detail::SourceHead head;  // rows read and the chosen column names
    typename C::Accumulator acc;
    bool named = false;       // whether head.names is chosen (it may be empty only before)
};

template <class C>
std::string accumulator_bytes(const NamedAccumulator<C>& a) {
    return detail::pack_accumulator(a.head, a.acc);
}

template <class C>
NamedAccumulator<C> named_from_bytes(std::string_view bytes) {
    ArchiveReader r(bytes, std::string(C::component_name) + " accumulator");
    NamedAccumulator<C> a;
    a.head = detail::SourceHead::load(r);
    a.acc = C::Accumulator::load(r);
    r.expect_end();
    // What update() keeps true; a blob that breaks it is not one of ours.
    const bool empty = a.head.rows == 0 && a.acc.rows() == 0;
    if (!empty && (a.head.rows != a.acc.rows() || a.head.names.size() != a.acc.cols()))
        r.fail("the row count or column names do not match the accumulated columns");
    a.named = !a.head.names.empty() || !empty;
    return a;
}

template <class C>
void update_named(NamedAccumulator<C>& a, const Table& t) {
    static_assert(!requires(const C& c) { c.input_columns(t); },
                  "a kind that chooses its own input columns needs them chosen here too");
    std::vector<std::string> names = a.head.names;
    if (!a.named) {
        // NumericComponent's rule when Params::columns is empty: every numeric column.
        for (const auto& n : t.column_names())
            if (t.type(n) == ColumnType::numeric) names.push_back(n);
        if (names.empty())
            detail::fail<SchemaError>({.component = C::component_name,
                                       .problem = "the chunk has no numeric column to fit",
                                       .fix = "pass numeric columns, or name them in columns="});
    }
    const Matrix<double> X = detail::with_component(C::component_name, [&] { return t.to_matrix<double>(names); });
    // Checked here first, so that an error names the Table's column (the accumulator
    // itself knows x0, x1, ...); the row is the chunk's.
    detail::check_finite<double>(X, C::allow_nan_in_fit, C::allow_inf_in_fit, C::component_name, names, "fit");
    a.acc.update(X);
    a.head.rows += static_cast<std::uint64_t>(X.rows());
    a.head.names = std::move(names);
    a.named = true;
}

template <class C>
void merge_named(NamedAccumulator<C>& a, const NamedAccumulator<C>& b) {
    // Said here as the schema mismatch it is (merge_heads says InvalidInput, in the
    // words of processes).
    if (a.named && b.named && a.head.names != b.head.names) {
        auto list = [](const std::vector<std::string>& v) {
            std::string s;
            for (const auto& n : v) s += (s.empty() ? "'" : ", '") + n + "'";
            return "[" + s + "]";
        };
        detail::fail<SchemaError>({.component = C::component_name,
                                   .problem = "the accumulators read other columns: " + list(a.head.names) + " and " +
                                              list(b.head.names),
                                   .fix = "merge accumulators updated with the same columns"});
    }
    typename C::Accumulator merged = a.acc;
    merged.merge(b.acc);  // may refuse (other settings) before anything changes
    a.acc = std::move(merged);
    if (!a.named && b.named) a.head.names = b.head.names;
    a.named = a.named || b.named;
    a.head.rows += b.head.rows;
}

// A Table accumulator as its kind's own Python type: several kinds share one C++ type
// (CategoryAccumulator), which pybind11 binds once, and a OneHotEncoder's accumulator
// is not a CountFrequencyEncoder's to fit.
template <class C>
struct KindAccumulator {
    typename C::Accumulator acc;
};

template <class Acc>
std::string save_to_bytes(const Acc& a) {
    ArchiveWriter w;
    a.save(w);
    return std::move(w).bytes();
}

template <class C>
void bind_accumulator(py::class_<C>& cls) {
    if constexpr (MatrixAccumulated<C>) {
        using Named = NamedAccumulator<C>;
        py::class_<Named>(cls, "Accumulator")
            .def("update", [](Named& a, const Table& t) { update_named(a, t); },
                 py::call_guard<py::gil_scoped_release>())
            .def("merge", [](Named& a, const Named& b) { merge_named(a, b); })
            .def("rows", [](const Named& a) { return a.head.rows; })
            .def("columns", [](const Named& a) { return a.head.names; })
            .def("copy", [](const Named& a) { return a; })
            .def("to_bytes", [](const Named& a) { return py::bytes(accumulator_bytes(a)); })
            .def_static("from_bytes", [](const py::bytes& b) { return named_from_bytes<C>(std::string_view(b)); });
        cls.def("accumulator",
                [](const C& c) {
                    Named a{.head = {.rows = 0, .names = c.params().columns}, .acc = c.accumulator()};
                    a.named = !a.head.names.empty();
                    return a;
                })
            .def("fit_accumulator",
                 [](C& c, const Named& a) {
                     // An accumulator made for other columns would fit columns the
                     // Params do not name.
                     const auto& want = c.params().columns;
                     if (!want.empty() && a.named && a.head.names != want)
                         detail::fail<SchemaError>({.component = C::component_name,
                                                    .problem = "the accumulator read other columns than columns=",
                                                    .fix = "update an accumulator() of this estimator"});
                     c.fit(a.acc, a.head.names);
                 },
                 py::call_guard<py::gil_scoped_release>());
    } else if constexpr (detail::TableAccumulated<C>) {
        using Acc = typename C::Accumulator;
        using Own = KindAccumulator<C>;
        auto acc = py::class_<Own>(cls, "Accumulator")
                       .def("update", [](Own& a, const Table& t) { a.acc.update(t); },
                            py::call_guard<py::gil_scoped_release>())
                       .def("merge", [](Own& a, const Own& b) { a.acc.merge(b.acc); })
                       .def("rows", [](const Own& a) { return a.acc.rows(); })
                       .def("copy", [](const Own& a) { return a; })
                       .def("to_bytes", [](const Own& a) { return py::bytes(save_to_bytes(a.acc)); })
                       .def_static("from_bytes", [](const py::bytes& b) {
                           ArchiveReader r(std::string_view(b), std::string(C::component_name) + " accumulator");
                           Own a{Acc::load(r)};
                           r.expect_end();
                           return a;
                       });
        // Supervised accumulators (the categorical kinds'): one target value per row.
        if constexpr (requires(Acc& a, const Table& t, std::span<const double> y) { a.update(t, y); })
            acc.def("update_y", [](Own& a, const Table& t, const F64Array& y) {
                const auto v = target_of(y);
                py::gil_scoped_release release;
                a.acc.update(t, std::span<const double>(v));
            });
        // The label rule fit(t, y) applies and fit(accumulator) cannot (WoEEncoder's 0/1,
        // TargetEncoder's binary or multiclass labels): partial_fit checks each chunk.
        if constexpr (requires(const C& c, std::span<const double> y) { c.check_target(std::size_t{0}, y); })
            cls.def("check_target", [](const C& c, const Table& t, const F64Array& y) {
                const auto v = target_of(y);
                c.check_target(t.num_rows(), std::span<const double>(v));
            });
        cls.def("accumulator", [](const C& c) { return Own{c.accumulator()}; })
            .def("fit_accumulator", [](C& c, const Own& a) { c.fit(a.acc); }, py::call_guard<py::gil_scoped_release>());
    }
}

}  // namespace reprep_py
