#include "cli/rank_rows.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "cli/csv_table.hpp"
#include "cli/hdf5_file.hpp"
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
  for (const char* flag : {"responses-file", "weights", "offset"})
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

RankDesign read_rank_design(const DataSpec& spec, const Communicator& comm) {
  RankDesign out;
  Design& d = out.design;
  agreed(comm, [&] {
    if (spec.npy || spec.hdf5) {
      // rows [begin, end) of X; every row's response (n values, read by every rank)
      std::size_t all_rows = 0, begin = 0, end = 0, cols = 0;
      std::vector<std::string> stored_names;  // an HDF5 X's feature_names attribute
      std::vector<double> all_y;
      std::string y_source;
      if (spec.npy) {
        NpyRowBlock b = read_npy_row_block(spec.data, comm.rank(), comm.size());
        std::tie(all_rows, begin, end, cols) = std::tie(b.rows, b.begin, b.end, b.cols);
        d.source = spec.data;
        d.X = std::move(b.values);
      } else {
        Hdf5RowBlock b = read_hdf5_row_block(spec.data, *spec.x_dataset, comm.rank(),
                                             comm.size());
        std::tie(all_rows, begin, end, cols) = std::tie(b.all_rows, b.begin, b.end, b.block.cols);
        d.source = spec.data + " dataset " + quoted_for_message(*spec.x_dataset);
        d.X = std::move(b.block.values);
        stored_names = std::move(b.block.names);
      }
      if (spec.hdf5 && spec.y_dataset) {
        all_y = read_hdf5_vector(spec.data, *spec.y_dataset);
        y_source = spec.data + " dataset " + quoted_for_message(*spec.y_dataset);
      } else {
        all_y = read_response_file(*spec.response_file);
        y_source = *spec.response_file + " (--response-file)";
      }
      if (all_y.size() != all_rows)
        throw InputError(y_source + ": " + std::to_string(all_y.size()) + " values for the " +
                         std::to_string(all_rows) + " rows of " + d.source);
      if (end == begin)
        throw InputError(d.source + ": no rows for rank " + std::to_string(comm.rank()) +
                         " of " + std::to_string(comm.size()) + "; use fewer ranks");
      d.n = std::int64_t(end - begin);
      d.y.assign(all_y.begin() + std::ptrdiff_t(begin), all_y.begin() + std::ptrdiff_t(end));
      d.names = !spec.feature_names && !stored_names.empty()
                    ? std::move(stored_names)
                    : feature_names_for(spec, std::int64_t(cols));
    } else {
      d = design_from_table(read_rank_rows(spec.data, comm), *spec.response);
    }
  });
  // where this rank's rows are among all of them
  std::vector<double> counts(static_cast<std::size_t>(comm.size()), 0.0);
  counts[std::size_t(comm.rank())] = double(d.n);
  comm.sum(counts.data(), counts.size());
  for (int r = 0; r < comm.size(); ++r) {
    if (r < comm.rank()) out.first_row += std::int64_t(counts[std::size_t(r)]);
    out.all_rows += std::int64_t(counts[std::size_t(r)]);
  }
  return out;
}

std::vector<double> rank_weights(const std::string& weights_file, const RankDesign& rows,
                                 const std::string& data) {
  const std::vector<double> all = read_response_file(weights_file);
  if (std::int64_t(all.size()) != rows.all_rows)
    throw InputError(weights_file + " (--weights): " + std::to_string(all.size()) +
                     " values for the " + std::to_string(rows.all_rows) + " rows of " + data);
  return std::vector<double>(all.begin() + rows.first_row,
                             all.begin() + (rows.first_row + rows.design.n));
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
