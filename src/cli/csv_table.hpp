// A small, strict CSV reader (and field/number writers) for the regpath command-line tool.
//
// Input is RFC 4180 with a header row and numeric data cells. Everything wrong with the input is
// reported as an InputError whose message points at the file, physical line, column and text,
// because the person reading it has to find and fix the cell by hand.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/csv_fast.hpp"

namespace regpath::cli {

// A problem with user-supplied input; the message is written to be shown to the user as is.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CsvTable {
  std::vector<std::string> names;  // header fields, unquoted, in input order
  // columns[j][i] = value of row i (0-based data row) in column j
  std::vector<std::vector<double>> columns;
  std::size_t rows() const;  // number of data rows
  std::size_t cols() const;
  // Index of a column by exact name; throws InputError naming the file, the missing name and (if
  // short) the available names.
  std::size_t column_index(const std::string& name) const;
  std::string source;  // the file name, for messages
};

// Reads and parses the file at `path`.
CsvTable read_csv(const std::string& path);
// The column names of the header of the CSV file at `path`, read_csv's, from its first record
// alone (the rest of the file is not read).
std::vector<std::string> read_csv_header(const std::string& path);
// Parses CSV text from `in`; `source_name` labels error messages and becomes CsvTable::source.
CsvTable parse_csv(std::istream& in, const std::string& source_name);
// Parses CSV text in memory with the given chunking (tests and benchmarks use it to force chunk
// splits, or the reference parser alone with chunking.fast = false).
CsvTable parse_csv_text(std::string_view text, const std::string& source_name,
                        const CsvChunking& chunking);

// User text in single quotes for a message: control bytes escaped (\n, \x1B, ...) so that binary
// garbage cannot corrupt the terminal, long text cut after 60 bytes (not inside a UTF-8 sequence).
std::string quoted_for_message(const std::string& s);

// `s` as one CSV field: quoted (RFC 4180, inner quotes doubled) only when needed, i.e. when it
// contains a comma, quote, CR or LF, has leading/trailing space or tab, or is empty.
std::string csv_field(const std::string& s);
// The shortest "%.*g"-style text that reads back (strtod) as exactly `v`; integral values below
// 1e16 in magnitude print as plain integers ("3", "-0", "100"). NaN and ±Inf print as "nan",
// "inf", "-inf".
std::string format_number(double v);
// The output boundary's invariant: every number the tool writes (CSV, stdout) is finite. The
// library guarantees it; a violation is an internal error (std::logic_error naming `what`), never
// a file holding "nan".
double require_finite(double v, const char* what);
// format_number(require_finite(v, what)).
std::string format_finite(double v, const char* what);
// out += format_finite(v, what), without a temporary string (for writers of millions of numbers).
void append_finite(std::string& out, double v, const char* what);

}  // namespace regpath::cli
