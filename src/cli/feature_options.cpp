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
       "their ratios matter (rescaled to sum to p, as glmnet). Each >= 0: 0 leaves the\n"
       "feature unpenalized, in every model (binomial and poisson: on the CPU, for\n"
       "now); a feature that should not enter at all: --exclude"},
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

// A per-feature flag's values: one per feature (or, with one_for_all, one value for all), or
// NAME=V pairs, the features not named getting `none`. `letter` names the value in messages
// (W, V); `limits` also reads inf / -inf.
std::vector<double> parse_per_feature(const std::string& flag, const std::string& text,
                                      const std::map<std::string, std::int64_t>& index,
                                      std::int64_t p, double none, bool one_for_all,
                                      bool limits, const char* letter,
                                      const std::string& command) {
  const std::vector<std::string> items = split_list(flag, text);
  const auto value = [&](const std::string& t) {
    return limits ? parse_limit(flag, t) : parse_double(flag, t);
  };
  std::vector<double> out;
  const std::string pairs = std::string("NAME=") + letter + " pairs";
  if (text.find('=') == std::string::npos) {
    for (const std::string& item : items) out.push_back(value(item));
    if ((out.size() != 1 || !one_for_all) && std::int64_t(out.size()) != p)
      throw UsageError(command + ": --" + flag + ": " + std::to_string(out.size()) +
                       " values for " + std::to_string(p) + " features; give " +
                       (one_for_all ? "one for all, " : "") + "one per feature, or " + pairs);
    return out;
  }
  out.assign(std::size_t(p), none);
  std::vector<char> seen(std::size_t(p), 0);
  for (const std::string& item : items) {
    const std::size_t eq = item.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(command + ": --" + flag + ": " + quoted_for_message(item) +
                       " is not NAME=" + letter + " (give " + pairs +
                       (one_for_all ? ", one value, or one per feature)"
                                    : ", or one number per feature)"));
    const std::string name = item.substr(0, eq);
    const std::int64_t j = feature_index(index, name, flag, command);
    if (seen[std::size_t(j)]++)
      throw UsageError(command + ": --" + flag + ": " + quoted_for_message(name) +
                       " is given twice");
    out[std::size_t(j)] = value(item.substr(eq + 1));
  }
  return out;
}

}  // namespace

void apply_feature_flags(const ParsedArgs& a, const std::vector<std::string>& names, Options& o,
                         const std::string& command) {
  std::map<std::string, std::int64_t> index;
  for (std::size_t j = 0; j < names.size(); ++j) index.emplace(names[j], std::int64_t(j));
  const auto p = static_cast<std::int64_t>(names.size());
  if (auto v = a.get("penalty-factor"))
    o.penalty_factors =
        parse_per_feature("penalty-factor", *v, index, p, 1.0, false, false, "W", command);
  if (auto v = a.get("exclude")) {
    o.exclude.clear();
    for (const std::string& name : split_list("exclude", *v))
      o.exclude.push_back(feature_index(index, name, "exclude", command));
  }
  if (auto v = a.get("lower-limits"))
    o.lower_limits =
        parse_per_feature("lower-limits", *v, index, p, -INFINITY, true, true, "V", command);
  if (auto v = a.get("upper-limits"))
    o.upper_limits =
        parse_per_feature("upper-limits", *v, index, p, INFINITY, true, true, "V", command);
  try {
    Options rest = o;  // multinomial's own checks are fit()'s (options_from)
    if (rest.family == Family::multinomial) rest.family = Family::gaussian;
    validate_options(rest);
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
      const std::vector<double>& given =
          field == "lower_limits[" ? o.lower_limits : o.upper_limits;
      const bool one_for_all = field != "penalty_factors[" && given.size() == 1;
      if (j < names.size() && !one_for_all)
        what += " (feature " + quoted_for_message(names[j]) + ")";
    }
    throw UsageError(command + ": " + what);
  }
}

}  // namespace regpath::cli
