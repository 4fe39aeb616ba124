#include "cli/coef_command.hpp"

#include "cli/cli_args.hpp"
#include "cli/csv_table.hpp"
#include "cli/fit_command.hpp"
#include "cli/output_files.hpp"
#include "cli/predict_command.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cli {
namespace {

const char* const kCommand = "regpath coef";

const ArgParser& coef_parser() {
  static const ArgParser parser(kCommand, {
      {"output", "C.csv", "where to write the coefficients (required): lambda,intercept,<features>,\n"
       "one row per requested λ, in the order given (multinomial: lambda,class,intercept,\n"
       "<features>, one row per λ and class)"},
      {"lambda", "S1,S2,...", "the λ: numbers ≥ 0, lambda.min, lambda.1se (cv models), in any mix\n"
       "(default: every λ of a fit's path; a cv model's lambda.1se)"},
      {"quiet", "", "no summary on stderr (warnings and errors are still reported)"},
      {"help", "", "show this help"}});
  return parser;
}

}  // namespace

std::string coef_help() {
  return "usage: regpath coef MODEL --output C.csv [--lambda S1,S2,...]\n"
         "\n"
         "The coefficients of a model saved by regpath fit --save-model or regpath cv\n"
         "--save-model at any λ, as glmnet's coef(fit, s, exact = FALSE): at a λ of the path\n"
         "its coefficients exactly, between two λ interpolated linearly in λ, beyond the ends\n"
         "those of the nearest end (with a warning). C.csv has regpath fit's --output layout,\n"
         "lambda,intercept,<features in the model's order>, coefficients on the original scale\n"
         "(a multinomial model: lambda,class,intercept,<features>, C rows per λ, class the\n"
         "label, as regpath fit --family multinomial writes its path).\n"
         "\n"
         "options:\n" +
         coef_parser().flag_help() +
         "\n"
         "exit status: 0 success, 1 a bad model file, 2 bad command line.\n";
}

int run_coef(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const ParsedArgs a = coef_parser().parse(args);
  if (a.has("help")) {
    out << coef_help();
    return 0;
  }
  if (a.positionals.size() != 1)
    throw UsageError(std::string(kCommand) + ": expected one MODEL, got " +
                     std::to_string(a.positionals.size()) + " positional arguments (see regpath "
                     "coef --help)");
  const std::string& model_file = a.positionals[0];
  const auto output = a.get("output");
  if (!output) throw UsageError(std::string(kCommand) + ": --output C.csv is required");
  check_outputs({{"MODEL", model_file}}, {{"--output", *output}});
  const Model model = load_model(model_file);
  const Coefficients c = coefficients(model, requested_lambdas(a, model, model_file, kCommand));
  warn_outside_path(c, model, kCommand, err);
  Path rows;
  rows.n_features = c.n_features;
  rows.n_classes = c.n_classes;
  rows.lambdas = c.lambdas;
  rows.intercepts = c.intercepts;
  rows.coefs = c.coefs;
  if (model.family == Family::multinomial)
    write_file_atomically(*output,
                          multinomial_path_csv(model.feature_names, rows, model.class_labels));
  else
    write_path_csv(*output, model.feature_names, rows);
  if (!a.has("quiet"))
    err << kCommand << ": " << c.lambdas.size() << " lambda" << (c.lambdas.size() == 1 ? "" : "s")
        << "; wrote " << *output << '\n';
  return 0;
}

}  // namespace regpath::cli
