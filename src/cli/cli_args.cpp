#include "cli/cli_args.hpp"

#include "cli/csv_table.hpp"  // quoted_for_message
#include "cli/decimal.hpp"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace regpath::cli {

std::optional<std::string> ParsedArgs::get(const std::string& name) const {
  const auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

const FlagSpec* ArgParser::find(const std::string& name) const {
  for (const auto& f : flags_)
    if (f.name == name) return &f;
  return nullptr;
}

ParsedArgs ArgParser::parse(const std::vector<std::string>& args) const {
  ParsedArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a.compare(0, 2, "--") != 0 || a == "--") {
      if (!a.empty() && a[0] == '-' && a != "-")
        throw UsageError(command_ + ": unknown option '" + a + "' (see " + command_ + " --help)");
      out.positionals.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagSpec* spec = find(name);
    if (spec == nullptr)
      throw UsageError(command_ + ": unknown option '--" + name + "' (see " + command_ +
                       " --help)");
    if (out.has(name)) throw UsageError(command_ + ": option --" + name + " given twice");
    if (spec->metavar.empty()) {
      if (inline_value)
        throw UsageError(command_ + ": option --" + name + " takes no value (got '" +
                         *inline_value + "')");
      out.switches.insert(name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size())
        throw UsageError(command_ + ": option --" + name + " needs a value (" + spec->metavar +
                         ")");
      inline_value = args[++i];
    }
    out.values[name] = *inline_value;
  }
  return out;
}

std::string ArgParser::flag_help() const {
  std::size_t width = 0;
  for (const auto& f : flags_)
    width = std::max(width, f.name.size() + (f.metavar.empty() ? 0 : f.metavar.size() + 1));
  std::ostringstream os;
  const std::string indent(width + 8, ' ');  // where the help column starts
  for (const auto& f : flags_) {
    std::string left = "--" + f.name + (f.metavar.empty() ? "" : " " + f.metavar);
    os << "  " << left << std::string(width + 4 - left.size() + 2, ' ');
    // A help text's further lines start in the help column, however wide the flags are.
    std::size_t start = 0;
    while (true) {
      const std::size_t nl = f.help.find('\n', start);
      os << f.help.substr(start, nl == std::string::npos ? std::string::npos : nl - start) << '\n';
      if (nl == std::string::npos) break;
      start = f.help.find_first_not_of(' ', nl + 1);
      if (start == std::string::npos) break;
      os << indent;
    }
  }
  return os.str();
}

double parse_double(const std::string& flag, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size())
    throw UsageError("--" + flag + ": '" + text + "' is not a number");
  if (!std::isfinite(v) || (errno == ERANGE && std::fabs(v) >= 1.0))
    throw UsageError("--" + flag + ": '" + text + "' is not a finite number");
  if (!is_decimal_number(text))  // strtod also reads hexadecimal floats such as 0x1p-3
    throw UsageError("--" + flag + ": '" + text + "' is not a decimal number (hexadecimal " +
                     "numbers are not accepted)");
  if (errno == ERANGE)  // below the smallest normal double: rounding would change it
    throw UsageError("--" + flag + ": '" + text + "' is too small (below 2.2e-308, the smallest " +
                     "normal double)");
  return v;
}

int parse_int(const std::string& flag, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size())
    throw UsageError("--" + flag + ": '" + text + "' is not an integer");
  if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
    throw UsageError("--" + flag + ": '" + text + "' is out of range");
  return static_cast<int>(v);
}

std::uint64_t parse_uint64(const std::string& flag, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  // strtoull accepts "-1" (as 2^64 − 1); a seed with a sign is a mistake, not a wrap-around.
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
      end != text.c_str() + text.size())
    throw UsageError("--" + flag + ": '" + text + "' is not a non-negative integer");
  if (errno == ERANGE) throw UsageError("--" + flag + ": '" + text + "' is out of range");
  return static_cast<std::uint64_t>(v);
}

std::vector<std::string> split_list(const std::string& flag, const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos
                                                                     : comma - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    if (item.empty())
      throw UsageError("--" + flag + ": empty item in the list " + quoted_for_message(text));
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<double> parse_double_list(const std::string& flag, const std::string& text) {
  std::vector<double> out;
  for (const std::string& item : split_list(flag, text)) out.push_back(parse_double(flag, item));
  return out;
}

}  // namespace regpath::cli
