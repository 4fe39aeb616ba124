// The CSV reader's fast, chunked path (src/cli/csv_fast.cpp) against the reference parser: on
// every input the same table (bit for bit) or the same error message, whatever the chunk count
// and wherever the split points fall (inside quoted multi-line fields, on blank lines, CRLF).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "cli/csv_number.hpp"
#include "cli/csv_table.hpp"
#include "temp_dir.hpp"

namespace regpath::cli {
namespace {

// The outcome of a parse as text: every value's bits, or the error message.
std::string outcome(const std::string& text, const CsvChunking& chunking) {
  try {
    const CsvTable t = parse_csv_text(text, "data.csv", chunking);
    std::string out;
    for (const auto& name : t.names) out += name + '\x1f';
    out += '\n';
    for (const auto& column : t.columns) {
      for (double v : column) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &v, sizeof bits);
        out += std::to_string(bits) + ',';
      }
      out += '\n';
    }
    return out;
  } catch (const InputError& e) {
    return std::string("error: ") + e.what();
  }
}

void expect_same_as_reference(const std::string& text) {
  CsvChunking reference;
  reference.fast = false;
  const std::string expected = outcome(text, reference);
  for (std::size_t threads : {1, 2, 3, 7}) {
    CsvChunking chunking;
    chunking.threads = threads;
    chunking.min_chunk_bytes = 1;
    ASSERT_EQ(outcome(text, chunking), expected) << threads << " threads on: " << text;
  }
}

// A string literal's bytes, embedded NULs included, without its terminator (a hand-counted
// length read past the literal: AddressSanitizer found three such).
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

TEST(CsvFast, PlainNumbersEqualReference) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::string text = "a,b,c\n";
  for (int i = 0; i < 500; ++i) {
    text += std::to_string(unit(rng)) + "," + std::to_string(unit(rng) * 1e-300) + "," +
            format_number(unit(rng) * 1e200) + "\n";
  }
  expect_same_as_reference(text);
  const std::string last_without_newline = text + "1,2,3";
  expect_same_as_reference(last_without_newline);
  CsvChunking chunking;
  chunking.threads = 3;
  chunking.min_chunk_bytes = 1;
  EXPECT_EQ(parse_csv_text(last_without_newline, "d.csv", chunking).rows(), 501u);
}

TEST(CsvFast, EveryNumberFormEqualsReference) {
  const std::vector<std::string> cells = {
      "1", "-1", "+1", "+.5", "-.5", "5.", "1e5", "1E+5", "1e-5", "-0", "0.1", "1e-999", "1e999",
      "+-1", "-+1", "++1", "--1", ".", "+", "-", "e5", "1e", "1e+", "0x10", "0x1p3", "inf",
      "-Infinity", "nan", "nan(1)", "info", "1.5x", "1 2", " 7 ", "\t8\t", "\r9", "1\r",
      "\"1\"", "\" 2 \"", "\"3\"\"\"", "\"\"", "\"  \"", "\"4\"x", "\"5\" ", "\"6\"\r", "2\"",
      "", "\"\n1\n\"", "00012", "1.7976931348623157e308", "4.9e-324", "2.2250738585072011e-308",
      "123456789012345678901234567890", "0.30000000000000004"};
  for (const std::string& cell : cells) {
    expect_same_as_reference("a,b\n1," + cell + "\n2,3\n");
    expect_same_as_reference("a,b\n" + cell + ",1\n");
    expect_same_as_reference("a\n" + cell);
  }
}

TEST(CsvFast, PlainDecimalsRoundLikeStrtod) {
  // plain_decimal's own fast path (Clinger's rule) against strtod, across digit counts around its
  // limits (19 digits, 2^53, 10^22), and the whole reader on them.
  std::mt19937_64 rng(17);
  std::string text = "a\n";
  for (int i = 0; i < 20000; ++i) {
    std::string cell = (rng() % 2) ? "-" : "";
    const std::size_t whole = rng() % 12, fraction = rng() % 24;
    for (std::size_t k = 0; k < whole; ++k) cell += static_cast<char>('0' + rng() % 10);
    if (fraction > 0 || rng() % 2) cell += '.';
    for (std::size_t k = 0; k < fraction; ++k) cell += static_cast<char>('0' + rng() % 10);
    // Alone (the last bytes of a buffer) and followed by a row's rest (8-byte reads).
    for (const std::string& buffer : {cell, cell + ",1234567890\n"}) {
      const char* p = buffer.data();
      double v = 0;
      if (plain_decimal(p, buffer.data() + buffer.size(), v)) {
        ASSERT_EQ(p, buffer.data() + cell.size()) << cell;
        const double expected = std::strtod(cell.c_str(), nullptr);
        ASSERT_EQ(std::memcmp(&v, &expected, sizeof v), 0) << cell;
      }
    }
    text += cell + "\n";
  }
  expect_same_as_reference(text);
}

