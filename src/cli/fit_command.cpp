#include "cli/fit_command.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/cli_args.hpp"
#include "cli/feature_options.hpp"
#include "cli/fit_ranks.hpp"
#include "cli/csv_table.hpp"
#include "cli/hdf5_file.hpp"
#include "cli/many_responses.hpp"
#include "cli/mpi_ranks.hpp"
#include "cli/matrix_market.hpp"
#include "cli/npz_file.hpp"
#include "cli/offset_column.hpp"
#include "cli/npy_file.hpp"
#include "cli/output_files.hpp"
#include "cli/progress.hpp"
#include "cli/response_file.hpp"
#include "cli/svg_plot.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cli {
namespace {

const ArgParser& fit_parser() {
  static const ArgParser parser = [] {
    std::vector<FlagSpec> flags = data_flags(
        "the response column of DATA.csv (required unless --response-file);\n"
        "every other column is a feature; several: --response A,B,C (each fitted\n"
        "on its own; the output then starts with a response column)");
    flags.push_back(responses_file_flag());
    flags.push_back({"output", "PATH.csv", "where to write the path (required): lambda,intercept,<features>, one row per λ"});
    for (auto& f : model_flags()) flags.push_back(std::move(f));
    for (auto& f : feature_flags()) flags.push_back(std::move(f));
    flags.insert(flags.end(), {
        {"weights", "FILE",
         "glmnet's weights: one observation weight per row of DATA (each >= 0, not\n"
         "all 0; only their ratios matter), from a .npy of shape (n,) or a one-column CSV\n"
         "(a header line optional). Every family; with several responses the same\n"
         "weights for each (cv: regpath cv --weights)"},
        offset_flag(),
        {"print-path", "", "print the path to stdout as glmnet's print(fit) does: Df, %Dev, Lambda\n"
         "(with iterations, relative gap and status per λ); with several responses one\n"
         "table per response, headed \"response NAME\""},
        {"plot", "PATH.svg", "also draw the coefficient paths as an SVG line plot: one line per feature\n"
         "that is ever nonzero, coefficient against log(λ); with several responses one plot\n"
         "per response, PATH holding {response} (e.g. plots/{response}.svg)"},
        {"save-model", "MODEL.json", "also save the fitted model (docs/model_format.md) for regpath predict\n"
         "and regpath coef; with several responses one model per response, MODEL.json\n"
         "holding {response} (e.g. models/{response}.json)"},
        {"quiet", "", "no summary and no progress bar on stderr (errors are still reported)"},
        {"help", "", "show this help"}});
    return ArgParser("regpath fit", std::move(flags));
  }();
  return parser;
}

Family parse_family(const std::string& s) {
  if (s == "gaussian") return Family::gaussian;
  if (s == "binomial") return Family::binomial;
  if (s == "poisson") return Family::poisson;
  if (s == "multinomial") return Family::multinomial;
  throw UsageError("--family: unknown family '" + s +
                   "' (expected gaussian, binomial, poisson or multinomial)");
}
Precision parse_precision(const std::string& s) {
  if (s == "float64" || s == "double") return Precision::float64;
  if (s == "float32" || s == "float") return Precision::float32;
  throw UsageError("--precision: unknown precision '" + s + "' (expected float64 or float32)");
}

// The Newton steps of λ k (0 where the path does not report them).
int newton_steps_at(const Path& fit, std::size_t k) {
  return k < fit.newton_steps.size() ? fit.newton_steps[k] : 0;
}

// Converged λ that needed no proximal-gradient iteration.
int solved_without_iterations(const Path& fit) {
  int count = 0;
  for (std::size_t k = 0; k < fit.status.size(); ++k)
    count += fit.status[k] == Status::converged && fit.iterations[k] == 0;
  return count;
}

}  // namespace

void summarise(const Path& fit, const Options& o, std::int64_t n, double tol, std::ostream& err) {
  long long total = 0, newton = 0;
  int most = 0, converged = 0;
  double worst = 0;
  for (std::int64_t k = 0; k < fit.nlambda(); ++k) {
    const auto uk = static_cast<std::size_t>(k);
    total += fit.iterations[uk];
    most = std::max(most, fit.iterations[uk]);
    newton += newton_steps_at(fit, uk);
    worst = std::max(worst, fit.gaps[uk]);
    converged += fit.status[uk] == Status::converged;
  }
  char line[512];
  std::snprintf(line, sizeof line,
                "regpath fit: %lld lambdas from %.6g to %.6g (lambda_max %.6g), alpha %g, %s, "
                "n %lld, p %lld\n",
                static_cast<long long>(fit.nlambda()), fit.lambdas.front(), fit.lambdas.back(),
                fit.lambda_max, o.alpha, to_string(fit.family), static_cast<long long>(n),
                static_cast<long long>(fit.n_features));
  err << line;
  std::snprintf(line, sizeof line,
                "  device %s (%s), %.3f s, proximal-gradient iterations %lld in all, %d at most; "
                "Newton steps %lld; worst relative gap %.3g (tol %.3g); %d/%lld converged\n",
                fit.device_name.c_str(), to_string(fit.precision), fit.seconds, total, most,
                newton, worst, tol, converged, static_cast<long long>(fit.nlambda()));
  err << line;
  // "0 iterations" read as if nothing ran: on small problems the active-set Newton steps (or
  // the host fallback) finish a λ before any proximal-gradient iteration is needed.
  const int without = solved_without_iterations(fit);
  if (without > 0) {
    std::snprintf(line, sizeof line,
                  "  %d of them solved with 0 proximal-gradient iterations: by coordinate "
                  "descent or Newton steps from the previous λ's solution (or exactly 0 at "
                  "lambda_max), certified by the same duality gap\n",
                  without);
    err << line;
  }
  int warned = 0;
  for (std::int64_t k = 0; k < fit.nlambda(); ++k) {
    const auto uk = static_cast<std::size_t>(k);
    if (fit.status[uk] == Status::converged) continue;
    if (++warned <= 5) {
      std::snprintf(line, sizeof line,
                    "warning: lambda %.6g did not converge (%s after %d iterations, relative gap "
                    "%.3g > tol %.3g); its row is written anyway\n",
                    fit.lambdas[uk], to_string(fit.status[uk]), fit.iterations[uk], fit.gaps[uk],
                    tol);
      err << line;
    }
  }
  if (warned > 5) err << "warning: ... and " << warned - 5 << " more lambdas did not converge\n";
}

