// fit() for family multinomial (glmnet's), dense or sparse X: label checks, standardization,
// the λ path, the host solver (core/engine/multinomial_solver.hpp), glmnet's coef()
// conventions. Private.
#pragma once

#include "regpath/regpath.hpp"

namespace regpath::detail {

// X and y already checked finite, the other options by validate_options; this checks the
// labels and refuses what multinomial does not support yet (std::invalid_argument).
Path fit_multinomial(const MatrixView<double>& X, const double* y, const Options& options);
Path fit_multinomial(const MatrixView<float>& X, const float* y, const Options& options);
// A CSC X (validated, y finite, by the caller), standardized implicitly, never densified.
Path fit_multinomial(const SparseMatrixView<double>& X, const double* y, const Options& options);
Path fit_multinomial(const SparseMatrixView<float>& X, const float* y, const Options& options);

// C of the labels y (0 … C−1, each class with at least 2 rows), or std::invalid_argument naming
// the bad label: the fit's own check, for callers that must know C first (the C API's n × C
// offset).
std::int64_t multinomial_class_count(const double* y, std::int64_t n);
std::int64_t multinomial_class_count(const float* y, std::int64_t n);

}  // namespace regpath::detail
