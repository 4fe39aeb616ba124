// The GLM batch's standardization (core/design/fold_scaling.hpp) of rows held by several ranks,
// the whole data only (no folds: a distributed cv fits each fold as a distributed fit of its
// training rows): each rank's moments per column on its counted rows (weight > 0), then the
// ranks' merged in rank order (Chan et al.'s update, as fold_scaling merges its folds' bins),
// so that every rank holds the same centres and scales, the serial ones to rounding. One sum of
// 6·p·R + 1 values (each rank fills its own slots; the others add zeros, exactly). Private.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/design/fold_scaling.hpp"
#include "regpath/distributed.hpp"

namespace regpath::detail {

// weight: this rank's rows' observation weights (empty: all 1); n: the rows of every rank.
template <typename In>
FoldScaling split_rows_scaling(const Communicator& comm, const MatrixView<In>& X, std::int64_t n,
                               bool intercept, bool standardize,
                               const std::vector<double>& weight) {
  constexpr std::size_t kValues = 6;  // count, mean, m2, seen, constant, first
  const auto ranks = static_cast<std::size_t>(comm.size());
  const std::int64_t p = X.cols;
  const auto up = static_cast<std::size_t>(p);
  std::vector<double> all(ranks * up * kValues + 1, 0.0);
  std::vector<Moments> bins(1);
  for (std::int64_t j = 0; j < p; ++j) {
    bins[0] = Moments{};
    const ColumnValues seen = add_dense_column(X, j, {}, 0, weight, bins);
    double* slot = all.data() + (std::size_t(comm.rank()) * up + std::size_t(j)) * kValues;
    slot[0] = bins[0].count;
    slot[1] = bins[0].mean;
    slot[2] = bins[0].m2;
    slot[3] = seen.seen ? 1.0 : 0.0;
    slot[4] = seen.constant ? 1.0 : 0.0;
    slot[5] = seen.first;
  }
  double& weight_sum = all.back();
  for (std::int64_t i = 0; i < X.rows; ++i)
    weight_sum += weight.empty() ? 1.0 : weight[std::size_t(i)];
  comm.sum(all.data(), all.size());

  FoldScaling fs;
  fs.p = p;
  fs.folds = 0;
  fs.scale.assign(up, 0.0);
  fs.center.assign(up, 0.0);
  fs.train_rows.assign(1, n);
  fs.train_weight.assign(1, all.back());
  for (std::int64_t j = 0; j < p; ++j) {
    Moments m;
    ColumnValues values;
    for (std::size_t r = 0; r < ranks; ++r) {
      const double* slot = all.data() + (r * up + std::size_t(j)) * kValues;
      Moments part;
      part.count = slot[0];
      part.mean = slot[1];
      part.m2 = slot[2];
      m.merge(part);
      if (slot[3] == 0) continue;  // no counted row there
      values.constant = values.constant && slot[4] != 0;
      values.see(slot[5]);
    }
    assign_scaling(fs, j, -1, m, values.constant, intercept, standardize);
  }
  return fs;
}

}  // namespace regpath::detail