void print_path(const Path& fit, std::ostream& out) {
  char line[160];
  std::snprintf(line, sizeof line, "%5s %4s %7s %12s %7s %6s %10s  %s\n", "", "Df", "%Dev",
                "Lambda", "Iter", "Newton", "Gap", "Status");
  out << line;
  for (std::int64_t k = 0; k < fit.nlambda(); ++k) {
    const auto uk = static_cast<std::size_t>(k);
    int df = 0;  // multinomial: the features nonzero in some class
    const std::int64_t C = std::max<std::int64_t>(fit.n_classes, 1);
    for (std::int64_t j = 0; j < fit.n_features; ++j) {
      bool nonzero = false;
      for (std::int64_t c = 0; c < C; ++c)
        nonzero = nonzero || fit.coefs[std::size_t(j + (k * C + c) * fit.n_features)] != 0;
      df += nonzero;
    }
    std::snprintf(line, sizeof line, "%5lld %4d %7.2f %12.6g %7d %6d %10.2e  %s\n",
                  static_cast<long long>(k + 1), df,
                  100 * require_finite(fit.dev_ratio[uk], "deviance ratio"),
                  require_finite(fit.lambdas[uk], "lambda"), fit.iterations[uk],
                  newton_steps_at(fit, uk), require_finite(fit.gaps[uk], "gap"),
                  to_string(fit.status[uk]));
    out << line;
  }
  if (solved_without_iterations(fit) > 0)
    out << "(Iter: proximal-gradient iterations; 0 where Newton steps solved the λ alone. "
           "Newton: the Newton steps taken)\n";
}

PlotSpec coefficient_plot(const Path& fit, const std::vector<std::string>& names, double alpha,
                          const std::string& response) {
  char title[64];
  std::snprintf(title, sizeof title, " (%s, alpha=%g)", to_string(fit.family), alpha);
  PlotSpec spec;
  spec.title = "Coefficient paths" + (response.empty() ? "" : " of " + response) + title;
  spec.x_label = "log(lambda)";
  spec.y_label = "coefficient";
  std::vector<double> log_lambda;
  for (double l : fit.lambdas) log_lambda.push_back(std::log(l));
  for (std::int64_t j = 0; j < fit.n_features; ++j) {
    PlotSeries s;
    bool nonzero = false;
    for (std::int64_t k = 0; k < fit.nlambda(); ++k) {
      s.y.push_back(fit.coef(j, k));
      nonzero = nonzero || fit.coef(j, k) != 0;
    }
    if (!nonzero) continue;
    s.label = names[static_cast<std::size_t>(j)];
    s.x = log_lambda;
    spec.series.push_back(std::move(s));
  }
  return spec;
}

Device parse_device(const std::string& s) {
  if (s == "auto") return Device::automatic;
  if (s == "cpu") return Device::cpu;
  if (s == "cuda") return Device::cuda;
  throw UsageError("--device: unknown device '" + s + "' (expected auto, cpu or cuda)");
}

std::vector<FlagSpec> model_flags() {
  return {
      {"family", "F",
       "gaussian (default), binomial (logistic regression; the response coded 0/1),\n"
       "poisson (log link; the response counts ≥ 0) or multinomial (regpath fit and\n"
       "cv: glmnet's symmetric multinomial; the response holds numeric class labels,\n"
       "classes in sorted order; output lambda,class,intercept,<features>)"},
      {"type-multinomial", "T", "with --family multinomial: ungrouped (default; a lasso per\n"
       "coefficient) or grouped (a group lasso over a feature's classes), glmnet's\n"
       "type.multinomial"},
      {"alpha", "A", "elastic-net mixing α in [0, 1]: 1 lasso (default), 0 ridge"},
      {"lambda", "L1,L2,...", "explicit λ values (> 0, any order; reported in descending order)"},
      {"nlambda", "N", "length of the automatic path, 1 to 100000 (default 100)"},
      {"lambda-min-ratio", "R", "smallest λ of the automatic path as a fraction of λ_max, in (0, 1)\n"
       "(default 1e-4 when n ≥ p, else 1e-2, as glmnet)"},
      {"no-standardize", "", "do not scale the features (with an intercept they are still centred)"},
      {"no-intercept", "", "fit without an intercept (no centring)"},
      {"tol", "T", "stop a λ when its duality gap ≤ T·P(β), P the penalized objective: T bounds the\n"
       "relative suboptimality (default 1e-7; 1e-4 with float32)"},
      {"max-iter", "N",
       "proximal-gradient iterations per λ (default 100000); a λ still\n"
       "above --tol then gets a host fallback (coordinate descent or\n"
       "proximal Newton) where the problem is small enough, else it is\n"
       "reported as not converged"},
      {"device", "D", "auto (default: CUDA when usable, else CPU), cpu or cuda"},
      {"precision", "P", "float64 (default) or float32 arithmetic"},
      {"block-size", "K", "λ values solved together as one block (default 20)"},
      {"threads", "N", "with several responses: threads, each solving whole responses (the\n"
       "results are the same for any N). Default 0, automatic: the environment's\n"
       "REGPATH_NUM_THREADS when set, else every core when n > 2p or DATA is sparse,\n"
       "else 1 (BLAS threads the products of a wide dense X)"},
      {"glmnet-y-scaling", "", "gaussian: glmnet's response scaling (y divided by its sd, so the ridge\n"
       "part of the penalty is divided by it too): glmnet's numbers for any y. Default\n"
       "off for fit (the documented objective, scikit-learn's), on for cv (cv.glmnet's\n"
       "fold fits); the two agree when y has 1/n sd 1, and for the lasso always"},
      {"no-glmnet-y-scaling", "", "gaussian: the documented objective, y not scaled (see above)"}};
}

