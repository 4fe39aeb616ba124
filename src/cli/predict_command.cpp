#include "cli/predict_command.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/csv_table.hpp"
#include "cli/fit_command.hpp"
#include "cli/hdf5_file.hpp"
#include "cli/npy_file.hpp"
#include "cli/offset_column.hpp"
#include "cli/output_files.hpp"

namespace regpath::cli {
namespace {

const char* const kCommand = "regpath predict";

const ArgParser& predict_parser() {
  static const ArgParser parser(kCommand, {
      {"output", "P.csv", "where to write the predictions (required): one row per row of NEW.csv,\n"
       "in order, one column per λ (the header: the λ values); multinomial link and\n"
       "response: one column per λ and class, headed <λ>:<class label>"},
      {"lambda", "S1,S2,...", "the λ to predict at: numbers ≥ 0, lambda.min, lambda.1se (cv models),\n"
       "in any mix (default: every λ of a fit's path; a cv model's lambda.1se)"},
      {"type", "T", "link (default: β0 + xᵀβ), response (binomial: the probability;\n"
       "poisson: the mean e^link; gaussian: the link; multinomial: the classes' softmax\n"
       "probabilities) or class (binomial: 1 where the link > 0, else 0; multinomial: the\n"
       "label of the most probable class, the first on ties)"},
      {"feature-names", "FILE", "with a .npy or HDF5 NEW: its columns' names, one per line\n"
       "(default: an HDF5 dataset's feature_names attribute, else x1..xp)"},
      {"x-dataset", "NAME", "with an HDF5 NEW: the 2-D dataset of the new rows (its layout\n"
       "attribute as for fit)"},
      {"device", "D", "where the linear predictors are computed: auto (default: CUDA when\n"
       "usable and rows × features × λ ≥ 5e8, else the CPU), cpu or cuda (float64 GEMMs over\n"
       "blocks of rows; an error when no CUDA device is usable)"},
      {"offset", "COLUMN|COLUMN1,...,COLUMNC", "the new rows' offsets: this column of NEW.csv,\n"
       "added to each linear predictor (glmnet's newoffset; multinomial: one column per\n"
       "class, in the classes' order); required for a model fitted with --offset, refused\n"
       "for one fitted without"},
      {"quiet", "", "no notices or summary on stderr (warnings and errors are still reported)"},
      {"help", "", "show this help"}});
  return parser;
}

PredictType parse_type(const std::string& s) {
  if (s == "link") return PredictType::link;
  if (s == "response") return PredictType::response;
  if (s == "class") return PredictType::class_label;
  throw UsageError(std::string(kCommand) + ": --type: unknown type '" + quoted_for_message(s) +
                   "' (expected link, response or class)");
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  const auto last = s.find_last_not_of(" \t");
  return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

// NEW.csv's columns in the model's feature order (by name); extra columns are named on err.
std::vector<double> matched_columns(const CsvTable& t, const Model& model, bool quiet,
                                    std::ostream& err) {
  std::vector<double> X;
  X.reserve(t.rows() * model.feature_names.size());
  std::vector<bool> used(t.cols(), false);
  for (const std::string& name : model.feature_names) {
    std::size_t j = t.cols();
    for (std::size_t c = 0; c < t.cols(); ++c)
      if (t.names[c] == name) j = c;
    if (j == t.cols())
      throw InputError(t.source + ": no column " + quoted_for_message(name) + ", a feature of "
                       "the model (NEW.csv needs every feature of the model, by name, in any "
                       "order)");
    used[j] = true;
    X.insert(X.end(), t.columns[j].begin(), t.columns[j].end());
  }
  std::string extra;
  std::size_t n_extra = 0;
  for (std::size_t c = 0; c < t.cols(); ++c)
    if (!used[c]) {
      if (++n_extra <= 5) extra += (extra.empty() ? "" : ", ") + quoted_for_message(t.names[c]);
    }
  if (n_extra > 5) extra += ", ...";
  if (n_extra > 0 && !quiet)
    err << kCommand << ": notice: ignoring " << n_extra << " column" << (n_extra == 1 ? "" : "s")
        << " of " << t.source << " that " << (n_extra == 1 ? "is not a feature" : "are not features")
        << " of the model: " << extra << '\n';
  return X;
}

// NEW as a table of named columns: a CSV, or a .npy / HDF5 matrix (told by their magic bytes, as
// fit tells them) whose columns are named by --feature-names, an HDF5 feature_names attribute, or
// x1..xp (the names fit gives such data).
CsvTable read_new_data(const ParsedArgs& a, const std::string& path) {
  const bool npy = is_npy_file(path), hdf5 = !npy && is_hdf5_file(path);
  if (!npy && !hdf5) {
    if (a.has("feature-names") || a.has("x-dataset"))
      throw UsageError(std::string(kCommand) + ": --feature-names and --x-dataset are for a .npy "
                       "or HDF5 NEW; a CSV names its columns in its header");
    return read_csv(path);
  }
  CsvTable t;
  t.source = path;
  std::size_t rows = 0, cols = 0;
  const double* values = nullptr;
  NpyMatrix m;
  Hdf5Matrix h;
  if (npy) {
    if (a.has("x-dataset"))
      throw UsageError(std::string(kCommand) + ": --x-dataset is for an HDF5 NEW, not a .npy");
    m = read_npy_matrix(path);
    rows = m.rows;
    cols = m.cols;
    values = m.owned.empty() ? m.values : m.owned.data();
  } else {
    const auto dataset = a.get("x-dataset");
    if (!dataset)
      throw UsageError(std::string(kCommand) + ": " + path + " is an HDF5 file: give the dataset "
                       "of the new rows with --x-dataset NAME");
    h = read_hdf5_matrix(path, *dataset);
    t.source = path + " dataset " + quoted_for_message(*dataset);
    rows = h.rows;
    cols = h.cols;
    values = h.values.data();
    t.names = h.names;
  }
  if (auto names = a.get("feature-names")) {
    t.names = read_feature_names(*names);
    if (t.names.size() != cols)
      throw InputError(*names + " has " + std::to_string(t.names.size()) + " feature names, " +
                       t.source + " has " + std::to_string(cols) +
                       " columns: give one name per column");
  }
  if (t.names.empty())
    for (std::size_t j = 0; j < cols; ++j) t.names.push_back("x" + std::to_string(j + 1));
  t.columns.resize(cols);
  for (std::size_t j = 0; j < cols; ++j)
    t.columns[j].assign(values + j * rows, values + (j + 1) * rows);
  return t;
}

// The new rows' offsets from the columns `value` names (one, or a multinomial model's C), each
// then taken out of t (not a feature, nor an ignored extra): n values per class, class-major.
std::vector<double> take_new_offsets(CsvTable& t, const std::string& value, const Model& model,
                                     const std::string& model_file) {
  const std::vector<std::string> names = model.family == Family::multinomial
                                             ? split_list("offset", value)
                                             : std::vector<std::string>{value};
  const std::size_t want =
      model.family == Family::multinomial ? static_cast<std::size_t>(model.path.n_classes) : 1;
  if (names.size() != want)
    throw UsageError(std::string(kCommand) + ": --offset: " + std::to_string(names.size()) +
                     " column" + (names.size() == 1 ? "" : "s") + " for the " +
                     std::to_string(want) + " classes of " + model_file + " (a multinomial "
                     "model takes one offset column per class, in the classes' order)");
  std::vector<double> offset;
  for (const std::string& name : names) {
    const std::vector<double> column = offset_column(t, name);
    offset.insert(offset.end(), column.begin(), column.end());
    for (std::size_t c = 0; c < t.cols(); ++c)
      if (t.names[c] == name) {
        t.names.erase(t.names.begin() + std::ptrdiff_t(c));
        t.columns.erase(t.columns.begin() + std::ptrdiff_t(c));
        break;
      }
  }
  return offset;
}

// P.csv's header: a column per λ, or per (λ, class) for a multinomial link or response.
std::string prediction_header(const Model& model, const std::vector<double>& lambdas,
                              PredictType type) {
  const bool per_class = model.family == Family::multinomial && type != PredictType::class_label;
  std::ostringstream os;
  for (std::size_t k = 0; k < lambdas.size(); ++k) {
    const std::string lambda = format_finite(lambdas[k], "lambda");
    if (!per_class) {
      os << (k ? "," : "") << lambda;
      continue;
    }
    for (std::size_t c = 0; c < model.class_labels.size(); ++c)
      os << (k || c ? "," : "") << lambda << ':' << format_finite(model.class_labels[c], "class");
  }
  return os.str();
}

}  // namespace

std::vector<double> requested_lambdas(const ParsedArgs& a, const Model& model,
                                      const std::string& model_file, const std::string& command) {
  const auto v = a.get("lambda");
  if (!v) return default_lambdas(model);
  std::vector<double> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = v->find(',', start);
    const std::string item = trimmed(v->substr(start, comma == std::string::npos
                                                          ? std::string::npos
                                                          : comma - start));
    if (item.empty())
      throw UsageError(command + ": --lambda: empty item in the list " + quoted_for_message(*v));
    if (item == "lambda.min" || item == "lambda.1se") {
      if (!model.cv)
        throw UsageError(command + ": --lambda " + item + ": " + model_file + " is a model of "
                         "regpath fit, which has no cross-validation (save one with regpath cv "
                         "--save-model)");
      out.push_back(item == "lambda.min" ? model.cv->lambda_min : model.cv->lambda_1se);
    } else {
      double s = 0;
      try {
        s = parse_double("lambda", item);
      } catch (const UsageError&) {
        throw UsageError(command + ": --lambda: " + quoted_for_message(item) +
                         " is neither a number nor lambda.min / lambda.1se");
      }
      if (s < 0)
        throw UsageError(command + ": --lambda " + item + ": λ must be ≥ 0");
      out.push_back(s);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void warn_outside_path(const Coefficients& c, const Model& model, const std::string& command,
                       std::ostream& err) {
  const std::vector<double>& l = model.path.lambdas;
  for (std::size_t k = 0; k < c.lambdas.size(); ++k) {
    if (!c.outside[k]) continue;
    const bool above = c.lambdas[k] > l.front();
    char line[384];
    std::snprintf(line, sizeof line,
                  "%s: warning: lambda %s is %s the model's path (%s %s): the coefficients at "
                  "that end are used, as glmnet's predict does\n",
                  command.c_str(), format_number(c.lambdas[k]).c_str(),
                  above ? "above" : "below", above ? "largest" : "smallest",
                  format_number(above ? l.front() : l.back()).c_str());
    err << line;
  }
}

std::string predict_help() {
  return "usage: regpath predict MODEL NEW.csv --output P.csv [--lambda S1,S2,...] [--type T]\n"
         "\n"
         "Predicts the rows of NEW.csv from a model saved by regpath fit --save-model or regpath\n"
         "cv --save-model, as glmnet's predict(fit, newx, s, type, exact = FALSE). NEW.csv has a\n"
         "header row; its columns are matched to the model's features by name, in any order\n"
         "(extra columns are ignored with a notice; a missing feature is an error naming it).\n"
         "NEW may also be a .npy array or an HDF5 file (told by their magic bytes, as regpath fit\n"
         "tells them; HDF5 with --x-dataset NAME): its columns are named by --feature-names FILE,\n"
         "an HDF5 feature_names attribute, or x1..xp, as regpath fit names them.\n"
         "At a λ between two λ of the path the coefficients are interpolated linearly in λ\n"
         "(glmnet's lambda.interp); beyond the path's ends those of the nearest end are used,\n"
         "with a warning. P.csv has one row per row of NEW.csv, in order, one column per\n"
         "requested λ, headed by the λ value; numbers are printed so that they read back\n"
         "exactly. Large predictions run on the GPU when one is usable (--device).\n"
         "A multinomial model (regpath fit/cv --family multinomial --save-model) predicts C\n"
         "columns per λ for --type link and response, one per class in the classes' order,\n"
         "headed <λ>:<class label>, and one column per λ of class labels for --type class.\n"
         "\n"
         "options:\n" +
         predict_parser().flag_help() +
         "\n"
         "exit status: 0 success, 1 a bad model file or NEW.csv, 2 bad command line.\n";
}

int run_predict(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const ParsedArgs a = predict_parser().parse(args);
  if (a.has("help")) {
    out << predict_help();
    return 0;
  }
  if (a.positionals.size() != 2)
    throw UsageError(std::string(kCommand) + ": expected MODEL and NEW.csv, got " +
                     std::to_string(a.positionals.size()) + " positional argument" +
                     (a.positionals.size() == 1 ? "" : "s") + " (see regpath predict --help)");
  const std::string& model_file = a.positionals[0];
  const std::string& data_file = a.positionals[1];
  const auto output = a.get("output");
  if (!output) throw UsageError(std::string(kCommand) + ": --output P.csv is required");
  const PredictType type = a.get("type") ? parse_type(*a.get("type")) : PredictType::link;
  const Device device = a.get("device") ? parse_device(*a.get("device")) : Device::automatic;
  const bool quiet = a.has("quiet");
  check_outputs({{"MODEL", model_file}, {"NEW.csv", data_file}}, {{"--output", *output}});

  const Model model = load_model(model_file);
  if (type == PredictType::class_label && model.family != Family::binomial &&
      model.family != Family::multinomial)
    throw UsageError(std::string(kCommand) + ": --type class needs a binomial or multinomial "
                     "model; " + model_file + " is " + to_string(model.family));
  const std::vector<double> lambdas = requested_lambdas(a, model, model_file, kCommand);
  CsvTable t = read_new_data(a, data_file);
  const auto offset_name = a.get("offset");
  if (model.offset && !offset_name)
    throw UsageError(std::string(kCommand) + ": " + model_file + " was fitted with an offset: "
                     "give the new rows' offsets with --offset COLUMN (a column of NEW.csv), as "
                     "glmnet's predict needs newoffset");
  if (!model.offset && offset_name)
    throw UsageError(std::string(kCommand) + ": --offset: " + model_file + " was fitted without "
                     "an offset");
  const std::vector<double> offset =
      offset_name ? take_new_offsets(t, *offset_name, model, model_file) : std::vector<double>{};
  const std::vector<double> X = matched_columns(t, model, quiet, err);
  const auto n = static_cast<std::int64_t>(t.rows());
  Device used = Device::cpu;
  const std::vector<double> pred = predict(
      model, MatrixView<double>{X.data(), n, model.n_features(), n}, lambdas, type, offset,
      device, &used);
  warn_outside_path(coefficients(model, lambdas), model, kCommand, err);
  const std::size_t rows = static_cast<std::size_t>(n), cols = n ? pred.size() / rows : 0;
  // columns per λ: 1, or a multinomial link's or response's C
  const std::size_t per_lambda = cols / std::max<std::size_t>(1, lambdas.size());
  for (std::size_t e = 0; e < pred.size(); ++e)
    if (!std::isfinite(pred[e]))  // a model or data of extreme magnitude: overflow
      throw InputError(data_file + ": the prediction for row " + std::to_string(e % rows + 1) +
                       " at lambda " + format_number(lambdas[e / rows / per_lambda]) +
                       " is not a finite number (the linear predictor overflows)");

  std::ostringstream os;
  os << prediction_header(model, lambdas, type) << '\n';
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t k = 0; k < cols; ++k)
      os << (k ? "," : "") << format_finite(pred[i + k * rows], "prediction");
    os << '\n';
  }
  write_file_atomically(*output, os.str());
  if (!quiet)
    err << kCommand << ": " << n << " rows x " << lambdas.size() << " lambda"
        << (lambdas.size() == 1 ? "" : "s") << " (" << to_string(type) << ", "
        << to_string(model.family) << (model.cv ? ", cv model" : "") << ", device "
        << to_string(used) << "); wrote " << *output << '\n';
  return 0;
}

}  // namespace regpath::cli
