// cross_validate() for family multinomial (cv.glmnet's, its cv.multnet errors), dense or sparse
// X, on the CPU: each α's full-data path and fold fits by fit()'s multinomial solver
// (api/fit_multinomial.cpp), the folds' held-out errors from their softmax probabilities.
// Private.
#pragma once

#include "regpath/regpath.hpp"

namespace regpath::detail {

// X and y checked finite (dense X) or X's structure validated (sparse), the options other than
// multinomial's own checked as gaussian's, by the caller; the labels, weights and offsets are
// checked here (std::invalid_argument), a fold without a class named by its number.
CvResult cross_validate_multinomial(const MatrixView<double>& X, const double* y,
                                    const Options& options, const CvOptions& cv);
CvResult cross_validate_multinomial(const MatrixView<float>& X, const float* y,
                                    const Options& options, const CvOptions& cv);
CvResult cross_validate_multinomial(const SparseMatrixView<double>& X, const double* y,
                                    const Options& options, const CvOptions& cv);
CvResult cross_validate_multinomial(const SparseMatrixView<float>& X, const float* y,
                                    const Options& options, const CvOptions& cv);

}  // namespace regpath::detail