// Range checks are the library's (validate_options), so both commands and the API agree.
Options options_from(const ParsedArgs& a, const std::string& command) {
  Options o;
  if (auto v = a.get("family")) o.family = parse_family(*v);
  if (auto v = a.get("alpha")) o.alpha = parse_double("alpha", *v);
  if (auto v = a.get("lambda")) o.lambdas = parse_double_list("lambda", *v);
  if (auto v = a.get("nlambda")) o.nlambda = parse_int("nlambda", *v);
  if (auto v = a.get("lambda-min-ratio")) o.lambda_min_ratio = parse_double("lambda-min-ratio", *v);
  if (auto v = a.get("tol")) o.tol = parse_double("tol", *v);
  if (auto v = a.get("max-iter")) o.max_iter = parse_int("max-iter", *v);
  if (auto v = a.get("device")) o.device = parse_device(*v);
  if (auto v = a.get("precision")) o.precision = parse_precision(*v);
  if (auto v = a.get("block-size")) o.block_size = parse_int("block-size", *v);
  if (auto v = a.get("threads")) o.threads = parse_int("threads", *v);
  if (auto v = a.get("type-multinomial")) {
    if (o.family != Family::multinomial)
      throw UsageError(command + ": --type-multinomial needs --family multinomial");
    if (*v == "grouped") o.type_multinomial = MultinomialType::grouped;
    else if (*v != "ungrouped")
      throw UsageError(command + ": --type-multinomial: unknown type '" + *v +
                       "' (expected ungrouped or grouped)");
  }
  if (o.family == Family::multinomial && command != "regpath fit" && command != "regpath cv")
    throw UsageError(command + ": --family multinomial is not supported yet (regpath fit and "
                               "regpath cv only)");
  o.standardize = !a.has("no-standardize");
  o.intercept = !a.has("no-intercept");
  if (a.has("glmnet-y-scaling") && a.has("no-glmnet-y-scaling"))
    throw UsageError("--glmnet-y-scaling and --no-glmnet-y-scaling contradict each other");
  if (a.has("glmnet-y-scaling")) o.glmnet_y_scaling = true;
  if (a.has("no-glmnet-y-scaling")) o.glmnet_y_scaling = false;
  if (a.has("lambda") && (a.has("nlambda") || a.has("lambda-min-ratio")))
    throw UsageError("--lambda cannot be combined with --nlambda or --lambda-min-ratio");
  try {
    // multinomial's own checks are fit()'s; the rest as for the other families
    Options rest = o;
    if (rest.family == Family::multinomial) rest.family = Family::gaussian;
    validate_options(rest);
  } catch (const std::invalid_argument& e) {
    throw UsageError(command + ": " + e.what());
  }
  return o;
}

double effective_tol(const Options& o) {
  return o.tol ? *o.tol : (o.precision == Precision::float32 ? 1e-4 : 1e-7);
}

std::string data_path_arg(const ParsedArgs& a, const std::string& command) {
  if (a.positionals.size() != 1)
    throw UsageError(a.positionals.empty()
                         ? command + ": missing DATA.csv (see " + command + " --help)"
                         : command + ": expected one DATA.csv, got " +
                               std::to_string(a.positionals.size()) + " positional arguments");
  return a.positionals[0];
}

std::string required_arg(const ParsedArgs& a, const std::string& command, const std::string& flag,
                         const std::string& metavar) {
  const auto v = a.get(flag);
  if (!v) throw UsageError(command + ": --" + flag + " " + metavar + " is required");
  return *v;
}

std::vector<std::string> feature_names_for(const DataSpec& spec, std::int64_t cols) {
  std::vector<std::string> names;
  if (!spec.feature_names) {
    for (std::int64_t j = 0; j < cols; ++j) names.push_back("x" + std::to_string(j + 1));
    return names;
  }
  names = read_feature_names(*spec.feature_names);
  if (static_cast<std::int64_t>(names.size()) != cols)
    throw InputError(*spec.feature_names + " has " + std::to_string(names.size()) +
                     " feature names, " + spec.data + " has " + std::to_string(cols) +
                     " columns: give one name per column");
  return names;
}

Design read_design(const std::string& path, const std::string& response) {
  const CsvTable table = read_csv(path);
  Design d = design_from_table(table, response);
  if (table.rows() < 2)
    throw InputError(table.source + ": " + std::to_string(table.rows()) +
                     " data row; need at least 2");
  return d;
}

