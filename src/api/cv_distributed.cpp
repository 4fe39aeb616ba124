// cross_validate() with the rows held by several ranks (regpath/distributed.hpp): the plan of
// all n rows (folds, measure), the fits — each α's full-data fit and its folds' — either dealt
// out to the ranks on gathered rows (folds over ranks) or run by all ranks together on the
// split rows (rows over ranks), each fold's held-out errors summed over every rank's rows, then
// cross_validate's summaries (api/cv_runs.hpp's, shared with the serial cv).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/cv_runs.hpp"
#include "api/fit_distributed.hpp"
#include "api/result_guard.hpp"
#include "backends/cpu_backend.hpp"
#include "distributed/agreement.hpp"
#include "regpath/distributed.hpp"

namespace regpath {

const char* to_string(CvDistribution d) {
  switch (d) {
    case CvDistribution::folds_over_ranks: return "folds over ranks";
    case CvDistribution::rows_over_ranks: return "rows over ranks";
    case CvDistribution::automatic: break;
  }
  return "automatic";
}

namespace {

// Where this rank's rows are among all n (rank order).
struct RowLayout {
  std::vector<std::int64_t> counts;  // rows per rank
  std::int64_t offset = 0, n = 0;    // this rank's first row (0-based), all ranks' rows
};

RowLayout row_layout(const Communicator& comm, std::int64_t mine) {
  RowLayout l;
  l.counts = detail::rank_row_counts(comm, mine);
  for (int r = 0; r < comm.size(); ++r) {
    if (r < comm.rank()) l.offset += l.counts[std::size_t(r)];
    l.n += l.counts[std::size_t(r)];
  }
  return l;
}

// This rank's first problem ("" when none): the options, what distributed cv does not take
// yet, the per-row options' counts and values, then its data.
template <typename In>
std::string local_cv_error(const MatrixView<In>& X, const In* y, const Options& o,
                           const CvOptions& cv, std::int64_t offset,
                           const detail::GivenSomewhere& given) {
  try {
    validate_options(o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  const auto not_yet = [](const std::string& what) {
    return "distributed cross-validation: " + what + " is not supported yet";
  };
  if (o.device == Device::cuda) return not_yet("device cuda (each rank runs on its CPU for now)");
  if (o.family == Family::multinomial) return not_yet("family multinomial");
  const std::string folds = detail::per_row_error("foldid", cv.foldid, X.rows, given.foldid);
  if (!folds.empty()) return folds;
  const std::string per_row = detail::per_row_options_error(o, X.rows, offset, given);
  if (!per_row.empty()) return per_row;
  return detail::local_data_error(X, y, offset);
}

// What every rank must share besides Options: the cv's own settings.
detail::OptionFingerprint cv_fingerprint(const Options& o, std::int64_t p, const CvOptions& cv,
                                         const DistributedCvOptions& how) {
  detail::OptionFingerprint f = detail::fingerprint(o, p);
  f.add("alphas", cv.alphas);
  f.add("nfolds", cv.nfolds);
  f.add("seed (low 32 bits)", double(cv.seed & 0xFFFFFFFFull));
  f.add("seed (high 32 bits)", double(cv.seed >> 32));
  f.add("type_measure", double(static_cast<int>(cv.type_measure)));
  f.add("distribution", double(static_cast<int>(how.distribution)));
  f.add("max_gathered_bytes", double(how.max_gathered_bytes));
  return f;
}

// Every rank's rows in rank order on every rank (n × p column-major, and y): one broadcast per
// rank that holds rows.
template <typename In>
struct AllRows {
  std::vector<In> X, y;
  std::int64_t n = 0, p = 0;
  MatrixView<In> view() const { return MatrixView<In>{X.data(), n, p, n}; }
};

template <typename In>
AllRows<In> gather_rows(const Communicator& comm, const MatrixView<In>& X, const In* y,
                        const RowLayout& layout) {
  AllRows<In> all;
  all.n = layout.n;
  all.p = X.cols;
  all.X.resize(static_cast<std::size_t>(all.n * all.p));
  all.y.resize(static_cast<std::size_t>(all.n));
  std::vector<In> block;
  std::int64_t first = 0;  // rank r's first row
  for (int r = 0; r < comm.size(); first += layout.counts[std::size_t(r)], ++r) {
    const std::int64_t rows = layout.counts[std::size_t(r)];
    if (rows == 0) continue;
    block.resize(static_cast<std::size_t>(rows * (all.p + 1)));
    if (r == comm.rank()) {
      for (std::int64_t j = 0; j < all.p; ++j)
        for (std::int64_t i = 0; i < rows; ++i) block[std::size_t(i + j * rows)] = X(i, j);
      std::copy(y, y + rows, block.begin() + all.p * rows);
    }
    comm.broadcast(block.data(), block.size() * sizeof(In), r);
    for (std::int64_t j = 0; j < all.p; ++j)
      std::copy(block.begin() + j * rows, block.begin() + (j + 1) * rows,
                all.X.begin() + (j * all.n + first));
    std::copy(block.begin() + all.p * rows, block.end(), all.y.begin() + first);
  }
  return all;
}

// Every rank's values of a per-row option, in rank order, on every rank (one sum of n values:
// the other ranks add zeros, exactly); empty when no rank gives any.
std::vector<double> gather_per_row(const Communicator& comm, const std::vector<double>& mine,
                                   bool given, const RowLayout& layout) {
  if (!given) return {};
  std::vector<double> all(static_cast<std::size_t>(layout.n), 0.0);
  std::copy(mine.begin(), mine.end(), all.begin() + layout.offset);
  comm.sum(all.data(), all.size());
  return all;
}

// The entries of v (one per row) whose row is outside fold f; v itself for f < 0.
std::vector<double> outside_fold(const std::vector<double>& v, const std::vector<int>& row_fold,
                                 int f) {
  if (f < 0 || v.empty()) return v;
  std::vector<double> out;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (row_fold[i] != f) out.push_back(v[i]);
  return out;
}

// A path as numbers (sizes first, the device name a character per number) and back: a fit
// broadcast from the rank that solved it.
std::vector<double> path_numbers(const Path& p) {
  std::vector<double> v{double(p.n_features),  double(p.lambdas.size()),
                        double(p.device_name.size()), p.lambda_max,
                        double(static_cast<int>(p.family)),
                        double(static_cast<int>(p.precision)), p.seconds,
                        double(p.peak_device_bytes)};
  const auto put = [&v](const auto& values) { v.insert(v.end(), values.begin(), values.end()); };
  put(p.lambdas);
  put(p.intercepts);
  put(p.coefs);
  put(p.iterations);
  put(p.newton_steps);
  put(p.gaps);
  put(p.dev_ratio);
  for (const Status s : p.status) v.push_back(double(static_cast<int>(s)));
  for (const char c : p.device_name) v.push_back(double(static_cast<unsigned char>(c)));
  return v;
}

Path path_from_numbers(const std::vector<double>& v) {
  Path p;
  p.n_features = std::int64_t(v[0]);
  const auto nl = std::size_t(v[1]), name = std::size_t(v[2]);
  p.lambda_max = v[3];
  p.family = static_cast<Family>(int(v[4]));
  p.precision = static_cast<Precision>(int(v[5]));
  p.seconds = v[6];
  p.peak_device_bytes = std::int64_t(v[7]);
  std::size_t at = 8;
  const auto take = [&](auto& out, std::size_t count) {
    using Value = typename std::decay_t<decltype(out)>::value_type;
    out.resize(count);
    for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<Value>(v[at + i]);
    at += count;
  };
  take(p.lambdas, nl);
  take(p.intercepts, nl);
  take(p.coefs, nl * std::size_t(p.n_features));
  take(p.iterations, nl);
  take(p.newton_steps, nl);
  take(p.gaps, nl);
  take(p.dev_ratio, nl);
  std::vector<int> status;
  take(status, nl);
  for (const int s : status) p.status.push_back(static_cast<Status>(s));
  for (std::size_t i = 0; i < name; ++i) p.device_name.push_back(char(int(v[at + i])));
  return p;
}

// The path `root` solved, on every rank: root's numbers (path_numbers), their count first.
Path path_from(const Communicator& comm, int root, std::vector<double> numbers) {
  double count = double(numbers.size());
  comm.broadcast(&count, sizeof count, root);
  numbers.resize(std::size_t(count));
  comm.broadcast(numbers.data(), numbers.size() * sizeof(double), root);
  return path_from_numbers(numbers);
}

// The linear predictors of the rows of X in fold f (row_fold: X's rows' folds) for each column
// of `raw` ((p+1) × nλ raw coefficients, row p the intercept), each plus its row's offset
// (none: 0): m × nλ, column-major, the rows' indices in `rows`.
struct HeldOut {
  std::vector<std::int64_t> rows;
  std::vector<double> eta;
};

template <typename In>
HeldOut held_out_predictions(const MatrixView<In>& X, const std::vector<int>& row_fold, int fold,
                             const std::vector<double>& raw, const std::vector<double>& offset) {
  const std::int64_t p = X.cols, nl = std::int64_t(raw.size()) / (p + 1);
  HeldOut h;
  for (std::int64_t i = 0; i < X.rows; ++i)
    if (row_fold[std::size_t(i)] == fold) h.rows.push_back(i);
  const auto m = std::int64_t(h.rows.size());
  if (m == 0) return h;
  std::vector<double> A(static_cast<std::size_t>(m * (p + 1)));
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t r = 0; r < m; ++r) A[std::size_t(r + j * m)] = double(X(h.rows[r], j));
  std::fill(A.begin() + p * m, A.end(), 1.0);
  // η = [X_f 1]·raw for the fold's held-out rows   (one GEMM, 2·m·(p+1)·nλ flops)
  h.eta.resize(std::size_t(m * nl));
  CpuBackend<double> be;
  be.gemm(false, false, m, nl, p + 1, 1.0, A.data(), m, raw.data(), p + 1, 0.0, h.eta.data(), m);
  if (!offset.empty())
    for (std::int64_t k = 0; k < nl; ++k)
      for (std::int64_t r = 0; r < m; ++r)
        h.eta[std::size_t(r + k * m)] += offset[std::size_t(h.rows[std::size_t(r)])];
  return h;
}

// A fold's held-out rows for the AUC: each row's η per λ (m × nλ, column-major), its class and
// weight.
struct FoldScores {
  std::vector<double> eta, weight;
  std::vector<int> label;
};

template <typename In>
FoldScores fold_scores(const MatrixView<In>& X, const In* y, const std::vector<int>& row_fold,
                       int fold, const std::vector<double>& raw,
                       const std::vector<double>& weights, const std::vector<double>& offset) {
  HeldOut h = held_out_predictions(X, row_fold, fold, raw, offset);
  FoldScores fs;
  fs.eta = std::move(h.eta);
  for (const std::int64_t i : h.rows) {
    fs.label.push_back(y[i] > In(0.5) ? 1 : 0);
    fs.weight.push_back(weights.empty() ? 1.0 : weights[std::size_t(i)]);
  }
  return fs;
}

// The same with the rows split between ranks: every rank's held-out rows of fold f, in rank
// order, on every rank (a sum of the row counts, then one of (nλ + 2) numbers per row: each
// rank fills its own rows' place, the others add zeros, exactly).
template <typename In>
FoldScores gathered_fold_scores(const Communicator& comm, const MatrixView<In>& X, const In* y,
                                const std::vector<int>& local_fold, int fold,
                                const std::vector<double>& raw, const Options& o) {
  const FoldScores mine = fold_scores(X, y, local_fold, fold, raw, o.weights, o.offset);
  const auto nl = std::size_t(raw.size() / std::size_t(X.cols + 1));
  const std::size_t rows = mine.label.size();
  const std::vector<std::int64_t> counts = detail::rank_row_counts(comm, std::int64_t(rows));
  std::size_t first = 0, total = 0;
  for (int r = 0; r < comm.size(); ++r) {
    if (r < comm.rank()) first += std::size_t(counts[std::size_t(r)]);
    total += std::size_t(counts[std::size_t(r)]);
  }
  // columns: η for each λ, then the label, then the weight
  std::vector<double> all(total * (nl + 2), 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = 0; k < nl; ++k) all[first + r + k * total] = mine.eta[r + k * rows];
    all[first + r + nl * total] = mine.label[r];
    all[first + r + (nl + 1) * total] = mine.weight[r];
  }
  comm.sum(all.data(), all.size());
  FoldScores fs;
  fs.eta.assign(all.begin(), all.begin() + std::ptrdiff_t(nl * total));
  for (std::size_t r = 0; r < total; ++r) {
    fs.label.push_back(all[r + nl * total] > 0.5 ? 1 : 0);
    fs.weight.push_back(all[r + (nl + 1) * total]);
  }
  return fs;
}

// Σ over this rank's rows of fold f of the measured error of each column of `raw` (as above),
// each row's error times its weight (none: 1).
template <typename In>
std::vector<double> local_test_error_sums(const MatrixView<In>& X, const In* y,
                                          const std::vector<int>& row_fold, int fold,
                                          const std::vector<double>& raw, const Options& o,
                                          ops::Measure measure) {
  const std::int64_t nl = std::int64_t(raw.size()) / (X.cols + 1);
  std::vector<double> sums(static_cast<std::size_t>(nl), 0.0);
  const HeldOut h = held_out_predictions(X, row_fold, fold, raw, o.offset);
  const auto m = std::int64_t(h.rows.size());
  ops::with_datafit(datafit_for(o.family), [&](auto fit) {
    using Fit = decltype(fit);
    for (std::int64_t r = 0; r < m; ++r) {
      const auto i = std::size_t(h.rows[std::size_t(r)]);
      const double v = o.weights.empty() ? 1.0 : o.weights[i];
      for (std::int64_t k = 0; k < nl; ++k)
        sums[std::size_t(k)] +=
            v * ops::measured_error<Fit>(measure, h.eta[std::size_t(r + k * m)], double(y[i]));
    }
    return 0;
  });
  return sums;
}

template <typename In>
DistributedCvResult cv_distributed_any(const Communicator& comm, const MatrixView<In>& X,
                                       const In* y, const Options& options, const CvOptions& cv,
                                       const DistributedCvOptions& how) {
  const auto start = std::chrono::steady_clock::now();
  const RowLayout layout = row_layout(comm, X.rows);
  const detail::GivenSomewhere given = detail::given_somewhere(comm, options, &cv);
  agree_on_errors(comm, local_cv_error(X, y, options, cv, layout.offset, given));
  agree_on_errors(comm,
                  detail::compare_with_rank0(comm, cv_fingerprint(options, X.cols, cv, how)));
  // From here every rank holds the same options and sizes: whatever throws, throws on all.
  const std::int64_t n = layout.n, p = X.cols;
  if (n < 2) throw std::invalid_argument("invalid X: need at least 2 observations, all ranks "
                                         "together (" + std::to_string(n) + ")");
  // the plan of all n rows: the given fold ids of every rank, or the serial cv's random folds
  CvOptions all_cv = cv;
  if (given.foldid) {
    std::vector<double> ids(static_cast<std::size_t>(n), 0.0);
    for (std::int64_t i = 0; i < X.rows; ++i)
      ids[std::size_t(layout.offset + i)] = cv.foldid[std::size_t(i)];
    comm.sum(ids.data(), ids.size());
    all_cv.foldid.assign(ids.begin(), ids.end());
  }
  const CvPlan plan = detail::make_plan(options, all_cv, n);
  if (plan.auc && n / plan.nfolds < 10)
    throw std::invalid_argument("invalid type_measure = auc: it needs at least 10 observations "
                                "per fold (" + std::to_string(n) + " rows in " +
                                std::to_string(plan.nfolds) + " folds); use fewer folds");
  const std::vector<int> local_fold(plan.row_fold.begin() + layout.offset,
                                    plan.row_fold.begin() + (layout.offset + X.rows));

  DistributedCvResult out;
  out.ranks = comm.size();
  out.distribution = how.distribution;
  const double gathered_bytes = double(n) * double(p) * double(sizeof(In));
  if (out.distribution == CvDistribution::automatic)
    out.distribution = gathered_bytes <= double(how.max_gathered_bytes)
                           ? CvDistribution::folds_over_ranks
                           : CvDistribution::rows_over_ranks;
  const bool over_rows = out.distribution == CvDistribution::rows_over_ranks;
  AllRows<In> all;
  std::vector<double> all_weights, all_offset;  // every rank's, in rank order (folds over ranks)
  if (!over_rows) {
    all = gather_rows(comm, X, y, layout);
    all_weights = gather_per_row(comm, options.weights, given.weights, layout);
    all_offset = gather_per_row(comm, options.offset, given.offset, layout);
  }

  const Options& o = options;
  const bool relative_end = traits_for(o.family).relative_path_end;
  const std::size_t na = plan.alphas.size(), units = na * std::size_t(plan.nfolds + 1);
  // fit u (α a, fold f; f = −1 the full data) with cross_validate's options for it (cv.glmnet's
  // y scaling; explicit λ for every fold, or the fold's own automatic path)
  const auto unit_options = [&](std::size_t u, int f) {
    Options uo = o;
    uo.alpha = plan.alphas[u / std::size_t(plan.nfolds + 1)];
    uo.glmnet_y_scaling = o.glmnet_y_scaling.value_or(true);
    uo.progress = nullptr;
    // this rank's rows' (rows over ranks) or every rank's (folds over ranks)
    uo.weights = over_rows ? outside_fold(o.weights, local_fold, f)
                           : outside_fold(all_weights, plan.row_fold, f);
    uo.offset = over_rows ? outside_fold(o.offset, local_fold, f)
                          : outside_fold(all_offset, plan.row_fold, f);
    return uo;
  };
  const auto fold_of = [&](std::size_t u) { return int(u % std::size_t(plan.nfolds + 1)) - 1; };
  std::vector<Path> unit_paths(units);
  if (over_rows) {
    // each fit by all ranks together, on its training rows where they are
    for (std::size_t u = 0; u < units; ++u) {
      const int f = fold_of(u);
      const detail::FoldData<In> train =
          f < 0 ? detail::FoldData<In>{} : detail::training_rows(X, y, local_fold, f);
      const MatrixView<In> tx = f < 0 ? X : train.view();
      unit_paths[u] = detail::fit_distributed(comm, MatrixView<In>{tx.data, tx.rows, p, tx.ld},
                                              f < 0 ? y : train.y.data(), unit_options(u, f), "");
      if (o.progress) o.progress(double(u + 1) / double(units));
    }
  } else {
    // every rank solves its own fits (u mod R) at once, then each is broadcast from its rank
    const int ranks = comm.size();
    std::vector<std::vector<double>> numbers(units);
    std::string error;  // this rank's first failed fit
    for (std::size_t u = std::size_t(comm.rank()); u < units && error.empty();
         u += std::size_t(ranks)) {
      const int f = fold_of(u);
      try {
        if (f < 0) {
          numbers[u] = path_numbers(fit(all.view(), all.y.data(), unit_options(u, f)));
        } else {
          const detail::FoldData<In> train =
              detail::training_rows(all.view(), all.y.data(), plan.row_fold, f);
          const MatrixView<In> tv = train.view();
          numbers[u] = path_numbers(fit(MatrixView<In>{tv.data, tv.rows, p, tv.ld},
                                        train.y.data(), unit_options(u, f)));
        }
      } catch (const std::exception& e) {
        error = *e.what() ? e.what() : "the fit failed";
      }
      if (o.progress) o.progress(double(u + 1) / double(units));
    }
    agree_on_errors(comm, error);  // a failed fit is every rank's error, before any exchange
    for (std::size_t u = 0; u < units; ++u)
      unit_paths[u] = path_from(comm, int(u % std::size_t(ranks)), std::move(numbers[u]));
  }
  for (Path& path : unit_paths)
    if (o.lambdas.empty())
      detail::keep_first(path, glmnet_path_length(path.dev_ratio, relative_end));

  // each fold's size: its held-out rows' weight sum (their number unweighted)
  std::vector<double> fold_size(std::size_t(plan.nfolds), 0.0);
  if (over_rows && given.weights) {  // this rank's rows' weights, summed over the ranks
    for (std::size_t i = 0; i < local_fold.size(); ++i)
      fold_size[std::size_t(local_fold[i])] += o.weights[i];
    comm.sum(fold_size.data(), fold_size.size());
  } else {
    for (std::size_t i = 0; i < plan.row_fold.size(); ++i)
      fold_size[std::size_t(plan.row_fold[i])] += all_weights.empty() ? 1.0 : all_weights[i];
  }
  for (int f = 0; f < plan.nfolds; ++f)
    if (!(fold_size[std::size_t(f)] > 0))
      throw std::invalid_argument("invalid weights: fold " + std::to_string(f + 1) +
                                  "'s held-out rows all have weight 0, so its error is not "
                                  "defined; choose other folds");
  for (std::size_t a = 0; a < na; ++a) {
    CvCurve c;
    c.alpha = plan.alphas[a];
    c.path = std::move(unit_paths[a * std::size_t(plan.nfolds + 1)]);
    c.lambdas = c.path.lambdas;
    c.nzero.assign(c.lambdas.size(), 0);
    for (std::size_t k = 0; k < c.lambdas.size(); ++k)
      for (std::int64_t j = 0; j < p; ++j)
        c.nzero[k] += c.path.coef(j, std::int64_t(k)) != 0.0 ? 1 : 0;
    std::vector<std::vector<double>> fold_error;
    for (int f = 0; f < plan.nfolds; ++f) {
      c.fold_paths.push_back(
          std::move(unit_paths[a * std::size_t(plan.nfolds + 1) + std::size_t(f + 1)]));
      const Path& fold = c.fold_paths.back();
      std::vector<double> at_full = detail::raw_block(fold);
      if (o.lambdas.empty())
        at_full = detail::interpolate_in_lambda(at_full, fold.lambdas, c.lambdas, p + 1);
      std::vector<double> e;
      if (plan.auc) {
        // the AUC of the fold's held-out rows: every rank holds them all (folds over ranks), or
        // each its own, gathered (rows over ranks)
        e.resize(c.lambdas.size());
        const FoldScores fs =
            over_rows ? gathered_fold_scores(comm, X, y, local_fold, f, at_full, o)
                      : fold_scores(all.view(), all.y.data(), plan.row_fold, f, at_full,
                                    all_weights, all_offset);
        const std::size_t m = fs.label.size();
        std::vector<detail::ScoredRow> scored;
        for (std::size_t k = 0; k < e.size(); ++k) {
          scored.clear();
          for (std::size_t r = 0; r < m; ++r)
            scored.push_back({fs.eta[r + k * m], fs.label[r], fs.weight[r]});
          const detail::RankedAuc r = detail::ranked_auc(scored);
          if (!(r.weight0 > 0 && r.weight1 > 0))
            throw std::invalid_argument("type_measure auc: fold " + std::to_string(f + 1) +
                                        "'s held-out rows hold only one class, where the AUC is "
                                        "not defined; choose other folds");
          e[k] = -r.auc;  // negated, as the serial cv: the curve's minimum is the best
        }
      } else {
        // Σ over every rank's held-out rows of fold f   (one sum of nλ values)
        e = local_test_error_sums(X, y, local_fold, f, at_full, o, plan.measure);
        comm.sum(e.data(), e.size());
        for (double& v : e) v /= fold_size[std::size_t(f)];
      }
      fold_error.push_back(std::move(e));
    }
    detail::summarize(c, fold_error, fold_size);
    if (plan.auc)
      for (double& m : c.cvm) m = -m;  // reported as the AUC itself
    out.cv.curves.push_back(std::move(c));
  }
  CvResult& res = out.cv;
  const double sense = plan.auc ? -1.0 : 1.0;
  for (std::size_t a = 1; a < res.curves.size(); ++a)
    if (sense * res.curves[a].cvm[res.curves[a].index_min] <
        sense * res.curves[res.best].cvm[res.curves[res.best].index_min])
      res.best = a;
  detail::flag_truncated_minimum(res, o);
  res.nfolds = plan.nfolds;
  res.measure = plan.resolved;
  res.foldid.resize(plan.row_fold.size());
  for (std::size_t i = 0; i < plan.row_fold.size(); ++i) res.foldid[i] = plan.row_fold[i] + 1;
  res.device = Device::cpu;
  res.device_name = res.curves.front().path.device_name;
  // the same on every rank: rank 0's clock
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  comm.broadcast(&seconds, sizeof seconds, 0);
  res.seconds = seconds;
  return out;
}

}  // namespace

DistributedCvResult cross_validate(const Communicator& comm, const MatrixView<double>& local_X,
                                   const double* local_y, const Options& options,
                                   const CvOptions& cv, const DistributedCvOptions& how) {
  return cv_distributed_any(comm, local_X, local_y, options, cv, how);
}
DistributedCvResult cross_validate(const Communicator& comm, const MatrixView<float>& local_X,
                                   const float* local_y, const Options& options,
                                   const CvOptions& cv, const DistributedCvOptions& how) {
  return cv_distributed_any(comm, local_X, local_y, options, cv, how);
}

}  // namespace regpath
