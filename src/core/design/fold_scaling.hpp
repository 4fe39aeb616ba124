// glmnet's standardization, once per fold: for fold f the columns are centred and scaled by the
// mean and 1/n standard deviation of the training rows (every row not in f); "fold" −1 is the
// whole data. With observation weights v_i both are weighted as glmnet weights them:
// x̄_j = Σ v_i x_ij / Σ v_i and sd_j = sqrt(Σ v_i (x_ij − x̄_j)² / Σ v_i) over the training rows
// (only the weights' ratios matter, so glmnet's normalization of them changes nothing here).
// Computed on the host in one pass: per-fold counts, means and centred sums of squares
// (Welford; West's update with weights), then for each fold the merge of all the other folds'
// (Chan et al.), so the cost is O(n·p + p·F²), not O(n·p·F), and no sum of squares of raw values
// can cancel.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/design/sparse_design.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

struct FoldScaling {
  std::int64_t p = 0;
  int folds = 0;  // F; the arrays below have F + 1 columns, column f + 1 for fold f (0: all rows)
  std::vector<double> scale;   // p × (F+1): 1/sd (1 without standardization), 0 for a constant column
  std::vector<double> center;  // p × (F+1): the training mean (0 without an intercept)
  std::vector<std::int64_t> train_rows;  // F + 1
  std::vector<double> train_weight;      // F + 1: Σ v_i over the training rows (= train_rows
                                         // unweighted)
};

namespace detail {

struct Moments {
  double count = 0, mean = 0, m2 = 0;  // count = Σ v, m2 = Σ v·(x − mean)²
  // West's weighted update; the first value is the mean itself (exact, so that a column constant
  // on the rows that count has m2 = 0 exactly), a weight 0 changes nothing
  void add(double x, double v = 1) {
    if (!(v > 0)) return;
    if (count == 0) {
      count = v;
      mean = x;
      return;
    }
    count += v;
    const double d = x - mean;
    mean += d * v / count;  // (d·v)/count: d/count exactly when v = 1
    m2 += v * d * (x - mean);
  }
  void merge(const Moments& o) {
    if (o.count == 0) return;
    if (count == 0) {
      *this = o;
      return;
    }
    const double total = count + o.count, d = o.mean - mean;
    mean += d * (o.count / total);
    m2 += o.m2 + d * d * (count * o.count / total);
    count = total;
  }
};

// Whether a column's counted values are all equal: the first one seen, and each compared to it.
struct ColumnValues {
  bool seen = false, constant = true;
  double first = 0;
  void see(double x) {
    if (!seen) first = x;
    seen = true;
    constant = constant && x == first;
  }
};

// Column j's centre and scale for "fold" f (−1: all rows) from its moments m on the training
// rows; all_equal: its counted values are all equal there (scale 0).
inline void assign_scaling(FoldScaling& fs, std::int64_t j, int f, const Moments& m,
                           bool all_equal, bool intercept, bool standardize) {
  const double sd = std::sqrt(m.m2 / m.count);
  if (!std::isfinite(sd) || !std::isfinite(m.mean))
    throw std::invalid_argument("invalid X: column " + std::to_string(j + 1) +
                                " is too large in magnitude to standardize (its standard "
                                "deviation overflows); rescale it");
  all_equal = all_equal || sd == 0;  // constant on this fold's training rows
  const std::size_t e = std::size_t(j) + std::size_t(f + 1) * std::size_t(fs.p);
  fs.center[e] = intercept ? m.mean : 0.0;
  fs.scale[e] = all_equal ? 0.0 : (standardize ? 1.0 / sd : 1.0);
}

// Column j of a dense X: its counted values (weight > 0) added to bins[row's fold] (bins[0]
// without folds), and whether they are all equal.
template <typename In>
ColumnValues add_dense_column(const MatrixView<In>& X, std::int64_t j,
                              const std::vector<int>& row_fold, int folds,
                              const std::vector<double>& weight, std::vector<Moments>& bins) {
  ColumnValues seen;
  for (std::int64_t i = 0; i < X.rows; ++i) {
    const double x = double(X(i, j)), v = weight.empty() ? 1.0 : weight[std::size_t(i)];
    if (!(v > 0)) continue;  // a row of weight 0 does not count
    seen.see(x);
    bins[folds > 0 ? std::size_t(row_fold[std::size_t(i)]) : 0].add(x, v);
  }
  return seen;
}

}  // namespace detail

