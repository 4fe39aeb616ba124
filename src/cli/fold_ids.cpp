#include "cli/fold_ids.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <istream>
#include <optional>

#include "cli/csv_table.hpp"

namespace regpath::cli {
namespace {

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// Only [+-]digits: strtol would also skip leading whitespace such as '\v' (found by the fuzz
// target: the control byte then reached the message raw).
std::optional<long> as_integer(const std::string& text) {
  if (text.empty() || text.find_first_not_of("+-0123456789") != std::string::npos)
    return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (end != text.c_str() + text.size() || errno == ERANGE) return std::nullopt;
  return v;
}

bool is_number(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

}  // namespace

std::vector<int> read_fold_ids(const std::string& path, std::size_t rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open fold id file " + path + ": " + std::strerror(errno));
  return parse_fold_ids(in, path, rows);
}

std::vector<int> parse_fold_ids(std::istream& in, const std::string& path, std::size_t rows) {
  std::vector<int> ids;
  std::string raw, header;
  std::size_t line = 0, blank_since = 0;  // blank_since: first line of a run of blank lines
  // Said with every later error: a skipped first line explains a count that is one short.
  auto header_note = [&header] {
    return header.empty() ? std::string()
                          : " (its first line, " + quoted_for_message(header) +
                                ", is not a number and was skipped as a header)";
  };
  while (std::getline(in, raw)) {
    ++line;
    if (raw.find('\0') != std::string::npos)
      throw InputError(path + " line " + std::to_string(line) +
                       ": NUL bytes; a fold id file is text, one integer per line (UTF-16 or " +
                       "binary data?)");
    const std::string text = trimmed(raw);
    if (text.empty()) {
      if (blank_since == 0) blank_since = line;
      continue;
    }
    // A blank line between ids would silently shift every later row into another fold.
    if (blank_since != 0)
      throw InputError(path + " line " + std::to_string(blank_since) +
                       ": empty line; expected a fold id (an integer 1, 2, ...)" + header_note());
    if (line == 1 && !is_number(text)) {  // a header such as "foldid"
      header = text;
      continue;
    }
    const auto v = as_integer(text);
    if (!v)
      throw InputError(path + " line " + std::to_string(line) + ": " + quoted_for_message(text) +
                       " is not an integer fold id" + header_note());
    if (*v < 1 || *v > INT_MAX)  // `text` is [+-]digits here: nothing to escape
      throw InputError(path + " line " + std::to_string(line) + ": fold id " + text +
                       " is outside 1..K (fold ids are 1, 2, ..., K)" + header_note());
    ids.push_back(static_cast<int>(*v));
  }
  if (in.bad()) throw InputError("error while reading " + path + ": " + std::strerror(errno));
  if (ids.size() != rows)
    throw InputError(path + " has " + std::to_string(ids.size()) + " fold ids for " +
                     std::to_string(rows) + " data rows" + header_note());
  return ids;
}

}  // namespace regpath::cli
