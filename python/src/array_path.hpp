// NumPy in, NumPy out without a Table: the array path of a numeric kind's transform
// (python/reprep/_base.py `_array_path` takes it for a plain 2-D float array whose
// columns are exactly the fitted x0, x1, ...). Same kernel as every other path, so the
// same bits; what differs is only how values reach it.
//
//   F-order float64   read in place: one transform_into over the whole array, which
//                     writes the F-order result (the kernel streams its stores).
//   C-order float64   for a kind whose kernel reads rows (StandardScaler's
//                     transform_rows_into): read in place, written in C order.
//   anything else     C order, float32, a strided view such as X[:, ::2]: read in blocks
//                     of rows through NumPy's strides into a small column-major buffer
//                     (float32 widened exactly), transformed there, and written to the
//                     result, C order (F order for an F-order float32 input: the output
//                     keeps the input's layout, as scikit-learn's does). No transposed
//                     copy of the whole array is made, and a block stays in the core's
//                     cache between its read, its transform and its write.
//
// Rows are independent in every kind's transform (the single-row contract), so a block
// gives the bits of the whole. Errors: a block's check names a row of the block; on any
// error the whole input is converted once and transformed in one call, which raises
// exactly what the Table path raises (row, column and all). That costs a copy, on the
// error path only. n_jobs > 1 cuts the rows into one range per thread first
// (core/parallel.hpp), each range in blocks of its own.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <type_traits>
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <reprep/core/error.hpp>
#include <reprep/core/matrix.hpp>
#include <reprep/core/parallel.hpp>

