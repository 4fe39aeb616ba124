// The flags that name features: --penalty-factor (glmnet's penalty.factor) and --exclude
// (glmnet's exclude), resolved against the design's feature names once the data is read.
#pragma once

#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "regpath/regpath.hpp"

namespace regpath::cli {

// --penalty-factor, --exclude, --lower-limits, --upper-limits (for the help text, after
// model_flags()).
std::vector<FlagSpec> feature_flags();

// Sets Options::penalty_factors and Options::exclude from those flags for the features `names`
// (in the design's order). A name that is not a feature, a wrong count, a repeated name or a bad
// number is a UsageError prefixed with `command` and naming it; the values are checked by the
// library (validate_options) as the other options are.
void apply_feature_flags(const ParsedArgs& a, const std::vector<std::string>& names, Options& o,
                         const std::string& command);

}  // namespace regpath::cli
