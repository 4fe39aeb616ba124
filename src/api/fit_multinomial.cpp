// fit() for family multinomial: see fit_multinomial.hpp.
#include "api/fit_multinomial.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api/feature_selection.hpp"
#include "api/observation_weights.hpp"
#include "api/result_guard.hpp"
#include "core/engine/multinomial_solver.hpp"
#include "core/path/lambda_grid.hpp"

namespace regpath::detail {
namespace {

[[noreturn]] void not_yet(const char* what) {
  throw std::invalid_argument(std::string("family multinomial does not support ") + what +
                              " yet (fit() on a dense X, on the CPU, without them)");
}

void refuse_unsupported(const Options& o) {
  if (o.device == Device::cuda) not_yet("device cuda");
  if (o.type_multinomial != MultinomialType::ungrouped &&
      o.type_multinomial != MultinomialType::grouped)
    throw std::invalid_argument("invalid type_multinomial = " +
                                std::to_string(int(o.type_multinomial)) +
                                ": must be ungrouped or grouped");
}

// glmnet's offset matrix: n × C values (class c's n offsets at c·n), each finite. One offset
// per row is refused: added to every class it cancels in the softmax.
void check_multinomial_offset(const std::vector<double>& offset, std::int64_t n,
                              std::int64_t C) {
  if (offset.empty()) return;
  if (std::int64_t(offset.size()) != n * C)
    throw std::invalid_argument(
        "invalid offset for family multinomial: " + std::to_string(offset.size()) +
        " values; give n × C = " + std::to_string(n) + " × " + std::to_string(C) +
        " (one column of n per class, class-major, as glmnet's offset matrix)" +
        (std::int64_t(offset.size()) == n
             ? "; one offset per row, added to every class, would cancel in the softmax"
             : ""));
  for (std::size_t k = 0; k < offset.size(); ++k)
    if (!std::isfinite(offset[k])) {
      std::ostringstream msg;
      msg.precision(17);
      msg << "invalid offset[" << k << "] = " << offset[k] << ": each offset must be finite (row "
          << std::int64_t(k) % n + 1 << ", class " << std::int64_t(k) / n << ")";
      throw std::invalid_argument(msg.str());
    }
}

// Labels 0 … C−1, integers, every class with at least 2 rows (glmnet refuses a class with 1 or
// 0 observations). Returns C.
template <typename In>
std::int64_t check_labels(const In* y, std::int64_t n, std::vector<int>& label) {
  double top = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double v = double(y[i]);
    if (v < 0 || v != std::floor(v)) {
      std::ostringstream msg;
      msg.precision(17);
      msg << "invalid y for family multinomial: value " << v << " at row " << i + 1
          << " is not a class label (labels are the integers 0 … C−1)";
      throw std::invalid_argument(msg.str());
    }
    top = std::max(top, v);
  }
  if (top < 1)
    throw std::invalid_argument("invalid y for family multinomial: every row has class 0; it "
                                "needs at least 2 classes");
  if (top >= double(n)) {
    std::ostringstream msg;
    msg.precision(17);
    msg << "invalid y for family multinomial: label " << top << " needs " << top + 1
        << " classes, more than the " << n << " rows (labels are 0 … C−1, each present)";
    throw std::invalid_argument(msg.str());
  }
  const std::int64_t C = std::int64_t(top) + 1;
  std::vector<std::int64_t> count(std::size_t(C), 0);
  label.resize(std::size_t(n));
  for (std::int64_t i = 0; i < n; ++i) {
    label[std::size_t(i)] = int(y[i]);
    ++count[std::size_t(label[std::size_t(i)])];
  }
  for (std::int64_t c = 0; c < C; ++c)
    if (count[std::size_t(c)] < 2)
      throw std::invalid_argument(
          "invalid y for family multinomial: class " + std::to_string(c) + " has " +
          std::to_string(count[std::size_t(c)]) + " row" +
          (count[std::size_t(c)] == 1 ? "" : "s") + " (labels are 0 … " +
          std::to_string(C - 1) + "; glmnet needs at least 2 rows per class)");
  return C;
}

// ½·(largest eigenvalue of AᵀVA/n), A = [1 X̃] (X̃ alone without an intercept), V the row
// weights: a Lipschitz constant of the mean softmax loss's gradient, since the Hessian of
// log-sum-exp is ≤ ½·I.
double lipschitz(const MultinomialProblem& pr) {
  // the power iteration's 5% margin covers its underestimate after 300 steps
  return std::max(0.5 * pr.X->top_eigenvalue(pr.weight, pr.intercept) * 1.05, 1e-12);
}

// The null model: every penalized coefficient 0, the intercepts (and the unpenalized features'
// coefficients) at their optimum. Closed form without an offset or unpenalized features:
// b0_c = log(the weighted share of class c) with an intercept, η = 0 without; else solved
// (from that start) with the penalized features frozen. Returns its mean loss.
double null_model(MultinomialProblem& pr, const Options& o, double tol_abs,
                  std::vector<double>& B, std::vector<double>& b0) {
  const std::int64_t n = pr.n, C = pr.C;
  B.assign(std::size_t(pr.p * C), 0.0);
  b0.assign(std::size_t(C), 0.0);
  if (pr.intercept) {
    std::vector<double> share(std::size_t(C), 0.0);
    for (std::int64_t i = 0; i < n; ++i)
      share[std::size_t(pr.label[std::size_t(i)])] += pr.weight_of(i) / double(n);
    for (std::int64_t c = 0; c < C; ++c) b0[std::size_t(c)] = std::log(share[std::size_t(c)]);
  }
  const bool unpenalized = std::any_of(pr.factor.begin(), pr.factor.end(),
                                       [](double f) { return f == 0; });
  std::vector<double> P(std::size_t(n * C));
  if (pr.offset.empty() && !unpenalized) return multinomial_softmax(pr, B, b0, P);
  if (!pr.intercept && !unpenalized) return multinomial_softmax(pr, B, b0, P);
  pr.penalized_frozen = true;
  const double L = lipschitz(pr);
  const MultinomialPoint pt =
      solve_multinomial_point(pr, 1.0, L, tol_abs, std::max(o.max_iter, 10000), o.check_every,
                              B, b0);
  pr.penalized_frozen = false;
  return pt.loss;
}

// The problem without its design: labels, weights (glmnet's, normalized to sum to n), the
// offset matrix and the penalty factors of the features solved (std::invalid_argument for bad
// ones).
template <typename In>
MultinomialProblem problem_for(const In* y, std::int64_t n, const Options& o,
                               const FeatureSelection& sel) {
  MultinomialProblem pr;
  pr.n = n;
  pr.p = std::int64_t(sel.kept.size());
  pr.C = check_labels(y, n, pr.label);
  pr.intercept = o.intercept;
  pr.grouped = o.type_multinomial == MultinomialType::grouped;
  pr.alpha = o.alpha;
  const std::int64_t C = pr.C;
  check_multinomial_offset(o.offset, n, C);
  pr.offset = o.offset;
  if (!o.weights.empty()) {
    // glmnet's: normalized to sum to n (lognet's w/Σw, times n for this solver's 1/n)
    check_weights(o.weights, n);
    double sum = 0;
    for (double w : o.weights) sum += w;
    pr.weight.resize(std::size_t(n));
    for (std::int64_t i = 0; i < n; ++i)
      pr.weight[std::size_t(i)] = double(n) * o.weights[std::size_t(i)] / sum;
    std::vector<double> class_weight(std::size_t(C), 0.0);
    for (std::int64_t i = 0; i < n; ++i)
      class_weight[std::size_t(pr.label[std::size_t(i)])] += pr.weight[std::size_t(i)];
    for (std::int64_t c = 0; c < C; ++c)
      if (!(class_weight[std::size_t(c)] > 0))
        throw std::invalid_argument("invalid weights for family multinomial: every row of class " +
                                    std::to_string(c) + " has weight 0; each class must count");
  }
  if (!sel.factors.empty()) {
    pr.factor = sel.factors;
    for (const std::int64_t u : sel.unpenalized) pr.factor[std::size_t(u)] = 0.0;
  }
  return pr;
}

// The features a λ's solve starts on: the unpenalized ones, those nonzero in the warm start B,
// and glmnet's sequential strong rule from the previous λ's gradient G: feature j when
// max_c |g_jc| (grouped: ‖g_j·‖₂) ≥ α·f_j·(2λ − λ_prev). Ascending.
std::vector<std::int64_t> strong_set(const MultinomialProblem& pr, const std::vector<double>& B,
                                     const std::vector<double>& G, double lambda,
                                     double lambda_prev) {
  std::vector<std::int64_t> set;
  const double rule = pr.alpha * (2 * lambda - lambda_prev);
  for (std::int64_t j = 0; j < pr.p; ++j) {
    double top = 0, l2 = 0;
    bool nonzero = false;
    for (std::int64_t c = 0; c < pr.C; ++c) {
      const double g = G[std::size_t(j + c * pr.p)];
      top = std::max(top, std::fabs(g));
      l2 += g * g;
      nonzero = nonzero || B[std::size_t(j + c * pr.p)] != 0;
    }
    const double f = pr.factor_of(j);
    if (f == 0 || nonzero || (pr.grouped ? std::sqrt(l2) : top) >= rule * f) set.push_back(j);
  }
  return set;
}

// pr on the features `set` only (the others held at 0).
MultinomialProblem restricted(const MultinomialProblem& pr, const std::vector<std::int64_t>& set) {
  MultinomialProblem sub = pr;
  sub.p = std::int64_t(set.size());
  sub.X = pr.X->columns(set);
  const auto pick = [&set](std::vector<double>& v) {
    if (v.empty()) return;
    std::vector<double> kept;
    for (const std::int64_t j : set) kept.push_back(v[std::size_t(j)]);
    v = std::move(kept);
  };
  pick(sub.factor);
  pick(sub.lower);
  pick(sub.upper);
  return sub;
}

// One λ by FISTA on a working set (glmnet's strong rules): solved on strong_set's features,
// then every feature's optimality conditions checked on the full design; the features that
// violate theirs by more than tol_abs join the set and it is solved again (warm), until the
// full check passes. The certificate is the full one: the same stopping rule as a solve on all
// features, with products |set|/p of theirs. G: on entry the full gradient at the previous
// λ's solution (B), on return at this one's.
MultinomialPoint solve_on_working_set(const MultinomialProblem& pr, double lambda,
                                      double lambda_prev, double L, double tol_abs,
                                      const Options& o, std::vector<double>& B,
                                      std::vector<double>& b0, std::vector<double>& G) {
  const std::int64_t p = pr.p, C = pr.C;
  std::vector<std::int64_t> set = strong_set(pr, B, G, lambda, lambda_prev);
  std::vector<char> in(std::size_t(p), 0);
  for (const std::int64_t j : set) in[std::size_t(j)] = 1;
  std::vector<double> P(static_cast<std::size_t>(pr.n * C)), g0(static_cast<std::size_t>(C));
  MultinomialPoint out;
  for (;;) {
    const MultinomialProblem sub = restricted(pr, set);
    const auto w = std::int64_t(set.size());
    std::vector<double> Bw(std::size_t(w * C));
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t a = 0; a < w; ++a)
        Bw[std::size_t(a + c * w)] = B[std::size_t(set[std::size_t(a)] + c * p)];
    const MultinomialPoint pt =
        solve_multinomial_point(sub, lambda, L, tol_abs, o.max_iter - out.iterations,
                                o.check_every, Bw, b0);
    out.iterations += pt.iterations;
    std::fill(B.begin(), B.end(), 0.0);
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t a = 0; a < w; ++a)
        B[std::size_t(set[std::size_t(a)] + c * p)] = Bw[std::size_t(a + c * w)];
    out.loss = multinomial_softmax(pr, B, b0, P);
    multinomial_gradient(pr, P, G, g0);
    out.violation = multinomial_kkt(pr, B, G, g0, lambda);
    out.status = out.violation <= tol_abs ? Status::converged : Status::max_iter;
    if (out.status == Status::converged || out.iterations >= o.max_iter) return out;
    for (std::int64_t j = 0; j < p; ++j)
      if (!in[std::size_t(j)] && feature_violation(pr, B, G, j, lambda) > tol_abs) {
        in[std::size_t(j)] = 1;
        set.push_back(j);
      }
    // none joined: the set's own conditions missed the full check by rounding (its products
    // summed otherwise); solved again from here, within max_iter
    std::sort(set.begin(), set.end());
  }
}

