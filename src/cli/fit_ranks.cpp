#include "cli/fit_ranks.hpp"

#include <sstream>
#include <string>
#include <vector>

#include "cli/feature_options.hpp"
#include "cli/offset_column.hpp"
#include "cli/fit_command.hpp"
#include "cli/output_files.hpp"
#include "cli/rank_rows.hpp"
#include "cli/svg_plot.hpp"

namespace regpath::cli {
namespace {

const char* const kCommand = "regpath fit";

}  // namespace

int run_fit_ranks(const ParsedArgs& a, const Communicator& comm, std::ostream& out,
                  std::ostream& err) {
  const std::string command = kCommand;
  const DataSpec spec = rank_data_spec(a, command, true);
  const std::string output = required_arg(a, command, "output", "PATH.csv");
  Options options = options_from(a, command);
  const bool quiet = a.has("quiet");
  const auto plot = a.get("plot"), model = a.get("save-model");
  const auto weights_file = a.get("weights");
  const auto offset_name = a.get("offset");  // a column of DATA, then not a feature
  if (options.family == Family::multinomial)
    throw UsageError(command + ": --family multinomial is not supported under mpirun yet");
  // rank 0 writes every output: its check
  on_rank0(&comm, [&] {
    std::vector<NamedPath> inputs = spec.inputs();
    if (weights_file) inputs.push_back({"--weights", *weights_file});
    std::vector<NamedPath> outputs{{"--output", output}};
    if (plot) outputs.push_back({"--plot", *plot});
    if (model) outputs.push_back({"--save-model", *model});
    check_outputs(inputs, outputs);
  });

  // this rank's rows: the response and the features, column-major
  RankDesign rows = read_rank_design(spec, comm);
  Design& d = rows.design;
  // the file has every row's weights (every rank reads it and fails alike); this rank's rows'
  if (weights_file) options.weights = rank_weights(*weights_file, rows, spec.data);
  if (offset_name)
    options.offset =
        take_offset_columns(d, *offset_name, options.family, command, !spec.npy && !spec.hdf5);
  apply_feature_flags(a, d.names, options, command);
  const Path fit = [&] {
    try {
      return regpath::fit(comm, d.view(), d.y.data(), options);
    } catch (const ColumnError& e) {
      rethrow_column_error(e, d);
    } catch (const std::invalid_argument& e) {
      rethrow_naming_inputs(e, d, weights_file, offset_name);
    }
  }();
  // the model's standardization record: every rank's rows (two sums, before rank 0 goes on)
  const RankMoments moments = model ? rank_moments(d, comm, rows.all_rows) : RankMoments{};
  if (comm.rank() != 0) return 0;
  std::ostringstream printed;
  if (a.has("print-path")) print_path(fit, printed);
  StagedOutputs files;  // all written, then all renamed into place: none half-written
  files.add(output, path_csv(d.names, fit));
  if (plot) files.add(*plot, render_svg(coefficient_plot(fit, d.names, options.alpha)));
  if (model) {
    Model m = make_model(fit, options, d.names);
    record_rank_standardization(m, moments);
    files.add(*model, model_to_json(m));
  }
  files.commit();
  out << printed.str();
  if (quiet) return 0;
  summarise(fit, options, rows.all_rows, effective_tol(options), err);
  err << "  ranks " << comm.size() << " (each read its own block of " << spec.data
      << "'s rows; rank 0 wrote the outputs)\n";
  err << "  wrote " << output << '\n';
  if (plot) err << "  wrote " << *plot << '\n';
  if (model) err << "  wrote " << *model << '\n';
  return 0;
}

}  // namespace regpath::cli