namespace detail {

// The scaling's per-fold totals (train_rows, train_weight) and, per column j, each fold's
// centre and scale from the column's moments per fold bin: `fill(j, bins)` adds column j's values
// of the rows that count (weight > 0) to bins[row's fold] (bins[0] without folds) and says
// whether they are all equal; fold f's moments are then the merge of every bin but f's.
template <class FillColumn>
FoldScaling fold_scaling_from(std::int64_t n, std::int64_t p, const std::vector<int>& row_fold,
                              int folds, bool intercept, bool standardize,
                              const std::vector<double>& weight, FillColumn fill) {
  const auto cols = static_cast<std::size_t>(folds + 1);
  FoldScaling fs;
  fs.p = p;
  fs.folds = folds;
  fs.scale.assign(static_cast<std::size_t>(p) * cols, 0.0);
  fs.center.assign(static_cast<std::size_t>(p) * cols, 0.0);
  fs.train_rows.assign(cols, n);
  fs.train_weight.assign(cols, 0.0);
  for (std::int64_t i = 0; i < n; ++i) {
    const double v = weight.empty() ? 1.0 : weight[std::size_t(i)];
    for (int f = -1; f < folds; ++f)
      if (f < 0 || row_fold[std::size_t(i)] != f) fs.train_weight[std::size_t(f + 1)] += v;
    if (folds > 0) --fs.train_rows[std::size_t(row_fold[std::size_t(i)] + 1)];
  }
  for (int f = 0; f < folds; ++f)
    if (!(fs.train_weight[std::size_t(f + 1)] > 0))
      throw std::invalid_argument("invalid weights: fold " + std::to_string(f + 1) +
                                  "'s training rows (all rows outside the fold) all have weight "
                                  "0; choose other folds");
  std::vector<Moments> bins(static_cast<std::size_t>(std::max(folds, 1)));
  for (std::int64_t j = 0; j < p; ++j) {
    for (auto& b : bins) b = Moments{};
    const bool constant = fill(j, bins);
    for (int f = -1; f < folds; ++f) {
      Moments m;
      bool all_equal = constant;
      for (int b = 0; b < static_cast<int>(bins.size()); ++b)
        if (b != f) m.merge(bins[std::size_t(b)]);
      assign_scaling(fs, j, f, m, all_equal, intercept, standardize);
    }
  }
  return fs;
}

}  // namespace detail

// row_fold[i] ∈ [0, folds) for every row (folds = 0: no folds, only the whole data); weight:
// the rows' observation weights (empty: all 1). Every fold's training weights must not sum to 0.
template <typename In>
FoldScaling fold_scaling(const MatrixView<In>& X, const std::vector<int>& row_fold, int folds,
                         bool intercept, bool standardize,
                         const std::vector<double>& weight = {}) {
  const std::int64_t n = X.rows;
  return detail::fold_scaling_from(
      n, X.cols, row_fold, folds, intercept, standardize, weight,
      [&](std::int64_t j, std::vector<detail::Moments>& bins) {
        return detail::add_dense_column(X, j, row_fold, folds, weight, bins).constant;
      });
}

// The same from a sparse X (sorted, without duplicates: SparseDesign), in O(nnz + n) per column
// set-up and O(nnz_j + F) per column, X never densified: a bin's stored values are added one by
// one, its implicit zeros as one merged moment (their weight, mean 0, m2 0), the same moments as
// the dense pass's to rounding.
template <typename T>
FoldScaling fold_scaling(const SparseDesign<T>& X, const std::vector<int>& row_fold, int folds,
                         bool intercept, bool standardize,
                         const std::vector<double>& weight = {}) {
  const std::int64_t n = X.rows();
  const std::size_t nb = std::size_t(std::max(folds, 1));
  const auto bin_of = [&](std::int64_t i) {
    return folds > 0 ? std::size_t(row_fold[std::size_t(i)]) : std::size_t(0);
  };
  const auto weight_of = [&](std::int64_t i) {
    return weight.empty() ? 1.0 : weight[std::size_t(i)];
  };
  // per bin: the rows that count (weight > 0) and their weight
  std::vector<std::int64_t> bin_rows(nb, 0);
  std::vector<double> bin_weight(nb, 0.0);
  for (std::int64_t i = 0; i < n; ++i)
    if (weight_of(i) > 0) {
      ++bin_rows[bin_of(i)];
      bin_weight[bin_of(i)] += weight_of(i);
    }
  std::vector<std::int64_t> stored_rows(nb);
  std::vector<double> stored_weight(nb);
  return detail::fold_scaling_from(
      n, X.cols(), row_fold, folds, intercept, standardize, weight,
      [&](std::int64_t j, std::vector<detail::Moments>& bins) {
        std::fill(stored_rows.begin(), stored_rows.end(), 0);
        std::fill(stored_weight.begin(), stored_weight.end(), 0.0);
        detail::ColumnValues values;
        X.for_each_in_column(j, [&](std::int64_t i, double x) {
          const double v = weight_of(i);
          if (!(v > 0)) return;
          values.see(x);
          bins[bin_of(i)].add(x, v);
          ++stored_rows[bin_of(i)];
          stored_weight[bin_of(i)] += v;
        });
        for (std::size_t b = 0; b < nb; ++b) {
          if (bin_rows[b] == stored_rows[b]) continue;  // no implicit zero that counts
          detail::Moments zeros;
          zeros.count = std::max(bin_weight[b] - stored_weight[b], 0.0);
          if (weight.empty()) zeros.count = double(bin_rows[b] - stored_rows[b]);  // exact
          bins[b].merge(zeros);
          values.see(0.0);
        }
        return values.constant;
      });
}

}  // namespace regpath
