// What every rank of a distributed fit must agree on before the next collective, besides the
// errors (regpath::agree_on_errors, public): the row counts, and the options (a rank whose
// options differ from rank 0's is an error). Private.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "regpath/distributed.hpp"

namespace regpath::detail {

// Each rank's row count, in rank order (one sum).
inline std::vector<std::int64_t> rank_row_counts(const Communicator& comm, std::int64_t mine) {
  std::vector<double> counts(static_cast<std::size_t>(comm.size()), 0.0);
  counts[static_cast<std::size_t>(comm.rank())] = double(mine);
  comm.sum(counts.data(), counts.size());
  return std::vector<std::int64_t>(counts.begin(), counts.end());
}

// The options' values that every rank must share, as numbers (explicit λ, factors and limits
// included), with their names for the message.
struct OptionFingerprint {
  std::vector<double> values;
  std::vector<std::string> names;
  void add(const char* name, double v) {
    values.push_back(v);
    names.emplace_back(name);
  }
  void add(const char* name, const std::vector<double>& v) {
    add((std::string(name) + " (count)").c_str(), double(v.size()));
    for (const double x : v) add(name, x);
  }
};

inline OptionFingerprint fingerprint(const Options& o, std::int64_t p) {
  OptionFingerprint f;
  f.add("the number of features p", double(p));
  f.add("family", double(static_cast<int>(o.family)));
  f.add("alpha", o.alpha);
  f.add("nlambda", o.nlambda);
  f.add("lambda_min_ratio", o.lambda_min_ratio ? *o.lambda_min_ratio : -1.0);
  f.add("glmnet_y_scaling", o.glmnet_y_scaling ? double(*o.glmnet_y_scaling) : -1.0);
  f.add("standardize", o.standardize);
  f.add("intercept", o.intercept);
  f.add("tol", o.tol ? *o.tol : -1.0);
  f.add("max_iter", o.max_iter);
  f.add("block_size", o.block_size);
  f.add("check_every", o.check_every);
  f.add("precision", double(static_cast<int>(o.precision)));
  f.add("device", double(static_cast<int>(o.device)));
  f.add("lambdas", o.lambdas);
  f.add("penalty_factors", o.penalty_factors);
  f.add("lower_limits", o.lower_limits);
  f.add("upper_limits", o.upper_limits);
  std::vector<double> exclude(o.exclude.begin(), o.exclude.end());
  f.add("exclude", exclude);
  return f;
}

// "" when this rank's options are rank 0's (compared value by value, NaN never occurring in
// validated options), else a message naming the first option that differs.
inline std::string compare_with_rank0(const Communicator& comm, const OptionFingerprint& mine) {
  double count = double(mine.values.size());
  comm.broadcast(&count, sizeof count, 0);
  // every rank takes part in the second broadcast, of rank 0's count, whatever its own
  std::vector<double> root(static_cast<std::size_t>(count), 0.0);
  if (comm.rank() == 0) root = mine.values;
  comm.broadcast(root.data(), root.size() * sizeof(double), 0);
  if (root.size() != mine.values.size())
    return "the options differ from rank 0's (a different number of explicit lambdas, penalty "
           "factors, limits or exclusions); every rank must pass the same options";
  for (std::size_t i = 0; i < root.size(); ++i)
    if (std::memcmp(&root[i], &mine.values[i], sizeof(double)) != 0)
    {
      std::ostringstream msg;
      msg.precision(17);
      msg << "option " << mine.names[i] << " differs from rank 0's (" << mine.values[i]
          << " here, " << root[i] << " on rank 0); every rank must pass the same options";
      return msg.str();
    }
  return "";
}

// Whether some rank gives fold ids, weights, an offset (a rank without rows gives none).
struct GivenSomewhere {
  bool foldid = false, weights = false, offset = false;
};

// One maximum; cv: the fold ids' options (null: a fit, no fold ids).
inline GivenSomewhere given_somewhere(const Communicator& comm, const Options& o,
                                      const CvOptions* cv) {
  double given[3] = {cv == nullptr || cv->foldid.empty() ? 0.0 : 1.0,
                     o.weights.empty() ? 0.0 : 1.0, o.offset.empty() ? 0.0 : 1.0};
  comm.max(given, 3);
  return {given[0] > 0, given[1] > 0, given[2] > 0};
}

// A per-row option (fold ids, weights, offset) of this rank's rows: one value per local row,
// given on every rank with rows or on none; "" when so.
template <class Values>
std::string per_row_error(const char* name, const Values& v, std::int64_t rows, bool elsewhere) {
  if (!v.empty() && std::int64_t(v.size()) != rows)
    return std::string("invalid ") + name + ": it has " + std::to_string(v.size()) +
           " entries for this rank's " + std::to_string(rows) + " rows; give one per local row";
  if (v.empty() && rows > 0 && elsewhere)
    return std::string("invalid ") + name + ": other ranks give it and this one does not; give "
           "one value per local row on every rank (or none on all)";
  return "";
}

// The weights' and the offset's counts and values on this rank's rows (global row numbers from
// `offset` + 1), "" when right: each weight ≥ 0 and finite, each offset finite. Whether the
// weights are not all 0 is every rank's question (weights_sum_error).
inline std::string per_row_options_error(const Options& o, std::int64_t rows, std::int64_t offset,
                                         const GivenSomewhere& given) {
  for (const std::string& e : {per_row_error("weights", o.weights, rows, given.weights),
                               per_row_error("offset", o.offset, rows, given.offset)})
    if (!e.empty()) return e;
  const auto at = [&](std::size_t i) {
    return " at row " + std::to_string(offset + std::int64_t(i) + 1) + " (local row " +
           std::to_string(i + 1) + ")";
  };
  for (std::size_t i = 0; i < o.weights.size(); ++i)
    if (!(o.weights[i] >= 0) || !std::isfinite(o.weights[i]))
      return "invalid weights: " + std::to_string(o.weights[i]) + at(i) +
             ": each weight must be ≥ 0 and finite";
  for (std::size_t i = 0; i < o.offset.size(); ++i)
    if (!std::isfinite(o.offset[i]))
      return "invalid offset: " + std::to_string(o.offset[i]) + at(i) + " is not finite";
  return "";
}

// "" unless weights are given and every rank's together are all 0 or sum beyond the largest
// double (one sum, where given).
inline std::string weights_sum_error(const Communicator& comm, const Options& o,
                                     const GivenSomewhere& given) {
  if (!given.weights) return "";
  double sum = 0;
  for (const double w : o.weights) sum += w;
  comm.sum(&sum, 1);
  if (sum > 0 && std::isfinite(sum)) return "";
  return "invalid weights: every weight is 0 on every rank (or their sum overflows); at least "
         "one row must count";
}

// This rank's first problem with its block of rows (local_X, local_y: X.rows rows, global row
// numbers from `offset` + 1), "" when none: the arguments, then every value finite. A rank may
// hold no rows.
template <typename In>
std::string local_data_error(const MatrixView<In>& X, const In* y, std::int64_t offset) {
  if (X.rows < 0) return "invalid local X: a negative number of rows on this rank";
  if (X.rows > 0 && X.data == nullptr) return "invalid local X: null data pointer";
  if (X.rows > 0 && y == nullptr) return "invalid local y: null pointer";
  if (X.cols < 1) return "invalid local X: no features (X.cols = " + std::to_string(X.cols) + ")";
  if (X.ld < X.rows) return "invalid local X: the leading dimension is below its rows";
  for (std::int64_t j = 0; j < X.cols; ++j)
    for (std::int64_t i = 0; i < X.rows; ++i)
      if (!std::isfinite(X(i, j))) {
        std::ostringstream msg;
        msg << "invalid X: value " << X(i, j) << " at row " << offset + i + 1 << " (local row "
            << i + 1 << "), column " << j + 1 << " is not finite";
        return msg.str();
      }
  for (std::int64_t i = 0; i < X.rows; ++i)
    if (!std::isfinite(y[i])) {
      std::ostringstream msg;
      msg << "invalid y: value " << y[i] << " at row " << offset + i + 1 << " (local row "
          << i + 1 << ") is not finite";
      return msg.str();
    }
  return "";
}

}  // namespace regpath::detail
