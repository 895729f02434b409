// Eigen aliases used across reprep: column-major, rows are samples.
#pragma once

#include <Eigen/Core>

namespace reprep {
template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <class T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;
}  // namespace reprep
