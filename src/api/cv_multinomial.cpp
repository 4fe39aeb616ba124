// cross_validate() for family multinomial: see cv_multinomial.hpp. The steps are run_cv's
// (api/cv_runs.hpp) with fit()'s multinomial solver for every fit: a fold's own automatic path,
// glmnet's path length, its coefficients interpolated in λ at the full-data λ, cv.glmnet's
// summaries.
#include "api/cv_multinomial.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api/cv_runs.hpp"
#include "api/fit_multinomial.hpp"
#include "api/result_guard.hpp"
#include "core/path/lambda_grid.hpp"

namespace regpath::detail {
namespace {

// glmnet runs multinomial in lognet, whose path ends by binomial's (absolute) deviance rule
constexpr bool kRelativePathEnd = false;

// The held-out rows of one fold, in X's order, and each row's place among them (−1: training).
struct TestRows {
  std::vector<std::int64_t> rows, position;
};

TestRows test_rows(const std::vector<int>& row_fold, int fold) {
  TestRows t;
  t.position.assign(row_fold.size(), -1);
  for (std::size_t i = 0; i < row_fold.size(); ++i)
    if (row_fold[i] == fold) {
      t.position[i] = std::int64_t(t.rows.size());
      t.rows.push_back(std::int64_t(i));
    }
  return t;
}

// fn(r, x) for each held-out row r (its place among them) and its value x in column j.
template <typename In, typename Fn>
void for_each_test_entry(const MatrixView<In>& X, std::int64_t j, const TestRows& t, Fn&& fn) {
  for (std::size_t r = 0; r < t.rows.size(); ++r) fn(std::int64_t(r), double(X(t.rows[r], j)));
}

template <typename In, typename Fn>
void for_each_test_entry(const SparseMatrixView<In>& X, std::int64_t j, const TestRows& t,
                         Fn&& fn) {
  for (std::int64_t e = X.col_ptr[j]; e < X.col_ptr[j + 1]; ++e) {
    const std::int64_t r = t.position[std::size_t(X.row_idx[e])];
    if (r >= 0) fn(r, double(X.values[e]));
  }
}

// η = o + β0 + Xβ of the held-out rows for each column q = k·C + c of `raw` ((p+1) values per
// column: β, then β0): n_test × Q, column-major. o: the n × C offset matrix (class-major) or
// none. One pass over X's column j per nonzero coefficient.
template <class View>
std::vector<double> test_predictors(const View& X, const TestRows& t,
                                    const std::vector<double>& raw, std::int64_t C,
                                    const std::vector<double>& offset) {
  const std::int64_t p = X.cols, nt = std::int64_t(t.rows.size()), n = X.rows;
  const std::int64_t Q = std::int64_t(raw.size()) / (p + 1);
  std::vector<double> eta(std::size_t(nt * Q));
  for (std::int64_t q = 0; q < Q; ++q) {
    const double b0 = raw[std::size_t(q * (p + 1) + p)];
    const std::int64_t c = q % C;
    for (std::int64_t r = 0; r < nt; ++r)
      eta[std::size_t(r + q * nt)] =
          b0 + (offset.empty() ? 0.0 : offset[std::size_t(c * n + t.rows[std::size_t(r)])]);
  }
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t q = 0; q < Q; ++q) {
      const double b = raw[std::size_t(q * (p + 1) + j)];
      if (b == 0) continue;
      double* e = eta.data() + q * nt;
      for_each_test_entry(X, j, t, [e, b](std::int64_t r, double x) { e[r] += x * b; });
    }
  return eta;
}

// cv.multnet's error of one held-out row of class `label` from its C linear predictors (stride
// apart), through their softmax probabilities P: deviance −2·log P_label (P clamped into
// [1e-5, 1 − 1e-5]), mse Σ_c (1[c = label] − P_c)², mae Σ_c |1[c = label] − P_c|, class 1 unless
// the first most probable class is the label (glmnet_softmax's choice on ties).
double row_error(const double* eta, std::int64_t stride, std::int64_t C, int label,
                 CvMeasure measure) {
  double top = eta[0];
  for (std::int64_t c = 1; c < C; ++c) top = std::max(top, eta[c * stride]);
  double sum = 0;
  for (std::int64_t c = 0; c < C; ++c) sum += std::exp(eta[c * stride] - top);
  auto prob = [&](std::int64_t c) { return std::exp(eta[c * stride] - top) / sum; };
  double err = 0;
  switch (measure) {
    case CvMeasure::mse:
    case CvMeasure::mae:
      for (std::int64_t c = 0; c < C; ++c) {
        const double d = (c == label ? 1.0 : 0.0) - prob(c);
        err += measure == CvMeasure::mse ? d * d : std::fabs(d);
      }
      return err;
    case CvMeasure::misclassification: {
      std::int64_t best = 0;
      double best_p = prob(0);
      for (std::int64_t c = 1; c < C; ++c)
        if (prob(c) > best_p) {
          best = c;
          best_p = prob(c);
        }
      return best == label ? 0.0 : 1.0;
    }
    default:
      return -2.0 * std::log(std::min(std::max(prob(label), 1e-5), 1.0 - 1e-5));
  }
}

// Fold f's training rows' options: their weights and offsets, the α; the λ as given.
Options fold_options(const Options& o, const std::vector<int>& row_fold, int fold,
                     std::int64_t C) {
  Options fo = o;
  const auto n = std::int64_t(row_fold.size());
  if (!o.weights.empty()) {
    fo.weights.clear();
    for (std::int64_t i = 0; i < n; ++i)
      if (row_fold[std::size_t(i)] != fold) fo.weights.push_back(o.weights[std::size_t(i)]);
  }
  if (!o.offset.empty()) {
    fo.offset.clear();
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t i = 0; i < n; ++i)
        if (row_fold[std::size_t(i)] != fold) fo.offset.push_back(o.offset[std::size_t(c * n + i)]);
  }
  return fo;
}

