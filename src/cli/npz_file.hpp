// SciPy's sparse .npz input (scipy.sparse.save_npz: a ZIP archive of .npy arrays, deflated or
// stored) for the command-line tool's sparse X, read into compressed sparse columns without
// densifying: formats csc, csr (transposed once) and coo (duplicates summed, as .tocsc()).
//
// The archive is parsed here (its end-of-central-directory record, central directory and local
// headers, ZIP64 sizes included; deflate by zlib; every CRC-32 checked), its arrays by the .npy
// header parser (npy_file.hpp): data float64/float32, indices/indptr/row/col int32/int64
// little-endian, shape two integers, format a string. Anything else — a member missing, a
// bsr/dia/lil matrix, an index out of range, a non-finite value, a truncated or corrupt archive —
// is an InputError naming the file and the member. Pure parsing, fuzzed by
// tests/fuzz/fuzz_npz.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cli/matrix_market.hpp"

namespace regpath::cli {

// Whether `path` is to be read as a SciPy .npz: it starts with a ZIP local header ("PK\3\4")
// and its name ends in ".npz" (a ZIP without that name is not taken for one).
bool is_npz_file(const std::string& path);

// Parses a whole .npz held in `bytes`; `source` names it in messages; a dimension above
// `max_dimension` is an InputError (the fuzz target lowers it to its memory limit).
SparseX parse_npz(std::string_view bytes, const std::string& source,
                  std::int64_t max_dimension = kMaxMatrixMarketDimension);

// Reads and parses the file at `path` (InputError naming it when it cannot be read).
SparseX read_npz(const std::string& path);

}  // namespace regpath::cli
