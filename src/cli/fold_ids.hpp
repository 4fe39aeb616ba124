// `regpath cv --foldid FILE`: the fold of each data row, read from a file of one integer per
// line (cv.glmnet's foldid, e.g. as R's write.csv leaves it).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace regpath::cli {

// Reads one fold id per line for `rows` data rows. A first line that is not a number (a header
// such as "foldid") is skipped; blank lines at the end are ignored. Throws InputError naming the
// file and the line for a line that is not an integer or an id below 1, and naming the counts
// when the file does not have exactly `rows` ids. Whether every fold 1..K has rows and K ≥ 3
// is left to the library (cross_validate), which reports it.
std::vector<int> read_fold_ids(const std::string& path, std::size_t rows);
// The same from a stream; `path` names it in messages (the fuzz target's entry point).
std::vector<int> parse_fold_ids(std::istream& in, const std::string& path, std::size_t rows);

}  // namespace regpath::cli
