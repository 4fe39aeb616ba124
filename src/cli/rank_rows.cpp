#include "cli/rank_rows.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli/hdf5_file.hpp"
#include "cli/many_responses.hpp"
#include "cli/npy_file.hpp"
#include "cli/response_file.hpp"

namespace regpath::cli {
namespace {

// Reads bytes [from, from + count) of `file` (fewer at its end).
std::string read_bytes(std::FILE* file, const std::string& path, long long from,
                       std::size_t count) {
  std::string out(count, '\0');
  if (std::fseek(file, static_cast<long>(from), SEEK_SET) != 0)
    throw InputError(path + ": cannot seek: " + std::strerror(errno));
  out.resize(std::fread(&out[0], 1, count, file));
  if (std::ferror(file)) throw InputError(path + ": cannot read: " + std::strerror(errno));
  return out;
}

// The first line end at or after `at` in `file` (its size when there is none), +1: where the
// next line starts.
long long next_line_start(std::FILE* file, const std::string& path, long long at,
                          long long size) {
  constexpr std::size_t kWindow = 1 << 16;
  for (long long from = at; from < size; from += kWindow) {
    const std::string bytes = read_bytes(file, path, from, kWindow);
    const std::size_t eol = bytes.find('\n');
    if (eol != std::string::npos) return from + static_cast<long long>(eol) + 1;
  }
  return size;
}

// This rank's rows of DATA.csv, parsed with the header: the file split into equal byte ranges,
// each moved to the next line start. A parse error names DATA.csv's own line (the text is
// parsed again after as many blank lines as come before the block: the reader skips them).
// No collective: the caller agrees on what this throws.
CsvTable read_rank_rows(const std::string& path, const Communicator& comm) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) throw InputError(path + ": cannot open: " + std::strerror(errno));
  if (std::fseek(file.get(), 0, SEEK_END) != 0)
    throw InputError(path + ": cannot seek: " + std::strerror(errno));
  const long long size = std::ftell(file.get());
  const long long data = next_line_start(file.get(), path, 0, size);  // after the header
  const int ranks = comm.size(), me = comm.rank();
  const auto start_of = [&](int r) {
    if (r == 0) return data;
    if (r == ranks) return size;
    const long long nominal = data + (size - data) * r / ranks;
    return next_line_start(file.get(), path, nominal - 1, size);
  };
  const long long begin = start_of(me), end = std::max(begin, start_of(me + 1));
  const std::string header = read_bytes(file.get(), path, 0, std::size_t(data));
  const std::string block = read_bytes(file.get(), path, begin, std::size_t(end - begin));
  if (block.find_first_not_of(" \t\r\n") == std::string::npos)
    throw InputError(path + ": no rows for rank " + std::to_string(me) + " of " +
                     std::to_string(ranks) + " (each reads its share of the file's bytes); "
                     "use fewer ranks");
  try {
    return parse_csv_text(header + block, path, CsvChunking{});
  } catch (const InputError&) {
    // the lines of DATA.csv between the header and this block, as blank lines
    std::size_t before = 0;
    constexpr std::size_t kWindow = 1 << 20;
    for (long long from = data; from < begin; from += kWindow) {
      const auto count = std::size_t(std::min<long long>(kWindow, begin - from));
      const std::string bytes = read_bytes(file.get(), path, from, count);
      before += std::size_t(std::count(bytes.begin(), bytes.end(), '\n'));
    }
    return parse_csv_text(header + std::string(before, '\n') + block, path, CsvChunking{});
  }
}

}  // namespace

DataSpec rank_data_spec(const ParsedArgs& a, const std::string& command,
                        bool weights_and_offset) {
  for (const char* flag : {"weights", "offset"})
    if (a.has(flag) && !(weights_and_offset && (std::strcmp(flag, "weights") == 0 ||
                                                std::strcmp(flag, "offset") == 0)))
      throw UsageError(command + " under mpirun: --" + std::string(flag) +
                       " is not supported yet with several ranks");
  DataSpec spec = data_spec(a, command);  // an HDF5 DATA's datasets checked there
  const bool npy = spec.npy && spec.response_file;
  if (spec.mtx || !(npy || spec.hdf5 || (!spec.npy && spec.response && !spec.response_file)))
    throw UsageError(command + " under mpirun: DATA must be a CSV file with --response, a .npy "
                     "X with --response-file or an HDF5 file with --x-dataset, for now");
  return spec;
}

