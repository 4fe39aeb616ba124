// A small command-line parser: `--flag value`, `--flag=value`, switches and positionals, with
// errors that name the flag and the offending text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace regpath::cli {

// A mistake in how the command was called: exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct FlagSpec {
  std::string name;     // without the leading "--"
  std::string metavar;  // empty: a switch that takes no value
  std::string help;
};

struct ParsedArgs {
  std::map<std::string, std::string> values;
  std::set<std::string> switches;
  std::vector<std::string> positionals;

  bool has(const std::string& name) const {
    return values.count(name) != 0 || switches.count(name) != 0;
  }
  std::optional<std::string> get(const std::string& name) const;
};

class ArgParser {
 public:
  ArgParser(std::string command, std::vector<FlagSpec> flags)
      : command_(std::move(command)), flags_(std::move(flags)) {}
  ParsedArgs parse(const std::vector<std::string>& args) const;
  // "  --name METAVAR   help" lines, aligned; a help text's further lines (after "\n") are
  // indented to the help column.
  std::string flag_help() const;

 private:
  const FlagSpec* find(const std::string& name) const;
  std::string command_;
  std::vector<FlagSpec> flags_;
};

// Strict conversions: the whole text must be a finite number / an integer, else a UsageError
// naming the flag and the text.
double parse_double(const std::string& flag, const std::string& text);
int parse_int(const std::string& flag, const std::string& text);
std::uint64_t parse_uint64(const std::string& flag, const std::string& text);
std::vector<double> parse_double_list(const std::string& flag, const std::string& text);
// The items of a comma-separated list, each trimmed of blanks; an empty item is a UsageError
// naming the flag and the list.
std::vector<std::string> split_list(const std::string& flag, const std::string& text);

}  // namespace regpath::cli