namespace reprep_py {

namespace py = pybind11;

// Rows per block: the input and output blocks together about 512 KiB, half of this
// machine kind's L2 per core, and never fewer than 64 rows.
inline std::size_t array_block_rows(std::size_t cols_in, std::size_t cols_out) {
    const std::size_t per_row = (cols_in + cols_out) * sizeof(double);
    return std::max<std::size_t>(64, (std::size_t{512} << 10) / std::max<std::size_t>(per_row, 1));
}

// Reads rows [b, b + k) of a 2-D array with element strides (rs, cs) into the column-
// major k x m buffer `dst`, whose columns are `ld` apart. Row-major float64 (cs == 1) is
// read two rows at a time and transposed in 2 x 2 SSE2 tiles.
template <class S>
void gather_rows(const S* src, std::ptrdiff_t rs, std::ptrdiff_t cs, std::size_t b, std::size_t k, std::size_t m,
                 double* dst, std::size_t ld) {
    std::size_t i = 0;
#if defined(__SSE2__)
    if constexpr (std::is_same_v<S, double>)
        if (cs == 1)
            for (; i + 2 <= k; i += 2) {
                const double* r0 = src + static_cast<std::ptrdiff_t>(b + i) * rs;
                const double* r1 = r0 + rs;
                std::size_t j = 0;
                for (; j + 2 <= m; j += 2) {
                    const __m128d u = _mm_loadu_pd(r0 + j), v = _mm_loadu_pd(r1 + j);
                    _mm_storeu_pd(dst + j * ld + i, _mm_unpacklo_pd(u, v));
                    _mm_storeu_pd(dst + (j + 1) * ld + i, _mm_unpackhi_pd(u, v));
                }
                for (; j < m; ++j) {
                    dst[j * ld + i] = r0[j];
                    dst[j * ld + i + 1] = r1[j];
                }
            }
#endif
    for (; i < k; ++i) {
        const S* row = src + static_cast<std::ptrdiff_t>(b + i) * rs;
        for (std::size_t j = 0; j < m; ++j) dst[j * ld + i] = static_cast<double>(row[static_cast<std::ptrdiff_t>(j) * cs]);
    }
}

// Writes the column-major k x w block `blk` (columns `ld` apart) to rows [b, b + k) of
// the result: row by row in C order (2 x 2 SSE2 tiles), column by column in F order.
inline void scatter_rows(const double* blk, std::size_t k, std::size_t w, std::size_t ld, double* out, bool c_order,
                         std::size_t rows, std::size_t b) {
    if (!c_order) {
        for (std::size_t j = 0; j < w; ++j) std::copy_n(blk + j * ld, k, out + j * rows + b);
        return;
    }
    std::size_t i = 0;
#if defined(__SSE2__)
    for (; i + 2 <= k; i += 2) {
        double* r0 = out + (b + i) * w;
        double* r1 = r0 + w;
        std::size_t j = 0;
        for (; j + 2 <= w; j += 2) {
            const __m128d c0 = _mm_loadu_pd(blk + j * ld + i), c1 = _mm_loadu_pd(blk + (j + 1) * ld + i);
            _mm_storeu_pd(r0 + j, _mm_unpacklo_pd(c0, c1));
            _mm_storeu_pd(r1 + j, _mm_unpackhi_pd(c0, c1));
        }
        for (; j < w; ++j) {
            r0[j] = blk[j * ld + i];
            r1[j] = blk[j * ld + i + 1];
        }
    }
#endif
    for (; i < k; ++i)
        for (std::size_t j = 0; j < w; ++j) out[(b + i) * w + j] = blk[j * ld + i];
}

template <class C>
py::array transform_array(const C& c, const py::array& a, int n_jobs) {
    using reprep::Matrix;
    if (a.ndim() != 2)
        reprep::detail::fail<reprep::InvalidInput>(
            {.component = C::component_name, .problem = "expected a 2-D array", .fix = "pass rows x columns"});
    const auto rows = static_cast<std::size_t>(a.shape(0)), cols = static_cast<std::size_t>(a.shape(1));
    const auto width = static_cast<std::size_t>(c.n_features_out());
    const bool f64 = py::isinstance<py::array_t<double>>(a), f32 = py::isinstance<py::array_t<float>>(a);
    const bool f_order = (a.flags() & py::array::f_style) != 0;

    const std::size_t esize = f64 ? sizeof(double) : sizeof(float);
    const bool whole_strides = a.strides(0) % static_cast<py::ssize_t>(esize) == 0 &&
                               a.strides(1) % static_cast<py::ssize_t>(esize) == 0;
    // The in-place case, and what the blocks do not read: a dtype other than the two
    // floats, strides between elements, no rows (converted once, as before).
    if ((f64 && f_order) || (!f64 && !f32) || !whole_strides || rows == 0) {
        const auto X64 = py::array_t<double, py::array::f_style | py::array::forcecast>::ensure(a);
        if (!X64) throw py::error_already_set();
        py::array_t<double, py::array::f_style> out({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(width)});
        const Eigen::Map<const Matrix<double>> X(X64.data(), static_cast<Eigen::Index>(rows),
                                                 static_cast<Eigen::Index>(cols));
        Eigen::Map<Matrix<double>> O(out.mutable_data(), static_cast<Eigen::Index>(rows),
                                     static_cast<Eigen::Index>(width));
        py::gil_scoped_release release;
        c.transform_into(X, O, reprep::TransformOptions{.n_jobs = n_jobs});
        return out;
    }

    // A kernel that reads rows (StandardScaler): a C-order float64 array in place, the
    // result written row by row, as the F-order case above.
    if constexpr (requires(const double* x, double* y) { c.transform_rows_into(x, Eigen::Index{}, y); })
        if (f64 && (a.flags() & py::array::c_style) != 0) {
            py::array_t<double, py::array::c_style> out({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(width)});
            const auto* x = static_cast<const double*>(a.data());
            double* y = out.mutable_data();
            py::gil_scoped_release release;
            c.transform_rows_into(x, static_cast<Eigen::Index>(rows), y, reprep::TransformOptions{.n_jobs = n_jobs});
            return out;
        }

    const bool c_out = !f_order;
    py::array out = c_out ? py::array(py::array_t<double, py::array::c_style>(
                                {static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(width)}))
                          : py::array(py::array_t<double, py::array::f_style>(
                                {static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(width)}));
    double* dst = static_cast<double*>(out.mutable_data());
    // NumPy strides are in bytes; a float array's are whole elements.
    const auto rs = static_cast<std::ptrdiff_t>(a.strides(0) / static_cast<py::ssize_t>(esize));
    const auto cs = static_cast<std::ptrdiff_t>(a.strides(1) / static_cast<py::ssize_t>(esize));
    const void* src = a.data();
    const std::size_t threads = reprep::detail::thread_count(n_jobs, C::component_name);
    const std::size_t block = array_block_rows(cols, width);
    bool failed = false;
    {
        py::gil_scoped_release release;
        try {
            reprep::detail::for_row_blocks(rows, threads, [&](std::size_t begin, std::size_t end) {
                // Columns one cache line more than a block apart: at a power-of-two
                // distance the transposing loops' stores all land in one cache set.
                const std::size_t ld = std::min(block, end - begin) + 8;
                std::vector<double> in(ld * cols), res(ld * width);
                for (std::size_t b = begin; b < end; b += block) {
                    const std::size_t k = std::min(block, end - b);
                    if (f64) gather_rows(static_cast<const double*>(src), rs, cs, b, k, cols, in.data(), ld);
                    else gather_rows(static_cast<const float*>(src), rs, cs, b, k, cols, in.data(), ld);
                    using Strided = Eigen::OuterStride<>;
                    const Eigen::Map<const Matrix<double>, 0, Strided> X(in.data(), static_cast<Eigen::Index>(k),
                                                                         static_cast<Eigen::Index>(cols),
                                                                         Strided(static_cast<Eigen::Index>(ld)));
                    Eigen::Map<Matrix<double>, 0, Strided> O(res.data(), static_cast<Eigen::Index>(k),
                                                             static_cast<Eigen::Index>(width),
                                                             Strided(static_cast<Eigen::Index>(ld)));
                    c.transform_into(X, O);
                    scatter_rows(res.data(), k, width, ld, dst, c_out, rows, b);
                }
            });
        } catch (const reprep::Error&) {
            failed = true;
        }
    }
    if (failed) {
        // The whole input in one call, for the error the Table path raises.
        const auto X64 = py::array_t<double, py::array::f_style | py::array::forcecast>::ensure(a);
        if (!X64) throw py::error_already_set();
        const Eigen::Map<const Matrix<double>> X(X64.data(), static_cast<Eigen::Index>(rows),
                                                 static_cast<Eigen::Index>(cols));
        Matrix<double> O(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(width));
        py::gil_scoped_release release;
        c.transform_into(X, O);
        // Unreachable for a row-local kernel; if it were reached, say so rather than
        // return a result whose blocks failed.
        reprep::detail::fail<reprep::Error>({.component = C::component_name,
                                             .problem = "a block of rows failed but the whole input did not",
                                             .fix = "report this as a bug; pass an F-order float64 array meanwhile"});
    }
    return out;
}

}  // namespace reprep_py