namespace {

// This rank's rows of DATA's features (a .npy or HDF5 X, or every column of DATA.csv), without
// a response. No collective: the caller agrees on what this throws.
Design read_rank_features(const DataSpec& spec, const Communicator& comm) {
  Design d;
  std::size_t begin = 0, end = 0, cols = 0;
  std::vector<std::string> stored_names;  // an HDF5 X's feature_names attribute
  if (spec.npy) {
    NpyRowBlock b = read_npy_row_block(spec.data, comm.rank(), comm.size());
    std::tie(begin, end, cols) = std::tie(b.begin, b.end, b.cols);
    d.source = spec.data;
    d.X = std::move(b.values);
  } else if (spec.hdf5) {
    Hdf5RowBlock b = read_hdf5_row_block(spec.data, *spec.x_dataset, comm.rank(), comm.size());
    std::tie(begin, end, cols) = std::tie(b.begin, b.end, b.block.cols);
    d.source = spec.data + " dataset " + quoted_for_message(*spec.x_dataset);
    d.X = std::move(b.block.values);
    stored_names = std::move(b.block.names);
  } else {
    const CsvTable table = read_rank_rows(spec.data, comm);
    d.source = table.source;
    d.n = std::int64_t(table.rows());
    d.names = table.names;
    for (const auto& column : table.columns) d.X.insert(d.X.end(), column.begin(), column.end());
    return d;
  }
  if (end == begin)
    throw InputError(d.source + ": no rows for rank " + std::to_string(comm.rank()) + " of " +
                     std::to_string(comm.size()) + "; use fewer ranks");
  d.n = std::int64_t(end - begin);
  d.names = !spec.feature_names && !stored_names.empty()
                ? std::move(stored_names)
                : feature_names_for(spec, std::int64_t(cols));
  return d;
}

// Where this rank's `rows` are among every rank's: (first row, all rows). Collective.
std::pair<std::int64_t, std::int64_t> rank_row_span(const Communicator& comm,
                                                    std::int64_t rows) {
  std::vector<double> counts(static_cast<std::size_t>(comm.size()), 0.0);
  counts[std::size_t(comm.rank())] = double(rows);
  comm.sum(counts.data(), counts.size());
  std::int64_t first = 0, all = 0;
  for (int r = 0; r < comm.size(); ++r) {
    if (r < comm.rank()) first += std::int64_t(counts[std::size_t(r)]);
    all += std::int64_t(counts[std::size_t(r)]);
  }
  return {first, all};
}

// Rows [first, first + count) of a column-major matrix of `cols` columns and `rows` rows.
std::vector<double> row_block(const std::vector<double>& values, std::size_t rows,
                              std::size_t cols, std::int64_t first, std::int64_t count) {
  std::vector<double> out;
  out.reserve(cols * std::size_t(count));
  for (std::size_t j = 0; j < cols; ++j) {
    const auto from = values.begin() + std::ptrdiff_t(j * rows + std::size_t(first));
    out.insert(out.end(), from, from + std::ptrdiff_t(count));
  }
  return out;
}

}  // namespace

RankDesign read_rank_design(const DataSpec& spec, const Communicator& comm) {
  RankDesign out;
  Design& d = out.design;
  const bool separate_response = spec.npy || spec.hdf5;
  agreed(comm, [&] {
    d = separate_response ? read_rank_features(spec, comm)
                          : design_from_table(read_rank_rows(spec.data, comm), *spec.response);
  });
  std::tie(out.first_row, out.all_rows) = rank_row_span(comm, d.n);
  if (!separate_response) return out;
  // every row's response (n values, read by every rank, so every rank fails alike); this rank's
  agreed(comm, [&] {
    std::vector<double> all_y;
    std::string y_source;
    if (spec.hdf5 && spec.y_dataset) {
      all_y = read_hdf5_vector(spec.data, *spec.y_dataset);
      y_source = spec.data + " dataset " + quoted_for_message(*spec.y_dataset);
    } else {
      all_y = read_response_file(*spec.response_file);
      y_source = *spec.response_file + " (--response-file)";
    }
    if (std::int64_t(all_y.size()) != out.all_rows)
      throw InputError(y_source + ": " + std::to_string(all_y.size()) + " values for the " +
                       std::to_string(out.all_rows) + " rows of " + d.source);
    d.y = row_block(all_y, all_y.size(), 1, out.first_row, d.n);
  });
  return out;
}

