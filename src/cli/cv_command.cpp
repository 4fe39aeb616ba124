#include "cli/cv_command.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "cli/cli_args.hpp"
#include "cli/csv_table.hpp"
#include "cli/feature_options.hpp"
#include "cli/fit_command.hpp"
#include "cli/fold_ids.hpp"
#include "cli/offset_column.hpp"
#include "cli/many_responses.hpp"
#include "cli/npy_file.hpp"
#include "cli/response_file.hpp"
#include "cli/output_files.hpp"
#include "cli/mpi_ranks.hpp"
#include "cli/progress.hpp"
#include "cli/rank_rows.hpp"
#include "cli/svg_plot.hpp"
#include "regpath/distributed.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cli {
namespace {

const char* const kCommand = "regpath cv";

const ArgParser& cv_parser() {
  static const ArgParser parser = [] {
    std::vector<FlagSpec> flags = data_flags(
        "the response column of DATA.csv (required unless --response-file);\n"
        "every other column is a feature; several: --response A,B,C (one curve per\n"
        "response; CV.csv then starts with a response column)");
    flags.push_back(responses_file_flag());
    flags.push_back({"output", "CV.csv", "where to write the CV curve (required): lambda,cvm,cvsd,cvup,cvlo,nzero,\n"
                     "one row per λ in descending order (a leading alpha column with several α)"});
    for (auto& f : model_flags()) {
      const bool alpha = f.name == "alpha";
      flags.push_back(std::move(f));
      if (alpha)
        flags.push_back({"alphas", "A1,A2,...", "cross-validate several α (each in [0, 1]) on the same folds; the best\n"
                         "is the α whose curve reaches the least cvm. Not with --alpha"});
    }
    for (auto& f : feature_flags()) flags.push_back(std::move(f));
    flags.insert(flags.end(), {
        {"nfolds", "K", "number of folds, at least 3 (default 10); rows are assigned at random"},
        {"type-measure", "M", "cv.glmnet's type.measure: mse (gaussian's default), mae, deviance\n"
         "(the GLM families' default), class (binomial's and multinomial's\n"
         "misclassification rate) or auc (binomial's area under the ROC curve; the best λ\n"
         "the largest AUC; at least 10 rows per fold); binomial mse/mae are of the\n"
         "probability, doubled as cv.glmnet sums them over the two classes; multinomial's\n"
         "sum (y_c − p_c)², |y_c − p_c| over the classes (y_c: 1 for the row's class)"},
        {"foldid", "FILE", "the fold of each data row: one integer 1..K per line, in row order (a\n"
         "first line that is not a number, such as a header \"foldid\", is skipped);\n"
         "every fold needs rows and K ≥ 3. --nfolds, if given, must equal K"},
        {"seed", "S", "seed of the random fold assignment (default 1; the same folds on every\n"
         "platform); ignored with --foldid"},
        {"weights", "FILE",
         "glmnet's weights: one observation weight per row of DATA (each >= 0, not\n"
         "all 0), from a .npy of shape (n,) or a one-column CSV (a header line optional),\n"
         "as cv.glmnet takes them: each fold fitted with its training rows' weights, its\n"
         "error weighted over its held-out rows, the folds weighted by their weight sums.\n"
         "With several responses the same weights for each"},
        offset_flag(),
        {"path-output", "PATH.csv", "also write the full-data path of the best α, in regpath fit's --output\n"
         "format (lambda,intercept,<features>) and two last columns is_lambda_min,\n"
         "is_lambda_1se: 1 on the row of lambda.min (lambda.1se), else 0; with several\n"
         "responses a leading response column, as CV.csv's"},
        {"save-model", "MODEL.json", "also save the model (docs/model_format.md): the best α's full-data fit,\n"
         "the CV curve and lambda.min / lambda.1se, for regpath predict and regpath coef\n"
         "(whose default λ is then lambda.1se, as cv.glmnet's); with several responses one\n"
         "model per response, MODEL.json holding {response} (e.g. models/{response}.json)"},
        {"plot", "PLOT.svg", "also draw the CV curve as SVG: cvm ± cvsd against log(λ), with dashed\n"
         "markers at lambda.min and lambda.1se (one curve per α; markers of the best); with\n"
         "several responses one plot per response, PLOT.svg holding {response}"},
        {"quiet", "", "no summary and no progress bar on stderr (errors are still reported)"},
        {"help", "", "show this help"}});
    return ArgParser(kCommand, std::move(flags));
  }();
  return parser;
}

struct CvRequest {
  Options options;
  CvOptions cv;
  std::optional<std::string> foldid_file;
};

// Flags → Options and CvOptions. Checks that need only the command line are made here, so that
// they are usage errors found before the data is read.
CvRequest request_from(const ParsedArgs& a) {
  CvRequest r;
  r.options = options_from(a, kCommand);
  if (auto v = a.get("type-measure")) {
    if (*v == "mse") r.cv.type_measure = CvMeasure::mse;
    else if (*v == "mae") r.cv.type_measure = CvMeasure::mae;
    else if (*v == "deviance") r.cv.type_measure = CvMeasure::deviance;
    else if (*v == "class") r.cv.type_measure = CvMeasure::misclassification;
    else if (*v == "auc") r.cv.type_measure = CvMeasure::auc;
    else
      throw UsageError(std::string(kCommand) + ": --type-measure: unknown measure " +
                       quoted_for_message(*v) + " (expected mse, mae, deviance, class or auc)");
    const Family f = r.options.family;
    if ((r.cv.type_measure == CvMeasure::misclassification && f != Family::binomial &&
         f != Family::multinomial) ||
        (r.cv.type_measure == CvMeasure::auc && f != Family::binomial))
      throw UsageError(std::string(kCommand) + ": --type-measure " + *v + " needs --family " +
                       (r.cv.type_measure == CvMeasure::auc ? "binomial"
                                                            : "binomial or multinomial"));
  }
  if (auto v = a.get("alphas")) {
    if (a.has("alpha")) throw UsageError(std::string(kCommand) + ": give --alpha or --alphas, not both");
    r.cv.alphas = parse_double_list("alphas", *v);
    for (double alpha : r.cv.alphas) {
      Options one = r.options;
      one.alpha = alpha;
      try {
        validate_options(one);
      } catch (const std::invalid_argument& e) {
        throw UsageError(std::string(kCommand) + ": --alphas: " + e.what());
      }
    }
  }
  if (auto v = a.get("nfolds")) {
    r.cv.nfolds = parse_int("nfolds", *v);
    if (r.cv.nfolds < 3)
      throw UsageError(std::string(kCommand) + ": --nfolds " + *v +
                       ": cross-validation needs at least 3 folds (as cv.glmnet)");
  }
  if (auto v = a.get("seed")) r.cv.seed = parse_uint64("seed", *v);
  r.foldid_file = a.get("foldid");
  return r;
}

// Reads --foldid for the data's rows; --nfolds must then agree with the file's number of folds.
// Without --foldid, the number of folds (given or the default) must not exceed the rows: a usage
// error, as --nfolds below 3 is, and said with the default when it was not given.
void load_fold_ids(CvRequest& r, const ParsedArgs& a, std::int64_t rows, const std::string& data) {
  if (!r.foldid_file) {
    if (r.cv.nfolds <= rows) return;
    const std::string given = a.has("nfolds") ? "--nfolds " + std::to_string(r.cv.nfolds)
                                              : "the default --nfolds " +
                                                    std::to_string(r.cv.nfolds);
    throw UsageError(std::string(kCommand) + ": " + given + " exceeds the " +
                     std::to_string(rows) + " data rows of " + data +
                     " (every fold needs a row); " +
                     (rows >= 3 ? "give --nfolds K with 3 <= K <= " + std::to_string(rows)
                                : std::string("cross-validation needs at least 3 rows")));
  }
  r.cv.foldid = read_fold_ids(*r.foldid_file, static_cast<std::size_t>(rows));
  const int K = *std::max_element(r.cv.foldid.begin(), r.cv.foldid.end());
  if (a.has("nfolds") && r.cv.nfolds != K)
    throw UsageError(std::string(kCommand) + ": --nfolds " + std::to_string(r.cv.nfolds) +
                     " disagrees with --foldid " + *r.foldid_file + ", whose largest fold id is " +
                     std::to_string(K) + " (leave out --nfolds, or make them agree)");
  r.cv.nfolds = K;
}

std::string cv_csv(const CvResult& result) {
  const bool several = result.curves.size() > 1;
  std::ostringstream os;
  os << (several ? "alpha," : "") << "lambda,cvm,cvsd,cvup,cvlo,nzero\n";
  for (const CvCurve& c : result.curves)
    for (std::size_t k = 0; k < c.lambdas.size(); ++k) {
      if (several) os << format_finite(c.alpha, "alpha") << ',';
      os << format_finite(c.lambdas[k], "lambda") << ',' << format_finite(c.cvm[k], "cvm") << ','
         << format_finite(c.cvsd[k], "cvsd") << ',' << format_finite(c.cvm[k] + c.cvsd[k], "cvup") << ','
         << format_finite(c.cvm[k] - c.cvsd[k], "cvlo") << ',' << c.nzero[k] << '\n';
    }
  return os.str();
}

// The full-data path as regpath fit writes it, with two last columns is_lambda_min and
// is_lambda_1se: 1 on the row of that selection, else 0 (numbers, so that every cell of the file
// still reads as one).
// Multinomial (labels: the classes' labels): multinomial_path_csv's C rows per λ, each marked.
std::string marked_path_csv(const std::vector<std::string>& names, const CvCurve& c,
                            const std::vector<double>& labels) {
  std::istringstream in(labels.empty() ? path_csv(names, c.path)
                                       : multinomial_path_csv(names, c.path, labels));
  const std::size_t rows_per_lambda = labels.empty() ? 1 : labels.size();
  std::ostringstream os;
  std::string line;
  std::getline(in, line);
  os << line << ",is_lambda_min,is_lambda_1se\n";
  for (std::size_t row = 0; std::getline(in, line); ++row) {
    const std::size_t k = row / rows_per_lambda;
    os << line << ',' << (k == c.index_min ? 1 : 0) << ',' << (k == c.index_1se ? 1 : 0) << '\n';
  }
  return os.str();
}

// The selections, machine-readable: "lambda.min X" / "lambda.1se X" per α.
void print_selection(const CvResult& result, std::ostream& out) {
  const bool several = result.curves.size() > 1;
  for (const CvCurve& c : result.curves) {
    if (several) out << "alpha " << format_finite(c.alpha, "alpha") << '\n';
    out << "lambda.min " << format_finite(c.lambda_min, "lambda.min") << '\n';
    out << "lambda.1se " << format_finite(c.lambda_1se, "lambda.1se") << '\n';
  }
  if (several) out << "best alpha " << format_number(result.curves[result.best].alpha) << '\n';
}

// cv.glmnet's path end cuts the curve: with a fine grid (--nlambda 1000) it ends sooner, and a
// lambda.min at its end is only the last λ looked at, not a minimum. Said even with --quiet.
void warn_truncated_minimum(const CvResult& result, const Options& o, std::ostream& err) {
  for (const CvCurve& c : result.curves) {
    if (!c.lambda_min_at_end) continue;
    char line[768];
    std::snprintf(line, sizeof line,
                  "warning: %slambda.min %.6g is at the end of the path, which ended early "
                  "after %zu of %d lambdas at %.6g (glmnet's rule: the deviance explained "
                  "passed 0.999 or stopped changing, which a finer --nlambda reaches sooner): "
                  "the CV error may "
                  "still fall at smaller lambda. To see the rest, give --lambda with values "
                  "reaching below %.6g (an explicit list is solved in full), or a coarser "
                  "--nlambda\n",
                  result.curves.size() > 1 ? ("alpha " + format_number(c.alpha) + ": ").c_str()
                                           : "",
                  c.lambda_min, c.lambdas.size(), o.nlambda, c.lambdas.back(), c.lambdas.back());
    err << line;
  }
}

// Fits of one α that did not converge: over the full-data path and every fold's path.
struct Unconverged {
  int max_iter = 0, stalled = 0;
  std::vector<double> lambdas;  // the λ with at least one such fit, descending

