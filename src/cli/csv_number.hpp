// One CSV cell as a number: the rule every reader path shares (the fast chunked parser and the
// reference parser that words the errors), so that both accept exactly the same cells.
//
// Float parser: fast_float::from_chars (Debian libfast-float-dev, header only). Measured with
// bench/bench_csv_parse.cpp (g++ 12, 1e6 random normals of 15-17 digits, shared 2-core Xeon,
// median of 3; bench/results/io-2026-12-02-intel-xeon-2c.md): fast_float 1090 MB/s, libstdc++
// 12's std::from_chars 909 MB/s (it embeds an older copy of the same algorithm), strtod 209
// MB/s. fast_float also behaves the same with every standard library (libstdc++'s from_chars
// leaves the value unset on underflow, and older toolchains lack from_chars for double).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fast_float/fast_float.h>

#include "cli/decimal.hpp"

namespace regpath::cli {

inline bool csv_is_blank(char c) { return c == ' ' || c == '\t'; }
inline bool csv_is_space(char c) { return csv_is_blank(c) || c == '\r' || c == '\n'; }

// The decimal number filling [b, e) exactly, finite: true and `v`. False for anything else
// (also for valid cells this shortcut does not take, e.g. an underflow to 0 on some libraries;
// strict_number decides those). fast_float's grammar, [-](digits[.digits*] | .digits)
// [(e|E)[+-]digits], is is_decimal_number's minus the leading '+', which is skipped here (but
// not in "+-1", which is no number).
inline bool fast_number(const char* b, const char* e, double& v) {
  if (b < e && *b == '+' && e - b > 1 && b[1] != '-') ++b;
  if (b >= e) return false;
  const auto r = fast_float::from_chars(b, e, v);
  return r.ec == std::errc() && r.ptr == e && std::isfinite(v);
}

// Appends the digits at s (fewer than 8 follow, when called after the 8-digit loop) to w; returns
// the end of the digits. With 8 bytes readable, one SWAR step instead of a loop: the first
// non-digit byte found by the per-byte test below (carries and borrows only run toward higher
// bytes, so the lowest flagged byte is exact), the digits before it shifted to the top and
// '0's below them, i.e. leading zeros.
inline const char* last_digits(const char* s, const char* end, std::uint64_t& w) {
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (end - s >= 8) {
    static constexpr std::uint64_t kPow10[] = {1,      10,      100,      1000,     10000,
                                               100000, 1000000, 10000000, 100000000};
    std::uint64_t val = 0;
    std::memcpy(&val, s, 8);
    const std::uint64_t non_digit =
        ((val + 0x4646464646464646) | (val - 0x3030303030303030)) & 0x8080808080808080;
    const int n = non_digit == 0 ? 8 : __builtin_ctzll(non_digit) / 8;
    if (n == 0) return s;
    // The n digits moved to the top bytes, '0's below them (the parser expects ASCII digits).
    const std::uint64_t digits =
        n == 8 ? val : (val << (8 * (8 - n))) | (0x3030303030303030ULL >> (8 * n));
    w = w * kPow10[n] + fast_float::parse_eight_digits_unrolled(digits);
    return s + n;
  }
#endif
  while (s < end && static_cast<unsigned char>(*s - '0') < 10)
    w = w * 10 + static_cast<unsigned>(*s++ - '0');
  return s;
}

// The plain form [-]digits[.digits] (at most 19 digits, no exponent) that data writers use for
// most cells (R's fwrite, numpy's savetxt with %.15g / %.17g), read at `p` without fast_float's
// generality: true with `v` and p moved past it; false (p unchanged) for anything else. Exact by
// Clinger's rule: a mantissa below 2^53 and a power of ten up to 10^22 are both exact doubles,
// so their IEEE quotient is the correctly rounded value, as fast_float and strtod give it.
inline bool plain_decimal(const char*& p, const char* end, double& v) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* s = p;
  const bool negative = s < end && *s == '-';
  if (negative) ++s;
  auto digit = [&s, end] { return s < end && static_cast<unsigned char>(*s - '0') < 10; };
  std::uint64_t w = 0;
  const char* first = s;
  while (digit()) w = w * 10 + static_cast<unsigned>(*s++ - '0');
  std::size_t digits = static_cast<std::size_t>(s - first), fraction = 0;
  if (s < end && *s == '.') {
    const char* f = ++s;
    while (end - s >= 8 && fast_float::is_made_of_eight_digits_fast(s)) {
      w = w * 100000000 + fast_float::parse_eight_digits_unrolled(s);
      s += 8;
    }
    s = last_digits(s, end, w);
    fraction = static_cast<std::size_t>(s - f);
    digits += fraction;
  }
  // (w may have wrapped when digits > 19; then it is not used.)
  if (digits == 0 || digits > 19 || fraction > 22 || w > (std::uint64_t{1} << 53)) return false;
  if (s < end && (*s == 'e' || *s == 'E')) return false;
  v = static_cast<double>(w) / kPow10[fraction];
  if (negative) v = -v;
  p = s;
  return true;
}

// What the reference parser says about a cell.
enum class CellStatus { ok, empty, not_number, not_finite, not_decimal };

// The cell's text [b, e) (unquoted, the quotes' content or the trimmed field) as a number: spaces
// (also CR/LF inside quotes) around it are ignored; otherwise it must be a finite decimal number
// in full. strtod decides what the fast path does not (it needs a NUL-terminated copy).
inline CellStatus strict_number(const char* b, const char* e, double& v) {
  while (b < e && csv_is_space(*b)) ++b;
  while (e > b && csv_is_space(e[-1])) --e;
  if (b == e) return CellStatus::empty;
  if (fast_number(b, e, v)) return CellStatus::ok;
  const std::string copy(b, e);
  char* stop = nullptr;
  v = std::strtod(copy.c_str(), &stop);
  // strtod stops at an embedded NUL or any junk, so `stop` short of the end means junk.
  if (stop != copy.c_str() + copy.size()) return CellStatus::not_number;
  if (!std::isfinite(v)) return CellStatus::not_finite;
  // What strtod reads fully, is finite and is not decimal is a hexadecimal float.
  if (!is_decimal_number(copy.c_str(), stop)) return CellStatus::not_decimal;
  return CellStatus::ok;
}

}  // namespace regpath::cli
