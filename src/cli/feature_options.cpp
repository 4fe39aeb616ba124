#include "cli/feature_options.hpp"

#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>

#include "cli/csv_table.hpp"

namespace regpath::cli {

std::vector<FlagSpec> feature_flags() {
  return {
      {"penalty-factor", "W1,...,Wp|NAME=W,...",
       "glmnet's penalty.factor: one factor per feature (in the data's order), or\n"
       "NAME=W pairs (the others 1). Each multiplies that coefficient's penalty; only\n"
       "their ratios matter (rescaled to sum to p, as glmnet). Each > 0; a feature\n"
       "that should not enter at all: --exclude"},
      {"exclude", "NAME,...",
       "glmnet's exclude: these features' coefficients are fixed at 0 (reported as 0)"},
      {"lower-limits", "L|L1,...,Lp|NAME=L,...",
       "glmnet's lower.limits: β_j ≥ L_j on the reported (original) scale; one value\n"
       "for all features, one per feature, or NAME=L pairs (the others unlimited).\n"
       "Each ≤ 0 (-inf: none); 0 gives non-negative coefficients"},
      {"upper-limits", "U|U1,...,Up|NAME=U,...",
       "glmnet's upper.limits: β_j ≤ U_j, as --lower-limits (each ≥ 0, inf: none)"}};
}

namespace {

// The items of a comma-separated list, trimmed; an empty item is a UsageError.
std::vector<std::string> split_list(const std::string& flag, const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
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

std::int64_t feature_index(const std::map<std::string, std::int64_t>& index,
                           const std::string& name, const std::string& flag,
                           const std::string& command) {
  const auto it = index.find(name);
  if (it == index.end())
    throw UsageError(command + ": --" + flag + ": " + quoted_for_message(name) +
                     " is not a feature of the data");
  return it->second;
}

// A number of a limits list: also "inf" / "-inf" (no limit on that side).
double parse_limit(const std::string& flag, const std::string& text) {
  if (text == "inf" || text == "+inf" || text == "Inf") return INFINITY;
  if (text == "-inf" || text == "-Inf") return -INFINITY;
  return parse_double(flag, text);
}

// --lower-limits / --upper-limits: one value, one per feature, or NAME=V pairs (others `none`).
std::vector<double> parse_limits(const std::string& flag, const std::string& text,
                                 const std::map<std::string, std::int64_t>& index,
                                 std::int64_t p, double none, const std::string& command) {
  const std::vector<std::string> items = split_list(flag, text);
  std::vector<double> out;
  if (text.find('=') == std::string::npos) {
    for (const std::string& item : items) out.push_back(parse_limit(flag, item));
    if (out.size() != 1 && std::int64_t(out.size()) != p)
      throw UsageError(command + ": --" + flag + ": " + std::to_string(out.size()) +
                       " values for " + std::to_string(p) +
                       " features; give one for all, one per feature, or NAME=V pairs");
    return out;
  }
  out.assign(std::size_t(p), none);
  std::vector<char> seen(std::size_t(p), 0);
  for (const std::string& item : items) {
    const std::size_t eq = item.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(command + ": --" + flag + ": " + quoted_for_message(item) +
                       " is not NAME=V (give NAME=V pairs, one value, or one per feature)");
    const std::string name = item.substr(0, eq);
    const std::int64_t j = feature_index(index, name, flag, command);
    if (seen[std::size_t(j)]++)
      throw UsageError(command + ": --" + flag + ": " + quoted_for_message(name) +
                       " is given twice");
    out[std::size_t(j)] = parse_limit(flag, item.substr(eq + 1));
  }
  return out;
}

}  // namespace

void apply_feature_flags(const ParsedArgs& a, const std::vector<std::string>& names, Options& o,
                         const std::string& command) {
  std::map<std::string, std::int64_t> index;
  for (std::size_t j = 0; j < names.size(); ++j) index.emplace(names[j], std::int64_t(j));
  const auto p = static_cast<std::int64_t>(names.size());
  if (auto v = a.get("penalty-factor")) {
    if (v->find('=') == std::string::npos) {
      o.penalty_factors = parse_double_list("penalty-factor", *v);
      if (std::int64_t(o.penalty_factors.size()) != p)
        throw UsageError(command + ": --penalty-factor: " +
                         std::to_string(o.penalty_factors.size()) + " values for " +
                         std::to_string(p) + " features; give one per feature, or NAME=W pairs");
    } else {
      o.penalty_factors.assign(std::size_t(p), 1.0);
      std::vector<char> seen(std::size_t(p), 0);
      for (const std::string& item : split_list("penalty-factor", *v)) {
        const std::size_t eq = item.rfind('=');
        if (eq == std::string::npos || eq == 0)
          throw UsageError(command + ": --penalty-factor: " + quoted_for_message(item) +
                           " is not NAME=W (give NAME=W pairs, or one number per feature)");
        const std::string name = item.substr(0, eq);
        const std::int64_t j = feature_index(index, name, "penalty-factor", command);
        if (seen[std::size_t(j)]++)
          throw UsageError(command + ": --penalty-factor: " + quoted_for_message(name) +
                           " is given twice");
        o.penalty_factors[std::size_t(j)] = parse_double("penalty-factor", item.substr(eq + 1));
      }
    }
  }
  if (auto v = a.get("exclude")) {
    o.exclude.clear();
    for (const std::string& name : split_list("exclude", *v))
      o.exclude.push_back(feature_index(index, name, "exclude", command));
  }
  if (auto v = a.get("lower-limits"))
    o.lower_limits = parse_limits("lower-limits", *v, index, p, -INFINITY, command);
  if (auto v = a.get("upper-limits"))
    o.upper_limits = parse_limits("upper-limits", *v, index, p, INFINITY, command);
  try {
    validate_options(o);
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    // the library names entries by index; the user knows the features by name
    for (const std::string field : {"penalty_factors[", "lower_limits[", "upper_limits["}) {
      const std::size_t at = what.find(field);
      if (at == std::string::npos) continue;
      std::size_t j = 0;
      for (std::size_t i = at + field.size(); i < what.size() && what[i] >= '0' && what[i] <= '9';
           ++i)
        j = 10 * j + std::size_t(what[i] - '0');
      const bool one_for_all = field != "penalty_factors[" &&
                               (field == "lower_limits[" ? o.lower_limits : o.upper_limits).size() == 1;
      if (j < names.size() && !one_for_all)
        what += " (feature " + quoted_for_message(names[j]) + ")";
    }
    throw UsageError(command + ": " + what);
  }
}

}  // namespace regpath::cli