Design design_from_table(const CsvTable& table, const std::string& response) {
  const std::size_t yj = table.column_index(response);
  if (table.cols() < 2)
    throw InputError(table.source + ": no feature columns besides the response '" + response +
                     "'");
  Design d;
  d.source = table.source;
  d.n = static_cast<std::int64_t>(table.rows());
  d.X.reserve(table.rows() * (table.cols() - 1));
  for (std::size_t j = 0; j < table.cols(); ++j) {
    if (j == yj) continue;
    d.names.push_back(table.names[j]);
    d.X.insert(d.X.end(), table.columns[j].begin(), table.columns[j].end());
  }
  d.y = table.columns[yj];
  return d;
}

std::vector<FlagSpec> data_flags(const std::string& response_help) {
  return {
      {"response", "NAME", response_help},
      {"response-file", "FILE", "the response from its own file: a .npy array of shape (n,) or (n, 1)\n"
       "(float64 or float32), or a one-column CSV with or without a header line.\n"
       "Needed with DATA.npy; with DATA.csv every column is then a feature.\n"
       "Several responses: a .npy of shape (n, m) (named y1..ym) or an m-column CSV\n"
       "(its header names them), each fitted on its own; outputs then have a leading\n"
       "response column"},
      {"feature-names", "FILE", "with DATA.npy, DATA.mtx or HDF5 DATA: the features' names, one\n"
       "per line (default x1..xp)"},
      {"x-dataset", "NAME", "with HDF5 DATA (data.h5): the 2-D dataset (n, p) holding X (required there;\n"
       "needs a build with HDF5)"},
      {"y-dataset", "NAME", "with HDF5 DATA: the dataset holding the response, (n,) or (n, 1)\n"
       "(or give --response-file); (n, m): m responses, named by its string attribute\n"
       "response_names (else y1..ym), outputs with a leading response column"}};
}

std::vector<NamedPath> DataSpec::inputs() const {
  std::vector<NamedPath> in{
      {npy ? "DATA.npy" : hdf5 ? "DATA.h5" : mtx ? "DATA.mtx" : "DATA.csv", data}};
  if (response_file) in.push_back({"--response-file", *response_file});
  if (feature_names) in.push_back({"--feature-names", *feature_names});
  return in;
}

DataSpec data_spec(const ParsedArgs& a, const std::string& command) {
  DataSpec s;
  s.data = data_path_arg(a, command);
  s.npy = is_npy_file(s.data);
  s.response = a.get("response");
  s.response_file = a.get("response-file");
  s.feature_names = a.get("feature-names");
  s.mtx = !s.npy && (is_matrix_market_file(s.data) || is_npz_file(s.data));
  s.hdf5 = !s.npy && !s.mtx && is_hdf5_file(s.data);
  s.x_dataset = a.get("x-dataset");
  s.y_dataset = a.get("y-dataset");
  if ((s.x_dataset || s.y_dataset) && !hdf5_supported())
    throw std::runtime_error(command + ": --" + (s.x_dataset ? "x" : "y") +
                             "-dataset: this regpath was built without HDF5, so it cannot read "
                             "HDF5 files (install libhdf5-dev, e.g. scripts/setup-deps, and "
                             "reconfigure; or save the arrays as .npy)");
  if (s.hdf5) {
    if (s.response)
      throw UsageError(command + ": " + s.data + " is an HDF5 file: give the response with "
                                 "--y-dataset NAME or --response-file FILE, not --response");
    if (!s.x_dataset)
      throw UsageError(command + ": " + s.data + " is an HDF5 file: --x-dataset NAME is required");
    if (s.y_dataset && s.response_file)
      throw UsageError(command + ": give --y-dataset NAME or --response-file FILE, not both");
    if (!s.y_dataset && !s.response_file)
      throw UsageError(command + ": " + s.data + " is an HDF5 file: --y-dataset NAME (or "
                                 "--response-file FILE) is required");
    return s;
  }
  if (s.x_dataset || s.y_dataset)
    throw UsageError(command + ": --x-dataset and --y-dataset are for an HDF5 DATA; " + s.data +
                     " is not an HDF5 file (it is read as " +
                     (s.npy ? ".npy" : s.mtx ? "Matrix Market" : "CSV") + ")");
  if (s.response && s.response_file)
    throw UsageError(command + ": give --response NAME (a column of DATA.csv) or --response-file "
                               "FILE, not both");
  if (s.npy && s.response)
    throw UsageError(command + ": " + s.data + " is a .npy array, which has no named columns: "
                               "give the response with --response-file FILE, not --response");
  if (s.mtx && s.response)
    throw UsageError(command + ": " + s.data + " is a Matrix Market file (X alone, sparse): "
                               "give the response with --response-file FILE, not --response");
  if (!s.npy && !s.mtx && s.feature_names)
    throw UsageError(command + ": --feature-names is for a .npy DATA; " + s.data +
                     " is read as CSV, whose header names its columns");
  if (!s.response && !s.response_file)
    throw UsageError(s.npy   ? command + ": --response-file FILE is required with a .npy DATA"
                     : s.mtx ? command + ": --response-file FILE is required with a Matrix "
                                         "Market DATA"
                             : command + ": --response NAME is required (or --response-file "
                                         "FILE)");
  return s;
}