  int total() const { return max_iter + stalled; }
};

Unconverged unconverged(const CvCurve& c) {
  Unconverged u;
  std::vector<bool> hit(c.lambdas.size(), false);
  auto count = [&](const Path& p) {
    for (std::size_t k = 0; k < p.status.size(); ++k) {
      if (p.status[k] == Status::converged) continue;
      (p.status[k] == Status::max_iter ? u.max_iter : u.stalled) += 1;
      if (k < hit.size()) hit[k] = true;
    }
  };
  count(c.path);
  for (const Path& p : c.fold_paths) count(p);
  for (std::size_t k = 0; k < hit.size(); ++k)
    if (hit[k]) u.lambdas.push_back(c.lambdas[k]);
  return u;
}

// n: every rank's rows together under mpirun
void summarise(const CvResult& result, const CvRequest& r, std::int64_t n, std::int64_t p,
               std::ostream& err) {
  const CvCurve& best = result.curves[result.best];
  std::string alphas;
  for (const CvCurve& c : result.curves) alphas += (alphas.empty() ? "" : ",") + format_number(c.alpha);
  const std::string folds =
      r.foldid_file ? "from " + *r.foldid_file : "random, seed " + std::to_string(r.cv.seed);
  char line[768];
  std::snprintf(line, sizeof line,
                "regpath cv: %d folds (%s), %zu lambdas, alpha %s, %s, n %lld, p %lld\n",
                result.nfolds, folds.c_str(), best.lambdas.size(), alphas.c_str(),
                to_string(r.options.family), static_cast<long long>(n),
                static_cast<long long>(p));
  err << line;
  std::snprintf(line, sizeof line,
                "  device %s (%s), %.3f s; %slambda.min %.6g (cvm %.6g), lambda.1se %.6g "
                "(cvm %.6g)\n",
                result.device_name.c_str(), to_string(r.options.precision), result.seconds,
                result.curves.size() > 1 ? ("best alpha " + format_number(best.alpha) + ": ").c_str()
                                         : "",
                best.lambda_min, best.cvm[best.index_min], best.lambda_1se,
                best.cvm[best.index_1se]);
  err << line;
  for (const CvCurve& c : result.curves) {
    const Unconverged u = unconverged(c);
    if (u.total() == 0) continue;
    std::string where;
    for (std::size_t i = 0; i < u.lambdas.size() && i < 5; ++i) {
      char value[32];
      std::snprintf(value, sizeof value, "%s%.6g", i ? ", " : "", u.lambdas[i]);
      where += value;
    }
    if (u.lambdas.size() > 5) where += ", ...";
    std::snprintf(line, sizeof line,
                  "warning: alpha %s: %d of %zu fits (%zu lambdas x (%zu folds + the full data)) "
                  "did not converge (%d max_iter, %d stalled), at %zu lambdas: %s; their errors "
                  "are used anyway (tol %.3g)\n",
                  format_number(c.alpha).c_str(), u.total(),
                  c.lambdas.size() * (c.fold_paths.size() + 1), c.lambdas.size(),
                  c.fold_paths.size(), u.max_iter, u.stalled, u.lambdas.size(), where.c_str(),
                  effective_tol(r.options));
    err << line;
  }
}

// cv.glmnet's plot(cvfit): cvm with ±cvsd bars against log(λ), the two selections marked; the
// title names the response when one is given (several responses: one plot each).
PlotSpec cv_plot(const CvResult& result, Family family, const std::string& response = "") {
  const CvCurve& best = result.curves[result.best];
  const bool several = result.curves.size() > 1;
  char title[160];
  std::snprintf(title, sizeof title, " (%s, %salpha=%s, %d folds)", to_string(family),
                several ? "best " : "", format_number(best.alpha).c_str(), result.nfolds);
  PlotSpec spec;
  spec.title = "Cross-validation" + (response.empty() ? "" : " of " + response) + title;
  spec.x_label = "log(lambda)";
  switch (result.measure) {
    case CvMeasure::mae: spec.y_label = "Mean absolute error"; break;
    case CvMeasure::misclassification: spec.y_label = "Misclassification error"; break;
    case CvMeasure::auc: spec.y_label = "AUC"; break;
    case CvMeasure::deviance:
      spec.y_label = family == Family::binomial  ? "Binomial deviance"
                     : family == Family::poisson ? "Poisson deviance"
                                                 : "Mean-squared error";
      break;
    default: spec.y_label = "Mean-squared error"; break;
  }
  for (const CvCurve& c : result.curves) {
    PlotSeries s;
    if (several) s.label = "alpha=" + format_number(c.alpha);
    s.points = true;
    for (std::size_t k = 0; k < c.lambdas.size(); ++k) {
      s.x.push_back(std::log(c.lambdas[k]));
      s.y.push_back(c.cvm[k]);
      s.y_lo.push_back(c.cvm[k] - c.cvsd[k]);
      s.y_hi.push_back(c.cvm[k] + c.cvsd[k]);
    }
    spec.series.push_back(std::move(s));
  }
  spec.markers.push_back({std::log(best.lambda_min), "lambda.min"});
  spec.markers.push_back({std::log(best.lambda_1se), "lambda.1se"});
  return spec;
}

// regpath cv with several responses (cli/many_responses.hpp): one cross-validation per
// response on the same folds; CV.csv with a leading response column, lambda.min / lambda.1se of
// each response on stdout after a line "response NAME"; --path-output the full-data paths with
// the same leading column.
// Under mpirun: one distributed cv per response, all ranks together (its fold ids this rank's
// rows'), and how the last one shared the work.
std::vector<CvResult> cv_on_ranks(const Communicator& comm, const ManyDesign& d, CvRequest r,
                                  const RowOptionNames& names, ProgressBar& bar,
                                  CvDistribution& distribution) {
  return each_response_on_ranks(d, bar, [&](const double* y, std::function<void(double)> progress) {
    r.options.progress = std::move(progress);
    try {
      DistributedCvResult dr = cross_validate(comm, d.design.view(), y, r.options, r.cv);
      distribution = dr.distribution;
      return std::move(dr.cv);
    } catch (const std::invalid_argument& e) {
      rethrow_naming_inputs(e, d.design, names.weights_file, names.offset_name);
    }
  });
}

int run_cv_many(const ParsedArgs& a, const ManySource& source, CvRequest r,
                const Communicator* comm, std::ostream& out, std::ostream& err) {
  const std::string output = required_arg(a, kCommand, "output", "CV.csv");
  std::vector<NamedPath> inputs = source.inputs;
  if (r.foldid_file) inputs.push_back({"--foldid", *r.foldid_file});
  if (const auto weights = a.get("weights")) inputs.push_back({"--weights", *weights});
  const auto path_output = a.get("path-output");
  std::vector<NamedPath> outputs{{"--output", output}};
  if (path_output) outputs.push_back({"--path-output", *path_output});
  const auto plot = a.get("plot"), model = a.get("save-model");
  if (plot) per_response_outputs("plot", *plot, {"y"});  // a pattern without {response}: now
  if (model) per_response_outputs("save-model", *model, {"y"});
  on_rank0(comm, [&] { check_outputs(inputs, outputs); });  // under mpirun rank 0 writes
  ManyDesign d = comm ? source.load_rows(*comm) : source.load();
  const RowOptionNames row_names = take_row_options(a, source, d, r.options, kCommand);
  // --plot / --save-model: one file per response, named once the names are read
  std::vector<NamedPath> plots, models;
  if (plot) plots = per_response_outputs("plot", *plot, d.responses);
  if (model) models = per_response_outputs("save-model", *model, d.responses);
  outputs.insert(outputs.end(), plots.begin(), plots.end());
  outputs.insert(outputs.end(), models.begin(), models.end());
  on_rank0(comm, [&] { check_outputs(inputs, outputs); });
  apply_feature_flags(a, d.design.names, r.options, kCommand);
  load_fold_ids(r, a, d.all_rows, source.data);
  if (comm && !r.cv.foldid.empty())  // this rank's rows' ids
    r.cv.foldid = std::vector<int>(r.cv.foldid.begin() + d.first_row,
                                   r.cv.foldid.begin() + (d.first_row + d.design.n));
  notice_device_fallback(r.options, err);
  ProgressBar bar(err, "cv", progress_enabled(err, a.has("quiet")) && mpi_rank() == 0);
  r.options.progress = bar.callback();
  CvDistribution distribution = CvDistribution::automatic;
  const std::vector<CvResult> results = [&] {
    if (comm) return cv_on_ranks(*comm, d, r, row_names, bar, distribution);
    try {
      if (d.sparse) return cross_validate(d.sparse->view(), d.Yv(), r.options, r.cv);
      return cross_validate(d.design.view(), d.Yv(), r.options, r.cv);
    } catch (const ResponseError& e) {
      rethrow_response_error(e, d);
    } catch (const ColumnError& e) {
      rethrow_column_error(e, d.design);
    } catch (const std::invalid_argument& e) {
      rethrow_naming_inputs(e, d.design, row_names.weights_file, row_names.offset_name);
    }
  }();
  bar.clear();
  r.options.progress = nullptr;
  // the models' standardization record: every rank's rows (two sums, before rank 0 goes on)
  const RankMoments moments =
      comm && model ? rank_moments(d.design, *comm, d.all_rows) : RankMoments{};
  if (comm && comm->rank() != 0) return 0;
  std::ostringstream selection;
  std::string csv, paths;
  double seconds = 0;
  for (std::size_t k = 0; k < results.size(); ++k) {
    if (results[k].curves.empty()) throw std::runtime_error("cross-validation returned no curve");
    selection << "response " << d.responses[k] << '\n';
    print_selection(results[k], selection);
    const std::string name = csv_field(d.responses[k]);
    csv += with_leading_column(cv_csv(results[k]), "response", name, k == 0);
    if (path_output)
      paths += with_leading_column(
          marked_path_csv(d.design.names, results[k].curves[results[k].best], {}), "response", name,
          k == 0);
    seconds += results[k].seconds;
  }
  StagedOutputs files;
  files.add(output, csv);
  if (path_output) files.add(*path_output, paths);
  for (std::size_t k = 0; k < plots.size(); ++k)
    files.add(plots[k].path, render_svg(cv_plot(results[k], r.options.family, d.responses[k])));
  for (std::size_t k = 0; k < models.size(); ++k) {
    Model m = response_model(results[k], r.options, d);
    if (comm) record_rank_standardization(m, moments);
    files.add(models[k].path, model_to_json(m));
  }
  files.commit();
  out << selection.str();
  for (std::size_t k = 0; k < results.size(); ++k) {
    std::ostringstream warned;
    warn_truncated_minimum(results[k], r.options, warned);
    if (!warned.str().empty())
      err << "response " << quoted_for_message(d.responses[k]) << ": " << warned.str();
  }
  if (a.has("quiet")) return 0;
  char line[256];
  std::snprintf(line, sizeof line, "regpath cv: %zu responses, %d folds, n %lld, p %lld, %.3f s\n",
                results.size(), results.front().nfolds, static_cast<long long>(d.all_rows),
                static_cast<long long>(d.design.p()), seconds);
  err << line;
  if (comm)
    err << "  ranks " << comm->size() << ", " << to_string(distribution) << " (each read its own "
        << "block of " << source.data << "'s rows; rank 0 wrote the outputs)\n";
  err << "  wrote " << output << '\n';
  if (path_output) err << "  wrote " << *path_output << '\n';
  if (!plots.empty())
    err << "  wrote " << plots.size() << " plots (" << plots.front().path << ", …)\n";
  if (!models.empty())
    err << "  wrote " << models.size() << " models (" << models.front().path << ", …)\n";
  return 0;
}

}  // namespace

