// regpath: the command-line tool. Only the public API is used here.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "cli/csv_table.hpp"
#include "cli/coef_command.hpp"
#include "cli/cv_command.hpp"
#include "cli/fit_command.hpp"
#include "cli/mpi_ranks.hpp"
#include "cli/predict_command.hpp"
#include "regpath/regpath.hpp"

namespace {

std::string main_help() {
  return std::string("regpath ") + regpath::version() +
         " — regularized linear-model solution paths (lasso, ridge, elastic net) for many λ at "
         "once\n"
         "\n"
         "usage: regpath COMMAND [options]\n"
         "\n"
         "commands:\n"
         "  fit        fit the path of one response against the other columns of a CSV file\n"
         "             (regpath fit --help for every option)\n"
         "  cv         cross-validate the path (as cv.glmnet): CV curve, lambda.min, lambda.1se\n"
         "             (regpath cv --help for every option)\n"
         "  predict    predict new data from a saved model (fit/cv --save-model), as glmnet's\n"
         "             predict (regpath predict --help)\n"
         "  coef       the coefficients of a saved model at any λ, as glmnet's coef\n"
         "             (regpath coef --help)\n"
         "  devices    say which devices are usable (CPU always; CUDA when built and present)\n"
         "\n"
         "  mpirun -np R regpath fit|cv ...   fit or cross-validate with the rows split between\n"
         "             R MPI ranks, each reading its own block of DATA (when built with MPI;\n"
         "             regpath fit --help, regpath cv --help)\n"
         "\n"
         "  --help     this text\n"
         "  --version  the version\n";
}

int devices(std::ostream& out) {
  std::string why;
  out << "cpu: usable\n";
  out << (regpath::cuda_available(&why) ? "cuda: usable\n" : "cuda: not usable (" + why + ")\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // under an MPI launcher (mpirun -np R regpath fit ...): MPI for the process's lifetime
  const regpath::cli::MpiSession mpi(&argc, &argv);
  const std::vector<std::string> args(argv + 1, argv + argc);
  // Several ranks print an error once, on rank 0, when they all have it: a usage error (the same
  // arguments everywhere) or an agreed one ("rank R: ..."); any other error on its own rank.
  const bool rank0 = regpath::cli::mpi_rank() == 0;
  try {
    if (args.empty()) {
      std::cerr << main_help();
      return 2;
    }
    const std::string& cmd = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      std::cout << main_help();
      return 0;
    }
    if (cmd == "--version") {
      std::cout << "regpath " << regpath::version() << '\n';
      return 0;
    }
    if (cmd == "fit") return regpath::cli::run_fit(rest, std::cout, std::cerr);
    if (cmd == "cv") return regpath::cli::run_cv(rest, std::cout, std::cerr);
    if (regpath::cli::mpi_world() != nullptr)
      throw regpath::cli::UsageError("regpath " + cmd + " does not run under mpirun yet (only "
                                     "regpath fit and cv do); run it as one process");
    if (cmd == "predict") return regpath::cli::run_predict(rest, std::cout, std::cerr);
    if (cmd == "coef") return regpath::cli::run_coef(rest, std::cout, std::cerr);
    if (cmd == "devices") return devices(std::cout);
    std::cerr << "regpath: unknown command '" << cmd << "' (see regpath --help)\n";
    return 2;
  } catch (const regpath::cli::UsageError& e) {
    if (rank0) std::cerr << "error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    if (rank0 || std::string(e.what()).rfind("rank ", 0) != 0)
      std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