namespace {

void check_rows(const Design& d) {
  if (d.p() < 1) throw InputError(d.source + ": no feature columns");
  if (d.n < 2)
    throw InputError(d.source + ": " + std::to_string(d.n) + " data row" + (d.n == 1 ? "" : "s") +
                     "; need at least 2");
}

void attach_response(Design& d, const DataSpec& spec) {
  std::string from;
  if (spec.hdf5 && spec.y_dataset) {
    d.y = read_hdf5_vector(spec.data, *spec.y_dataset);
    from = spec.data + " dataset " + quoted_for_message(*spec.y_dataset);
  } else {
    d.y = read_response_file(*spec.response_file);
    from = *spec.response_file;
  }
  if (static_cast<std::int64_t>(d.y.size()) != d.n)
    throw InputError(from + " has " + std::to_string(d.y.size()) +
                     " response values, " + d.source + " has " + std::to_string(d.n) +
                     " rows: they must match, one response per row");
}

}  // namespace

Design load_design(const DataSpec& spec) {
  if (!spec.npy && spec.response) return read_design(spec.data, *spec.response);
  Design d = load_features(spec);
  attach_response(d, spec);
  return d;
}

Design load_features(const DataSpec& spec) {
  // The dense readers' callers (several responses) cannot take a sparse X yet; fit and cv with
  // one response read it themselves (load_sparse_input) and never come here with one.
  if (spec.mtx)
    throw UsageError(spec.data + " is a Matrix Market file (sparse X), which regpath fit and "
                                 "cv read with one response only for now (not several "
                                 "responses)");
  Design d;
  d.source = spec.data;
  if (spec.npy || spec.hdf5) {
    NpyMatrix m;
    std::vector<std::string> stored_names;  // an HDF5 X's feature_names attribute
    if (spec.npy) {
      m = read_npy_matrix(spec.data);
    } else {
      Hdf5Matrix h = read_hdf5_matrix(spec.data, *spec.x_dataset);
      d.source = spec.data + " dataset " + quoted_for_message(*spec.x_dataset);
      m.rows = h.rows;
      m.cols = h.cols;
      m.owned = std::move(h.values);
      stored_names = std::move(h.names);
    }
    d.n = static_cast<std::int64_t>(m.rows);
    if (m.zero_copy()) {
      d.mapped = m.values;
      d.keep = m.mapping;
    } else {
      d.X = std::move(m.owned);
    }
    d.names = !spec.feature_names && !stored_names.empty()
                  ? std::move(stored_names)
                  : feature_names_for(spec, std::int64_t(m.cols));
  } else {
    const CsvTable table = read_csv(spec.data);
    d.n = static_cast<std::int64_t>(table.rows());
    d.names = table.names;
    d.X.reserve(table.rows() * table.cols());
    for (const auto& column : table.columns) d.X.insert(d.X.end(), column.begin(), column.end());
  }
  check_rows(d);
  return d;
}

std::string data_formats_help() {
  return "DATA is a CSV file, a NumPy .npy array or an HDF5 file (told apart by their magic\n"
         "bytes, not the name). A .npy DATA is X alone: 2-dimensional (n, p), float64 or float32 (little-\n"
         "endian), C or Fortran order, format 1.0, 2.0 or 3.0; it is memory-mapped, and a\n"
         "Fortran-order float64 array is used in place, without a copy. Its features are named\n"
         "x1..xp unless --feature-names FILE gives them, and the response comes from\n"
         "--response-file FILE (.npy of shape (n,) or (n, 1), or a one-column CSV; an (n, m)\n"
         ".npy or an m-column CSV with a header gives m responses, see --response-file). Integer,\n"
         "complex, object and big-endian arrays are refused, as is a NaN or Inf (named by its\n"
         "row and column, 1-based).\n"
         "An HDF5 DATA (data.h5, told by its signature; in builds with HDF5) gives X as the 2-D\n"
         "floating-point dataset --x-dataset NAME (n, p) and the response as --y-dataset NAME\n"
         "(n,) or (n, 1) (or (n, m): m responses, named by a string attribute response_names),\n"
         "or --response-file; features are named as for .npy. Two optional\n"
         "string attributes on the X dataset: feature_names (p strings: the features' names;\n"
         "--feature-names FILE overrides them) and layout, 'samples-by-rows' (the default, X is\n"
         "(n, p)) or 'features-by-rows' (the dataset is (p, n): X transposed, read as is, no\n"
         "transpose needed), e.g. in h5py: ds.attrs['layout'] = 'features-by-rows'.\n";
}

void rethrow_column_error(const ColumnError& e, const Design& d) {
  const auto j = static_cast<std::size_t>(e.column());
  if (j >= d.names.size()) throw InputError(d.source + ": " + e.what());
  throw InputError(d.source + ": column " + quoted_for_message(d.names[j]) + " (feature " +
                   std::to_string(j + 1) + "): " + e.what());
}

void rethrow_naming_inputs(const std::invalid_argument& e, const Design& d,
                           const std::optional<std::string>& weights_file,
                           const std::optional<std::string>& offset_name) {
  const std::string what = e.what();
  if (weights_file && what.rfind("invalid weights", 0) == 0)
    throw InputError(*weights_file + " (--weights): " + what);
  if (offset_name && what.rfind("invalid offset", 0) == 0)
    throw InputError(d.source + " (--offset " + *offset_name + "): " + what);
  throw;  // the exception being handled, its own type kept
}

std::string path_csv(const std::vector<std::string>& names, const Path& fit) {
  std::ostringstream os;
  os << "lambda,intercept";
  for (const auto& n : names) os << ',' << csv_field(n);
  os << '\n';
  for (std::int64_t k = 0; k < fit.nlambda(); ++k) {
    const auto uk = static_cast<std::size_t>(k);
    os << format_finite(fit.lambdas[uk], "lambda") << ','
       << format_finite(fit.intercepts[uk], "intercept");
    for (std::int64_t j = 0; j < fit.n_features; ++j)
      os << ',' << format_finite(fit.coef(j, k), "coefficient");
    os << '\n';
  }
  return os.str();
}