ManyDesign read_rank_many_design(const Communicator& comm, const std::string& data,
                                 const std::vector<std::string>& responses) {
  ManyDesign out;
  agreed(comm, [&] { out = many_design_from_table(read_rank_rows(data, comm), responses); });
  std::tie(out.first_row, out.all_rows) = rank_row_span(comm, out.design.n);
  return out;
}

ManyDesign read_rank_many_design(const Communicator& comm, const DataSpec& spec,
                                 const std::vector<std::string>& responses,
                                 const std::vector<double>& all_Y, const std::string& source) {
  ManyDesign out;
  agreed(comm, [&] { out.design = read_rank_features(spec, comm); });
  std::tie(out.first_row, out.all_rows) = rank_row_span(comm, out.design.n);
  const std::size_t m = responses.size();
  agreed(comm, [&] {
    if (all_Y.size() != m * std::size_t(out.all_rows))
      throw InputError(source + " has " + std::to_string(all_Y.size() / std::max<std::size_t>(1, m)) +
                       " rows of responses, " + out.design.source + " has " +
                       std::to_string(out.all_rows) +
                       " rows: they must match, one row of responses per row");
  });
  out.responses = responses;
  out.response_source = source;
  out.Y = row_block(all_Y, std::size_t(out.all_rows), m, out.first_row, out.design.n);
  return out;
}

std::vector<double> rank_weights(const std::string& weights_file, const RankDesign& rows,
                                 const std::string& data) {
  return rank_weights(weights_file, rows.first_row, rows.design.n, rows.all_rows, data);
}

std::vector<double> rank_weights(const std::string& weights_file, std::int64_t first_row,
                                 std::int64_t rows, std::int64_t all_rows,
                                 const std::string& data) {
  const std::vector<double> all = read_response_file(weights_file);
  if (std::int64_t(all.size()) != all_rows)
    throw InputError(weights_file + " (--weights): " + std::to_string(all.size()) +
                     " values for the " + std::to_string(all_rows) + " rows of " + data);
  return std::vector<double>(all.begin() + first_row, all.begin() + (first_row + rows));
}

RankMoments rank_moments(const Design& d, const Communicator& comm, std::int64_t all_rows) {
  const std::int64_t p = d.p(), n = d.n;
  const MatrixView<double> X = d.view();
  RankMoments r;
  r.mean.assign(std::size_t(p), 0.0);
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i) r.mean[std::size_t(j)] += X(i, j);
  comm.sum(r.mean.data(), r.mean.size());
  for (double& m : r.mean) m /= double(all_rows);
  r.sd.assign(std::size_t(p), 0.0);
  for (std::int64_t j = 0; j < p; ++j)
    for (std::int64_t i = 0; i < n; ++i) {
      const double c = X(i, j) - r.mean[std::size_t(j)];
      r.sd[std::size_t(j)] += c * c;
    }
  comm.sum(r.sd.data(), r.sd.size());
  for (double& s : r.sd) s = std::sqrt(s / double(all_rows));
  return r;
}

void record_rank_standardization(Model& m, const RankMoments& moments) {
  m.feature_centers.clear();
  m.feature_scales.clear();
  for (std::size_t j = 0; j < moments.mean.size(); ++j) {
    m.feature_centers.push_back(m.intercept ? moments.mean[j] : 0.0);
    m.feature_scales.push_back(m.standardize ? moments.sd[j] : 1.0);
  }
}

}  // namespace regpath::cli
