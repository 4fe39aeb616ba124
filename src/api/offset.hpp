// glmnet's offset (Options::offset): its check, and the gaussian family's form of it. Private.
//
// The GLM families add o_i to each row's linear predictor on the GLM batch
// (core/design/glm_batch_problem.hpp). For the gaussian family an offset is exactly a shifted
// response: (y_i − β0 − x_iᵀβ − o_i)² = ((y_i − o_i) − β0 − x_iᵀβ)², so fit and cv solve y − o
// (the fit, its deviances and cv's held-out errors are those of y − o), as glmnet's elnet does.
#pragma once

#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "regpath/regpath.hpp"

namespace regpath::detail {

// n offsets, each finite (std::invalid_argument naming the value and its row).
inline void check_offset(const std::vector<double>& o, std::int64_t n) {
  if (std::int64_t(o.size()) != n)
    throw std::invalid_argument("invalid offset: " + std::to_string(o.size()) + " values for " +
                                std::to_string(n) + " rows of X; give one offset per row");
  for (std::size_t i = 0; i < o.size(); ++i)
    if (!std::isfinite(o[i])) {
      std::ostringstream msg;
      msg.precision(17);
      msg << "invalid offset[" << i << "] = " << o[i] << ": each offset must be finite (row "
          << i + 1 << ")";
      throw std::invalid_argument(msg.str());
    }
}

// The gaussian response y − o (in the input's type) and the options without the offset.
template <typename In>
struct OffsetResponse {
  std::vector<In> y;
  Options options;
  OffsetResponse(const In* y_in, const Options& o) : y(o.offset.size()), options(o) {
    for (std::size_t i = 0; i < y.size(); ++i)
      y[i] = static_cast<In>(double(y_in[i]) - o.offset[i]);
    options.offset.clear();
  }
};

}  // namespace regpath::detail