std::string multinomial_path_csv(const std::vector<std::string>& names, const Path& fit,
                                const std::vector<double>& labels) {
  std::ostringstream os;
  os << "lambda,class,intercept";
  for (const auto& n : names) os << ',' << csv_field(n);
  os << '\n';
  const std::int64_t C = fit.n_classes;
  for (std::int64_t k = 0; k < fit.nlambda(); ++k)
    for (std::int64_t c = 0; c < C; ++c) {
      os << format_finite(fit.lambdas[std::size_t(k)], "lambda") << ','
         << format_finite(labels[std::size_t(c)], "class") << ','
         << format_finite(fit.multinomial_intercept(k, c), "intercept");
      for (std::int64_t j = 0; j < fit.n_features; ++j)
        os << ',' << format_finite(fit.multinomial_coef(j, k, c), "coefficient");
      os << '\n';
    }
  return os.str();
}

namespace {

// The response's distinct values, sorted (glmnet's factor levels), as classes 0 … C−1.
std::vector<double> multinomial_classes(std::vector<double>& y) {
  std::vector<double> labels = y;
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  for (double& v : y)
    v = double(std::lower_bound(labels.begin(), labels.end(), v) - labels.begin());
  return labels;
}

}  // namespace

std::vector<double> response_classes(Design& d, const Options& options) {
  if (options.family != Family::multinomial) return {};
  std::vector<double> labels = multinomial_classes(d.y);
  if (labels.size() < 2)
    throw InputError(d.source + ": the response has one class (" +
                     format_number(labels.empty() ? 0.0 : labels[0]) +
                     "); --family multinomial needs at least 2");
  return labels;
}

Model with_class_labels(Model m, const std::vector<double>& labels) {
  if (!labels.empty()) m.class_labels = labels;
  return m;
}

void write_path_csv(const std::string& path, const std::vector<std::string>& names,
                    const Path& fit) {
  write_file_atomically(path, path_csv(names, fit));
}

std::string fit_help() {
  return "usage: regpath fit DATA.csv --response NAME --output PATH.csv [options]\n"
         "       regpath fit DATA.npy --response-file FILE --output PATH.csv [options]\n"
         "       regpath fit DATA.h5 --x-dataset X --y-dataset y --output PATH.csv [options]\n"
         "       regpath fit X.mtx --response-file FILE --output PATH.csv [options]\n"
         "\n"
         "Fits the elastic-net path (glmnet's objective)\n"
         "  (1/2n)·‖y − β0 − Xβ‖² + λ·[ α‖β̃‖₁ + (1−α)/2·‖β̃‖² ]\n"
         "for many λ at once. DATA.csv has a header row (names may be quoted); the response is\n"
         "the column named by --response and every other column is a feature. Every cell must\n"
         "be a finite decimal number (16, -0.5, 2.5e-3; not hexadecimal such as 0x10). The\n"
         "output CSV has the header lambda,intercept,<feature names in input order> and one row\n"
         "per λ, in descending order, coefficients on the original scale. Outputs are checked\n"
         "before the fit (never the input, never each other, writable) and written whole or\n"
         "not at all. A summary goes to stderr; a λ that hits --max-iter is still written,\n"
         "with a warning.\n"
         "\n" +
         data_formats_help() +
         "A Matrix Market DATA (X.mtx: a first line '%%MatrixMarket matrix coordinate real\n"
         "general', field real, integer or pattern; or a name ending in .mtx) is a sparse X, read\n"
         "into compressed sparse columns and fitted without densifying (regpath fit and cv, one\n"
         "response). Its entries are 'row column value' with 1-based indices; duplicate entries\n"
         "are summed (as R's Matrix and scipy); features are named x1..xp or by --feature-names\n"
         "FILE, the response comes from --response-file FILE (an m-column CSV or an (n, m) .npy:\n"
         "several responses, one sparse fit each). Every family, on the CPU only for\n"
         "now (--weights and penalty factors of 0 too, both at once as well);\n"
         "--offset, --device cuda and mpirun are refused, naming the flag.\n"
         "A SciPy .npz DATA\n"
         "(scipy.sparse.save_npz: csc, csr or coo; a name ending in .npz) is read and fitted as\n"
         "a Matrix Market one.\n"
         "\n"
         "--family multinomial (glmnet's, symmetric: one linear predictor per class, their\n"
         "softmax): the response column holds numeric class labels (at least 2 distinct\n"
         "values, each on at least 2 rows); class c is the c-th smallest label, as glmnet's\n"
         "factor levels. The output is lambda,class,intercept,<features>, one row per λ and\n"
         "class, class the label itself; intercepts centred over the classes at each λ, as\n"
         "glmnet's coef(). --type-multinomial grouped: a group lasso over each feature's\n"
         "classes. --weights, --penalty-factor (0 too), --exclude and --offset (one column per\n"
         "class) and --lower-limits/--upper-limits (grouped too) as for the other families; a\n"
         "sparse X (.mtx). regpath cv takes it too (--type-measure deviance, class, mse or\n"
         "mae, as cv.glmnet's). --save-model saves it (classes, labels and all) for regpath\n"
         "predict and coef. Not yet with multinomial: --plot, several responses, --device\n"
         "cuda, mpirun; string labels.\n"
         "\n"
         "Under MPI (mpirun -np R regpath fit DATA.csv --response NAME ..., when regpath was\n"
         "built with MPI) each rank reads its own block of DATA.csv's rows (an equal share of its\n"
         "bytes, split at line ends), the ranks fit the path of all the rows together (on the\n"
         "CPU; the serial path to rounding: binomial and poisson by Newton steps over the\n"
         "ranks, beyond 1000 features on a working set of them) and rank 0 writes the\n"
         "outputs and the summary (\"ranks R\"). --weights FILE has every row's weight (read by\n"
         "every rank), --offset a column of each rank's block. An error on any rank is reported\n"
         "once, naming the rank and DATA.csv's line; nothing is written then. A .npy X with\n"
         "--response-file, or an HDF5 X (--x-dataset) with --y-dataset or --response-file,\n"
         "works the same way (each rank reads its rows of the file), and so do several\n"
         "responses (each one distributed fit of all the ranks, one after another). Not yet\n"
         "under MPI: multinomial, .mtx DATA.\n"
         "\n"
         "options:\n" +
         fit_parser().flag_help() +
         "\n"
         "exit status: 0 success, 1 bad data or a failure while fitting, 2 bad command line.\n";
}

