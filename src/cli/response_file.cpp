#include "cli/response_file.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <utility>

#include "cli/csv_table.hpp"
#include "cli/hdf5_file.hpp"
#include "cli/npy_file.hpp"
#include "cli/rank_rows.hpp"

namespace regpath::cli {
namespace {

// The fields of a CSV file's first non-empty line (quotes respected, then dropped with the
// spaces around): more than one means the file holds several responses. None when it cannot be
// read (read_response_file reports that).
std::vector<std::string> first_line_fields(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) break;
  if (!in && line.empty()) return {};
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) fields.emplace_back();
    else if (c != '"' && c != ' ' && c != '\t' && c != '\r') fields.back() += c;
  }
  return fields;
}

bool is_number(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

ResponseColumns read_csv_columns(const std::string& path) {
  CsvTable t = read_csv(path);  // names each bad cell (line, column, text) and a repeated name
  if (t.rows() == 0) throw InputError(path + ": no response values (only a header line)");
  ResponseColumns y;
  y.source = path;
  y.rows = t.rows();
  y.names = std::move(t.names);
  for (const auto& column : t.columns)
    y.values.insert(y.values.end(), column.begin(), column.end());
  return y;
}

// A .npy of shape (n, m): nullopt for (n,) and (n, 1), read_response_file's cases.
std::optional<ResponseColumns> read_npy_columns(const std::string& path) {
  std::size_t m = 0;
  {
    const MappedFile file(path);
    const NpyHeader h = parse_npy_header(file.data(), file.size(), path);
    if (h.shape.size() != 2 || h.shape[1] == 1) return std::nullopt;
    m = h.shape[1];
    if (m == 0)
      throw InputError(path + ": shape (" + std::to_string(h.shape[0]) + ", 0) has 0 columns: "
                              "no responses");
    if (h.shape[0] == 0) throw InputError(path + ": no response values (0 rows)");
  }
  // X's reader: either storage order, float64 or float32, each value checked finite
  const NpyMatrix values = read_npy_matrix(path, "every response value");
  ResponseColumns y;
  y.source = path;
  y.rows = values.rows;
  y.values.assign(values.values, values.values + values.rows * values.cols);
  for (std::size_t j = 0; j < m; ++j) y.names.push_back("y" + std::to_string(j + 1));
  return y;
}

std::optional<ResponseColumns> read_hdf5_columns(const std::string& path,
                                                 const std::string& dataset) {
  Hdf5Matrix h = read_hdf5_responses(path, dataset);
  if (h.cols == 1) return std::nullopt;
  ResponseColumns y;
  y.source = path + " dataset " + quoted_for_message(dataset);
  y.rows = h.rows;
  y.values = std::move(h.values);
  y.names = std::move(h.names);  // checked by read_hdf5_responses
  if (y.names.empty())
    for (std::size_t j = 0; j < h.cols; ++j) y.names.push_back("y" + std::to_string(j + 1));
  return y;
}

// DATA's features and the response file's columns as one many-responses design.
ManyDesign many_design(const DataSpec& spec, ResponseColumns y) {
  ManyDesign d;
  if (spec.mtx) {
    SparseInput in = load_sparse_features(spec);
    d.design = std::move(in.design);
    d.sparse = std::make_shared<const SparseX>(std::move(in.x));
  } else {
    d.design = load_features(spec);
  }
  if (y.rows != static_cast<std::size_t>(d.design.n))
    throw InputError(y.source + " has " + std::to_string(y.rows) + " rows of responses, " +
                     d.design.source + " has " + std::to_string(d.design.n) +
                     " rows: they must match, one row of responses per row");
  d.all_rows = d.design.n;
  d.responses = std::move(y.names);
  d.Y = std::move(y.values);
  d.response_source = y.source;
  return d;
}

}  // namespace

std::optional<ResponseColumns> many_response_columns(const DataSpec& spec) {
  if (spec.hdf5 && spec.y_dataset) return read_hdf5_columns(spec.data, *spec.y_dataset);
  if (!spec.response_file) return std::nullopt;
  const std::string& path = *spec.response_file;
  if (is_npy_file(path)) return read_npy_columns(path);
  const std::vector<std::string> first = first_line_fields(path);
  if (first.size() <= 1) return std::nullopt;
  // Without a header, read_csv would take the first row's numbers for names.
  if (std::all_of(first.begin(), first.end(), is_number))
    throw InputError(path + ": line 1 has " + std::to_string(first.size()) +
                     " fields, all numbers: a response file holds one column, or several under "
                     "a header line naming them");
  return read_csv_columns(path);
}

std::optional<ManySource> many_source(ParsedArgs& a, const std::string& command) {
  if (const auto names = many_response_names(a, command)) {
    ManySource s;
    s.data = data_path_arg(a, command);
    s.inputs = {{"DATA.csv", s.data}};
    if (const auto f = a.get("responses-file")) s.inputs.push_back({"--responses-file", *f});
    s.load = [data = s.data, names = *names] { return read_many_design(data, names); };
    s.load_rows = [data = s.data, names = *names](const Communicator& comm) {
      return read_rank_many_design(comm, data, names);
    };
    return s;
  }
  if (!a.has("response-file") && !a.has("y-dataset")) return std::nullopt;
  const DataSpec spec = data_spec(a, command);
  std::optional<ResponseColumns> y = many_response_columns(spec);
  if (!y) return std::nullopt;
  ManySource s;
  s.data = spec.data;
  s.inputs = spec.inputs();
  if (spec.mtx) s.sparse = spec;
  s.csv = !spec.npy && !spec.hdf5 && !spec.mtx;
  auto columns = std::make_shared<ResponseColumns>(std::move(*y));
  s.load = [spec, columns] { return many_design(spec, std::move(*columns)); };
  s.load_rows = [spec, columns](const Communicator& comm) {
    return read_rank_many_design(comm, spec, columns->names, columns->values, columns->source);
  };
  return s;
}

std::optional<ManySource> many_source_on_ranks(ParsedArgs& a, const std::string& command,
                                               const Communicator* comm) {
  if (!comm) return many_source(a, command);
  std::optional<ManySource> source;
  std::optional<UsageError> usage;
  agreed(*comm, [&] {
    try {
      source = many_source(a, command);
    } catch (const UsageError& e) {
      usage = e;
    }
  });
  if (usage) throw *usage;
  return source;
}

}  // namespace regpath::cli