std::string cv_help() {
  return "usage: regpath cv DATA.csv --response NAME --output CV.csv [options]\n"
         "       regpath cv DATA.npy --response-file FILE --output CV.csv [options]\n"
         "       regpath cv DATA.h5 --x-dataset X --y-dataset y --output CV.csv [options]\n"
         "\n"
         "Cross-validates the elastic-net path as R's cv.glmnet does. The λ list comes from the\n"
         "whole data (per α, as regpath fit makes it); each fold is fitted on the other folds'\n"
         "rows, with their own standardization, and scored on its own rows:\n"
         "  gaussian: the mean squared error;\n"
         "  binomial: the deviance, −2·mean(y·log p + (1−y)·log(1−p)), p clamped into\n"
         "            [1e-5, 1 − 1e-5];\n"
         "  poisson:  the deviance, 2·mean(y·log(y/μ) − (y − μ)), μ = e^η;\n"
         "  multinomial: the deviance, −2·mean(log p_y), p_y the probability of the row's\n"
         "            class, clamped into [1e-5, 1 − 1e-5] (--path-output: lambda,class,...,\n"
         "            one row per λ and class, as regpath fit writes it; --save-model: a\n"
         "            multinomial model, its classes' labels included, for regpath predict).\n"
         "Per λ, over the K folds with errors e_f and sizes n_f:\n"
         "  cvm  = Σ n_f·e_f / Σ n_f, the mean error weighted by fold size;\n"
         "  cvsd = √( Σ n_f·(e_f − cvm)² / Σ n_f / (K − 1) ), its weighted standard error;\n"
         "  cvup = cvm + cvsd, cvlo = cvm − cvsd; nzero = nonzero coefficients of the full-data fit.\n"
         "lambda.min is the λ of least cvm (the largest on ties); lambda.1se the largest λ whose\n"
         "cvm ≤ min cvm + the cvsd at lambda.min. With several α (--alphas) every α uses the same\n"
         "folds and the best α is the one whose curve reaches the least cvm. As cv.glmnet, the\n"
         "gaussian fits (the folds' and the full-data path of --path-output) use glmnet's internal\n"
         "scaling of y, which matters only for α < 1: there they are glmnet's fits, not regpath fit's.\n"
         "\n"
         "DATA.csv is read as by regpath fit (a header row, numeric cells, the response named by\n"
         "--response, every other column a feature; or .npy, see below). The CV curve goes to CV.csv, numbers printed\n"
         "so that they read back exactly. stdout gets, per α (each block after a line \"alpha A\"\n"
         "when there are several, then \"best alpha A\"):\n"
         "  lambda.min VALUE\n"
         "  lambda.1se VALUE\n"
         "and stderr a summary: folds, λ count, α, device, time, and any fits that did not converge.\n"
         "\n"
         "Under mpirun (mpirun -np R regpath cv DATA.csv --response NAME ..., DATA.npy with\n"
         "--response-file, or DATA.h5 with --x-dataset; regpath built with MPI) each rank reads\n"
         "its own block of DATA's rows (as regpath fit does) and the ranks cross-validate\n"
         "together, choosing how: with all of X under 1 GiB every rank gathers the rows and the\n"
         "fits (each α's full-data fit and its folds') are dealt out to the ranks (\"folds over\n"
         "ranks\"); otherwise every fit runs on the split rows, all ranks together (\"rows over\n"
         "ranks\"). The curves are the single process's; rank 0 writes the outputs and the\n"
         "summary says which way was used.\n"
         "--foldid gives every row's fold (the whole file, read by every rank). --weights FILE\n"
         "has every row's weight (read by every rank), --offset a column of each rank's block.\n"
         "Several responses: one distributed cv each, one after another. Not yet under\n"
         "mpirun: multinomial, Matrix Market DATA.\n"
         "\n" +
         data_formats_help() +
         "\n"
         "options:\n" +
         cv_parser().flag_help() +
         "\n"
         "exit status: 0 success, 1 bad data (fold ids included) or a failure while fitting,\n"
         "2 bad command line.\n";
}