bool cuda_present_but_unusable(const std::string& why_not) {
  return why_not.rfind("CUDA device ", 0) == 0;
}

void notice_device_fallback(const Options& o, std::ostream& err) {
  if (o.device != Device::automatic) return;
  std::string why;
  // Only a device that is there and fails: a machine without a GPU, or a build without CUDA,
  // runs on the CPU as asked, without a word.
  if (!cuda_available(&why) && cuda_present_but_unusable(why))
    err << "regpath: notice: --device auto: " << why << "; fitting on the CPU\n";
}

void refuse_for_sparse_x(const ParsedArgs& a, const Options& o, const DataSpec& spec,
                         const std::string& command) {
  const auto refuse = [&](const std::string& flag, const std::string& why) {
    throw UsageError(command + ": " + flag + " is not supported with a sparse X (" + spec.data +
                     ", Matrix Market) yet: " + why);
  };
  if (a.has("offset")) refuse("--offset", "a Matrix Market X has no named columns to take it "
                              "from");
  if (o.device == Device::cuda) refuse("--device cuda", "sparse X is fitted on the CPU");
}

void record_sparse_standardization(Model& m, const SparseX& x) {
  const double n = static_cast<double>(x.rows);
  for (std::int64_t j = 0; j < x.cols; ++j) {
    const auto b = static_cast<std::size_t>(x.col_ptr[static_cast<std::size_t>(j)]);
    const auto e = static_cast<std::size_t>(x.col_ptr[static_cast<std::size_t>(j) + 1]);
    double mean = 0;
    for (std::size_t k = b; k < e; ++k) mean += x.values[k];
    mean /= n;
    double ss = (n - static_cast<double>(e - b)) * mean * mean;
    for (std::size_t k = b; k < e; ++k) ss += (x.values[k] - mean) * (x.values[k] - mean);
    m.feature_centers.push_back(m.intercept ? mean : 0.0);
    m.feature_scales.push_back(m.standardize ? std::sqrt(ss / n) : 1.0);
  }
}

SparseInput load_sparse_features(const DataSpec& spec) {
  SparseInput in;
  in.x = is_npz_file(spec.data) ? read_npz(spec.data) : read_matrix_market(spec.data);
  in.design.source = spec.data;
  in.design.n = in.x.rows;
  in.design.names = feature_names_for(spec, in.x.cols);
  check_rows(in.design);
  return in;
}

SparseInput load_sparse_input(const DataSpec& spec, bool quiet, std::ostream& err) {
  SparseInput in = load_sparse_features(spec);
  const bool npz = is_npz_file(spec.data);
  attach_response(in.design, spec);
  if (in.x.duplicates > 0 && !quiet)
    err << "regpath: notice: " << spec.data << ": " << in.x.duplicates
        << " duplicate entr" << (in.x.duplicates == 1 ? "y" : "ies") << " summed (first: "
        << in.x.first_duplicate << "), as "
        << (npz ? "scipy's .tocsc() does" : "Matrix::readMM and scipy's mmread().tocsc() do")
        << '\n';
  return in;
}

void rethrow_sparse_refusal(const std::invalid_argument& e, const DataSpec& spec,
                            const std::string& command) {
  if (std::string(e.what()).rfind("sparse X: ", 0) == 0)
    throw UsageError(command + ": " + spec.data +
                     (is_npz_file(spec.data) ? " (SciPy .npz): " : " (Matrix Market): ") +
                     e.what());
}

namespace {

// regpath fit with a sparse DATA (Matrix Market or SciPy .npz): X read into compressed sparse
// columns and fitted as such (never densified), written as the dense fit writes its outputs.
int fit_sparse_x(const ParsedArgs& a, const DataSpec& spec, Options options,
                 const std::string& output, const std::vector<NamedPath>& outputs,
                 std::ostream& out, std::ostream& err) {
  const std::string command = "regpath fit";
  const bool quiet = a.has("quiet");
  SparseInput in = load_sparse_input(spec, quiet, err);
  const SparseX& x = in.x;
  Design& d = in.design;
  apply_feature_flags(a, d.names, options, command);
  const std::vector<double> labels = response_classes(d, options);
  if (const auto weights_file = a.get("weights"))
    options.weights = read_response_file(*weights_file);
  ProgressBar bar(err, "fit", progress_enabled(err, quiet));
  options.progress = bar.callback();
  const Path fit = [&] {
    try {
      return regpath::fit(x.view(), d.y.data(), options);
    } catch (const ColumnError& e) {
      rethrow_column_error(e, d);
    } catch (const std::invalid_argument& e) {
      rethrow_sparse_refusal(e, spec, command);
      rethrow_naming_inputs(e, d, a.get("weights"), std::nullopt);
    }
  }();
  bar.clear();
  std::ostringstream printed;
  if (a.has("print-path")) print_path(fit, printed);
  StagedOutputs files;
  files.add(output, labels.empty() ? path_csv(d.names, fit)
                                   : multinomial_path_csv(d.names, fit, labels));
  for (const auto& o : outputs) {
    if (o.role == "--plot")
      files.add(o.path, render_svg(coefficient_plot(fit, d.names, options.alpha)));
    if (o.role == "--save-model") {
      Model m = with_class_labels(make_model(fit, options, d.names), labels);
      record_sparse_standardization(m, x);
      files.add(o.path, model_to_json(m));
    }
  }
  files.commit();
  out << printed.str();
  if (quiet) return 0;
  summarise(fit, options, d.n, effective_tol(options), err);
  err << "  X sparse: " << x.nnz() << " nonzero entries of " << x.rows << " × " << x.cols
      << '\n';
  for (const auto& o : outputs) err << "  wrote " << o.path << '\n';
  return 0;
}

}  // namespace

