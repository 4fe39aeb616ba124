// Writes NumPy .npy files from the tests themselves, so that the tests need no Python: the
// format is a magic string, a version, a little-endian header length and a Python dict literal
// padded with spaces (and a final '\n') to a multiple of 64 bytes, then the raw data.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace regpath::test {

// The file's bytes for a header dict `dict` (without padding) at format `major`.0.
inline std::string npy_with_dict(const std::string& dict, const std::string& data, int major = 1) {
  const std::size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  const std::size_t len = header.size();
  for (std::size_t b = 0; b < prefix - 8; ++b) out += static_cast<char>((len >> (8 * b)) & 0xFF);
  return out + header + data;
}

// values in the file's element order, stored as float64 ("<f8") or float32 ("<f4").
inline std::string npy_data(const std::vector<double>& values, bool float32) {
  std::string out;
  for (double v : values) {
    char buf[8];
    if (float32) {
      const float f = static_cast<float>(v);
      std::memcpy(buf, &f, 4);
      out.append(buf, 4);
    } else {
      std::memcpy(buf, &v, 8);
      out.append(buf, 8);
    }
  }
  return out;
}

inline std::string npy_dict(const std::string& descr, bool fortran, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
         ", 'shape': " + shape + ", }";
}

// An n × p matrix given column-major (`colmajor`), written in C or Fortran order.
inline std::string npy_matrix(const std::vector<double>& colmajor, std::size_t n, std::size_t p,
                              bool fortran, bool float32 = false, int major = 1) {
  std::vector<double> ordered;
  if (fortran) {
    ordered = colmajor;
  } else {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < p; ++j) ordered.push_back(colmajor[j * n + i]);
  }
  const std::string shape = "(" + std::to_string(n) + ", " + std::to_string(p) + ")";
  return npy_with_dict(npy_dict(float32 ? "<f4" : "<f8", fortran, shape), npy_data(ordered, float32),
                       major);
}

inline std::string npy_vector(const std::vector<double>& v, bool float32 = false) {
  return npy_with_dict(npy_dict(float32 ? "<f4" : "<f8", false, "(" + std::to_string(v.size()) + ",)"),
                       npy_data(v, float32));
}

}  // namespace regpath::test
