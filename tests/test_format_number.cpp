// format_number's text is printf's "%.*g" at the fewest digits that round-trip: the fast
// std::to_chars form against the original snprintf/strtod search, on random doubles of every
// magnitude and on the awkward ones (powers of two, ties between fixed and scientific form).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "cli/csv_table.hpp"

namespace regpath::test {
namespace {

std::string by_search(double v) {
  char buf[40];
  if (std::fabs(v) < 1e16 && std::trunc(v) == v) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

TEST(FormatNumber, EqualsTheSnprintfSearch) {
  std::mt19937_64 rng(20261202);
  std::uniform_int_distribution<std::uint64_t> bits;
  std::uniform_real_distribution<double> unit(-1, 1);
  std::uniform_int_distribution<int> exponent(-30, 30);
  for (int i = 0; i < 300000; ++i) {
    double v = 0;
    if (i % 2 == 0) {
      const std::uint64_t b = bits(rng);
      std::memcpy(&v, &b, sizeof v);
      if (!std::isfinite(v)) continue;
    } else if (i % 3 == 0) {
      // decimals of 1 to 17 digits at every scale
      const int digits = 1 + (i / 3) % 17;
      v = std::round(unit(rng) * std::pow(10.0, digits)) * std::pow(10.0, exponent(rng) * 10);
    } else {
      // short decimals (0.0003, 1.5e-05, 120.25) and their neighbours
      v = std::round(unit(rng) * 1000) * std::pow(10.0, exponent(rng));
      if (i % 4 == 1) v = std::nextafter(v, 1e300);
    }
    ASSERT_EQ(cli::format_number(v), by_search(v)) << "bits of " << v;
  }
  for (int e = -1074; e <= 1023; ++e) {
    const double v = std::ldexp(1.0, e);
    ASSERT_EQ(cli::format_number(v), by_search(v)) << "2^" << e;
    ASSERT_EQ(cli::format_number(-v), by_search(-v)) << "-2^" << e;
  }
  for (const double v : {0.0, -0.0, 3.0, -17.0, 9999999999999998.0, 0.0001,
                         0.0003, 0.00012, 1.5e-5, 1e16, 1.2e17, 123456789012345678.0,
                         0.1, 1e-300, 5e-324, 1.7976931348623157e308})
    EXPECT_EQ(cli::format_number(v), by_search(v)) << v;
}

}  // namespace
}  // namespace regpath::test