// The path on pr (its design set): the null model, λ_max, every λ, glmnet's coef() scale.
Path solve_path(MultinomialProblem& pr, const Options& o, const FeatureSelection& sel,
                double largest_x, std::chrono::steady_clock::time_point start) {
  const std::int64_t n = pr.n, p = pr.p, C = pr.C;
  const std::vector<double>& mean = pr.X->mean;
  const std::vector<double>& scale = pr.X->scale;
  if (!sel.lower.empty()) {  // the limits of the returned β, on β̃ = s·β
    pr.lower.resize(std::size_t(p));
    pr.upper.resize(std::size_t(p));
    for (std::int64_t j = 0; j < p; ++j) {
      pr.lower[std::size_t(j)] = sel.lower[std::size_t(j)] * scale[std::size_t(j)];
      pr.upper[std::size_t(j)] = sel.upper[std::size_t(j)] * scale[std::size_t(j)];
    }
  }

  const double tol = o.tol.value_or(1e-7);
  std::vector<double> B_null, b0_null;
  // the null model's tolerance: its gradient is the start of λ_max's scale
  const double null_loss = null_model(pr, o, tol * 1e-3, B_null, b0_null);
  std::vector<double> B = B_null, b0 = b0_null;
  std::vector<double> P(static_cast<std::size_t>(n * C)), G(static_cast<std::size_t>(p * C));
  std::vector<double> g0(static_cast<std::size_t>(C));
  multinomial_softmax(pr, B, b0, P);
  multinomial_gradient(pr, P, G, g0);
  // λ_max over the penalized features: ungrouped max_jc |g_jc|/f_j, grouped max_j ‖g_j·‖₂/f_j,
  // over max(α, 1e-3) (glmnet's)
  double top = 0;
  for (std::int64_t j = 0; j < p; ++j) {
    const double f = pr.factor_of(j);
    if (f == 0) continue;
    double l2 = 0;
    for (std::int64_t c = 0; c < C; ++c) {
      const double g = G[std::size_t(j + c * p)];
      l2 += g * g;
      if (!pr.grouped) top = std::max(top, std::fabs(g) / f);
    }
    if (pr.grouped) top = std::max(top, std::sqrt(l2) / f);
  }
  const double lambda_max = top / std::max(o.alpha, 1e-3);
  // the deviance ratio's null: intercepts (and offset) only, as glmnet's nulldev
  double intercept_only_loss = null_loss;
  if (!sel.unpenalized.empty()) {
    MultinomialProblem bare = pr;
    bare.factor.assign(std::size_t(p), 1.0);
    std::vector<double> Bb, bb;
    intercept_only_loss = null_model(bare, o, tol * 1e-3, Bb, bb);
  }
  const std::vector<double> lambdas =
      o.lambdas.empty() ? log_spaced_path(lambda_max, o.nlambda,
                                  o.lambda_min_ratio.value_or(default_lambda_min_ratio(n, p)))
                : sorted_descending(o.lambdas);
  const double L = lipschitz(pr);
  const double tol_abs = tol * std::max(lambda_max, 1e-300);

  Path out;
  out.n_features = sel.p;
  out.n_classes = C;
  out.family = Family::multinomial;
  out.device = Device::cpu;
  out.device_name = "cpu";
  out.precision = Precision::float64;  // the host solver's arithmetic, whatever was asked
  out.lambda_max = lambda_max;
  const std::size_t K = lambdas.size();
  const auto P_all = static_cast<std::size_t>(sel.p);
  double lambda_prev = lambda_max;  // G: the gradient at the previous λ's solution
  for (std::size_t k = 0; k < K; ++k) {
    const double lambda = lambdas[k];
    MultinomialPoint pt;
    if (lambda * o.alpha >= top * (1 - zero_solution_slack<double>()) && o.alpha > 0) {
      // the null model solves it exactly (its KKT condition)
      B = B_null;
      b0 = b0_null;
      pt.loss = null_loss;
    } else {
      pt = solve_on_working_set(pr, lambda, lambda_prev, L, tol_abs, o, B, b0, G);
    }
    lambda_prev = lambda;
    out.lambdas.push_back(lambda);
    out.iterations.push_back(pt.iterations);
    out.newton_steps.push_back(0);
    out.gaps.push_back(pt.violation / std::max(lambda_max, 1e-300));
    out.status.push_back(pt.status);
    out.dev_ratio.push_back(intercept_only_loss > 0 ? 1.0 - pt.loss / intercept_only_loss
                                                    : 0.0);
    // the original scale (each β inside its limits exactly: the way back may round across one
    // by an ulp), all p features (the excluded ones 0), then glmnet's coef(): intercepts centred
    // over the classes
    std::vector<double> a0(std::size_t(C), 0.0);
    double a0_mean = 0;
    for (std::int64_t c = 0; c < C; ++c) {
      double a = o.intercept ? b0[std::size_t(c)] : 0.0;
      std::vector<double> row(P_all, 0.0);
      for (std::int64_t j = 0; j < p; ++j) {
        double b = B[std::size_t(j + c * p)] / scale[std::size_t(j)];
        if (!sel.lower.empty())
          b = std::min(std::max(b, sel.lower[std::size_t(j)]), sel.upper[std::size_t(j)]);
        row[std::size_t(sel.kept[std::size_t(j)])] = b;
        a -= b * mean[std::size_t(j)];
      }
      out.coefs.insert(out.coefs.end(), row.begin(), row.end());
      a0[std::size_t(c)] = a;
      a0_mean += a / double(C);
    }
    for (std::int64_t c = 0; c < C; ++c)
      out.intercepts.push_back(o.intercept ? a0[std::size_t(c)] - a0_mean : 0.0);
    if (o.progress) o.progress(double(k + 1) / double(K));
  }
  // no early end of an automatic path: fit() solves every λ (glmnet's path is a prefix of it)
  check_finite(out, "fit", double(C - 1), largest_x);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

template <typename In>
Path fit_any(const MatrixView<In>& X_all, const In* y, const Options& o) {
  const auto start = std::chrono::steady_clock::now();
  refuse_unsupported(o);
  // penalty factors (0 allowed: unpenalized), exclude and limits as glmnet resolves them
  const FeatureSelection sel = select_features(o, X_all.cols);
  const KeptColumns<In> kept =
      sel.all() ? KeptColumns<In>{{}, X_all} : kept_columns(X_all, sel);
  const MatrixView<In>& X = kept.view;
  MultinomialProblem pr = problem_for(y, X.rows, o, sel);
  pr.X = std::make_shared<DenseMultinomialDesign>(X, pr.weight, o.intercept, o.standardize);
  double largest_x = 0;  // for the message of a result that overflows (result_guard.hpp)
  for (std::int64_t j = 0; j < X.cols; ++j)
    largest_x = std::max(largest_x, largest_magnitude(X.data + j * X.ld, X.rows));
  return solve_path(pr, o, sel, largest_x, start);
}

template <typename In>
Path fit_any(const SparseMatrixView<In>& X, const In* y, const Options& o) {
  const auto start = std::chrono::steady_clock::now();
  refuse_unsupported(o);
  const FeatureSelection sel = select_features(o, X.cols);
  MultinomialProblem pr = problem_for(y, X.rows, o, sel);
  pr.X = std::make_shared<SparseMultinomialDesign>(X, sel.kept, pr.weight, o.intercept,
                                                   o.standardize);
  return solve_path(pr, o, sel, largest_magnitude(X.values, X.nnz), start);
}

}  // namespace

Path fit_multinomial(const MatrixView<double>& X, const double* y, const Options& options) {
  return fit_any(X, y, options);
}
Path fit_multinomial(const MatrixView<float>& X, const float* y, const Options& options) {
  return fit_any(X, y, options);
}
Path fit_multinomial(const SparseMatrixView<double>& X, const double* y, const Options& options) {
  return fit_any(X, y, options);
}
Path fit_multinomial(const SparseMatrixView<float>& X, const float* y, const Options& options) {
  return fit_any(X, y, options);
}

std::int64_t multinomial_class_count(const double* y, std::int64_t n) {
  std::vector<int> label;
  return check_labels(y, n, label);
}
std::int64_t multinomial_class_count(const float* y, std::int64_t n) {
  std::vector<int> label;
  return check_labels(y, n, label);
}

}  // namespace regpath::detail