namespace {

// regpath fit --family multinomial: what it does not take yet, refused before anything is read.
void refuse_for_multinomial(const ParsedArgs& a, const std::string& command) {
  const auto family = a.get("family");
  if (!family || *family != "multinomial") return;
  for (const char* flag : {"plot", "responses-file"})
    if (a.has(flag))
      throw UsageError(command + ": --" + flag + " is not supported with --family multinomial "
                                 "yet");
  if (const auto r = a.get("response"); r && r->find(',') != std::string::npos)
    throw UsageError(command + ": --family multinomial takes one response column");
  if (mpi_world() != nullptr)
    throw UsageError(command + ": --family multinomial is not supported under mpirun yet");
}


}  // namespace

int run_fit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const std::string command = "regpath fit";
  ParsedArgs a = fit_parser().parse(args);  // --responses-file with one name: --response
  if (a.has("help")) {
    out << fit_help();
    return 0;
  }
  refuse_for_multinomial(a, command);
  const Communicator* comm = mpi_world();
  if (const auto source = many_source_on_ranks(a, command, comm)) {
    const Options many = options_from(a, command);
    if (many.family == Family::multinomial)
      throw UsageError(command + ": --family multinomial takes one response, not several");
    if (source->sparse && comm)
      throw UsageError(command + " under mpirun: a Matrix Market DATA (sparse X) is not "
                                 "supported yet with several ranks");
    if (source->sparse) refuse_for_sparse_x(a, many, *source->sparse, command);
    return run_fit_many(a, *source, many, comm, out, err);
  }
  if (comm) return run_fit_ranks(a, *comm, out, err);
  const DataSpec spec = data_spec(a, command);
  const std::string output = required_arg(a, command, "output", "PATH.csv");
  Options options = options_from(a, command);
  const bool quiet = a.has("quiet");
  if (spec.mtx) refuse_for_sparse_x(a, options, spec, command);

  const auto plot = a.get("plot");
  // Before any work: no output over the input or another output, every output writable.
  std::vector<NamedPath> outputs{{"--output", output}};
  if (plot) outputs.push_back({"--plot", *plot});
  const auto save_model_file = a.get("save-model");
  if (save_model_file) outputs.push_back({"--save-model", *save_model_file});
  std::vector<NamedPath> inputs = spec.inputs();
  const auto weights_file = a.get("weights");
  if (weights_file) inputs.push_back({"--weights", *weights_file});
  check_outputs(inputs, outputs);
  if (spec.mtx) return fit_sparse_x(a, spec, options, output, outputs, out, err);

  Design d = load_design(spec);
  const auto offset_name = a.get("offset");  // a column of DATA.csv, then not a feature
  if (offset_name)
    options.offset =
        take_offset_columns(d, *offset_name, options.family, command, !spec.npy && !spec.hdf5);
  apply_feature_flags(a, d.names, options, command);
  // their count and values are the library's to check (named with the file below)
  if (weights_file) options.weights = read_response_file(*weights_file);
  const std::vector<double> labels = response_classes(d, options);
  notice_device_fallback(options, err);
  ProgressBar bar(err, "fit", progress_enabled(err, quiet));
  options.progress = bar.callback();
  const Path fit = [&] {
    try {
      return regpath::fit(d.view(), d.y.data(), options);
    } catch (const ColumnError& e) {
      rethrow_column_error(e, d);
    } catch (const std::invalid_argument& e) {
      rethrow_naming_inputs(e, d, weights_file, offset_name);
    }
  }();
  bar.clear();
  // Rendered before anything is written: a number that is not finite stops it all.
  std::ostringstream printed;
  if (a.has("print-path")) print_path(fit, printed);
  StagedOutputs files;  // all written, then all renamed into place: none half-written
  files.add(output, labels.empty() ? path_csv(d.names, fit)
                                   : multinomial_path_csv(d.names, fit, labels));
  if (plot) files.add(*plot, render_svg(coefficient_plot(fit, d.names, options.alpha)));
  if (save_model_file) {
    const MatrixView<double> X = d.view();
    files.add(*save_model_file,
              model_to_json(with_class_labels(make_model(fit, options, d.names, &X), labels)));
  }
  files.commit();
  out << printed.str();
  if (quiet) return 0;
  summarise(fit, options, d.n, effective_tol(options), err);
  err << "  wrote " << output << '\n';
  if (plot) err << "  wrote " << *plot << '\n';
  if (save_model_file) err << "  wrote " << *save_model_file << '\n';
  return 0;
}

}  // namespace regpath::cli