int run_cv(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  ParsedArgs a = cv_parser().parse(args);  // --responses-file with one name: --response
  if (a.has("help")) {
    out << cv_help();
    return 0;
  }
  // under mpirun: each rank reads its own block of rows (cli/rank_rows.hpp), the ranks
  // cross-validate together (regpath/distributed.hpp), rank 0 writes the outputs
  const Communicator* comm = mpi_world();
  if (const auto source = many_source_on_ranks(a, kCommand, comm)) {
    const CvRequest many = request_from(a);
    if (many.options.family == Family::multinomial)
      throw UsageError(std::string(kCommand) + ": --family multinomial takes one response, "
                       "not several");
    if (source->sparse && comm)
      throw UsageError(std::string(kCommand) + " under mpirun: a Matrix Market DATA (sparse X) "
                       "is not supported yet with several ranks");
    if (source->sparse) refuse_for_sparse_x(a, many.options, *source->sparse, kCommand);
    return run_cv_many(a, *source, many, comm, out, err);
  }
  const DataSpec spec = comm ? rank_data_spec(a, kCommand, true) : data_spec(a, kCommand);
  const std::string& data = spec.data;
  const std::string output = required_arg(a, kCommand, "output", "CV.csv");
  CvRequest r = request_from(a);
  const bool quiet = a.has("quiet");
  if (comm && r.options.family == Family::multinomial)
    throw UsageError(std::string(kCommand) + ": --family multinomial is not supported under "
                     "mpirun yet");

  const auto path_output = a.get("path-output");
  const auto plot = a.get("plot");
  // Before any work: no output over an input or another output, every output writable.
  std::vector<NamedPath> inputs = spec.inputs();
  if (r.foldid_file) inputs.push_back({"--foldid", *r.foldid_file});
  const auto weights_file = a.get("weights");
  if (weights_file) inputs.push_back({"--weights", *weights_file});
  std::vector<NamedPath> outputs{{"--output", output}};
  if (path_output) outputs.push_back({"--path-output", *path_output});
  if (plot) outputs.push_back({"--plot", *plot});
  const auto save_model_file = a.get("save-model");
  if (save_model_file) outputs.push_back({"--save-model", *save_model_file});
  on_rank0(comm, [&] { check_outputs(inputs, outputs); });

  if (spec.mtx) {
    if (comm)
      throw UsageError(std::string(kCommand) + " under mpirun: a Matrix Market DATA (sparse X) "
                       "is not supported yet with several ranks");
    refuse_for_sparse_x(a, r.options, spec, kCommand);
  }
  Design d;
  std::optional<SparseInput> sparse;  // a Matrix Market DATA: X kept sparse, d without X
  std::int64_t all_rows = 0, first_row = 0;  // every rank's rows; where this rank's start
  std::vector<double> rank_weight_values;     // under mpirun: this rank's rows' weights
  if (spec.mtx) {
    sparse = load_sparse_input(spec, quiet, err);
    d = sparse->design;
    all_rows = d.n;
  } else if (comm) {
    RankDesign rows = read_rank_design(spec, *comm);
    if (weights_file) rank_weight_values = rank_weights(*weights_file, rows, data);
    d = std::move(rows.design);
    all_rows = rows.all_rows;
    first_row = rows.first_row;
  } else {
    d = load_design(spec);
    all_rows = d.n;
  }
  const auto offset_name = a.get("offset");  // a column of DATA.csv, then not a feature
  if (offset_name)
    r.options.offset = take_offset_columns(d, *offset_name, r.options.family, kCommand,
                                           !spec.npy && !spec.hdf5);
  apply_feature_flags(a, d.names, r.options, kCommand);
  const std::vector<double> labels = response_classes(d, r.options);  // multinomial's
  load_fold_ids(r, a, all_rows, data);
  if (comm && !r.cv.foldid.empty())  // this rank's rows' ids
    r.cv.foldid = std::vector<int>(r.cv.foldid.begin() + first_row,
                                   r.cv.foldid.begin() + (first_row + d.n));
  // their count and values are the library's to check (named with the file below)
  if (weights_file)
    r.options.weights = comm ? std::move(rank_weight_values) : read_response_file(*weights_file);
  notice_device_fallback(r.options, err);
  ProgressBar bar(err, "cv", progress_enabled(err, quiet) && mpi_rank() == 0);
  r.options.progress = bar.callback();
  CvDistribution distribution = CvDistribution::automatic;
  const CvResult result = [&] {
    try {
      if (comm) {
        DistributedCvResult dr =
            cross_validate(*comm, d.view(), d.y.data(), r.options, r.cv);
        distribution = dr.distribution;
        return std::move(dr.cv);
      }
      if (sparse) return cross_validate(sparse->x.view(), d.y.data(), r.options, r.cv);
      return cross_validate(d.view(), d.y.data(), r.options, r.cv);
    } catch (const ColumnError& e) {
      rethrow_column_error(e, d);
    } catch (const std::invalid_argument& e) {
      if (sparse) rethrow_sparse_refusal(e, spec, kCommand);
      rethrow_naming_inputs(e, d, weights_file, offset_name);
    }
  }();
  bar.clear();
  r.options.progress = nullptr;  // the bar's work is done; nothing may call into it any more
  if (result.curves.empty()) throw std::runtime_error("cross-validation returned no curve");
  // under mpirun the model's standardization record from every rank's rows (two sums)
  const RankMoments moments =
      comm && save_model_file ? rank_moments(d, *comm, all_rows) : RankMoments{};
  if (comm && comm->rank() != 0) return 0;

  std::ostringstream selection;  // rendered before anything is written, as every output
  print_selection(result, selection);
  StagedOutputs files;  // all written, then all renamed into place: none half-written
  files.add(output, cv_csv(result));
  if (path_output)
    files.add(*path_output, marked_path_csv(d.names, result.curves[result.best], labels));
  if (save_model_file) {
    const MatrixView<double> X = d.view();
    Model m = with_class_labels(
        make_model(result, r.options, d.names, comm || sparse ? nullptr : &X), labels);
    if (sparse) record_sparse_standardization(m, sparse->x);
    if (comm) record_rank_standardization(m, moments);  // every rank's rows
    files.add(*save_model_file, model_to_json(m));
  }
  if (plot) files.add(*plot, render_svg(cv_plot(result, r.options.family)));
  files.commit();
  out << selection.str();
  warn_truncated_minimum(result, r.options, err);
  if (quiet) return 0;
  summarise(result, r, all_rows, d.p(), err);
  if (sparse)
    err << "  X sparse: " << sparse->x.nnz() << " nonzero entries of " << sparse->x.rows << " × "
        << sparse->x.cols << '\n';
  if (comm)
    err << "  ranks " << comm->size() << ", " << to_string(distribution) << " (each read its own "
        << "block of " << data << "'s rows; rank 0 wrote the outputs)\n";
  err << "  wrote " << output << '\n';
  if (path_output) err << "  wrote " << *path_output << '\n';
  if (plot) err << "  wrote " << *plot << '\n';
  if (save_model_file) err << "  wrote " << *save_model_file << '\n';
  return 0;
}

}  // namespace regpath::cli