// glmnet refuses a class with under 2 rows, in a fold's fit too (its factor keeps every
// level): so does cross_validate, naming the fold, before any fit.
template <typename In>
void check_fold_classes(const In* y, const std::vector<int>& row_fold, int nfolds,
                        std::int64_t C) {
  for (int f = 0; f < nfolds; ++f) {
    std::vector<std::int64_t> count(std::size_t(C), 0);
    for (std::size_t i = 0; i < row_fold.size(); ++i)
      if (row_fold[i] != f) ++count[std::size_t(y[i])];
    for (std::int64_t c = 0; c < C; ++c)
      if (count[std::size_t(c)] < 2)
        throw std::invalid_argument(
            "cross-validation fold " + std::to_string(f + 1) + ": its training rows (all rows "
            "outside it) hold " + std::to_string(count[std::size_t(c)]) + " of class " +
            std::to_string(c) + ", and a multinomial fit needs at least 2 per class (glmnet's "
            "rule); choose other folds or fewer of them");
  }
}

// cv.glmnet's nzero of a multinomial path: ungrouped, the median over the classes of each one's
// nonzero coefficients, rounded up; grouped, predict(type = "nonzero")'s count of the first
// class's nonzero rows, which counts its intercept too (glmnet's, kept for its numbers).
std::vector<std::int64_t> multinomial_nzero(const Path& path, bool grouped) {
  const std::int64_t p = path.n_features, C = path.n_classes;
  std::vector<std::int64_t> nz(path.lambdas.size(), 0);
  for (std::size_t k = 0; k < nz.size(); ++k) {
    const auto K = std::int64_t(k);
    std::vector<std::int64_t> per_class(std::size_t(C), 0);
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t j = 0; j < p; ++j)
        per_class[std::size_t(c)] += path.multinomial_coef(j, K, c) != 0.0 ? 1 : 0;
    if (grouped) {
      std::int64_t any = 0;
      for (std::int64_t j = 0; j < p; ++j) {
        bool nonzero = false;
        for (std::int64_t c = 0; c < C; ++c)
          nonzero = nonzero || path.multinomial_coef(j, K, c) != 0.0;
        any += nonzero ? 1 : 0;
      }
      nz[k] = any + (path.multinomial_intercept(K, 0) != 0.0 ? 1 : 0);
    } else {
      std::sort(per_class.begin(), per_class.end());
      const std::int64_t twice_median =
          C % 2 ? 2 * per_class[std::size_t(C / 2)]
                : per_class[std::size_t(C / 2 - 1)] + per_class[std::size_t(C / 2)];
      nz[k] = (twice_median + 1) / 2;
    }
  }
  return nz;
}

