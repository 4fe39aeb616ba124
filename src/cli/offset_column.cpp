#include "cli/offset_column.hpp"

#include <algorithm>
#include <cstdint>

namespace regpath::cli {

FlagSpec offset_flag() {
  return {"offset", "COLUMN|COLUMN1,...,COLUMNC",
          "glmnet's offset: the column of DATA.csv added to each row's linear predictor\n"
          "(β0 + xᵀβ + offset; gaussian: the fit of y − offset), never a feature. Every\n"
          "family; with several responses the same offset for each. --family multinomial\n"
          "takes one column per class, in the classes' order (glmnet's n × C offset\n"
          "matrix). A model saved with it predicts only with regpath predict --offset\n"
          "COLUMN (glmnet's newoffset)"};
}

std::vector<double> take_offset_column(Design& d, const std::string& name,
                                       const std::string& command, bool from_csv) {
  if (!from_csv)
    throw InputError(command + ": --offset " + quoted_for_message(name) + " names a column of "
                     "DATA.csv; " + d.source + " is not a CSV file (give the data as a CSV)");
  const auto at = std::find(d.names.begin(), d.names.end(), name);
  if (at == d.names.end())
    throw InputError(d.source + ": no column " + quoted_for_message(name) +
                     " (--offset) among its features (the offset must be a column of DATA.csv "
                     "other than the response)");
  const auto j = static_cast<std::size_t>(at - d.names.begin());
  const auto n = static_cast<std::size_t>(d.n);
  const auto first = d.X.begin() + static_cast<std::ptrdiff_t>(j * n);
  std::vector<double> offset(first, first + static_cast<std::ptrdiff_t>(n));
  d.X.erase(first, first + static_cast<std::ptrdiff_t>(n));
  d.names.erase(at);
  if (d.names.empty())
    throw InputError(d.source + ": no feature columns besides the response and the offset " +
                     quoted_for_message(name));
  return offset;
}

std::vector<double> take_offset_columns(Design& d, const std::string& value, Family family,
                                        const std::string& command, bool from_csv) {
  if (family != Family::multinomial) return take_offset_column(d, value, command, from_csv);
  std::vector<double> offset;
  for (const std::string& name : split_list("offset", value)) {
    const std::vector<double> column = take_offset_column(d, name, command, from_csv);
    offset.insert(offset.end(), column.begin(), column.end());
  }
  return offset;
}

std::vector<double> offset_column(const CsvTable& t, const std::string& name) {
  for (std::size_t c = 0; c < t.cols(); ++c)
    if (t.names[c] == name) return t.columns[c];
  throw InputError(t.source + ": no column " + quoted_for_message(name) +
                   " (--offset: the new rows' offsets, as the model was fitted with one)");
}

}  // namespace regpath::cli
