// The response's checks for the GLM families, shared by the dense and the sparse fit. Private.
#pragma once

#include <cstdint>
#include <set>
#include <sstream>
#include <stdexcept>

#include "regpath/regpath.hpp"

namespace regpath::detail {

// A binomial response holds 0 and 1 only (as glmnet's two-level factor, coded 0/1).
template <typename In>
void check_binomial_response(const In* y, std::int64_t n) {
  std::set<double> values;
  for (std::int64_t i = 0; i < n && values.size() <= 10; ++i) values.insert(double(y[i]));
  for (const double v : values)
    if (v != 0.0 && v != 1.0) {
      std::ostringstream msg;
      msg.precision(17);
      msg << "invalid y for family binomial: the response must be coded 0/1, but it holds "
          << (values.size() > 10 ? "more than 10 distinct values, among them" : "the values");
      for (const double w : values) msg << ' ' << w;
      throw std::invalid_argument(msg.str());
    }
}

// A poisson response holds counts: non-negative (non-integers are allowed, as glmnet allows them:
// the objective is defined for any y ≥ 0). first_row: the rows before y's (a rank's block of
// the rows: its first global row less one), for the message.
template <typename In>
void check_poisson_response(const In* y, std::int64_t n, std::int64_t first_row = 0) {
  for (std::int64_t i = 0; i < n; ++i)
    if (y[i] < In(0)) {
      std::ostringstream msg;
      msg.precision(17);
      msg << "invalid y for family poisson: value " << double(y[i]) << " at row "
          << first_row + i + 1 << " is negative (the response is a count, ≥ 0)";
      throw std::invalid_argument(msg.str());
    }
}

// The family's own rule for y (none for gaussian); std::invalid_argument naming the value.
template <typename In>
void check_family_response(const In* y, std::int64_t n, Family family,
                           std::int64_t first_row = 0) {
  if (family == Family::binomial) check_binomial_response(y, n);
  if (family == Family::poisson) check_poisson_response(y, n, first_row);
}

}  // namespace regpath::detail