TEST(CsvFast, StructureEqualsReference) {
  const std::vector<std::string> texts = {
      "a,b\n1,2\n\n\n3,4\n  \n\t\r\n5,6\n",  // blank lines inside and between chunks
      "a,b\r\n1,2\r\n3,4\r\n",
      "a,b\n1,2\n3\n",                        // too few fields
      "a,b\n1,2\n3,4,5\n",                    // too many
      "a,b\n1,2\n3,4,\n",
      "a,b\n1,\"2\n\n\",\n",
      "a,b\n1,\"2\n3,4\n5,6\n",                // unterminated: the split parity lies
      "a,b\n\"1\n2\",3\n4,\"5\n6\"\n7,8\n",    // multi-line quoted cells across split points
      "\"x\ny\",b\n1,2\n\"3\",\"\n4\n\"\n",
      "a,b\n1,2\n\n",
      "a,b\n\n\n",
      "a\n1\n2\n3\n4\n5\n6\n7\n8\n9\n",
      "a,b\n1,2\"\n3,4\n",
      "a,b\n\"1\"2,3\n",
      "a,b\n1,2\n\r\"3\",4\n",
      // Not text: NUL bytes in the header, the rows, a quoted cell; UTF-16 with and without BOM.
      bytes("a\0,b\n1,2\n"), bytes("a,b\n1,2\n3,\0\n"), bytes("a,b\n1,\"\0\"\n"),
      bytes("\xFF\xFE" "a\0,\0b\0\n\0"), bytes("a\0,\0b\0\n\0" "1\0,\0" "2\0\n\0"),
  };
  for (const std::string& text : texts) expect_same_as_reference(text);
}

TEST(CsvFast, LargeFileSplitsAndKeepsExactErrors) {
  // ~3 MB: chunks of the default 1 MB minimum, and read_csv's mapped-file path; multi-line quoted
  // cells in the header and far into the data (line 60000), errors near the end.
  std::string text = "a,\"b\nc\",z\n";
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::size_t line = 3;  // the header spans lines 1-2
  while (text.size() < 3'000'000) {
    if (line == 60000) {
      text += "1,\"2\n\n3\",4\n";  // one record on lines 60000-60002: not a number
      line += 3;
      continue;
    }
    text += format_number(unit(rng)) + "," + format_number(unit(rng)) + ",7\n";
    ++line;
  }
  const std::string path = test::temp_dir() + "large.csv";
  const auto write = [&path](const std::string& t) {
    std::ofstream(path, std::ios::binary) << t;
  };
  CsvChunking reference;
  reference.fast = false;
  CsvChunking two;
  two.threads = 2;
  const std::string fixed = [&] {
    std::string t = text;
    t.replace(t.find("1,\"2\n\n3\",4\n"), 12, "1,\"2\n\n\",4\n");  // now a valid cell
    return t;
  }();
  ASSERT_EQ(outcome(fixed, two), outcome(fixed, reference));
  write(fixed);
  const CsvTable t = read_csv(path);
  EXPECT_EQ(t.names[1], "b\nc");
  EXPECT_EQ(t.rows(), line - 3 - 2);
  // The bad cell, then a bad cell near the end, a short row, and a NUL byte.
  const std::string bad = outcome(text, reference);
  EXPECT_EQ(bad, "error: data.csv: line 60000, column 2 ('b\\nc'): not a number: '2\\n\\n3'");
  EXPECT_EQ(outcome(text, two), bad);
  for (const std::string& tail : {std::string("1,2,x\n"), std::string("1,2\n"),
                                  std::string("1,\0,2\n")}) {
    const std::string broken = fixed + tail;
    ASSERT_EQ(outcome(broken, two), outcome(broken, reference)) << tail;
    write(broken);
    try {
      read_csv(path);
      ADD_FAILURE() << "no error for " << tail;
    } catch (const InputError& e) {
      EXPECT_EQ(std::string("error: ") + e.what(),
                outcome(broken, reference).replace(7, 8, path)) << tail;
    }
  }
  std::remove(path.c_str());
}

TEST(CsvFast, RandomTextEqualsReference) {
  // Short texts from CSV's own alphabet: quotes, commas, newlines and number characters, so that
  // split points land in every kind of place.
  const std::string alphabet = "\"\",,,,\n\n\n\r 1234567890.e-+x\t";
  std::mt19937 rng(3);
  for (int i = 0; i < 1500; ++i) {
    std::string text = (i % 2) ? "a,b\n" : "a\n";
    const std::size_t size = rng() % 60;
    for (std::size_t k = 0; k < size; ++k) {
      // Mostly digits and delimiters: valid tables must be common, not only errors.
      const unsigned pick = rng() % 10;
      text += pick < 5 ? static_cast<char>('0' + rng() % 10)
                       : pick < 7 ? (i % 2 && rng() % 2 ? ',' : '\n')
                                  : alphabet[rng() % alphabet.size()];
    }
    expect_same_as_reference(text);
  }
}

}  // namespace
}  // namespace regpath::cli
