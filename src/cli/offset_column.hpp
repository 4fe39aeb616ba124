// --offset COLUMN: glmnet's offset from a column of DATA.csv (fit, cv) or NEW.csv (predict),
// which is then never a feature (as --response is not).
#pragma once

#include <string>
#include <vector>

#include "cli/cli_args.hpp"
#include "cli/csv_table.hpp"
#include "cli/fit_command.hpp"

namespace regpath::cli {

// The flag's help entry (fit and cv share it; predict has its own text).
FlagSpec offset_flag();

// Removes the column `name` from the design's features and returns its values (InputError
// naming the file when DATA has no such column or is not a CSV: a .npy or HDF5 X has no
// column names to pick it by). `response` (the --response column, if any) must differ.
std::vector<double> take_offset_column(Design& d, const std::string& name,
                                       const std::string& command, bool from_csv);

// --offset's value for `family`: one column (take_offset_column), or for multinomial a list
// of one column per class, their values class-major (glmnet's n × C offset matrix).
std::vector<double> take_offset_columns(Design& d, const std::string& value, Family family,
                                        const std::string& command, bool from_csv);

// NEW.csv's column `name` (InputError naming the file when it has none).
std::vector<double> offset_column(const CsvTable& t, const std::string& name);

}  // namespace regpath::cli