template <template <typename> class View, typename In>
CvResult cv_any(const View<In>& X, const In* y, const Options& o, const CvOptions& cv) {
  const auto start = std::chrono::steady_clock::now();
  const CvPlan plan = plan_cv(o, cv, X.rows);
  const std::size_t na = plan.alphas.size(), fits = na * std::size_t(plan.nfolds + 1);
  std::size_t fits_done = 0;
  auto with_progress = [&](Options fo) {
    fo.progress = nullptr;
    if (o.progress)
      fo.progress = [&o, &fits_done, fits](double part) {
        o.progress((double(fits_done) + part) / double(fits));
      };
    return fo;
  };
  const bool automatic = o.lambdas.empty();
  CvResult out;
  out.nfolds = plan.nfolds;
  for (std::size_t a = 0; a < na; ++a) {
    Options oa = o;
    oa.alpha = plan.alphas[a];
    CvCurve c;
    c.alpha = oa.alpha;
    c.path = fit_multinomial(X, y, with_progress(oa));  // checks the labels, weights, offsets
    ++fits_done;
    const std::int64_t C = c.path.n_classes;
    if (a == 0) check_fold_classes(y, plan.row_fold, plan.nfolds, C);
    if (automatic) keep_first(c.path, glmnet_path_length(c.path.dev_ratio, kRelativePathEnd));
    c.lambdas = c.path.lambdas;
    c.nzero = multinomial_nzero(c.path, o.type_multinomial == MultinomialType::grouped);
    std::vector<std::vector<double>> fold_error;
    std::vector<double> fold_size;
    for (int f = 0; f < plan.nfolds; ++f) {
      const Options fo = with_progress(fold_options(oa, plan.row_fold, f, C));
      const auto train = training_rows(X, y, plan.row_fold, f);
      try {
        c.fold_paths.push_back(fit_multinomial(train.view(), train.y.data(), fo));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("cross-validation fold " + std::to_string(f + 1) +
                                    "'s training rows: " + e.what());
      }
      ++fits_done;
      Path& fold = c.fold_paths.back();
      if (automatic) keep_first(fold, glmnet_path_length(fold.dev_ratio, kRelativePathEnd));
      // per λ, C columns of (p+1): the fold's at the full-data λ (interpolated when its own)
      std::vector<double> raw = raw_block(fold);
      if (automatic)
        raw = interpolate_in_lambda(raw, fold.lambdas, c.lambdas, C * (X.cols + 1));
      const TestRows t = test_rows(plan.row_fold, f);
      const std::vector<double> eta = test_predictors(X, t, raw, C, o.offset);
      const auto nt = std::int64_t(t.rows.size());
      double size = 0;
      for (const std::int64_t i : t.rows)
        size += o.weights.empty() ? 1.0 : o.weights[std::size_t(i)];
      if (!(size > 0))
        throw std::invalid_argument("invalid weights: fold " + std::to_string(f + 1) +
                                    "'s held-out rows all have weight 0, so its error is not "
                                    "defined; choose other folds");
      std::vector<double> e(c.lambdas.size(), 0.0);
      for (std::size_t k = 0; k < e.size(); ++k) {
        for (std::int64_t r = 0; r < nt; ++r) {
          const std::int64_t i = t.rows[std::size_t(r)];
          const double w = o.weights.empty() ? 1.0 : o.weights[std::size_t(i)];
          e[k] += w * row_error(eta.data() + (std::int64_t(k) * C) * nt + r, nt, C, int(y[i]),
                                plan.resolved);
        }
        e[k] /= size;
      }
      fold_error.push_back(std::move(e));
      fold_size.push_back(size);
    }
    summarize(c, fold_error, fold_size);
    out.curves.push_back(std::move(c));
  }
  for (std::size_t a = 1; a < out.curves.size(); ++a)
    if (out.curves[a].cvm[out.curves[a].index_min] <
        out.curves[out.best].cvm[out.curves[out.best].index_min])
      out.best = a;
  flag_truncated_minimum(out, o);
  out.measure = plan.resolved;
  out.foldid.resize(plan.row_fold.size());
  for (std::size_t i = 0; i < plan.row_fold.size(); ++i) out.foldid[i] = plan.row_fold[i] + 1;
  out.device = Device::cpu;
  out.device_name = "cpu";
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace

CvResult cross_validate_multinomial(const MatrixView<double>& X, const double* y,
                                    const Options& options, const CvOptions& cv) {
  return cv_any(X, y, options, cv);
}
CvResult cross_validate_multinomial(const MatrixView<float>& X, const float* y,
                                    const Options& options, const CvOptions& cv) {
  return cv_any(X, y, options, cv);
}
CvResult cross_validate_multinomial(const SparseMatrixView<double>& X, const double* y,
                                    const Options& options, const CvOptions& cv) {
  return cv_any(X, y, options, cv);
}
CvResult cross_validate_multinomial(const SparseMatrixView<float>& X, const float* y,
                                    const Options& options, const CvOptions& cv) {
  return cv_any(X, y, options, cv);
}

}  // namespace regpath::detail
