#include "cli/many_responses.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "api/response_threads.hpp"
#include "cli/csv_table.hpp"
#include "cli/feature_options.hpp"
#include "cli/npy_file.hpp"
#include "cli/offset_column.hpp"
#include "cli/output_files.hpp"
#include "cli/progress.hpp"
#include "cli/rank_rows.hpp"
#include "cli/response_file.hpp"
#include "cli/svg_plot.hpp"

namespace regpath::cli {
namespace {

// NAMES.txt: one response name a line (a trailing CR and trailing empty lines ignored).
std::vector<std::string> read_response_names(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot be read (--responses-file)");
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (names.empty() && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    names.push_back(line);
  }
  while (!names.empty() && names.back().empty()) names.pop_back();
  if (names.empty()) throw InputError(path + ": no response names (--responses-file)");
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i].empty())
      throw InputError(path + ": line " + std::to_string(i + 1) + ": empty response name");
  return names;
}

std::vector<std::string> split_commas(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = list.find(',', start);
    out.push_back(list.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

// Whether DATA.csv's header names a column `name` (its header alone is read: under mpirun every
// rank asks, and none reads the whole file).
bool has_column(const std::string& data, const std::string& name) {
  const std::vector<std::string> names = read_csv_header(data);
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::vector<NamedPath> per_response_outputs(const std::string& flag, const std::string& pattern,
                                            const std::vector<std::string>& responses) {
  const std::string placeholder = "{response}";
  if (pattern.find(placeholder) == std::string::npos)
    throw UsageError("--" + flag + " " + pattern + ": with several responses, one file is " +
                     "written per response: give a name holding " + placeholder +
                     " (e.g. --" + flag + " out/" + placeholder +
                     (flag == "plot" ? ".svg)" : ".json)"));
  std::vector<NamedPath> out;
  for (const std::string& r : responses) {
    if (r.empty() || r == "." || r == ".." || r.find('/') != std::string::npos)
      throw UsageError("--" + flag + ": response " + quoted_for_message(r) +
                       " cannot be part of a file name; rename the column or use a single "
                       "response");
    std::string path = pattern;
    for (std::size_t at = path.find(placeholder); at != std::string::npos;
         at = path.find(placeholder, at + r.size()))
      path.replace(at, placeholder.size(), r);
    out.push_back({"--" + flag, path});
  }
  return out;
}

FlagSpec responses_file_flag() {
  return {"responses-file", "NAMES.txt",
          "several responses: the columns of DATA.csv named in NAMES.txt (one name a line),\n"
          "each fitted on its own against the other columns (as --response A,B,C does);\n"
          "outputs then have a leading response column"};
}

std::optional<std::vector<std::string>> many_response_names(ParsedArgs& a,
                                                            const std::string& command) {
  const auto file = a.get("responses-file");
  const auto response = a.get("response");
  if (!file && (!response || response->find(',') == std::string::npos)) return std::nullopt;
  if (file && response)
    throw UsageError(command + ": give --response NAME[,NAME...] or --responses-file NAMES.txt, "
                               "not both");
  for (const char* flag : {"response-file", "x-dataset", "y-dataset", "feature-names"})
    if (a.has(flag))
      throw UsageError(command + ": several responses are read from the columns of a DATA.csv; "
                                 "--" + flag + " does not go with them");
  const std::string data = data_path_arg(a, command);
  // A column whose name holds a comma is still one response.
  if (!file && has_column(data, *response)) return std::nullopt;
  std::vector<std::string> names = file ? read_response_names(*file) : split_commas(*response);
  std::set<std::string> seen;
  for (const std::string& name : names) {
    if (name.empty())
      throw UsageError(command + ": --response " + quoted_for_message(*response) +
                       ": an empty name in the list");
    if (!seen.insert(name).second)
      throw UsageError(command + ": response " + quoted_for_message(name) + " is named twice");
  }
  if (names.size() == 1) {  // one name in NAMES.txt: today's command, as with --response NAME
    a.values.erase("responses-file");
    a.values["response"] = names[0];
    return std::nullopt;
  }
  return names;
}

ManyDesign read_many_design(const std::string& path, const std::vector<std::string>& responses) {
  const CsvTable table = read_csv(path);
  if (table.rows() < 2)
    throw InputError(table.source + ": " + std::to_string(table.rows()) +
                     " data row; need at least 2");
  return many_design_from_table(table, responses);
}

ManyDesign many_design_from_table(const CsvTable& table,
                                  const std::vector<std::string>& responses) {
  ManyDesign out;
  out.responses = responses;
  std::vector<char> is_response(table.cols(), 0);
  std::vector<std::size_t> where;
  for (const std::string& name : responses) {
    const std::size_t j = table.column_index(name);
    is_response[j] = 1;
    where.push_back(j);
  }
  Design& d = out.design;
  d.source = table.source;
  d.n = static_cast<std::int64_t>(table.rows());
  out.all_rows = d.n;
  if (table.cols() <= responses.size())
    throw InputError(table.source + ": no feature columns besides the " +
                     std::to_string(responses.size()) + " responses");
  for (std::size_t j = 0; j < table.cols(); ++j) {
    if (is_response[j]) continue;
    d.names.push_back(table.names[j]);
    d.X.insert(d.X.end(), table.columns[j].begin(), table.columns[j].end());
  }
  for (const std::size_t j : where)
    out.Y.insert(out.Y.end(), table.columns[j].begin(), table.columns[j].end());
  return out;
}

void rethrow_response_error(const ResponseError& e, const ManyDesign& d) {
  const auto k = static_cast<std::size_t>(e.response());
  std::string what = e.what();
  const std::string& source = d.response_source.empty() ? d.design.source : d.response_source;
  if (k >= d.responses.size()) throw InputError(source + ": " + what);
  // The library names the column of Y; here it is a named column of DATA.csv or the file.
  const std::string library = "response " + std::to_string(k + 1) + " (column " +
                              std::to_string(k + 1) + " of Y)";
  const std::string named = "response " + quoted_for_message(d.responses[k]);
  const std::size_t at = what.find(library);
  if (at != std::string::npos) what.replace(at, library.size(), named);
  throw InputError(source + ": " + what);
}

std::string with_leading_column(const std::string& csv, const std::string& name,
                                const std::string& value, bool header) {
  std::istringstream in(csv);
  std::ostringstream os;
  std::string line;
  std::getline(in, line);
  if (header) os << name << ',' << line << '\n';
  while (std::getline(in, line)) os << value << ',' << line << '\n';
  return os.str();
}

std::vector<std::string> many_path_csv(const ManyDesign& d, const std::vector<Path>& paths,
                                       int threads) {
  // path_csv's rows with the response first. Decimal text is most of the work left after the
  // fits with thousands of responses: the responses are cut into `threads` runs, each formatted
  // on a thread of its own into its own piece (no stream, one string each), the header first.
  std::string header = "response,lambda,intercept";
  for (const auto& name : d.design.names) header += ',' + csv_field(name);
  header += '\n';
  const std::int64_t m = std::int64_t(paths.size());
  const std::int64_t parts = std::max<std::int64_t>(1, std::min<std::int64_t>(threads, m));
  std::vector<std::string> pieces(static_cast<std::size_t>(parts + 1));
  pieces[0] = std::move(header);
  regpath::detail::for_each_response(int(parts), parts, [&](int, std::int64_t q) {
    std::string& out = pieces[std::size_t(q + 1)];
    const std::int64_t r0 = m * q / parts, r1 = m * (q + 1) / parts;
    for (std::int64_t r = r0; r < r1; ++r) {
      const Path& fit = paths[std::size_t(r)];
      const std::string response = csv_field(d.responses[std::size_t(r)]);
      for (std::int64_t k = 0; k < fit.nlambda(); ++k) {
        const auto uk = static_cast<std::size_t>(k);
        out += response;
        out += ',';
        append_finite(out, fit.lambdas[uk], "lambda");
        out += ',';
        append_finite(out, fit.intercepts[uk], "intercept");
        for (std::int64_t j = 0; j < fit.n_features; ++j) {
          out += ',';
          append_finite(out, fit.coef(j, k), "coefficient");
        }
        out += '\n';
      }
      // the first response's text sizes the rest (one allocation, not a growth copying it all)
      if (r == r0) out.reserve(out.size() + out.size() * std::size_t(r1 - r0 - 1) * 11 / 10);
    }
  });
  return pieces;
}

bool is_npy_output(const std::string& path) {
  return path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
}

std::string many_path_npy_rows_path(const std::string& npy_path) {
  return npy_path.substr(0, npy_path.size() - 4) + ".responses.csv";
}

std::string many_path_npy(const std::vector<Path>& paths) {
  const std::int64_t p = paths.front().n_features;
  std::size_t rows = 0;
  for (const Path& fit : paths) rows += static_cast<std::size_t>(fit.nlambda());
  const std::size_t cols = static_cast<std::size_t>(p) + 2;
  // NPY format 1.0: magic, version, header length (uint16 LE), a Python dict literal padded
  // with spaces to a multiple of 64 bytes in all, ending in a newline
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) + "), }";
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  const std::size_t start = out.size();
  out.resize(start + rows * cols * 8);
  char* at = &out[start];
  // little-endian whatever the host: the bytes of each value from its bits, low byte first
  const auto put = [&at](double v, const char* what) {
    std::uint64_t bits = 0;
    const double checked = require_finite(v, what);
    std::memcpy(&bits, &checked, sizeof bits);
    for (int b = 0; b < 8; ++b) *at++ = static_cast<char>((bits >> (8 * b)) & 0xff);
  };
  for (const Path& fit : paths)
    for (std::int64_t k = 0; k < fit.nlambda(); ++k) {
      put(fit.lambdas[static_cast<std::size_t>(k)], "lambda");
      put(fit.intercepts[static_cast<std::size_t>(k)], "intercept");
      for (std::int64_t j = 0; j < p; ++j) put(fit.coef(j, k), "coefficient");
    }
  return out;
}

std::string many_path_npy_rows(const ManyDesign& d, const std::vector<Path>& paths) {
  std::string out = "response,rows\n";
  for (std::size_t r = 0; r < paths.size(); ++r)
    out += csv_field(d.responses[r]) + ',' + std::to_string(paths[r].nlambda()) + '\n';
  return out;
}

void rethrow_rank_response_error(const std::exception& e, const ManyDesign& d, std::size_t r) {
  std::string what = e.what(), lead = "rank 0: ";
  if (what.rfind("rank ", 0) == 0) {
    const std::size_t colon = what.find(": ");
    lead = what.substr(0, colon + 2);
    what.erase(0, colon + 2);
  }
  const std::string& source = d.response_source.empty() ? d.design.source : d.response_source;
  throw InputError(lead + source + ": response " + quoted_for_message(d.responses[r]) + ": " +
                   what);
}

RowOptionNames take_row_options(const ParsedArgs& a, const ManySource& source, ManyDesign& d,
                                Options& options, const std::string& command) {
  RowOptionNames names{a.get("weights"), a.get("offset")};
  if (names.offset_name)
    options.offset =
        take_offset_columns(d.design, *names.offset_name, options.family, command, source.csv);
  // the values are the library's to check (named with the file by rethrow_naming_inputs)
  if (names.weights_file)
    options.weights = d.all_rows != d.design.n
                          ? rank_weights(*names.weights_file, d.first_row, d.design.n,
                                         d.all_rows, source.data)
                          : read_response_file(*names.weights_file);
  return names;
}

std::vector<Path> fit_on_ranks(const Communicator& comm, const ManyDesign& d, Options options,
                               const RowOptionNames& names, ProgressBar& bar) {
  return each_response_on_ranks(d, bar, [&](const double* y, std::function<void(double)> progress) {
    options.progress = std::move(progress);
    try {
      return regpath::fit(comm, d.design.view(), y, options);
    } catch (const std::invalid_argument& e) {
      rethrow_naming_inputs(e, d.design, names.weights_file, names.offset_name);
    }
  });
}

int run_fit_many(const ParsedArgs& a, const ManySource& source, Options options,
                 const Communicator* comm, std::ostream& out, std::ostream& err) {
  const std::string command = "regpath fit";
  const std::string output = required_arg(a, command, "output", "PATH.csv");
  const auto plot = a.get("plot"), model = a.get("save-model");
  if (plot) per_response_outputs("plot", *plot, {"y"});  // a pattern without {response}: now
  if (model) per_response_outputs("save-model", *model, {"y"});
  // under mpirun rank 0 writes every output: its checks, every rank's error
  std::vector<NamedPath> inputs = source.inputs;
  if (const auto weights = a.get("weights")) inputs.push_back({"--weights", *weights});
  on_rank0(comm, [&] { check_outputs(inputs, {{"--output", output}}); });
  const bool quiet = a.has("quiet");

  ManyDesign d = comm ? source.load_rows(*comm) : source.load();
  const RowOptionNames row_names = take_row_options(a, source, d, options, command);
  // --plot / --save-model: one file per response, named once the names are read, checked
  // before the fits
  std::vector<NamedPath> plots, models, outputs{{"--output", output}};
  const bool npy = is_npy_output(output);
  if (npy) outputs.push_back({"--output", many_path_npy_rows_path(output)});
  if (plot) plots = per_response_outputs("plot", *plot, d.responses);
  if (model) models = per_response_outputs("save-model", *model, d.responses);
  outputs.insert(outputs.end(), plots.begin(), plots.end());
  outputs.insert(outputs.end(), models.begin(), models.end());
  on_rank0(comm, [&] { check_outputs(inputs, outputs); });
  apply_feature_flags(a, d.design.names, options, command);
  notice_device_fallback(options, err);
  ProgressBar bar(err, "fit", progress_enabled(err, quiet) && (!comm || comm->rank() == 0));
  options.progress = bar.callback();
  const std::vector<Path> paths = [&] {
    // under mpirun one distributed fit per response, all ranks together
    if (comm) return fit_on_ranks(*comm, d, options, row_names, bar);
    try {
      if (d.sparse) return regpath::fit(d.sparse->view(), d.Yv(), options);
      return regpath::fit(d.design.view(), d.Yv(), options);
    } catch (const ResponseError& e) {
      rethrow_response_error(e, d);
    } catch (const ColumnError& e) {
      rethrow_column_error(e, d.design);
    } catch (const std::invalid_argument& e) {
      rethrow_naming_inputs(e, d.design, row_names.weights_file, row_names.offset_name);
    }
  }();
  bar.clear();
  // the models' standardization record: every rank's rows (two sums, before rank 0 goes on)
  const RankMoments moments =
      comm && model ? rank_moments(d.design, *comm, d.all_rows) : RankMoments{};
  if (comm && comm->rank() != 0) return 0;
  // Rendered before anything is written: a number that is not finite stops it all.
  std::ostringstream printed;
  if (a.has("print-path"))
    for (std::size_t r = 0; r < paths.size(); ++r) {
      printed << (r ? "\n" : "") << "response " << d.responses[r] << '\n';
      print_path(paths[r], printed);
    }
  StagedOutputs files;
  if (npy) {
    files.add(output, many_path_npy(paths));
    files.add(many_path_npy_rows_path(output), many_path_npy_rows(d, paths));
  } else {
    // the text is formatted by this tool's own loops: as many threads as the responses' solves
    // may have (--threads; automatic: every core)
    files.add(output, many_path_csv(d, paths,
                                    regpath::detail::response_threads(
                                        options, Device::cpu, true, std::int64_t(paths.size()))));
  }
  for (std::size_t r = 0; r < plots.size(); ++r)
    files.add(plots[r].path,
              render_svg(coefficient_plot(paths[r], d.design.names, options.alpha,
                                          d.responses[r])));
  for (std::size_t r = 0; r < models.size(); ++r) {
    Model m = response_model(paths[r], options, d);
    if (comm) record_rank_standardization(m, moments);
    files.add(models[r].path, model_to_json(m));
  }
  files.commit();
  out << printed.str();
  if (quiet) return 0;
  double seconds = 0, worst = 0;
  long long lambdas = 0, converged = 0;
  for (const Path& p : paths) {
    seconds += p.seconds;
    lambdas += p.nlambda();
    for (std::size_t k = 0; k < p.status.size(); ++k) {
      converged += p.status[k] == Status::converged;
      worst = std::max(worst, p.gaps[k]);
    }
  }
  // the library's rule for its threads (api/response_threads.hpp), for the summary; under
  // mpirun the responses' distributed fits run one after another
  const int threads =
      comm ? 1
           : regpath::detail::response_threads(
                 options, paths.front().device,
                 d.sparse || regpath::detail::tall_design(d.design.n, d.design.p()),
                 std::int64_t(paths.size()));
  char line[640];
  std::snprintf(line, sizeof line,
                "regpath fit: %zu responses, %lld lambdas in all, alpha %g, %s, n %lld, p %lld\n"
                "  device %s (%s), %.3f s of solves (summed over the responses; %d thread%s); "
                "worst relative gap %.3g (tol %.3g); %lld/%lld converged\n",
                paths.size(), lambdas, options.alpha, to_string(options.family),
                static_cast<long long>(d.all_rows), static_cast<long long>(d.design.p()),
                paths.front().device_name.c_str(), to_string(options.precision), seconds, threads,
                threads == 1 ? "" : "s", worst, effective_tol(options), converged, lambdas);
  err << line;
  for (std::size_t r = 0; r < paths.size(); ++r)
    for (std::size_t k = 0; k < paths[r].status.size(); ++k)
      if (paths[r].status[k] != Status::converged) {
        err << "warning: response " << quoted_for_message(d.responses[r]) << ": lambda "
            << paths[r].lambdas[k] << " did not converge (" << to_string(paths[r].status[k])
            << "); its row is written anyway\n";
        break;
      }
  if (comm)
    err << "  ranks " << comm->size() << " (each read its own block of " << source.data
        << "'s rows; rank 0 wrote the outputs)\n";
  err << "  wrote " << output << (npy ? " and " + many_path_npy_rows_path(output) : "") << '\n';
  if (!plots.empty())
    err << "  wrote " << plots.size() << " plots (" << plots.front().path << ", …)\n";
  if (!models.empty())
    err << "  wrote " << models.size() << " models (" << models.front().path << ", …)\n";
  return 0;
}

}  // namespace regpath::cli
