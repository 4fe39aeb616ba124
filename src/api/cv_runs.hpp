// Cross-validation on one backend: the full-data and fold fits of every α (gaussian ones by
// fit()'s path solver, the others and weighted ones as one GLM batch), the held-out errors, and
// cv.glmnet's summaries. Private.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api/feature_selection.hpp"
#include "api/glm_runs.hpp"
#include "api/resolved_options.hpp"
#include "api/weighted_auc.hpp"
#include "api/run_path.hpp"
#include "regpath/regpath.hpp"

namespace regpath {

// What cross_validate decided: the α values and each row's fold (0-based).
struct CvPlan {
  std::vector<double> alphas;
  int nfolds = 0;
  std::vector<int> row_fold;
  ops::Measure measure = ops::Measure::deviance;  // the folds' test error
  CvMeasure resolved = CvMeasure::mse;            // ... as the user named it
  bool auc = false;                               // the AUC instead (a ranking, not a sum)
};

namespace detail {

// The rows' folds (0-based) and the measure: the user's fold ids (1..K) checked, or a seeded
// random balanced assignment; the same on every platform for a given seed (api/fit.cpp).
CvPlan make_plan(const Options& o, const CvOptions& cv, std::int64_t n);
// cross_validate's plan for n rows (fit.cpp): the measure, the α values, the rows' folds; throws
// std::invalid_argument for bad ones (fold ids, nfolds, an AUC with under 10 rows per fold).
CvPlan plan_cv(const Options& o, const CvOptions& cv, std::int64_t n);
// What every cross_validate does last: the excluded features back as zeros in every path, the
// measure, the fold ids (1-based).
void finish_cv(CvResult& out, const CvPlan& plan, const FeatureSelection& sel);
// The device that ran it, on the result and each of its paths.
void set_device(CvResult& out, Device device);

// Σ over fold f's test rows of the prediction error of each path column (raw coefficients,
// (p+1) × nλ), each row's error times its observation weight (cv.glmnet's weighted fold mean is
// this over the fold's weight sum), in chunks of at most `chunk` columns.
template <class Backend>
std::vector<double> test_error_sums(GlmBatchProblem<Backend>& pr, const std::vector<double>& raw,
                                    int fold, std::int64_t chunk, ops::Measure measure) {
  using T = typename Backend::value_type;
  const std::int64_t rows = pr.p + 1, nl = std::int64_t(raw.size()) / rows;
  chunk = std::max<std::int64_t>(1, std::min(chunk, nl));
  auto B = pr.be.allocate(std::size_t(rows * chunk));
  auto E = pr.be.allocate(std::size_t(pr.n * chunk));
  auto R = pr.be.allocate(std::size_t(pr.n * chunk));
  std::vector<T> col(static_cast<std::size_t>(ops::GlmColumn::count * chunk), T(0));
  for (std::int64_t k = 0; k < chunk; ++k) {
    col[std::size_t(k * ops::GlmColumn::count + ops::GlmColumn::fold)] = T(fold);
    col[std::size_t(k * ops::GlmColumn::count + ops::GlmColumn::a)] = T(int(measure));
  }
  auto dcol = pr.upload_vector(col);
  std::vector<double> out(static_cast<std::size_t>(nl));
  for (std::int64_t k0 = 0; k0 < nl; k0 += chunk) {
    const std::int64_t K = std::min(chunk, nl - k0);
    const std::vector<T> part(raw.begin() + k0 * rows, raw.begin() + (k0 + K) * rows);
    pr.be.upload(B.data(), part.data(), part.size());
    pr.predict_raw(B.data(), K, E.data());
    pr.be.glm_pointwise(ops::GlmOp::test_error, pr.datafit, pr.n, K, E.data(), pr.y.data(),
                        pr.row_fold(), dcol.data(), R.data(), pr.row_weight());
    pr.column_sums(R.data(), K, out.data() + k0);
  }
  return out;
}

// The AUC on fold f's test rows of each path column (raw coefficients, (p+1) × nλ): the fraction
// of (class 0, class 1) pairs of test rows ranked right by the linear predictor, ties counting ½
// (cv.glmnet's auc.mat; it breaks ties at random instead), each pair weighted by the product of
// its rows' observation weights (auc.mat's weights). Predictions come from one GEMM per
// chunk of columns, then to the host. y: the 0/1 response on the host.
template <class Backend, typename In>
std::vector<double> test_auc(GlmBatchProblem<Backend>& pr, const std::vector<double>& raw,
                             int fold, std::int64_t chunk, const In* y,
                             const std::vector<int>& row_fold) {
  using T = typename Backend::value_type;
  const std::int64_t rows = pr.p + 1, nl = std::int64_t(raw.size()) / rows, n = pr.n;
  chunk = std::max<std::int64_t>(1, std::min(chunk, nl));
  auto B = pr.be.allocate(std::size_t(rows * chunk));
  auto E = pr.be.allocate(std::size_t(n * chunk));
  std::vector<T> eta(std::size_t(n * chunk));
  std::vector<detail::ScoredRow> scored;  // (η, class, observation weight) of the test rows
  std::vector<double> out(static_cast<std::size_t>(nl));
  for (std::int64_t k0 = 0; k0 < nl; k0 += chunk) {
    const std::int64_t K = std::min(chunk, nl - k0);
    const std::vector<T> part(raw.begin() + k0 * rows, raw.begin() + (k0 + K) * rows);
    pr.be.upload(B.data(), part.data(), part.size());
    pr.predict_raw(B.data(), K, E.data());
    pr.be.download(eta.data(), E.data(), std::size_t(n * K));
    for (std::int64_t k = 0; k < K; ++k) {
      scored.clear();
      for (std::int64_t i = 0; i < n; ++i)
        if (row_fold[std::size_t(i)] == fold)
          scored.push_back({double(eta[std::size_t(i + k * n)]), y[i] > In(0.5) ? 1 : 0,
                            pr.row_weight_host(i)});
      const detail::RankedAuc r = detail::ranked_auc(scored);
      if (!(r.weight0 > 0 && r.weight1 > 0))
        throw std::invalid_argument("type_measure auc: fold " + std::to_string(fold + 1) +
                                    "'s held-out rows hold only one class, where the AUC is not "
                                    "defined; choose other folds");
      out[std::size_t(k0 + k)] = r.auc;
    }
  }
  return out;
}

// cv.glmnet's lambda.interp: the path's raw coefficients ((p+1) × nλ at `lambdas`, descending)
// at each λ of `at`, linear in λ between the two nearest path λ; above the first λ the first
// column, below the last the last.
inline std::vector<double> interpolate_in_lambda(const std::vector<double>& coefs,
                                                 const std::vector<double>& lambdas,
                                                 const std::vector<double>& at, std::int64_t rows) {
  const std::size_t nl = lambdas.size(), ur = std::size_t(rows);
  std::vector<double> out(ur * at.size());
  for (std::size_t k = 0; k < at.size(); ++k) {
    const double s = at[k];
    std::size_t left = 0, right = 0;
    double frac = 1;  // weight of the left column
    if (s <= lambdas[nl - 1]) {
      left = right = nl - 1;
    } else if (s < lambdas[0]) {
      while (lambdas[right] >= s) ++right;  // lambdas[right − 1] ≥ s > lambdas[right]
      left = right - 1;
      frac = (s - lambdas[right]) / (lambdas[left] - lambdas[right]);
    }
    for (std::size_t i = 0; i < ur; ++i)
      out[k * ur + i] = frac * coefs[left * ur + i] + (1 - frac) * coefs[right * ur + i];
  }
  return out;
}

// The first m λ of a path (multinomial: their m·C block columns).
inline void keep_first(Path& path, std::size_t m) {
  const std::size_t columns = m * std::size_t(std::max<std::int64_t>(1, path.n_classes));
  path.lambdas.resize(m);
  path.intercepts.resize(columns);
  path.coefs.resize(columns * std::size_t(path.n_features));
  path.iterations.resize(m);
  path.newton_steps.resize(m);
  path.gaps.resize(m);
  path.dev_ratio.resize(m);
  path.status.resize(m);
}

// cvm, cvsd and the two selections from the folds' mean test errors (cv.glmnet's cvstats).
inline void summarize(CvCurve& c, const std::vector<std::vector<double>>& fold_error,
                      const std::vector<double>& fold_size) {
  const std::size_t nl = c.lambdas.size(), F = fold_error.size();
  double total = 0;
  for (double w : fold_size) total += w;
  c.cvm.assign(nl, 0.0);
  c.cvsd.assign(nl, 0.0);
  for (std::size_t k = 0; k < nl; ++k) {
    double m = 0;
    for (std::size_t f = 0; f < F; ++f) m += fold_size[f] * fold_error[f][k];
    m /= total;
    double v = 0;
    for (std::size_t f = 0; f < F; ++f)
      v += fold_size[f] * (fold_error[f][k] - m) * (fold_error[f][k] - m);
    c.cvm[k] = m;
    c.cvsd[k] = std::sqrt(v / total / double(F - 1));
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < nl; ++k)
    if (c.cvm[k] < c.cvm[best]) best = k;  // strict: the largest λ wins ties (λ descending)
  c.index_min = best;
  c.lambda_min = c.lambdas[best];
  const double bound = c.cvm[best] + c.cvsd[best];
  std::size_t one_se = best;
  for (std::size_t k = 0; k <= best; ++k)
    if (c.cvm[k] <= bound) {
      one_se = k;
      break;
    }
  c.index_1se = one_se;
  c.lambda_1se = c.lambdas[one_se];
}

// The rows of X and y outside fold f (the fold's training rows), as a column-major copy.
template <typename In>
struct FoldData {
  std::vector<In> X, y;
  MatrixView<In> view() const {
    const auto rows = std::int64_t(y.size());
    return MatrixView<In>{X.data(), rows, rows > 0 ? std::int64_t(X.size()) / rows : 0, rows};
  }
};

template <typename In>
FoldData<In> training_rows(const MatrixView<In>& X, const In* y, const std::vector<int>& row_fold,
                           int fold) {
  FoldData<In> d;
  std::vector<std::int64_t> rows;
  for (std::int64_t i = 0; i < X.rows; ++i)
    if (row_fold[std::size_t(i)] != fold) rows.push_back(i);
  d.y.reserve(rows.size());
  for (const std::int64_t i : rows) d.y.push_back(y[i]);
  d.X.reserve(rows.size() * std::size_t(X.cols));
  for (std::int64_t j = 0; j < X.cols; ++j)
    for (const std::int64_t i : rows) d.X.push_back(X(i, j));
  return d;
}

// The training rows of fold f of a sparse X (its entries in those rows, renumbered) and of y: a
// sparse copy, O(nnz + n), X never densified.
template <typename In>
struct SparseFoldData {
  std::vector<std::int64_t> col_ptr, row_idx;
  std::vector<In> values, y;
  std::int64_t cols = 0;
  SparseMatrixView<In> view() const {
    return {std::int64_t(y.size()), cols, std::int64_t(values.size()), col_ptr.data(),
            row_idx.data(), values.data()};
  }
};

template <typename In>
SparseFoldData<In> training_rows(const SparseMatrixView<In>& X, const In* y,
                                 const std::vector<int>& row_fold, int fold) {
  SparseFoldData<In> d;
  d.cols = X.cols;
  std::vector<std::int64_t> renumbered(std::size_t(X.rows), -1);
  for (std::int64_t i = 0; i < X.rows; ++i)
    if (row_fold[std::size_t(i)] != fold) {
      renumbered[std::size_t(i)] = std::int64_t(d.y.size());
      d.y.push_back(y[i]);
    }
  d.col_ptr.reserve(std::size_t(X.cols + 1));
  d.col_ptr.push_back(0);
  for (std::int64_t j = 0; j < X.cols; ++j) {
    for (std::int64_t e = X.col_ptr[j]; e < X.col_ptr[j + 1]; ++e) {
      const std::int64_t i = renumbered[std::size_t(X.row_idx[e])];
      if (i < 0) continue;
      d.row_idx.push_back(i);
      d.values.push_back(X.values[e]);
    }
    d.col_ptr.push_back(std::int64_t(d.values.size()));
  }
  return d;
}

// A path's raw coefficients as one (p+1) × nλ block, row p the intercept (multinomial:
// (p+1) × nλ·C, column k·C + c).
inline std::vector<double> raw_block(const Path& path) {
  const auto p = std::size_t(path.n_features), nl = path.intercepts.size();
  std::vector<double> raw((p + 1) * nl);
  for (std::size_t k = 0; k < nl; ++k) {
    std::copy(path.coefs.begin() + std::ptrdiff_t(k * p),
              path.coefs.begin() + std::ptrdiff_t((k + 1) * p),
              raw.begin() + std::ptrdiff_t(k * (p + 1)));
    raw[k * (p + 1) + p] = path.intercepts[k];
  }
  return raw;
}

}  // namespace detail

// Cross-validation: the full-data path per α as fit() makes it, then every α × fold fit; then
// each fold's test error at each full-data λ, and the cv.glmnet summaries.
//
// Every gaussian fit, the full-data path and each fold's, goes through fit()'s own path solver
// (run_path), with its working sets, Newton polish and coordinate-descent fallback, on the fold's
// training rows (standardized on those rows, as glmnet does): a fold costs what a fit costs.
// (Folds as columns of one GLM batch shared the GEMMs but missed those accelerators: a 10-fold
// cv cost 58 fits on a correlated 600 × 300 problem; each fold also has its own Gram matrix, so
// the Gram form cannot share one across folds.) Binomial and poisson fits, the full-data ones
// included, are groups of one GLM batch (fit() solves them the same way); so are weighted
// gaussian ones (the batch weights each row's loss; run_path has no weights).
//
// Observation weights (Options::weights), as cv.glmnet uses them: each fold is fitted on its
// training rows with their weights (normalized there, as glmnet normalizes weights[train]); its
// error at a λ is Σ_test v_i e_i / Σ_test v_i; cvm and cvsd weight the folds by Σ_test v_i.
//
// The folds' λ, as cv.glmnet chooses them: a user's list is every fold's list; with the
// automatic path each fold fits its own (its training rows' λ_max, and lambda_min_ratio from its
// own n unless given), and its predictions at the full-data λ are interpolated linearly in λ
// (interpolate_in_lambda), as cv.glmnet's predict does for fold fits made with lambda = NULL.
// Automatic paths, the full-data one and the folds', end where glmnet's end
// (glmnet_path_length): the curves have glmnet's length, and beyond its end a fold predicts
// with its last solution, as in cv.glmnet.
//
// X is dense (MatrixView) or sparse (SparseMatrixView, the CPU backend): the same steps, the
// sparse X's batch problem, paths and fold copies kept sparse.
template <class Backend, template <typename> class View, typename In>
CvResult run_cv(Backend& backend, const View<In>& X, const In* y, const ResolvedOptions& ro,
                const CvPlan& plan) {
  const auto start = std::chrono::steady_clock::now();
  const Options& o = ro.options;
  // the GLM families, and weighted gaussian fits, on the batch
  const bool on_batch = o.family != Family::gaussian || !o.weights.empty();
  const bool relative_end = traits_for(o.family).relative_path_end;
  GlmBatchProblem<Backend> problem(backend, batch_design<typename Backend::value_type>(X), y,
                                   plan.row_fold, plan.nfolds, datafit_for(o.family),
                                   o.standardize, o.intercept, o.weights, o.offset);
  // the gaussian fits partial the unpenalized features out themselves (run_path): the batch
  // problem there only gives the folds' sizes and λ_max
  if (on_batch) assign_batch_penalty(backend, problem, ro);
  else assign_penalty(backend, problem, ro);
  // each fold's size: its held-out rows' weight sum (their number unweighted)
  std::vector<double> fold_size(std::size_t(plan.nfolds));
  for (int f = 0; f < plan.nfolds; ++f) {
    fold_size[std::size_t(f)] = problem.test_weight(f);
    if (!(fold_size[std::size_t(f)] > 0))
      throw std::invalid_argument("invalid weights: fold " + std::to_string(f + 1) +
                                  "'s held-out rows all have weight 0, so its error is not "
                                  "defined; choose other folds");
  }
  const std::size_t na = plan.alphas.size(), fits = na * std::size_t(plan.nfolds + 1);
  std::size_t fits_done = 0;
  // a gaussian fit's options: cv.glmnet's y scaling, progress as the fraction of all fits
  auto gaussian_options = [&](double alpha) {
    ResolvedOptions r = ro;
    r.options.alpha = alpha;
    r.options.glmnet_y_scaling = o.glmnet_y_scaling.value_or(true);
    r.control.progress = nullptr;
    if (ro.control.progress)
      r.control.progress = [&ro, &fits_done, fits](double part) {
        ro.control.progress((double(fits_done) + part) / double(fits));
      };
    return r;
  };
  std::vector<GlmGroup> groups;
  std::vector<Path> paths(na);
  std::vector<std::vector<double>> lambdas(na);
  std::vector<std::vector<std::vector<double>>> fold_lambdas(na);  // the batch groups' λ
  std::vector<std::vector<Path>> fold_paths(na);
  for (std::size_t a = 0; a < na; ++a) {
    if (on_batch) {
      paths[a].lambda_max = problem.lambda_max_per_fold(plan.alphas[a])[0];
      lambdas[a] = detail::path_lambdas(o, paths[a].lambda_max, ro.lambda_min_ratio);
      groups.push_back(detail::make_group(problem, o, true, plan.alphas[a], -1, lambdas[a]));
    } else {
      paths[a] = run_path(backend, X, y, gaussian_options(plan.alphas[a]));
      lambdas[a] = paths[a].lambdas;
      ++fits_done;
    }
    const std::vector<double> fold_max = problem.lambda_max_per_fold(plan.alphas[a]);
    for (int f = 0; f < plan.nfolds; ++f) {
      std::vector<double> own = lambdas[a];
      if (o.lambdas.empty() && fold_max[std::size_t(f + 1)] > 0) {
        const double ratio = lambda_min_ratio_for(o, problem.train_rows(f), problem.p);
        own = detail::path_lambdas(o, fold_max[std::size_t(f + 1)], ratio);
      }
      if (on_batch) {
        groups.push_back(detail::make_group(problem, o, true, plan.alphas[a], f, own));
        fold_lambdas[a].push_back(std::move(own));
      } else {
        ResolvedOptions fold_ro = gaussian_options(plan.alphas[a]);
        if (!ro.unpenalized.empty() && o.lambdas.empty()) {
          // the fold's own automatic path from its own λ_max, which the batch's fold_max above
          // does not know: the residual after the unpenalized features' fit (run_path has it)
          fold_ro.lambda_min_ratio = lambda_min_ratio_for(o, problem.train_rows(f), problem.p);
        } else {
          fold_ro.options.lambdas = std::move(own);
        }
        const auto train = detail::training_rows(X, y, plan.row_fold, f);
        fold_paths[a].push_back(run_path(backend, train.view(), train.y.data(), fold_ro));
        ++fits_done;
      }
    }
  }
  if (on_batch) {
    GlmBatchSolver<Backend> solver(problem, ro.control, ro.control.progress);
    const auto results = solver.solve(groups, std::max(1, ro.control.block_size / 2));
    for (std::size_t a = 0, g = 0; a < na; ++a) {
      const double lambda_max = paths[a].lambda_max;
      paths[a] = detail::to_path(results[g++], lambdas[a], problem.p, o);
      paths[a].lambda_max = lambda_max;
      detail::finish(paths[a], backend, start);
      for (int f = 0; f < plan.nfolds; ++f, ++g)
        fold_paths[a].push_back(
            detail::to_path(results[g], fold_lambdas[a][std::size_t(f)], problem.p, o));
    }
  }

  CvResult cv;
  cv.nfolds = plan.nfolds;
  for (std::size_t a = 0; a < na; ++a) {
    CvCurve c;
    c.alpha = plan.alphas[a];
    c.lambdas = lambdas[a];
    if (o.lambdas.empty()) {
      detail::keep_first(paths[a], glmnet_path_length(paths[a].dev_ratio, relative_end));
      c.lambdas = paths[a].lambdas;
    }
    c.path = std::move(paths[a]);
    c.nzero.assign(c.lambdas.size(), 0);
    for (std::size_t k = 0; k < c.lambdas.size(); ++k)
      for (std::int64_t j = 0; j < problem.p; ++j)
        c.nzero[k] += c.path.coef(j, std::int64_t(k)) != 0.0 ? 1 : 0;
    std::vector<std::vector<double>> fold_error;
    for (int f = 0; f < plan.nfolds; ++f) {
      c.fold_paths.push_back(std::move(fold_paths[a][std::size_t(f)]));
      Path& fold = c.fold_paths.back();
      if (o.lambdas.empty())
        detail::keep_first(fold, glmnet_path_length(fold.dev_ratio, relative_end));
      std::vector<double> at_full = detail::raw_block(fold);
      if (o.lambdas.empty())
        at_full = detail::interpolate_in_lambda(at_full, fold.lambdas, c.lambdas, problem.p + 1);
      std::vector<double> e;
      if (plan.auc) {
        // the AUC, negated: the curve's minimum is cv.glmnet's (its getOptcv of −cvm)
        e = detail::test_auc(problem, at_full, f, ro.control.block_size, y, plan.row_fold);
        for (double& v : e) v = -v;
      } else {
        e = detail::test_error_sums(problem, at_full, f, ro.control.block_size, plan.measure);
        for (double& v : e) v /= fold_size[std::size_t(f)];
      }
      fold_error.push_back(std::move(e));
    }
    detail::summarize(c, fold_error, fold_size);
    if (plan.auc)
      for (double& m : c.cvm) m = -m;  // reported as the AUC itself
    cv.curves.push_back(std::move(c));
  }
  // the best α: the least error (the greatest AUC)
  const double sense = plan.auc ? -1.0 : 1.0;
  for (std::size_t a = 1; a < cv.curves.size(); ++a)
    if (sense * cv.curves[a].cvm[cv.curves[a].index_min] <
        sense * cv.curves[cv.best].cvm[cv.curves[cv.best].index_min])
      cv.best = a;
  backend.synchronize();
  cv.device_name = backend.name();
  cv.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return cv;
}

}  // namespace regpath
