// What the command-line tool accepts as a number: decimal text only.
//
// strtod also reads hexadecimal floats ("0x10" is 16, "0x1p3" is 8), which in a data file or a
// flag are far more likely a mistake (an id, a colour, a pasted address) than a value. Every
// number the tool reads goes through strtod and then this check.
#pragma once

#include <cctype>
#include <string>

namespace regpath::cli {

// Whether [begin, end) is  [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits]  in full.
inline bool is_decimal_number(const char* begin, const char* end) {
  const char* p = begin;
  auto digit = [&p, end] { return p < end && std::isdigit(static_cast<unsigned char>(*p)); };
  if (p < end && (*p == '+' || *p == '-')) ++p;
  bool digits = false;
  while (digit()) ++p, digits = true;
  if (p < end && *p == '.') {
    ++p;
    while (digit()) ++p, digits = true;
  }
  if (!digits) return false;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (!digit()) return false;
    while (digit()) ++p;
  }
  return p == end;
}

inline bool is_decimal_number(const std::string& text) {
  return is_decimal_number(text.data(), text.data() + text.size());
}

}  // namespace regpath::cli
