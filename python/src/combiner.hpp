// A ShardCombiner whose combine() is a Python callable: the door reprep.dask uses to run
// reprep's chunked fits (component fit(source, combiner), Pipeline::fit(source,
// combiner)) with the passes spread over Dask tasks (python/reprep/dask.py,
// docs/distributed.md "Dask").
//
// The callable gets two functions and returns the merged state:
//   combine(local, merge) -> bytes
//     local(partition)  this process's state for the current pass as framed bytes: the
//                       shard-state message of core/shard_combiner.hpp (a state, or the
//                       error local() raised, typed, "on partition <k>")
//     merge(a, b)       two framed messages merged exactly; an error wins, the
//                       left one first (as MPI's lower rank)
// The returned message is unframed here; an error message is raised as its reprep type.
// C++ runs with the GIL released; each call into Python takes it back.
#pragma once

#include <pybind11/pybind11.h>

#include <span>
#include <string>
#include <type_traits>
#include <utility>

#include <reprep/compose/pipeline.hpp>
#include <reprep/core/chunk_source.hpp>
#include <reprep/core/shard_combiner.hpp>
#include <reprep/distributed/target_shards.hpp>

namespace reprep_py {

namespace py = pybind11;
using namespace reprep;

class PyCombiner final : public ShardCombiner {
public:
    explicit PyCombiner(py::function combine) : combine_(std::move(combine)) {}

    std::string combine(const Local& local, const Merge& merge) const override {
        py::gil_scoped_acquire gil;
        const py::cpp_function local_fn([&local](int partition) {
            std::string framed;
            {
                py::gil_scoped_release release;
                try {
                    framed = detail::state_bytes(local());
                } catch (...) {
                    framed = detail::current_error_bytes(partition, "partition");
                }
            }
            return py::bytes(framed);
        });
        const py::cpp_function merge_fn([&merge](const py::bytes& a, const py::bytes& b) {
            std::string x(a), y(b), out;
            {
                py::gil_scoped_release release;
                if (detail::is_error_bytes(x)) {
                    out = std::move(x);
                } else if (detail::is_error_bytes(y)) {
                    out = std::move(y);
                } else {
                    try {
                        out = detail::state_bytes(merge(detail::state_of(x), detail::state_of(y)));
                    } catch (...) {
                        out = detail::current_error_bytes(0, "");
                    }
                }
            }
            return py::bytes(out);
        });
        const py::object result = combine_(local_fn, merge_fn);
        std::string framed = result.cast<std::string>();
        py::gil_scoped_release release;
        if (detail::is_error_bytes(framed)) detail::throw_error_bytes(framed);
        return std::string(detail::state_of(framed));
    }

private:
    py::function combine_;
};

// fit(shard, combine) of a component or a Pipeline: mpi::fit's dispatch, with the
// passes' states combined by the Python callable. The GIL is released around the fit.
template <class C>
void fit_combined(C& c, const Table& shard, const py::function& combine) {
    const PyCombiner combiner(combine);
    py::gil_scoped_release release;
    const TableChunks chunks = shard.num_columns() == 0 ? TableChunks({}) : TableChunks({shard});
    if constexpr (std::is_same_v<C, Pipeline>) {
        c.fit(chunks, combiner);
    } else {
        detail::StepModel<C> step(c);
        detail::fit_step_source(step, chunks, combiner);
        c = step.component();
    }
}

// fit(shard, y, combine) of a kind fitted from a target accumulator (TargetEncoder,
// WoEEncoder): one pass, the accumulators merged exactly (distributed/target_shards.hpp).
template <class C>
void fit_combined_y(C& c, const Table& shard, std::span<const double> y, const py::function& combine) {
    const PyCombiner combiner(combine);
    py::gil_scoped_release release;
    detail::fit_target_shard(c, shard, y, combiner);
}

// TargetEncoder's out-of-fold encodings of this shard's rows, its per-fold accumulators
// combined by the Python callable (fold_assignment = row_hash; position is refused).
inline Table fit_transform_combined(TargetEncoder& c, const Table& shard, std::span<const double> y,
                                    const py::function& combine) {
    const PyCombiner combiner(combine);
    py::gil_scoped_release release;
    return detail::fit_transform_shard(c, shard, y, combiner, "reprep.dask.fit_transform");
}

}  // namespace reprep_py
